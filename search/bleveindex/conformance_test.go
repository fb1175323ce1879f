package bleveindex_test

import (
	"testing"

	"reportsearch/search/bleveindex"
	"reportsearch/search/searchtest"
)

var _ searchtest.Backend = (*bleveindex.Index)(nil)

// TestConformance runs the backend suite (package searchtest) on the
// bleve index: exact hits, filters, facets, sorts, pages, groups, trends,
// documents and writes against a brute-force model of the corpus.
func TestConformance(t *testing.T) {
	searchtest.TestBackend(t, func(t testing.TB, dir string) searchtest.Backend {
		ix, err := bleveindex.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	})
}
