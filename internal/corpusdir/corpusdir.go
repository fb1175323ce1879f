// Package corpusdir locates the project's shared corpus of real reports
// for tests: ../shared/corpus beside the repository, or
// $REPORTSEARCH_CORPUS. It imports nothing of the project, so any
// package's tests can use it.
package corpusdir

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus folder, failing the test when it is missing: the
// tests that need it assert real behaviour and must not pass vacuously.
// Under -short (the fast tests, on a clone without ../shared) the tests
// that need the corpus are skipped, saying so; CI runs without -short.
func Dir(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the shared corpus (../shared/corpus): skipped under -short")
	}
	if d := os.Getenv("REPORTSEARCH_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus")
			if _, err := os.Stat(filepath.Join(c, "manifest.csv")); err != nil {
				t.Fatalf("corpus not found at %s (set REPORTSEARCH_CORPUS): %v", c, err)
			}
			return c
		}
		if filepath.Dir(d) == d {
			t.Fatal("go.mod not found above " + wd)
		}
	}
}
