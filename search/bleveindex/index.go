// Package bleveindex is the report index: paragraphs in bleve, exact
// matching in grams segments beside it (package grams), and the search,
// research and export features over both.
//
// Layout: each paragraph is a bleve document "<report id>-<n>" with its
// stored section, its gse words (the word field) and what turns the grams
// segment's folded text back into its text (unfold.go); each report is a document "r:<report id>"
// holding its metadata as stored JSON. The grams segments in the folder
// "grams" hold the folded text, heading flags and character-pair postings
// of the same paragraphs (so the text is stored once), and which of
// them are live is a manifest stored in bleve (snapshot.go). A batch of
// reports is always written in one bleve batch — old paragraphs deleted,
// new ones, the report documents and the new manifest added — which scorch
// applies atomically; a search reads one snapshot (the grams view and the
// bleve reader of the same moment), so it sees the old report or the new
// one, never a mix.
package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
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
	// fileSeq numbers new segment files (the manifest's Next when the
	// index was opened, then counting up).
	fileSeq atomic.Int64
	// reads counts the searches running now (see yieldToReads).
	reads atomic.Int64
	// pause is how a throttled writer goroutine waits (a test replaces it).
	pause func()
	// gramsMerges and gramsMerged count the grams merges since the index
	// was opened and the segments they merged (SegmentStats).
	gramsMerges, gramsMerged atomic.Uint64

	dictFields // the user dictionary and generations (dict.go)

	// rank is the ranking of relevance searches (Options.Ranking), fixed
	// when the index is opened.
	rank *ranker
}

// Options are the settings of an opened index.
type Options struct {
	// Ranking is the relevance ranking (DefaultRanking unless tuning).
	Ranking Ranking
}

// beginRead marks a search as running until the returned func is called.
func (ix *Index) beginRead() func() {
	ix.reads.Add(1)
	return func() { ix.reads.Add(-1) }
}

// Writes give way to reads: while searches are running, every analysis
// worker but the first pauses before each paragraph, up to maxYield
// pauses of yieldPause, and the first up to maxYieldFirst, so that a
// rebuild on a machine with few cores leaves searches most of the CPU
// instead of queueing them behind gse (the rebuild goes on slowly
// meanwhile, and at full speed as soon as the searches stop). Each pause
// is bounded: a write always progresses. The indexer's file parsing asks
// the same of YieldToReads.
const (
	yieldPause    = 250 * time.Microsecond
	maxYield      = 20
	maxYieldFirst = 4
)

// YieldToReads is yieldToReads for the writer's other background work
// (the indexer parses files ahead of the writer): it pauses like an
// analysis worker that is not the first.
func (ix *Index) YieldToReads() { ix.yieldToReads(1) }

// ReadsRunning tells whether searches are running now: a writer that
// serves them commits smaller batches (see indexer.Run), so that each
// of bleve's segment builds, which cannot pause, is short.
func (ix *Index) ReadsRunning() bool { return ix.reads.Load() > 0 }

// maxRest bounds restAfter's pause.
const maxRest = 100 * time.Millisecond

// restAfter gives way to reads after work of the writer that could not
// pause while it ran (bleve's segment building in a batch, a merge): as
// long as searches run, it waits about as long as the work took (at most
// maxRest), so that such work takes at most about half of a core's time
// from searches. It returns at once when no search runs.
func (ix *Index) restAfter(work time.Duration) {
	rest := min(work, maxRest)
	for t := time.Duration(0); t < rest && ix.reads.Load() > 0; t += 4 * yieldPause {
		if ix.pause != nil {
			ix.pause()
		} else {
			time.Sleep(4 * yieldPause)
		}
	}
}

func (ix *Index) yieldToReads(worker int) {
	n := maxYield
	if worker == 0 {
		n = maxYieldFirst
	}
	for i := 0; i < n && ix.busy(); i++ {
		if ix.pause != nil {
			ix.pause()
		} else {
			time.Sleep(yieldPause)
		}
	}
}

// Open opens the index in dir, creating it when dir does not exist or is
// empty. It loads the segmenter too, so that a missing dictionary is
// reported here rather than as empty analysis later; the dictionary loads
// (about a second) while the index is opened. It ranks with
// DefaultRanking.
func Open(dir string) (*Index, error) {
	return OpenWith(dir, Options{Ranking: DefaultRanking()})
}

