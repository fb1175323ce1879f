package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

func dictCall(t *testing.T, e http.Handler, method, target, token, ctype, body string) (*httptest.ResponseRecorder, search.UserDict) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	var u search.UserDict
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
	}
	return rec, u
}

// waitApplied polls the rebuild's progress until the served word field
// has the stored dictionary (or the rebuild fails).
func waitApplied(t *testing.T, e http.Handler) search.UserDict {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, u := dictCall(t, e, http.MethodGet, "/api/dict", "", "", "")
		if u.Rebuild.State == search.RebuildFailed {
			t.Fatalf("rebuild failed: %+v", u.Rebuild)
		}
		if u.Version == u.Applied && u.Rebuild.State != search.RebuildRunning {
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("rebuild did not finish: %+v", u)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The dictionary API: public reads, admin changes (JSON or a word list),
// each change rebuilt in the background and swapped in; exact totals are
// the same before and after, loose mode of a dictionary word becomes the
// word itself.
func TestDictAPI(t *testing.T) {
	defer analysis.Use(nil)
	s := newAdminServer(t)
	queries := []string{"新质生产力", "一网通办", "发展", "高质量发展", "质生"}
	before := map[string]uint64{}
	for _, q := range queries {
		before[q] = searchTotal(t, s.e, url.Values{"q": {q}}.Encode())
	}
	if rec, u := dictCall(t, s.e, http.MethodGet, "/api/dict", "", "", ""); rec.Code != http.StatusOK || len(u.Words) != 0 || u.Version != "" || u.Rebuild.State != search.RebuildIdle {
		t.Fatalf("empty dictionary: %d %+v", rec.Code, u)
	}
	if rec, _ := dictCall(t, s.e, http.MethodPost, "/api/dict", "", "application/json", `{"add":["新质生产力"]}`); rec.Code != http.StatusUnauthorized {
		t.Errorf("change without a token: %d", rec.Code)
	}
	if rec, _ := dictCall(t, s.e, http.MethodPost, "/api/dict", testAdminToken, "application/json", `{"add":["新"]}`); rec.Code != http.StatusBadRequest {
		t.Errorf("a one-character word: %d", rec.Code)
	}
	if rec, _ := dictCall(t, s.e, http.MethodPost, "/api/dict", testAdminToken, "application/json", `{"add":`); rec.Code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", rec.Code)
	}
	rec, u := dictCall(t, s.e, http.MethodPost, "/api/dict", testAdminToken, "application/json", `{"add":["新质生产力"]}`)
	if rec.Code != http.StatusOK || !slices.Equal(u.Words, []string{"新质生产力"}) {
		t.Fatalf("add: %d %s", rec.Code, rec.Body)
	}
	u = waitApplied(t, s.e)
	if u.AppliedWords != 1 {
		t.Errorf("applied: %+v", u)
	}
	var rb search.DictRebuild
	getJSON(t, s.e, "/api/dict/rebuild", &rb)
	if rb.State != search.RebuildDone || rb.Paragraphs != rb.Total || rb.Total == 0 {
		t.Errorf("rebuild: %+v", rb)
	}
	// A word list (gse's format: the first field), replacing.
	rec, u = dictCall(t, s.e, http.MethodPost, "/api/dict?replace=true", testAdminToken, "text/plain", "# terms\n新质生产力 100 n\n一網通辦\n\n")
	if rec.Code != http.StatusOK || !slices.Equal(u.Words, []string{"一网通办", "新质生产力"}) {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	waitApplied(t, s.e)
	if rec, _ := dictCall(t, s.e, http.MethodPost, "/api/dict", testAdminToken, "text/plain", "好词\n坏 词\n"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "line 2") {
		t.Errorf("bad word list: %d %s", rec.Code, rec.Body)
	}
	for _, q := range queries {
		if got := searchTotal(t, s.e, url.Values{"q": {q}}.Encode()); got != before[q] {
			t.Errorf("exact %q: %d with the dictionary, %d without", q, got, before[q])
		}
	}
	if ws, _ := analysis.Words("新质生产力"); !slices.Equal(ws, []string{"新质生产力"}) {
		t.Errorf("query words of 新质生产力: %q", ws)
	}
	if got := searchTotal(t, s.e, url.Values{"q": {"新质生产力"}, "mode": {"loose"}}.Encode()); got != before["新质生产力"] {
		t.Errorf("loose 新质生产力 = %d, exact %d", got, before["新质生产力"])
	}
	if rec, _ := dictCall(t, s.e, http.MethodDelete, "/api/dict/"+url.PathEscape("不在词典"), testAdminToken, "", ""); rec.Code != http.StatusNotFound {
		t.Errorf("delete an unknown word: %d", rec.Code)
	}
	rec, u = dictCall(t, s.e, http.MethodDelete, "/api/dict/"+url.PathEscape("一网通办"), testAdminToken, "", "")
	if rec.Code != http.StatusOK || !slices.Equal(u.Words, []string{"新质生产力"}) {
		t.Errorf("delete: %d %s", rec.Code, rec.Body)
	}
	waitApplied(t, s.e)
}

// The page: login needed; a suggestion's link fills the form; adding and
// removing words through the forms (with the CSRF token); progress shown.
func TestDictPage(t *testing.T) {
	defer analysis.Use(nil)
	s := newAdminServer(t)
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	if d := b.page("/admin/dict?add=" + url.QueryEscape("新质生产力")); d.byID("dict-add") != nil || !strings.Contains(d.body, "/admin") {
		t.Errorf("the form is shown without a login")
	}
	if rec := b.post("/admin/dict", url.Values{"words": {"新质生产力"}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous add: %d", rec.Code)
	}
	if rec := b.post("/admin/login", url.Values{"token": {testAdminToken}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	d := b.page("/admin/dict?add=" + url.QueryEscape("新质生产力"))
	form := d.byID("dict-add")
	if form == nil || !strings.Contains(textOf(form), "新质生产力") {
		t.Fatalf("the suggestion is not filled in: %s", d.body)
	}
	csrf := csrfOf(t, d)
	if rec := b.post("/admin/dict", url.Values{"words": {"新质生产力"}}); rec.Code != http.StatusForbidden {
		t.Errorf("add without csrf: %d", rec.Code)
	}
	if rec := b.post("/admin/dict", url.Values{"csrf": {csrf}, "words": {"新质生产力\r\n一网通办\n"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d %s", rec.Code, rec.Body)
	}
	d = b.page("/admin/dict")
	if !strings.Contains(textOf(d.byID("result")), "已加入 2 个词") || d.byID("rebuild-state") == nil {
		t.Errorf("after adding: %s", d.body)
	}
	waitApplied(t, s.e)
	d = b.page("/admin/dict")
	if st := d.byID("rebuild-state"); st == nil || !strings.Contains(textOf(st), "已完成") {
		t.Errorf("progress after the rebuild: %s", textOf(st))
	}
	if rec := b.post("/admin/dict", url.Values{"csrf": {csrf}, "action": {"remove"}, "word": {"一网通办"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("remove: %d", rec.Code)
	}
	if u := waitApplied(t, s.e); !slices.Equal(u.Words, []string{"新质生产力"}) {
		t.Errorf("after removing: %q", u.Words)
	}
	if rec := b.post("/admin/dict", url.Values{"csrf": {csrf}, "words": {"坏 词"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("bad word: %d", rec.Code)
	}
	// The suggestions page links each suggestion here.
	sp := b.page("/suggestions?min=3")
	if !strings.Contains(sp.body, "/admin/dict?add=") {
		t.Errorf("no accept links on the suggestions page")
	}
}
