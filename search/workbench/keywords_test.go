package workbench_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// TestKeywordsEqualBruteForce: every listed phrase's counts are the
// numbers of paragraphs of each set that contain it (brute force, and the
// totals of a quoted search filtered to the set), its score their G²,
// its first year the earliest year it occurs; new phrases have no
// reference hit; no listed phrase is inside another with the same counts.
func TestKeywordsEqualBruteForce(t *testing.T) {
	ix, ps := corpus(t)
	ctx := context.Background()
	y := func(from, to int) search.Filter {
		return search.Filter{Years: []search.YearRange{{From: from, To: to}}}
	}
	for _, tc := range []struct {
		name      string
		req       workbench.KeywordsRequest
		refFilter func(r *search.Report) bool
	}{
		{"2026 vs 2021..2025", workbench.KeywordsRequest{Focus: y(2026, 2026), Reference: y(2021, 2025)},
			func(r *search.Report) bool { return r.Year >= 2021 && r.Year <= 2025 }},
		{"2026 vs the rest, new", workbench.KeywordsRequest{Focus: y(2026, 2026), New: true},
			func(r *search.Report) bool { return r.Year != 2026 }},
		{"1950s vs the rest", workbench.KeywordsRequest{Focus: y(1950, 1959), Size: 100},
			func(r *search.Report) bool { return r.Year < 1950 || r.Year > 1959 }},
	} {
		resp, err := workbench.Keywords(ctx, ix, tc.req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var focus, ref []para
		for _, p := range ps {
			if tc.req.Focus.Match(p.report) {
				focus = append(focus, p)
			} else if tc.refFilter(p.report) {
				ref = append(ref, p)
			}
		}
		if resp.FocusParagraphs != len(focus) || resp.ReferenceParagraphs != len(ref) {
			t.Errorf("%s: sets of %d/%d paragraphs, brute force %d/%d", tc.name, resp.FocusParagraphs, resp.ReferenceParagraphs, len(focus), len(ref))
		}
		if len(resp.Phrases) < 10 {
			t.Errorf("%s: only %d phrases", tc.name, len(resp.Phrases))
		}
		for i, p := range resp.Phrases {
			f, r := contains(focus, p.Phrase), contains(ref, p.Phrase)
			if p.Focus != f || p.Reference != r {
				t.Errorf("%s: %s counts %d/%d, brute force %d/%d", tc.name, p.Phrase, p.Focus, p.Reference, f, r)
			}
			sr, err := ix.Search(ctx, search.Request{Query: `"` + p.Phrase + `"`, Filter: tc.req.Focus, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if sr.Total != p.Focus {
				t.Errorf("%s: %s focus %d, a search finds %d", tc.name, p.Phrase, p.Focus, sr.Total)
			}
			nf, nr := float64(len(focus)), float64(len(ref))
			if g := workbench.G2(float64(f), nf-float64(f), float64(r), nr-float64(r)); math.Abs(g-p.Score) > 1e-3 {
				t.Errorf("%s: %s score %v, G² %v", tc.name, p.Phrase, p.Score, g)
			}
			if tc.req.New && (p.Reference != 0 || p.Focus == 0) {
				t.Errorf("%s: %s is listed as new with %d/%d", tc.name, p.Phrase, p.Focus, p.Reference)
			}
			if p.Focus < 3 {
				t.Errorf("%s: %s under the minimum", tc.name, p.Phrase)
			}
			first := 0
			for _, q := range ps {
				if q.report.Year > 0 && (first == 0 || q.report.Year < first) && strings.Contains(q.folded, p.Phrase) {
					first = q.report.Year
				}
			}
			if p.FirstYear != first {
				t.Errorf("%s: %s first year %d, brute force %d", tc.name, p.Phrase, p.FirstYear, first)
			}
			if i > 0 && p.Score > resp.Phrases[i-1].Score {
				t.Errorf("%s: not in score order at %s", tc.name, p.Phrase)
			}
			for _, q := range resp.Phrases {
				if q.Phrase != p.Phrase && strings.Contains(q.Phrase, p.Phrase) && q.Focus == p.Focus && q.Reference == p.Reference {
					t.Errorf("%s: %s is a fragment of %s with the same counts", tc.name, p.Phrase, q.Phrase)
				}
			}
		}
	}
}

func TestKeywordsNeedAFocus(t *testing.T) {
	ix, _ := corpus(t)
	if _, err := workbench.Keywords(context.Background(), ix, workbench.KeywordsRequest{}); !search.IsBadRequest(err) {
		t.Errorf("no focus: %v", err)
	}
}

// plainIndex hides the optional interfaces of a backend (search.Counter,
// search.FoldedScanner): Keywords then reads stored paragraphs and counts
// every candidate in the reference set, without pruning.
type plainIndex struct{ search.Index }

// TestKeywordsPruningKeepsTheList: the list with the backend's counter
// and folded text (pruned reference scan) is the list without them.
func TestKeywordsPruningKeepsTheList(t *testing.T) {
	ix, _ := corpus(t)
	ctx := context.Background()
	for _, req := range []workbench.KeywordsRequest{
		{Focus: search.Filter{Years: []search.YearRange{{From: 2026, To: 2026}}}},
		{Focus: search.Filter{Years: []search.YearRange{{From: 2024, To: 2024}}}, Reference: search.Filter{Years: []search.YearRange{{From: 2018, To: 2023}}}, Size: 20},
		{Focus: search.Filter{Years: []search.YearRange{{From: 2020, To: 2026}}}, New: true, Size: 30},
		{Focus: search.Filter{Levels: []string{"national"}}, Size: 200},
	} {
		fast, err := workbench.Keywords(ctx, ix, req)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := workbench.Keywords(ctx, plainIndex{ix}, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(fast.Phrases) != len(slow.Phrases) || len(fast.Phrases) == 0 {
			t.Fatalf("%+v: %d phrases pruned, %d without", req.Focus, len(fast.Phrases), len(slow.Phrases))
		}
		for i := range fast.Phrases {
			if fast.Phrases[i] != slow.Phrases[i] {
				t.Errorf("%+v: phrase %d: %+v pruned, %+v without", req.Focus, i, fast.Phrases[i], slow.Phrases[i])
			}
		}
	}
}
