package bleveindex

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	bleveidx "github.com/blevesearch/bleve_index_api"

	"reportsearch/search"
	"reportsearch/search/grams"
)

// The exact-match side of the index: grams segments (package grams) in
// the folder "grams" inside the bleve folder. Which segment files are live,
// and which of their reports were replaced or deleted since they were
// written, is the manifest, stored as a bleve internal value. Every write
// changes the paragraphs in bleve and the manifest in the same bleve
// batch, which scorch applies and persists atomically; a segment file is
// written and synced before the batch that names it, and files that no
// manifest names (left by a crash) are removed when the index is opened.

var manifestKey = []byte("reportsearch/grams_manifest")

const gramsDir = "grams"

type manifest struct {
	// Next numbers the next segment file.
	Next     int        `json:"next"`
	Segments []segEntry `json:"segments"`
}

type segEntry struct {
	File string `json:"file"`
	// Dead lists the segment's reports (by index) that were replaced or
	// deleted after it was written.
	Dead []uint32 `json:"dead,omitempty"`
}

func (e *segEntry) addDead(idx uint32) {
	if !slices.Contains(e.Dead, idx) {
		e.Dead = append(e.Dead, idx)
	}
}

func (m manifest) clone() manifest {
	out := manifest{Next: m.Next, Segments: make([]segEntry, len(m.Segments))}
	for i, e := range m.Segments {
		out.Segments[i] = segEntry{File: e.File, Dead: slices.Clone(e.Dead)}
	}
	return out
}

// segFile is an open segment shared by the snapshots that include it; the
// last one to let go unmaps it, and removes the file once no manifest
// names it any more.
type segFile struct {
	seg  *grams.Segment
	path string
	// reports is the segment's report metadata, decoded once when the
	// file is opened: every write makes a new snapshot that reuses it.
	reports  []*search.Report
	refs     atomic.Int32
	obsolete atomic.Bool
	// cache holds the segment's term entries (see termCache); they are
	// dropped when the segment is closed.
	cache *termCache
}

// openSegFile opens a segment file and decodes its reports' metadata.
func openSegFile(path string) (*segFile, error) {
	seg, err := grams.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w (the index is damaged: remove the folder and index the reports again)", err)
	}
	f := &segFile{seg: seg, path: path, reports: make([]*search.Report, len(seg.Reports()))}
	for i, r := range seg.Reports() {
		f.reports[i] = new(search.Report)
		if err := json.Unmarshal(r.Meta, f.reports[i]); err != nil {
			seg.Close()
			return nil, fmt.Errorf("bleveindex: report %s: bad metadata: %w", r.ID, err)
		}
	}
	return f, nil
}

func (f *segFile) release() {
	if f.refs.Add(-1) == 0 {
		f.cache.drop(f)
		f.seg.Close()
		if f.obsolete.Load() {
			os.Remove(f.path)
		}
	}
}

// snapshot is an immutable view of the index: the live grams segments,
// for every live report its metadata and a global number, and the bleve
// reader of the same moment. Every read of one search or listing goes
// through one snapshot, so that the text shown is the version that
// matched even while a report is being replaced.
type snapshot struct {
	man   manifest
	segs  []*segView
	bleve bleveidx.IndexReader
	// reports by global number, and their numbers in two orders used for
	// ties and sorting: by id, and by year then id.
	reports  []*search.Report
	idRank   []int32
	yearRank []int32
	byID     map[string]reportLoc
	paras    int
	// facets numbers the facet values of the reports, so that a
	// search's facets are counted from its per-report counts.
	facets *search.ReportFacets
	// terms is the index's term cache, passed on from snapshot to
	// snapshot.
	terms *termCache
	// wordDFs caches the word field's document frequencies of stage
	// two's words (see wordDF), nWordDFs counts them.
	wordDFs  sync.Map
	nWordDFs atomic.Int64
	// oneFacets caches the facets of one-term searches by term and
	// filter (see result.facets), nOneFacets counts them.
	oneFacets  sync.Map
	nOneFacets atomic.Int64
	refs       atomic.Int32
}

type segView struct {
	file *segFile
	// global maps the segment's report indexes to global report numbers,
	// -1 for a dead report.
	global []int32
	// dead is whether any of the segment's reports is dead.
	dead bool
}

type reportLoc struct {
	seg, idx int
	global   int32
}

func (s *snapshot) release() {
	if s.refs.Add(-1) == 0 {
		for _, v := range s.segs {
			v.file.release()
		}
		s.bleve.Close()
	}
}

