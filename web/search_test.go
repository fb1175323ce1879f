package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	os.Exit(code)
}

func newTestServer(t *testing.T) *echo.Echo {
	t.Helper()
	e, err := New(testcorpus.Index(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func get(t *testing.T, e *echo.Echo, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func TestAPISearch(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/api/search?q="+url.QueryEscape("网格化治理"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var resp search.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Total == 0 || len(resp.Hits) == 0 {
		t.Fatalf("no hits for 网格化治理: %s", rec.Body)
	}
	h := resp.Hits[0]
	if !strings.Contains(h.Text, "网格化治理") || !strings.Contains(h.Highlight, "<mark>网格化治理</mark>") {
		t.Errorf("hit text/highlight wrong: %+v", h)
	}
	if h.Title == "" || h.Year == 0 || h.DocID == "" || h.Paragraph == 0 || h.Path == "" {
		t.Errorf("hit lacks metadata: %+v", h)
	}
	// The raw JSON has every field of the contract.
	var raw struct {
		Hits []map[string]any `json:"hits"`
	}
	json.Unmarshal(rec.Body.Bytes(), &raw)
	for _, k := range []string{"id", "doc_id", "title", "path", "year", "region", "level", "organization", "doc_type", "paragraph", "text", "highlight", "score"} {
		if _, ok := raw.Hits[0][k]; !ok {
			t.Errorf("hit lacks field %q", k)
		}
	}
}

func TestAPIPagination(t *testing.T) {
	e := newTestServer(t)
	var all, p1, p2 search.Response
	for target, dst := range map[string]*search.Response{
		"/api/search?q=%E5%8F%91%E5%B1%95&size=20":         &all,
		"/api/search?q=%E5%8F%91%E5%B1%95&size=10":         &p1,
		"/api/search?q=%E5%8F%91%E5%B1%95&size=10&from=10": &p2,
	} {
		rec := get(t, e, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		json.Unmarshal(rec.Body.Bytes(), dst)
	}
	if all.Total != p1.Total || all.Total != p2.Total || all.Total < 1000 {
		t.Errorf("totals differ or too small: %d %d %d", all.Total, p1.Total, p2.Total)
	}
	for i := 0; i < 10; i++ {
		if all.Hits[i].ID != p1.Hits[i].ID || all.Hits[10+i].ID != p2.Hits[i].ID {
			t.Fatalf("pages are not slices of one ranking at %d", i)
		}
	}
}

func TestAPIBadRequests(t *testing.T) {
	e := newTestServer(t)
	for _, target := range []string{
		"/api/search",
		"/api/search?q=",
		"/api/search?q=%22open",
		"/api/search?q=-only",
		"/api/search?q=a+%7C",
		"/api/search?q=x&size=0x",
		"/api/search?q=x&size=1000",
		"/api/search?q=x&size=-1",
		"/api/search?q=x&from=-5",
		"/api/search?q=x&from=abc",
		"/api/search?q=x&from=9999&size=100",
		"/api/search?q=x&mode=fuzzy",
		"/api/search?q=%FF%FE",
	} {
		rec := get(t, e, target)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400 (%s)", target, rec.Code, rec.Body)
			continue
		}
		var body map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] == "" {
			t.Errorf("%s: body %q is not {\"error\": …}", target, rec.Body)
		}
	}
}

func TestHealthzAndPage(t *testing.T) {
	e := newTestServer(t)
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("healthz: %d", rec.Code)
	}
	rec := get(t, e, "/?q="+url.QueryEscape("城市更新"))
	if rec.Code != http.StatusOK {
		t.Fatalf("page: %d", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "<mark>城市更新</mark>") {
		t.Error("page does not show highlighted hits")
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	// A query is shown escaped, never as markup.
	rec = get(t, e, "/?q="+url.QueryEscape(`<script>alert(1)</script>`))
	if strings.Contains(rec.Body.String(), "<script>alert(1)") {
		t.Error("query rendered unescaped")
	}
	rec = get(t, e, "/?q=%22open")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "unterminated") {
		t.Errorf("malformed query page: %d", rec.Code)
	}
}

func TestTemplatesParse(t *testing.T) {
	tmpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"search.html", "error.html", "head", "foot"} {
		if tmpl.Lookup(name) == nil {
			t.Errorf("template %s missing", name)
		}
	}
}
