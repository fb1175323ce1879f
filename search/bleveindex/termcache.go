package bleveindex

import (
	"container/heap"
	"container/list"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	bleveidx "github.com/blevesearch/bleve_index_api"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/grams"
	"reportsearch/search/highlight"
)

// The term cache: what a search needs to know about one term in one
// grams segment, computed once and kept while the segment lives. Segments
// are immutable, so an entry never goes stale: a write makes new
// segments (whose terms are looked up afresh) and marks reports of old
// ones dead, which every reader of an entry checks against its snapshot.
// It is what makes a search for a common term cost its number of reports
// rather than its number of hits (issue 18: 发展 has 328,436 paragraphs at
// a million): the total, the per-report counts behind the facets and the
// idf come from per-report counts, and the top hits by relevance from a
// short list of the term's best paragraphs, instead of decoding,
// verifying, scoring and counting every hit on every search.

// termHits is one term in one segment.
type termHits struct {
	once sync.Once
	m    grams.Match
	// reports are the segment's reports with hits (by index in the
	// segment, ascending) and their numbers of hits.
	reports []reportHits
	// best are the hits with the highest stage-one keys (√tf times the
	// paragraph prior, in which a single term's score is monotone),
	// highest first, ties in reading order (report id, paragraph); the
	// first core of them are the top bestCore, the rest those within
	// keyMargin of the last of them (see bestHits). When best holds every
	// hit, core is len(m.Ords). Each carries what topOne needs, so that it
	// reads no segment table.
	best []bestHit
	core int
	size int64 // bytes, for the cache's budget
	// err is the failure to read the segment's text while filling the
	// entry; such an entry leaves the cache at once.
	err error
}

type reportHits struct{ idx, n uint32 }

// bestHit is one of a term's best hits in a segment: its ordinal, its
// report (index in the segment) and number there, its key and what its
// score is computed from.
type bestHit struct {
	key     float64
	ord, ri uint32
	n       uint32
	prior   float32
	tf      uint8
}

// live is the number of the term's paragraphs in live reports of v. The
// idf counts only those (as the paragraph count does), so that replacing a
// report by the same text — a rebuild — leaves every score, and so the
// order of every page, as it was.
func (h *termHits) live(v *segView) int {
	if !v.dead {
		return h.m.Len()
	}
	n := 0
	for _, r := range h.reports {
		if v.global[r.idx] >= 0 {
			n += int(r.n)
		}
	}
	return n
}

// bestCore is how many of a term's best hits an entry keeps: more than
// stage two's window (rerankWindow) and its first pages, so that the
// first pages of a search for one term never look at the other hits.
// Deeper pages, and filters that leave fewer than a page of the kept
// hits, score every hit as before.
const bestCore = 256

// keyMargin: the kept hits include those whose key is within this
// fraction below the bestCore-th key. A final score is the key times the
// idf, rounded twice to float32 (a relative error below 2⁻²³), so every
// hit left out scores strictly below every one of the first bestCore,
// whatever the idf: the top k ≤ bestCore hits of any snapshot are among
// the kept ones, with the very scores and order a full scoring gives.
const keyMargin = 1e-6

// fill computes the entry from the segment.
func (h *termHits) fill(seg *grams.Segment, term string, rank *ranker) {
	if h.m, h.err = seg.Find(term); h.err != nil {
		return
	}
	for _, o := range h.m.Ords {
		ri := seg.ReportOf(o)
		if n := len(h.reports); n > 0 && h.reports[n-1].idx == ri {
			h.reports[n-1].n++
		} else {
			h.reports = append(h.reports, reportHits{ri, 1})
		}
	}
	h.best, h.core = bestHits(seg, h.m, rank)
	h.size = int64(5*len(h.m.Ords) + 8*len(h.reports) + 32*len(h.best) + 256 + len(term))
}

