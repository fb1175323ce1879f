// Package bleveindex stores report paragraphs in a bleve index and answers
// search requests over it.
//
// Layout: each paragraph is a bleve document "<report id>-<n>" with its
// stored text and three analysed views of it (see package analysis); each
// report is a document "r:<report id>" holding its metadata as stored JSON
// and the same facet fields. A report is always written in one bleve batch
// (old paragraphs deleted, new ones and the report document added), which
// scorch applies atomically: a search sees the old report or the new one,
// never a mix.
package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/grams"
)

var versionKey = []byte("reportsearch/mapping_version")

// ErrLocked is returned when another process holds the index for writing.
var ErrLocked = errors.New("index is in use by another reportsearch process (a running server or index command); stop it or send the files to the server")

// Index is an open report index. It is safe for concurrent use.
type Index struct {
	idx bleve.Index
	dir string

	// writeMu serialises writes (Put, Delete and the merges they start);
	// searches never wait for it.
	writeMu sync.Mutex
	snapMu  sync.RWMutex
	snap    *snapshot
}

// Open opens the index in dir, creating it when dir does not exist or is
// empty. It loads the segmenter too, so that a missing dictionary is
// reported here rather than as empty analysis later; the dictionary loads
// (about a second) while the index is opened.
func Open(dir string) (ix *Index, err error) {
	dict := make(chan error, 1)
	go func() {
		_, err := analysis.Segmenter()
		dict <- err
	}()
	defer func() {
		if derr := <-dict; derr != nil && err == nil {
			ix.Close()
			ix, err = nil, derr
		}
	}()
	cfg := map[string]interface{}{"bolt_timeout": "3s"}
	var idx bleve.Index
	if exists(dir) {
		idx, err = bleve.OpenUsing(dir, cfg)
		if err != nil {
			if isTimeout(err) {
				return nil, fmt.Errorf("bleveindex: %s: %w", dir, ErrLocked)
			}
			return nil, fmt.Errorf("bleveindex: opening %s: %w", dir, err)
		}
		v, err := idx.GetInternal(versionKey)
		if err != nil {
			idx.Close()
			return nil, fmt.Errorf("bleveindex: reading version of %s: %w", dir, err)
		}
		if string(v) != MappingVersion {
			idx.Close()
			return nil, fmt.Errorf("bleveindex: %s was built with index version %q, this program uses %q: remove the folder and index the reports again", dir, v, MappingVersion)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, fmt.Errorf("bleveindex: %w", err)
		}
		_ = os.Remove(dir) // an empty folder: let bleve create it
		idx, err = bleve.NewUsing(dir, newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
		if err != nil {
			return nil, fmt.Errorf("bleveindex: creating %s: %w", dir, err)
		}
		if err := idx.SetInternal(versionKey, []byte(MappingVersion)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("bleveindex: %w", err)
		}
	}
	ix = &Index{idx: idx, dir: dir}
	if err := ix.loadSnapshot(); err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

func exists(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}

// isTimeout recognises bolt's lock timeout, which bleve wraps as text.
func isTimeout(err error) bool {
	return err != nil && strings.Contains(err.Error(), "timeout")
}

// Dir is the folder of the index.
func (ix *Index) Dir() string { return ix.dir }

// Close closes the index.
func (ix *Index) Close() error {
	ix.snapMu.Lock()
	s := ix.snap
	ix.snap = nil
	ix.snapMu.Unlock()
	if s != nil {
		s.release()
	}
	return ix.idx.Close()
}

func paragraphID(docID string, n int) string { return docID + "-" + strconv.Itoa(n) }
func reportKey(docID string) string          { return "r:" + docID }

// Put writes reports in one batch, replacing any earlier version of each:
// their old paragraphs are deleted and the new ones added atomically, in
// bleve and on the exact-match side (one new grams segment, named by the
// manifest written in the same bleve batch).
func (ix *Index) Put(reports ...search.ReportData) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	cur := ix.acquire()
	defer cur.release()
	man := cur.man.clone()
	b := ix.idx.NewBatch()
	gb := grams.NewBuilder()
	var newDead []uint32
	inBatch := map[string]uint32{}
	for i := range reports {
		rd := &reports[i]
		r := rd.Report
		if r.ID == "" {
			return fmt.Errorf("bleveindex: report %q has no id", r.Path)
		}
		oldParas := 0
		if loc, ok := cur.byID[r.ID]; ok {
			man.Segments[loc.seg].addDead(uint32(loc.idx))
			oldParas = cur.reports[loc.global].Paragraphs
		}
		if idx, ok := inBatch[r.ID]; ok {
			newDead = append(newDead, idx)
			oldParas = max(oldParas, reports[idx].Report.Paragraphs)
		}
		for n := len(rd.Paragraphs) + 1; n <= oldParas; n++ {
			b.Delete(paragraphID(r.ID, n))
		}
		r.Paragraphs, r.Chars = len(rd.Paragraphs), 0
		for _, p := range rd.Paragraphs {
			r.Chars += utf8.RuneCountInString(p.Text)
		}
		meta, err := json.Marshal(r)
		if err != nil {
			return err
		}
		inBatch[r.ID] = gb.AddReport(r.ID, meta)
		for j, p := range rd.Paragraphs {
			doc := map[string]interface{}{fText: p.Text, fSection: p.Section, fHeading: p.Heading}
			// Index replaces a document with the same id, so paragraphs
			// 1..len are overwritten in place within the batch.
			if err := b.Index(paragraphID(r.ID, j+1), doc); err != nil {
				return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
			}
			err := gb.Add(grams.Para{Folded: analysis.FoldString(p.Text), N: uint32(j + 1), Heading: p.Heading})
			if err != nil {
				return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
			}
		}
		doc := map[string]interface{}{fMeta: string(meta)}
		if err := b.Index(reportKey(r.ID), doc); err != nil {
			return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
		}
		rd.Report = r
	}
	var written string
	if len(reports) > 0 {
		file := fmt.Sprintf("%08d.seg", man.Next)
		man.Next++
		written = filepath.Join(ix.dir, gramsDir, file)
		if err := gb.WriteFile(written); err != nil {
			return fmt.Errorf("bleveindex: %w", err)
		}
		man.Segments = append(man.Segments, segEntry{File: file, Dead: newDead})
	}
	if err := ix.commit(b, cur, man); err != nil {
		if written != "" {
			os.Remove(written)
		}
		return err
	}
	ix.merge()
	return nil
}

// commit writes the batch with the new manifest and installs the snapshot
// of the manifest. Segments whose every report is dead leave the manifest.
func (ix *Index) commit(b *bleve.Batch, cur *snapshot, man manifest) error {
	live := man.Segments[:0]
	for _, e := range man.Segments {
		if seg := cur.segment(e.File); seg == nil || len(e.Dead) < len(seg.Reports()) {
			live = append(live, e)
		}
	}
	man.Segments = live
	raw, err := json.Marshal(man)
	if err != nil {
		return err
	}
	b.SetInternal(manifestKey, raw)
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("bleveindex: writing batch: %w", err)
	}
	// Writes are serialised, so this reader shows exactly this batch.
	r, err := ix.reader()
	if err != nil {
		return err
	}
	s, err := newSnapshot(ix.dir, man, cur, r)
	if err != nil {
		return err
	}
	ix.install(s)
	return nil
}

