package workbench_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/workbench"
)

// TestRelatedCountsEqualSearches: every listed word's fg is the number of
// matching paragraphs containing it (brute force), its bg the total of an
// exact search for it with the same filter, its score the G² of those
// counts; words are in score order, positively associated, and none is a
// query term or inside one.
func TestRelatedCountsEqualSearches(t *testing.T) {
	ix, ps := corpus(t)
	ctx := context.Background()
	listed := 0
	for _, tc := range []struct {
		q      string
		f      search.Filter
		window int
	}{
		{"网格化治理", search.Filter{}, 0},
		{"城市更新", search.Filter{}, 0},
		{"乡村振兴", search.Filter{Years: []search.YearRange{{From: 2018}}}, 0},
		{"营商环境", search.Filter{}, 10},
		{"粮食安全", search.Filter{Regions: []string{"全国"}}, 0},
	} {
		resp, err := workbench.Related(ctx, ix, workbench.RelatedRequest{Query: tc.q, Filter: tc.f, Window: tc.window, Min: 2, Size: 40})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		hits := matching(t, ps, tc.q, "", tc.f)
		var index []para
		for _, p := range ps {
			if tc.f.Match(p.report) {
				index = append(index, p)
			}
		}
		if resp.Paragraphs != len(hits) || resp.IndexParagraphs != len(index) {
			t.Errorf("%q: sizes %d/%d, brute force %d/%d", tc.q, resp.Paragraphs, resp.IndexParagraphs, len(hits), len(index))
		}
		for i, w := range resp.Words {
			listed++
			fgAll := contains(hits, w.Word)
			fg := fgAll
			if tc.window > 0 {
				fg = windowCount(hits, tc.q, w.Word, tc.window)
			}
			if w.FG != fg {
				t.Errorf("%q: %s fg %d, brute force %d", tc.q, w.Word, w.FG, fg)
			}
			if bg := contains(index, w.Word); w.BG != bg {
				t.Errorf("%q: %s bg %d, brute force %d", tc.q, w.Word, w.BG, bg)
			}
			sr, err := ix.Search(ctx, search.Request{Query: `"` + w.Word + `"`, Filter: tc.f, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if sr.Total != w.BG {
				t.Errorf("%q: %s bg %d, but a search finds %d", tc.q, w.Word, w.BG, sr.Total)
			}
			nf, nr := float64(len(hits)), float64(len(index)-len(hits))
			a, c := float64(w.FG), float64(w.BG-fgAll)
			if g := workbench.G2(a, nf-a, c, nr-c); math.Abs(g-w.Score) > 1e-3 {
				t.Errorf("%q: %s score %v, G² of its counts %v", tc.q, w.Word, w.Score, g)
			}
			if a/nf <= c/nr {
				t.Errorf("%q: %s is not over-represented (%v vs %v)", tc.q, w.Word, a/nf, c/nr)
			}
			if i > 0 && w.Score > resp.Words[i-1].Score {
				t.Errorf("%q: words not in score order at %s", tc.q, w.Word)
			}
			if strings.Contains(tc.q, w.Word) || strings.Contains(w.Word, tc.q) || utf8.RuneCountInString(w.Word) < 2 {
				t.Errorf("%q: %s should not be listed", tc.q, w.Word)
			}
		}
	}
	if listed < 40 {
		t.Errorf("only %d words listed: the test checks little", listed)
	}
}

// windowCount counts the paragraphs where w occurs within n characters
// before or after an occurrence of term (the match itself left out).
func windowCount(ps []para, term, w string, n int) uint64 {
	var out uint64
	tf, wf := analysis.FoldString(term), analysis.FoldString(w)
	for _, p := range ps {
		runes := []rune(p.folded)
		found := false
		for i := 0; i+len([]rune(tf)) <= len(runes) && !found; i++ {
			if string(runes[i:i+len([]rune(tf))]) != tf {
				continue
			}
			end := i + len([]rune(tf))
			if strings.Contains(string(runes[max(0, i-n):i]), wf) || strings.Contains(string(runes[end:min(len(runes), end+n)]), wf) {
				found = true
			}
		}
		if found {
			out++
		}
	}
	return out
}

// G2 against a textbook value: the 2×2 table of Dunning (1993)'s kind.
func TestG2(t *testing.T) {
	// a=10 of 100 in the focus, c=10 of 1000 in the reference.
	g := workbench.G2(10, 90, 10, 990)
	// Expected counts: E_a = 100*20/1100 = 1.818…; computed by hand.
	want := 2 * (10*math.Log(10/(100.0*20/1100)) + 90*math.Log(90/(100.0*1080/1100)) +
		10*math.Log(10/(1000.0*20/1100)) + 990*math.Log(990/(1000.0*1080/1100)))
	if math.Abs(g-want) > 1e-9 || g < 20 {
		t.Errorf("G2 = %v, want %v", g, want)
	}
	if workbench.G2(5, 95, 50, 950) > 1e-9 {
		t.Errorf("G2 of equal rates should be 0")
	}
}
