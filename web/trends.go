package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"reportsearch/internal/regions"
	"reportsearch/search"
	"reportsearch/search/export"
)

// apiTrends: GET /api/trends?q=…&q=…[&by=year|region|level|organization|doc_type]
// [&mode=loose][&year=…&region=…][&metric=occurrences][&format=csv]: per
// query and bucket, the matching paragraphs, the reports they are in, and
// the rate per 10,000 characters (see search.Trends); metric=occurrences
// adds the occurrences of the terms. panel=region,year[&layout=long|wide]
// [&metric=…] counts by two fields at once (see search.Panel).
func (s *Server) apiTrends(c echo.Context) error {
	p, err := readParams(c.QueryParams(), apiTrendsKeys)
	if err != nil {
		return err
	}
	req := search.TrendsRequest{Queries: p["q"], Mode: search.Mode(p.get("mode")), By: p.get("by"), Themes: s.themesOf()}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return err
	}
	format, err := export.ParseFormat(p.get("format"), export.JSON, export.CSV)
	if err != nil {
		return err
	}
	switch p.get("region_level") {
	case "":
	case "province":
		req.Provinces = true
	default:
		return search.BadRequestf("region_level must be province or absent, not %q", p.get("region_level"))
	}
	metric, layout := p.get("metric"), p.get("layout")
	if layout != "" && layout != export.PanelLong && layout != export.PanelWide {
		return search.BadRequestf("layout must be %q or %q, not %q", export.PanelLong, export.PanelWide, layout)
	}
	if layout != "" && p.get("panel") == "" {
		return search.BadRequestf("layout applies to a panel: give panel=region,year")
	}
	for range req.Queries {
		s.metrics.search("trends")
	}
	csvHeaders := func(name string) {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, export.ContentTypeCSV)
		h.Set(echo.HeaderContentDisposition, attachment(name, "csv"))
		c.Response().WriteHeader(http.StatusOK)
	}
	if panel := p.get("panel"); panel != "" {
		// panel=region,year: every query by two fields at once.
		preq := search.PanelRequest{TrendsRequest: req}
		if preq.Rows, preq.Cols, err = search.ParsePanel(panel); err != nil {
			return err
		}
		if _, err := export.ParsePanelMetric(metric); err != nil {
			return err
		}
		resp, err := search.Panel(c.Request().Context(), s.index, preq)
		if err != nil {
			return err
		}
		if format == export.CSV {
			csvHeaders("panel-" + preq.Rows + "-" + preq.Cols)
			return export.WritePanelCSV(c.Response(), resp, layout, metric)
		}
		return c.JSON(http.StatusOK, resp)
	}
	switch metric {
	case "", "paragraphs":
	case "occurrences":
		req.Occurrences = true
	default:
		return search.BadRequestf("metric must be paragraphs or occurrences, not %q", metric)
	}
	resp, err := search.Trends(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	if format == export.CSV {
		csvHeaders("trends-" + resp.By)
		if req.Occurrences {
			return export.WriteTrendsCSVOccurrences(c.Response(), resp)
		}
		return export.WriteTrendsCSV(c.Response(), resp)
	}
	return c.JSON(http.StatusOK, resp)
}

type trendsPage struct {
	page
	// Queries are the form's theme boxes: the current themes and one
	// empty box for another.
	Queries             []string
	Mode, By, Metric    string
	Year                string
	Hidden              []hiddenField
	Active              []activeFilter
	Error               string
	Resp                *search.TrendsResponse
	Chart               *chart
	Legend              []legendEntry
	Rows                []trendRow
	CountHref, RateHref string
	// Line draws lines instead of bars (chart=line); BarsHref and
	// LineHref switch.
	Line               bool
	BarsHref, LineHref string
	ExportCSV          string
	ByOptions          []option
	// YearsFrom..YearsTo is the axis by default, the years where a theme
	// matches (trimToMatchedYears; 0 when nothing was cut); AllYearsHref
	// shows every year instead (years=all, AllYears), MatchedYearsHref
	// goes back.
	YearsFrom, YearsTo             int
	AllYears                       bool
	AllYearsHref, MatchedYearsHref string
}

type option struct {
	Value, Label string
	Selected     bool
}