// bestHits returns m's best hits by key, highest first, and how many of
// them are the core (see termHits.best).
func bestHits(seg *grams.Segment, m grams.Match, rank *ranker) ([]bestHit, int) {
	hit := func(i int) bestHit {
		o := m.Ords[i]
		prior := rank.paragraphPrior(seg.Chars(o), seg.Heading(o))
		// A product of two float32 values is exact in float64.
		return bestHit{key: float64(sqrtTable[m.TFs[i]]) * float64(prior), ord: o, ri: seg.ReportOf(o), n: seg.N(o),
			prior: prior, tf: m.TFs[i]}
	}
	n := len(m.Ords)
	var best []bestHit
	core := n
	if n <= bestCore {
		for i := range n {
			best = append(best, hit(i))
		}
	} else {
		// The bestCore-th key: a min-heap of the best keys seen.
		h := make(minHeap, 0, bestCore)
		keys := make([]float64, n)
		for i, o := range m.Ords {
			k := float64(sqrtTable[m.TFs[i]]) * float64(rank.paragraphPrior(seg.Chars(o), seg.Heading(o)))
			keys[i] = k
			if len(h) < bestCore {
				heap.Push(&h, k)
			} else if k > h[0] {
				h[0] = k
				heap.Fix(&h, 0)
			}
		}
		floor := h[0] * (1 - keyMargin)
		for i, k := range keys {
			if k >= floor {
				best = append(best, hit(i))
			}
		}
		core = bestCore
	}
	reports := seg.Reports()
	slices.SortFunc(best, func(a, b bestHit) int {
		switch {
		case a.key > b.key:
			return -1
		case a.key < b.key:
			return 1
		case a.ri != b.ri:
			return strings.Compare(reports[a.ri].ID, reports[b.ri].ID)
		}
		return int(a.n) - int(b.n)
	})
	return best, core
}

type minHeap []float64

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// termCacheBytes bounds the cache: at a million paragraphs the benchmark's
// 17 queries take about 5 MB (5 bytes per hit), so this holds the working
// set of a busy server's common terms at 5M; rarely used entries are
// evicted first.
const termCacheBytes = 64 << 20

// termCache is what searches learnt about an index's open segments, which
// never changes while a segment lives: term entries (termHits), and for
// the paragraphs that made a first page, their stored fields, their
// snippets and whether a gse word stands in them as a token of the word
// field (see wordScores). Least recently used entries are evicted first. It is
// shared by every snapshot of an index (each passes it on to the next),
// and a segment's entries are dropped when it is closed.
type termCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	items map[cacheKey]*list.Element
	lru   list.List // of *cacheItem, most recently used in front
	// rank gives the stage-one priors of the best hits: the index's
	// ranking, fixed when it was opened.
	rank *ranker
}

// cacheKey names an entry: a term of f (kind term), or paragraph ord of f
// (kind stored), a word in paragraph ord (kind word), the paragraph's
// snippet for the marks s (kind snippet), or its folded text (kind text).
type cacheKey struct {
	f    *segFile
	kind uint8
	ord  uint32
	s    string
}

const (
	kindTerm = iota
	kindStored
	kindWord
	kindSnippet
	kindWordTable // a string's per-report counts (wordtables.go)
	kindText
)

type cacheItem struct {
	key     cacheKey
	val     any
	size    int64
	counted bool // size is in the cache's size
}

func newTermCache(max int64, rank *ranker) *termCache {
	return &termCache{max: max, rank: rank, items: map[cacheKey]*list.Element{}}
}

// term returns the entry of term in f, computing it on first use (once,
// however many searches ask at the same time).
func (c *termCache) term(f *segFile, term string) (*termHits, error) {
	k := cacheKey{f: f, kind: kindTerm, s: term}
	c.mu.Lock()
	e := c.items[k]
	if e != nil {
		c.lru.MoveToFront(e)
	} else {
		e = c.lru.PushFront(&cacheItem{key: k, val: &termHits{}})
		c.items[k] = e
	}
	it := e.Value.(*cacheItem)
	c.mu.Unlock()
	h := it.val.(*termHits)
	h.once.Do(func() { h.fill(f.seg, term, c.rank) })
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.err != nil {
		if c.items[k] == e {
			c.remove(e)
		}
		return nil, h.err
	}
	if !it.counted && c.items[k] == e {
		it.size, it.counted = h.size, true
		c.size += it.size
		c.evict()
	}
	return h, nil
}

// get returns the value of a paragraph entry.
func (c *termCache) get(k cacheKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.items[k]
	if e == nil {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheItem).val, true
}

