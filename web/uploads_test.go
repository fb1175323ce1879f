package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"reportsearch/indexer"
	"reportsearch/search"
)

// Names that clean to the same text are different files; the same name
// again replaces its file and report.
func TestUploadNamesDoNotCollide(t *testing.T) {
	s := newAdminServer(t)
	upload := func(name, text string) indexer.Summary {
		t.Helper()
		rec := apiUpload(t, s.e, testAdminToken, [][2]string{{name, text}}, nil)
		var sum indexer.Summary
		if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil || rec.Code != http.StatusOK || len(sum.Files) != 1 {
			t.Fatalf("upload %q: %d %s", name, rec.Code, rec.Body)
		}
		return sum
	}
	a := upload(" .txt", "第一份同名测试报告\n撞名测试甲段落。\n")
	b := upload("....txt", "第二份同名测试报告\n撞名测试乙段落。\n")
	c := upload("CON.txt", "设备名测试报告\n撞名测试丙段落。\n")
	if a.Files[0].ID == b.Files[0].ID || a.Files[0].Path == b.Files[0].Path || a.Added != 1 || b.Added != 1 || c.Added != 1 {
		t.Fatalf("collision: %+v %+v", a.Files, b.Files)
	}
	if base := filepath.Base(c.Files[0].Path); !strings.HasPrefix(base, "_CON-") {
		t.Errorf("CON.txt saved as %s", base)
	}
	a2 := upload(" .txt", "第一份同名测试报告\n撞名测试甲段落（修订）。\n")
	if a2.Updated != 1 || a2.Files[0].ID != a.Files[0].ID || a2.Files[0].Path != a.Files[0].Path {
		t.Errorf("the same name again: %+v, first %+v", a2.Files, a.Files)
	}
	var resp search.Response
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("撞名测试"), &resp)
	if resp.Total != 3 {
		t.Errorf("%d paragraphs, want the three reports'", resp.Total)
	}
	entries, _ := os.ReadDir(s.uploads)
	if len(entries) != 3 {
		t.Errorf("uploads folder: %v", entries)
	}
}

// stage writes a staged write as an interrupted server leaves it.
func stage(t *testing.T, uploads, batch string, p *plan, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(uploads, stagingDir, batch)
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

// consistent checks the invariant of the uploads folder: every file has
// a report at its path, every report of the folder its file; nothing is
// staged; sidecars sit beside their files.
func consistent(t *testing.T, label, uploads string, ix search.ReportReader, missingOK ...string) {
	t.Helper()
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]bool{}
	for _, r := range reports {
		if filepath.Dir(r.Path) == uploads {
			byPath[r.Path] = true
			if !exists(r.Path) && !slices.Contains(missingOK, filepath.Base(r.Path)) {
				t.Errorf("%s: report %s has no file %s", label, r.ID, filepath.Base(r.Path))
			}
		}
	}
	entries, _ := os.ReadDir(uploads)
	for _, e := range entries {
		path := filepath.Join(uploads, e.Name())
		switch {
		case e.Name() == stagingDir:
			t.Errorf("%s: staging folder left", label)
		case strings.HasSuffix(e.Name(), sidecarExt):
			if !exists(strings.TrimSuffix(path, sidecarExt)) {
				t.Errorf("%s: sidecar %s without its file", label, e.Name())
			}
		case !byPath[path]:
			t.Errorf("%s: file %s has no report", label, e.Name())
		}
	}
}

