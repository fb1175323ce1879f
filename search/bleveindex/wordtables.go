package bleveindex

import (
	"sync"
	"unicode/utf8"
)

// Word tables: for a string asked by the research workbench's batched
// counts (CountContaining: the collocates' background counts, the
// keyword floor's exact reference counts), the number of paragraphs of
// each report of a grams segment whose folded text contains it, computed
// once per segment and kept in the index's term cache. A segment is
// immutable, so a table never goes stale: a write makes new segments
// (whose tables are made afresh) and marks reports of old ones dead, which
// every count checks against its snapshot, and a segment's tables are
// dropped with its other entries when it is closed.
//
// Tables are per report, not per paragraph, so any report filter (year,
// region, level, …) is a sum over the reports that pass it: a table costs
// 8 bytes per report with a hit, against 5 per hit for a search's term
// entry. The collocates of different queries ask for many of the same
// words (推进, 体系建设, …), and the keyword floor asks for most of the same
// candidates after every reference step, so most asks after the first
// are a sum over a few thousand reports instead of an intersection of
// pair postings and a check of each candidate's text.

// wordTable is one string's per-report counts in one segment.
type wordTable struct {
	once sync.Once
	// reports are the segment's reports with paragraphs containing the
	// string (by index in the segment, ascending) and how many.
	reports []reportHits
	total   uint64
	size    int64
	// err is the read error of the fill; a table with one is not kept.
	err error
}

// fill counts the string's paragraphs by report from the segment.
func (t *wordTable) fill(f *segFile, s string) {
	m, err := f.seg.Find(s)
	if err != nil {
		t.err = err
		return
	}
	for _, o := range m.Ords {
		ri := f.seg.ReportOf(o)
		if n := len(t.reports); n > 0 && t.reports[n-1].idx == ri {
			t.reports[n-1].n++
		} else {
			t.reports = append(t.reports, reportHits{ri, 1})
		}
	}
	t.total = uint64(m.Len())
	t.size = int64(8*len(t.reports) + 128 + len(s))
}

// count is the number of paragraphs of live reports of v, passing allow
// (by global report number; nil lets every report pass), that contain
// the table's string.
func (t *wordTable) count(v *segView, allow []bool) uint64 {
	if allow == nil && !v.dead {
		return t.total
	}
	var n uint64
	for _, r := range t.reports {
		if g := v.global[r.idx]; g >= 0 && (allow == nil || allow[g]) {
			n += uint64(r.n)
		}
	}
	return n
}

// countIn is the number of paragraphs of live reports of v passing allow
// that contain the folded string s. An unfiltered count of a
// two-character string in a segment without dead reports is its pair's
// document frequency (grams.Segment.CountContaining), which costs less
// than a table lookup; every other count goes through the string's table.
func (c *termCache) countIn(v *segView, allow []bool, s string) (uint64, error) {
	if allow == nil && !v.dead && utf8.RuneCountInString(s) == 2 {
		n, err := v.file.seg.CountContaining(s)
		return uint64(n), err
	}
	t, err := c.wordTable(v.file, s)
	if err != nil {
		return 0, err
	}
	return t.count(v, allow), nil
}

// wordTable returns the table of s in f, computing it on first use (once,
// however many counts ask at the same time). A table whose segment could
// not be read is dropped, so the next ask reads again.
func (c *termCache) wordTable(f *segFile, s string) (*wordTable, error) {
	k := cacheKey{f: f, kind: kindWordTable, s: s}
	c.mu.Lock()
	e := c.items[k]
	if e != nil {
		c.lru.MoveToFront(e)
	} else {
		e = c.lru.PushFront(&cacheItem{key: k, val: &wordTable{}})
		c.items[k] = e
	}
	it := e.Value.(*cacheItem)
	c.mu.Unlock()
	t := it.val.(*wordTable)
	t.once.Do(func() { t.fill(f, s) })
	c.mu.Lock()
	if t.err != nil {
		if c.items[k] == e {
			c.remove(e)
		}
		c.mu.Unlock()
		return nil, t.err
	}
	if !it.counted && c.items[k] == e {
		it.size, it.counted = t.size, true
		c.size += it.size
		c.evict()
	}
	c.mu.Unlock()
	return t, nil
}