// put adds a paragraph entry of about size bytes.
func (c *termCache) put(k cacheKey, val any, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; ok {
		return
	}
	size += 96 + int64(len(k.s))
	c.items[k] = c.lru.PushFront(&cacheItem{key: k, val: val, size: size, counted: true})
	c.size += size
	c.evict()
}

// evict drops the least recently used entries beyond the budget, keeping
// at least the newest.
func (c *termCache) evict() {
	for c.size > c.max && c.lru.Len() > 1 {
		c.remove(c.lru.Back())
	}
}

func (c *termCache) remove(e *list.Element) {
	it := e.Value.(*cacheItem)
	c.lru.Remove(e)
	delete(c.items, it.key)
	if it.counted {
		c.size -= it.size
	}
}

// drop removes the entries of a segment that is being closed.
func (c *termCache) drop(f *segFile) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if k.f == f {
			c.remove(e)
		}
	}
}

// storedOf returns a hit's stored fields (nil when bleve has no such
// paragraph), kept in the term cache for the paragraphs of first pages:
// a segment's paragraph is the same text in every snapshot that shows it.
func (r *result) storedOf(h hitRef) (*storedFields, error) {
	k := cacheKey{f: r.snap.segs[h.seg].file, kind: kindStored, ord: h.ord}
	if v, ok := r.snap.terms.get(k); ok {
		return v.(*storedFields), nil
	}
	f, err := r.snap.stored(r.id(h))
	if err != nil || f == nil {
		return f, err
	}
	r.snap.terms.put(k, f, int64(len(f.text)+len(f.section)+64))
	return f, nil
}

// foldedOf returns a hit's folded text, kept in the term cache: stage two
// reads the text of every hit of its window on every search, and a
// segment's text is read from its file (package grams does not map it).
// The text must not be modified.
func (r *result) foldedOf(h hitRef) ([]byte, error) {
	f := r.snap.segs[h.seg].file
	k := cacheKey{f: f, kind: kindText, ord: h.ord}
	if v, ok := r.snap.terms.get(k); ok {
		return v.([]byte), nil
	}
	text, err := f.seg.Text(h.ord)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	r.snap.terms.put(k, text, int64(len(text)+24))
	return text, nil
}

// wordTFs returns, for each of refs, how often word occurs in it when it
// stands in it as a token of bleve's word field, else 0 — stage two's
// word presence (see wordScores), kept in the term cache per segment
// paragraph. The paragraphs not cached yet are looked up in bleve with one
// unscored term reader that skips through the word's postings.
func (ix *Index) wordTFs(ctx context.Context, word string, res *result, refs []hitRef) ([]int, error) {
	tfs := make([]int, len(refs))
	type target struct {
		iid bleveidx.IndexInternalID
		i   int
	}
	var targets []target
	var missed []int
	for i, ref := range refs {
		k := cacheKey{f: res.snap.segs[ref.seg].file, kind: kindWord, ord: ref.ord, s: word}
		if v, ok := res.snap.terms.get(k); ok {
			tfs[i] = v.(int)
			continue
		}
		missed = append(missed, i)
		iid, err := res.snap.bleve.InternalID(res.id(ref))
		if err != nil {
			return nil, err
		}
		if iid != nil {
			targets = append(targets, target{iid, i})
		}
	}
	if len(missed) == 0 {
		return tfs, nil
	}
	if len(targets) > 0 {
		slices.SortFunc(targets, func(a, b target) int { return a.iid.Compare(b.iid) })
		tfr, err := res.snap.bleve.TermFieldReader(ctx, []byte(word), fWord, false, false, false)
		if err != nil {
			return nil, err
		}
		defer tfr.Close()
		needle := []byte(analysis.FoldString(word))
		var tfd bleveidx.TermFieldDoc
		for _, t := range targets {
			d, err := tfr.Advance(t.iid, &tfd)
			if err != nil {
				return nil, err
			}
			if d == nil {
				break
			}
			if d.ID.Equals(t.iid) {
				ref := refs[t.i]
				text, err := res.foldedOf(ref)
				if err != nil {
					return nil, err
				}
				tfs[t.i] = max(grams.Count(text, needle), 1)
			}
		}
	}
	for _, i := range missed {
		ref := refs[i]
		res.snap.terms.put(cacheKey{f: res.snap.segs[ref.seg].file, kind: kindWord, ord: ref.ord, s: word}, tfs[i], 16)
	}
	return tfs, nil
}

