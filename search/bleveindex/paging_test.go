package bleveindex_test

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// pageSizes are the page sizes the paging invariant is checked with.
var pageSizes = []int{1, 7, 10, 33, 100}

// maxPagesPerSize bounds how many pages of one size are read for a query
// (small pages of a common query would be thousands of searches); size
// 100 reads every page up to the search window.
const maxPagesPerSize = 25

// exportIDs returns the ids of req's export, in order.
func exportIDs(t *testing.T, ix *bleveindex.Index, req search.Request) []string {
	t.Helper()
	var ids []string
	if err := ix.Export(context.Background(), req, func(r search.Row) error {
		ids = append(ids, r.ID)
		return nil
	}); err != nil {
		t.Fatalf("export %q: %v", req.Query, err)
	}
	return ids
}

// pagedIDs reads pages of size until limit hits (or the end) and returns
// the concatenated ids and the total of the first page.
func pagedIDs(t *testing.T, ix *bleveindex.Index, req search.Request, size, limit int) ([]string, uint64) {
	t.Helper()
	return pagedIDsBetween(t, ix, req, size, limit, nil)
}

// pagedIDsBetween is pagedIDs calling between (when not nil) after each page.
func pagedIDsBetween(t *testing.T, ix *bleveindex.Index, req search.Request, size, limit int, between func()) ([]string, uint64) {
	t.Helper()
	var ids []string
	var total uint64
	for from := 0; from < limit; from += size {
		req.From, req.Size, req.Parsed = from, size, nil
		resp, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("search %q from %d size %d: %v", req.Query, from, size, err)
		}
		if from == 0 {
			total = resp.Total
		}
		for i, h := range resp.Hits {
			if i > 0 && req.Sort == search.SortRelevance && h.Score > resp.Hits[i-1].Score {
				t.Errorf("%q from %d: score %v after %v (scores of one order never increase)", req.Query, from, h.Score, resp.Hits[i-1].Score)
			}
			ids = append(ids, h.ID)
		}
		if len(resp.Hits) < size {
			break
		}
		if between != nil {
			between()
		}
	}
	return ids, total
}

// pagingQueries are theme words, common and rare, and random substrings
// of 1–6 characters of the indexed text, some with filters.
func pagingQueries(paras []para) []search.Request {
	var out []search.Request
	for _, q := range []string{"民生", "工程", "安全生产", "发展", "的", "网格化治理", "城市更新 | 乡村振兴", "改革 -开放", "罘", "GDP"} {
		out = append(out, search.Request{Query: q})
	}
	rng := rand.New(rand.NewSource(20261201))
	for len(out) < 30 {
		p := paras[rng.Intn(len(paras))]
		runes := []rune(p.folded)
		l := 1 + rng.Intn(6)
		if len(runes) < l {
			continue
		}
		i := rng.Intn(len(runes) - l + 1)
		s := string(runes[i : i+l])
		if strings.ContainsAny(s, "\"") || strings.TrimSpace(s) != s || s == "" {
			continue
		}
		out = append(out, search.Request{Query: `"` + s + `"`})
	}
	for i := range out {
		if i%3 == 1 {
			out[i].Filter = filters[1+i%(len(filters)-1)].f
		}
	}
	return out
}

// TestPagesConcatenateToTheExport is the paging invariant: for every
// query, filter and sort, the pages of every size, read one after the
// other, are the export's hits in the export's order — no hit repeated,
// none skipped — and the export is exactly the brute-force hit set.
func TestPagesConcatenateToTheExport(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := corpusParagraphs(t, ix)
	checked := 0
	for _, base := range pagingQueries(paras) {
		for _, sort := range []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc} {
			req := base
			req.Sort = sort
			label := fmt.Sprintf("%q filter %+v sort %s", req.Query, req.Filter, sort)
			export := exportIDs(t, ix, req)
			// The export is the hit set, once each.
			seen := map[string]bool{}
			for _, id := range export {
				if seen[id] {
					t.Fatalf("%s: export repeats %s", label, id)
				}
				seen[id] = true
			}
			if sort == search.SortRelevance {
				want := 0
				for _, p := range bruteMatch(t, loadBrute(t, ix), req.Query, search.ModeExact, req.Filter) {
					want++
					if !seen[p.id] {
						t.Errorf("%s: export misses %s", label, p.id)
					}
				}
				if want != len(export) {
					t.Errorf("%s: export has %d hits, brute force %d", label, len(export), want)
				}
			}
			for _, size := range pageSizes {
				limit := min(len(export), size*maxPagesPerSize)
				if size == search.MaxSize {
					limit = min(len(export), search.MaxWindow)
				}
				got, total := pagedIDs(t, ix, req, size, limit)
				if total != uint64(len(export)) {
					t.Errorf("%s size %d: total %d, export %d", label, size, total, len(export))
				}
				want := export[:min(len(export), len(got), limit)]
				if len(got) < limit {
					t.Errorf("%s size %d: %d hits paged, want %d", label, size, len(got), limit)
				}
				if !slices.Equal(got[:min(len(got), limit)], want) {
					i := 0
					for i < len(want) && got[i] == want[i] {
						i++
					}
					t.Errorf("%s size %d: pages differ from the export at hit %d: %v… vs %v…", label, size, i,
						got[i:min(len(got), i+3)], want[i:min(len(want), i+3)])
				}
			}
			checked++
		}
	}
	if checked < 90 {
		t.Errorf("only %d cases checked", checked)
	}
}

