package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Multi-select facets: after choosing 2024 the other years stay listed,
// and choosing 2025 as well ORs the two.
func TestMultiSelectFacets(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	q := url.QueryEscape("发展")
	open(t, ctx, "/?q="+q)
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href*="year=2024"]`)))
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".facets a")].filter(a => /year=2025/.test(a.href)).length`); n == 0 {
		t.Fatal("with 2024 chosen, 2025 is no longer listed")
	}
	shot(t, ctx, "30-multiselect-one-year")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href*="year=2024"][href*="year=2025"]`)))
	u := location(t, ctx)
	if ys := u.Query()["year"]; len(ys) != 2 {
		t.Fatalf("after the second year: %s", u)
	}
	want := apiTotal(t, u.RawQuery)
	if got := text(t, ctx, "#total"); got != thousands(want) {
		t.Errorf("two years: total %s, API %d", got, want)
	}
	if want <= apiTotal(t, "q="+q+"&year=2024") {
		t.Errorf("2024 or 2025 (%d) is not more than 2024 alone", want)
	}
	shot(t, ctx, "31-multiselect-two-years")
}

// The region facet is a tree, and 山东省 finds its district's report.
func TestRegionTree(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	q := url.QueryEscape("网格化治理")
	open(t, ctx, "/?q="+q)
	if n := eval[int](t, ctx, `document.querySelectorAll(".facets li.sub").length`); n == 0 {
		t.Fatal("no region under a province in the facet")
	}
	shot(t, ctx, "32-region-tree")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href*="region=%E5%B1%B1%E4%B8%9C%E7%9C%81"]`)))
	u := location(t, ctx)
	if u.Query().Get("region") != "山东省" {
		t.Fatalf("after 山东省: %s", u)
	}
	want := apiTotal(t, u.RawQuery)
	if got := text(t, ctx, "#total"); got != thousands(want) || want == 0 {
		t.Errorf("region=山东省: total %s, API %d", got, want)
	}
	if hits := text(t, ctx, ".hits"); !strings.Contains(hits, "芝罘区") {
		t.Errorf("region=山东省 shows no 芝罘区 report: %.200s", hits)
	}
	shot(t, ctx, "33-region-shandong")
}

// The trends chart places years by value (every year: years=all): the
// gap between 1921 and 2022 is wide, the years in it are labelled faintly, and the chart says it
// scrolls.
func TestTrendsTimeAxis(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/trends?years=all&q="+url.QueryEscape("发展"))
	xs := eval[map[string]float64](t, ctx, `Object.fromEntries([...document.querySelectorAll("svg .group text")].map(e => [e.textContent.replace("*",""), +e.getAttribute("x")]))`)
	a, b, c := xs["1921"], xs["2022"], xs["2023"]
	if a == 0 || b == 0 || c == 0 || (b-a) < 50*(c-b) {
		t.Errorf("years not placed by value: 1921 at %v, 2022 at %v, 2023 at %v", a, b, c)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("svg text.gap").length`); n == 0 {
		t.Error("no gap years labelled")
	}
	if !eval[bool](t, ctx, `getComputedStyle(document.querySelector(".scroll-cue")).display !== "none"`) {
		t.Error("a wide chart without its scroll cue")
	}
	if !eval[bool](t, ctx, `(f => f.scrollWidth > f.clientWidth)(document.querySelector("figure.chart"))`) {
		t.Error("the cue says the chart scrolls, but it does not")
	}
	shot(t, ctx, "34-trends-time-axis")
	open(t, ctx, "/trends?chart=line&q="+url.QueryEscape("高质量发展")+"&q="+url.QueryEscape("乡村振兴"))
	if n := eval[int](t, ctx, `document.querySelectorAll("svg polyline.line").length`); n == 0 {
		t.Error("chart=line draws no line")
	}
	shot(t, ctx, "36-trends-line")
}

// On a phone the chart scrolls inside its figure, with the cue visible,
// and the page itself is no wider than the screen.
func TestPhoneTrendsScroll(t *testing.T) {
	ctx := newTab(t, 390, 844)
	open(t, ctx, "/trends?q="+url.QueryEscape("高质量发展")+"&q="+url.QueryEscape("乡村振兴"))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("page %d px wider than the screen", w)
	}
	if !eval[bool](t, ctx, `(f => f.scrollWidth > f.clientWidth)(document.querySelector("figure.chart"))`) {
		t.Error("the chart does not scroll inside its figure")
	}
	if !eval[bool](t, ctx, `getComputedStyle(document.querySelector(".scroll-cue")).display !== "none"`) {
		t.Error("no scroll cue on a phone")
	}
	shot(t, ctx, "35-phone-trends-scroll")
}