type legendEntry struct {
	Query, Class, Href string
	Total              uint64
}

type trendRow struct {
	Label   string
	Reports int
	Chars   int
	Cells   []trendCell
	// Thin: less than thinChars characters of text, rates unstable.
	Thin bool
}

type trendCell struct {
	Paragraphs uint64
	Rate       string
	Href       string
}

// maxThemeBoxes is how many theme boxes the form shows at most.
const maxThemeBoxes = search.MaxTrendQueries

// uiTrends renders the trends page: the themes (q=…&q=…) compared by
// year or another field, as a bar chart drawn on the server (inline SVG,
// each bar a link to the matching search) and a table; metric=rate shows
// matches per 10,000 characters instead of counts.
func (s *Server) uiTrends(c echo.Context) error {
	// The parameters of the trends page are the API's, and metric (count
	// or rate) for what the chart shows.
	p, perr := readParams(c.QueryParams(), trendsPageKeys)
	queries := p["q"]
	data := &trendsPage{page: page{Title: "趋势", Nav: "trends"}, Mode: p.get("mode"),
		By: p.get("by"), Metric: p.get("metric")}
	if len(queries) > 0 {
		data.Title = strings.Join(queries, "、") + " - 趋势"
	}
	if data.By == "" {
		data.By = search.FieldYear
	}
	if data.Metric == "" {
		data.Metric = "count"
	}
	data.Queries = append(slices.Clone(queries), "")
	for len(data.Queries) < 2 {
		data.Queries = append(data.Queries, "")
	}
	if len(data.Queries) > maxThemeBoxes {
		data.Queries = data.Queries[:maxThemeBoxes]
	}
	for _, f := range search.FacetFields {
		data.ByOptions = append(data.ByOptions, option{Value: f, Label: fieldLabel(f), Selected: f == data.By})
	}
	data.Year, data.Hidden = filterFields(p)
	data.Active = activeFilters(p, "/trends")
	data.CountHref = p.set("metric").href("/trends")
	data.RateHref = p.set("metric", "rate").href("/trends")
	fail := func(err error) error {
		if !search.IsBadRequest(err) {
			return err
		}
		data.Error = userMessage(err)
		return s.render(c, http.StatusBadRequest, "trends.html", data)
	}
	if perr != nil {
		return fail(perr)
	}
	if data.Metric != "count" && data.Metric != "rate" {
		return fail(search.BadRequestf("metric must be count or rate, not %q", data.Metric))
	}
	filter, err := search.ParseFilter(p)
	if err != nil {
		return fail(err)
	}
	if len(queries) == 0 {
		return s.render(c, http.StatusOK, "trends.html", data)
	}
	for range queries {
		s.metrics.search("trends")
	}
	resp, err := search.Trends(c.Request().Context(), s.index, search.TrendsRequest{
		Queries: queries, Mode: search.Mode(data.Mode), By: data.By, Filter: filter, Themes: s.themesOf(),
		Provinces: p.get("region_level") == "province"})
	if err != nil {
		return fail(err)
	}
	if resp.By == search.FieldRegion {
		orderRegions(resp, p.get("order") == "count")
	}
	switch p.get("years") {
	case "":
		if resp.By == search.FieldYear && len(p[search.FieldYear]) == 0 {
			data.YearsFrom, data.YearsTo = trimToMatchedYears(resp)
			data.AllYearsHref = p.set("years", "all").href("/trends")
		}
	case "all":
		data.AllYears = true
		data.MatchedYearsHref = p.set("years").href("/trends")
	default:
		return fail(search.BadRequestf("years must be all or absent, not %q", p.get("years")))
	}
	data.Resp = resp
	data.ExportCSV = p.set("metric").set("format", "csv").href("/api/trends")
	// A bar or a cell opens the search for its theme, narrowed to its
	// bucket (which lies within the page's filter, so it replaces any
	// filter on the same field).
	searchHref := func(q string, bucket any) string {
		sp := p.set("metric").set("by").set("q", q)
		if v := filterValue(bucket); v != "" {
			sp = sp.set(resp.By, v)
		} else if bucket != nil {
			return ""
		}
		return sp.href("/")
	}
	for i, sr := range resp.Series {
		data.Legend = append(data.Legend, legendEntry{Query: sr.Query, Class: seriesClass(i),
			Total: sr.Total, Href: searchHref(sr.Query, nil)})
	}
	for bi, b := range resp.Buckets {
		row := trendRow{Label: valueLabel(resp.By, b.Value), Reports: b.Reports, Chars: b.Chars, Thin: b.Chars < thinChars}
		for _, sr := range resp.Series {
			pt := sr.Points[bi]
			row.Cells = append(row.Cells, trendCell{Paragraphs: pt.Paragraphs,
				Rate: strconv.FormatFloat(pt.Rate, 'f', 2, 64), Href: searchHref(sr.Query, b.Value)})
		}
		data.Rows = append(data.Rows, row)
	}
	data.Chart = drawChart(resp, data.Metric == "rate", searchHref)
	data.Line = p.get("chart") == "line"
	if data.Line && data.Chart != nil {
		data.Chart.lines(resp, data.Metric == "rate")
	}
	data.BarsHref, data.LineHref = p.set("chart").href("/trends"), p.set("chart", "line").href("/trends")
	return s.render(c, http.StatusOK, "trends.html", data)
}