// The start completes committed writes, removes unfinished ones, indexes
// files without a report and lists reports without a file.
func TestReconcileUploads(t *testing.T) {
	s := newAdminServer(t)
	up := s.uploads
	// Earlier uploads: one with metadata, one to be replaced without.
	apiUpload(t, s.e, testAdminToken, [][2]string{{"keep.txt", uploadText}}, map[string]string{"region": "旧地区"})
	apiUpload(t, s.e, testAdminToken, [][2]string{{"gone.txt", "将丢失文件的报告\n丢失文件段落。\n"}}, nil)
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
	if _, err := indexer.Run(context.Background(), s.ix, srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(b3, "moved.txt"), filepath.Join(up, "moved.txt"))
	// 4. A deletion whose plan was written: the report and file go.
	apiUpload(t, s.e, testAdminToken, [][2]string{{"del.txt", "将删除的报告\n将删除段落。\n"}}, nil)
	stage(t, up, "batch-4", &plan{Delete: []plannedDelete{{ID: idOf("del.txt"), Name: "del.txt"}}}, nil)
	// 5. Files without a report: left by an older version, or copied in.
	os.WriteFile(filepath.Join(up, "orphan.txt"), []byte("孤儿文件报告\n孤儿文件段落。\n"), 0o644)
	os.WriteFile(filepath.Join(up, "junk.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(up, "lonely.txt.meta.json"), []byte(`{}`), 0o644)
	os.WriteFile(filepath.Join(up, ".upload-123"), []byte("x"), 0o644)

	w := NewWriter(s.ix)
	rep, err := ReconcileUploads(context.Background(), w, s.ix, up, discardLog())
	if err != nil {
		t.Fatal(err)
	}
	consistent(t, "after reconcile", up, s.ix, "gone.txt")
	if !slices.Contains(rep.Discarded, filepath.Join(stagingDir, "batch-1", "half.txt")) ||
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
		r, err := s.ix.Report(idOf(name))
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
	rep2, err := ReconcileUploads(context.Background(), w, s.ix, up, discardLog())
	if err != nil || len(rep2.Completed)+len(rep2.Discarded)+len(rep2.Indexed)+len(rep2.Removed) != 0 || len(rep2.Missing) != 1 {
		t.Errorf("second reconcile: %+v %v", rep2, err)
	}
	// The admin page says what the start did.
	s2 := newAdminServer(t, func(c *AdminConfig) { c.Reconciled = rep })
	b := &browser{t: t, e: s2.e, cookies: map[string]*http.Cookie{}}
	b.post("/admin/login", url.Values{"token": {testAdminToken}})
	d := b.page("/admin")
	sec := textOf(d.byID("reconciled"))
	for _, want := range []string{"启动时整理上传文件夹", "half.txt", "orphan.txt", "junk.txt", "gone.txt", "keep.txt"} {
		if !strings.Contains(sec, want) {
			t.Errorf("admin page: %q missing from %q", want, sec)
		}
	}
	// A folder that does not exist has nothing to reconcile.
	if rep, err := ReconcileUploads(context.Background(), w, s.ix, filepath.Join(t.TempDir(), "none"), discardLog()); err != nil || !rep.Clean() {
		t.Errorf("no folder: %+v %v", rep, err)
	}
}

// A delete through the CLI's hand-off removes an upload's file too: a
// file left behind would be indexed again at the next start.
func TestLocalDeleteRemovesUploadedFile(t *testing.T) {
	s := newAdminServer(t)
	rec := apiUpload(t, s.e, testAdminToken, [][2]string{{"cli-del.txt", uploadText}}, nil)
	var sum indexer.Summary
	json.Unmarshal(rec.Body.Bytes(), &sum)
	req := localDeleteRequest(sum.Files[0].ID)
	if rec := do(s.e, req); rec.Code != http.StatusOK {
		t.Fatalf("local delete: %d %s", rec.Code, rec.Body)
	}
	if exists(filepath.Join(s.uploads, "cli-del.txt")) {
		t.Error("the uploaded file is left")
	}
	consistent(t, "after a local delete", s.uploads, s.ix)
}

func localDeleteRequest(ids ...string) *http.Request {
	body, _ := json.Marshal(DeleteRequest{IDs: ids})
	req := httptest.NewRequest(http.MethodPost, "/api/local/delete", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer local-token")
	return req
}

// Uploads received at the same time do not get in each other's way (one
// that completes removes the empty staging folder another is about to
// create its batch in: found by bench/soak).
func TestConcurrentUploads(t *testing.T) {
	s := newAdminServer(t)
	var wg sync.WaitGroup
	codes := make(chan int, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 8 {
				name := fmt.Sprintf("并发-%d-%d.txt", i, j%3)
				codes <- apiUpload(t, s.e, testAdminToken, [][2]string{{name, "并发上传报告\n第" + name + "段。\n"}}, nil).Code
			}
		}()
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusOK {
			t.Errorf("upload: %d", code)
		}
	}
	consistent(t, "after concurrent uploads", s.uploads, s.ix)
}

// The race itself: batches created and removed at once.
func TestNewBatchRace(t *testing.T) {
	u := &uploadsDir{dir: t.TempDir()}
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
