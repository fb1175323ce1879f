package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// PeerResult is the output of bench/peers for one engine.
type PeerResult struct {
	Engine       string  `json:"engine"`
	Version      string  `json:"version"`
	Paragraphs   int64   `json:"paragraphs"`
	BuildSeconds float64 `json:"build_seconds"`
	BuildPeakRSS int64   `json:"build_peak_rss_bytes"`
	ServerRSS    int64   `json:"server_rss_bytes"`
	IndexBytes   int64   `json:"index_bytes"`
	Queries      []struct {
		Query    string  `json:"query"`
		Total    int64   `json:"total"`
		Top      int     `json:"top"`
		MedianMS float64 `json:"median_ms"`
		P95MS    float64 `json:"p95_ms"`
	} `json:"queries"`
	MedianMS        float64 `json:"median_ms"`
	P95MS           float64 `json:"p95_ms"`
	NoCacheMedianMS float64 `json:"nocache_median_ms,omitempty"`
	NoCacheP95MS    float64 `json:"nocache_p95_ms,omitempty"`
}

// peerStep builds bench/peers (a module of its own: the MySQL driver
// SphinxQL needs stays out of the product) and runs one engine on the
// corpus and the queries. The engine's server runs alone on the machine:
// reportsearch's server was stopped by the HTTP step before.
func peerStep(c *config, engine string) (*PeerResult, error) {
	// Built every run (go build is incremental): a binary left in WORK
	// by an earlier run may be of older code.
	bin := filepath.Join(c.work, "peers")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Stdout, build.Stderr = filepath.Join(c.root, "bench", "peers"), os.Stderr, os.Stderr
	logf("peers: building bench/peers")
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building bench/peers: %w", err)
	}
	cmd := exec.Command(bin, "-engine", engine, "-corpus", c.corpus, "-work", c.work,
		"-queries", strings.Join(c.queries, ","), "-n", strconv.Itoa(c.n), "-warm", strconv.Itoa(c.warm))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	logf("%s: %s", engine, strings.Join(cmd.Args, " "))
	start := time.Now()
	done := make(chan struct{})
	go progress(done, start, engine)
	err := cmd.Run()
	close(done)
	if err != nil {
		return nil, fmt.Errorf("bench/peers -engine %s: %w", engine, err)
	}
	r := &PeerResult{}
	if err := json.Unmarshal(out.Bytes(), r); err != nil {
		return nil, fmt.Errorf("reading bench/peers' output: %w", err)
	}
	logf("%s: %d paragraphs, built in %.1fs, %s on disk, median %.2f ms", engine, r.Paragraphs, r.BuildSeconds, mb(r.IndexBytes), r.MedianMS)
	return r, nil
}

// peersReport is the side-by-side table of the peers, with the ratios of
// issue 18's targets: reportsearch over HTTP at most half a peer's
// median and p95, building at least 1.25 times its paragraphs/s, an index
// no larger.
func peersReport(r *Results, p func(string, ...any)) {
	if len(r.Peers) == 0 {
		return
	}
	ix := r.Index
	var rsMed, rsP95 float64
	where := "in-process"
	if r.Server != nil && r.Server.HTTP != nil {
		rsMed, rsP95, where = r.Server.HTTP.MedianMS, r.Server.HTTP.P95MS, "HTTP"
	} else if r.InProcess != nil {
		rsMed, rsP95 = r.InProcess.MedianMS, r.InProcess.P95MS
	}
	p("### Peers: the same corpus and queries (exact total + top 10 with text)\n\n")
	p("| system | build s | paragraphs/s | build peak MB | index MB | serving RSS MB | median ms | p95 ms |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	p("| reportsearch (%s) | %.1f | %s | %s | %.0f | %s | %.2f | %.2f |\n", where, ix.WallSeconds, thousands(ix.ParagraphsPerS),
		thousands(float64(ix.PeakRSSBytes)/1e6), float64(ix.IndexDiskBytes)/1e6, serverRSS(r), rsMed, rsP95)
	names := []string{"groonga", "sphinx"}
	for _, n := range names {
		pr := r.Peers[n]
		if pr == nil {
			continue
		}
		p("| %s | %.1f | %s | %s | %.0f | %s | %.2f | %.2f |\n", pr.Version, pr.BuildSeconds,
			thousands(div(float64(pr.Paragraphs), pr.BuildSeconds)), thousands(float64(pr.BuildPeakRSS)/1e6),
			float64(pr.IndexBytes)/1e6, thousands(float64(pr.ServerRSS)/1e6), pr.MedianMS, pr.P95MS)
		if pr.NoCacheMedianMS > 0 {
			p("| %s, query cache off (cache=no) | | | | | | %.2f | %.2f |\n", pr.Version, pr.NoCacheMedianMS, pr.NoCacheP95MS)
		}
	}
	p("\nRatios (reportsearch / peer; targets of issue 18: median and p95 ≤ 0.5, build ≥ 1.25, index ≤ 1):\n\n")
	p("| peer | median | p95 | build paragraphs/s | index size |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, n := range names {
		pr := r.Peers[n]
		if pr == nil {
			continue
		}
		p("| %s | %.2f | %.2f | %.2f | %.2f |\n", n, div(rsMed, pr.MedianMS), div(rsP95, pr.P95MS),
			div(ix.ParagraphsPerS, div(float64(pr.Paragraphs), pr.BuildSeconds)), div(float64(ix.IndexDiskBytes), float64(pr.IndexBytes)))
	}
	for _, n := range names {
		if pr := r.Peers[n]; pr != nil && pr.NoCacheMedianMS > 0 {
			p("| %s, query cache off | %.2f | %.2f | | |\n", n, div(rsMed, pr.NoCacheMedianMS), div(rsP95, pr.NoCacheP95MS))
		}
	}
	p("\nTotals per query (reportsearch counts cleaned, folded paragraphs; the peers count raw lines, Groonga with NormalizerAuto, Sphinx with its charset table):\n\n")
	p("| query | reportsearch |")
	for _, n := range names {
		if r.Peers[n] != nil {
			p(" %s | %s ms |", n, n)
		}
	}
	p("\n| --- | ---: |")
	for _, n := range names {
		if r.Peers[n] != nil {
			p(" ---: | ---: |")
		}
	}
	p("\n")
	for i, q := range r.Queries {
		total := "–"
		if r.InProcess != nil && i < len(r.InProcess.Queries) {
			total = thousands(float64(r.InProcess.Queries[i].Total))
		}
		p("| %s | %s |", q, total)
		for _, n := range names {
			if pr := r.Peers[n]; pr != nil && i < len(pr.Queries) {
				p(" %s | %.2f |", thousands(float64(pr.Queries[i].Total)), pr.Queries[i].MedianMS)
			}
		}
		p("\n")
	}
	p("\n")
}

func serverRSS(r *Results) string {
	if r.Server == nil {
		return "–"
	}
	return thousands(float64(r.Server.RSSWarmBytes) / 1e6)
}
