package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The workbench's pages in a browser: the concordance (its keyword
// column aligned, its sorts), the comparison of two sets of reports, the
// 相关词 box of the search page, and a theme edited in the admin page
// then searched.

type kwicLine struct {
	Left, Match string
	MatchX      float64
	LeftRight   float64
}

func TestConcordance(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	q := url.QueryEscape("发展")
	open(t, ctx, "/concordance?q="+q+"&context=12")
	const read = `Array.from(document.querySelectorAll(".kwic tbody tr")).map(tr => ({
		Left: tr.querySelector("td.left").innerText, Match: tr.querySelector("td.kw").innerText,
		MatchX: tr.querySelector("td.kw a").getBoundingClientRect().left,
		LeftRight: tr.querySelector("td.left span").getBoundingClientRect().right}))`
	lines := eval[[]kwicLine](t, ctx, read)
	if len(lines) < 20 {
		t.Fatalf("%d lines", len(lines))
	}
	// The keyword column is aligned: every keyword starts at the same x,
	// and every left context ends at the same x, whatever its length.
	for i, l := range lines {
		if d := l.MatchX - lines[0].MatchX; d > 0.5 || d < -0.5 {
			t.Errorf("line %d: keyword at x=%.1f, line 0 at %.1f", i, l.MatchX, lines[0].MatchX)
		}
		if d := l.LeftRight - lines[0].LeftRight; l.Left != "" && (d > 1 || d < -1) {
			t.Errorf("line %d: left context ends at x=%.1f, line 0 at %.1f", i, l.LeftRight, lines[0].LeftRight)
		}
		if l.Match != "发展" {
			t.Errorf("line %d: keyword %q", i, l.Match)
		}
	}
	var total struct{ Total int }
	apiJSON(t, "/api/concordance?q="+q, &total)
	if got := text(t, ctx, "#total"); got != thousands(uint64(total.Total)) {
		t.Errorf("total %s, API %d", got, total.Total)
	}
	shot(t, ctx, "30-concordance")
	// Sort by the left context from the form: the order changes and is
	// the API's.
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`select[name=sort]`), "left"))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)))
	if s := location(t, ctx).Query().Get("sort"); s != "left" {
		t.Fatalf("sort %q in the URL", s)
	}
	sorted := eval[[]kwicLine](t, ctx, read)
	var api struct{ Lines []struct{ Left string } }
	apiJSON(t, "/api/concordance?q="+q+"&context=12&sort=left", &api)
	same := true
	for i := range min(len(sorted), len(lines)) {
		if sorted[i].Left != lines[i].Left {
			same = false
		}
		if i < len(api.Lines) && strings.TrimSpace(api.Lines[i].Left) != sorted[i].Left {
			t.Errorf("line %d: left %q, API %q", i, sorted[i].Left, api.Lines[i].Left)
		}
	}
	if same {
		t.Error("sorting by the left context changed nothing")
	}
	shot(t, ctx, "31-concordance-left")
	// A line opens the reader at its paragraph.
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.kwic td.kw a`)))
	if u := location(t, ctx); !strings.HasPrefix(u.Path, "/documents/") || u.Fragment == "" {
		t.Errorf("line opened %s", u)
	}
}

func TestCompare(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/compare")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name="f.year"]`), "2026"),
		chromedp.SendKeys(chromedp.CSS(`input[name="r.year"]`), "2023..2025"),
		chromedp.Click(chromedp.CSS(`input[name=new]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=min]`), "2"))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`form.compare button[type=submit]`)))
	u := location(t, ctx)
	if u.Query().Get("f.year") != "2026" || u.Query().Get("new") != "true" {
		t.Fatalf("after the form: %s", u)
	}
	n := eval[int](t, ctx, `document.querySelectorAll("a.phrase").length`)
	if n == 0 {
		t.Fatal("no phrases")
	}
	if ref := eval[string](t, ctx, `document.querySelector(".phrases tbody tr td:nth-child(3)").innerText`); ref != "0" {
		t.Errorf("a new phrase with %s reference paragraphs", ref)
	}
	shot(t, ctx, "32-compare")
	phrase := text(t, ctx, "a.phrase")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`a.phrase`)))
	u = location(t, ctx)
	if u.Path != "/concordance" || u.Query().Get("q") != `"`+phrase+`"` || u.Query().Get("year") != "2026" {
		t.Fatalf("phrase opened %s", u)
	}
	if got := text(t, ctx, "#total"); got == "0" {
		t.Error("the phrase's concordance is empty")
	}
	shot(t, ctx, "33-compare-concordance")
}

func TestRelatedWords(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/?q="+url.QueryEscape("高质量发展"))
	// app.js replaces the box's link with the words.
	word := text(t, ctx, "#related-box a.and")
	shot(t, ctx, "34-related")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`#related-box a.and`)))
	u := location(t, ctx)
	if u.Query().Get("q") != "高质量发展 "+word {
		t.Fatalf("the word's link: %s", u)
	}
	if got, want := text(t, ctx, "#total"), apiTotal(t, u.RawQuery); got != thousands(want) || want == 0 {
		t.Errorf("total %s, API %d", got, want)
	}
	// The alternative link of a one-clause query.
	open(t, ctx, "/?q="+url.QueryEscape("高质量发展"))
	text(t, ctx, "#related-box a.or")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`#related-box a.or`)))
	if q := location(t, ctx).Query().Get("q"); q != "高质量发展 | "+word {
		t.Errorf("the alternative link: %q", q)
	}
	// The query explanation opens and counts each term.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#explain summary`)))
	if ex := text(t, ctx, "#explain"); !strings.Contains(ex, "任一") || !strings.Contains(ex, word) {
		t.Errorf("explanation %q", ex)
	}
	shot(t, ctx, "35-explain")
}

func TestThemeEditAndSearch(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/admin")
	// The browser may hold a session from another test already.
	if eval[bool](t, ctx, `document.querySelector("#token") !== null`) {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#token`), adminToken))
		navigating(t, ctx, chromedp.Click(chromedp.CSS(`form.login button`)))
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("details.theme-new").open = true`),
		chromedp.SendKeys(chromedp.CSS(`#theme-add input[name=name]`), "城市治理"),
		chromedp.SetValue(chromedp.CSS(`#theme-add textarea[name=expressions]`), "城市更新\n老旧小区"))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`#theme-add button[type=submit]`)))
	if r := text(t, ctx, "#result"); !strings.Contains(r, "已保存主题“城市治理”") {
		t.Fatalf("result %q", r)
	}
	if list := text(t, ctx, ".themes-list"); !strings.Contains(list, "老旧小区") {
		t.Errorf("theme list %q", list)
	}
	shot(t, ctx, "36-admin-theme")
	open(t, ctx, "/?q="+url.QueryEscape("theme:城市治理"))
	want := apiTotal(t, "q="+url.QueryEscape("城市更新 | 老旧小区"))
	if got := text(t, ctx, "#total"); got != thousands(want) || want == 0 {
		t.Errorf("theme:城市治理 total %s, OR %d", got, want)
	}
	// The public help names the theme.
	do(t, ctx, chromedp.Click(chromedp.CSS(`details.help summary`)))
	if h := text(t, ctx, "details.help"); !strings.Contains(h, "theme:城市治理") {
		t.Errorf("help %q", h)
	}
	shot(t, ctx, "37-theme-search")
}
