// Command plot shows how the benchmark's figures grow with the corpus
// (issue 18: 100k → 1M → 5M paragraphs). It reads the results.json that
// bench/run writes for each corpus, prints the growth table in Markdown
// and writes an SVG of small multiples: one panel per figure, paragraphs
// and the figure on logarithmic axes, with a dotted line of linear growth
// from the smallest run (a figure under it grows sub-linearly) and the
// 5M target of issue 18 as a dashed line where there is one. It needs
// nothing but the standard library, so the plot is regenerated offline:
//
//	go run ./bench/plot -svg docs/growth.svg /tmp/bench/r100k/results.json \
//	  /tmp/bench/r1m/results.json /tmp/bench/r5m/results.json > /tmp/bench/growth.md
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// run is what plot reads of one results.json (see bench/run's Results).
type run struct {
	Label string `json:"label"`
	Index struct {
		Reused         bool    `json:"reused"`
		Paragraphs     int     `json:"paragraphs"`
		WallSeconds    float64 `json:"wall_seconds"`
		PeakRSSBytes   float64 `json:"peak_rss_bytes"`
		IndexDiskBytes float64 `json:"index_disk_bytes"`
		ParagraphsPerS float64 `json:"paragraphs_per_s"`
	} `json:"index"`
	InProcess *querySet `json:"in_process"`
	Server    *struct {
		ReadySeconds    float64   `json:"ready_seconds"`
		RSSWarmBytes    float64   `json:"rss_warm_bytes"`
		RSSLoadMaxBytes float64   `json:"rss_load_max_bytes"`
		HTTP            *querySet `json:"http"`
	} `json:"server"`
}

type querySet struct {
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
}

// figure is one row of the table and one panel of the plot.
type figure struct {
	name, unit string
	// target is issue 18's bound at 5M, 0 for none; higher says whether
	// more is better (paragraphs/s).
	target float64
	higher bool
	value  func(r *run) (float64, bool)
}

// mb is a million bytes, as bench/run's tables count them.
const mb = 1e6

func serverFig(f func(r *run) float64) func(r *run) (float64, bool) {
	return func(r *run) (float64, bool) {
		if r.Server == nil {
			return 0, false
		}
		return f(r), true
	}
}

func httpFig(f func(q *querySet) float64) func(r *run) (float64, bool) {
	return func(r *run) (float64, bool) {
		if r.Server == nil || r.Server.HTTP == nil {
			return 0, false
		}
		return f(r.Server.HTTP), true
	}
}

func inProcFig(f func(q *querySet) float64) func(r *run) (float64, bool) {
	return func(r *run) (float64, bool) {
		if r.InProcess == nil {
			return 0, false
		}
		return f(r.InProcess), true
	}
}

var figures = []figure{
	{name: "build", unit: "s", value: func(r *run) (float64, bool) { return r.Index.WallSeconds, true }},
	{name: "build rate", unit: "paragraphs/s", higher: true, value: func(r *run) (float64, bool) { return r.Index.ParagraphsPerS, true }},
	{name: "build peak RSS", unit: "MB", target: 3000, value: func(r *run) (float64, bool) { return r.Index.PeakRSSBytes / mb, true }},
	{name: "index on disk", unit: "MB", value: func(r *run) (float64, bool) { return r.Index.IndexDiskBytes / mb, true }},
	{name: "server ready", unit: "s", target: 1, value: serverFig(func(r *run) float64 { return r.Server.ReadySeconds })},
	{name: "serving RSS after the query runs", unit: "MB", target: 1000, value: serverFig(func(r *run) float64 { return r.Server.RSSWarmBytes / mb })},
	{name: "serving RSS max under wrk", unit: "MB", target: 1000, value: serverFig(func(r *run) float64 { return r.Server.RSSLoadMaxBytes / mb })},
	{name: "HTTP median", unit: "ms", target: 8, value: httpFig(func(q *querySet) float64 { return q.MedianMS })},
	{name: "HTTP p95", unit: "ms", target: 25, value: httpFig(func(q *querySet) float64 { return q.P95MS })},
	{name: "in-process median", unit: "ms", value: inProcFig(func(q *querySet) float64 { return q.MedianMS })},
	{name: "in-process p95", unit: "ms", value: inProcFig(func(q *querySet) float64 { return q.P95MS })},
}

func main() {
	svgPath := flag.String("svg", "", "write the plot to this SVG file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/plot [-svg FILE] RESULTS.json... (bench/run's, one per corpus)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	runs, err := load(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
	table(os.Stdout, runs)
	if *svgPath != "" {
		var b strings.Builder
		plot(&b, runs)
		if err := os.WriteFile(*svgPath, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "plot:", err)
			os.Exit(1)
		}
	}
}

