package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// indexStep runs `reportsearch index --json` on the corpus into a new
// index, as a child process, and measures it.
func indexStep(c *config) (*IndexResult, error) {
	saved := filepath.Join(c.work, "index-result.json")
	if c.reuse {
		var r IndexResult
		if b, err := os.ReadFile(saved); err == nil && json.Unmarshal(b, &r) == nil {
			if _, err := os.Stat(c.indexDir); err == nil {
				logf("reusing the index in %s (figures of the run that built it)", c.indexDir)
				r.Reused = true
				return &r, nil
			}
		}
		logf("nothing to reuse in %s: indexing", c.work)
	}
	if err := os.RemoveAll(c.indexDir); err != nil {
		return nil, err
	}
	sumPath := filepath.Join(c.work, "index-summary.json")
	stdout, err := os.Create(sumPath)
	if err != nil {
		return nil, err
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(c.work, "index.stderr"))
	if err != nil {
		return nil, err
	}
	defer stderr.Close()
	cmd := exec.Command(c.bin, "index", "--index", c.indexDir, "--json", c.corpus)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	logf("indexing: %s", strings.Join(cmd.Args, " "))
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go progress(done, start, filepath.Join(c.work, "index.stderr"))
	err = cmd.Wait()
	wall := time.Since(start)
	close(done)
	if err != nil {
		return nil, fmt.Errorf("reportsearch index: %w (see %s)", err, stderr.Name())
	}
	r := &IndexResult{WallSeconds: wall.Seconds()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSSBytes = ru.Maxrss * 1024 // kB on Linux
		r.UserSeconds = time.Duration(ru.Utime.Nano()).Seconds()
		r.SystemSeconds = time.Duration(ru.Stime.Nano()).Seconds()
	}
	var sum struct {
		Added, Updated, Skipped, Paragraphs int
		Seconds                             float64
		Files                               []struct{ Path, Status string }
	}
	b, err := os.ReadFile(sumPath)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, fmt.Errorf("reading the index summary %s: %w", sumPath, err)
	}
	r.Paragraphs, r.Reports, r.Skipped, r.IndexerSeconds = sum.Paragraphs, sum.Added+sum.Updated, sum.Skipped, sum.Seconds
	if r.IndexDiskBytes, r.IndexFileBytes, err = dirSize(c.indexDir); err != nil {
		return nil, err
	}
	// The text indexed: the files the summary lists as added or updated
	// (not a README or anything else the indexer passed over).
	for _, f := range sum.Files {
		if f.Status == "added" || f.Status == "updated" {
			fi, err := os.Stat(f.Path)
			if err != nil {
				return nil, err
			}
			r.Files++
			r.Bytes += fi.Size()
		}
	}
	r.ParagraphsPerS = float64(r.Paragraphs) / r.WallSeconds
	r.MBPerS = float64(r.Bytes) / 1e6 / r.WallSeconds
	if r.IndexerSeconds > 0 {
		r.IndexerParasPer = float64(r.Paragraphs) / r.IndexerSeconds
	}
	logf("indexed %d paragraphs of %d reports (%d skipped) in %.1fs: %.0f paragraphs/s, %.2f MB/s, peak RSS %s, index %s",
		r.Paragraphs, r.Reports, r.Skipped, r.WallSeconds, r.ParagraphsPerS, r.MBPerS, mb(r.PeakRSSBytes), mb(r.IndexDiskBytes))
	js, _ := json.MarshalIndent(r, "", "  ")
	return r, os.WriteFile(saved, js, 0o644)
}

// progress logs a line a minute while a long step runs.
func progress(done <-chan struct{}, start time.Time, what string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			logf("… still running (%s so far; %s)", time.Since(start).Round(time.Second), filepath.Base(what))
		}
	}
}

// inProcessStep opens the index in this process and times Search for
// every query: the exact total, the top 10 ranked hits and their
// highlights, as the API returns them.
func inProcessStep(c *config) (*QuerySet, error) {
	start := time.Now()
	ix, err := bleveindex.Open(c.indexDir)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	set := &QuerySet{OpenSeconds: time.Since(start).Seconds()}
	logf("in-process: index opened in %.2fs; %d queries × (%d warm-up + %d timed)", set.OpenSeconds, len(c.queries), c.warm, c.n)
	ctx := context.Background()
	runs := map[string][]time.Duration{}
	for _, q := range c.queries {
		st := QueryStat{Query: q, Stable: true}
		for i := 0; i < c.warm+c.n; i++ {
			t0 := time.Now()
			resp, err := ix.Search(ctx, search.Request{Query: q, Size: 10})
			d := time.Since(t0)
			if err != nil {
				return nil, fmt.Errorf("search %q: %w", q, err)
			}
			if i == 0 {
				st.Total, st.Hits = resp.Total, len(resp.Hits)
				checkHits(q, resp.Total, resp.Hits)
			} else if resp.Total != st.Total {
				st.Stable = false
			}
			if i >= c.warm {
				runs[q] = append(runs[q], d)
			}
		}
		set.Queries = append(set.Queries, st)
	}
	summarize(set, runs)
	logf("in-process: median %.2f ms, p95 %.2f ms over all queries", set.MedianMS, set.P95MS)
	return set, nil
}

// checkHits warns when a page is not what a search must return: the top
// min(10, total) hits, each with a highlight.
func checkHits(q string, total uint64, hits []search.Hit) {
	if want := min(total, 10); uint64(len(hits)) != want {
		logf("WARNING: %q: %d hits on the page, want %d", q, len(hits), want)
	}
	for _, h := range hits {
		if !strings.Contains(h.Highlight, "<mark>") {
			logf("WARNING: %q: hit %s has no <mark> in its highlight", q, h.ID)
		}
	}
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/1e6) }
