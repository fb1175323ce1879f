package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// report renders the results as Markdown: the tables of docs/benchmarks.md.
func report(r *Results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	ix := r.Index
	p("## %s: %s paragraphs, %.1f MB in %s files\n\n", r.Label, thousands(float64(ix.Paragraphs)), float64(r.CorpusBytes)/1e6, thousands(float64(r.CorpusFiles)))
	p("Corpus `%s`; %s, %d cores, %.1f GB RAM, %s, Linux %s; run %s – %s.\n\n",
		r.Corpus, r.Machine.CPU, r.Machine.Cores, r.Machine.MemGB, r.Machine.Go, r.Machine.Kernel, r.Started, r.Finished)
	if ix.Reused {
		p("(The index was reused from an earlier run: its figures are that run's.)\n\n")
	}

	// Indexing.
	sq := r.SQLite
	p("### Indexing\n\n")
	if sq != nil {
		p("| | reportsearch | SQLite FTS5 trigram | SQLite / reportsearch |\n| --- | ---: | ---: | ---: |\n")
	} else {
		p("| | reportsearch |\n| --- | ---: |\n")
	}
	row := func(name string, rs float64, sqv float64, format func(float64) string) {
		if sq == nil {
			p("| %s | %s |\n", name, format(rs))
			return
		}
		ratio := "–"
		if rs > 0 && sqv > 0 {
			ratio = fmt.Sprintf("%.2f", sqv/rs)
		}
		p("| %s | %s | %s | %s |\n", name, format(rs), format(sqv), ratio)
	}
	var sqPara, sqSec, sqRSS, sqDB float64
	if sq != nil {
		sqPara, sqSec, sqRSS, sqDB = float64(sq.Paragraphs), sq.BuildSeconds, float64(sq.PeakRSSBytes), float64(sq.DBBytes)
	}
	row("paragraphs (rows)", float64(ix.Paragraphs), sqPara, thousands)
	row("wall time, s", ix.WallSeconds, sqSec, f1)
	row("paragraphs/s", ix.ParagraphsPerS, div(sqPara, sqSec), thousands)
	row("MB/s of text", ix.MBPerS, div(float64(r.CorpusBytes)/1e6, sqSec), f2)
	row("peak RSS, MB", float64(ix.PeakRSSBytes)/1e6, sqRSS/1e6, thousands)
	row("on disk, MB", float64(ix.IndexDiskBytes)/1e6, sqDB/1e6, f1)
	p("\nreportsearch: `index --json` as a child process, wall time from exec to exit (including the dictionary load); "+
		"the indexer's own time (its summary) was %.1f s = %s paragraphs/s; CPU %.1f s user + %.1f s system. ",
		ix.IndexerSeconds, thousands(ix.IndexerParasPer), ix.UserSeconds, ix.SystemSeconds)
	p("Index on disk as du counts it (%.1f MB apparent).", float64(ix.IndexFileBytes)/1e6)
	if sq != nil {
		p(" SQLite: one non-empty line = one row, transactions of 2,000 rows, then `optimize`; SQLite %s (modernc.org/sqlite); peak RSS includes its query runs.", sq.SQLiteVersion)
	}
	p("\n\n")

	// Queries.
	p("### Queries: exact total + top 10 + highlights, ms (median / p95 of %d runs after warm-up)\n\n", r.Runs)
	head := "| query | chars | total | rs in-process | "
	sep := "| --- | ---: | ---: | ---: | "
	if r.Server != nil {
		head += "rs HTTP | "
		sep += "---: | "
	}
	if sq != nil {
		head += "SQLite total | SQLite | SQLite / rs | "
		sep += "---: | ---: | ---: | "
	}
	if r.Ripgrep != nil {
		head += "rg lines | rg | rg / rs |"
		sep += "---: | ---: | ---: |"
	}
	p("%s\n%s\n", strings.TrimSpace(head), strings.TrimSpace(sep))
	for i, q := range r.InProcess.Queries {
		line := fmt.Sprintf("| %s | %d | %s | %s | ", q.Query, utf8.RuneCountInString(q.Query), thousands(float64(q.Total))+unstable(q.Stable), mp(q.MedianMS, q.P95MS))
		if r.Server != nil {
			h := r.Server.HTTP.Queries[i]
			mark := ""
			if h.Total != q.Total {
				mark = fmt.Sprintf(" (total %d!)", h.Total)
			}
			line += mp(h.MedianMS, h.P95MS) + mark + unstable(h.Stable) + " | "
		}
		if sq != nil && i < len(sq.Queries) {
			s := sq.Queries[i]
			how := ""
			if s.Method == "like" {
				how = " scan"
			}
			line += fmt.Sprintf("%s | %s%s | %s | ", thousands(float64(s.Total)), mp(s.MedianMS, s.P95MS), how, ratio(s.MedianMS, q.MedianMS))
		}
		if r.Ripgrep != nil {
			g := r.Ripgrep[q.Query]
			line += fmt.Sprintf("%s | %.1f | %s |", thousands(float64(g.Lines)), g.MedianMS, ratio(g.MedianMS, q.MedianMS))
		}
		p("%s\n", strings.TrimSpace(line))
	}
	line := fmt.Sprintf("| **all, pooled** | | | **%s** | ", mp(r.InProcess.MedianMS, r.InProcess.P95MS))
	if r.Server != nil {
		line += "**" + mp(r.Server.HTTP.MedianMS, r.Server.HTTP.P95MS) + "** | "
	}
	if sq != nil {
		line += fmt.Sprintf(" | **%s** | %s | ", mp(sq.MedianMS, sq.P95MS), ratio(sq.MedianMS, r.InProcess.MedianMS))
	}
	if r.Ripgrep != nil {
		line += " | | |"
	}
	p("%s\n\n", strings.TrimSpace(line))
	p("Ratios are medians, other / reportsearch in-process: above 1, reportsearch is faster. " +
		"Totals: reportsearch's exact count of matching paragraphs; SQLite's of matching rows (`MATCH` on the trigram index from 3 characters, `LIKE` — a scan — below); rg's of matching lines. ")
	p("In-process: this process opened the index (%.2f s, with the dictionary) and called `Search`; HTTP: `GET /api/search?q=…&size=10` on one keep-alive connection, body read and decoded. ", r.InProcess.OpenSeconds)
	if sq != nil {
		for _, q := range sq.Queries {
			if q.Method == "like" {
				p("SQLite scans (LIKE) are timed over %d runs after 1 warm-up. ", q.Runs)
				break
			}
		}
	}
	p("rg: `rg -c --fixed-strings Q CORPUS` as a process per query (about 5 ms of it is starting rg), files in the page cache.\n\n")

	// Server.
	if s := r.Server; s != nil {
		p("### Server\n\n| ready (exec → /readyz 200) | server's ready_ms | RSS ready | RSS after the query runs | RSS max under load | VmHWM | at the end: anonymous + files |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		p("| %.2f s | %.0f ms | %s | %s | %s | %s | %s + %s |\n\n", s.ReadySeconds, s.ServerReadyMS, mb(s.RSSReadyBytes), mb(s.RSSWarmBytes),
			mb(s.RSSLoadMaxBytes), mb(s.HWMBytes), mb(s.RSSAnonBytes), mb(s.RSSFileBytes))
		p("RSS sampled every 100 ms from /proc/PID/status while the server answered the query runs and wrk; \"files\" are mapped pages (bleve mmaps its segments, and the binary).\n\n")
		if len(s.Wrk) > 0 {
			p("### HTTP throughput (wrk, %d s per run, rotating through the %d queries)\n\n", int(s.Wrk[0].Seconds+0.5), len(r.Queries))
			p("| connections | threads | requests/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
			for _, w := range s.Wrk {
				p("| %d | %d | %s | %.2f | %.2f | %.2f | %d | %d |\n", w.Connections, w.Threads, thousands(w.RPS), w.P50MS, w.P90MS, w.P99MS, w.Non2xx, w.Errors)
			}
			p("\nwrk runs on the same 2 cores as the server and takes part of them.\n\n")
		}
	}

	// Targets.
	p("### Targets of issue 6 (this corpus: %s paragraphs)\n\n| target | stated for | measured | |\n| --- | --- | ---: | --- |\n", thousands(float64(ix.Paragraphs)))
	per1M := 1e6 / float64(max(ix.Paragraphs, 1))
	t := func(name, scope, measured, verdict string) {
		p("| %s | %s | %s | %s |\n", name, scope, measured, verdict)
	}
	t("indexing ≥ 8,000 paragraphs/s", "1M", thousands(ix.ParagraphsPerS)+" /s", atLeast(ix.ParagraphsPerS, 8000))
	t("1M paragraphs in ≤ 2 min", "1M", fmt.Sprintf("%s s per 1M", thousands(1e6/ix.ParagraphsPerS)), atMost(1e6/ix.ParagraphsPerS, 120, "s"))
	t("indexing peak RSS ≤ 2 GB", "1M", mb(ix.PeakRSSBytes), atMost(float64(ix.PeakRSSBytes)/1e6, 2000, "MB"))
	t("index ≤ 1 GB", "1M", fmt.Sprintf("%s (%s per 1M)", mb(ix.IndexDiskBytes), mb(int64(float64(ix.IndexDiskBytes)*per1M))),
		atMost(float64(ix.IndexDiskBytes)*per1M/1e6, 1000, "MB (per 1M)"))
	t("query median ≤ 5 ms, in-process", "1M", fmt.Sprintf("%.2f ms", r.InProcess.MedianMS), atMost(r.InProcess.MedianMS, 5, "ms"))
	t("query p95 ≤ 20 ms, in-process", "1M", fmt.Sprintf("%.2f ms", r.InProcess.P95MS), atMost(r.InProcess.P95MS, 20, "ms"))
	t("… slowest query's median / p95", "1M", fmt.Sprintf("%.2f / %.2f ms", r.InProcess.WorstMedian, r.InProcess.WorstP95), atMost(r.InProcess.WorstP95, 20, "ms (p95)"))
	t("… 2-character queries median / p95", "1M", fmt.Sprintf("%.2f / %.2f ms", r.InProcess.Short.MedianMS, r.InProcess.Short.P95MS), atMost(r.InProcess.Short.P95MS, 20, "ms (p95)"))
	if s := r.Server; s != nil {
		t("query median ≤ 5 ms, HTTP", "1M", fmt.Sprintf("%.2f ms", s.HTTP.MedianMS), atMost(s.HTTP.MedianMS, 5, "ms"))
		t("query p95 ≤ 20 ms, HTTP", "1M", fmt.Sprintf("%.2f ms", s.HTTP.P95MS), atMost(s.HTTP.P95MS, 20, "ms"))
		for _, w := range s.Wrk {
			if w.Connections == 8 {
				t("HTTP ≥ 2,500 requests/s at 8 connections", "real corpus", thousands(w.RPS)+" /s", atLeast(w.RPS, 2500))
				t("HTTP p99 ≤ 20 ms at 8 connections", "real corpus", fmt.Sprintf("%.2f ms", w.P99MS), atMost(w.P99MS, 20, "ms"))
			}
		}
		t("server ready ≤ 2 s on an existing index", "any", fmt.Sprintf("%.2f s", s.ReadySeconds), atMost(s.ReadySeconds, 2, "s"))
		t("RSS ≤ 400 MB while serving", "1M", mb(s.RSSLoadMaxBytes), atMost(float64(s.RSSLoadMaxBytes)/1e6, 400, "MB"))
	}
	p("\n")
	peersReport(r, p)
	return b.String()
}

func atLeast(v, target float64) string {
	if v >= target {
		return fmt.Sprintf("met (%.1f× the target)", v/target)
	}
	return fmt.Sprintf("**missed**: %.1f× short (%.0f%% of the target)", target/v, 100*v/target)
}

func atMost(v, target float64, unit string) string {
	if v <= target {
		return "met"
	}
	d := fmt.Sprintf("%.2f", v-target)
	if v-target >= 100 {
		d = thousands(v - target)
	} else if v-target >= 10 {
		d = fmt.Sprintf("%.1f", v-target)
	}
	return fmt.Sprintf("**missed** by %s %s (%.1f× the limit)", d, unit, v/target)
}

func mp(med, p95 float64) string { return fmt.Sprintf("%s / %s", fms(med), fms(p95)) }

func fms(v float64) string {
	switch {
	case v < 1:
		return fmt.Sprintf("%.3f", v)
	case v < 100:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func ratio(other, rs float64) string {
	if rs <= 0 {
		return "–"
	}
	r := other / rs
	if r >= 10 {
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.2f", r)
}

func unstable(ok bool) string {
	if ok {
		return ""
	}
	return " (total varied!)"
}

func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }
func f2(v float64) string { return fmt.Sprintf("%.2f", v) }

// thousands formats a number rounded to an integer with comma separators.
func thousands(v float64) string {
	n := int64(v + 0.5)
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
