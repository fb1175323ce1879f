// Command workbench times the research workbench on an index built by
// `reportsearch index` (the speed targets, measured on the
// generated 1M-paragraph corpus): the concordance of 4-character terms
// (a first page in reading order, and sorted by left context), their
// related terms (collocates), and keywords of one year against all other
// years. It prints each term's paragraph and occurrence counts and the
// median and 90th percentile of each timing, as Markdown table rows for
// docs/benchmarks.md.
//
//	go run ./bench/workbench -index /tmp/bench/dict1m-index [-terms 城市更新,乡村振兴] [-n 21] [-year 2024]
//
// It opens the index like any writer (stop a server on it first).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/search/workbench"
)

func main() {
	dir := flag.String("index", "", "index folder")
	terms := flag.String("terms", "城市更新,乡村振兴,营商环境,数字经济,社会治理", "4-character terms, comma separated")
	n := flag.Int("n", 21, "timed runs per term")
	warm := flag.Int("warm", 2, "untimed runs per term first")
	kwRuns := flag.Int("keyword-runs", 3, "timed keyword runs")
	year := flag.Int("year", 0, "focus year of the keywords (default: the year with most reports)")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	flag.Parse()
	cpuProfile = *prof
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "workbench: give -index")
		os.Exit(2)
	}
	if err := run(*dir, strings.Split(*terms, ","), *n, *warm, *kwRuns, *year); err != nil {
		fmt.Fprintln(os.Stderr, "workbench:", err)
		os.Exit(1)
	}
}

func run(dir string, terms []string, n, warm, kwRuns, year int) error {
	ctx := context.Background()
	t0 := time.Now()
	ix, err := bleveindex.Open(dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	st, err := ix.Stats()
	if err != nil {
		return err
	}
	fmt.Printf("index %s: %d reports, %d paragraphs (opened in %s)\n\n", dir, st.Reports, st.Paragraphs, time.Since(t0).Round(time.Millisecond))
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	fmt.Println("| term | paragraphs | occurrences | concordance, page 1: wall median / p90 (CPU per run) | sorted by left context | related terms |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, t := range terms {
		var resp *workbench.ConcordanceResponse
		conc := timeIt(n, warm, func() error {
			var err error
			resp, err = workbench.Concordance(ctx, ix, workbench.ConcordanceRequest{Query: t, Size: 20})
			return err
		})
		if conc.err != nil {
			fmt.Printf("| %s | – | – | %v | | |\n", t, conc.err)
			continue
		}
		left := timeIt(n, warm, func() error {
			_, err := workbench.Concordance(ctx, ix, workbench.ConcordanceRequest{Query: t, Size: 20, Sort: workbench.SortLeft})
			return err
		})
		rel := timeIt(n, warm, func() error {
			_, err := workbench.Related(ctx, ix, workbench.RelatedRequest{Query: t})
			return err
		})
		fmt.Printf("| %s | %d | %d | %s | %s | %s |\n", t, resp.Paragraphs, resp.Total, conc, left, rel)
	}
	if year == 0 {
		rs, err := ix.Reports()
		if err != nil {
			return err
		}
		by := map[int]int{}
		for _, r := range rs {
			if r.Year > 0 {
				by[r.Year]++
			}
		}
		for y, c := range by {
			if c > by[year] || c == by[year] && y > year {
				year = y
			}
		}
	}
	if kwRuns == 0 {
		return nil
	}
	req := workbench.KeywordsRequest{Focus: search.Filter{Years: []search.YearRange{{From: year, To: year}}}}
	var kw *workbench.KeywordsResponse
	fmt.Println()
	k := timeIt(kwRuns, 0, func() error {
		var err error
		kw, err = workbench.Keywords(ctx, ix, req)
		return err
	})
	if k.err != nil {
		return fmt.Errorf("keywords: %w", k.err)
	}
	if len(kw.Phrases) > 0 {
		fmt.Printf("scores: first %.1f (%s %d/%d), last %.1f (%s %d/%d)\n", kw.Phrases[0].Score, kw.Phrases[0].Phrase, kw.Phrases[0].Focus, kw.Phrases[0].Reference, kw.Phrases[len(kw.Phrases)-1].Score, kw.Phrases[len(kw.Phrases)-1].Phrase, kw.Phrases[len(kw.Phrases)-1].Focus, kw.Phrases[len(kw.Phrases)-1].Reference)
	}
	fmt.Printf("keywords of %d (%d reports, %d paragraphs) against the other years (%d reports, %d paragraphs): %s; %d phrases\n",
		year, kw.FocusReports, kw.FocusParagraphs, kw.ReferenceReports, kw.ReferenceParagraphs, k, len(kw.Phrases))
	return nil
}

var cpuProfile string

type timing struct {
	// first is the first run's wall time (before warm-up: the caches it
	// fills — the term cache, the word tables — are empty for it).
	first    time.Duration
	med, p90 time.Duration
	// cpu is the process's CPU time (user + system) per run: on a shared
	// machine, what the run would cost an idle one (spread over its cores).
	cpu time.Duration
	err error
}

func (t timing) String() string {
	if t.err != nil {
		return t.err.Error()
	}
	return fmt.Sprintf("%s / %s (CPU %s; first run %s)", ms(t.med), ms(t.p90), ms(t.cpu), ms(t.first))
}

func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func timeIt(n, warm int, f func() error) timing {
	var first time.Duration
	for i := range warm {
		t0 := time.Now()
		if err := f(); err != nil {
			return timing{err: err}
		}
		if i == 0 {
			first = time.Since(t0)
		}
	}
	var ds []time.Duration
	c0 := cpuTime()
	for range n {
		t0 := time.Now()
		if err := f(); err != nil {
			return timing{err: err}
		}
		ds = append(ds, time.Since(t0))
	}
	cpu := (cpuTime() - c0) / time.Duration(n)
	slices.Sort(ds)
	if warm == 0 {
		first = ds[0]
	}
	return timing{first: first, med: ds[len(ds)/2], p90: ds[min(len(ds)-1, len(ds)*9/10)], cpu: cpu}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