// TestGroupPagesConcatenate: pages of reports (group=doc) read one after
// the other are every report with hits, once each, with its brute-force
// count, in one order whatever the page size.
func TestGroupPagesConcatenate(t *testing.T) {
	ix := testcorpus.Index(t)
	brute := loadBrute(t, ix)
	for _, q := range []string{"民生", "发展", "网格化治理", "城市更新 | 乡村振兴", "罘"} {
		want := map[string]uint64{}
		for _, p := range bruteMatch(t, brute, q, search.ModeExact, search.Filter{}) {
			want[p.report.ID]++
		}
		for _, sort := range []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc} {
			var first []string
			for _, size := range []int{1, 7, 10, 33, 100} {
				var got []string
				for from := 0; ; from += size {
					resp, err := ix.Search(context.Background(), search.Request{Query: q, Sort: sort, Group: search.GroupDoc, From: from, Size: size})
					if err != nil {
						t.Fatal(err)
					}
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
				if len(got) != len(want) {
					t.Errorf("%q %s size %d: %d groups paged, want %d", q, sort, size, len(got), len(want))
				}
				if first == nil {
					first = got
				} else if !slices.Equal(got, first) {
					t.Errorf("%q %s: the order of reports depends on the page size (%d)", q, sort, size)
				}
			}
		}
	}
}

// TestPagesStableWhileAReportIsReplaced pages through searches while
// another goroutine keeps replacing one report. Each page comes from its
// own snapshot, so the pages may differ from the export taken before only
// by that report's hits: with the report's text unchanged (a rebuild), in
// any sort; with its text changing, in year order (relevance scores then
// move with the idf of the changed text, see the README).
func TestPagesStableWhileAReportIsReplaced(t *testing.T) {
	shared := testcorpus.Index(t)
	ctx := context.Background()
	reports, err := shared.Reports()
	if err != nil {
		t.Fatal(err)
	}
	// A copy of a part of the corpus that this test may write to.
	var data []search.ReportData
	for i, r := range reports {
		if i%3 != 0 {
			continue
		}
		ps, err := shared.Paragraphs(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, search.ReportData{Report: r, Paragraphs: ps})
	}
	ix, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(data...); err != nil {
		t.Fatal(err)
	}
	// The replaced report: one of median length.
	bySize := slices.Clone(data)
	slices.SortFunc(bySize, func(a, b search.ReportData) int { return len(a.Paragraphs) - len(b.Paragraphs) })
	victim := bySize[len(bySize)/2]
	changed := victim
	changed.Paragraphs = slices.Clone(victim.Paragraphs)
	for i := range changed.Paragraphs {
		if i%2 == 0 {
			changed.Paragraphs[i].Text = "改写" + changed.Paragraphs[i].Text
		}
	}
	for _, tc := range []struct {
		name     string
		versions []search.ReportData
		sorts    []search.Sort
	}{
		{"same text", []search.ReportData{victim}, []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc}},
		{"changing text", []search.ReportData{changed, victim}, []search.Sort{search.SortYear, search.SortYearDesc}},
	} {
		for _, sort := range tc.sorts {
			for _, q := range []string{"发展", "经济 | 社会", "改革 开放"} {
				req := search.Request{Query: q, Sort: sort}
				before := exportIDs(t, ix, req)
				// A replacement commits between every two pages, and
				// another one runs while each page is searched.
				writes := 0
				put := func() {
					if err := ix.Put(tc.versions[writes%len(tc.versions)]); err != nil {
						t.Fatal(err)
					}
					writes++
				}
				var wg sync.WaitGroup
				got, _ := pagedIDsBetween(t, ix, req, 10, 150, func() {
					wg.Wait()
					put()
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := ix.Put(tc.versions[(writes+1)%len(tc.versions)]); err != nil {
							t.Error(err)
						}
					}()
				})
				wg.Wait()
				// Put the victim back as it was for the next case.
				if err := ix.Put(victim); err != nil {
					t.Fatal(err)
				}
				prefix := victim.Report.ID + "-"
				if !slices.ContainsFunc(before, func(id string) bool { return strings.HasPrefix(id, prefix) }) {
					t.Errorf("%s %q %s: the replaced report has no hit: the case tests little", tc.name, q, sort)
				}
				other := func(ids []string) []string {
					return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return strings.HasPrefix(id, prefix) })
				}
				g, w := other(got), other(before)
				w = w[:min(len(w), len(g))]
				if !slices.Equal(g, w) {
					i := 0
					for i < len(g) && i < len(w) && g[i] == w[i] {
						i++
					}
					t.Errorf("%s %q %s (%d writes): pages differ beyond the replaced report at hit %d", tc.name, q, sort, writes, i)
				}
				seen := map[string]bool{}
				for _, id := range g {
					if seen[id] {
						t.Errorf("%s %q %s: %s shown twice", tc.name, q, sort, id)
					}
					seen[id] = true
				}
				if writes < 3 {
					t.Errorf("%s %q %s: only %d pages: the case tests little", tc.name, q, sort, writes+1)
				}
			}
		}
	}
}
