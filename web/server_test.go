package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/indexer"
)

// Every embedded template parses, and every page template file defines
// the template of its name (the name handlers render).
func TestEveryEmbeddedTemplate(t *testing.T) {
	tmpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) < 7 {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" {
			for _, n := range []string{"head", "foot"} {
				if tmpl.Lookup(n) == nil {
					t.Errorf("layout.html does not define %s", n)
				}
			}
			continue
		}
		if tmpl.Lookup(name) == nil {
			t.Errorf("%s does not define the template %q", f, name)
		}
	}
}

// xssText is a report made to attack the pages: markup in its title, its
// text and its metadata must show as text everywhere.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
	// A text file that starts with text (one that starts with a tag is
	// read as HTML, its markup dropped by the extractor).
	xssText = "跨站测试报告\n正文" + xssImg + "跨站测试段落。\n" + xssScript + "跨站测试脚本。\n" + `"><svg onload=alert(1)>跨站测试` + "\n"
)

func TestPagesEscapeReportText(t *testing.T) {
	s := newAdminServer(t)
	rec := apiUpload(t, s.e, testAdminToken, [][2]string{{`<b onmouseover=alert(1)>x</b>.txt`, xssText}},
		map[string]string{"title": xssScript + "跨站测试报告", "region": xssImg, "organization": xssScript, "doc_type": `"><script>alert(1)</script>`})
	var sum indexer.Summary
	if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil || sum.Added != 1 {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	id := sum.Files[0].ID
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	b.post("/admin/login", url.Values{"token": {testAdminToken}})
	q := url.QueryEscape("跨站测试")
	for _, target := range []string{
		"/?q=" + q,
		"/?q=" + q + "&region=" + url.QueryEscape(xssImg),
		"/?q=" + url.QueryEscape(xssScript),
		"/?q=" + url.QueryEscape(`"`+xssImg),
		"/documents/" + id + "?q=" + q,
		"/documents/" + id + "?q=" + url.QueryEscape(xssImg),
		"/documents",
		"/documents?region=" + url.QueryEscape(xssImg),
		"/trends?by=region&q=" + q,
		"/trends?by=organization&q=" + q + "&q=" + url.QueryEscape(xssScript),
		"/trends?by=doc_type&q=" + q + "&metric=rate",
		"/admin",
		"/nope/" + url.PathEscape(xssScript),
	} {
		d := b.page(target)
		if d.code >= 500 {
			t.Errorf("%s: %d", target, d.code)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload", "<b onmouseover"} {
			if strings.Contains(d.body, raw) {
				i := strings.Index(d.body, raw)
				t.Errorf("%s: %q rendered as markup: …%s…", target, raw, d.body[max(0, i-80):min(len(d.body), i+80)])
			}
		}
		// Scripts only come from /static: no inline ones at all.
		for _, sc := range d.find(func(n *html.Node) bool { return n.Data == "script" }) {
			if attr(sc, "src") != "/static/app.js" || sc.FirstChild != nil {
				t.Errorf("%s: unexpected script element", target)
			}
		}
		for _, n := range d.find(func(n *html.Node) bool { return true }) {
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: event handler attribute %s=%q", target, a.Key, a.Val)
				}
			}
		}
	}
	// And the payloads are shown, as text.
	d := b.page("/documents/" + id + "?q=" + q)
	if !strings.Contains(textOf(d.root), xssImg+"跨站测试段落") || !strings.Contains(d.body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the reader does not show the report's text")
	}
	d = b.page("/?q=" + q)
	if !strings.Contains(textOf(d.root), xssScript+"跨站测试报告") {
		t.Error("the search page does not show the title as text")
	}
}

// Every page and API answer carries the security headers; pages have a
// CSP without inline scripts.
func TestSecurityHeaders(t *testing.T) {
	s := newAdminServer(t)
	for _, target := range []string{"/", "/?q=x", "/trends", "/documents", "/admin", "/nope", "/api/search?q=x", "/static/style.css", "/api/openapi.json"} {
		rec := httptest.NewRecorder()
		s.e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", target, h)
		}
	}
}
