package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	sampleCleanup()
	os.Exit(code)
}

func newTestServer(t *testing.T) *echo.Echo {
	t.Helper()
	e, err := New(testcorpus.Index(t), slog.New(slog.NewTextHandler(io.Discard, nil)), testHosts)
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
	// A malformed query: the page says what is wrong in Chinese, with the
	// position in characters; the API keeps a stable English error and a
	// code.
	rec = get(t, e, "/?q="+url.QueryEscape(`网格 "GDP`))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "第 4 个字符处的引号没有配对的结束引号") {
		t.Errorf("malformed query page: %d %s", rec.Code, rec.Body.String())
	}
	rec = get(t, e, "/api/search?q="+url.QueryEscape(`网格 "GDP`))
	var body400 map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body400); err != nil || rec.Code != http.StatusBadRequest ||
		body400["code"] != "unterminated_quote" || body400["error"] != "query: unterminated quote at character 4" {
		t.Errorf("malformed query API: %d %s", rec.Code, rec.Body.String())
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

// searchTotal asks the API for the total of a query string.
func searchTotal(t *testing.T, e *echo.Echo, rawQuery string) uint64 {
	t.Helper()
	var resp search.Response
	getJSON(t, e, "/api/search?"+rawQuery, &resp)
	return resp.Total
}

// The search page on the sample: facets that filter, chips that unfilter,
// pages and an export, all as links whose URLs are the API's parameters.
func TestSearchPageFacetsPagesExport(t *testing.T) {
	e := newSampleServer(t)
	q := url.QueryEscape("发展")
	d := fetchPage(t, e, "/?q="+q)
	if d.code != http.StatusOK {
		t.Fatalf("status %d", d.code)
	}
	total := searchTotal(t, e, "q="+q)
	if got := textOf(d.byID("total")); got != thousands(total) {
		t.Errorf("page total %q, API %d", got, total)
	}
	if n := len(d.byClass("li", "hit")); n != search.DefaultSize {
		t.Errorf("%d hits on the first page", n)
	}
	// Every facet group the issue asks for is there, with counts that add
	// up to the total.
	facets := d.byClass("section", "facet")
	for _, label := range []string{"年份", "地区", "层级", "文种"} {
		if !slices.ContainsFunc(facets, func(n *html.Node) bool { return strings.Contains(textOf(n), label) }) {
			t.Errorf("no %s facet", label)
		}
	}
	// Click the 2024 facet: the URL gains year=2024 and the total is the
	// API's for it.
	href := linkByText(facets, "2024")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/" || u.Query().Get("year") != "2024" || u.Query().Get("q") != "发展" {
		t.Fatalf("year facet link %q", href)
	}
	d2 := fetchPage(t, e, href)
	want := searchTotal(t, e, u.RawQuery)
	if want == 0 || want >= total || textOf(d2.byID("total")) != thousands(want) {
		t.Errorf("after the facet: page total %q, API %d (before %d)", textOf(d2.byID("total")), want, total)
	}
	// The filter shows as a chip whose link removes it, and travels with
	// a new query as a form field.
	chips := d2.byClass("ul", "chips")
	if len(chips) != 1 || !strings.Contains(textOf(chips[0]), "年份：2024") {
		t.Fatalf("no year chip: %v", chips)
	}
	if back := linkByText(chips, "2024"); back != "/?q="+q {
		t.Errorf("chip removes to %q", back)
	}
	if v := d2.find(func(n *html.Node) bool { return attr(n, "name") == "year" }); len(v) != 1 || attr(v[0], "value") != "2024" {
		t.Errorf("year field not filled")
	}
	// Pages: the next page's hits follow the first page's, and the page
	// links are valid requests.
	pages := d.byClass("nav", "pages")
	if len(pages) != 1 {
		t.Fatal("no pagination")
	}
	next := linkByText(pages, "下一页")
	if !strings.Contains(next, "from=10") {
		t.Errorf("next page link %q", next)
	}
	var first, second search.Response
	getJSON(t, e, "/api/search?q="+q, &first)
	getJSON(t, e, "/api/search?from=10&q="+q, &second)
	d3 := fetchPage(t, e, next)
	if hits := d3.byClass("li", "hit"); len(hits) == 0 || !strings.Contains(textOf(hits[0]), second.Hits[0].Title) {
		t.Errorf("second page does not start with the API's 11th hit")
	}
	if attr(d3.byClass("ol", "hits")[0], "start") != "11" {
		t.Errorf("second page numbering does not start at 11")
	}
	for _, a := range d3.find(func(n *html.Node) bool { return n.Data == "a" && n.Parent != nil && hasClass(n.Parent, "pages") }) {
		if c := fetchPage(t, e, attr(a, "href")).code; c != http.StatusOK {
			t.Errorf("page link %s: %d", attr(a, "href"), c)
		}
	}
	// Export: every matching paragraph of the current query.
	exp := linkByText(d2.byClass("span", "export"), "CSV")
	rec := get(t, e, exp)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("export %s: %d %s", exp, rec.Code, rec.Header().Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
	if err != nil || uint64(len(rows)-1) != want {
		t.Errorf("export has %d rows, want %d (%v)", len(rows)-1, want, err)
	}
	// A hit opens the reader at its paragraph with the query.
	read := attr(d.byClass("a", "title")[0], "href")
	if !strings.HasPrefix(read, "/documents/"+first.Hits[0].DocID+"?q=") || !strings.HasSuffix(read, fmt.Sprintf("#p%d", first.Hits[0].Paragraph)) {
		t.Errorf("reader link %q for hit %+v", read, first.Hits[0].ID)
	}
}

func TestSearchPageStateInURL(t *testing.T) {
	e := newSampleServer(t)
	// Sort, mode, a year range and a region: shown in the form, kept by
	// every link, answered like the API.
	raw := "q=" + url.QueryEscape("发展") + "&sort=-year&mode=loose&year=2023..2025&region=" + url.QueryEscape("全国")
	d := fetchPage(t, e, "/?"+raw)
	if d.code != http.StatusOK {
		t.Fatalf("status %d: %s", d.code, d.body)
	}
	if got, want := textOf(d.byID("total")), thousands(searchTotal(t, e, raw)); got != want {
		t.Errorf("total %s, API %s", got, want)
	}
	selected := d.find(func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") == "-year" })
	if len(selected) != 1 || !slices.ContainsFunc(selected[0].Attr, func(a html.Attribute) bool { return a.Key == "selected" }) {
		t.Error("sort not selected in the form")
	}
	hidden := d.find(func(n *html.Node) bool { return attr(n, "type") == "hidden" && attr(n, "name") == "region" })
	if len(hidden) != 1 || attr(hidden[0], "value") != "全国" {
		t.Error("region not kept by the form")
	}
	for _, a := range d.find(func(n *html.Node) bool { return n.Data == "a" && n.Parent != nil && hasClass(n.Parent, "pages") }) {
		v, _ := url.ParseQuery(strings.TrimPrefix(attr(a, "href"), "/?"))
		if v.Get("sort") != "-year" || v.Get("mode") != "loose" || v.Get("year") != "2023..2025" || v.Get("region") != "全国" {
			t.Errorf("page link loses state: %s", attr(a, "href"))
		}
	}
	// Years sort newest first.
	var years []string
	for _, h := range d.byClass("li", "hit") {
		years = append(years, textOf(h))
	}
	if len(years) < 2 || !strings.Contains(years[0], "2025") {
		t.Errorf("sort=-year: first hit not from 2025")
	}
	// A bad parameter is a 400 page with the message, the form kept.
	d = fetchPage(t, e, "/?q=x&year=20x")
	if d.code != http.StatusBadRequest || len(d.byClass("p", "error")) != 1 {
		t.Errorf("bad year: %d", d.code)
	}
	// The empty page explains and links to the reports.
	d = fetchPage(t, e, "/")
	if d.code != http.StatusOK || !strings.Contains(d.body, "8 份报告") {
		t.Errorf("home page: %d", d.code)
	}
}

// A facet click on a year inside a year range narrows to that year.
func TestFacetToggle(t *testing.T) {
	p := params{"q": {"x"}, "year": {"2018..2023"}}
	if got := facetToggle(p, "year", "2020").href("/"); got != "/?q=x&year=2020" {
		t.Errorf("year in range: %s", got)
	}
	p = params{"q": {"x"}, "year": {"2020"}}
	if got := facetToggle(p, "year", "2020").href("/"); got != "/?q=x" {
		t.Errorf("unselect: %s", got)
	}
	if got := facetToggle(p, "region", "全国").href("/"); got != "/?q=x&region=%E5%85%A8%E5%9B%BD&year=2020" {
		t.Errorf("region: %s", got)
	}
}

func TestPaginate(t *testing.T) {
	p := params{"q": {"x"}}
	pg := paginate(p, 0, 30, 20000)
	if pg.Last != search.MaxWindow/30 || pg.Prev != "" || pg.Next != "/?from=30&q=x" {
		t.Errorf("%+v", pg)
	}
	// The last page link is a valid request: from+size ≤ MaxWindow.
	pg = paginate(p, (pg.Last-1)*30, 30, 20000)
	if pg.Next != "" || (pg.Last-1)*30+30 > search.MaxWindow {
		t.Errorf("last page %+v", pg)
	}
	if pg = paginate(p, 0, 10, 5); len(pg.Links) != 0 || pg.Next != "" {
		t.Errorf("one page: %+v", pg)
	}
}
