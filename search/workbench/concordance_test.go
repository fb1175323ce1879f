package workbench_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/workbench"
)

var kwicQueries = []struct {
	q    string
	mode search.Mode
	f    search.Filter
}{
	{"网格化治理", "", search.Filter{}},
	{"城市更新", "", search.Filter{}},
	{"高质量发展", "", search.Filter{Years: []search.YearRange{{From: 2018}}}},
	{"城市更新 | 乡村振兴", "", search.Filter{}},
	{"改革 -开放", "", search.Filter{Regions: []string{"全国"}}},
	{"罘", "", search.Filter{}},
	{"数字政府", search.ModeLoose, search.Filter{}},
	{"“十四五”", "", search.Filter{}},
	{"火星基地", "", search.Filter{}},
}

// TestConcordanceEqualsBruteForce: the total is the number of
// non-overlapping occurrences of every positive term in the matching
// paragraphs (strings.Count), every line is a real occurrence with its
// true context, every occurrence is listed once, and pages of any size
// concatenate to the full export in one order.
func TestConcordanceEqualsBruteForce(t *testing.T) {
	ix, ps := corpus(t)
	ctx := context.Background()
	for _, tc := range kwicQueries {
		pq, err := search.ParseQuery(tc.q, tc.mode)
		if err != nil {
			t.Fatal(err)
		}
		hits := matching(t, ps, tc.q, tc.mode, tc.f)
		want := 0
		wantPerPara := map[string]int{}
		for _, p := range hits {
			for _, m := range pq.Marks {
				n := strings.Count(p.folded, m)
				want += n
				wantPerPara[fmt.Sprintf("%s-%d", p.report.ID, p.n)] += n
			}
		}
		for _, sort := range []workbench.Sort{workbench.SortReport, workbench.SortYear, workbench.SortLeft, workbench.SortRight} {
			req := workbench.ConcordanceRequest{Query: tc.q, Mode: tc.mode, Filter: tc.f, Sort: sort, Context: 12}
			var all []workbench.Line
			if err := workbench.ConcordanceAll(ctx, ix, req, func(l workbench.Line) error {
				all = append(all, l)
				return nil
			}); err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			if len(all) != want {
				t.Errorf("%q %s: %d lines, brute force %d occurrences", tc.q, sort, len(all), want)
			}
			got := map[string]int{}
			seen := map[string]bool{}
			for _, l := range all {
				key := fmt.Sprintf("%s-%d", l.DocID, l.Paragraph)
				got[key]++
				occ := fmt.Sprintf("%s@%d/%s", key, l.Offset, l.Term)
				if seen[occ] {
					t.Errorf("%q: occurrence %s listed twice", tc.q, occ)
				}
				seen[occ] = true
				text := paraText(t, ps, l.DocID, l.Paragraph)
				runes := []rune(text)
				if analysis.FoldString(l.Match) != l.Term {
					t.Errorf("%q: match %q is not the term %q", tc.q, l.Match, l.Term)
				}
				left := string(runes[max(0, l.Offset-12):l.Offset])
				mEnd := l.Offset + len([]rune(l.Match))
				right := string(runes[mEnd:min(len(runes), mEnd+12)])
				if l.Left != left || l.Right != right || string(runes[l.Offset:mEnd]) != l.Match {
					t.Errorf("%q: line %+v does not show its paragraph's text", tc.q, l)
				}
			}
			for k, n := range wantPerPara {
				if got[k] != n {
					t.Errorf("%q: paragraph %s has %d lines, %d occurrences", tc.q, k, got[k], n)
				}
			}
			checkOrder(t, tc.q, sort, all, ps)
			// Pages concatenate to the export.
			for _, size := range []int{7, 50} {
				var paged []workbench.Line
				for from := 0; from < len(all) && from < 20*size; from += size {
					req.From, req.Size = from, size
					resp, err := workbench.Concordance(ctx, ix, req)
					if err != nil {
						t.Fatal(err)
					}
					if resp.Total != want || resp.Paragraphs != len(hits) {
						t.Errorf("%q: total %d (%d paragraphs), want %d (%d)", tc.q, resp.Total, resp.Paragraphs, want, len(hits))
					}
					paged = append(paged, resp.Lines...)
				}
				n := min(len(all), 20*size)
				if len(paged) != n || !slices.EqualFunc(paged, all[:n], func(a, b workbench.Line) bool { return a == b }) {
					t.Errorf("%q %s size %d: pages differ from the export", tc.q, sort, size)
				}
			}
		}
	}
}

func paraText(t *testing.T, ps []para, docID string, n int) string {
	t.Helper()
	for _, p := range ps {
		if p.report.ID == docID && p.n == n {
			return p.text
		}
	}
	t.Fatalf("no paragraph %s-%d", docID, n)
	return ""
}

// checkOrder verifies the sort key by recomputing it from the paragraph.
func checkOrder(t *testing.T, q string, sort workbench.Sort, lines []workbench.Line, ps []para) {
	t.Helper()
	key := func(l workbench.Line) string {
		folded := []rune(analysis.FoldString(paraText(t, ps, l.DocID, l.Paragraph)))
		switch sort {
		case workbench.SortLeft:
			left := slices.Clone(folded[:l.Offset])
			slices.Reverse(left)
			return string(left)
		case workbench.SortRight:
			return string(folded[l.Offset:])
		}
		return ""
	}
	for i := 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		var c int
		switch sort {
		case workbench.SortYear:
			c = cmp.Compare(a.Year, b.Year)
		case workbench.SortLeft, workbench.SortRight:
			c = compareRunes(key(a), key(b))
		}
		if c == 0 {
			c = cmp.Or(cmp.Compare(a.Title, b.Title), cmp.Compare(a.DocID, b.DocID), cmp.Compare(a.Paragraph, b.Paragraph), cmp.Compare(a.Offset, b.Offset))
		}
		if c > 0 {
			t.Errorf("%q %s: line %d out of order", q, sort, i)
			return
		}
	}
}

func compareRunes(a, b string) int {
	return slices.Compare([]rune(a), []rune(b))
}

func TestConcordanceRefusesBadRequests(t *testing.T) {
	ix, _ := corpus(t)
	for _, req := range []workbench.ConcordanceRequest{
		{Query: `"open`},
		{Query: "发展", Context: 500},
		{Query: "发展", Sort: "middle"},
		{Query: "发展", Size: 5000},
		{Query: "发展", From: -1},
	} {
		if _, err := workbench.Concordance(context.Background(), ix, req); !search.IsBadRequest(err) {
			t.Errorf("%+v: %v, want a bad request", req, err)
		}
	}
}