// newSnapshot builds the snapshot of a manifest, taking over the bleve
// reader r (which must show the same writes). Segments already open in
// prev are shared; others are opened.
func newSnapshot(dir string, man manifest, prev *snapshot, r bleveidx.IndexReader, rank *ranker) (*snapshot, error) {
	open := map[string]*segFile{}
	if prev != nil {
		for _, v := range prev.segs {
			open[v.file.path] = v.file
		}
	}
	s := &snapshot{man: man, bleve: r, byID: map[string]reportLoc{}}
	if prev != nil {
		s.terms = prev.terms
	} else {
		s.terms = newTermCache(termCacheBytes, rank)
	}
	s.refs.Store(1)
	fail := func(err error) (*snapshot, error) {
		for _, v := range s.segs {
			v.file.release()
		}
		r.Close()
		return nil, err
	}
	for si, e := range man.Segments {
		path := filepath.Join(dir, gramsDir, e.File)
		f := open[path]
		if f == nil {
			var err error
			if f, err = openSegFile(path); err != nil {
				return fail(err)
			}
			f.cache = s.terms
		}
		f.refs.Add(1)
		dead := make(map[uint32]bool, len(e.Dead))
		for _, d := range e.Dead {
			dead[d] = true
		}
		v := &segView{file: f, global: make([]int32, len(f.seg.Reports()))}
		s.segs = append(s.segs, v)
		for ri, r := range f.seg.Reports() {
			if dead[uint32(ri)] {
				v.global[ri] = -1
				v.dead = true
				continue
			}
			g := int32(len(s.reports))
			v.global[ri] = g
			s.reports = append(s.reports, f.reports[ri])
			s.byID[r.ID] = reportLoc{seg: si, idx: ri, global: g}
			s.paras += int(r.Count)
		}
	}
	s.facets = search.NewReportFacets(s.reports)
	s.idRank = ranks(s.reports, func(a, b *search.Report) int { return strings.Compare(a.ID, b.ID) })
	s.yearRank = ranks(s.reports, func(a, b *search.Report) int {
		if c := cmp.Compare(a.Year, b.Year); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return s, nil
}

// ranks returns each report's position in the order cmp.
func ranks(rs []*search.Report, cmp func(a, b *search.Report) int) []int32 {
	order := make([]int32, len(rs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp(rs[a], rs[b]) })
	out := make([]int32, len(rs))
	for pos, g := range order {
		out[g] = int32(pos)
	}
	return out
}

// acquire returns the current snapshot, which the caller must release.
func (ix *Index) acquire() *snapshot {
	ix.snapMu.RLock()
	s := ix.snap
	s.refs.Add(1)
	ix.snapMu.RUnlock()
	return s
}

// install makes s current and releases the previous snapshot; segment
// files of the previous manifest that s does not name become obsolete.
func (ix *Index) install(s *snapshot) {
	ix.snapMu.Lock()
	old := ix.snap
	ix.snap = s
	ix.snapMu.Unlock()
	if old == nil {
		return
	}
	keep := map[*segFile]bool{}
	for _, v := range s.segs {
		keep[v.file] = true
	}
	for _, v := range old.segs {
		if !keep[v.file] {
			v.file.obsolete.Store(true)
		}
	}
	old.release()
}

// reader returns a bleve reader of the index's current state.
func (ix *Index) reader() (bleveidx.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	return r, nil
}

// loadSnapshot reads the manifest from bleve, opens its segments and
// removes segment files it does not name.
func (ix *Index) loadSnapshot() error {
	gdir := filepath.Join(ix.dir, gramsDir)
	if err := os.MkdirAll(gdir, 0o755); err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	r, err := ix.reader()
	if err != nil {
		return err
	}
	var man manifest
	raw, err := r.GetInternal(manifestKey)
	if err != nil {
		r.Close()
		return fmt.Errorf("bleveindex: reading the manifest: %w", err)
	}
	if raw != nil {
		if err := json.Unmarshal(raw, &man); err != nil {
			r.Close()
			return fmt.Errorf("bleveindex: bad manifest: %w", err)
		}
	}
	named := map[string]bool{}
	for _, e := range man.Segments {
		named[e.File] = true
	}
	entries, err := os.ReadDir(gdir)
	if err != nil {
		r.Close()
		return fmt.Errorf("bleveindex: %w", err)
	}
	for _, e := range entries {
		if !named[e.Name()] {
			os.Remove(filepath.Join(gdir, e.Name()))
		}
	}
	s, err := newSnapshot(ix.dir, man, nil, r, ix.rank)
	if err != nil {
		return err
	}
	ix.fileSeq.Store(int64(man.Next))
	ix.install(s)
	return nil
}

// Merge policy: segments are grouped in levels by live size (powers of
// mergeFactor above mergeBase paragraphs); a level with mergeFactor
// segments is merged into one, so each paragraph is rewritten about
// log_mergeFactor(total/mergeBase) times. A segment with more dead than
// live paragraphs is rewritten on its own.
const (
	mergeFactor = 10
	mergeBase   = 4000
)

// mergePlan returns the indexes of segments to merge, or nil.
func mergePlan(s *snapshot) []int {
	levels := map[int][]int{}
	for i, v := range s.segs {
		live, total := 0, v.file.seg.Len()
		for ri, r := range v.file.seg.Reports() {
			if v.global[ri] >= 0 {
				live += int(r.Count)
			}
		}
		if total > 0 && live*2 < total {
			return []int{i}
		}
		lvl := 0
		if live > mergeBase {
			lvl = int(math.Log(float64(live)/mergeBase)/math.Log(mergeFactor)) + 1
		}
		levels[lvl] = append(levels[lvl], i)
		if len(levels[lvl]) >= mergeFactor {
			return levels[lvl]
		}
	}
	return nil
}

// segment returns the open segment of a file name, or nil.
func (s *snapshot) segment(file string) *grams.Segment {
	for i, e := range s.man.Segments {
		if e.File == file {
			return s.segs[i].file.seg
		}
	}
	return nil
}
