package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeRun writes a results.json in bench/run's shape for n paragraphs,
// every figure growing as n^exp.
func writeRun(t *testing.T, dir string, n int, exp float64, server bool) string {
	t.Helper()
	g := math.Pow(float64(n), exp)
	r := map[string]any{
		"label": strconv.Itoa(n),
		"index": map[string]any{"paragraphs": n, "wall_seconds": g, "peak_rss_bytes": g * 1e6,
			"index_disk_bytes": g * 1e6, "paragraphs_per_s": float64(n) / g},
		"in_process": map[string]any{"median_ms": g, "p95_ms": 2 * g},
	}
	if server {
		r["server"] = map[string]any{"ready_seconds": g, "rss_warm_bytes": g * 1e6, "rss_load_max_bytes": g * 1e6,
			"http": map[string]any{"median_ms": g, "p95_ms": 2 * g}}
	}
	b, _ := json.Marshal(r)
	p := filepath.Join(dir, strconv.Itoa(n)+".json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The SVG is well-formed XML with a panel per figure, each a polyline
// through one point per run with a value, and points that rise with the
// figure (SVG's y grows downwards); the table has a row per figure and
// the growth ratios of the runs' values.
func TestPlotAndTable(t *testing.T) {
	dir := t.TempDir()
	// Given out of order, the 100k run without a server.
	paths := []string{writeRun(t, dir, 5_000_000, 0.5, true), writeRun(t, dir, 100_000, 0.5, false), writeRun(t, dir, 999_926, 0.5, true)}
	runs, err := load(paths)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	plot(&b, runs)
	dec := xml.NewDecoder(strings.NewReader(b.String()))
	polylines := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "polyline" {
			continue
		}
		polylines++
		var pts []string
		for _, a := range se.Attr {
			if a.Name.Local == "points" {
				pts = strings.Fields(a.Value)
			}
		}
		if len(pts) != 2 && len(pts) != 3 {
			t.Errorf("a polyline has %d points: %v", len(pts), pts)
		}
		// Every figure grows as n^0.5 (the rate n/n^0.5 too): on screen
		// the points rise.
		f := figures[polylines-1]
		prevX, prevY := math.Inf(-1), 0.0
		for i, p := range pts {
			xs, ys, _ := strings.Cut(p, ",")
			x, _ := strconv.ParseFloat(xs, 64)
			y, _ := strconv.ParseFloat(ys, 64)
			if x <= prevX {
				t.Errorf("%s: points not left to right: %v", f.name, pts)
			}
			if i > 0 && y >= prevY {
				t.Errorf("%s: points go the wrong way: %v", f.name, pts)
			}
			prevX, prevY = x, y
		}
	}
	if polylines != len(figures) {
		t.Errorf("%d polylines for %d figures", polylines, len(figures))
	}

	var tb strings.Builder
	table(&tb, runs)
	lines := strings.Split(strings.TrimSpace(tb.String()), "\n")
	if len(lines) != 2+len(figures) {
		t.Fatalf("table of %d lines for %d figures:\n%s", len(lines), len(figures), tb.String())
	}
	if !strings.HasPrefix(lines[0], "| figure | 100k | 1M | 5M |") {
		t.Errorf("header %q", lines[0])
	}
	// build, s grows as n^0.5: ×√10 from 100k to 1M (999,926 paragraphs).
	want := "×" + num(math.Sqrt(999_926.0/100_000))
	if !strings.HasPrefix(lines[2], "| build, s |") || !strings.Contains(lines[2], want) {
		t.Errorf("build row %q lacks %s", lines[2], want)
	}
	// The 100k run has no server: its HTTP cells are dashes.
	for _, l := range lines {
		if strings.HasPrefix(l, "| HTTP median, ms |") && !strings.HasPrefix(l, "| HTTP median, ms | — |") {
			t.Errorf("HTTP row of a run without a server: %q", l)
		}
	}
}

func TestLoadRejectsOtherJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(p, []byte(`{"label":"x"}`), 0o644)
	if _, err := load([]string{p}); err == nil {
		t.Error("a JSON without indexed paragraphs was accepted")
	}
}
