package workbench_test

import (
	"context"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search/workbench"
)

// BenchmarkSuggest: the suggestions of the whole shared corpus.
func BenchmarkSuggest(b *testing.B) {
	ix := testcorpus.Index(b)
	for b.Loop() {
		if _, err := workbench.Suggest(context.Background(), ix, workbench.SuggestRequest{}); err != nil {
			b.Fatal(err)
		}
	}
}