// OpenWith is Open with options.
func OpenWith(dir string, o Options) (ix *Index, err error) {
	if err := o.Ranking.validate(); err != nil {
		return nil, err
	}
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
	if !exists(dir) {
		if err := create(dir); err != nil {
			return nil, err
		}
	}
	data, gen, err := activeData(dir)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.OpenUsing(data, openConfig())
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
	ix = &Index{idx: idx, dir: data, rank: newRanker(o.Ranking)}
	if err := ix.loadSnapshot(); err != nil {
		idx.Close()
		return nil, err
	}
	if err := ix.openDict(dir, gen); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// openConfig returns bleve's run-time configuration, a new map each time:
// bleve writes the store's path into the map it is given.
func openConfig() map[string]interface{} {
	return map[string]interface{}{"bolt_timeout": "3s"}
}

// create makes a new, empty index at dir in one step: it is built with
// its version in a sibling folder, which is then renamed into place, so a
// crash while creating leaves either no index or a complete one (bleve
// writes its metadata, store and mapping separately). Folders of earlier
// creations that crashed are removed.
func create(dir string) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	prefix := filepath.Base(dir) + ".creating-"
	if stale, err := filepath.Glob(filepath.Join(parent, prefix+"*")); err == nil {
		for _, d := range stale {
			os.RemoveAll(d)
		}
	}
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename
	os.Remove(tmp)          // bleve creates the folder itself
	idx, err := bleve.NewUsing(tmp, newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, openConfig())
	if err != nil {
		return fmt.Errorf("bleveindex: creating %s: %w", dir, err)
	}
	err = idx.SetInternal(versionKey, []byte(MappingVersion))
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.MkdirAll(filepath.Join(tmp, gramsDir), 0o755)
	}
	if err != nil {
		return fmt.Errorf("bleveindex: creating %s: %w", dir, err)
	}
	os.Remove(dir) // an empty folder given as the index: make room
	if err := os.Rename(tmp, dir); err != nil {
		if exists(dir) {
			return nil // another process created it meanwhile
		}
		return fmt.Errorf("bleveindex: creating %s: %w", dir, err)
	}
	return grams.SyncDir(parent)
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
func (ix *Index) Dir() string { return ix.root }

// Close closes the index.
func (ix *Index) Close() error {
	ix.stopRebuild()
	ix.snapMu.Lock()
	s := ix.snap
	ix.snap = nil
	ix.snapMu.Unlock()
	if s != nil {
		s.release()
	}
	err := ix.idx.Close()
	ix.retiring.Wait()
	return err
}

func paragraphID(docID string, n int) string { return search.ParagraphID(docID, n) }
func reportKey(docID string) string          { return "r:" + docID }

// Put writes reports in one batch, replacing any earlier version of each:
// their old paragraphs are deleted and the new ones added atomically, in
// bleve and on the exact-match side (one new grams segment, named by the
// manifest written in the same bleve batch). It is Prepare then Commit.
func (ix *Index) Put(reports ...search.ReportData) error {
	p, err := ix.prepare(reports)
	if err != nil {
		return err
	}
	return ix.commitPrepared(p)
}

var _ search.BatchPreparer = (*Index)(nil)

// Prepare implements search.BatchPreparer; see prepare.
func (ix *Index) Prepare(reports ...search.ReportData) (search.PreparedBatch, error) {
	return ix.prepare(reports)
}

// Commit implements search.BatchPreparer; see commitPrepared.
func (ix *Index) Commit(b search.PreparedBatch) error {
	p, ok := b.(*prepared)
	if !ok {
		return fmt.Errorf("bleveindex: Commit of %T, not a batch from Prepare", b)
	}
	return ix.commitPrepared(p)
}

// prepared is a batch of reports whose grams segment is written but not
// yet part of the index.
type prepared struct {
	reports []search.ReportData
	metas   [][]byte
	docs    [][]*document.Document // per report, its analysed paragraph documents
	folded  [][]string             // per report, its paragraphs' folded text (while preparing)
	file    string                 // segment file name, "" for an empty batch
	seq     int
	dead    []uint32 // earlier copies of a report given twice
	gen     int      // the generation it was prepared for
}

