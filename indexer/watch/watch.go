// Package watch follows folders of reports: what is in a folder is
// indexed, then new, changed, renamed and deleted files are applied as
// they happen (serve --watch DIR, and the admin page).
//
// # How a folder is followed
//
// A watcher scans its folder: it lists every file (hidden files and
// folders skipped, as `index` does) with its size and modification time,
// and those of its sidecar and of the folder's manifest, since metadata
// changes re-index a file too. A file whose signature differs from the one
// last applied is a candidate; a candidate is indexed once it is stable,
// its signature unchanged for Options.Stable (a file still being copied
// grows or is touched, and is not indexed half; a PDF or a zip-based file
// without its end marker is waited for longer), or at once when the first
// scan finds it last modified longer ago than that. A file gone since the
// last scan has its report deleted; a rename (or a move within the
// folder) shows as a file gone and a new file with the same size and
// time, indexed at once under its new name before the old report is
// deleted, so that it never goes missing. The candidates ready at one
// scan are indexed in one run (the indexer writes them in batches), so a
// burst of changes is one write, not one per file.
//
// Scans are made when the folder changes (Linux inotify; events only
// make the next scan sooner, after Options.Debounce, so that a burst is
// one scan), when candidates are due to be stable, and every
// Options.Rescan as a safety net: notifications are lost on network
// shares and when their queue overflows. Without notifications (other
// systems, or inotify refused) the folder is scanned every Options.Poll.
//
// A file the indexer skips is remembered with its signature, content hash
// and reason, and retried only when it changes (a touch that leaves the
// content as it was is not a change). All writes go through the Target,
// the server's one writer.
package watch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/extract"
)

// Defaults.
const (
	DefaultStable   = 3 * time.Second
	DefaultDebounce = 500 * time.Millisecond
	DefaultRescan   = 10 * time.Minute
	DefaultPoll     = 5 * time.Second
)

// Target is where a watcher's changes go: the server's one writer.
type Target interface {
	// Index indexes srcs, the changes logged as the watcher's.
	Index(ctx context.Context, srcs []indexer.Source) (*indexer.Summary, error)
	// DeletePaths deletes the reports of the files at paths.
	DeletePaths(ctx context.Context, paths []string) error
	// Paths lists the files of the reports indexed from dir (inside it).
	Paths(dir string) ([]string, error)
}

// Options tune a watcher; zero fields take the defaults.
type Options struct {
	Stable, Debounce, Rescan, Poll time.Duration
	// NoNotify polls only, as on systems without notifications.
	NoNotify bool
	Log      *slog.Logger
	// OnScan is called after each scan that applied changes, with what
	// the indexer did (tests, logs).
	OnScan func(dir string, sum *indexer.Summary, deleted []string)
}

func (o Options) withDefaults() Options {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&o.Stable, DefaultStable)
	set(&o.Debounce, DefaultDebounce)
	set(&o.Rescan, DefaultRescan)
	set(&o.Poll, DefaultPoll)
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// sig is what tells a file changed: its size and time, with its
// sidecar's and the manifest's.
type sig string

type pending struct {
	sig   sig
	since time.Time
}

type failure struct {
	sig    sig
	hash   [32]byte
	reason string
}

// Failure is a file the indexer skipped, for the admin page.
type Failure struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Status is what a watcher has done, for the admin page.
type Status struct {
	Dir      string    `json:"dir"`
	Mode     string    `json:"mode"` // inotify or poll
	Files    int       `json:"files"`
	Pending  int       `json:"pending"`
	Failures []Failure `json:"failures,omitempty"`
	LastScan time.Time `json:"last_scan"`
	Err      string    `json:"error,omitempty"`
}

// Watcher follows one folder.
type Watcher struct {
	dir    string
	target Target
	opt    Options
	notify *notifier
	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	applied  map[string]sig // the signature last applied, by path
	pending  map[string]pending
	failures map[string]failure
	status   Status
	first    bool
}

