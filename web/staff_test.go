package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"reportsearch/indexer"
	"reportsearch/indexer/fetch"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/indexer/watch"
)

// newStaffServer is an admin server whose writer keeps a history, that
// may fetch loopback addresses (the test servers), and watches folders.
func newStaffServer(t *testing.T, tweak ...func(*AdminConfig)) *adminServer {
	t.Helper()
	return newStaffServerWith(t, nil, tweak...)
}

func newStaffServerWith(t *testing.T, opts []Option, tweak ...func(*AdminConfig)) *adminServer {
	t.Helper()
	histDir := t.TempDir()
	return newAdminServerWith(t, opts, append([]func(*AdminConfig){func(c *AdminConfig) {
		c.Writer.SetHistory(history.Open(histDir))
		c.Fetch = fetch.Options{AllowPrivate: true}
		m := watch.NewManager(context.Background(), ingest.WatchTarget(c.Writer), "", watch.Options{
			Stable: 200 * time.Millisecond, Debounce: 50 * time.Millisecond, Poll: 100 * time.Millisecond})
		c.Watch = m
		t.Cleanup(m.Close)
	}}, tweak...)...)
}

func historyOf(t *testing.T, e http.Handler, token, query string) HistoryResponse {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/history?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/history?%s: %d %s", query, rec.Code, rec.Body)
	}
	var h HistoryResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// Each kind of change is in the history: an upload added, updated and
// skipped, a deletion, a rebuild, an address and the watcher's changes.
func TestHistoryRecordsEveryKindOfChange(t *testing.T) {
	s := newStaffServer(t)
	tgt := ingest.WatchTarget(s.writer)
	if rec := apiUpload(t, s.e, testAdminToken, [][2]string{{"历史.txt", uploadText}}, nil); rec.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	apiUpload(t, s.e, testAdminToken, [][2]string{{"历史.txt", uploadText + "\n\n补充的一段话，说明修订的内容。\n"}}, nil)
	apiUpload(t, s.e, testAdminToken, [][2]string{{"图片.png", "\x89PNG\r\n\x1a\n\x00\x00"}}, nil)
	h := historyOf(t, s.e, testAdminToken, "source=upload")
	if h.Total != 3 || h.Entries[0].Action != history.Skipped || h.Entries[0].Reason == "" ||
		h.Entries[1].Action != history.Updated || h.Entries[2].Action != history.Added || h.Entries[2].Title == "" {
		t.Fatalf("uploads: %+v", h)
	}
	id := h.Entries[2].ID
	// The watcher's changes, through its target.
	dir := t.TempDir()
	f := filepath.Join(dir, "watched.txt")
	os.WriteFile(f, []byte(uploadText), 0o644)
	srcs, _ := indexer.FileSources([]string{f}, "")
	if _, err := tgt.Index(context.Background(), srcs); err != nil {
		t.Fatal(err)
	}
	if err := tgt.DeletePaths(context.Background(), []string{f}); err != nil {
		t.Fatal(err)
	}
	// A rebuild, a deletion from the API.
	req := httptest.NewRequest(http.MethodPost, "/api/reindex", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if rec := do(s.e, req); rec.Code != http.StatusOK {
		t.Fatalf("reindex: %d", rec.Code)
	}
	req = httptest.NewRequest(http.MethodDelete, "/api/documents/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if rec := do(s.e, req); rec.Code != http.StatusOK {
		t.Fatalf("delete: %d", rec.Code)
	}
	for _, c := range []struct {
		query  string
		action string
		min    int
	}{
		{"source=watcher&action=added", history.Added, 1},
		{"source=watcher&action=deleted", history.Deleted, 1},
		{"source=rebuild", history.Updated, 2},
		{"source=admin&action=deleted", history.Deleted, 1},
	} {
		h := historyOf(t, s.e, testAdminToken, c.query)
		if h.Total < c.min || h.Entries[0].Action != c.action {
			t.Errorf("%s: %+v", c.query, h)
		}
	}
	// Text search, paging, the local token, bad filters.
	if h := historyOf(t, s.e, "local-token", "q=图片&size=1"); h.Total != 1 || len(h.Entries) != 1 {
		t.Errorf("q: %+v", h)
	}
	all := historyOf(t, s.e, testAdminToken, "")
	page := historyOf(t, s.e, testAdminToken, "from=1&size=2")
	if len(page.Entries) != 2 || page.Entries[0].ID != all.Entries[1].ID || !page.Entries[0].Time.Equal(all.Entries[1].Time) {
		t.Errorf("paging: %+v vs %+v", page.Entries, all.Entries[:3])
	}
	if h := historyOf(t, s.e, testAdminToken, "since=2000-01-01&until="+url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339))); h.Total != 0 {
		t.Errorf("time range: %+v", h)
	}
	for _, q := range []string{"action=eaten", "size=-1", "since=yesterday"} {
		req := httptest.NewRequest(http.MethodGet, "/api/history?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		if rec := do(s.e, req); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, rec.Code)
		}
	}
	if rec := do(s.e, httptest.NewRequest(http.MethodGet, "/api/history", nil)); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous history: %d", rec.Code)
	}
}

