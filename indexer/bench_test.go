package indexer_test

import (
	"context"
	"path/filepath"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/corpusdir"
	"reportsearch/search/bleveindex"
)

// BenchmarkIndexCorpus indexes the whole shared corpus into a new index:
// reading, cleaning, analysis and bleve batches.
func BenchmarkIndexCorpus(b *testing.B) {
	srcs, err := indexer.FileSources([]string{corpusdir.Dir(b)}, "")
	if err != nil {
		b.Fatal(err)
	}
	paras := 0
	for i := 0; i < b.N; i++ {
		ix, err := bleveindex.Open(filepath.Join(b.TempDir(), "index"))
		if err != nil {
			b.Fatal(err)
		}
		sum, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		paras += sum.Paragraphs
		ix.Close()
	}
	b.ReportMetric(float64(paras)/b.Elapsed().Seconds(), "paragraphs/s")
}
