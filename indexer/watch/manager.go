package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// FileName is the list of the folders added on the admin page, kept in
// the index folder: {"folders": ["/abs/dir", …]}.
const FileName = "watched.json"

// Manager runs the watchers of a server: the folders given with --watch
// and those added on the admin page (persisted in the index folder, so
// that they are watched again at the next start).
type Manager struct {
	ctx    context.Context
	target Target
	opt    Options
	file   string // "" : nothing persisted

	mu       sync.Mutex
	watchers map[string]*Watcher
	saved    []string // the persisted folders
}

// NewManager returns a manager whose added folders are persisted in
// indexDir ("": not persisted).
func NewManager(ctx context.Context, t Target, indexDir string, opt Options) *Manager {
	m := &Manager{ctx: ctx, target: t, opt: opt, watchers: map[string]*Watcher{}}
	if indexDir != "" {
		m.file = filepath.Join(indexDir, FileName)
	}
	return m
}

type savedFile struct {
	Folders []string `json:"folders"`
}

// Start watches flags (not persisted) and the persisted folders.
func (m *Manager) Start(flags []string) error {
	if m.file != "" {
		data, err := os.ReadFile(m.file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("watch: %w", err)
		}
		if err == nil {
			var f savedFile
			if err := json.Unmarshal(data, &f); err != nil {
				return fmt.Errorf("watch: %s: %w", m.file, err)
			}
			m.saved = f.Folders
		}
	}
	var errs []error
	for _, d := range append(slices.Clone(flags), m.saved...) {
		if err := m.add(d, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Add starts watching dir and remembers it for the next start.
func (m *Manager) Add(dir string) error { return m.add(dir, true) }

func (m *Manager) add(dir string, persist bool) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.watchers[abs]; !ok {
		w, err := Start(m.ctx, abs, m.target, m.opt)
		if err != nil {
			return err
		}
		m.watchers[abs] = w
	}
	if persist && !slices.Contains(m.saved, abs) {
		return m.save(append(slices.Clone(m.saved), abs))
	}
	return nil
}

// Remove stops watching dir (its reports stay indexed) and forgets it.
func (m *Manager) Remove(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	m.mu.Lock()
	w := m.watchers[abs]
	delete(m.watchers, abs)
	var serr error
	if i := slices.Index(m.saved, abs); i >= 0 {
		serr = m.save(slices.Delete(slices.Clone(m.saved), i, i+1))
	}
	m.mu.Unlock()
	if w == nil {
		return fmt.Errorf("watch: %s is not watched", abs)
	}
	w.Stop()
	return serr
}

func (m *Manager) save(folders []string) error {
	if m.file == "" {
		m.saved = folders
		return nil
	}
	data, _ := json.MarshalIndent(savedFile{Folders: folders}, "", "  ")
	tmp := m.file + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	if err := os.Rename(tmp, m.file); err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	m.saved = folders
	return nil
}

// Dirs lists the folders watched.
func (m *Manager) Dirs() []string {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for d := range m.watchers {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// Status tells what each watcher has done, by folder.
func (m *Manager) Status() []Status {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	ws := make([]*Watcher, 0, len(m.watchers))
	for _, w := range m.watchers {
		ws = append(ws, w)
	}
	m.mu.Unlock()
	out := make([]Status, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Status())
	}
	slices.SortFunc(out, func(a, b Status) int {
		if a.Dir < b.Dir {
			return -1
		}
		if a.Dir > b.Dir {
			return 1
		}
		return 0
	})
	return out
}

// Close stops every watcher.
func (m *Manager) Close() {
	if m == nil {
		return
	}
	m.mu.Lock()
	ws := m.watchers
	m.watchers = map[string]*Watcher{}
	m.mu.Unlock()
	for _, w := range ws {
		w.Stop()
	}
}
