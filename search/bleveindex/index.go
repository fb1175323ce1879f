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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

var versionKey = []byte("reportsearch/mapping_version")

// ErrLocked is returned when another process holds the index for writing.
var ErrLocked = errors.New("index is in use by another reportsearch process (a running server or index command); stop it or send the files to the server")

// Index is an open report index. It is safe for concurrent use.
type Index struct {
	idx bleve.Index
	dir string

	mu      sync.RWMutex
	reports map[string]*search.Report // cache of report metadata by id
}

// Open opens the index in dir, creating it when dir does not exist or is
// empty. It loads the segmenter first so that a missing dictionary is
// reported here rather than as empty analysis later.
func Open(dir string) (*Index, error) {
	if _, err := analysis.Segmenter(); err != nil {
		return nil, err
	}
	cfg := map[string]interface{}{"bolt_timeout": "3s"}
	var idx bleve.Index
	var err error
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
	return &Index{idx: idx, dir: dir, reports: map[string]*search.Report{}}, nil
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
func (ix *Index) Close() error { return ix.idx.Close() }

func paragraphID(docID string, n int) string { return docID + "-" + strconv.Itoa(n) }
func reportKey(docID string) string          { return "r:" + docID }

// Put writes reports in one batch, replacing any earlier version of each:
// their old paragraphs are deleted and the new ones added atomically.
func (ix *Index) Put(reports ...search.ReportData) error {
	b := ix.idx.NewBatch()
	for i := range reports {
		rd := &reports[i]
		r := rd.Report
		if r.ID == "" {
			return fmt.Errorf("bleveindex: report %q has no id", r.Path)
		}
		old, err := ix.Report(r.ID)
		if err != nil && !errors.Is(err, search.ErrNotFound) {
			return err
		}
		if old != nil {
			for n := len(rd.Paragraphs) + 1; n <= old.Paragraphs; n++ {
				b.Delete(paragraphID(r.ID, n))
			}
		}
		r.Paragraphs, r.Chars = len(rd.Paragraphs), 0
		for _, p := range rd.Paragraphs {
			r.Chars += len([]rune(p.Text))
		}
		facets := map[string]interface{}{
			fDocID: r.ID, fYear: float64(r.Year), fRegion: r.Region, fLevel: r.Level,
			fOrg: r.Organization, fDocType: r.DocType,
		}
		for j, p := range rd.Paragraphs {
			doc := map[string]interface{}{
				fKind: kindParagraph, fN: float64(j + 1), fText: p.Text,
				fSection: p.Section, fHeading: p.Heading,
			}
			for k, v := range facets {
				doc[k] = v
			}
			// Index replaces a document with the same id, so paragraphs
			// 1..len are overwritten in place within the batch.
			if err := b.Index(paragraphID(r.ID, j+1), doc); err != nil {
				return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
			}
		}
		meta, err := json.Marshal(r)
		if err != nil {
			return err
		}
		doc := map[string]interface{}{fKind: kindReport, fMeta: string(meta), fChars: float64(r.Chars)}
		for k, v := range facets {
			doc[k] = v
		}
		if err := b.Index(reportKey(r.ID), doc); err != nil {
			return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
		}
		rd.Report = r
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("bleveindex: writing batch: %w", err)
	}
	ix.mu.Lock()
	for i := range reports {
		r := reports[i].Report
		ix.reports[r.ID] = &r
	}
	ix.mu.Unlock()
	return nil
}

// Delete removes reports and their paragraphs. Unknown ids are reported
// with search.ErrNotFound after the known ones are deleted.
func (ix *Index) Delete(ids ...string) error {
	b := ix.idx.NewBatch()
	var missing []string
	for _, id := range ids {
		r, err := ix.Report(id)
		if errors.Is(err, search.ErrNotFound) {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			return err
		}
		for n := 1; n <= r.Paragraphs; n++ {
			b.Delete(paragraphID(id, n))
		}
		b.Delete(reportKey(id))
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("bleveindex: deleting: %w", err)
	}
	ix.mu.Lock()
	for _, id := range ids {
		delete(ix.reports, id)
	}
	ix.mu.Unlock()
	if len(missing) > 0 {
		return fmt.Errorf("bleveindex: no report with id %v: %w", missing, search.ErrNotFound)
	}
	return nil
}

// Report returns a report's metadata, or search.ErrNotFound.
func (ix *Index) Report(id string) (*search.Report, error) {
	ix.mu.RLock()
	r, ok := ix.reports[id]
	ix.mu.RUnlock()
	if ok {
		return r, nil
	}
	doc, err := ix.idx.Document(reportKey(id))
	if err != nil {
		return nil, fmt.Errorf("bleveindex: loading report %s: %w", id, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("report %s: %w", id, search.ErrNotFound)
	}
	var meta []byte
	doc.VisitFields(func(f bleveidx.Field) {
		if f.Name() == fMeta {
			meta = append([]byte(nil), f.Value()...)
		}
	})
	r = new(search.Report)
	if err := json.Unmarshal(meta, r); err != nil {
		return nil, fmt.Errorf("bleveindex: report %s: bad metadata: %w", id, err)
	}
	ix.mu.Lock()
	ix.reports[id] = r
	ix.mu.Unlock()
	return r, nil
}

// Reports returns all reports' metadata, ordered by year then title.
func (ix *Index) Reports() ([]search.Report, error) {
	q := bleve.NewTermQuery(kindReport)
	q.SetField(fKind)
	total := 0
	var out []search.Report
	for {
		req := bleve.NewSearchRequestOptions(q, 1000, total, false)
		req.Fields = []string{fMeta}
		res, err := ix.idx.Search(req)
		if err != nil {
			return nil, fmt.Errorf("bleveindex: listing reports: %w", err)
		}
		for _, h := range res.Hits {
			var r search.Report
			if s, ok := h.Fields[fMeta].(string); ok && json.Unmarshal([]byte(s), &r) == nil {
				out = append(out, r)
			}
		}
		total += len(res.Hits)
		if len(res.Hits) == 0 || uint64(total) >= res.Total {
			break
		}
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
	r, err := ix.Report(id)
	if err != nil {
		return nil, err
	}
	idq := bleve.NewTermQuery(id)
	idq.SetField(fDocID)
	kq := bleve.NewTermQuery(kindParagraph)
	kq.SetField(fKind)
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(idq, kq), r.Paragraphs+1, 0, false)
	req.Fields = []string{fN, fText, fSection, fHeading}
	req.SortBy([]string{fN})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: paragraphs of %s: %w", id, err)
	}
	out := make([]search.Paragraph, 0, len(res.Hits))
	for _, h := range res.Hits {
		n, _ := h.Fields[fN].(float64)
		text, _ := h.Fields[fText].(string)
		section, _ := h.Fields[fSection].(string)
		heading, _ := h.Fields[fHeading].(bool)
		out = append(out, search.Paragraph{N: int(n), Text: text, Section: section, Heading: heading})
	}
	return out, nil
}
