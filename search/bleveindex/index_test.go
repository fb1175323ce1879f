package bleveindex_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

func openTemp(t *testing.T) *bleveindex.Index {
	t.Helper()
	ix, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func put(t *testing.T, ix *bleveindex.Index, id string, texts ...string) {
	t.Helper()
	rd := search.ReportData{Report: search.Report{ID: id, Title: id, Path: id + ".txt", Year: 2020}}
	for i, s := range texts {
		rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: s})
	}
	if err := ix.Put(rd); err != nil {
		t.Fatal(err)
	}
}

func total(t *testing.T, ix *bleveindex.Index, q string) uint64 {
	t.Helper()
	resp, err := ix.Search(context.Background(), search.Request{Query: q})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return resp.Total
}

// A report in traditional script is found by a simplified query and vice
// versa; the displayed text stays as written.
func TestTraditionalAndSimplifiedMatch(t *testing.T) {
	ix := openTemp(t)
	put(t, ix, "trad", "我們要發展經濟，實現國內生產總值增長。", "廣州共產黨報告")
	put(t, ix, "simp", "我们要发展经济，实现国内生产总值增长。")
	for q, want := range map[string]uint64{
		"国内生产总值": 2, "國內生產總值": 2, "广州共产党": 1, "廣州": 1, "发展经济": 2, "發": 2,
	} {
		if got := total(t, ix, q); got != want {
			t.Errorf("%s: total %d, want %d", q, got, want)
		}
	}
	resp, _ := ix.Search(context.Background(), search.Request{Query: "广州"})
	if len(resp.Hits) != 1 || resp.Hits[0].Text != "廣州共產黨報告" || resp.Hits[0].Highlight != "<mark>廣州</mark>共產黨報告" {
		t.Errorf("traditional hit not displayed as written: %+v", resp.Hits)
	}
}

// Re-indexing a report replaces its paragraphs; deleting removes them.
func TestReplaceAndDelete(t *testing.T) {
	ix := openTemp(t)
	put(t, ix, "a", "城市更新一", "城市更新二", "城市更新三")
	put(t, ix, "b", "城市更新四")
	if got := total(t, ix, "城市更新"); got != 4 {
		t.Fatalf("total %d, want 4", got)
	}
	put(t, ix, "a", "乡村振兴")
	if got := total(t, ix, "城市更新"); got != 1 {
		t.Errorf("after replacing a: total %d, want 1", got)
	}
	if r, err := ix.Report("a"); err != nil || r.Paragraphs != 1 {
		t.Errorf("report a: %+v %v", r, err)
	}
	if err := ix.Delete("b"); err != nil {
		t.Fatal(err)
	}
	if got := total(t, ix, "城市更新"); got != 0 {
		t.Errorf("after delete: total %d", got)
	}
	if err := ix.Delete("b"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting a missing report: %v", err)
	}
	if _, err := ix.Report("b"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleted report still there: %v", err)
	}
}

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

// Replacing a report is atomic for concurrent searches: they see the old
// version or the new one, never a mix, and never an error.
func TestReplaceIsAtomicForSearches(t *testing.T) {
	ix := openTemp(t)
	v1 := []string{"网格化治理一", "网格化治理二", "网格化治理三"}
	v2 := []string{"网格化治理甲", "其他", "网格化治理乙", "网格化治理丙", "网格化治理丁", "网格化治理戊"}
	put(t, ix, "a", v1...)
	done := make(chan struct{})
	errs := make(chan error, 1)
	seen := map[uint64]int{}
	go func() {
		defer close(errs)
		for {
			select {
			case <-done:
				return
			default:
			}
			resp, err := ix.Search(context.Background(), search.Request{Query: "网格化治理"})
			if err != nil {
				errs <- err
				return
			}
			seen[resp.Total]++
			if resp.Total != 3 && resp.Total != 5 {
				errs <- errors.New("saw a mixed state")
				return
			}
		}
	}()
	for i := 0; i < 40; i++ {
		if i%2 == 0 {
			put(t, ix, "a", v2...)
		} else {
			put(t, ix, "a", v1...)
		}
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatalf("%v (totals seen: %v)", err, seen)
	}
	if len(seen) == 0 {
		t.Fatal("no search ran")
	}
	t.Logf("totals seen: %v", seen)
}

// Everything written is on disk after Close: a reopened index has every
// report of every batch (bleve's unsafe background persistence lost the
// last batches; it is not used).
func TestWritesSurviveReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		put(t, ix, fmt.Sprintf("r%02d", i), "第一段", "第二段", "第三段")
	}
	ix.Close()
	if ix, err = bleveindex.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 30 || st.Paragraphs != 90 {
		t.Errorf("after reopening: %+v, want 30 reports, 90 paragraphs", st)
	}
	if got := total(t, ix, "段"); got != 90 {
		t.Errorf("search after reopening: %d, want 90", got)
	}
}
