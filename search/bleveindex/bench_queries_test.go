package bleveindex_test

import (
	"context"
	"os"
	"testing"

	"reportsearch/bench/queries"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// BenchmarkQueries measures the query path in-process — exact total, facet
// counts, top 10 ranked hits with highlights — on an existing index given
// by $REPORTSEARCH_BENCH_INDEX (built by `reportsearch index`, see
// docs/benchmarks.md), one sub-benchmark per query of the benchmark's
// fixed set. Without the variable it skips, so `go test ./...` never
// runs it:
//
//	REPORTSEARCH_BENCH_INDEX=/tmp/bench/work100k/index \
//	  go test -run XXX -bench Queries -cpuprofile /tmp/bench/query.prof ./search/bleveindex/
func BenchmarkQueries(b *testing.B) {
	dir := os.Getenv("REPORTSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("set REPORTSEARCH_BENCH_INDEX to an existing index folder")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Fatalf("REPORTSEARCH_BENCH_INDEX: %v", err)
	}
	ix, err := bleveindex.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, q := range queries.List {
		b.Run(q, func(b *testing.B) {
			var total uint64
			for b.Loop() {
				resp, err := ix.Search(ctx, search.Request{Query: q, Size: 10})
				if err != nil {
					b.Fatal(err)
				}
				total = resp.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}
