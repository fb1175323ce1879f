package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/export"
)

// The handlers are checked end to end on the corpus index: parameters in,
// bodies out, every count against a brute-force count over the same
// paragraphs (single-term queries, so the oracle is strings.Contains).

type bruteParagraph struct {
	report *search.Report
	n      int
	folded string
}

var (
	bruteOnce  sync.Once
	bruteParas []bruteParagraph
)

func brute(t *testing.T) []bruteParagraph {
	t.Helper()
	ix := testcorpus.Index(t)
	bruteOnce.Do(func() {
		reports, err := ix.Reports()
		if err != nil {
			t.Fatal(err)
		}
		for i := range reports {
			ps, err := ix.Paragraphs(context.Background(), reports[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				bruteParas = append(bruteParas, bruteParagraph{&reports[i], p.N, analysis.FoldString(p.Text)})
			}
		}
	})
	return bruteParas
}

// bruteCount counts the paragraphs containing term that pass the filter
// given as query parameters, by facet field value.
func bruteCount(t *testing.T, term string, params url.Values) (uint64, map[string]map[string]uint64) {
	t.Helper()
	f, err := search.ParseFilter(params)
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	facets := map[string]map[string]uint64{}
	for _, field := range search.FacetFields {
		facets[field] = map[string]uint64{}
	}
	for _, p := range brute(t) {
		if !f.Match(p.report) || !strings.Contains(p.folded, analysis.FoldString(term)) {
			continue
		}
		total++
		for _, field := range search.FacetFields {
			v, _ := search.FieldValue(p.report, field)
			facets[field][fmt.Sprint(v)]++
		}
	}
	return total, facets
}

func getJSON(t *testing.T, e *echo.Echo, target string, dst any) {
	t.Helper()
	rec := get(t, e, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), dst); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
}

func TestAPIFiltersAndFacetsEqualBruteForce(t *testing.T) {
	e := newTestServer(t)
	for _, tc := range []struct{ q, params string }{
		{"发展", ""},
		{"发展", "year=2018..2023"},
		{"发展", "year=2018..2023&doc_type=政府工作报告"},
		{"改革", "year=1954..1960&year=2020..2022"},
		{"人民", "region=山东省&region=全国&level=provincial"},
		{"城市更新", "level=provincial&level=district"},
		{"政协", "organization=国务院&year=..1990"},
		{"高质量发展", "year=2026..&region=山东省"},
		{"网格化治理", "doc_type=政协工作报告&year=2022"},
	} {
		params, err := url.ParseQuery(tc.params)
		if err != nil {
			t.Fatal(err)
		}
		wantTotal, wantFacets := bruteCount(t, tc.q, params)
		params.Set("q", tc.q)
		var resp search.Response
		getJSON(t, e, "/api/search?"+params.Encode(), &resp)
		if resp.Total != wantTotal {
			t.Errorf("%q %s: total %d, brute force %d", tc.q, tc.params, resp.Total, wantTotal)
		}
		for _, field := range search.FacetFields {
			got := map[string]uint64{}
			for _, v := range resp.Facets[field] {
				got[fmt.Sprint(v.Value)] = v.Count
			}
			if fmt.Sprint(got) != fmt.Sprint(wantFacets[field]) {
				t.Errorf("%q %s: %s facet %v, brute force %v", tc.q, tc.params, field, got, wantFacets[field])
			}
		}
	}
	// Facets are in every search body, numbers for years.
	rec := get(t, e, "/api/search?q="+url.QueryEscape("网格化治理"))
	if !strings.Contains(rec.Body.String(), `"facets":{"doc_type":[{"value":"政协工作报告","count":`) ||
		!strings.Contains(rec.Body.String(), `"year":[{"value":2022,"count":`) {
		t.Errorf("facets missing or not as documented: %s", rec.Body)
	}
	// Highlights are not HTML-escaped inside the JSON.
	if !strings.Contains(rec.Body.String(), `<mark>网格化治理</mark>`) {
		t.Errorf("highlight not sent as <mark>: %s", rec.Body)
	}
}