// seriesClass is the CSS class that colours a series (eight colours,
// repeated).
func seriesClass(i int) string { return "s" + strconv.Itoa(i%8) }

// chart is a grouped bar chart laid out for an inline SVG: one group of
// bars per bucket, one bar per theme. Coordinates are in the viewBox.
type chart struct {
	Width, Height    int
	Left, Right, Top int
	Bottom           int // the y of the x axis
	YLabel           string
	Ticks            []chartTick
	Groups           []chartGroup
	RotateLabels     bool
	LabelY           int
	// Scrolls: wider than the page's chart; a cue says it scrolls.
	Scrolls bool
	// Lines are the series as lines (chart=line), each cut where a year
	// has no reports; the bars' geometry is kept for the dots.
	Lines []chartLine
}

type chartLine struct {
	Class    string
	Segments []string // SVG points lists
	Dots     []chartDot
}

type chartDot struct {
	X, Y, Title, Href string
}

// lines draws the series of a laid-out chart as lines through the tops
// of its bars' centres, a dot (a link, like a bar) at each bucket.
func (ch *chart) lines(resp *search.TrendsResponse, rate bool) {
	slots, _ := axisSlots(resp)
	for si := range resp.Series {
		l := chartLine{Class: seriesClass(si)}
		var seg []string
		prev := -2
		for bi := range resp.Buckets {
			bar := ch.Groups[bi].Bars[si]
			x := ch.Groups[bi].X
			if slots[bi] != prev+1 && len(seg) > 0 {
				l.Segments = append(l.Segments, strings.Join(seg, " "))
				seg = nil
			}
			prev = slots[bi]
			seg = append(seg, x+","+bar.Y)
			l.Dots = append(l.Dots, chartDot{X: x, Y: bar.Y, Title: bar.Title, Href: bar.Href})
		}
		if len(seg) > 0 {
			l.Segments = append(l.Segments, strings.Join(seg, " "))
		}
		ch.Lines = append(ch.Lines, l)
	}
}

type chartTick struct {
	Y     string
	Label string
}

type chartGroup struct {
	Label string
	X     string // centre of the group, for its label
	Bars  []chartBar
	// Thin: the bucket has less than thinChars characters of text.
	Thin bool
	// Gap: a year without reports, only labelled.
	Gap bool
}

type chartBar struct {
	X, Y, W, H string
	Class      string
	Title      string
	Href       string
}

const (
	chartHeight = 340
	chartWidth  = 760 // the viewBox's width when the buckets fit
	chartLeft   = 56
	chartRight  = 16
	chartTop    = 30
	minBarWidth = 8
	maxBarWidth = 36
)

