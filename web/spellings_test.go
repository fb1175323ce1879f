package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/search/workbench"
)

// TestAPISpellings: a query without hits gets the queries one edit away,
// each with the total of its search (equal to brute force for one term),
// under the request's filters; a query with hits gets none; bad
// parameters answer 400.
func TestAPISpellings(t *testing.T) {
	e := newTestServer(t)
	for _, tc := range []struct{ q, filter, want string }{
		{"网格化治里", "", "网格化治理"},
		{"城市更薪", "", "城市更新"},
		{"乡村兴振", "year=2018..", "乡村振兴"},
		{"高质量发", "", ""}, // a prefix: it has hits
	} {
		target := "/api/spellings?q=" + url.QueryEscape(tc.q)
		if tc.filter != "" {
			target += "&" + tc.filter
		}
		var resp workbench.SpellingsResponse
		getJSON(t, e, target, &resp)
		params, _ := url.ParseQuery(tc.filter)
		total, _ := bruteCount(t, tc.q, params)
		if resp.Total != total {
			t.Errorf("%s: total %d, brute force %d", target, resp.Total, total)
		}
		if total > 0 {
			if len(resp.Spellings) != 0 {
				t.Errorf("%s: hits, yet suggestions %+v", target, resp.Spellings)
			}
			continue
		}
		found := false
		for _, sp := range resp.Spellings {
			want, _ := bruteCount(t, sp.Query, params)
			st := searchTotal(t, e, "q="+url.QueryEscape(sp.Query)+"&"+tc.filter)
			if sp.Total != want || st != want || want == 0 {
				t.Errorf("%s: %q counts %d, its search %d, brute force %d", target, sp.Query, sp.Total, st, want)
			}
			found = found || sp.Query == tc.want
		}
		if !found {
			t.Errorf("%s: %q not suggested: %+v", target, tc.want, resp.Spellings)
		}
		if len(resp.Spellings) > workbench.DefaultSpellings {
			t.Errorf("%s: %d suggestions", target, len(resp.Spellings))
		}
	}
	for _, bad := range []string{"/api/spellings", "/api/spellings?q=x&size=0", "/api/spellings?q=x&size=21",
		"/api/spellings?q=x&size=a", "/api/spellings?q=%22open", "/api/spellings?q=x&year=abc"} {
		if rec := get(t, e, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

// TestEmptyPageSpellings: a search page without hits links the nearest
// spellings; each link keeps the page's filters and the count beside it
// is what the linked search finds.
func TestEmptyPageSpellings(t *testing.T) {
	e := newTestServer(t)
	for _, target := range []string{"/?q=" + url.QueryEscape("网格化治里"), "/?q=" + url.QueryEscape("城市更薪") + "&year=2018..&sort=-year",
		"/?q=" + url.QueryEscape("网格化治理 火星殖民地")} {
		d := fetchPage(t, e, target)
		if d.code != http.StatusOK {
			t.Fatalf("%s: %d", target, d.code)
		}
		ps := d.byClass("p", "spellings")
		if len(ps) != 1 {
			t.Fatalf("%s: %d spelling paragraphs", target, len(ps))
		}
		links := 0
		for n := ps[0].FirstChild; n != nil; n = n.NextSibling {
			if n.Type != html.ElementNode || n.Data != "a" {
				continue
			}
			links++
			href := attr(n, "href")
			u, _ := url.Parse(href)
			orig, _ := url.Parse(target)
			if u.Query().Get("q") != textOf(n) {
				t.Errorf("%s: link %q searches %q", target, textOf(n), u.Query().Get("q"))
			}
			for _, k := range []string{"year", "sort"} {
				if u.Query().Get(k) != orig.Query().Get(k) {
					t.Errorf("%s: link %s loses %s", target, href, k)
				}
			}
			// The text after the link: （N 段…）.
			after := n.NextSibling
			if after == nil || after.Type != html.TextNode {
				t.Fatalf("%s: no count after %s", target, href)
			}
			count := strings.TrimPrefix(strings.Fields(after.Data)[0], "（")
			want, err := strconv.ParseUint(strings.ReplaceAll(count, ",", ""), 10, 64)
			if err != nil {
				t.Fatalf("%s: count %q", target, after.Data)
			}
			if got := searchTotal(t, e, u.RawQuery); got != want || got == 0 {
				t.Errorf("%s: %s says %d paragraphs, the search finds %d", target, href, want, got)
			}
		}
		if links == 0 {
			t.Errorf("%s: no suggestion links", target)
		}
		// The best correction's related words, a link to /related.
		first := d.byClass("p", "spellings")[0]
		var best string
		correction := false
		for n := first.FirstChild; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode && n.Data == "a" {
				best = textOf(n)
				correction = n.NextSibling != nil && !strings.Contains(n.NextSibling.Data, "去掉")
				break
			}
		}
		rel := linkByText(d.byClass("div", "empty-help"), "的相关词")
		u, _ := url.Parse(rel)
		if correction && (u == nil || u.Path != "/related" || u.Query().Get("q") != best) || !correction && rel != "" {
			t.Errorf("%s: related link %q for %q (a correction: %v)", target, rel, best, correction)
		}
	}
}
