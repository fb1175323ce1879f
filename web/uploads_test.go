package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
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

// consistent fails the test for each break of the uploads folder's
// invariant (ingest.Inconsistencies).
func consistent(t *testing.T, label, uploads string, ix search.ReportReader, missingOK ...string) {
	t.Helper()
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range ingest.Inconsistencies(uploads, reports, missingOK...) {
		t.Errorf("%s: %s", label, b)
	}
}

// The admin page says what the start did to the uploads folder
// (ingest.ReconcileUploads, tested in its package).
func TestAdminPageShowsReconciled(t *testing.T) {
	rep := &ingest.UploadsReport{
		Completed: []string{"keep.txt"},
		Discarded: []string{filepath.Join(ingest.StagingDir, "batch-1", "half.txt")},
		Indexed:   []indexer.FileResult{{Path: "/u/orphan.txt", Status: indexer.StatusAdded}},
		Removed:   []indexer.FileResult{{Path: "/u/junk.txt", Status: indexer.StatusSkipped, Reason: "empty file"}},
		Missing:   []search.Report{{ID: "x", Path: "/u/gone.txt", Title: "gone"}},
	}
	s := newAdminServer(t, func(c *AdminConfig) { c.Reconciled = rep })
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	b.post("/admin/login", url.Values{"token": {testAdminToken}})
	d := b.page("/admin")
	sec := textOf(d.byID("reconciled"))
	for _, want := range []string{"启动时整理上传文件夹", "half.txt", "orphan.txt", "junk.txt", "gone.txt", "keep.txt"} {
		if !strings.Contains(sec, want) {
			t.Errorf("admin page: %q missing from %q", want, sec)
		}
	}
	// Nothing done, nothing shown.
	s2 := newAdminServer(t, func(c *AdminConfig) { c.Reconciled = &ingest.UploadsReport{Dir: s.uploads} })
	b2 := &browser{t: t, e: s2.e, cookies: map[string]*http.Cookie{}}
	b2.post("/admin/login", url.Values{"token": {testAdminToken}})
	if n := b2.page("/admin").byID("reconciled"); n != nil {
		t.Errorf("a clean start shown: %q", textOf(n))
	}
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
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
	if fileExists(filepath.Join(s.uploads, "cli-del.txt")) {
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