// drawChart lays out resp as bars of paragraph counts (or rates).
func drawChart(resp *search.TrendsResponse, rate bool, href func(q string, bucket any) string) *chart {
	n, m := len(resp.Buckets), len(resp.Series)
	if n == 0 || m == 0 {
		return nil
	}
	value := func(pt search.TrendPoint) float64 {
		if rate {
			return pt.Rate
		}
		return float64(pt.Paragraphs)
	}
	maxV := 0.0
	for _, sr := range resp.Series {
		for _, pt := range sr.Points {
			maxV = max(maxV, value(pt))
		}
	}
	step, top := niceScale(maxV, rate)
	// Years are placed by value on a time axis: a year without reports
	// is a gap (labelled every five years), and unknown years come last,
	// after a gap. Other fields are placed one after another.
	slots, gaps := axisSlots(resp)
	n = len(slots) + len(gaps)
	if len(slots) > 0 {
		n = max(n, slots[len(slots)-1]+1)
	}
	// Bars fill three quarters of their group, within bounds; many
	// buckets widen the chart (it scrolls) rather than thin the bars out.
	plotW := float64(chartWidth - chartLeft - chartRight)
	groupW := plotW / float64(n)
	barW := min(maxBarWidth, groupW*0.75/float64(m))
	if barW < minBarWidth {
		barW = minBarWidth
		groupW = barW * float64(m) / 0.75
		plotW = groupW * float64(n)
	}
	rotate := n > 16
	for _, b := range resp.Buckets {
		if float64(utf8.RuneCountInString(valueLabel(resp.By, b.Value)))*12 > groupW {
			rotate = true
		}
	}
	labelSpace := 28
	if rotate {
		labelSpace = 96
	}
	ch := &chart{Width: int(math.Ceil(plotW)) + chartLeft + chartRight, Height: chartHeight,
		Left: chartLeft, Top: chartTop, Bottom: chartHeight - labelSpace, RotateLabels: rotate}
	ch.Right = ch.Width - chartRight
	ch.LabelY = ch.Bottom + 18
	ch.YLabel = "段落数"
	if rate {
		ch.YLabel = "每万字段落数"
	}
	plotH := float64(ch.Bottom - ch.Top)
	y := func(v float64) float64 { return float64(ch.Bottom) - v/top*plotH }
	for i := 0; float64(i)*step <= top+step/2; i++ {
		v := float64(i) * step
		ch.Ticks = append(ch.Ticks, chartTick{Y: px(y(v)), Label: tickLabel(v, rate)})
	}
	for bi, b := range resp.Buckets {
		centre := chartLeft + (float64(slots[bi])+0.5)*groupW
		x0 := centre - barW*float64(m)/2
		label := valueLabel(resp.By, b.Value)
		g := chartGroup{Label: label, X: px(centre), Thin: b.Chars < thinChars}
		if g.Thin {
			label += "（文本不足 2,000 字，比率不稳）"
		}
		for si, sr := range resp.Series {
			pt := sr.Points[bi]
			v := value(pt)
			h := v / top * plotH
			if v > 0 && h < 1 {
				h = 1 // a match is never invisible
			}
			g.Bars = append(g.Bars, chartBar{
				X: px(x0 + float64(si)*barW + 0.5), Y: px(float64(ch.Bottom) - h),
				W: px(barW - 1), H: px(h), Class: seriesClass(si),
				Title: fmt.Sprintf("%s · %s：%d 段（%d 份报告），每万字 %.2f", label, sr.Query,
					pt.Paragraphs, pt.Reports, pt.Rate),
				Href: href(sr.Query, b.Value),
			})
		}
		ch.Groups = append(ch.Groups, g)
	}
	for _, gp := range gaps {
		if gp.year%5 == 0 {
			ch.Groups = append(ch.Groups, chartGroup{Label: strconv.Itoa(gp.year), X: px(chartLeft + (float64(gp.slot)+0.5)*groupW), Gap: true})
		}
	}
	ch.Scrolls = ch.Width > chartWidth
	return ch
}

