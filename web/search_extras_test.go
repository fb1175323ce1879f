package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/query"
	"reportsearch/search/workbench"
)

func TestRelatedPage(t *testing.T) {
	e := newSampleServer(t)
	d := fetchPage(t, e, "/related?"+url.Values{"q": {"高质量发展"}}.Encode())
	if d.code != http.StatusOK || d.byID("related-box") == nil {
		t.Fatalf("status %d", d.code)
	}
	want, err := workbench.Related(context.Background(), sampleIndex(t), workbench.RelatedRequest{Query: "高质量发展", Size: relatedBoxSize})
	if err != nil {
		t.Fatal(err)
	}
	ands, ors := d.byClass("a", "and"), d.byClass("a", "or")
	if len(want.Words) == 0 || len(ands) != len(want.Words) || len(ors) != len(want.Words) {
		t.Fatalf("%d and-links, %d or-links for %d words", len(ands), len(ors), len(want.Words))
	}
	for i, w := range want.Words {
		u, _ := url.Parse(attr(ands[i], "href"))
		if textOf(ands[i]) != w.Word || u.Path != "/" || u.Query().Get("q") != "高质量发展 "+w.Word {
			t.Errorf("word %d: %q → %q", i, textOf(ands[i]), attr(ands[i], "href"))
		}
		u, _ = url.Parse(attr(ors[i], "href"))
		if u.Query().Get("q") != "高质量发展 | "+w.Word {
			t.Errorf("word %d: or-link %q", i, attr(ors[i], "href"))
		}
	}
	// A query of several clauses offers AND only: "A B | w" would mean
	// A and (B or w).
	d = fetchPage(t, e, "/related?"+url.Values{"q": {"发展 城市"}, "year": {"2024"}}.Encode())
	if d.code != http.StatusOK || len(d.byClass("a", "and")) == 0 || len(d.byClass("a", "or")) != 0 {
		t.Errorf("two clauses: %d, %d or-links", d.code, len(d.byClass("a", "or")))
	}
	if href := attr(d.byClass("a", "and")[0], "href"); !strings.Contains(href, "year=2024") {
		t.Errorf("the filters are not kept: %q", href)
	}
	for _, bad := range []string{"", "q=%22open", "q=发展&year=abc", "q=发展&mode=fuzzy"} {
		if rec := get(t, e, "/related?"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	// The search page links to the box's page (app.js fetches it).
	d = fetchPage(t, e, "/?q="+url.QueryEscape("高质量发展"))
	box := d.byID("related-box")
	if box == nil || attr(box, "data-src") != "/related?q="+url.QueryEscape("高质量发展") {
		t.Fatalf("no related box on the search page")
	}
}

func TestAlternativeQuery(t *testing.T) {
	for q, want := range map[string]string{
		"城市更新":        "城市更新 | 旧城",
		"城市更新 | 老旧小区": "城市更新 | 老旧小区 | 旧城",
		"城市更新 乡村振兴":   "",
		"城市更新 -乡村":    "",
		"theme:城市":    "theme:城市 | 旧城",
		`"GDP 增长"`:    `"GDP 增长" | 旧城`,
	} {
		tree, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := alternativeQuery(q, tree, "旧城"); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
		if want != "" {
			if _, err := query.Parse(want); err != nil {
				t.Errorf("%s: %v", want, err)
			}
		}
	}
}

// The explanation shows each clause, the themes' expressions, loose
// mode's words and per term the count of its own search.
func TestQueryExplanation(t *testing.T) {
	e := newSampleServer(t)
	d := fetchPage(t, e, "/?"+url.Values{"q": {"高质量发展 城市更新 | theme:城市 -乡村"}, "mode": {"loose"}, "year": {"2024"}}.Encode())
	ex := d.byID("explain")
	if d.code != http.StatusOK || ex == nil {
		t.Fatalf("status %d, no explanation", d.code)
	}
	txt := textOf(ex)
	for _, s := range []string{"高质量发展", "分词", "任一", "城市更新", "theme:城市", "老旧小区", "排除", "乡村"} {
		if !strings.Contains(txt, s) {
			t.Errorf("explanation lacks %q: %s", s, txt)
		}
	}
	n := searchTotal(t, e, url.Values{"q": {"高质量发展"}, "mode": {"loose"}, "year": {"2024"}}.Encode())
	if !strings.Contains(txt, "高质量发展 "+thousands(n)+" 段") && !strings.Contains(txt, "高质量发展"+thousands(n)+" 段") {
		t.Errorf("count of 高质量发展 (%d) not shown: %s", n, txt)
	}
	// Themes are listed in the help.
	if href := linkByText(d.byClass("details", "help"), "theme:城市"); href != "/?q=theme%3A%E5%9F%8E%E5%B8%82" {
		t.Errorf("theme help link %q", href)
	}
	_ = search.ModeLoose
}