// merge merges segments as long as the merge policy asks for it. The data
// is already safe when it runs, so a failure is logged, not returned: the
// index stays as it was, with more segments.
func (ix *Index) merge() {
	for {
		cur := ix.acquire()
		plan := mergePlan(cur)
		if plan == nil {
			cur.release()
			return
		}
		man := cur.man.clone()
		var srcs []grams.Source
		for _, i := range plan {
			v := cur.segs[i]
			srcs = append(srcs, grams.Source{Seg: v.file.seg, Dead: func(r uint32) bool { return v.global[r] < 0 }})
		}
		file := fmt.Sprintf("%08d.seg", man.Next)
		man.Next++
		path := filepath.Join(ix.dir, gramsDir, file)
		_, err := grams.Merge(path, srcs)
		if err == nil {
			var segs []segEntry
			for i, e := range man.Segments {
				if i == plan[0] {
					segs = append(segs, segEntry{File: file})
				}
				if !slices.Contains(plan, i) {
					segs = append(segs, e)
				}
			}
			man.Segments = segs
			err = ix.commit(ix.idx.NewBatch(), cur, man)
		}
		cur.release()
		if err != nil {
			os.Remove(path)
			log.Printf("reportsearch: merging index segments: %v", err)
			return
		}
	}
}

// Delete removes reports and their paragraphs. Unknown ids are reported
// with search.ErrNotFound after the known ones are deleted.
func (ix *Index) Delete(ids ...string) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	cur := ix.acquire()
	defer cur.release()
	man := cur.man.clone()
	b := ix.idx.NewBatch()
	var missing []string
	for _, id := range ids {
		loc, ok := cur.byID[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		man.Segments[loc.seg].addDead(uint32(loc.idx))
		for n := 1; n <= cur.reports[loc.global].Paragraphs; n++ {
			b.Delete(paragraphID(id, n))
		}
		b.Delete(reportKey(id))
	}
	if err := ix.commit(b, cur, man); err != nil {
		return fmt.Errorf("bleveindex: deleting: %w", err)
	}
	ix.merge()
	if len(missing) > 0 {
		return fmt.Errorf("bleveindex: no report with id %v: %w", missing, search.ErrNotFound)
	}
	return nil
}

