package memindex

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// FileName is the file in an index folder that holds every report.
const FileName = "memindex.json"

// FormatVersion is the version of the file's layout; a file of another
// version is refused.
//
// Changelog:
//
//	1: {"version": 1, "reports": [{"Report": {…}, "Paragraphs": [{…}]}]}
//	   in report id order.
const FormatVersion = 1

// file is the layout of FileName.
type file struct {
	Version int                 `json:"version"`
	Reports []search.ReportData `json:"reports"`
}

// ErrClosed is returned by an index after Close.
var ErrClosed = errors.New("memindex: the index is closed")

// Index is an in-memory index persisted to one file. It is safe for
// concurrent use.
type Index struct {
	dir string
	// writeMu serialises writes; searches never wait for it.
	writeMu sync.Mutex
	mu      sync.RWMutex
	snap    *snapshot // nil once closed
}

// snapshot is one version of the index. It is never changed once
// installed: a write builds a new one, sharing the reports it keeps.
type snapshot struct {
	// reports in id order; a report's position is its number g in
	// per-report counts and in facets.
	reports []*report
	byID    map[string]*report
	facets  *search.ReportFacets
	// text is the folded text of every paragraph, in reading order, each
	// followed by a NUL, for finding a term in one scan (see contains);
	// starts[p] is where paragraph p (numbered over the snapshot) starts,
	// and owner[p] its report. starts has one more entry: len(text).
	text   string
	starts []int
	owner  []int32
	// first[g] is the number of report g's first paragraph.
	first []int
	// results are the last few hit sets.
	results resultCache
}

// report is one stored report, shared by the snapshots that hold it.
type report struct {
	meta   search.Report
	paras  []search.Paragraph // numbered 1..n
	folded []string           // analysis.FoldString of each paragraph
	chars  []int              // characters of each paragraph
}

// Open opens the index in dir, creating the folder when it does not
// exist; an index without a file is empty.
func Open(dir string) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("memindex: %w", err)
	}
	// Temporary files of writes that did not finish.
	if stale, err := filepath.Glob(filepath.Join(dir, FileName+".tmp-*")); err == nil {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	var f file
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("memindex: %w", err)
	default:
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, fmt.Errorf("memindex: %s: %w (the file is damaged: remove it and index the reports again)", filepath.Join(dir, FileName), err)
		}
		if f.Version != FormatVersion {
			return nil, fmt.Errorf("memindex: %s has format version %d, this program uses %d: remove it and index the reports again", filepath.Join(dir, FileName), f.Version, FormatVersion)
		}
	}
	byID := map[string]*report{}
	for _, rd := range f.Reports {
		r, err := newReport(rd)
		if err != nil {
			return nil, err
		}
		byID[r.meta.ID] = r
	}
	return &Index{dir: dir, snap: newSnapshot(byID)}, nil
}

// newReport stores a report: its paragraphs copied and numbered by
// position, folded, and counted into its metadata.
func newReport(rd search.ReportData) (*report, error) {
	if rd.Report.ID == "" {
		return nil, fmt.Errorf("memindex: report %q has no id", rd.Report.Path)
	}
	rd.Paragraphs = slices.Clone(rd.Paragraphs)
	rd.Report.Inferred = slices.Clone(rd.Report.Inferred)
	rd.Count()
	r := &report{meta: rd.Report, paras: rd.Paragraphs, folded: make([]string, len(rd.Paragraphs)), chars: make([]int, len(rd.Paragraphs))}
	for i := range r.paras {
		r.paras[i].N = i + 1
		r.folded[i] = analysis.FoldString(r.paras[i].Text)
		r.chars[i] = utf8.RuneCountInString(r.paras[i].Text)
	}
	return r, nil
}