func TestAPIYearRangeAndSort(t *testing.T) {
	e := newTestServer(t)
	base := "/api/search?q=" + url.QueryEscape("发展") + "&year=2018..2023&sort=-year&size=100"
	var first search.Response
	getJSON(t, e, base, &first)
	wantTotal, _ := bruteCount(t, "发展", url.Values{"year": {"2018..2023"}})
	if first.Total != wantTotal || first.Total <= 100 {
		t.Fatalf("total %d, brute force %d", first.Total, wantTotal)
	}
	var hits []search.Hit
	for from := 0; uint64(from) < first.Total; from += 100 {
		var page search.Response
		getJSON(t, e, fmt.Sprintf("%s&from=%d", base, from), &page)
		hits = append(hits, page.Hits...)
	}
	if uint64(len(hits)) != first.Total {
		t.Fatalf("%d hits over all pages, total %d", len(hits), first.Total)
	}
	seen := map[string]bool{}
	for i, h := range hits {
		if seen[h.ID] {
			t.Fatalf("%s twice", h.ID)
		}
		seen[h.ID] = true
		if h.Year < 2018 || h.Year > 2023 {
			t.Errorf("%s: year %d", h.ID, h.Year)
		}
		if i > 0 {
			a := hits[i-1]
			if a.Year < h.Year || a.Year == h.Year && (a.DocID > h.DocID || a.DocID == h.DocID && a.Paragraph > h.Paragraph) {
				t.Fatalf("%s (%d) before %s (%d): not newest first in reading order", a.ID, a.Year, h.ID, h.Year)
			}
		}
	}
}

func TestAPIGroupByDoc(t *testing.T) {
	e := newTestServer(t)
	var resp search.Response
	getJSON(t, e, "/api/search?q="+url.QueryEscape("城市更新")+"&group=doc&size=100", &resp)
	want, _ := bruteCount(t, "城市更新", nil)
	var sum uint64
	for _, g := range resp.Groups {
		sum += g.Count
		if len(g.Hits) == 0 || g.Hits[0].DocID != g.DocID || g.Title == "" {
			t.Errorf("group %+v", g)
		}
	}
	if resp.Total != want || sum != want || resp.TotalGroups != len(resp.Groups) || len(resp.Hits) != 0 {
		t.Errorf("total %d, groups sum %d, brute force %d; %d groups of %d", resp.Total, sum, want, len(resp.Groups), resp.TotalGroups)
	}
}

func TestAPIExportCSV(t *testing.T) {
	e := newTestServer(t)
	params := "q=" + url.QueryEscape("发展") + "&year=2000..&doc_type=" + url.QueryEscape("政府工作报告")
	var resp search.Response
	getJSON(t, e, "/api/search?"+params, &resp)
	rec := get(t, e, "/api/search?"+params+"&format=csv&size=5")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	body, ok := bytes.CutPrefix(rec.Body.Bytes(), []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("no UTF-8 byte-order mark")
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], export.Columns) {
		t.Errorf("header %v, want %v", records[0], export.Columns)
	}
	want := []string{"id", "doc_id", "title", "year", "region", "level", "organization", "doc_type", "path", "paragraph", "section", "text", "reader", "score"}
	if !slices.Equal(export.Columns, want) {
		t.Errorf("columns %v", export.Columns)
	}
	rows := records[1:]
	// Every match, not a page: size is ignored.
	if uint64(len(rows)) != resp.Total || resp.Total < 500 {
		t.Fatalf("%d rows, total %d", len(rows), resp.Total)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r[0]] {
			t.Fatalf("row %s twice", r[0])
		}
		seen[r[0]] = true
		if r[7] != "政府工作报告" || r[3] < "2000" || !strings.Contains(analysis.FoldString(r[11]), "发展") || r[0] != r[1]+"-"+r[9] {
			t.Fatalf("row does not match the request: %v", r)
		}
	}
}

func TestAPIExportJSONL(t *testing.T) {
	e := newTestServer(t)
	q := url.QueryEscape("改革")
	var resp search.Response
	getJSON(t, e, "/api/search?q="+q, &resp)
	rec := get(t, e, "/api/search?format=jsonl&q="+q)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(nil, 1<<20)
	var n uint64
	for sc.Scan() {
		var row search.Row
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if row.DocID == "" || row.Title == "" || !strings.Contains(analysis.FoldString(row.Text), "改革") {
			t.Fatalf("row %+v", row)
		}
		n++
	}
	if n != resp.Total || n < 500 {
		t.Errorf("%d lines, total %d", n, resp.Total)
	}
	// No matches: an empty CSV still has its BOM and header.
	rec = get(t, e, "/api/search?format=csv&q="+url.QueryEscape("火星殖民"))
	if rec.Code != http.StatusOK || rec.Body.String() != "\uFEFF"+strings.Join(export.Columns, ",")+"\n" {
		t.Errorf("empty CSV: %d %q", rec.Code, rec.Body)
	}
}

