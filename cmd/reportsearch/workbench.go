package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"reportsearch/search"
	"reportsearch/search/export"
	"reportsearch/search/themes"
	"reportsearch/search/workbench"
)

// localThemes opens the lexicon kept with a local index.
func localThemes(dir string) (*themes.Store, error) { return themes.Open(themes.Dir(dir)) }

// runKWIC: reportsearch kwic [--context 20] [--sort report|year|left|right]
// [--from N] [--size N] [filters] [--format csv|jsonl|json] QUERY
func runKWIC(ctx context.Context, args []string, stdout io.Writer) error {
	qf := newQueryFlags("kwic")
	fs, mode := qf.fs, qf.mode
	width := fs.Int("context", workbench.DefaultContext, "characters of context on each side")
	sortBy := fs.String("sort", "report", "report, year, left or right")
	from := fs.Int("from", 0, "first line to show")
	size := fs.Int("size", workbench.DefaultSize, "lines to show")
	format := fs.String("format", "", "csv or jsonl: every line; json: the API's body")
	words, filter, ix, err := qf.open(ctx, args, "a query")
	if err != nil {
		return err
	}
	defer ix.Close()
	req := workbench.ConcordanceRequest{Query: strings.Join(words, " "), Mode: search.Mode(*mode), Filter: filter,
		Context: *width, Sort: workbench.Sort(*sortBy), From: *from, Size: *size, Themes: ix.themes}
	switch *format {
	case "csv", "jsonl":
		w := export.NewLineWriter(stdout, export.Format(*format))
		if err := workbench.ConcordanceAll(ctx, ix, req, w.Write); err != nil {
			return err
		}
		return w.Close()
	case "", "json":
	default:
		return fmt.Errorf("%w: --format must be csv, jsonl or json, not %q", errUsage, *format)
	}
	resp, err := workbench.Concordance(ctx, ix, req)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(stdout, resp)
	}
	fmt.Fprintf(stdout, "%d occurrences in %d paragraphs (%.1f ms)\n", resp.Total, resp.Paragraphs, resp.TookMS)
	tw := tabwriter.NewWriter(stdout, 0, 0, 1, ' ', tabwriter.AlignRight)
	for _, l := range resp.Lines {
		fmt.Fprintf(tw, "%s\t【%s】%s\t  %d %s ¶%d\n", l.Left, l.Match, l.Right, l.Year, l.Title, l.Paragraph)
	}
	return tw.Flush()
}

// runRelated: reportsearch related [--window N] [--min 3] [--size 30] [filters] QUERY
func runRelated(ctx context.Context, args []string, stdout io.Writer) error {
	qf := newQueryFlags("related")
	fs, mode := qf.fs, qf.mode
	window := fs.Int("window", 0, "words within N characters of an occurrence (0: the whole paragraph)")
	minFreq := fs.Int("min", workbench.DefaultMinFreq, "least number of matching paragraphs")
	size := fs.Int("size", workbench.DefaultRelated, "words to list")
	asJSON := fs.Bool("json", false, "print the API's JSON body")
	words, filter, ix, err := qf.open(ctx, args, "a query")
	if err != nil {
		return err
	}
	defer ix.Close()
	resp, err := workbench.Related(ctx, ix, workbench.RelatedRequest{Query: strings.Join(words, " "), Mode: search.Mode(*mode),
		Filter: filter, Window: *window, Min: *minFreq, Size: *size, Themes: ix.themes})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, resp)
	}
	fmt.Fprintf(stdout, "%d matching paragraphs of %d (%.1f ms)\n", resp.Paragraphs, resp.IndexParagraphs, resp.TookMS)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "word\tfg\tbg\tG²")
	for _, w := range resp.Words {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\n", w.Word, w.FG, w.BG, w.Score)
	}
	return tw.Flush()
}

// runKeywords: reportsearch keywords --focus-year 2026 [--ref-year 2021..2025] [--new] [--min 3] [--size 50]
func runKeywords(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dir := newFlags("keywords")
	focus := addPrefixedFilterFlags(fs, "focus-", "focus set")
	ref := addPrefixedFilterFlags(fs, "ref-", "reference set (none: every other report)")
	newOnly := fs.Bool("new", false, "only phrases absent from the reference set (新提法)")
	minFreq := fs.Int("min", workbench.DefaultMinFreq, "least number of focus paragraphs")
	size := fs.Int("size", workbench.DefaultKeywords, "phrases to list")
	asJSON := fs.Bool("json", false, "print the API's JSON body")
	if err := parse(fs, args); err != nil {
		return err
	}
	ff, err := focus.filter()
	if err != nil {
		return err
	}
	rf, err := ref.filter()
	if err != nil {
		return err
	}
	ix, err := openForRead(ctx, *dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	resp, err := workbench.Keywords(ctx, ix, workbench.KeywordsRequest{Focus: ff, Reference: rf, New: *newOnly, Min: *minFreq, Size: *size,
		Progress: stageProgress(os.Stderr, 2*time.Second)})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, resp)
	}
	fmt.Fprintf(stdout, "focus %d reports (%d paragraphs), reference %d reports (%d paragraphs), %.0f ms\n",
		resp.FocusReports, resp.FocusParagraphs, resp.ReferenceReports, resp.ReferenceParagraphs, resp.TookMS)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phrase\tfocus\treference\tG²\tfirst year")
	for _, p := range resp.Phrases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%d\n", p.Phrase, p.Focus, p.Reference, p.Score, p.FirstYear)
	}
	return tw.Flush()
}

