package workbench_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/workbench"
)

// bruteEntropy recomputes a sequence's left and right entropy by scanning
// every paragraph for every (overlapping) occurrence.
func bruteEntropy(ps []para, s string) (left, right float64, occ int) {
	l, r := map[string]int{}, map[string]int{}
	bound := 0
	for _, p := range ps {
		f := p.folded
		for i := 0; ; {
			j := strings.Index(f[i:], s)
			if j < 0 {
				break
			}
			at := i + j
			occ++
			if prev, _ := utf8.DecodeLastRuneInString(f[:at]); at == 0 || !unicode.Is(unicode.Han, prev) {
				bound++
				l[string(rune(-bound))+"|"+string(rune(bound))] = 1
			} else {
				l[string(prev)]++
			}
			if next, _ := utf8.DecodeRuneInString(f[at+len(s):]); at+len(s) == len(f) || !unicode.Is(unicode.Han, next) {
				bound++
				r[string(rune(bound))+"|b"] = 1
			} else {
				r[string(next)]++
			}
			_, size := utf8.DecodeRuneInString(f[at:])
			i = at + size
		}
	}
	return workbench.Entropy(l), workbench.Entropy(r), occ
}

func TestSuggestBruteForce(t *testing.T) {
	ix, ps := corpus(t)
	f := search.Filter{Years: []search.YearRange{{From: 2000, To: 0}}}
	var filtered []para
	for _, p := range ps {
		if f.Match(p.report) {
			filtered = append(filtered, p)
		}
	}
	resp, err := workbench.Suggest(context.Background(), ix, workbench.SuggestRequest{Filter: f, Min: 5, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Paragraphs != len(filtered) || len(resp.Suggestions) < 10 {
		t.Fatalf("%d paragraphs (want %d), %d suggestions", resp.Paragraphs, len(filtered), len(resp.Suggestions))
	}
	t.Logf("%d paragraphs, %.0f ms; first: %+v", resp.Paragraphs, resp.TookMS, resp.Suggestions[0].Text)
	texts := map[string]uint64{}
	for i, s := range resp.Suggestions {
		texts[s.Text] = s.Paragraphs
		n := utf8.RuneCountInString(s.Text)
		if n < workbench.MinSuggestChars || n > workbench.MaxSuggestChars {
			t.Errorf("%q: %d characters", s.Text, n)
		}
		if got := contains(filtered, s.Text); got != s.Paragraphs || got < 5 {
			t.Errorf("%q: %d paragraphs, brute force %d", s.Text, s.Paragraphs, got)
		}
		if ws, _ := analysis.Words(s.Text); len(ws) < 2 || strings.Join(ws, "") != s.Text {
			t.Errorf("%q: gse words %v", s.Text, ws)
		}
		if s.LeftEntropy < workbench.MinBoundaryEntropy || s.RightEntropy < workbench.MinBoundaryEntropy {
			t.Errorf("%q: entropies %v %v", s.Text, s.LeftEntropy, s.RightEntropy)
		}
		if i > 0 && s.Score > resp.Suggestions[i-1].Score {
			t.Errorf("%q out of order", s.Text)
		}
		if len(s.Examples) != 2 {
			t.Errorf("%q: %d examples", s.Text, len(s.Examples))
		}
		for _, ex := range s.Examples {
			if !strings.Contains(analysis.FoldString(ex.Text), s.Text) {
				t.Errorf("%q: example without it: %s", s.Text, ex.Text)
			}
		}
		if i < 8 {
			le, re, occ := bruteEntropy(filtered, s.Text)
			if math.Abs(le-s.LeftEntropy) > 1e-3 || math.Abs(re-s.RightEntropy) > 1e-3 || occ != s.Occurrences {
				t.Errorf("%q: entropies %v %v (%d), brute force %v %v (%d)", s.Text, s.LeftEntropy, s.RightEntropy, s.Occurrences, le, re, occ)
			}
		}
	}
	// No suggestion is a fragment of another with the same count.
	for a, na := range texts {
		for b, nb := range texts {
			if a != b && strings.Contains(b, a) && na == nb {
				t.Errorf("%q is inside %q with the same count %d", a, b, na)
			}
		}
	}
	// The count equals the search's.
	for _, s := range resp.Suggestions[:3] {
		_, total, err := ix.CountByReport(context.Background(), search.Request{Query: `"` + s.Text + `"`, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		if total != s.Paragraphs {
			t.Errorf("%q: %d, search %d", s.Text, s.Paragraphs, total)
		}
	}
	for _, bad := range []workbench.SuggestRequest{{Min: -1}, {Size: 9999}, {Filter: search.Filter{Years: []search.YearRange{{From: 2020, To: 2010}}}}} {
		if _, err := workbench.Suggest(context.Background(), ix, bad); !search.IsBadRequest(err) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
