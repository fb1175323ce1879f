// Package themes keeps the theme lexicon: named themes, each a set of
// query expressions (数字政府 = 数字政府 | 一网通办 | "互联网+政务服务"), that
// theme:NAME stands for wherever a query is accepted. The lexicon is kept
// beside the index (a folder of its own inside the index folder), is
// versioned — every change gets the next version number, its time, its
// author and what changed, appended to a history — and can be exported
// and imported as JSON or CSV.
//
// A Store implements search.Themes: ParseQueryWith expands a theme into the
// OR of its expressions, so theme:X finds exactly the paragraphs that any
// of its expressions finds.
package themes

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
)

// Limits of a lexicon.
const (
	MaxThemes      = 1000
	MaxExpressions = 100
	MaxNameChars   = 40
	MaxNotesChars  = 2000
)

// Theme is a named set of query expressions.
type Theme struct {
	Name        string   `json:"name"`
	Expressions []string `json:"expressions"`
	Notes       string   `json:"notes,omitempty"`
}

// Lexicon is the whole set of themes at one version.
type Lexicon struct {
	Version int       `json:"version"`
	Updated time.Time `json:"updated"`
	Author  string    `json:"author,omitempty"`
	Themes  []Theme   `json:"themes"`
}

// Change is one entry of the history.
type Change struct {
	Version int       `json:"version"`
	Time    time.Time `json:"time"`
	Author  string    `json:"author,omitempty"`
	// Action is put, delete or import.
	Action string `json:"action"`
	Theme  string `json:"theme,omitempty"`
	// Expressions are the theme's expressions after a put (before a
	// delete), so the history says what each version meant.
	Expressions []string `json:"expressions,omitempty"`
	Note        string   `json:"note,omitempty"`
}

// Store is a lexicon in a folder: lexicon.json (the current version,
// replaced atomically) and history.jsonl (appended).
type Store struct {
	dir string
	mu  sync.RWMutex
	cur Lexicon
	now func() time.Time
}

var _ search.Themes = (*Store)(nil)

// Dir is the folder of the lexicon inside an index folder.
func Dir(indexDir string) string { return filepath.Join(indexDir, "themes") }

// Open opens (creating when absent) the lexicon in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	s := &Store{dir: dir, now: time.Now, cur: Lexicon{Themes: []Theme{}}}
	data, err := os.ReadFile(filepath.Join(dir, "lexicon.json"))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("themes: %w", err)
	default:
		if err := json.Unmarshal(data, &s.cur); err != nil {
			return nil, fmt.Errorf("themes: %s is damaged: %w", filepath.Join(dir, "lexicon.json"), err)
		}
		if s.cur.Themes == nil {
			s.cur.Themes = []Theme{}
		}
	}
	return s, nil
}

// Expressions returns a theme's expressions (search.Themes).
func (s *Store) Expressions(name string) ([]string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i := s.find(name); i >= 0 {
		return slices.Clone(s.cur.Themes[i].Expressions), true
	}
	return nil, false
}

// Lexicon returns the current version.
func (s *Store) Lexicon() Lexicon {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l := s.cur
	l.Themes = slices.Clone(l.Themes)
	return l
}

// Theme returns one theme, or search.ErrNotFound.
func (s *Store) Theme(name string) (Theme, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if i := s.find(name); i >= 0 {
		return s.cur.Themes[i], nil
	}
	return Theme{}, fmt.Errorf("theme %q: %w", name, search.ErrNotFound)
}

func (s *Store) find(name string) int {
	return slices.IndexFunc(s.cur.Themes, func(t Theme) bool { return t.Name == name })
}

// Validate checks a theme: a name without spaces or syntax characters,
// expressions that parse as queries without theme references, limits.
// It trims the expressions and drops empty ones.
func (t *Theme) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || utf8.RuneCountInString(t.Name) > MaxNameChars ||
		strings.IndexFunc(t.Name, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`"|:：`, r) }) >= 0 {
		return search.BadRequestf("a theme's name is 1 to %d characters without spaces, quotes, | or colons, not %q", MaxNameChars, t.Name)
	}
	var exprs []string
	for _, e := range t.Expressions {
		if e = strings.TrimSpace(e); e != "" {
			exprs = append(exprs, e)
		}
	}
	if len(exprs) == 0 || len(exprs) > MaxExpressions {
		return search.BadRequestf("theme %q needs 1 to %d expressions", t.Name, MaxExpressions)
	}
	t.Expressions = exprs
	if utf8.RuneCountInString(t.Notes) > MaxNotesChars {
		return search.BadRequestf("theme %q: notes longer than %d characters", t.Name, MaxNotesChars)
	}
	_, err := search.ThemeTree(t.Name, fixed{t.Name: exprs})
	return err
}

// fixed resolves themes from a map.
type fixed map[string][]string

func (f fixed) Expressions(name string) ([]string, bool) { e, ok := f[name]; return e, ok }

// Put adds or replaces a theme.
func (s *Store) Put(t Theme, author string) (Lexicon, error) {
	if err := t.Validate(); err != nil {
		return Lexicon{}, err
	}
	return s.change(author, func(l *Lexicon) ([]Change, error) {
		if i := slices.IndexFunc(l.Themes, func(x Theme) bool { return x.Name == t.Name }); i >= 0 {
			l.Themes[i] = t
		} else {
			if len(l.Themes) >= MaxThemes {
				return nil, search.BadRequestf("at most %d themes", MaxThemes)
			}
			l.Themes = append(l.Themes, t)
		}
		return []Change{{Action: "put", Theme: t.Name, Expressions: t.Expressions, Note: t.Notes}}, nil
	})
}

