package bleveindex_test

import (
	"os"
	"testing"

	"reportsearch/internal/testcorpus"
)

// The backend-neutral checks — exact hits against brute force, filters,
// facets, sorts, pages, groups, trends, documents, replacement, delete,
// reopen — are package searchtest's suite, run by TestConformance. The
// tests here are the bleve index's own: ranking quality, crashes, the
// segment lifecycle and merges, snapshots across replacements, locking.

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	os.Exit(code)
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}
