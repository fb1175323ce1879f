// Package golden compares a test's output with a file it keeps under
// testdata; `go test -update` rewrites the files instead, to be read in
// the diff. One flag and one comparison for every golden test.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Check compares got with the file at path; with -update it writes got
// there first (creating its folder). what names the output in the error.
func Check(t testing.TB, path string, got []byte, what string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if len(got)+len(want) < 8<<10 {
		t.Errorf("%s differs from %s (-update rewrites it):\n%s\nwant:\n%s", what, path, got, want)
		return
	}
	t.Errorf("%s differs from %s: diff the output of -update", what, path)
}