func TestAddressUpload(t *testing.T) {
	page := "<html><head><title>地址报告</title></head><body><h1>二〇二四年某市政府工作报告</h1><p>今年全市地区生产总值增长百分之六，城乡居民收入稳步提高。</p><p>明年继续推进城市更新和乡村振兴。</p></body></html>"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(page)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/report.htm", http.StatusFound)
		case "/report.htm":
			w.Header().Set("Content-Type", "text/html; charset=gbk")
			w.Write([]byte(gbk))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	s := newStaffServer(t)
	rec := apiUpload(t, s.e, testAdminToken, nil, map[string]string{"url": site.URL + "/moved", "region": "某市"})
	if rec.Code != http.StatusOK {
		t.Fatalf("address: %d %s", rec.Code, rec.Body)
	}
	var sum indexer.Summary
	json.Unmarshal(rec.Body.Bytes(), &sum)
	if sum.Added != 1 {
		t.Fatalf("%+v", sum)
	}
	r, err := s.ix.Report(sum.Files[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.SourceURL != site.URL+"/moved" || r.Region != "某市" || filepath.Dir(r.Path) != s.uploads {
		t.Errorf("report %+v", r)
	}
	side, err := os.ReadFile(r.Path + ".meta.json")
	if err != nil || !strings.Contains(string(side), "source_url") {
		t.Errorf("sidecar %s %v", side, err)
	}
	paras, err := s.ix.Paragraphs(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, p := range paras {
		text.WriteString(p.Text)
	}
	if !strings.Contains(text.String(), "地区生产总值增长百分之六") {
		t.Errorf("GBK page misread: %q", text.String())
	}
	if h := historyOf(t, s.e, testAdminToken, "source=address"); h.Total != 1 || h.Entries[0].Action != history.Added {
		t.Errorf("history %+v", h)
	}
	// Refused: a private address without the flag, files and a url, a
	// missing page.
	strict := newAdminServer(t)
	rec = apiUpload(t, strict.e, testAdminToken, nil, map[string]string{"url": site.URL + "/report.htm"})
	if rec.Code != http.StatusBadRequest || !strings.Contains(errorBody(t, rec), "refused") {
		t.Errorf("loopback without --allow-private-addresses: %d %s", rec.Code, rec.Body)
	}
	if rec := apiUpload(t, s.e, testAdminToken, [][2]string{{"a.txt", uploadText}}, map[string]string{"url": site.URL + "/report.htm"}); rec.Code != http.StatusBadRequest {
		t.Errorf("files and url: %d", rec.Code)
	}
	if rec := apiUpload(t, s.e, testAdminToken, nil, map[string]string{"url": site.URL + "/gone"}); rec.Code != http.StatusBadRequest {
		t.Errorf("404: %d", rec.Code)
	}
	entries, _ := os.ReadDir(s.uploads)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left in the uploads folder: %s", e.Name())
		}
	}
}

// The admin page shows the staff section, adds and removes a watched
// folder, starts the background reindex and filters the history.
func TestAdminPageStaffSection(t *testing.T) {
	// The default roots of the hand-off (no --allow-index-root): the
	// folders of the indexed reports, the working directory.
	var writer *ingest.Writer
	s := newStaffServerWith(t, []Option{func(srv *Server) {
		WithLocalIngest(LocalIngestConfig{Writer: writer, Token: "local-token"})(srv)
	}}, func(c *AdminConfig) { writer = c.Writer })
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	b.post("/admin/login", url.Values{"token": {testAdminToken}})
	d := b.page("/admin")
	csrf := csrfOf(t, d)
	for _, want := range []string{"从网址添加报告", "监视的文件夹", "按新规则更新", "变更记录"} {
		if !strings.Contains(d.body, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "folder.txt"), []byte(uploadText), 0o644)
	other := filepath.Join(dir, "other.txt")
	os.WriteFile(other, []byte(strings.Replace(uploadText, "测试区", "另一区", 1)), 0o644)
	if rec := localIndex(t, s, `{"paths": [`+jsonString(other)+`]}`); rec.Code != http.StatusForbidden {
		t.Fatalf("hand-off from a folder not watched: %d", rec.Code)
	}
	if rec := b.post("/admin/watch", url.Values{"csrf": {csrf}, "dir": {dir}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("watch: %d %s", rec.Code, rec.Body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		h := historyOf(t, s.e, testAdminToken, "source=watcher")
		if h.Total == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the watched folder's file was not indexed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	d = b.page("/admin?h_source=watcher&h_q=folder")
	if !strings.Contains(d.body, dir) || len(d.find(func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(attr(n, "class"), "act-") })) != 1 {
		t.Errorf("the page does not show the folder or the filtered history")
	}
	// The watched folder is a root: of the paths shown, of the hand-off.
	if rec := getWith(t, s, "/api/documents", ""); !strings.Contains(rec.Body.String(), `"path":"sub/folder.txt"`) {
		t.Errorf("path not shown relative to the watched folder: %s", rec.Body)
	}
	if rec := localIndex(t, s, `{"paths": [`+jsonString(other)+`]}`); rec.Code != http.StatusOK {
		t.Errorf("hand-off from a watched folder: %d %s", rec.Code, rec.Body)
	}
	// The address form.
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("从网址添加的报告\n\n一段正文，说明网址来源的报告。\n"))
	}))
	defer site.Close()
	ctype, body := multipartBody(t, nil, map[string]string{"csrf": csrf, "url": site.URL + "/r.txt"})
	req := httptest.NewRequest(http.MethodPost, "/admin/address", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if rec := b.do(req); rec.Code != http.StatusSeeOther {
		t.Fatalf("address form: %d %s", rec.Code, rec.Body)
	}
	if d := b.page("/admin"); !strings.Contains(d.body, "从网址添加的报告") {
		t.Error("the address form's result is not shown")
	}
	if rec := b.post("/admin/reindex-changed", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
		t.Errorf("reindex-changed: %d", rec.Code)
	}
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(b.page("/admin").body, "正在后台重新读取"); {
		if time.Now().After(deadline) {
			t.Fatal("the background reindex did not finish")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if d := b.page("/admin"); !strings.Contains(d.body, "上次更新") {
		t.Error("the page does not show the reindex's result")
	}
	if rec := b.post("/admin/unwatch", url.Values{"csrf": {csrf}, "dir": {dir}}); rec.Code != http.StatusSeeOther {
		t.Errorf("unwatch: %d", rec.Code)
	}
	if rec := b.post("/admin/watch", url.Values{"csrf": {"wrong"}, "dir": {dir}}); rec.Code != http.StatusForbidden {
		t.Errorf("watch without CSRF: %d", rec.Code)
	}
}

// A server given --allow-index-root watches only inside those folders.
func TestAdminWatchWithinIndexRoots(t *testing.T) {
	s := newStaffServer(t) // roots: the folder of its uploads folder
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	b.post("/admin/login", url.Values{"token": {testAdminToken}})
	csrf := csrfOf(t, b.page("/admin"))
	if rec := b.post("/admin/watch", url.Values{"csrf": {csrf}, "dir": {t.TempDir()}}); rec.Code != http.StatusForbidden {
		t.Errorf("a folder outside --allow-index-root: %d", rec.Code)
	}
	inside := filepath.Join(filepath.Dir(s.uploads), "incoming")
	os.MkdirAll(inside, 0o755)
	if rec := b.post("/admin/watch", url.Values{"csrf": {csrf}, "dir": {inside}}); rec.Code != http.StatusSeeOther {
		t.Errorf("a folder inside: %d %s", rec.Code, rec.Body)
	}
}
