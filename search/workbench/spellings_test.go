package workbench_test

import (
	"context"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// typo is a misspelling made from a phrase of the corpus.
type typo struct{ wrong, right string }

// makeTypos draws phrases of 3–6 Han characters from the corpus and
// spoils each by one edit (replace, drop, insert a Han character of the
// corpus, or swap two neighbours) so that it occurs nowhere.
func makeTypos(ps []para, n int, seed int64) []typo {
	rng := rand.New(rand.NewSource(seed))
	var hanChars []rune
	for _, p := range ps[:min(len(ps), 400)] {
		for _, r := range p.folded {
			if unicode.Is(unicode.Han, r) {
				hanChars = append(hanChars, r)
			}
		}
	}
	var out []typo
	for tries := 0; len(out) < n && tries < 100*n; tries++ {
		text := []rune(ps[rng.Intn(len(ps))].folded)
		k := 3 + rng.Intn(4)
		if len(text) < k {
			continue
		}
		at := rng.Intn(len(text) - k + 1)
		right := text[at : at+k]
		if slices.ContainsFunc(right, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			continue
		}
		w := slices.Clone(right)
		i := rng.Intn(k)
		switch rng.Intn(4) {
		case 0:
			w[i] = hanChars[rng.Intn(len(hanChars))]
		case 1:
			w = slices.Delete(w, i, i+1)
		case 2:
			w = slices.Insert(w, 1+rng.Intn(k-1), hanChars[rng.Intn(len(hanChars))])
		default:
			if i == k-1 || w[i] == w[i+1] {
				continue
			}
			w[i], w[i+1] = w[i+1], w[i]
		}
		if contains(ps, string(w)) == 0 {
			out = append(out, typo{string(w), string(right)})
		}
	}
	return out
}

// oneEdit reports whether a and b are one Han-character edit apart:
// a character replaced, dropped or inserted, or two neighbours swapped.
func oneEdit(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) < len(y) {
		x, y = y, x
	}
	switch len(x) - len(y) {
	case 1:
		for i := range x {
			if string(x[:i])+string(x[i+1:]) == string(y) {
				return true
			}
		}
	case 0:
		var diff []int
		for i := range x {
			if x[i] != y[i] {
				diff = append(diff, i)
			}
		}
		return len(diff) == 1 || len(diff) == 2 && diff[1] == diff[0]+1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]]
	}
	return false
}

// TestSpellings: for misspellings of the corpus' own phrases, every
// suggestion is one edit from the term, has hits, and its total is the
// brute-force count of the query it names (under the filter); the phrase
// the typo was made from is found for most; a query with hits gets none.
func TestSpellings(t *testing.T) {
	ix, ps := corpus(t)
	ctx := context.Background()
	n := 40
	if testing.Short() {
		n = 12
	}
	filters := []search.Filter{{}, {Years: []search.YearRange{{From: 2015}}}}
	found, asked := 0, 0
	for ti, ty := range makeTypos(ps, n, 20261201) {
		f := filters[ti%len(filters)]
		if len(matching(t, ps, ty.right, search.ModeExact, f)) == 0 {
			f = search.Filter{}
		}
		resp, err := workbench.Spellings(ctx, ix, workbench.SpellingsRequest{Query: ty.wrong, Filter: f, Size: workbench.MaxSpellings})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Total != 0 {
			t.Fatalf("%q: total %d, but it occurs nowhere", ty.wrong, resp.Total)
		}
		asked++
		for _, sp := range resp.Spellings {
			if sp.Term != ty.wrong || !oneEdit(sp.Replacement, ty.wrong) || sp.Query != sp.Replacement {
				t.Errorf("%q: suggestion %+v is not one edit from the term", ty.wrong, sp)
			}
			if want := uint64(len(matching(t, ps, sp.Query, search.ModeExact, f))); sp.Total != want || want == 0 {
				t.Errorf("%q %s: suggestion %q counts %d, brute force %d", ty.wrong, f.String(), sp.Query, sp.Total, want)
			}
			if sp.Replacement == ty.right {
				found++
			}
		}
		for i := 1; i < len(resp.Spellings); i++ {
			if resp.Spellings[i].Total > resp.Spellings[i-1].Total {
				t.Errorf("%q: suggestions not by hits: %+v", ty.wrong, resp.Spellings)
			}
		}
		if resp.Partial {
			t.Logf("%q: partial (time budget)", ty.wrong)
		}
	}
	if asked < n/2 {
		t.Fatalf("only %d typos made", asked)
	}
	if found*10 < asked*8 {
		t.Errorf("the phrase a typo came from was suggested for %d of %d typos, want 80%%", found, asked)
	}
	t.Logf("the phrase a typo came from was suggested for %d of %d typos", found, asked)

	// A query with hits gets none.
	resp, err := workbench.Spellings(ctx, ix, workbench.SpellingsRequest{Query: "网格化治理"})
	if err != nil || resp.Total == 0 || len(resp.Spellings) != 0 {
		t.Errorf("a query with hits: %+v %v", resp, err)
	}
}