func TestAPITrends(t *testing.T) {
	e := newTestServer(t)
	qs := []string{"网格化治理", "城市更新", "发展"}
	target := "/api/trends?by=year&year=2010..&q=" + url.QueryEscape(qs[0]) + "&q=" + url.QueryEscape(qs[1]) + "&q=" + url.QueryEscape(qs[2])
	var tr search.TrendsResponse
	getJSON(t, e, target, &tr)
	if tr.By != "year" || len(tr.Series) != 3 || len(tr.Buckets) < 10 {
		t.Fatalf("trends: by %s, %d series, %d buckets", tr.By, len(tr.Series), len(tr.Buckets))
	}
	for _, s := range tr.Series {
		var sum uint64
		for _, p := range s.Points {
			y := int(p.Value.(float64))
			want, _ := bruteCount(t, s.Query, url.Values{"year": {fmt.Sprint(y)}})
			var sr search.Response
			getJSON(t, e, fmt.Sprintf("/api/search?q=%s&year=%d&size=1", url.QueryEscape(s.Query), y), &sr)
			if p.Paragraphs != want || sr.Total != want {
				t.Errorf("%q %d: trend %d, search %d, brute force %d", s.Query, y, p.Paragraphs, sr.Total, want)
			}
			sum += p.Paragraphs
		}
		if sum != s.Total {
			t.Errorf("%q: points sum %d, total %d", s.Query, sum, s.Total)
		}
	}
	rec := get(t, e, target+"&format=csv")
	body, ok := bytes.CutPrefix(rec.Body.Bytes(), []byte("\xEF\xBB\xBF"))
	if rec.Code != http.StatusOK || !ok || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("trends csv: %d, BOM %v, %q", rec.Code, ok, rec.Header().Get("Content-Type"))
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], export.TrendColumns) || len(records) != 1+len(qs)*len(tr.Buckets) {
		t.Errorf("trends csv: header %v, %d rows for %d×%d", records[0], len(records)-1, len(qs), len(tr.Buckets))
	}
	// by=region and by=doc_type.
	for _, by := range []string{"region", "doc_type"} {
		getJSON(t, e, "/api/trends?q="+url.QueryEscape("改革")+"&by="+by, &tr)
		want, _ := bruteCount(t, "改革", nil)
		if tr.By != by || tr.Series[0].Total != want {
			t.Errorf("by %s: total %d, brute force %d", by, tr.Series[0].Total, want)
		}
	}
}

