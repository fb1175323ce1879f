package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
	"reportsearch/search"
)

// multipartBody builds an upload: files as name/content pairs, then
// fields.
func multipartBody(t testing.TB, files [][2]string, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("files", f[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f[1])
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func do(e *echo.Echo, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func apiUpload(t testing.TB, e *echo.Echo, token string, files [][2]string, fields map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	ctype, body := multipartBody(t, files, fields)
	req := httptest.NewRequest(http.MethodPost, "/api/documents", body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(e, req)
}

func errorBody(t testing.TB, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] == "" {
		t.Errorf("body %q is not {\"error\": …}", rec.Body)
	}
	return body["error"]
}

const uploadText = "某市测试区政府工作报告\n一、总体情况\n今年我们推进独角兽萤火虫计划，取得明显成效。\n二、明年安排\n继续实施独角兽萤火虫计划，并推进网格化治理。\n"

// Without a token the admin endpoints are disabled, never open: 403 with
// a message that says how to enable them, whatever the request carries.
func TestAdminDisabled(t *testing.T) {
	for name, e := range map[string]*echo.Echo{
		"no admin option": newSampleServer(t),
		"empty token": newSampleServer(t, WithAdmin(AdminConfig{Writer: ingest.NewWriter(sampleIndex(t)),
			UploadsDir: t.TempDir()})),
	} {
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/api/documents", strings.NewReader("x")),
			httptest.NewRequest(http.MethodDelete, "/api/documents/abc", nil),
			httptest.NewRequest(http.MethodPost, "/api/reindex", nil),
		} {
			req.Header.Set("Authorization", "Bearer ")
			rec := do(e, req)
			if rec.Code != http.StatusForbidden || !strings.Contains(errorBody(t, rec), "REPORTSEARCH_ADMIN_TOKEN") {
				t.Errorf("%s: %s %s: %d %s", name, req.Method, req.URL, rec.Code, rec.Body)
			}
		}
		d := fetchPage(t, e, "/admin")
		if d.code != http.StatusForbidden || !strings.Contains(d.body, "管理功能未启用") || strings.Contains(d.body, `name="token"`) {
			t.Errorf("%s: admin page %d", name, d.code)
		}
		form := url.Values{"token": {""}}
		req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if rec := do(e, req); rec.Code != http.StatusForbidden || rec.Header().Get("Set-Cookie") != "" {
			t.Errorf("%s: login: %d", name, rec.Code)
		}
	}
}

func TestAdminAPIAuth(t *testing.T) {
	s := newAdminServer(t)
	clients := 0
	for _, tc := range []struct {
		header string
		code   int
	}{
		{"", http.StatusUnauthorized},
		{"Basic dXNlcjpwYXNz", http.StatusUnauthorized},
		{"Bearer ", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusForbidden},
		{"Bearer " + testAdminToken + "x", http.StatusForbidden},
	} {
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/api/documents", strings.NewReader("x")),
			httptest.NewRequest(http.MethodDelete, "/api/documents/abc", nil),
			httptest.NewRequest(http.MethodPost, "/api/reindex", nil),
		} {
			// Each from a client of its own: the rate limit of wrong
			// tokens is TestLoginRateLimit's.
			clients++
			req.RemoteAddr = fmt.Sprintf("192.0.2.%d:1234", clients)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := do(s.e, req)
			if rec.Code != tc.code {
				t.Errorf("%s %s with %q: %d, want %d", req.Method, req.URL, tc.header, rec.Code, tc.code)
			}
			errorBody(t, rec)
			if tc.code == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate")
			}
		}
	}
	// The right token gets through to the handler (404: no such report).
	req := httptest.NewRequest(http.MethodDelete, "/api/documents/abc", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if rec := do(s.e, req); rec.Code != http.StatusNotFound {
		t.Errorf("delete unknown: %d %s", rec.Code, rec.Body)
	}
}

func TestAdminUploadAPI(t *testing.T) {
	s := newAdminServer(t)
	rec := apiUpload(t, s.e, testAdminToken, [][2]string{{"测试区_2031_报告.txt", uploadText}},
		map[string]string{"year": "2031", "region": "测试区", "level": "district", "doc_type": "政府工作报告"})
	if rec.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	var sum indexer.Summary
	if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Added != 1 || len(sum.Files) != 1 || sum.Files[0].Status != indexer.StatusAdded || sum.Files[0].Title != "某市测试区政府工作报告" {
		t.Fatalf("summary %+v", sum)
	}
	saved := filepath.Join(s.uploads, "测试区_2031_报告.txt")
	if sum.Files[0].Path != saved {
		t.Errorf("saved as %s", sum.Files[0].Path)
	}
	if data, err := os.ReadFile(saved + ".meta.json"); err != nil || !strings.Contains(string(data), `"region": "测试区"`) {
		t.Errorf("sidecar: %s %v", data, err)
	}
	entries, _ := os.ReadDir(s.uploads)
	if len(entries) != 2 {
		t.Errorf("uploads folder holds %d entries, want the file and its sidecar", len(entries))
	}
	// Found by search, with the given metadata.
	var resp search.Response
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("独角兽萤火虫计划"), &resp)
	if resp.Total != 2 || resp.Hits[0].Year != 2031 || resp.Hits[0].Region != "测试区" || resp.Hits[0].Level != "district" {
		t.Fatalf("search after upload: %+v", resp)
	}
	// The same name again replaces the report.
	rec = apiUpload(t, s.e, testAdminToken, [][2]string{{"测试区_2031_报告.txt", uploadText + "第三段独角兽萤火虫计划。\n"}}, nil)
	json.Unmarshal(rec.Body.Bytes(), &sum)
	if rec.Code != http.StatusOK || sum.Updated != 1 || sum.Files[0].ID != resp.Hits[0].DocID {
		t.Fatalf("re-upload: %d %+v", rec.Code, sum)
	}
	if _, err := os.Stat(saved + ".meta.json"); err == nil {
		t.Error("a re-upload without metadata kept the old sidecar")
	}
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("独角兽萤火虫计划"), &resp)
	if resp.Total != 3 {
		t.Errorf("after re-upload: total %d", resp.Total)
	}
	// Several files at once; a file the indexer cannot use is reported as
	// skipped and not kept.
	rec = apiUpload(t, s.e, testAdminToken, [][2]string{
		{"../../etc/一.txt", "第一份报告\n独角兽萤火虫计划在第一份。\n"},
		{".隐藏.txt", "第二份报告\n独角兽萤火虫计划在第二份。\n"},
		{"空.txt", ""},
	}, nil)
	json.Unmarshal(rec.Body.Bytes(), &sum)
	if rec.Code != http.StatusOK || sum.Added != 2 || sum.Skipped != 1 {
		t.Fatalf("three files: %d %s", rec.Code, rec.Body)
	}
	for _, name := range []string{"一.txt", "隐藏-31dcbcd5.txt"} {
		if _, err := os.Stat(filepath.Join(s.uploads, name)); err != nil {
			t.Errorf("%s not saved under a safe name: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(s.uploads, "空.txt")); err == nil {
		t.Error("a skipped file was kept")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(s.uploads, ".*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestAdminUploadBadRequests(t *testing.T) {
	s := newAdminServer(t, func(c *AdminConfig) { c.MaxFileBytes, c.MaxRequestBytes = 1000, 5000 })
	file := [][2]string{{"a.txt", "某报告\n内容。\n"}}
	for name, tc := range map[string]struct {
		files  [][2]string
		fields map[string]string
		code   int
	}{
		"no file":           {nil, map[string]string{"title": "x"}, http.StatusBadRequest},
		"bad year":          {file, map[string]string{"year": "二〇二二"}, http.StatusBadRequest},
		"year out of range": {file, map[string]string{"year": "99999"}, http.StatusBadRequest},
		"unknown field":     {file, map[string]string{"doctype": "x"}, http.StatusBadRequest},
		"sidecar name":      {[][2]string{{"x.meta.json", "{}"}}, nil, http.StatusBadRequest},
		"manifest name":     {[][2]string{{"manifest.csv", "path\n"}}, nil, http.StatusBadRequest},
		"dots only":         {[][2]string{{"..", "x"}}, nil, http.StatusBadRequest},
		"same name twice":   {[][2]string{{"a.txt", "x"}, {"dir/a.txt", "y"}}, nil, http.StatusBadRequest},
		"file too large":    {[][2]string{{"big.txt", strings.Repeat("字", 400)}}, nil, http.StatusRequestEntityTooLarge},
		"upload too large":  {[][2]string{{"1.txt", strings.Repeat("a", 900)}, {"2.txt", strings.Repeat("a", 900)}, {"3.txt", strings.Repeat("a", 900)}, {"4.txt", strings.Repeat("a", 900)}, {"5.txt", strings.Repeat("a", 900)}, {"6.txt", strings.Repeat("a", 900)}}, nil, http.StatusRequestEntityTooLarge},
	} {
		rec := apiUpload(t, s.e, testAdminToken, tc.files, tc.fields)
		if rec.Code != tc.code {
			t.Errorf("%s: %d, want %d: %s", name, rec.Code, tc.code, rec.Body)
		}
		errorBody(t, rec)
	}
	// Not multipart.
	req := httptest.NewRequest(http.MethodPost, "/api/documents", strings.NewReader(`{"paths": ["/etc/passwd"]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if rec := do(s.e, req); rec.Code != http.StatusBadRequest {
		t.Errorf("JSON body: %d", rec.Code)
	}
	// Nothing was kept of the refused uploads.
	if entries, _ := os.ReadDir(s.uploads); len(entries) != 0 {
		t.Errorf("uploads folder after refused uploads: %v", entries)
	}
}

func TestAdminDeleteAPI(t *testing.T) {
	s := newAdminServer(t)
	rec := apiUpload(t, s.e, testAdminToken, [][2]string{{"del.txt", uploadText}}, nil)
	var sum indexer.Summary
	json.Unmarshal(rec.Body.Bytes(), &sum)
	id := sum.Files[0].ID
	del := func(id string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodDelete, "/api/documents/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		return do(s.e, req)
	}
	rec = del(id)
	var res deleteResult
	json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != http.StatusOK || res.Deleted != id || !res.FileRemoved {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if _, err := os.Stat(filepath.Join(s.uploads, "del.txt")); err == nil {
		t.Error("uploaded file kept")
	}
	if rec := get(t, s.e, "/api/documents/"+id); rec.Code != http.StatusNotFound {
		t.Errorf("deleted report still served: %d", rec.Code)
	}
	if rec := del(id); rec.Code != http.StatusNotFound {
		t.Errorf("second delete: %d", rec.Code)
	}
	// A sample report (no file in the uploads folder) is deleted from the
	// index only.
	list, _ := search.ListReports(s.ix, search.Filter{}, "")
	rec = del(list.Reports[0].ID)
	json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != http.StatusOK || res.FileRemoved {
		t.Errorf("delete sample report: %d %s", rec.Code, rec.Body)
	}
}

// A rebuild re-reads every report, keeping ids and given metadata; a
// report whose file is gone is kept and listed.
func TestAdminReindexAPI(t *testing.T) {
	s := newAdminServer(t)
	apiUpload(t, s.e, testAdminToken, [][2]string{{"keep.txt", uploadText}}, map[string]string{"region": "测试区", "year": "2031"})
	apiUpload(t, s.e, testAdminToken, [][2]string{{"gone.txt", "将被删除的报告\n孤零零的段落。\n"}}, nil)
	os.Remove(filepath.Join(s.uploads, "gone.txt"))
	before, _ := search.ListReports(s.ix, search.Filter{}, "")
	req := httptest.NewRequest(http.MethodPost, "/api/reindex", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	rec := do(s.e, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("reindex: %d %s", rec.Code, rec.Body)
	}
	var sum indexer.Summary
	json.Unmarshal(rec.Body.Bytes(), &sum)
	if sum.Updated != 9 || sum.Skipped != 1 || sum.Added != 0 {
		t.Errorf("summary: %+v", sum)
	}
	var gone *indexer.FileResult
	for i, f := range sum.Files {
		if strings.HasSuffix(f.Path, "gone.txt") {
			gone = &sum.Files[i]
		}
	}
	if gone == nil || gone.Status != indexer.StatusSkipped || gone.Reason != ingest.MissingReason {
		t.Errorf("missing file not reported: %+v", gone)
	}
	after, _ := search.ListReports(s.ix, search.Filter{}, "")
	if len(after.Reports) != len(before.Reports) {
		t.Fatalf("%d reports before, %d after", len(before.Reports), len(after.Reports))
	}
	for i := range before.Reports {
		b, a := before.Reports[i], after.Reports[i]
		if a.ID != b.ID || a.Title != b.Title || a.Year != b.Year || a.Region != b.Region || a.Level != b.Level || a.DocType != b.DocType || a.Paragraphs != b.Paragraphs {
			t.Errorf("report changed by the rebuild:\n%+v\n%+v", b, a)
		}
	}
	req = httptest.NewRequest(http.MethodGet, "/api/reindex", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	var st ingest.RebuildStatus
	if rec := do(s.e, req); rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &st) != nil {
		t.Fatalf("reindex status: %d %s", rec.Code, rec.Body)
	}
	if st.State != search.RebuildDone || st.Files != st.Total || st.Total != len(before.Reports)-1 || st.Error != "" {
		t.Errorf("status after the rebuild: %+v (%d reports)", st, len(before.Reports))
	}
}

// Admin writes and the CLI's local endpoints share one writer lock.
func TestAdminWritesTakeTheWriterLock(t *testing.T) {
	s := newAdminServer(t)
	release := holdWriter(s.writer)
	done := make(chan int)
	go func() { done <- apiUpload(t, s.e, testAdminToken, [][2]string{{"w.txt", uploadText}}, nil).Code }()
	select {
	case <-done:
		t.Fatal("upload finished while the writer was held")
	case <-time.After(200 * time.Millisecond):
	}
	release()
	if code := <-done; code != http.StatusOK {
		t.Errorf("upload: %d", code)
	}
	// The local endpoint uses the same writer.
	release = holdWriter(s.writer)
	localDone := make(chan int)
	go func() {
		req := httptest.NewRequest(http.MethodPost, "/api/local/delete", strings.NewReader(`{"ids": ["x"]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer local-token")
		localDone <- do(s.e, req).Code
	}()
	select {
	case <-localDone:
		t.Fatal("local delete finished while the writer was held")
	case <-time.After(200 * time.Millisecond):
	}
	release()
	if code := <-localDone; code != http.StatusNotFound { // no report "x"
		t.Errorf("local delete: %d", code)
	}
}

// holdWriter takes w's lock until release is called.
func holdWriter(w *ingest.Writer) (release func()) {
	held, done := make(chan struct{}), make(chan struct{})
	go w.Locked(func(search.Store) error {
		close(held)
		<-done
		return nil
	})
	<-held
	return func() { close(done) }
}

// browser is a cookie jar over an Echo app, posting forms the way a
// browser does (same origin).
type browser struct {
	t       *testing.T
	e       *echo.Echo
	cookies map[string]*http.Cookie
}

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := do(b.e, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) page(path string) *pageDoc {
	rec := b.do(httptest.NewRequest(http.MethodGet, path, nil))
	d := fetchPage(b.t, echoBody(rec), "/")
	return d
}

// echoBody wraps a recorded answer as an app that serves it, so that
// fetchPage can parse it.
func echoBody(rec *httptest.ResponseRecorder) *echo.Echo {
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(rec.Code, rec.Body.Bytes()) })
	return e
}

func csrfOf(t *testing.T, d *pageDoc) string {
	t.Helper()
	for _, n := range d.find(func(n *html.Node) bool { return attr(n, "name") == "csrf" }) {
		return attr(n, "value")
	}
	t.Fatal("no CSRF field on the page")
	return ""
}

func TestAdminPage(t *testing.T) {
	s := newAdminServer(t)
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	d := b.page("/admin")
	if d.code != http.StatusOK || len(d.find(func(n *html.Node) bool { return attr(n, "name") == "token" })) != 1 {
		t.Fatalf("login form: %d", d.code)
	}
	if rec := b.post("/admin/login", url.Values{"token": {"wrong"}}); rec.Code != http.StatusForbidden || len(b.cookies) != 0 {
		t.Errorf("wrong token: %d", rec.Code)
	}
	rec := b.post("/admin/login", url.Values{"token": {testAdminToken}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	ck := b.cookies[sessionCookie]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || len(ck.Value) < 32 || ck.Value == testAdminToken {
		t.Fatalf("session cookie %+v", ck)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	d = b.page("/admin")
	csrf := csrfOf(t, d)
	if !strings.Contains(d.body, "2026年山东省政府工作报告") || !strings.Contains(d.body, "上传报告") || !strings.Contains(d.body, "重建索引") {
		t.Error("admin page lacks the report list or forms")
	}
	// Upload through the page form (multipart, CSRF field first).
	upload := func(csrf string) *httptest.ResponseRecorder {
		// A widget line at the top: the cleaning drops it, and the
		// report on the page says so, by rule.
		ctype, body := multipartBody(t, [][2]string{{"页面上传.txt", "打印本页 关闭窗口\n" + uploadText}}, map[string]string{"csrf": csrf, "region": "测试区"})
		req := httptest.NewRequest(http.MethodPost, "/admin/upload", body)
		req.Header.Set("Content-Type", ctype)
		return b.do(req)
	}
	if rec := upload("wrong"); rec.Code != http.StatusForbidden {
		t.Errorf("upload with a wrong CSRF token: %d", rec.Code)
	}
	if entries, _ := os.ReadDir(s.uploads); len(entries) != 0 {
		t.Errorf("refused upload left files: %v", entries)
	}
	if rec := upload(csrf); rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	d = b.page("/admin")
	if res := d.byID("result"); res == nil || !strings.Contains(textOf(res), "页面上传.txt") || !strings.Contains(textOf(res), "新增") {
		t.Fatalf("no upload result on the page")
	}
	if res := textOf(d.byID("result")); !strings.Contains(res, "清理删除") || !strings.Contains(res, "widget 1") {
		t.Errorf("the upload result does not list the dropped lines by rule: %s", res)
	}
	if d2 := b.page("/admin"); d2.byID("result") != nil {
		t.Error("the result is shown twice")
	}
	var resp search.Response
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("独角兽萤火虫计划"), &resp)
	if resp.Total != 2 || resp.Hits[0].Region != "测试区" {
		t.Fatalf("uploaded report not found: %+v", resp)
	}
	id := resp.Hits[0].DocID
	// Delete: refused without the CSRF token, from another site, or
	// without a session; done with them.
	if rec := b.post("/admin/delete", url.Values{"id": {id}}); rec.Code != http.StatusForbidden {
		t.Errorf("delete without CSRF: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/admin/delete", strings.NewReader(url.Values{"id": {id}, "csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if rec := b.do(req); rec.Code != http.StatusForbidden {
		t.Errorf("cross-origin delete: %d", rec.Code)
	}
	anon := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	if rec := anon.post("/admin/delete", url.Values{"id": {id}, "csrf": {csrf}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("delete without a session: %d", rec.Code)
	}
	if rec := b.post("/admin/delete", url.Values{"id": {id}, "csrf": {csrf}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if d := b.page("/admin"); !strings.Contains(textOf(d.byID("result")), "已删除") {
		t.Error("no delete result")
	}
	if rec := b.post("/admin/delete", url.Values{"id": {"nope"}, "csrf": {csrf}}); rec.Code != http.StatusNotFound {
		t.Errorf("delete unknown: %d", rec.Code)
	}
	// Rebuild from the page.
	if rec := b.post("/admin/reindex", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reindex: %d", rec.Code)
	}
	if d := b.page("/admin"); !strings.Contains(textOf(d.byID("result")), "重建索引结果") {
		t.Error("no rebuild result")
	}
	// Log out: the session is gone.
	if rec := b.post("/admin/logout", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rec.Code)
	}
	b.cookies[sessionCookie] = ck
	if rec := b.post("/admin/reindex", url.Values{"csrf": {csrf}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("after logout: %d", rec.Code)
	}
}
