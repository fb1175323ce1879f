package searchtest

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"reportsearch/search"
)

// pageSizes are the page sizes the paging invariant is checked with.
var pageSizes = []int{1, 7, 10, 33, 100}

// maxPagesPerSize bounds how many pages of one size are read for a query
// (small pages of a common query would be thousands of searches); size
// 100 reads up to maxHitsAt100 hits, far below the rescoring windows of
// any ranking.
const (
	maxPagesPerSize = 25
	maxHitsAt100    = 3000
)

// pagedIDs reads pages of a size until limit hits (or the end) and
// returns the concatenated ids, their scores and the total of the first
// page. Along a relevance order, scores never increase.
func pagedIDs(t testing.TB, ix search.Index, req search.Request, size, limit int) ([]string, []float64, uint64) {
	t.Helper()
	var ids []string
	var scores []float64
	var total uint64
	var last float64
	for from := 0; from < limit; from += size {
		req.From, req.Size, req.Parsed = from, size, nil
		resp := mustSearch(t, ix, req)
		if from == 0 {
			total = resp.Total
		} else if resp.Total != total {
			t.Errorf("%q from %d: total %d, first page %d", req.Query, from, resp.Total, total)
		}
		for _, h := range resp.Hits {
			if req.Sort == search.SortRelevance && len(ids) > 0 && h.Score > last {
				t.Errorf("%q from %d: score %v after %v (the scores of one order never increase)", req.Query, from, h.Score, last)
			}
			last = h.Score
			ids = append(ids, h.ID)
			scores = append(scores, h.Score)
		}
		if len(resp.Hits) < size {
			break
		}
	}
	return ids, scores, total
}

// pagingQueries are theme words, common and rare, and random substrings
// of 1–6 characters of the text, a third of them with a filter.
func pagingQueries(paras []mpara, n int) []search.Request {
	var out []search.Request
	for _, q := range []string{"民生", "工程", "安全生产", "发展", "的", "网格化治理", "城市更新 | 乡村振兴", "改革 -开放", "罘", "GDP"} {
		out = append(out, search.Request{Query: q})
	}
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = p.folded
	}
	rng := rand.New(rand.NewSource(20261201))
	for len(out) < n {
		if q := drawTerm(rng.Intn, texts, 6); q != "" {
			out = append(out, search.Request{Query: `"` + q + `"`})
		}
	}
	for i := range out {
		if i%3 == 1 {
			out[i].Filter = filters[1+i%(len(filters)-1)].f
		}
	}
	return out
}

// testPaging is the paging invariant: for every query, filter and sort,
// the pages of every size, read one after the other, are the export's
// hits in the export's order — none repeated, none skipped — and the
// export is exactly the brute-force hit set.
func (s *suite) testPaging(t *testing.T) {
	n := 30
	if testing.Short() {
		n = 15
	}
	checked := 0
	for _, base := range pagingQueries(s.m.paras(), n) {
		want := idsOf(s.m.match(t, base.Query, search.ModeExact, base.Filter))
		for _, sort := range []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc} {
			req := base
			req.Sort = sort
			label := fmt.Sprintf("%q filter %s sort %s", req.Query, req.Filter.String(), sort)
			rows := exportRows(t, s.b, req)
			export := make([]string, len(rows))
			for i, r := range rows {
				export[i] = r.ID
			}
			if !sameSet(export, want) {
				t.Errorf("%s: export has %d hits, brute force %d (or other ids, or repeats)", label, len(export), len(want))
			}
			for _, size := range pageSizes {
				limit := min(len(export), size*maxPagesPerSize)
				if size == search.MaxSize {
					limit = min(len(export), maxHitsAt100)
				}
				got, scores, total := pagedIDs(t, s.b, req, size, limit)
				if total != uint64(len(export)) {
					t.Errorf("%s size %d: total %d, export %d", label, size, total, len(export))
				}
				if len(got) < limit {
					t.Errorf("%s size %d: %d hits paged, want %d", label, size, len(got), limit)
				}
				got, exp := got[:min(len(got), limit)], export[:min(len(export), len(got), limit)]
				if !slices.Equal(got, exp) {
					i := 0
					for i < len(exp) && got[i] == exp[i] {
						i++
					}
					t.Errorf("%s size %d: pages differ from the export at hit %d: %v… vs %v…", label, size, i,
						got[i:min(len(got), i+3)], exp[i:min(len(exp), i+3)])
				} else if i := scoreMismatch(sort, rows, scores[:len(got)]); i >= 0 {
					t.Errorf("%s size %d: hit %d (%s) scores %v on its page, %v in the export (relevance: the same score; year sorts: none)",
						label, size, i, got[i], scores[i], fmtScore(rows[i].Score))
				}
			}
			checked++
		}
		if t.Failed() {
			return
		}
	}
	if checked < 3*n {
		t.Errorf("only %d cases checked", checked)
	}
}

// scoreMismatch returns the first place where an exported row's score is
// not its page's (relevance order), or is given at all (the year sorts),
// or -1.
func scoreMismatch(sort search.Sort, rows []search.Row, paged []float64) int {
	for i, sc := range paged {
		r := rows[i]
		if sort == search.SortRelevance && (r.Score == nil || *r.Score != sc) || sort != search.SortRelevance && r.Score != nil {
			return i
		}
	}
	return -1
}

// testGroupPaging: pages of reports (group=doc) read one after the other
// are the reports with hits, once each, with their brute-force counts, in
// one order whatever the page size (up to maxPagesPerSize pages of each
// size are read; size 100 reads them all).
func (s *suite) testGroupPaging(t *testing.T) {
	for _, q := range []string{"民生", "发展", "网格化治理", "城市更新 | 乡村振兴", "罘"} {
		want := perReport(s.m.match(t, q, search.ModeExact, search.Filter{}))
		for _, sort := range []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc} {
			var first []string // every report, from the largest pages
			for _, size := range slices.Backward(pageSizes) {
				limit := min(len(want), size*maxPagesPerSize)
				var got []string
				for from := 0; from < limit; from += size {
					resp := mustSearch(t, s.b, search.Request{Query: q, Sort: sort, Group: search.GroupDoc, From: from, Size: size})
					if resp.TotalGroups != len(want) {
						t.Errorf("%q: %d groups, brute force %d", q, resp.TotalGroups, len(want))
					}
					for _, g := range resp.Groups {
						if g.Count != want[g.DocID] {
							t.Errorf("%q: report %s counts %d, brute force %d", q, g.DocID, g.Count, want[g.DocID])
						}
						got = append(got, g.DocID)
					}
					if len(resp.Groups) < size {
						break
					}
				}
				got = got[:min(len(got), limit)]
				if len(got) != limit || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
					t.Errorf("%q %s size %d: %d groups paged (or repeats), want %d", q, sort, size, len(got), limit)
				}
				if first == nil {
					first = got
				} else if !slices.Equal(got, first[:min(len(first), len(got))]) {
					t.Errorf("%q %s: the order of reports depends on the page size (%d)", q, sort, size)
				}
			}
		}
	}
}

func fmtScore(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}