func TestAPIDocuments(t *testing.T) {
	e := newTestServer(t)
	var list search.ReportList
	getJSON(t, e, "/api/documents?year=2018..2023&doc_type="+url.QueryEscape("政府工作报告"), &list)
	if list.Total != 5 || len(list.Reports) != list.Total { // 2018, 2019, 2021, 2022, 2023: no 2020 report in the corpus
		t.Errorf("%d reports: %+v", list.Total, list.Reports)
	}
	for i, r := range list.Reports {
		if r.Year < 2018 || r.Year > 2023 || r.DocType != "政府工作报告" || i > 0 && list.Reports[i-1].Year > r.Year {
			t.Errorf("report %d: %s %d %s", i, r.Title, r.Year, r.DocType)
		}
	}
	getJSON(t, e, "/api/documents?sort=-year", &list)
	if list.Total < 90 || list.Reports[0].Year < list.Reports[list.Total-1].Year {
		t.Errorf("all reports, newest first: %d", list.Total)
	}
	id := list.Reports[0].ID

	var doc search.Document
	getJSON(t, e, "/api/documents/"+id, &doc)
	if doc.Report.ID != id || len(doc.Paragraphs) != doc.Report.Paragraphs || len(doc.Paragraphs) < 10 {
		t.Fatalf("document %s: %d paragraphs, metadata %d", id, len(doc.Paragraphs), doc.Report.Paragraphs)
	}
	headings := 0
	for i, p := range doc.Paragraphs {
		if p.N != i+1 {
			t.Fatalf("paragraph %d numbered %d", i+1, p.N)
		}
		if p.Heading {
			headings++
		}
	}
	// The outline lists every heading, plus the run-in titles that open a
	// section inside a body paragraph ("（一）…。body…").
	runIn := 0
	for _, o := range doc.Outline {
		p := doc.Paragraphs[o.Paragraph-1]
		switch {
		case p.Heading && o.Heading == p.Text:
		case !p.Heading && strings.HasPrefix(p.Text, o.Heading) && strings.HasSuffix(p.Section, o.Heading):
			runIn++
		default:
			t.Errorf("outline entry %+v does not match paragraph %+v", o, p)
		}
	}
	if len(doc.Outline) != headings+runIn {
		t.Errorf("outline has %d entries, %d headings and %d run-in titles", len(doc.Outline), headings, runIn)
	}

	last := len(doc.Paragraphs)
	for _, tc := range []struct {
		n, context, before, after int
	}{{1, 2, 0, 2}, {5, 2, 2, 2}, {last, 3, 3, 0}, {2, 0, 0, 0}} {
		var pc search.ParagraphContext
		getJSON(t, e, fmt.Sprintf("/api/documents/%s/paragraphs/%d?context=%d", id, tc.n, tc.context), &pc)
		if pc.Paragraph.N != tc.n || pc.Paragraph.Text != doc.Paragraphs[tc.n-1].Text || len(pc.Before) != tc.before || len(pc.After) != tc.after {
			t.Errorf("paragraph %d context %d: got ¶%d, %d before, %d after", tc.n, tc.context, pc.Paragraph.N, len(pc.Before), len(pc.After))
		}
		if len(pc.Before) > 0 && pc.Before[len(pc.Before)-1].N != tc.n-1 || len(pc.After) > 0 && pc.After[0].N != tc.n+1 {
			t.Errorf("paragraph %d: neighbours out of order", tc.n)
		}
	}

	for _, target := range []string{
		"/api/documents/nosuchreport",
		"/api/documents/nosuchreport/paragraphs/1",
		fmt.Sprintf("/api/documents/%s/paragraphs/%d", id, last+1),
	} {
		rec := get(t, e, target)
		var body map[string]string
		if rec.Code != http.StatusNotFound || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["error"] == "" {
			t.Errorf("%s: %d %s, want 404 with an error body", target, rec.Code, rec.Body)
		}
	}
}

func TestAPIResearchBadRequests(t *testing.T) {
	e := newTestServer(t)
	q := "q=" + url.QueryEscape("发展")
	var many []string
	for i := 0; i <= search.MaxTrendQueries; i++ {
		many = append(many, fmt.Sprintf("q=%d", i))
	}
	for _, target := range []string{
		"/api/search?" + q + "&year=abc",
		"/api/search?" + q + "&year=2023..2018",
		"/api/search?" + q + "&year=..",
		"/api/search?" + q + "&year=20222",
		"/api/search?" + q + "&sort=foo",
		"/api/search?" + q + "&group=x",
		"/api/search?" + q + "&format=x",
		"/api/search?" + q + "&format=xml",
		"/api/search?" + q + "&from=10000",
		"/api/search?" + q + "&from=9995&sort=year",
		"/api/search?" + q + "&group=doc&from=10000",
		"/api/search?" + q + "&group=doc&format=csv",
		"/api/search?q=%22open&format=csv",
		"/api/trends",
		"/api/trends?" + q + "&by=title",
		"/api/trends?" + q + "&format=jsonl",
		"/api/trends?" + q + "&year=abc",
		"/api/trends?" + q + "&mode=fuzzy",
		"/api/trends?q=%22open",
		"/api/trends?" + strings.Join(many, "&"),
		"/api/documents?year=abc",
		"/api/documents?sort=relevance",
		"/api/documents/x/paragraphs/abc",
		"/api/documents/x/paragraphs/0",
		"/api/documents/x/paragraphs/1?context=-1",
		"/api/documents/x/paragraphs/1?context=1000",
	} {
		rec := get(t, e, target)
		var body map[string]string
		if rec.Code != http.StatusBadRequest || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["error"] == "" {
			t.Errorf("%s: %d %s, want 400 with an error body", target, rec.Code, rec.Body)
		}
	}
}
