package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

func TestConcordancePage(t *testing.T) {
	e := newSampleServer(t)
	ix := sampleIndex(t)
	d := fetchPage(t, e, "/concordance?"+url.Values{"q": {"发展"}, "sort": {"left"}, "context": {"10"}}.Encode())
	if d.code != http.StatusOK {
		t.Fatalf("status %d: %s", d.code, d.body)
	}
	want, err := workbench.Concordance(context.Background(), ix, workbench.ConcordanceRequest{Query: "发展", Sort: "left", Context: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(d.byID("total")); got != thousands(want.Total) {
		t.Errorf("total %q, API %d", got, want.Total)
	}
	rows := d.byClass("td", "kw")
	if len(rows) != len(want.Lines) || len(rows) != workbench.DefaultSize {
		t.Fatalf("%d lines, want %d", len(rows), len(want.Lines))
	}
	lefts := d.byClass("td", "left")
	for i, l := range want.Lines {
		if textOf(rows[i]) != l.Match || textOf(lefts[i]) != l.Left {
			t.Errorf("line %d: %q %q, want %q %q", i, textOf(lefts[i]), textOf(rows[i]), l.Left, l.Match)
		}
		a := rows[i].FirstChild
		if a == nil || attr(a, "href") != l.Reader {
			t.Errorf("line %d links to %q, want %q", i, attr(a, "href"), l.Reader)
		}
	}
	// The facets are the search's; a facet link stays on this page.
	facets := d.byClass("section", "facet")
	href := linkByText(facets, "2024")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/concordance" || u.Query().Get("year") != "2024" || u.Query().Get("sort") != "left" {
		t.Fatalf("facet link %q", href)
	}
	d2 := fetchPage(t, e, href)
	w2, _ := workbench.Concordance(context.Background(), ix, workbench.ConcordanceRequest{Query: "发展", Sort: "left", Context: 10,
		Filter: search.Filter{Years: []search.YearRange{{From: 2024, To: 2024}}}})
	if d2.code != http.StatusOK || textOf(d2.byID("total")) != thousands(w2.Total) {
		t.Errorf("after the facet: %d %q, want %d", d2.code, textOf(d2.byID("total")), w2.Total)
	}
	// Pages and exports.
	next := d.find(func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
	if len(next) != 1 || !strings.Contains(attr(next[0], "href"), "from=50") {
		t.Errorf("next page link: %v", next)
	}
	exp := d.find(func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/api/concordance?")
	})
	if len(exp) != 2 || !strings.Contains(attr(exp[0], "href"), "format=csv") {
		t.Fatalf("export links: %d", len(exp))
	}
	if rec := get(t, e, attr(exp[0], "href")); rec.Code != http.StatusOK {
		t.Errorf("csv export: %d", rec.Code)
	}
	// In loose mode the reader is asked to mark the loose matches.
	dl := fetchPage(t, e, "/concordance?"+url.Values{"q": {"城市更新"}, "mode": {"loose"}}.Encode())
	if kw := dl.byClass("td", "kw"); len(kw) == 0 || !strings.Contains(attr(kw[0].FirstChild, "href"), "&mode=loose#p") {
		t.Errorf("loose reader link: %v", kw)
	}
	// Bad parameters are a 400 with the form; no query is the form alone.
	for _, bad := range []string{"q=%22open", "q=发展&sort=middle", "q=发展&context=999", "q=发展&size=5000", "q=发展&from=-1", "q=发展&from=x", "q=发展&mode=fuzzy", "q=发展&year=abc", "q=theme:none"} {
		if d := fetchPage(t, e, "/concordance?"+bad); d.code != http.StatusBadRequest || len(d.byClass("p", "error")) != 1 {
			t.Errorf("%s: %d", bad, d.code)
		}
	}
	if d := fetchPage(t, e, "/concordance"); d.code != http.StatusOK || len(d.byClass("table", "kwic")) != 0 {
		t.Errorf("empty page: %d", d.code)
	}
	// The query is text on the page, never markup.
	d3 := fetchPage(t, e, "/concordance?q="+url.QueryEscape("<script>alert(1)</script>"))
	if strings.Contains(d3.body, "<script>alert") {
		t.Error("the query is not escaped")
	}
}

// The search page links to the concordance of its query and filters.
func TestSearchLinksConcordance(t *testing.T) {
	e := newSampleServer(t)
	d := fetchPage(t, e, "/?"+url.Values{"q": {"发展"}, "year": {"2024"}, "sort": {"year"}}.Encode())
	href := linkByText(d.byClass("p", "total"), "查看语境")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/concordance" || u.Query().Get("q") != "发展" || u.Query().Get("year") != "2024" || u.Query().Has("sort") {
		t.Fatalf("concordance link %q", href)
	}
}
