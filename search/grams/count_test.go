package grams

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestCountContainingEqualsContains: the count-only path is the number of
// paragraphs containing the term, by brute force, for terms of every
// length (two-character ones from the dictionary alone).
func TestCountContainingEqualsContains(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	reports := corpus(rng, 40, 30)
	s := build(t, filepath.Join(t.TempDir(), "a.seg"), reports, 0)
	for _, term := range append(terms(rng, reports, 500), "发展", "展发", "不在") {
		g, err := s.CountContaining(term)
		if err != nil {
			t.Fatal(err)
		}
		if w := len(want(reports, nil, term)); g != w {
			t.Fatalf("%q: counted %d paragraphs, brute force %d", term, g, w)
		}
	}
}