// maxWordDFs bounds a snapshot's cached word-field frequencies.
const maxWordDFs = 1 << 16

// wordDF returns the number of paragraphs with word in bleve's word field,
// looked up once per snapshot.
func (s *snapshot) wordDF(ctx context.Context, word string) (uint64, error) {
	if v, ok := s.wordDFs.Load(word); ok {
		return v.(uint64), nil
	}
	tfr, err := s.bleve.TermFieldReader(ctx, []byte(word), fWord, false, false, false)
	if err != nil {
		return 0, err
	}
	df := tfr.Count()
	tfr.Close()
	if s.nWordDFs.Add(1) <= maxWordDFs {
		s.wordDFs.Store(word, df)
	}
	return df, nil
}

// snippetOf returns highlight.Snippet(text, marks) for a hit whose stored
// text is text, kept in the term cache with its paragraph and marks.
func (r *result) snippetOf(h hitRef, text string, marks []string) string {
	k := cacheKey{f: r.snap.segs[h.seg].file, kind: kindSnippet, ord: h.ord, s: strings.Join(marks, "\x00")}
	if v, ok := r.snap.terms.get(k); ok {
		return v.(string)
	}
	s := highlight.Snippet(text, marks)
	r.snap.terms.put(k, s, int64(len(s)))
	return s
}

// termHits returns the entries of terms in every segment of the snapshot
// (by segment, then term). Entries not cached yet are computed on every
// core at once, a segment and term each: the first search for a common
// term decodes and verifies its hits in all segments in parallel.
func (s *snapshot) termHits(ctx context.Context, terms []string) ([][]*termHits, error) {
	// A search past its deadline stops here even when every entry is
	// cached.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([][]*termHits, len(s.segs))
	type job struct{ si, ti int }
	var missing []job
	for si, v := range s.segs {
		out[si] = make([]*termHits, len(terms))
		for ti, t := range terms {
			if h := s.terms.cached(v.file, t); h != nil {
				out[si][ti] = h
			} else {
				missing = append(missing, job{si, ti})
			}
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	jobs := make(chan int)
	errs := make([]error, len(missing))
	var wg sync.WaitGroup
	for range min(len(missing), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				j := missing[i]
				out[j.si][j.ti], errs[i] = s.terms.term(s.segs[j.si].file, terms[j.ti])
			}
		}()
	}
	for i := range missing {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	return out, nil
}

// cached returns the entry of term in f when it is computed, else nil.
func (c *termCache) cached(f *segFile, term string) *termHits {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.items[cacheKey{f: f, kind: kindTerm, s: term}]
	if e == nil || !e.Value.(*cacheItem).counted {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheItem).val.(*termHits)
}

// maxOneFacets bounds a snapshot's cached facets: an entry is 10–20 KB
// at a million paragraphs (424 values), so at most about 10 MB.
const maxOneFacets = 512

// facets returns the facet counts of the result (search.ReportFacets), for
// a one-term result kept by the snapshot with the term and the filter
// (which decide the per-report counts): counting a million-paragraph
// snapshot's 7,439 reports by five fields was a sixth of a repeated
// search. Each call returns its own copy.
func (r *result) facets(f search.Filter) map[string][]search.FacetValue {
	if r.one == nil {
		return r.snap.facets.Count(r.perReport)
	}
	key := r.one.term + "\x00" + fmt.Sprintf("%#v", f)
	v, ok := r.snap.oneFacets.Load(key)
	if !ok {
		v = r.snap.facets.Count(r.perReport)
		if r.snap.nOneFacets.Add(1) <= maxOneFacets {
			r.snap.oneFacets.Store(key, v)
		}
	}
	out := map[string][]search.FacetValue{}
	for field, vals := range v.(map[string][]search.FacetValue) {
		out[field] = slices.Clone(vals)
	}
	return out
}
