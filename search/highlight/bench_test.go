package highlight_test

import (
	"strings"
	"testing"

	"reportsearch/search/highlight"
)

var benchText = strings.Repeat("坚持以人民为中心的发展思想，推进城市更新和网格化治理，提高ＧＤＰ增长质量。", 40)

// BenchmarkSnippet: a hit's snippet, the work of every hit on a page.
func BenchmarkSnippet(b *testing.B) {
	terms := []string{"网格化治理", "gdp"}
	for b.Loop() {
		highlight.Snippet(benchText, terms)
	}
}

// BenchmarkHighlight: a whole paragraph marked, as the reader shows it.
func BenchmarkHighlight(b *testing.B) {
	terms := []string{"发展", "城市更新"}
	for b.Loop() {
		highlight.Highlight(benchText, terms)
	}
}
