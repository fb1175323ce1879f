package bleveindex_test

import (
	"errors"
	"path/filepath"
	"testing"

	"reportsearch/search/bleveindex"
)

// A second writer gets ErrLocked instead of waiting forever.
func TestSecondWriterIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := bleveindex.Open(dir); !errors.Is(err, bleveindex.ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
}
