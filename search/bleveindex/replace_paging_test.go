package bleveindex_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

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

// pagedIDsBetween reads pages of size until limit hits (or the end),
// calling between (when not nil) after each page, and returns the
// concatenated ids and the total of the first page.
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
