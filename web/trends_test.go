package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/search"
)

// The trends page draws one bar per theme and bucket, each a link to the
// search that finds exactly the bar's paragraphs.
func TestTrendsPage(t *testing.T) {
	e := newSampleServer(t)
	raw := "q=" + url.QueryEscape("高质量发展") + "&q=" + url.QueryEscape("乡村振兴")
	var api search.TrendsResponse
	getJSON(t, e, "/api/trends?"+raw, &api)
	// Every year (years=all): TestTrendsDefaultAxis checks the default.
	d := fetchPage(t, e, "/trends?years=all&"+raw)
	if d.code != http.StatusOK {
		t.Fatalf("status %d: %s", d.code, d.body)
	}
	bars := d.byClass("rect", "bar")
	if len(bars) != len(api.Buckets)*len(api.Series) {
		t.Fatalf("%d bars for %d buckets × %d themes", len(bars), len(api.Buckets), len(api.Series))
	}
	checked := 0
	for _, b := range bars {
		title := textOf(b)
		a := b.Parent
		if a.Data != "a" {
			t.Fatalf("bar %q is not a link", title)
		}
		if !strings.Contains(title, "段（") {
			t.Errorf("bar tooltip %q", title)
		}
		u, err := url.Parse(attr(a, "href"))
		if err != nil || u.Path != "/" {
			t.Fatalf("bar link %q", attr(a, "href"))
		}
		// The bar's height stands for the count the linked search finds.
		year, _ := strconv.Atoi(u.Query().Get("year"))
		var want uint64
		for _, s := range api.Series {
			if s.Query != u.Query().Get("q") {
				continue
			}
			for _, p := range s.Points {
				if p.Value == float64(year) {
					want = p.Paragraphs
				}
			}
		}
		if got := searchTotal(t, e, u.RawQuery); got != want {
			t.Errorf("bar %q links to a search with %d paragraphs, the trend says %d", title, got, want)
		}
		if h, _ := strconv.ParseFloat(attr(b, "height"), 64); (h > 0) != (want > 0) {
			t.Errorf("bar %q height %v for %d paragraphs", title, h, want)
		}
		checked++
	}
	// The table lists every bucket with each theme's count and rate.
	rows := d.find(func(n *html.Node) bool { return n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" })
	if len(rows) != len(api.Buckets) {
		t.Errorf("%d table rows for %d buckets", len(rows), len(api.Buckets))
	}
	// The count/rate toggle is a link; the rate chart labels its axis.
	rate := linkByText(d.byClass("div", "toggle"), "每万字")
	if !strings.Contains(rate, "metric=rate") {
		t.Fatalf("rate toggle %q", rate)
	}
	d2 := fetchPage(t, e, rate)
	if d2.code != http.StatusOK || !strings.Contains(d2.body, "每万字段落数") || len(d2.byClass("rect", "bar")) != len(bars) {
		t.Errorf("rate chart: %d", d2.code)
	}
	// By region: bars link to the region.
	d3 := fetchPage(t, e, "/trends?by=region&"+raw)
	if d3.code != http.StatusOK || !strings.Contains(d3.body, "region=%E5%B1%B1%E4%B8%9C%E7%9C%81") {
		t.Errorf("by region: %d", d3.code)
	}
}

func TestTrendsPageForms(t *testing.T) {
	e := newSampleServer(t)
	// No theme: the form, two empty boxes.
	d := fetchPage(t, e, "/trends")
	if d.code != http.StatusOK || len(d.find(func(n *html.Node) bool { return attr(n, "name") == "q" })) != 2 {
		t.Errorf("empty trends page: %d", d.code)
	}
	// Empty boxes are ignored; the themes come back in the form with one
	// empty box more.
	d = fetchPage(t, e, "/trends?q=&q="+url.QueryEscape("城市更新")+"&q=")
	boxes := d.find(func(n *html.Node) bool { return attr(n, "name") == "q" })
	if d.code != http.StatusOK || len(boxes) != 2 || attr(boxes[0], "value") != "城市更新" {
		t.Errorf("boxes: %d, %d", d.code, len(boxes))
	}
	for _, bad := range []string{"/trends?q=x&by=colour", "/trends?q=x&metric=pie", "/trends?q=%22open", "/trends?q=x&year=abc"} {
		if d := fetchPage(t, e, bad); d.code != http.StatusBadRequest || len(d.byClass("p", "error")) != 1 {
			t.Errorf("%s: %d", bad, d.code)
		}
	}
}

func TestNiceScale(t *testing.T) {
	for _, tc := range []struct {
		max       float64
		rate      bool
		step, top float64
	}{
		{24, false, 10, 30}, {3, false, 1, 3}, {0, false, 1, 1}, {1, false, 1, 1},
		{10.42, true, 5, 15}, {0.37, true, 0.1, 0.4},
	} {
		step, top := niceScale(tc.max, tc.rate)
		if step != tc.step || top != tc.top {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tc.max, step, top, tc.step, tc.top)
		}
	}
}

// TestTimeAxis: years are placed by value, gaps kept, the unknown year
// last after a gap; thin buckets are flagged and the page says so.
func TestTimeAxis(t *testing.T) {
	resp := &search.TrendsResponse{By: search.FieldYear, Buckets: []search.TrendBucket{
		{Value: 0, Chars: 5000}, {Value: 2010, Chars: 9000}, {Value: 2011, Chars: 600}, {Value: 2015, Chars: 9000}},
		Series: []search.TrendSeries{{Query: "x", Points: make([]search.TrendPoint, 4)}}}
	slots, gaps := axisSlots(resp)
	if want := []int{7, 0, 1, 5}; !slices.Equal(slots, want) {
		t.Errorf("slots %v, want %v", slots, want)
	}
	if len(gaps) != 3 || gaps[0].year != 2012 || gaps[2].year != 2014 {
		t.Errorf("gaps %v", gaps)
	}
	ch := drawChart(resp, false, func(string, any) string { return "" })
	var labels []string
	for _, g := range ch.Groups {
		labels = append(labels, g.Label)
		if g.Label == "2011" && !g.Thin {
			t.Error("2011 (600 characters) not flagged thin")
		}
	}
	if !slices.Contains(labels, "未知") {
		t.Errorf("labels %v", labels)
	}
	e := newSampleServer(t)
	d := fetchPage(t, e, "/trends?q="+url.QueryEscape("发展"))
	if !strings.Contains(d.body, "scroll-cue") || !strings.Contains(d.body, "时间轴") {
		t.Error("no scroll cue or time-axis caption")
	}
}

func TestOrderRegions(t *testing.T) {
	resp := &search.TrendsResponse{By: search.FieldRegion, Buckets: []search.TrendBucket{
		{Value: "山东省烟台市芝罘区"}, {Value: "上海市"}, {Value: "全国"}, {Value: "北京市"}, {Value: "山东省"}},
		Series: []search.TrendSeries{{Points: []search.TrendPoint{{Paragraphs: 1}, {Paragraphs: 5}, {Paragraphs: 9}, {Paragraphs: 2}, {Paragraphs: 3}}}}}
	orderRegions(resp, false)
	var got []string
	for _, b := range resp.Buckets {
		got = append(got, b.Value.(string))
	}
	// bei jing, quan guo, shan dong, shan dong … yan tai, shang hai.
	if want := []string{"北京市", "全国", "山东省", "山东省烟台市芝罘区", "上海市"}; !slices.Equal(got, want) {
		t.Errorf("by pinyin %v, want %v", got, want)
	}
	if resp.Series[0].Points[0].Paragraphs != 2 {
		t.Errorf("points not moved with their buckets: %v", resp.Series[0].Points)
	}
	orderRegions(resp, true)
	if resp.Buckets[0].Value != "全国" || resp.Buckets[1].Value != "上海市" {
		t.Errorf("by count %v", resp.Buckets)
	}
}

// TestLineChart: chart=line draws one line per theme (cut at years
// without reports) with a dot linking to each bucket's search, no bars.
func TestLineChart(t *testing.T) {
	e := newSampleServer(t)
	raw := "q=" + url.QueryEscape("高质量发展") + "&q=" + url.QueryEscape("乡村振兴")
	var api search.TrendsResponse
	getJSON(t, e, "/api/trends?"+raw, &api)
	d := fetchPage(t, e, "/trends?chart=line&years=all&"+raw)
	if d.code != http.StatusOK {
		t.Fatalf("%d %s", d.code, d.body)
	}
	if n := strings.Count(d.body, "<circle "); n != len(api.Buckets)*len(api.Series) {
		t.Errorf("%d dots for %d buckets × %d themes", n, len(api.Buckets), len(api.Series))
	}
	if strings.Contains(d.body, `class="bar `) {
		t.Error("bars drawn in a line chart")
	}
	// The sample's years are 1921 and 2022…2026: each line has two
	// segments (the gap cuts it).
	if n := strings.Count(d.body, "<polyline "); n != 2*len(api.Series) {
		t.Errorf("%d polylines, want %d", n, 2*len(api.Series))
	}
	if !strings.Contains(d.body, "折线图") {
		t.Error("no bars/lines toggle")
	}
}

// TestTrendsDefaultAxis: by default the year axis runs from the first to
// the last year where a theme matches (brute force over the corpus), with
// every year of the index in between (zero bars included) and the years
// without reports as gaps; years=all shows every year, a year filter
// keeps its years; each bar's search finds the bar's paragraphs.
func TestTrendsDefaultAxis(t *testing.T) {
	e := newTestServer(t)
	var all search.TrendsResponse
	getJSON(t, e, "/api/trends?q=x", &all)
	indexYears := map[int]bool{}
	for _, b := range all.Buckets {
		indexYears[int(b.Value.(float64))] = true
	}
	for _, qs := range [][]string{{"网格化治理"}, {"城市更新", "乡村振兴"}, {"共产党"}, {"发展"}, {"数字经济"}} {
		raw := ""
		matchYears := map[int]bool{}
		for _, q := range qs {
			raw += "&q=" + url.QueryEscape(q)
			_, facets := bruteCount(t, q, nil)
			for y, n := range facets[search.FieldYear] {
				if yi, _ := strconv.Atoi(y); n > 0 {
					matchYears[yi] = true
				}
			}
		}
		first, last := 0, 0
		for y := range matchYears {
			if y != 0 && (first == 0 || y < first) {
				first = y
			}
			last = max(last, y)
		}
		var want, wantGaps []string
		for y := first; first != 0 && y <= last; y++ {
			if indexYears[y] {
				want = append(want, strconv.Itoa(y))
			} else if y%5 == 0 {
				wantGaps = append(wantGaps, strconv.Itoa(y))
			}
		}
		if matchYears[0] {
			want = append(want, "未知")
		}
		d := fetchPage(t, e, "/trends?"+raw[1:])
		if d.code != http.StatusOK {
			t.Fatalf("%v: %d", qs, d.code)
		}
		var rows, labels, gaps []string
		for _, th := range d.find(func(n *html.Node) bool {
			return n.Data == "th" && attr(n, "scope") == "row"
		}) {
			rows = append(rows, strings.Fields(textOf(th))[0])
		}
		for _, tx := range d.find(func(n *html.Node) bool {
			return n.Data == "text" && n.Parent.Data == "g" && attr(n.Parent, "class") == "group"
		}) {
			l := strings.TrimSuffix(textOf(tx), "*")
			if attr(tx, "class") == "gap" {
				gaps = append(gaps, l)
			} else {
				labels = append(labels, l)
			}
		}
		if !slices.Equal(rows, want) || !slices.Equal(labels, want) {
			t.Errorf("%v: table %v, chart %v; want the years of the index from %d to %d: %v", qs, rows, labels, first, last, want)
		}
		if !slices.Equal(gaps, wantGaps) {
			t.Errorf("%v: gap labels %v, want %v", qs, gaps, wantGaps)
		}
		if n := len(d.byClass("rect", "bar")); n != len(want)*len(qs) {
			t.Errorf("%v: %d bars for %d years × %d themes", qs, n, len(want), len(qs))
		}
		t.Logf("%v: %d of %d years, %d..%d", qs, len(want), len(all.Buckets), first, last)
		if cut := len(want) < len(all.Buckets); cut != strings.Contains(d.body, "显示全部年份") {
			t.Errorf("%v: cut %v, but the all-years link shown %v", qs, cut, !cut)
		}
		// years=all: every year of the index; a year filter: its years.
		d = fetchPage(t, e, "/trends?years=all"+raw)
		if n := len(d.byClass("rect", "bar")); n != len(all.Buckets)*len(qs) {
			t.Errorf("%v years=all: %d bars for %d years × %d themes", qs, n, len(all.Buckets), len(qs))
		}
		var filtered search.TrendsResponse
		getJSON(t, e, "/api/trends?year=1950..2025"+raw, &filtered)
		d = fetchPage(t, e, "/trends?year=1950..2025"+raw)
		if n := len(d.byClass("rect", "bar")); n != len(filtered.Buckets)*len(qs) {
			t.Errorf("%v year filter: %d bars for %d years × %d themes", qs, n, len(filtered.Buckets), len(qs))
		}
	}
	if d := fetchPage(t, e, "/trends?q=x&years=some"); d.code != http.StatusBadRequest {
		t.Errorf("years=some: %d", d.code)
	}
}