// Start indexes what is in dir and follows it until Stop.
func Start(ctx context.Context, dir string, t Target, opt Options) (*Watcher, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", abs)
	}
	opt = opt.withDefaults()
	w := &Watcher{dir: abs, target: t, opt: opt, done: make(chan struct{}), first: true,
		applied: map[string]sig{}, pending: map[string]pending{}, failures: map[string]failure{}}
	w.status = Status{Dir: abs, Mode: "poll"}
	if !opt.NoNotify {
		if n, err := newNotifier(); err == nil {
			w.notify, w.status.Mode = n, notifyName
		} else {
			opt.Log.Warn("watch: polling only", "dir", abs, "err", err)
		}
	}
	ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go w.run(ctx)
	return w, nil
}

// Dir is the folder watched.
func (w *Watcher) Dir() string { return w.dir }

// Stop stops following the folder (its reports stay indexed) and waits
// for a scan under way to finish.
func (w *Watcher) Stop() {
	w.cancel()
	<-w.done
	if w.notify != nil {
		w.notify.close()
	}
}

// Status tells what the watcher has done.
func (w *Watcher) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.status
	s.Files, s.Pending = len(w.applied), len(w.pending)
	s.Failures = nil
	for p, f := range w.failures {
		s.Failures = append(s.Failures, Failure{Path: p, Reason: f.reason})
	}
	slices.SortFunc(s.Failures, func(a, b Failure) int { return strings.Compare(a.Path, b.Path) })
	return s
}

func (w *Watcher) run(ctx context.Context) {
	defer close(w.done)
	var changed <-chan struct{}
	if w.notify != nil {
		changed = w.notify.changed
	}
	timer := time.NewTimer(0) // the first scan at once
	defer timer.Stop()
	scheduled := time.Now() // when the timer fires
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			// A burst of events is one scan, Debounce after the first.
			if at := time.Now().Add(w.opt.Debounce); at.Before(scheduled) {
				scheduled = at
				timer.Reset(time.Until(at))
			}
		case <-timer.C:
			next := w.scan(ctx)
			scheduled = next
			timer.Reset(time.Until(next))
		}
	}
}

// entry is a file found by a scan.
type entry struct {
	size  int64
	mtime time.Time
}