// trimToMatchedYears cuts a by-year answer to the years where some theme
// matches: from the first such year to the last, every year with reports
// in between kept (a year without matches is a zero bar, a year without
// reports stays a gap); the unknown year only when something matches
// there. Only buckets without matches go, so every total still adds up.
// A researcher asking about 网格化治理 sees 2013–2026, not a century of
// empty years from the 1921 report on. It returns the range kept, or 0, 0
// when nothing was cut (no match at all, or matches in the first and
// last years).
func trimToMatchedYears(resp *search.TrendsResponse) (from, to int) {
	matched := func(bi int) bool {
		for _, sr := range resp.Series {
			if sr.Points[bi].Paragraphs > 0 {
				return true
			}
		}
		return false
	}
	for bi, b := range resp.Buckets {
		if y, _ := b.Value.(int); y != 0 && matched(bi) {
			if from == 0 || y < from {
				from = y
			}
			to = max(to, y)
		}
	}
	keep := func(bi int) bool {
		y, _ := resp.Buckets[bi].Value.(int)
		if y == 0 {
			return matched(bi)
		}
		return from != 0 && y >= from && y <= to
	}
	var idx []int
	for bi := range resp.Buckets {
		if keep(bi) {
			idx = append(idx, bi)
		}
	}
	if len(idx) == len(resp.Buckets) || len(idx) == 0 {
		return 0, 0
	}
	keepBuckets(resp, idx)
	return from, to
}

// thinChars is the text length under which a bucket's rate is flagged as
// unstable: a few hundred characters make a single match a high rate.
const thinChars = 2000

type gapSlot struct{ year, slot int }

// axisSlots places the buckets on the x axis: for years, by value from
// the first year with reports to the last (so gaps show), the unknown
// year after one empty slot; for other fields, in order.
func axisSlots(resp *search.TrendsResponse) (slots []int, gaps []gapSlot) {
	slots = make([]int, len(resp.Buckets))
	if resp.By != search.FieldYear {
		for i := range slots {
			slots[i] = i
		}
		return slots, nil
	}
	first, last := 0, 0
	for _, b := range resp.Buckets {
		if y, _ := b.Value.(int); y != 0 {
			if first == 0 || y < first {
				first = y
			}
			last = max(last, y)
		}
	}
	have := map[int]bool{}
	for i, b := range resp.Buckets {
		y, _ := b.Value.(int)
		if y == 0 {
			slots[i] = last - first + 2
			if first == 0 {
				slots[i] = 0
			}
			continue
		}
		slots[i] = y - first
		have[y] = true
	}
	for y := first; first != 0 && y <= last; y++ {
		if !have[y] {
			gaps = append(gaps, gapSlot{y, y - first})
		}
	}
	return slots, gaps
}

// niceScale returns a tick step of 1, 2 or 5 times a power of ten giving
// about four ticks, and the top of the axis, a multiple of it.
func niceScale(maxV float64, rate bool) (step, top float64) {
	if maxV <= 0 {
		return 1, 1
	}
	raw := maxV / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, f := range []float64{1, 2, 5} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	if !rate && step < 1 {
		step = 1
	}
	return step, math.Ceil(maxV/step-1e-9) * step
}

func tickLabel(v float64, rate bool) string {
	if !rate {
		return strconv.Itoa(int(math.Round(v)))
	}
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

func px(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// orderRegions orders the region buckets of a trends answer (and every
// series' points with them) for the page: in pinyin order by name
// (regions.ComparePinyin, as the API gives them: 安徽省, 北京市, 重庆市 …),
// or, with byCount, by the first theme's paragraphs, most first, ties in
// pinyin order.
func orderRegions(resp *search.TrendsResponse, byCount bool) {
	idx := make([]int, len(resp.Buckets))
	for i := range idx {
		idx[i] = i
	}
	name := func(i int) string { s, _ := resp.Buckets[i].Value.(string); return s }
	slices.SortStableFunc(idx, func(a, b int) int {
		if byCount && len(resp.Series) > 0 {
			if c := cmp.Compare(resp.Series[0].Points[b].Paragraphs, resp.Series[0].Points[a].Paragraphs); c != 0 {
				return c
			}
		}
		return regions.ComparePinyin(name(a), name(b))
	})
	keepBuckets(resp, idx)
}

// keepBuckets keeps the buckets idx of resp, in that order, with the
// points of every series.
func keepBuckets(resp *search.TrendsResponse, idx []int) {
	buckets := make([]search.TrendBucket, len(idx))
	for i, j := range idx {
		buckets[i] = resp.Buckets[j]
	}
	resp.Buckets = buckets
	for si := range resp.Series {
		pts := make([]search.TrendPoint, len(idx))
		for i, j := range idx {
			pts[i] = resp.Series[si].Points[j]
		}
		resp.Series[si].Points = pts
	}
}