// load reads the runs, smallest corpus first.
func load(paths []string) ([]*run, error) {
	var runs []*run
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		r := new(run)
		if err := json.Unmarshal(b, r); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if r.Index.Paragraphs <= 0 {
			return nil, fmt.Errorf("%s: no indexed paragraphs (not a bench/run results.json?)", p)
		}
		runs = append(runs, r)
	}
	slices.SortStableFunc(runs, func(a, b *run) int { return a.Index.Paragraphs - b.Index.Paragraphs })
	return runs, nil
}

// paras names a corpus size: 100k, 1M, 5M.
func paras(n int) string {
	switch {
	case n >= 950_000: // 999,926 paragraphs is the generated 1M
		return trim(fmt.Sprintf("%.1f", float64(n)/1e6)) + "M"
	case n >= 1e3:
		return trim(fmt.Sprintf("%.0f", float64(n)/1e3)) + "k"
	}
	return fmt.Sprint(n)
}

func trim(s string) string { return strings.TrimSuffix(s, ".0") }

// num formats a figure with three significant digits or as an integer.
func num(v float64) string {
	switch {
	case v >= 1000:
		s := fmt.Sprintf("%.0f", v)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
		return s
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// table prints one row per figure, one column per run, the growth from
// each run to the next against the growth of the corpus, and the 5M target.
func table(w io.Writer, runs []*run) {
	fmt.Fprint(w, "| figure |")
	for _, r := range runs {
		fmt.Fprintf(w, " %s |", paras(r.Index.Paragraphs))
	}
	for i := 1; i < len(runs); i++ {
		fmt.Fprintf(w, " ×, %s→%s (corpus ×%s) |", paras(runs[i-1].Index.Paragraphs), paras(runs[i].Index.Paragraphs),
			num(float64(runs[i].Index.Paragraphs)/float64(runs[i-1].Index.Paragraphs)))
	}
	fmt.Fprint(w, " target at 5M |\n| --- |")
	fmt.Fprint(w, strings.Repeat(" ---: |", 2*len(runs)-1))
	fmt.Fprint(w, " ---: |\n")
	for _, f := range figures {
		fmt.Fprintf(w, "| %s, %s |", f.name, f.unit)
		vals := make([]float64, len(runs))
		ok := make([]bool, len(runs))
		for i, r := range runs {
			vals[i], ok[i] = f.value(r)
			if ok[i] {
				fmt.Fprintf(w, " %s |", num(vals[i]))
			} else {
				fmt.Fprint(w, " — |")
			}
		}
		for i := 1; i < len(runs); i++ {
			if ok[i] && ok[i-1] && vals[i-1] > 0 {
				fmt.Fprintf(w, " ×%s |", num(vals[i]/vals[i-1]))
			} else {
				fmt.Fprint(w, " — |")
			}
		}
		switch {
		case f.target == 0:
			fmt.Fprint(w, " |\n")
		case f.higher:
			fmt.Fprintf(w, " ≥ %s |\n", num(f.target))
		default:
			fmt.Fprintf(w, " ≤ %s |\n", num(f.target))
		}
	}
	var reused []string
	for _, r := range runs {
		if r.Index.Reused {
			reused = append(reused, paras(r.Index.Paragraphs))
		}
	}
	if len(reused) > 0 {
		fmt.Fprintf(w, "\nThe build figures of %s are those of the earlier run whose index was reused (-reuse).\n", strings.Join(reused, ", "))
	}
}

// The plot's geometry, in SVG user units.
const (
	cols          = 3
	panelW        = 300
	panelH        = 190
	padL, padR    = 58.0, 14.0
	padT, padB    = 30.0, 34.0
	innerW        = panelW - padL - padR
	innerH        = panelH - padT - padB
	title         = 34
	legendH       = 22
	svgW          = cols * panelW
	lineColor     = "#1f5fa8"
	targetColor   = "#c0392b"
	linearColor   = "#888"
	gridColor     = "#e4e4e4"
	labelFontSize = 10
)

// plot writes the SVG: a panel per figure that at least one run has.
func plot(w *strings.Builder, runs []*run) {
	var figs []figure
	for _, f := range figures {
		for _, r := range runs {
			if _, ok := f.value(r); ok {
				figs = append(figs, f)
				break
			}
		}
	}
	rows := (len(figs) + cols - 1) / cols
	h := title + legendH + rows*panelH
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif">`+"\n", svgW, h, svgW, h)
	fmt.Fprintf(w, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgW, h)
	var sizes []string
	for _, r := range runs {
		sizes = append(sizes, paras(r.Index.Paragraphs))
	}
	fmt.Fprintf(w, `<text x="%d" y="22" font-size="15" font-weight="bold">reportsearch: how each figure grows with the corpus (%s paragraphs; log–log)</text>`+"\n",
		10, strings.Join(sizes, ", "))
	ly := title + 12
	fmt.Fprintf(w, `<line x1="12" y1="%d" x2="36" y2="%d" stroke="%s" stroke-width="2"/><text x="40" y="%d" font-size="11">measured</text>`+"\n", ly, ly, lineColor, ly+4)
	fmt.Fprintf(w, `<line x1="112" y1="%d" x2="136" y2="%d" stroke="%s" stroke-dasharray="2,3"/><text x="140" y="%d" font-size="11">linear growth from the smallest run</text>`+"\n", ly, ly, linearColor, ly+4)
	fmt.Fprintf(w, `<line x1="352" y1="%d" x2="376" y2="%d" stroke="%s" stroke-dasharray="6,3"/><text x="380" y="%d" font-size="11">issue 18's target at 5M</text>`+"\n", ly, ly, targetColor, ly+4)
	for i, f := range figs {
		x0 := float64(i%cols) * panelW
		y0 := float64(title + legendH + (i/cols)*panelH)
		panel(w, runs, f, x0, y0)
	}
	w.WriteString("</svg>\n")
}

func panel(w *strings.Builder, runs []*run, f figure, x0, y0 float64) {
	type pt struct{ n, v float64 }
	var pts []pt
	for _, r := range runs {
		if v, ok := f.value(r); ok && v > 0 {
			pts = append(pts, pt{float64(r.Index.Paragraphs), v})
		}
	}
	fmt.Fprintf(w, `<g><text x="%.1f" y="%.1f" font-size="12" font-weight="bold">%s, %s</text>`+"\n", x0+padL-40, y0+18, esc(f.name), esc(f.unit))
	if len(pts) == 0 {
		w.WriteString("</g>\n")
		return
	}
	// The axes' ranges: the runs, the linear line's ends and the target,
	// widened to whole decades of the values' span.
	nlo, nhi := pts[0].n, pts[len(pts)-1].n
	vlo, vhi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		vlo, vhi = min(vlo, p.v), max(vhi, p.v)
	}
	linEnd := pts[0].v * nhi / nlo
	if f.higher {
		linEnd = pts[0].v // a rate that holds is linear building
	}
	vlo, vhi = min(vlo, linEnd), max(vhi, linEnd)
	if f.target > 0 {
		vlo, vhi = min(vlo, f.target), max(vhi, f.target)
	}
	if nhi == nlo {
		nlo, nhi = nlo/2, nhi*2
	}
	lvlo, lvhi := math.Floor(math.Log10(vlo)), math.Ceil(math.Log10(vhi))
	if lvhi == lvlo {
		lvhi++
	}
	lnlo, lnhi := math.Log10(nlo)-0.1, math.Log10(nhi)+0.1
	px := func(n float64) float64 { return x0 + padL + (math.Log10(n)-lnlo)/(lnhi-lnlo)*innerW }
	py := func(v float64) float64 { return y0 + padT + (lvhi-math.Log10(v))/(lvhi-lvlo)*innerH }
	// Grid and decade labels.
	for d := lvlo; d <= lvhi; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, x0+padL, y, x0+padL+innerW, y, gridColor)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="end">%s</text>`+"\n", x0+padL-4, y+3, labelFontSize, num(math.Pow(10, d)))
	}
	fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#999"/>`+"\n", x0+padL, y0+padT, innerW, innerH)
	for _, p := range pts {
		x := px(p.n)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle">%s</text>`+"\n", x, y0+padT+innerH+13, labelFontSize, paras(int(p.n)))
	}
	fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="2,3"/>`+"\n",
		px(nlo), py(pts[0].v), px(nhi), py(linEnd), linearColor)
	if f.target > 0 {
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="6,3"/>`+"\n",
			x0+padL, py(f.target), x0+padL+innerW, py(f.target), targetColor)
	}
	var poly []string
	for _, p := range pts {
		poly = append(poly, fmt.Sprintf("%.1f,%.1f", px(p.n), py(p.v)))
	}
	fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(poly, " "), lineColor)
	for _, p := range pts {
		x, y := px(p.n), py(p.v)
		fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, x, y, lineColor)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle">%s</text>`+"\n", x, y-6, labelFontSize, num(p.v))
	}
	w.WriteString("</g>\n")
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
