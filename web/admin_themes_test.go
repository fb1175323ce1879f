package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestAdminThemes(t *testing.T) {
	s := newAdminServer(t)
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	// Not logged in: 401; the section is not shown.
	if rec := b.post("/admin/themes", url.Values{"name": {"x"}, "expressions": {"发展"}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous put: %d", rec.Code)
	}
	if rec := b.post("/admin/login", url.Values{"token": {testAdminToken}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	d := b.page("/admin")
	csrf := csrfOf(t, d)
	if d.byID("themes") == nil || d.byID("theme-add") == nil {
		t.Fatal("no themes section")
	}
	// Without the CSRF token: 403.
	if rec := b.post("/admin/themes", url.Values{"name": {"数字政府"}, "expressions": {"数字政府"}}); rec.Code != http.StatusForbidden {
		t.Errorf("put without csrf: %d", rec.Code)
	}
	put := func(name, exprs, notes string) *httptest.ResponseRecorder {
		return b.post("/admin/themes", url.Values{"csrf": {csrf}, "name": {name}, "expressions": {exprs}, "notes": {notes}})
	}
	if rec := put("城市治理", "城市更新\r\n\r\n老旧小区\n", "<script>alert(1)</script>"); rec.Code != http.StatusSeeOther {
		t.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	d = b.page("/admin")
	sec := d.byID("themes")
	if txt := textOf(sec); !strings.Contains(txt, "城市治理") || !strings.Contains(txt, "老旧小区") || !strings.Contains(txt, "版本 1") {
		t.Errorf("section: %s", txt)
	}
	if strings.Contains(d.body, "<script>alert") {
		t.Error("notes are not escaped")
	}
	if !strings.Contains(textOf(d.byID("result")), "已保存主题“城市治理”（2 个检索式）") {
		t.Errorf("result: %s", textOf(d.byID("result")))
	}
	// theme:NAME searches the OR of the expressions.
	want := searchTotal(t, s.e, url.Values{"q": {"城市更新 | 老旧小区"}}.Encode())
	if got := searchTotal(t, s.e, url.Values{"q": {"theme:城市治理"}}.Encode()); got != want || want == 0 {
		t.Errorf("theme:城市治理 %d, OR %d", got, want)
	}
	// Edit, then a bad expression is a 400 and changes nothing.
	if rec := put("城市治理", "城市更新", ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d", rec.Code)
	}
	if got, want := searchTotal(t, s.e, url.Values{"q": {"theme:城市治理"}}.Encode()), searchTotal(t, s.e, "q="+url.QueryEscape("城市更新")); got != want {
		t.Errorf("after the edit: %d, want %d", got, want)
	}
	if rec := put("城市治理", `"open`, ""); rec.Code != http.StatusBadRequest {
		t.Errorf("bad expression: %d", rec.Code)
	}
	if rec := put("a b", "发展", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("bad name: %d", rec.Code)
	}
	// Import a CSV.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	w, _ := mw.CreateFormFile("file", "themes.csv")
	io.WriteString(w, "theme,expression,notes,version\n乡村,乡村振兴,,1\n乡村,脱贫攻坚,,1\n")
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/admin/themes/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if rec := b.do(req); rec.Code != http.StatusSeeOther {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	d = b.page("/admin")
	if !strings.Contains(textOf(d.byID("themes")), "脱贫攻坚") {
		t.Error("imported theme not listed")
	}
	// Delete; the history lists every change with its author.
	if rec := b.post("/admin/themes/delete", url.Values{"csrf": {csrf}, "name": {"城市治理"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	if rec := b.post("/admin/themes/delete", url.Values{"csrf": {csrf}, "name": {"城市治理"}}); rec.Code != http.StatusNotFound {
		t.Errorf("delete again: %d", rec.Code)
	}
	d = b.page("/admin")
	hist := d.find(func(n *html.Node) bool { return n.Data == "details" && hasClass(n, "theme-history") })
	if len(hist) != 1 {
		t.Fatal("no history")
	}
	txt := textOf(hist[0])
	for _, s := range []string{"删除", "导入", "保存", "admin page", "4"} {
		if !strings.Contains(txt, s) {
			t.Errorf("history lacks %q: %s", s, txt)
		}
	}
	if strings.Contains(textOf(d.byID("themes")), "城市治理") && !strings.Contains(txt, "城市治理") {
		t.Error("deleted theme still listed")
	}
	// The export links answer.
	for _, l := range []string{"/api/themes", "/api/themes?format=csv"} {
		if linkByText([]*html.Node{d.byID("themes")}, map[string]string{"/api/themes": "JSON", "/api/themes?format=csv": "CSV"}[l]) != l {
			t.Errorf("no export link %s", l)
		}
		if rec := get(t, s.e, l); rec.Code != http.StatusOK {
			t.Errorf("%s: %d", l, rec.Code)
		}
	}
}