// TestSpellingsOfSeveralTerms: in a query of several terms, only the term
// that occurs nowhere is corrected, the others kept; terms that occur, but
// never together, give the query without one of them; counts are brute
// force.
func TestSpellingsOfSeveralTerms(t *testing.T) {
	ix, ps := corpus(t)
	ctx := context.Background()
	for _, q := range []string{"网格化治里 治理", "城市更新 火星殖民地 -棚户区", "网格化治理 | 城市更薪", "网格化治理 城市更新"} {
		resp, err := workbench.Spellings(ctx, ix, workbench.SpellingsRequest{Query: q, Size: workbench.MaxSpellings})
		if err != nil {
			t.Fatal(err)
		}
		if want := uint64(len(matching(t, ps, q, search.ModeExact, search.Filter{}))); resp.Total != want {
			t.Fatalf("%q: total %d, brute force %d", q, resp.Total, want)
		}
		if resp.Total > 0 {
			if len(resp.Spellings) > 0 {
				t.Errorf("%q has hits, yet suggestions %+v", q, resp.Spellings)
			}
			continue
		}
		if len(resp.Spellings) == 0 {
			t.Errorf("%q: no suggestion", q)
		}
		terms := strings.Fields(q)
		for _, sp := range resp.Spellings {
			if want := uint64(len(matching(t, ps, sp.Query, search.ModeExact, search.Filter{}))); sp.Total != want || want == 0 {
				t.Errorf("%q: suggestion %q counts %d, brute force %d", q, sp.Query, sp.Total, want)
			}
			got := strings.Fields(sp.Query)
			if sp.Replacement == "" {
				if len(got) != len(terms)-1 {
					t.Errorf("%q: %q is not the query without a term", q, sp.Query)
				}
				continue
			}
			if len(got) != len(terms) || !oneEdit(sp.Term, sp.Replacement) {
				t.Errorf("%q: %+v is not one term changed by one edit", q, sp)
			}
			for i := range terms {
				if terms[i] != got[i] && (terms[i] != sp.Term || got[i] != sp.Replacement) {
					t.Errorf("%q: %q changes more than %s", q, sp.Query, sp.Term)
				}
			}
		}
	}
	if _, err := workbench.Spellings(ctx, ix, workbench.SpellingsRequest{Query: `"open`}); !search.IsBadRequest(err) {
		t.Errorf("malformed query: %v", err)
	}
	if _, err := workbench.Spellings(ctx, ix, workbench.SpellingsRequest{Query: "x", Size: 99}); !search.IsBadRequest(err) {
		t.Errorf("size 99: %v", err)
	}
}

// BenchmarkSpellings: one request for a typo of the corpus (a phrase of
// 3–6 characters with one edit), the cost a search page without hits
// adds.
func BenchmarkSpellings(b *testing.B) {
	ix, ps := corpus(b)
	typos := makeTypos(ps, 20, 7)
	i := 0
	for b.Loop() {
		ty := typos[i%len(typos)]
		i++
		if _, err := workbench.Spellings(context.Background(), ix, workbench.SpellingsRequest{Query: ty.wrong}); err != nil {
			b.Fatal(err)
		}
	}
}