// prepare does the part of Put that needs no lock — folding the text and
// building and writing the batch's grams segment — so that a writer can
// prepare the next batch while the previous one commits. A prepared batch
// must be committed (or it is an orphan file, removed when the index is
// next opened); batches apply in the order they are committed.
func (ix *Index) prepare(reports []search.ReportData) (*prepared, error) {
	ix.genMu.RLock()
	defer ix.genMu.RUnlock()
	p := &prepared{reports: reports, gen: ix.gen}
	// Each paragraph is folded once, for both sides: the grams segment
	// holds the folded text, and the word field is analysed from it.
	p.folded = make([][]string, len(reports))
	for i := range reports {
		paras := reports[i].Paragraphs
		p.folded[i] = make([]string, len(paras))
		for j := range paras {
			p.folded[i][j] = analysis.FoldString(paras[j].Text)
		}
	}
	// The paragraphs' bleve documents are mapped and analysed here, by
	// a few goroutines while this one builds the grams segment, instead
	// of inside bleve's Batch: the commit of the previous batch then
	// overlaps with the gse segmentation of this one.
	analysed := make(chan error, 1)
	go func() { analysed <- ix.analyse(p) }()
	gb := grams.NewBuilder()
	inBatch := map[string]uint32{}
	for i := range reports {
		ix.yieldToReads(1)
		rd := &reports[i]
		r := &rd.Report
		if r.ID == "" {
			return nil, fmt.Errorf("bleveindex: report %q has no id", r.Path)
		}
		if idx, ok := inBatch[r.ID]; ok {
			p.dead = append(p.dead, idx)
		}
		rd.Count()
		meta, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		p.metas = append(p.metas, meta)
		inBatch[r.ID] = gb.AddReport(r.ID, meta)
		for j, para := range rd.Paragraphs {
			err := gb.Add(grams.Para{Folded: p.folded[i][j], N: uint32(j + 1), Heading: para.Heading})
			if err != nil {
				return nil, fmt.Errorf("bleveindex: %s: %w", r.Path, err)
			}
		}
	}
	if err := <-analysed; err != nil {
		return nil, err
	}
	p.folded = nil
	if len(reports) > 0 {
		p.seq = int(ix.fileSeq.Add(1) - 1)
		p.file = fmt.Sprintf("%08d.seg", p.seq)
		if err := gb.WriteFile(filepath.Join(ix.dir, gramsDir, p.file)); err != nil {
			return nil, fmt.Errorf("bleveindex: %w", err)
		}
	}
	return p, nil
}

