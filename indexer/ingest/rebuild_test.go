package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// A rebuild re-reads every report from its file and keeps what each was
// given (id, metadata not inferred); a report whose file is gone is kept
// and listed as skipped.
func TestRebuildKeepsGivenMetadata(t *testing.T) {
	u, ix := newUploads(t)
	upload(t, u, "keep.txt", uploadText, map[string]string{"region": "测试区", "year": "2031"})
	upload(t, u, "gone.txt", "将被删除的报告\n孤零零的段落。\n", nil)
	os.Remove(filepath.Join(u.Dir(), "gone.txt"))
	before, _ := ix.Reports()
	sum, err := Rebuild(context.Background(), u.w, ix, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != 1 || sum.Skipped != 1 || sum.Added != 0 || len(sum.Files) != 2 {
		t.Errorf("summary: %+v", sum)
	}
	for _, f := range sum.Files {
		if filepath.Base(f.Path) == "gone.txt" && (f.Status != indexer.StatusSkipped || f.Reason != MissingReason) {
			t.Errorf("missing file: %+v", f)
		}
	}
	after, _ := ix.Reports()
	if len(after) != len(before) {
		t.Fatalf("%d reports before, %d after", len(before), len(after))
	}
	for i := range before {
		b, a := before[i], after[i]
		if a.ID != b.ID || a.Title != b.Title || a.Year != b.Year || a.Region != b.Region || a.Level != b.Level || a.DocType != b.DocType || a.Paragraphs != b.Paragraphs {
			t.Errorf("report changed by the rebuild:\n%+v\n%+v", b, a)
		}
	}
}

// reindex --changed-rules re-reads only the reports built with older
// rules, and lists those without a file as skipped.
func TestReindexChangedRulesOnlyStale(t *testing.T) {
	u, ix := newUploads(t)
	u.w.SetHistory(history.Open(t.TempDir()))
	for _, name := range []string{"新.txt", "旧.txt", "无文件.txt"} {
		upload(t, u, name, uploadText+name, nil)
	}
	reports, _ := ix.Reports()
	var old, gone search.Report
	for _, r := range reports {
		switch filepath.Base(r.Path) {
		case "旧.txt":
			old = r
		case "无文件.txt":
			gone = r
		}
	}
	// Make two reports look built by an older program.
	for _, r := range []search.Report{old, gone} {
		paras, err := ix.Paragraphs(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		rd := search.ReportData{Report: r, Paragraphs: paras}
		rd.Report.ExtractVersion, rd.Report.CleanVersion = 0, 0
		if err := ix.Put(rd); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(gone.Path)
	sum, err := ReindexChanged(context.Background(), u.w, ix, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != 1 || sum.Skipped != 1 || len(sum.Files) != 2 {
		t.Fatalf("%+v", sum)
	}
	r, _ := ix.Report(old.ID)
	if indexer.Stale(r) {
		t.Errorf("still stale: %+v", r)
	}
	g, _ := ix.Report(gone.ID)
	if !indexer.Stale(g) {
		t.Error("the report without a file changed")
	}
	if _, total, err := u.w.History().Read(history.Query{Source: history.SourceRebuild, Size: 10}); err != nil || total != 2 {
		t.Errorf("history: %d entries, %v", total, err)
	}
}