func addPrefixedFilterFlags(fs *flag.FlagSet, prefix, what string) *filterFlags {
	f := &filterFlags{}
	fs.Var(&f.years, prefix+"year", "year or range of the "+what+"; repeatable")
	fs.Var(&f.regions, prefix+"region", "region of the "+what+"; repeatable")
	fs.Var(&f.levels, prefix+"level", "level of the "+what+"; repeatable")
	fs.Var(&f.orgs, prefix+"organization", "organization of the "+what+"; repeatable")
	fs.Var(&f.docTypes, prefix+"doc-type", "document type of the "+what+"; repeatable")
	return f
}

// runThemes: reportsearch themes [list|export [--format csv|json]|import [--replace] FILE|delete NAME|history]
// on a local index (a running server's lexicon is edited in its admin page or API).
func runThemes(args []string, stdout io.Writer) error {
	fs, dir := newFlags("themes")
	format := fs.String("format", "json", "export format: json or csv")
	replace := fs.Bool("replace", false, "import: replace the whole lexicon")
	author := fs.String("author", os.Getenv("USER"), "who makes the change (recorded in the history)")
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := localThemes(*dir)
	if err != nil {
		return err
	}
	sub := "list"
	if fs.NArg() > 0 {
		sub = fs.Arg(0)
	}
	switch sub {
	case "list":
		l := store.Lexicon()
		fmt.Fprintf(stdout, "version %d, %d themes\n", l.Version, len(l.Themes))
		for _, t := range l.Themes {
			fmt.Fprintf(stdout, "theme:%s = %s\n", t.Name, strings.Join(t.Expressions, " ‖ "))
		}
		return nil
	case "export":
		if *format == "csv" {
			return themes.WriteCSV(stdout, store.Lexicon())
		}
		return writeJSON(stdout, store.Lexicon())
	case "import":
		if fs.NArg() != 2 {
			return fmt.Errorf("%w: themes import FILE (.csv or .json)", errUsage)
		}
		f, err := os.Open(fs.Arg(1))
		if err != nil {
			return err
		}
		defer f.Close()
		var ts []themes.Theme
		if strings.HasSuffix(strings.ToLower(fs.Arg(1)), ".csv") {
			if ts, err = themes.ReadCSV(f); err != nil {
				return err
			}
		} else {
			var l themes.Lexicon
			if err := json.NewDecoder(f).Decode(&l); err != nil {
				return fmt.Errorf("%s: %w", fs.Arg(1), err)
			}
			ts = l.Themes
		}
		l, err := store.Import(ts, *replace, *author)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d themes: version %d\n", len(ts), l.Version)
		return nil
	case "delete":
		if fs.NArg() != 2 {
			return fmt.Errorf("%w: themes delete NAME", errUsage)
		}
		l, err := store.Delete(fs.Arg(1), *author)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted theme %s: version %d\n", fs.Arg(1), l.Version)
		return nil
	case "history":
		h, err := store.History()
		if err != nil {
			return err
		}
		for _, c := range h {
			fmt.Fprintf(stdout, "v%d %s %s %s %s %s\n", c.Version, c.Time.Format("2006-01-02 15:04"), c.Author, c.Action, c.Theme, c.Note)
		}
		return nil
	}
	return fmt.Errorf("%w: themes list, export, import FILE, delete NAME or history", errUsage)
}

// stageProgress returns a workbench progress function that prints a line
// on w at most once a second, from after a run for wait on (short runs
// print nothing), and whenever the stage changes after that.
func stageProgress(w io.Writer, wait time.Duration) func(stage string, done, total int) {
	start := time.Now()
	var mu sync.Mutex
	var last time.Time
	lastStage := ""
	names := map[string]string{"read": "reading paragraphs", "candidates": "finding phrases in the focus set", "count": "counting them in the reference set"}
	return func(stage string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if now.Sub(start) < wait || stage == lastStage && now.Sub(last) < time.Second {
			return
		}
		last, lastStage = now, stage
		fmt.Fprintf(w, "keywords: %s: %d / %d (%s)\n", names[stage], done, total, now.Sub(start).Round(100*time.Millisecond))
	}
}
