package e2e

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"reportsearch/search"
)

// chartYears are the labels of the trends chart's year groups (not the
// gap labels), in order.
func chartYears(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll("svg .group text:not(.gap)")].map(e => e.textContent.replace("*", ""))`)
}

// matchedYears are the years of a by-year trends answer from the first
// where a theme matches to the last (the years with reports between
// them), as the page's default axis shows them.
func matchedYears(tr search.TrendsResponse) []string {
	first, last := 0, 0
	for i, b := range tr.Buckets {
		y := int(b.Value.(float64))
		for _, s := range tr.Series {
			if s.Points[i].Paragraphs > 0 && y != 0 {
				if first == 0 || y < first {
					first = y
				}
				last = max(last, y)
			}
		}
	}
	var out []string
	for i, b := range tr.Buckets {
		y := int(b.Value.(float64))
		if y == 0 && slices.ContainsFunc(tr.Series, func(s search.TrendSeries) bool { return s.Points[i].Paragraphs > 0 }) {
			out = append(out, yearLabel(y)) // the unknown year, when something matches there
		} else if y >= first && y <= last && first != 0 {
			out = append(out, yearLabel(y))
		}
	}
	return out
}

// yearLabel is how the chart labels a year.
func yearLabel(y int) string {
	if y == 0 {
		return "未知"
	}
	return strconv.Itoa(y)
}

// By default the trends axis runs over the years where the theme
// matches (the API's buckets with a match, first to last, and the years
// with reports between them); 显示全部年份 shows every year.
func TestTrendsMatchedYears(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	q := url.QueryEscape("高质量发展")
	var tr search.TrendsResponse
	apiJSON(t, "/api/trends?q="+q, &tr)
	var all []string
	var years []string
	for _, b := range tr.Buckets {
		all = append(all, yearLabel(int(b.Value.(float64))))
		if y := int(b.Value.(float64)); y != 0 {
			years = append(years, strconv.Itoa(y))
		}
	}
	want := matchedYears(tr)
	var matched []string // the known years of want
	for _, y := range want {
		if slices.Contains(years, y) {
			matched = append(matched, y)
		}
	}
	first, last := matched[0], matched[len(matched)-1]
	if len(want) == len(all) {
		t.Fatalf("the theme matches in every year of the sample (%v): nothing to cut", all)
	}
	open(t, ctx, "/trends?q="+q)
	if got := chartYears(t, ctx); !slices.Equal(got, want) {
		t.Errorf("default axis %v, want the matched years %v", got, want)
	}
	if note := text(t, ctx, ".axis-range"); !strings.Contains(note, first+"–"+last) {
		t.Errorf("axis note %q", note)
	}
	shot(t, ctx, "37-trends-matched-years")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.axis-range a`)))
	if got := chartYears(t, ctx); !slices.Equal(got, all) {
		t.Errorf("years=all axis %v, want every year %v", got, all)
	}
	if location(t, ctx).Query().Get("years") != "all" {
		t.Errorf("all years: %s", location(t, ctx))
	}
	shot(t, ctx, "38-trends-all-years")
}

// A query without hits offers the nearest spellings with their counts;
// following one finds that many paragraphs.
func TestEmptyResultSpellings(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/?q="+url.QueryEscape("网格化治里"))
	sp := text(t, ctx, ".spellings")
	if !strings.Contains(sp, "网格化治理") {
		t.Fatalf("spellings %q", sp)
	}
	shot(t, ctx, "39-empty-spellings")
	type link struct {
		Q     string
		Count string
	}
	links := eval[[]link](t, ctx, `[...document.querySelectorAll(".spellings a")].map(a => ({Q: a.textContent, Count: (a.nextSibling.textContent.match(/[\d,]+/) || [""])[0]}))`)
	for _, l := range links {
		if want := thousands(apiTotal(t, "q="+url.QueryEscape(l.Q))); l.Count != want {
			t.Errorf("%s: the page says %s, the search finds %s", l.Q, l.Count, want)
		}
	}
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.spellings a`)))
	u := location(t, ctx)
	if got, want := text(t, ctx, "#total"), links[0].Count; got != want || u.Query().Get("q") != links[0].Q {
		t.Errorf("after the suggestion %s: total %s, want %s", u, got, want)
	}
	shot(t, ctx, "40-spelling-followed")
}

// The admin report list pages (size=3 here, for the sample's few
// reports) and filters by title; each page's rows are other reports, and
// the filtered count is the API's listing count.
func TestAdminReportListPaging(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/admin")
	// The browser may still have a session from another test.
	if eval[int](t, ctx, `document.querySelectorAll("#token").length`) == 1 {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#token`), adminToken))
		navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	}
	open(t, ctx, "/admin?size=3#reports")
	var list search.ReportList
	apiJSON(t, "/api/documents", &list)
	ids := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll('#reports input[name=id]')].map(e => e.value)`)
	}
	var seen []string
	for page := 1; ; page++ {
		got := ids()
		if len(got) == 0 || len(got) > 3 {
			t.Fatalf("page %d: %d rows", page, len(got))
		}
		for _, id := range got {
			if slices.Contains(seen, id) {
				t.Fatalf("page %d repeats %s", page, id)
			}
		}
		seen = append(seen, got...)
		if page == 2 {
			shot(t, ctx, "41-admin-list-page2")
		}
		if eval[int](t, ctx, `document.querySelectorAll('#reports a[rel=next]').length`) == 0 {
			break
		}
		navigating(t, ctx, chromedp.Click(chromedp.CSS(`#reports a[rel=next]`)))
	}
	if len(seen) != list.Total {
		t.Errorf("%d reports paged, the index has %d", len(seen), list.Total)
	}
	// Filter by title with the form.
	const title = "政府工作报告"
	var filtered search.ReportList
	apiJSON(t, "/api/documents?title="+url.QueryEscape(title), &filtered)
	open(t, ctx, "/admin#reports")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`.admin-filter input[name=title]`), title))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.admin-filter button[type=submit]`)))
	if got := text(t, ctx, "#reports .total"); !strings.Contains(got, " "+strconv.Itoa(filtered.Total)+" ") || filtered.Total == 0 {
		t.Errorf("title %s: %q, the API lists %d", title, got, filtered.Total)
	}
	if n := len(ids()); n != min(filtered.Total, 50) {
		t.Errorf("title %s: %d rows for %d reports", title, n, filtered.Total)
	}
	shot(t, ctx, "42-admin-list-filtered")
}