// Report returns a report's metadata, or search.ErrNotFound.
func (ix *Index) Report(id string) (*search.Report, error) {
	s := ix.acquire()
	defer s.release()
	loc, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("report %s: %w", id, search.ErrNotFound)
	}
	return s.reports[loc.global], nil
}

// Reports returns all reports' metadata, ordered by year then title.
func (ix *Index) Reports() ([]search.Report, error) {
	s := ix.acquire()
	defer s.release()
	out := make([]search.Report, len(s.reports))
	for i, r := range s.reports {
		out[i] = *r
	}
	sortReports(out)
	return out, nil
}

// Stats summarises the index.
type Stats struct {
	Reports    int `json:"reports"`
	Paragraphs int `json:"paragraphs"`
	Chars      int `json:"chars"`
}

// Stats counts reports and paragraphs.
func (ix *Index) Stats() (Stats, error) {
	rs, err := ix.Reports()
	if err != nil {
		return Stats{}, err
	}
	var s Stats
	for _, r := range rs {
		s.Reports++
		s.Paragraphs += r.Paragraphs
		s.Chars += r.Chars
	}
	return s, nil
}

// Paragraphs returns all paragraphs of a report in order.
func (ix *Index) Paragraphs(ctx context.Context, id string) ([]search.Paragraph, error) {
	s := ix.acquire()
	defer s.release()
	loc, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("report %s: %w", id, search.ErrNotFound)
	}
	n := s.reports[loc.global].Paragraphs
	out := make([]search.Paragraph, 0, n)
	for i := 1; i <= n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := s.stored(paragraphID(id, i))
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, fmt.Errorf("bleveindex: paragraph %d of %s is missing (the index is damaged: index the report again)", i, id)
		}
		out = append(out, search.Paragraph{N: i, Text: f.text, Section: f.section, Heading: f.heading})
	}
	return out, nil
}

// storedFields are a paragraph's stored fields.
type storedFields struct {
	text, section string
	heading       bool
}

// stored loads a paragraph's stored fields from the snapshot's bleve
// reader; nil when there is no such paragraph.
func (s *snapshot) stored(id string) (*storedFields, error) {
	doc, err := s.bleve.Document(id)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: loading %s: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	f := &storedFields{}
	doc.VisitFields(func(fl bleveidx.Field) {
		switch fl.Name() {
		case fText:
			f.text = string(fl.Value())
		case fSection:
			f.section = string(fl.Value())
		case fHeading:
			if b, ok := fl.(bleveidx.BooleanField); ok {
				f.heading, _ = b.Boolean()
			}
		}
	})
	return f, nil
}
