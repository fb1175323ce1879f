package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/search"
)

// The reader marks exactly the paragraphs that a search finds in the
// report: its matcher and the index agree, query by query, report by
// report (exact and loose mode, OR, NOT, folding).
func TestReaderMatchesEqualSearch(t *testing.T) {
	ix := sampleIndex(t)
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []search.Mode{search.ModeExact, search.ModeLoose} {
		for _, q := range []string{"发展", "网格化治理", "城市更新 | 旧城改造", "发展 -改革", "高质量发展 人民", "ＧＤＰ", "共产党", "產業", "科技创新 | 乡村振兴 -农业", "国内生产总值"} {
			req := search.Request{Query: q, Mode: mode}
			fromIndex := map[string][]int{}
			if err := ix.Export(context.Background(), req, func(r search.Row) error {
				fromIndex[r.DocID] = append(fromIndex[r.DocID], r.Paragraph)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			m, err := newMatcher(q, mode, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reports {
				ps, err := ix.Paragraphs(context.Background(), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				var got []int
				for _, p := range ps {
					if m.match(p.Text) {
						got = append(got, p.N)
					}
				}
				want := fromIndex[r.ID]
				slices.Sort(want)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s %q in %s: reader %v, index %v", mode, q, r.Title, got, want)
				}
			}
		}
	}
}

// Opening a hit: the reader shows the report with its outline, the hit's
// paragraph anchored and marked, and links between the matches.
func TestReaderPage(t *testing.T) {
	e := newSampleServer(t)
	var resp search.Response
	getJSON(t, e, "/api/search?q="+url.QueryEscape("高质量发展")+"&size=1", &resp)
	hit := resp.Hits[0]
	d := fetchPage(t, e, "/documents/"+hit.DocID+"?q="+url.QueryEscape("高质量发展"))
	if d.code != http.StatusOK {
		t.Fatalf("status %d", d.code)
	}
	if !strings.Contains(textOf(d.find(func(n *html.Node) bool { return n.Data == "h1" })[0]), hit.Title) {
		t.Error("no title")
	}
	p := d.byID(fmt.Sprintf("p%d", hit.Paragraph))
	if p == nil || !hasClass(p, "match") || !strings.Contains(renderNode(p), "<mark>高质量发展</mark>") {
		t.Fatalf("hit paragraph %d not marked", hit.Paragraph)
	}
	// The matches listed are the paragraphs the search finds in this
	// report, and each links to its neighbours.
	var rows []int
	e2 := sampleIndex(t)
	e2.Export(context.Background(), search.Request{Query: "高质量发展"}, func(r search.Row) error {
		if r.DocID == hit.DocID {
			rows = append(rows, r.Paragraph)
		}
		return nil
	})
	slices.Sort(rows)
	if got := textOf(d.byID("match-count")); got != fmt.Sprint(len(rows)) {
		t.Errorf("match count %s, search finds %d", got, len(rows))
	}
	marked := d.byClass("", "match")
	if len(marked) != len(rows) || len(rows) < 2 {
		t.Fatalf("%d marked paragraphs, %d matches", len(marked), len(rows))
	}
	navs := d.byClass("nav", "hitnav")
	if len(navs) != len(rows) {
		t.Fatalf("%d hit navs", len(navs))
	}
	if next := linkByText(navs[:1], "下一处"); next != fmt.Sprintf("#p%d", rows[1]) {
		t.Errorf("first match's next link %q, want #p%d", next, rows[1])
	}
	if prev := linkByText(navs[1:2], "上一处"); prev != fmt.Sprintf("#p%d", rows[0]) {
		t.Errorf("second match's previous link %q", prev)
	}
	// The outline links to headings that exist.
	outline := d.byClass("details", "outline")
	if len(outline) != 1 {
		t.Fatal("no outline")
	}
	links := 0
	for _, a := range (&pageDoc{root: outline[0]}).find(func(n *html.Node) bool { return n.Data == "a" }) {
		links++
		if d.byID(strings.TrimPrefix(attr(a, "href"), "#")) == nil {
			t.Errorf("outline link %s has no target", attr(a, "href"))
		}
	}
	if links == 0 {
		t.Error("empty outline")
	}
	// Without a query: the report, nothing marked.
	d = fetchPage(t, e, "/documents/"+hit.DocID)
	if d.code != http.StatusOK || len(d.byClass("", "match")) != 0 || d.byID(fmt.Sprintf("p%d", hit.Paragraph)) == nil {
		t.Errorf("plain reader: %d", d.code)
	}
	// An unknown report is a 404 page; a malformed query a 400 with the
	// report still shown.
	if d := fetchPage(t, e, "/documents/nope"); d.code != http.StatusNotFound || !strings.Contains(d.body, "404") {
		t.Errorf("unknown report: %d", d.code)
	}
	if d := fetchPage(t, e, "/documents/"+hit.DocID+"?q=%22open"); d.code != http.StatusBadRequest || d.byID("p1") == nil {
		t.Errorf("malformed query: %d", d.code)
	}
}

func renderNode(n *html.Node) string {
	var b strings.Builder
	html.Render(&b, n)
	return b.String()
}

func TestDocumentsPage(t *testing.T) {
	e := newSampleServer(t)
	d := fetchPage(t, e, "/documents")
	rows := d.find(func(n *html.Node) bool { return n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" })
	if d.code != http.StatusOK || len(rows) != 8 {
		t.Fatalf("%d: %d rows", d.code, len(rows))
	}
	if !strings.HasPrefix(textOf(rows[0]), "1921") {
		t.Errorf("not oldest first: %s", textOf(rows[0]))
	}
	d = fetchPage(t, e, "/documents?sort=-year&doc_type="+url.QueryEscape("政府工作报告"))
	rows = d.find(func(n *html.Node) bool { return n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" })
	if d.code != http.StatusOK || len(rows) != 5 || !strings.HasPrefix(textOf(rows[0]), "2026") {
		t.Errorf("filtered: %d, %d rows", d.code, len(rows))
	}
	if d := fetchPage(t, e, "/documents?year=x"); d.code != http.StatusBadRequest {
		t.Errorf("bad filter: %d", d.code)
	}
}

// TestDocumentsTitleAndPages: /documents pages 50 reports at a time and
// searches titles; the API takes title and, when asked, from/size.
func TestDocumentsTitleAndPages(t *testing.T) {
	e := newTestServer(t)
	var all search.ReportList
	getJSON(t, e, "/api/documents", &all)
	rows := func(body string) int { return strings.Count(body, `<td><a href="/documents/`) }
	body := get(t, e, "/documents").Body.String()
	if n := rows(body); n != min(all.Total, documentsPageSize) {
		t.Errorf("first page lists %d of %d", n, all.Total)
	}
	if all.Total > documentsPageSize {
		if !strings.Contains(body, `rel="next"`) {
			t.Error("no next page")
		}
		if n := rows(get(t, e, "/documents?from=50").Body.String()); n != min(all.Total-50, documentsPageSize) {
			t.Errorf("second page lists %d", n)
		}
	}
	var list search.ReportList
	getJSON(t, e, "/api/documents?title="+url.QueryEscape("政协"), &list)
	if list.Total == 0 || list.Total >= all.Total {
		t.Fatalf("title=政协: %d of %d", list.Total, all.Total)
	}
	for _, r := range list.Reports {
		if !strings.Contains(r.Title, "政协") {
			t.Errorf("title=政协 lists %s", r.Title)
		}
	}
	if n := rows(get(t, e, "/documents?title="+url.QueryEscape("政协")).Body.String()); n != min(list.Total, documentsPageSize) {
		t.Errorf("page title=政协 lists %d, API %d", n, list.Total)
	}
	getJSON(t, e, "/api/documents?size=5&from=2", &list)
	if len(list.Reports) != 5 || list.Total != all.Total || list.Reports[0].ID != all.Reports[2].ID {
		t.Errorf("from=2&size=5: %d reports, total %d", len(list.Reports), list.Total)
	}
}

// TestReaderSearchBox: the reader has a search box for the report, which
// keeps the query.
func TestReaderSearchBox(t *testing.T) {
	e := newTestServer(t)
	var all search.ReportList
	getJSON(t, e, "/api/documents?size=1", &all)
	id := all.Reports[0].ID
	body := get(t, e, "/documents/"+url.PathEscape(id)+"?q="+url.QueryEscape("发展")).Body.String()
	if !strings.Contains(body, `class="reader-search"`) || !strings.Contains(body, `name="q" value="发展"`) {
		t.Error("no search box with the query in the reader")
	}
}