// analyse maps every paragraph of a batch to its bleve document through
// the index mapping and runs the fields' analysis (the registered word
// analyzer) on all cores.
func (ix *Index) analyse(p *prepared) error {
	p.docs = make([][]*document.Document, len(p.reports))
	type job struct{ r, j int }
	jobs := make(chan job, 256)
	errs := make(chan error, analyseWorkers)
	dict := ix.wordDict()
	for w := range analyseWorkers {
		go func() {
			var err error
			for jb := range jobs {
				if err != nil {
					continue
				}
				ix.yieldToReads(w)
				rd := &p.reports[jb.r]
				para := rd.Paragraphs[jb.j]
				doc := document.NewDocument(paragraphID(rd.Report.ID, jb.j+1))
				// The text is not stored again: the grams segment holds
				// its folded text (and its heading flag), and bleve what
				// unfolds it (unfold.go; the text itself for the rare
				// text that cannot be unfolded).
				folded := p.folded[jb.r][jb.j]
				data := map[string]interface{}{fWordSource: folded, fSection: para.Section}
				if folded != para.Text {
					if patch, ok := unfoldPatch(para.Text, folded); ok {
						data[fUnfold] = string(patch)
					} else {
						data[fText] = para.Text
					}
				}
				if err = ix.idx.Mapping().MapDocument(doc, data); err != nil {
					err = fmt.Errorf("bleveindex: %s: %w", rd.Report.Path, err)
					continue
				}
				for i, f := range doc.Fields {
					if tf, ok := f.(*document.TextField); ok && f.Name() == fWord {
						var af analysedField
						if af, err = analyseWords(tf, dict, folded); err != nil {
							err = fmt.Errorf("bleveindex: %s: %w", rd.Report.Path, err)
							break
						}
						doc.Fields[i] = af
					}
				}
				p.docs[jb.r][jb.j] = doc
			}
			errs <- err
		}()
	}
	for r := range p.reports {
		p.docs[r] = make([]*document.Document, len(p.reports[r].Paragraphs))
		for j := range p.reports[r].Paragraphs {
			jobs <- job{r, j}
		}
	}
	close(jobs)
	var first error
	for range analyseWorkers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// analyseWorkers is how many goroutines analyse a batch's paragraphs.
var analyseWorkers = max(2, runtime.NumCPU())

// analysedField is the word field analysed in advance: bleve's Batch
// calls Analyze on every indexed field, which here keeps the result. It
// also calls Size on every document, one after the other, for its memory
// statistics only; the field's own Size walks every term of the analysis
// (4 % of the CPU of indexing, on the single-threaded commit), so the
// field answers an estimate made when it was analysed.
type analysedField struct {
	*document.TextField
	freqs  bleveidx.TokenFrequencies
	length int
	size   int
}

func (analysedField) Analyze() {}

func (f analysedField) AnalyzedTokenFrequencies() bleveidx.TokenFrequencies { return f.freqs }
func (f analysedField) AnalyzedLength() int                                 { return f.length }
func (f analysedField) Size() int                                           { return f.size }

// analyseWords analyses the word field tf, whose value is the folded
// text, with dict: the terms of analysis.Tokens (with their frequencies
// unless the field skips them, as it does: see newMapping), as the
// registered word analyzer and bleve's TextField.Analyze would give them — but from the folded
// text at hand without folding it again, with map keys that are slices
// of one string instead of a string each, and the frequencies in one
// allocation. TestWordFieldEqualsTokens holds the result to Tokens.
func analyseWords(tf *document.TextField, dict *analysis.Dict, folded string) (analysedField, error) {
	opts := tf.Options()
	if opts.IncludeTermVectors() {
		return analysedField{}, fmt.Errorf("bleveindex: field %s: analysing in advance keeps no term vectors", tf.Name())
	}
	toks, err := dict.TokensFolded(tf.Value())
	if err != nil {
		return analysedField{}, err
	}
	freqs := make(bleveidx.TokenFrequencies, len(toks))
	backing := make([]bleveidx.TokenFreq, 0, len(toks))
	for _, t := range toks {
		term := folded[t.Start:t.End]
		f, ok := freqs[term]
		if !ok {
			backing = append(backing, bleveidx.TokenFreq{Term: t.Term})
			f = &backing[len(backing)-1]
			freqs[term] = f
		}
		if !opts.SkipFreqNorm() {
			f.SetFrequency(f.Frequency() + 1)
		}
	}
	return analysedField{TextField: tf, freqs: freqs, length: len(toks), size: analysedSize(tf.Name(), len(tf.Value()), len(freqs))}, nil
}

// analysedSize estimates the memory of an analysed text field: its text
// and, for each distinct term, a TokenFreq and its map entry.
func analysedSize(name string, value, terms int) int {
	const perTerm = 96
	return 128 + len(name) + value + perTerm*terms
}

// commitPrepared writes a prepared batch: the paragraphs to bleve and the
// manifest naming its segment in one bleve batch, replacing earlier
// versions of its reports; then it merges segments if the policy asks.
func (ix *Index) commitPrepared(p *prepared) (err error) {
	defer func() {
		if err != nil && p.file != "" {
			os.Remove(filepath.Join(ix.dir, gramsDir, p.file))
		}
	}()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if p, err = ix.staleBatch(p); err != nil {
		return err
	}
	cur := ix.acquire()
	defer cur.release()
	man := cur.man.clone()
	b := ix.idx.NewBatch()
	for i := range p.reports {
		rd := &p.reports[i]
		r := rd.Report
		oldParas := 0
		if loc, ok := cur.byID[r.ID]; ok {
			man.Segments[loc.seg].addDead(uint32(loc.idx))
			oldParas = cur.reports[loc.global].Paragraphs
		}
		for _, d := range p.dead {
			if p.reports[d].Report.ID == r.ID && int(d) < i {
				oldParas = max(oldParas, p.reports[d].Report.Paragraphs)
			}
		}
		for n := len(rd.Paragraphs) + 1; n <= oldParas; n++ {
			b.Delete(paragraphID(r.ID, n))
		}
		for _, doc := range p.docs[i] {
			// A document replaces one with the same id, so paragraphs
			// 1..len are overwritten in place within the batch.
			if err := b.IndexAdvanced(doc); err != nil {
				return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
			}
		}
		if err := b.Index(reportKey(r.ID), map[string]interface{}{fMeta: string(p.metas[i])}); err != nil {
			return fmt.Errorf("bleveindex: %s: %w", r.Path, err)
		}
	}
	if p.file != "" {
		man.Next = max(man.Next, p.seq+1)
		man.Segments = append(man.Segments, segEntry{File: p.file, Dead: p.dead})
	}
	if err := ix.commit(b, cur, man); err != nil {
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
	start := time.Now()
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("bleveindex: writing batch: %w", err)
	}
	// Rest once the new snapshot is installed.
	took := time.Since(start)
	defer ix.restAfter(took)
	// Writes are serialised, so this reader shows exactly this batch.
	r, err := ix.reader()
	if err != nil {
		return err
	}
	s, err := newSnapshot(ix.dir, man, cur, r, ix.rank)
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
		seq := int(ix.fileSeq.Add(1) - 1)
		file := fmt.Sprintf("%08d.seg", seq)
		man.Next = max(man.Next, seq+1)
		path := filepath.Join(ix.dir, gramsDir, file)
		start := time.Now()
		_, err := grams.Merge(path, srcs)
		ix.restAfter(time.Since(start))
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
		ix.gramsMerges.Add(1)
		ix.gramsMerged.Add(uint64(len(plan)))
	}
}

