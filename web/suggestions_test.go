package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"reportsearch/search/workbench"
)

func TestSuggestionsAPIAndPage(t *testing.T) {
	e := newSampleServer(t)
	var got workbench.SuggestResponse
	getJSON(t, e, "/api/suggestions?min=2&size=10", &got)
	want, err := workbench.Suggest(context.Background(), sampleIndex(t), workbench.SuggestRequest{Min: 2, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Suggestions) == 0 || len(got.Suggestions) != len(want.Suggestions) {
		t.Fatalf("%d suggestions, want %d", len(got.Suggestions), len(want.Suggestions))
	}
	for i, s := range got.Suggestions {
		if s.Text != want.Suggestions[i].Text || s.Paragraphs != want.Suggestions[i].Paragraphs {
			t.Errorf("%d: %q %d, want %q", i, s.Text, s.Paragraphs, want.Suggestions[i].Text)
		}
		// The count is the exact search's.
		if n := searchTotal(t, e, url.Values{"q": {`"` + s.Text + `"`}}.Encode()); n != s.Paragraphs {
			t.Errorf("%q: %d paragraphs, search %d", s.Text, s.Paragraphs, n)
		}
	}
	for _, bad := range []string{"min=x", "min=-1", "size=9999", "year=abc"} {
		if rec := get(t, e, "/api/suggestions?"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
		if d := fetchPage(t, e, "/suggestions?"+bad); d.code != http.StatusBadRequest || len(d.byClass("p", "error")) != 1 {
			t.Errorf("page %s: %d", bad, d.code)
		}
	}
	if d := fetchPage(t, e, "/suggestions"); d.code != http.StatusOK || len(d.byClass("table", "suggestions")) != 0 {
		t.Errorf("form page: %d", d.code)
	}
	d := fetchPage(t, e, "/suggestions?run=1&min=2&year=2024")
	links := d.byClass("a", "suggestion")
	if d.code != http.StatusOK || len(links) == 0 {
		t.Fatalf("page: %d, %d suggestions", d.code, len(links))
	}
	u, _ := url.Parse(attr(links[0], "href"))
	if u.Path != "/" || u.Query().Get("year") != "2024" || !strings.HasPrefix(u.Query().Get("q"), `"`) {
		t.Errorf("suggestion link %q", attr(links[0], "href"))
	}
	if d := fetchPage(t, e, "/suggestions?run=1&region="+url.QueryEscape("<script>x</script>")); strings.Contains(d.body, "<script>x") {
		t.Error("a filter value is not escaped")
	}
}