// list walks the folder: the files that are reports, with their
// signature, and the folders (to watch).
func (w *Watcher) list() (map[string]sig, map[string]time.Time, []string, error) {
	stats := map[string]entry{}
	var reports, dirs []string
	root, err := filepath.EvalSymlinks(w.dir)
	if err != nil {
		return nil, nil, nil, err
	}
	err = filepath.WalkDir(root, func(real string, d fs.DirEntry, err error) error {
		if err != nil {
			if real == root {
				return err
			}
			return nil // a file or folder gone during the walk
		}
		if strings.HasPrefix(d.Name(), ".") && real != root {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, real)
		p := filepath.Join(w.dir, rel)
		if d.IsDir() {
			dirs = append(dirs, real)
			return nil
		}
		info, err := os.Stat(real) // links followed, as FileSources does for files inside
		if err != nil || !info.Mode().IsRegular() {
			if d.Type()&fs.ModeSymlink == 0 && err == nil {
				reports = append(reports, p) // a pipe or device: listed, to be skipped with its reason
			}
			return nil
		}
		stats[p] = entry{info.Size(), info.ModTime()}
		if !isMetadata(p) {
			reports = append(reports, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	stamp := func(p string) string {
		if e, ok := stats[p]; ok {
			return fmt.Sprintf("%d@%d", e.size, e.mtime.UnixNano())
		}
		return "-"
	}
	manifest := stamp(filepath.Join(w.dir, "manifest.csv")) + stamp(filepath.Join(w.dir, "manifest.jsonl"))
	sigs := map[string]sig{}
	mtimes := map[string]time.Time{}
	for _, p := range reports {
		sigs[p] = sig(stamp(p) + "|" + stamp(p+".meta.json") + "|" +
			stamp(strings.TrimSuffix(p, filepath.Ext(p))+".meta.json") + "|" + manifest)
		mtimes[p] = stats[p].mtime
	}
	return sigs, mtimes, dirs, nil
}

// stampOf is the file's own part of a signature (size and time).
func stampOf(s sig) string {
	stamp, _, _ := strings.Cut(string(s), "|")
	return stamp
}

func isMetadata(p string) bool {
	base := strings.ToLower(filepath.Base(p))
	return base == "manifest.csv" || base == "manifest.jsonl" || strings.HasSuffix(base, ".meta.json") ||
		base == "readme.md" || base == "readme.txt" || base == "readme"
}

// scan applies what changed and returns when to scan next.
func (w *Watcher) scan(ctx context.Context) time.Time {
	now := time.Now()
	next := now.Add(w.opt.Rescan)
	if w.notify == nil {
		next = now.Add(w.opt.Poll)
	}
	sigs, mtimes, dirs, err := w.list()
	w.mu.Lock()
	w.status.LastScan = now
	w.mu.Unlock()
	if err != nil {
		w.setErr(err)
		return now.Add(w.opt.Poll)
	}
	if w.notify != nil {
		for _, d := range dirs {
			if err := w.notify.add(d); err != nil {
				w.opt.Log.Warn("watch: cannot watch a folder, polling it", "dir", d, "err", err)
				w.notify.close()
				w.notify = nil
				w.mu.Lock()
				w.status.Mode = "poll"
				w.mu.Unlock()
				break
			}
		}
	}
	var ready []string
	var gone []string
	w.mu.Lock()
	first := w.first
	if w.first {
		// Reports of files deleted while nobody watched.
		w.first = false
		indexed, err := w.target.Paths(w.dir)
		if err != nil {
			w.mu.Unlock()
			w.first = true
			w.setErr(err)
			return now.Add(w.opt.Poll)
		}
		for _, p := range indexed {
			if _, ok := sigs[p]; !ok {
				gone = append(gone, p)
			}
		}
	}
	// A file that went away leaves its size and time: a new file with
	// the same is the same file renamed (or moved within the folder),
	// complete already.
	renamedFrom := map[string]bool{}
	for p, s := range w.applied {
		if _, ok := sigs[p]; !ok {
			gone = append(gone, p)
			delete(w.applied, p)
			renamedFrom[stampOf(s)] = true
		}
	}
	for p := range w.pending {
		if _, ok := sigs[p]; !ok {
			delete(w.pending, p)
		}
	}
	for p := range w.failures {
		if _, ok := sigs[p]; !ok {
			delete(w.failures, p)
		}
	}
	for p, s := range sigs {
		if w.applied[p] == s {
			continue
		}
		if f, ok := w.failures[p]; ok && f.sig == s {
			continue
		}
		pd, ok := w.pending[p]
		if !ok || pd.sig != s {
			pd = pending{sig: s, since: now}
			if mt := mtimes[p]; first && !mt.IsZero() && now.Sub(mt) >= w.opt.Stable {
				// Found in place at the start, untouched for long enough
				// already. Later arrivals wait: a copy may keep the
				// source's time.
				pd.since = now.Add(-w.opt.Stable)
			}
			if _, known := w.applied[p]; !known && renamedFrom[stampOf(s)] {
				pd.since = now.Add(-w.opt.Stable)
			}
			w.pending[p] = pd
		}
		stable := now.Sub(pd.since) >= w.opt.Stable
		if stable && now.Sub(pd.since) < incompleteWait*w.opt.Stable && incomplete(p) {
			stable = false // a PDF or zip without its end: still being copied
		}
		due := pd.since.Add(w.opt.Stable)
		if !due.After(now) {
			due = now.Add(w.opt.Stable) // looked cut short: look again later
		}
		switch {
		case stable:
			ready = append(ready, p)
		case due.Before(next):
			next = due
		}
	}
	// A failed file touched but not changed stays failed.
	for i := 0; i < len(ready); i++ {
		p := ready[i]
		if f, ok := w.failures[p]; ok {
			if h, err := hashFile(p); err == nil && h == f.hash {
				f.sig = w.pending[p].sig
				w.failures[p] = f
				delete(w.pending, p)
				ready = slices.Delete(ready, i, i+1)
				i--
			}
		}
	}
	w.mu.Unlock()
	slices.Sort(gone)
	gone = slices.Compact(gone)
	// New files first, then the deletions: a renamed report is not
	// missing from searches in between.
	var sum *indexer.Summary
	if len(ready) > 0 {
		sum = w.index(ctx, ready)
	}
	if len(gone) > 0 {
		if err := w.target.DeletePaths(ctx, gone); err != nil {
			w.setErr(err)
		}
	}
	if (sum != nil || len(gone) > 0) && w.opt.OnScan != nil {
		w.opt.OnScan(w.dir, sum, gone)
	}
	w.mu.Lock()
	for _, p := range ready {
		if _, ok := w.pending[p]; ok {
			// Ready but not applied (an error of the index): try again.
			if due := now.Add(w.opt.Poll); due.Before(next) {
				next = due
			}
			break
		}
	}
	w.mu.Unlock()
	if min := now.Add(w.opt.Debounce); next.Before(min) {
		next = min
	}
	return next
}

// index runs the indexer over the ready files, listed as `index DIR`
// lists them (the manifest and sidecars apply).
func (w *Watcher) index(ctx context.Context, ready []string) *indexer.Summary {
	srcs, err := indexer.FileSources([]string{w.dir}, "")
	if err != nil {
		w.setErr(err)
		return nil
	}
	want := map[string]bool{}
	for _, p := range ready {
		want[p] = true
	}
	srcs = slices.DeleteFunc(srcs, func(s indexer.Source) bool { return !want[s.Path] })
	w.mu.Lock()
	sigOf := map[string]sig{}
	for _, p := range ready {
		sigOf[p] = w.pending[p].sig
	}
	w.mu.Unlock()
	sum, err := w.target.Index(ctx, srcs)
	if err != nil {
		w.setErr(err)
	} else {
		w.setErr(nil)
	}
	if sum == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, fr := range sum.Files {
		s, ok := sigOf[fr.Path]
		if !ok {
			continue
		}
		delete(w.pending, fr.Path)
		if fr.Status == indexer.StatusSkipped {
			h, _ := hashFile(fr.Path)
			w.failures[fr.Path] = failure{sig: s, hash: h, reason: fr.Reason}
			delete(w.applied, fr.Path)
			continue
		}
		delete(w.failures, fr.Path)
		w.applied[fr.Path] = s
	}
	// Ready files the listing did not give (gone between the scan and
	// the listing) are found gone by the next scan.
	return sum
}

func (w *Watcher) setErr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.status.Err = ""
		return
	}
	w.status.Err = err.Error()
	w.opt.Log.Error("watch", "dir", w.dir, "err", err)
}

// hashFile hashes at most the size limit of a file, for failures.
func hashFile(p string) ([32]byte, error) {
	var h [32]byte
	f, err := os.Open(p)
	if err != nil {
		return h, err
	}
	defer f.Close()
	d := sha256.New()
	if _, err := io.Copy(d, io.LimitReader(f, extract.DefaultMaxFileSize+1)); err != nil {
		return h, err
	}
	copy(h[:], d.Sum(nil))
	return h, nil
}

// incompleteWait: a file that looks cut short is waited for up to this
// many stability windows, then indexed anyway (the indexer says what is
// wrong with it).
const incompleteWait = 10

// incomplete reports a file whose format has an end marker that is not
// there yet: a PDF without %%EOF near its end, a zip (docx, odt, ofd)
// without its end of central directory. A copy that stalls longer than
// the stability window would otherwise be indexed half.
func incomplete(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 5)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	tailOf := func(n int64) []byte {
		n = min(n, fi.Size())
		buf := make([]byte, n)
		if _, err := f.ReadAt(buf, fi.Size()-n); err != nil {
			return nil
		}
		return buf
	}
	switch {
	case string(head) == "%PDF-":
		return !bytes.Contains(tailOf(2048), []byte("%%EOF"))
	case string(head[:4]) == "PK\x03\x04":
		return !bytes.Contains(tailOf(66000), []byte("PK\x05\x06"))
	}
	return false
}