var _ search.SegmentReporter = (*Index)(nil)

// SegmentStats implements search.SegmentReporter: bleve's segments (the
// in-memory ones not yet persisted included) and its file merges, from
// scorch's statistics, and the grams segments and merges.
func (ix *Index) SegmentStats() []search.SegmentStats {
	b := search.SegmentStats{Part: "bleve"}
	if m, ok := ix.idx.StatsMap()["index"].(map[string]interface{}); ok {
		n := func(k string) uint64 { v, _ := m[k].(uint64); return v }
		b.Segments = n("TotFileSegmentsAtRoot") + n("TotMemorySegmentsAtRoot")
		b.Merges = n("TotFileMergeIntroductionsDone")
		b.MergedSegments = n("TotFileMergeSegments")
	}
	s := ix.acquire()
	defer s.release()
	g := search.SegmentStats{Part: "grams", Segments: uint64(len(s.segs)),
		Merges: ix.gramsMerges.Load(), MergedSegments: ix.gramsMerged.Load()}
	return []search.SegmentStats{b, g}
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
	search.SortReports(out, search.SortYear)
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

// stored loads a paragraph's fields: its section and its unfold patch
// (or its text) from the snapshot's bleve reader, its heading flag and
// folded text from the grams segment of its report. Nil when there is no
// such paragraph.
func (s *snapshot) stored(id string) (*storedFields, error) {
	seg, ord, ok := s.paragraph(id)
	if !ok {
		return nil, nil
	}
	doc, err := s.bleve.Document(id)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: loading %s: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	f := &storedFields{heading: seg.Heading(ord)}
	text := false
	var patch []byte
	doc.VisitFields(func(fl bleveidx.Field) {
		switch fl.Name() {
		case fText:
			f.text, text = string(fl.Value()), true
		case fUnfold:
			patch = fl.Value()
		case fSection:
			f.section = string(fl.Value())
		}
	})
	if !text {
		folded, err := seg.Text(ord)
		if err != nil {
			return nil, fmt.Errorf("bleveindex: loading %s: %w", id, err)
		}
		if f.text, text = unfold(folded, patch); !text {
			return nil, fmt.Errorf("bleveindex: paragraph %s cannot be unfolded (the index is damaged: index the report again)", id)
		}
	}
	return f, nil
}

// paragraph finds a paragraph by its id in the grams segment of its
// report: the segment and the paragraph's ordinal in it.
func (s *snapshot) paragraph(id string) (*grams.Segment, uint32, bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return nil, 0, false
	}
	n, err := strconv.Atoi(id[i+1:])
	loc, ok := s.byID[id[:i]]
	if err != nil || !ok || n < 1 {
		return nil, 0, false
	}
	seg := s.segs[loc.seg].file.seg
	r := seg.Reports()[loc.idx]
	if uint32(n) > r.Count {
		return nil, 0, false
	}
	return seg, r.First + uint32(n-1), true
}
