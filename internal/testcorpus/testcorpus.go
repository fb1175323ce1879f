// Package testcorpus gives tests the project's shared corpus of real
// reports (../shared/corpus beside the repository, or $REPORTSEARCH_CORPUS)
// and an index built from it once per test binary.
package testcorpus

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/corpusdir"
	"reportsearch/search/bleveindex"
)

// Dir returns the corpus folder; see corpusdir.Dir.
func Dir(t testing.TB) string { return corpusdir.Dir(t) }

var (
	once     sync.Once
	shared   *bleveindex.Index
	buildErr error
	tmpDir   string
)

// Index returns an index of the whole corpus, built on first use into a
// temporary folder and shared by the tests of one package. Callers must
// not write to it.
func Index(t testing.TB) *bleveindex.Index {
	t.Helper()
	dir := Dir(t)
	once.Do(func() {
		tmpDir, buildErr = os.MkdirTemp("", "reportsearch-test-")
		if buildErr != nil {
			return
		}
		shared, buildErr = bleveindex.Open(filepath.Join(tmpDir, "index"))
		if buildErr != nil {
			return
		}
		var srcs []indexer.Source
		srcs, buildErr = indexer.FileSources([]string{dir}, "")
		if buildErr != nil {
			return
		}
		_, buildErr = indexer.Run(context.Background(), shared, srcs, indexer.Options{})
	})
	if buildErr != nil {
		t.Fatalf("building corpus index: %v", buildErr)
	}
	return shared
}

// Cleanup removes the shared index; call it from TestMain after m.Run.
func Cleanup() {
	if shared != nil {
		shared.Close()
	}
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
}
