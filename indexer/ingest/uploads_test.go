package ingest

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
	"reportsearch/search/memindex"
)

const uploadText = "2026年测试市政府工作报告\n上传测试段落：网格化治理。\n"

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newUploads is an uploads folder over an empty in-memory index.
func newUploads(t *testing.T) (*Uploads, *memindex.Index) {
	t.Helper()
	ix, err := memindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return NewUploads(NewWriter(ix), filepath.Join(t.TempDir(), "uploads"), discardLog()), ix
}

// upload commits an upload of one file with metadata fields.
func upload(t *testing.T, u *Uploads, name, text string, fields map[string]string) *indexer.Summary {
	t.Helper()
	b, err := u.NewBatch()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Add(name, strings.NewReader(text), 1<<20); err != nil {
		t.Fatal(err)
	}
	sum, err := b.Commit(context.Background(), fields, history.SourceUpload)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// stage writes a staged write as an interrupted server leaves it.
func stage(t *testing.T, uploads, batch string, p *plan, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(uploads, StagingDir, batch)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	if p != nil {
		if err := writePlan(dir, p); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// consistent fails the test for each break of the uploads folder's
// invariant (Inconsistencies).
func consistent(t *testing.T, label, uploads string, ix search.ReportReader, missingOK ...string) {
	t.Helper()
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range Inconsistencies(uploads, reports, missingOK...) {
		t.Errorf("%s: %s", label, b)
	}
}

// The start completes committed writes, removes unfinished ones, indexes
// files without a report and lists reports without a file.
func TestReconcileUploads(t *testing.T) {
	u, ix := newUploads(t)
	up := u.Dir()
	// Earlier uploads: one with metadata, one to be replaced without.
	upload(t, u, "keep.txt", uploadText, map[string]string{"region": "旧地区"})
	upload(t, u, "gone.txt", "将丢失文件的报告\n丢失文件段落。\n", nil)
	os.Remove(filepath.Join(up, "gone.txt"))
	idOf := func(name string) string { return indexer.ReportID(filepath.Join(up, name)) }

	// 1. Received, never committed: removed, not indexed.
	stage(t, up, "batch-1", nil, map[string]string{"half.txt": "未提交的报告\n未提交段落。\n"})
	// 2. Committed, not indexed yet; the new version of keep.txt has no
	// metadata (its old sidecar must go), new.txt has.
	stage(t, up, "batch-2", &plan{Files: []plannedFile{{Name: "keep.txt"}, {Name: "new.txt", Sidecar: true}}},
		map[string]string{"keep.txt": uploadText + "第三段重启后完成的修订。\n", "new.txt": "重启后完成的报告\n重启完成段落。\n",
			"new.txt.meta.json": `{"region": "新地区"}`})
	// 3. Committed and indexed, the file moved, its sidecar not yet.
	b3 := stage(t, up, "batch-3", &plan{Files: []plannedFile{{Name: "moved.txt", Sidecar: true}}},
		map[string]string{"moved.txt": "已移动的报告\n已移动段落。\n", "moved.txt.meta.json": `{"region": "移动地区"}`})
	srcs, err := indexer.FileSources([]string{filepath.Join(b3, "moved.txt")}, "")
	if err != nil {
		t.Fatal(err)
	}
	srcs[0].Path, srcs[0].Key = filepath.Join(up, "moved.txt"), filepath.Join(up, "moved.txt")
	if _, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(b3, "moved.txt"), filepath.Join(up, "moved.txt"))
	// 4. A deletion whose plan was written: the report and file go.
	upload(t, u, "del.txt", "将删除的报告\n将删除段落。\n", nil)
	stage(t, up, "batch-4", &plan{Delete: []plannedDelete{{ID: idOf("del.txt"), Name: "del.txt"}}}, nil)
	// 5. Files without a report: left by an older version, or copied in.
	os.WriteFile(filepath.Join(up, "orphan.txt"), []byte("孤儿文件报告\n孤儿文件段落。\n"), 0o644)
	os.WriteFile(filepath.Join(up, "junk.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(up, "lonely.txt.meta.json"), []byte(`{}`), 0o644)
	os.WriteFile(filepath.Join(up, ".upload-123"), []byte("x"), 0o644)

	w := NewWriter(ix)
	rep, err := ReconcileUploads(context.Background(), w, ix, up, discardLog())
	if err != nil {
		t.Fatal(err)
	}
	consistent(t, "after reconcile", up, ix, "gone.txt")
	if !slices.Contains(rep.Discarded, filepath.Join(StagingDir, "batch-1", "half.txt")) ||
		!slices.Contains(rep.Discarded, ".upload-123") || !slices.Contains(rep.Discarded, "lonely.txt.meta.json") {
		t.Errorf("discarded %v", rep.Discarded)
	}
	if !slices.Contains(rep.Completed, "keep.txt") || !slices.Contains(rep.Completed, "new.txt") || !slices.Contains(rep.Completed, "moved.txt") {
		t.Errorf("completed %v", rep.Completed)
	}
	if len(rep.Indexed) != 1 || filepath.Base(rep.Indexed[0].Path) != "orphan.txt" || len(rep.Removed) != 1 || filepath.Base(rep.Removed[0].Path) != "junk.txt" {
		t.Errorf("indexed %+v, removed %+v", rep.Indexed, rep.Removed)
	}
	if len(rep.Missing) != 1 || filepath.Base(rep.Missing[0].Path) != "gone.txt" {
		t.Errorf("missing %+v", rep.Missing)
	}
	report := func(name string) *search.Report {
		r, err := ix.Report(idOf(name))
		if err != nil {
			return nil
		}
		return r
	}
	if r := report("keep.txt"); r == nil || r.Region == "旧地区" || exists(filepath.Join(up, "keep.txt.meta.json")) {
		t.Errorf("keep.txt: %+v, old sidecar kept: %v", r, exists(filepath.Join(up, "keep.txt.meta.json")))
	}
	if r := report("new.txt"); r == nil || r.Region != "新地区" || !exists(filepath.Join(up, "new.txt.meta.json")) {
		t.Errorf("new.txt: %+v", r)
	}
	if r := report("moved.txt"); r == nil || r.Region != "移动地区" || !exists(filepath.Join(up, "moved.txt.meta.json")) {
		t.Errorf("moved.txt: %+v", r)
	}
	if report("del.txt") != nil || exists(filepath.Join(up, "del.txt")) || report("half.txt") != nil {
		t.Error("del.txt not deleted, or half.txt indexed")
	}
	// Reconciling again finds nothing to do but the missing file.
	rep2, err := ReconcileUploads(context.Background(), w, ix, up, discardLog())
	if err != nil || len(rep2.Completed)+len(rep2.Discarded)+len(rep2.Indexed)+len(rep2.Removed) != 0 || len(rep2.Missing) != 1 {
		t.Errorf("second reconcile: %+v %v", rep2, err)
	}
	if rep.Clean() || rep2.Clean() {
		t.Error("a reconciliation that did something is clean")
	}
	// A folder that does not exist has nothing to reconcile.
	if rep, err := ReconcileUploads(context.Background(), w, ix, filepath.Join(t.TempDir(), "none"), discardLog()); err != nil || !rep.Clean() {
		t.Errorf("no folder: %+v %v", rep, err)
	}
}

// An upload replaces the earlier one of its name; one the indexer skips
// leaves the earlier as it was; a deletion takes the file and sidecar.
func TestUploadReplaceSkipDelete(t *testing.T) {
	u, ix := newUploads(t)
	first := upload(t, u, "a.txt", uploadText, map[string]string{"region": "甲地"})
	if first.Added != 1 {
		t.Fatalf("first upload: %+v", first)
	}
	id := first.Files[0].ID
	again := upload(t, u, "a.txt", uploadText+"修订的段落。\n", nil)
	if again.Updated != 1 || again.Files[0].ID != id || exists(filepath.Join(u.Dir(), "a.txt"+SidecarExt)) {
		t.Errorf("the same name again: %+v (old sidecar kept: %v)", again, exists(filepath.Join(u.Dir(), "a.txt"+SidecarExt)))
	}
	skipped := upload(t, u, "a.txt", "", nil) // empty: skipped
	if skipped.Skipped != 1 {
		t.Errorf("an empty file: %+v", skipped)
	}
	if r, err := ix.Report(id); err != nil || !strings.Contains(mustRead(t, filepath.Join(u.Dir(), "a.txt")), "修订") {
		t.Errorf("the skipped upload replaced the earlier one: %v %v", r, err)
	}
	consistent(t, "after uploads", u.Dir(), ix)
	deleted, removed, err := u.Delete(history.SourceAdmin, id, "nope")
	if len(deleted) != 1 || !removed[id] || err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("delete: %v %v %v", deleted, removed, err)
	}
	if exists(filepath.Join(u.Dir(), "a.txt")) {
		t.Error("the file is left")
	}
	consistent(t, "after the delete", u.Dir(), ix)
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A year field that is not a year is refused before anything is written.
func TestCommitBadYear(t *testing.T) {
	u, ix := newUploads(t)
	b, err := u.NewBatch()
	if err != nil {
		t.Fatal(err)
	}
	b.Add("y.txt", strings.NewReader(uploadText), 1<<20)
	_, err = b.Commit(context.Background(), map[string]string{"year": "二〇二二"}, history.SourceUpload)
	if !search.IsBadRequest(err) {
		t.Errorf("bad year: %v", err)
	}
	b.Close()
	if reports, _ := ix.Reports(); len(reports) != 0 {
		t.Errorf("indexed: %v", reports)
	}
	if entries, _ := os.ReadDir(u.Dir()); len(entries) != 0 {
		t.Errorf("uploads folder after a refused upload: %v", entries)
	}
}

// Batches created and removed at once (one that completes removes the
// empty staging folder another is about to create its batch in: found by
// bench/soak).
func TestNewBatchRace(t *testing.T) {
	u := &Uploads{dir: t.TempDir()}
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				b, err := u.newBatch()
				if err != nil {
					if failures.Add(1) == 1 {
						t.Log(err)
					}
					continue
				}
				u.removeBatch(b)
			}
		}()
	}
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Errorf("%d of 2000 batches could not be created", n)
	}
}
