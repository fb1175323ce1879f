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

func TestComparePage(t *testing.T) {
	e := newSampleServer(t)
	if d := fetchPage(t, e, "/compare"); d.code != http.StatusOK || len(d.byClass("table", "phrases")) != 0 {
		t.Fatalf("empty page: %d", d.code)
	}
	v := url.Values{"f.year": {"2026"}, "r.year": {"2023..2025"}, "min": {"2"}, "new": {"true"}}
	d := fetchPage(t, e, "/compare?"+v.Encode())
	if d.code != http.StatusOK {
		t.Fatalf("status %d: %s", d.code, d.body)
	}
	want, err := workbench.Keywords(context.Background(), sampleIndex(t), workbench.KeywordsRequest{
		Focus:     search.Filter{Years: []search.YearRange{{From: 2026, To: 2026}}},
		Reference: search.Filter{Years: []search.YearRange{{From: 2023, To: 2025}}}, New: true, Min: 2})
	if err != nil {
		t.Fatal(err)
	}
	links := d.byClass("a", "phrase")
	if len(want.Phrases) == 0 || len(links) != len(want.Phrases) {
		t.Fatalf("%d phrases, want %d", len(links), len(want.Phrases))
	}
	for i, ph := range want.Phrases[:min(5, len(want.Phrases))] {
		u, _ := url.Parse(attr(links[i], "href"))
		if textOf(links[i]) != ph.Phrase || u.Path != "/concordance" || u.Query().Get("q") != `"`+ph.Phrase+`"` || u.Query().Get("year") != "2026" {
			t.Errorf("phrase %d: %q → %q", i, textOf(links[i]), attr(links[i], "href"))
		}
		if ph.Reference != 0 {
			t.Errorf("new phrase %q in the reference set", ph.Phrase)
		}
		// The concordance it links to finds the phrase in the focus set.
		if c := fetchPage(t, e, attr(links[i], "href")); c.code != http.StatusOK || textOf(c.byID("total")) == "0" {
			t.Errorf("concordance of %q: %d %q", ph.Phrase, c.code, textOf(c.byID("total")))
		}
	}
	// The controls show the sets; the checkbox is checked.
	if fs := d.find(func(n *html.Node) bool { return attr(n, "name") == "f.year" }); len(fs) != 1 || attr(fs[0], "value") != "2026" {
		t.Error("focus year not shown")
	}
	if cb := d.find(func(n *html.Node) bool { return attr(n, "name") == "new" }); len(cb) != 1 || !hasAttr(cb[0], "checked") {
		t.Error("new not checked")
	}
	for _, bad := range []string{"new=true", "f.year=abc", "f.year=2026&new=maybe", "f.year=2026&min=-1", "f.year=2026&size=9999", "f.level=" + strings.Repeat("x", 300)} {
		if d := fetchPage(t, e, "/compare?"+bad); d.code != http.StatusBadRequest || len(d.byClass("p", "error")) != 1 {
			t.Errorf("%s: %d", bad, d.code)
		}
	}
	// A value with markup is shown as text.
	d = fetchPage(t, e, "/compare?"+url.Values{"f.region": {"<script>alert(1)</script>"}}.Encode())
	if strings.Contains(d.body, "<script>alert") {
		t.Error("a region value is not escaped")
	}
}

func TestPhraseQuery(t *testing.T) {
	if got := phraseQuery("互联网+"); got != `"互联网+"` {
		t.Errorf("%q", got)
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
