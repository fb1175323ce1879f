package memindex_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/memindex"
	"reportsearch/search/searchtest"
)

var _ searchtest.Backend = (*memindex.Index)(nil)

func TestConformance(t *testing.T) {
	searchtest.TestBackend(t, func(t testing.TB, dir string) searchtest.Backend {
		ix, err := memindex.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	})
}

// The file: written atomically (no temporary file is left, stale ones are
// removed at Open), refused when of another version or damaged, with a
// message saying what to do; a closed index answers ErrClosed.
func TestFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := memindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rd := search.ReportData{Report: search.Report{ID: "a", Title: "A", Path: "a.txt", Year: 2020},
		Paragraphs: []search.Paragraph{{Text: "城市更新"}, {Text: "乡村振兴"}}}
	if err := ix.Put(rd); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := ix.Search(context.Background(), search.Request{Query: "城市"}); !errors.Is(err, memindex.ErrClosed) {
		t.Errorf("search after Close: %v, want ErrClosed", err)
	}
	if err := ix.Put(rd); !errors.Is(err, memindex.ErrClosed) {
		t.Errorf("put after Close: %v, want ErrClosed", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != memindex.FileName {
		t.Errorf("files in the index folder: %v, want only %s", entries, memindex.FileName)
	}
	stale := filepath.Join(dir, memindex.FileName+".tmp-123")
	os.WriteFile(stale, []byte("{"), 0o644)
	ix, err = memindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := ix.Report("a"); err != nil || r.Paragraphs != 2 || r.Chars != 8 {
		t.Errorf("report after reopening: %+v %v", r, err)
	}
	ix.Close()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file not removed: %v", err)
	}
	file := filepath.Join(dir, memindex.FileName)
	raw, _ := os.ReadFile(file)
	for _, tc := range []struct{ content, want string }{
		{strings.Replace(string(raw), `"version":1`, `"version":99`, 1), "format version 99"},
		{string(raw[:len(raw)/2]), "damaged"},
	} {
		os.WriteFile(file, []byte(tc.content), 0o644)
		if _, err := memindex.Open(dir); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "index the reports again") {
			t.Errorf("opening a file with %s: %v", tc.want, err)
		}
	}
}