func newSnapshot(byID map[string]*report) *snapshot {
	s := &snapshot{byID: byID, reports: make([]*report, 0, len(byID))}
	for _, r := range byID {
		s.reports = append(s.reports, r)
	}
	slices.SortFunc(s.reports, func(a, b *report) int { return strings.Compare(a.meta.ID, b.meta.ID) })
	metas := make([]*search.Report, len(s.reports))
	var text strings.Builder
	for g, r := range s.reports {
		metas[g] = &r.meta
		s.first = append(s.first, len(s.starts))
		for _, f := range r.folded {
			s.starts = append(s.starts, text.Len())
			s.owner = append(s.owner, int32(g))
			text.WriteString(f)
			text.WriteByte(0)
		}
	}
	s.text = text.String()
	s.starts = append(s.starts, len(s.text))
	s.facets = search.NewReportFacets(metas)
	return s
}

// acquire returns the current snapshot.
func (ix *Index) acquire() (*snapshot, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.snap == nil {
		return nil, ErrClosed
	}
	return ix.snap, nil
}

// Close closes the index; everything written is already in its file.
func (ix *Index) Close() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.snap = nil
	return nil
}

// Put adds or replaces reports in one step: the new version of the index
// is written to the file, then searches see it (each search sees one
// version). The same id twice: the last version wins.
func (ix *Index) Put(reports ...search.ReportData) error {
	return ix.write(func(byID map[string]*report) error {
		for _, rd := range reports {
			r, err := newReport(rd)
			if err != nil {
				return err
			}
			byID[r.meta.ID] = r
		}
		return nil
	})
}

// Delete removes reports. Unknown ids are reported with
// search.ErrNotFound after the known ones are deleted.
func (ix *Index) Delete(ids ...string) error {
	var missing []string
	err := ix.write(func(byID map[string]*report) error {
		for _, id := range ids {
			if _, ok := byID[id]; !ok {
				if !slices.Contains(missing, id) {
					missing = append(missing, id)
				}
				continue
			}
			delete(byID, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("memindex: no report with id %v: %w", missing, search.ErrNotFound)
	}
	return nil
}

// write applies change to a copy of the current reports, persists the
// result and installs it as the new snapshot.
func (ix *Index) write(change func(byID map[string]*report) error) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	cur, err := ix.acquire()
	if err != nil {
		return err
	}
	byID := make(map[string]*report, len(cur.byID))
	for id, r := range cur.byID {
		byID[id] = r
	}
	if err := change(byID); err != nil {
		return err
	}
	next := newSnapshot(byID)
	if err := ix.persist(next); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.snap = next
	ix.mu.Unlock()
	return nil
}

// persist writes a snapshot's reports to the index file atomically: a
// temporary file in the same folder, synced, then renamed over the file,
// and the folder synced.
func (ix *Index) persist(s *snapshot) (err error) {
	f := file{Version: FormatVersion, Reports: make([]search.ReportData, len(s.reports))}
	for i, r := range s.reports {
		f.Reports[i] = search.ReportData{Report: r.meta, Paragraphs: r.paras}
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("memindex: %w", err)
	}
	tmp, err := os.CreateTemp(ix.dir, FileName+".tmp-*")
	if err != nil {
		return fmt.Errorf("memindex: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("memindex: writing %s: %w", filepath.Join(ix.dir, FileName), err)
		}
	}()
	if _, err = tmp.Write(raw); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), filepath.Join(ix.dir, FileName)); err != nil {
		return err
	}
	return syncDir(ix.dir)
}

// syncDir makes a rename in dir durable. Where folders cannot be synced
// (Windows), it does nothing.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return err
	}
	return nil
}

// Report returns a report's metadata, or search.ErrNotFound.
func (ix *Index) Report(id string) (*search.Report, error) {
	s, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	r, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("report %s: %w", id, search.ErrNotFound)
	}
	meta := r.meta
	meta.Inferred = slices.Clone(meta.Inferred)
	return &meta, nil
}

// Reports returns every report's metadata, ordered by year, title and id.
func (ix *Index) Reports() ([]search.Report, error) {
	s, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	out := make([]search.Report, len(s.reports))
	for i, r := range s.reports {
		out[i] = r.meta
		out[i].Inferred = slices.Clone(r.meta.Inferred)
	}
	search.SortReports(out, search.SortYear)
	return out, nil
}

var _ search.Backend = (*Index)(nil)
