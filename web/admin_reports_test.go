package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// adminBrowser logs in to the admin pages of s.
func adminBrowser(t *testing.T, s *adminServer) *browser {
	t.Helper()
	b := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	if rec := b.post("/admin/login", url.Values{"token": {testAdminToken}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	return b
}

// adminListed reads the report ids of the admin list's page, in order,
// and the links of its pages.
func adminListed(t *testing.T, d *pageDoc) (ids []string, next string) {
	t.Helper()
	sec := d.byID("reports")
	if sec == nil {
		t.Fatalf("no report list: %.300s", d.body)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") == "id" {
			ids = append(ids, attr(n, "value"))
		}
		if n.Type == html.ElementNode && n.Data == "a" && attr(n, "rel") == "next" {
			next = attr(n, "href")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(sec)
	return ids, next
}

// TestAdminReportList: for each combination of filters, the admin list,
// read page after page through its 下一页 links, is exactly the reports a
// brute-force filter of the index keeps (metadata filter, format, ocr,
// folded title), newest first, none repeated; bad parameters answer 400.
func TestAdminReportList(t *testing.T) {
	s := newAdminServer(t)
	b := adminBrowser(t, s)
	all, err := s.ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 5 {
		t.Fatalf("%d reports", len(all))
	}
	format := all[0].Format
	for _, raw := range []string{"", "year=2024..", "level=provincial", "region=" + url.QueryEscape("山东省"),
		"format=" + format, "ocr=0", "ocr=1", "title=" + url.QueryEscape("政府工作报告"),
		"title=" + url.QueryEscape("報告") + "&year=..2025", "level=national&level=provincial&format=" + format} {
		v, _ := url.ParseQuery(raw)
		f, err := search.ParseFilter(v)
		if err != nil {
			t.Fatal(err)
		}
		var want []search.Report
		for _, r := range all {
			if f.Match(&r) && (v.Get("format") == "" || r.Format == v.Get("format")) &&
				(v.Get("ocr") == "" || r.OCR == (v.Get("ocr") == "1")) &&
				strings.Contains(analysis.FoldString(r.Title), analysis.FoldString(v.Get("title"))) {
				want = append(want, r)
			}
		}
		for _, size := range []int{3, 50} {
			target := "/admin?size=" + itoa(size) + "&" + raw
			var got []string
			for pages := 0; target != "" && pages < 20; pages++ {
				d := b.page(target)
				if d.code != http.StatusOK {
					t.Fatalf("%s: %d", target, d.code)
				}
				if pages == 0 && !strings.Contains(textOf(d.byID("reports")), "符合条件的报告 "+itoa(len(want))+" 份") {
					t.Errorf("%s: the count is not %d: %s", target, len(want), textOf(d.byID("reports")))
				}
				ids, next := adminListed(t, d)
				if len(ids) > size {
					t.Errorf("%s: %d rows on a page of %d", target, len(ids), size)
				}
				got = append(got, ids...)
				target, _, _ = strings.Cut(next, "#") // a browser does not send the fragment
			}
			if len(got) != len(want) || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Errorf("%s size %d: %d reports listed (or repeats), brute force %d", raw, size, len(got), len(want))
				continue
			}
			byID := map[string]search.Report{}
			for _, r := range want {
				byID[r.ID] = r
			}
			for i, id := range got {
				r, ok := byID[id]
				if !ok {
					t.Errorf("%s: %s listed, but it does not pass the filters", raw, id)
				} else if i > 0 && byID[got[i-1]].Year < r.Year {
					t.Errorf("%s: %s (%d) after %s (%d): not newest first", raw, id, r.Year, got[i-1], byID[got[i-1]].Year)
				}
			}
		}
	}
	// The form keeps the filters; the format choice lists the index's.
	d := b.page("/admin?format=" + format + "&title=" + url.QueryEscape("报告"))
	if !strings.Contains(d.body, `value="`+format+`" selected`) || !strings.Contains(d.body, `name="title" value="报告"`) {
		t.Error("the filter form does not show the filters")
	}
	for _, bad := range []string{"from=-1", "size=0", "size=501", "size=x", "ocr=2", "year=abc", "level=" + strings.Repeat("x", 300)} {
		if rec := b.do(newGet("/admin?" + bad)); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	// Without a session, no list.
	anon := &browser{t: t, e: s.e, cookies: map[string]*http.Cookie{}}
	if d := anon.page("/admin?year=2024"); d.byID("reports") != nil {
		t.Error("the list is shown without a session")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func newGet(target string) *http.Request { return httptest.NewRequest(http.MethodGet, target, nil) }