// Delete removes a theme, or answers search.ErrNotFound.
func (s *Store) Delete(name, author string) (Lexicon, error) {
	return s.change(author, func(l *Lexicon) ([]Change, error) {
		i := slices.IndexFunc(l.Themes, func(x Theme) bool { return x.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("theme %q: %w", name, search.ErrNotFound)
		}
		old := l.Themes[i]
		l.Themes = slices.Delete(l.Themes, i, i+1)
		return []Change{{Action: "delete", Theme: name, Expressions: old.Expressions}}, nil
	})
}

// Import adds or replaces the given themes (all of them or none); with
// replace, themes not given are removed.
func (s *Store) Import(ts []Theme, replace bool, author string) (Lexicon, error) {
	seen := map[string]bool{}
	for i := range ts {
		if err := ts[i].Validate(); err != nil {
			return Lexicon{}, err
		}
		if seen[ts[i].Name] {
			return Lexicon{}, search.BadRequestf("theme %q is given twice", ts[i].Name)
		}
		seen[ts[i].Name] = true
	}
	return s.change(author, func(l *Lexicon) ([]Change, error) {
		if replace {
			l.Themes = nil
		}
		for _, t := range ts {
			if i := slices.IndexFunc(l.Themes, func(x Theme) bool { return x.Name == t.Name }); i >= 0 {
				l.Themes[i] = t
			} else {
				l.Themes = append(l.Themes, t)
			}
		}
		if len(l.Themes) > MaxThemes {
			return nil, search.BadRequestf("at most %d themes", MaxThemes)
		}
		note := fmt.Sprintf("%d themes", len(ts))
		if replace {
			note += ", replacing the lexicon"
		}
		return []Change{{Action: "import", Note: note}}, nil
	})
}

// change applies f to a copy of the lexicon, writes the new version and
// appends its history; on any error nothing changes.
func (s *Store) change(author string, f func(*Lexicon) ([]Change, error)) (Lexicon, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := s.cur
	next.Themes = slices.Clone(s.cur.Themes)
	changes, err := f(&next)
	if err != nil {
		return Lexicon{}, err
	}
	if next.Themes == nil {
		next.Themes = []Theme{}
	}
	slices.SortFunc(next.Themes, func(a, b Theme) int { return cmp.Compare(a.Name, b.Name) })
	next.Version = s.cur.Version + 1
	next.Updated = s.now().UTC().Truncate(time.Second)
	next.Author = author
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return Lexicon{}, err
	}
	if err := writeAtomic(filepath.Join(s.dir, "lexicon.json"), data); err != nil {
		return Lexicon{}, err
	}
	hf, err := os.OpenFile(filepath.Join(s.dir, "history.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return Lexicon{}, fmt.Errorf("themes: %w", err)
	}
	defer hf.Close()
	enc := json.NewEncoder(hf)
	enc.SetEscapeHTML(false)
	for _, c := range changes {
		c.Version, c.Time, c.Author = next.Version, next.Updated, author
		if err := enc.Encode(c); err != nil {
			return Lexicon{}, fmt.Errorf("themes: %w", err)
		}
	}
	if err := hf.Sync(); err != nil {
		return Lexicon{}, fmt.Errorf("themes: %w", err)
	}
	s.cur = next
	return next, nil
}

// History returns the changes, newest first.
func (s *Store) History() ([]Change, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := os.Open(filepath.Join(s.dir, "history.jsonl"))
	if errors.Is(err, os.ErrNotExist) {
		return []Change{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	defer f.Close()
	out := []Change{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var c Change
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			continue // a line cut by a crash
		}
		out = append(out, c)
	}
	slices.Reverse(out)
	return out, sc.Err()
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("themes: %w", err)
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err != nil {
		return fmt.Errorf("themes: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("themes: %w", err)
	}
	return nil
}

// CSVColumns are the columns of a lexicon's CSV: one row per expression.
var CSVColumns = []string{"theme", "expression", "notes", "version"}

// WriteCSV writes the lexicon as CSV (UTF-8 with BOM, like every export).
func WriteCSV(w io.Writer, l Lexicon) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, t := range l.Themes {
		for i, e := range t.Expressions {
			notes := ""
			if i == 0 {
				notes = t.Notes
			}
			if err := cw.Write([]string{safe(t.Name), safe(e), safe(notes), fmt.Sprint(l.Version)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// safe keeps a cell from being a spreadsheet formula (see search/export);
// ReadCSV removes the apostrophe again.
func safe(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

func unsafe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// ReadCSV reads themes from CSV with the columns theme, expression and
// optionally notes (a header row is required; other columns are ignored):
// rows of the same theme are its expressions, in order.
func ReadCSV(r io.Reader) ([]Theme, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, search.BadRequestf("reading the CSV: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(strings.TrimSpace(strings.ToLower(h)), "\uFEFF")] = i
	}
	ti, ok1 := col["theme"]
	ei, ok2 := col["expression"]
	ni, hasNotes := col["notes"]
	if !ok1 || !ok2 {
		return nil, search.BadRequestf("the CSV needs the columns theme and expression, not %q", head)
	}
	var out []Theme
	index := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, search.BadRequestf("reading the CSV: %v", err)
		}
		if ti >= len(rec) || ei >= len(rec) {
			return nil, search.BadRequestf("CSV line %d: missing columns", line)
		}
		name, expr := unsafe(strings.TrimSpace(rec[ti])), unsafe(rec[ei])
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, Theme{Name: name})
		}
		out[i].Expressions = append(out[i].Expressions, expr)
		if hasNotes && ni < len(rec) && rec[ni] != "" {
			out[i].Notes = unsafe(rec[ni])
		}
		if len(out) > MaxThemes {
			return nil, search.BadRequestf("at most %d themes", MaxThemes)
		}
	}
	return out, nil
}
