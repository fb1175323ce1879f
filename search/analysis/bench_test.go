package analysis

import (
	"strings"
	"testing"
)

var benchText = strings.Repeat("坚持以人民为中心的发展思想，推进城市更新和網格化治理，提高ＧＤＰ增长质量。", 20)

// BenchmarkFoldString: folding, done for every indexed paragraph and
// every paragraph the reader matches.
func BenchmarkFoldString(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		FoldString(benchText)
	}
}

// BenchmarkTokens: gse segmentation of a paragraph, the dominant cost of
// indexing (the dictionary loads once, before the timer).
func BenchmarkTokens(b *testing.B) {
	if _, err := Segmenter(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchText)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Tokens([]byte(benchText)); err != nil {
			b.Fatal(err)
		}
	}
}
