// Command reportsearch indexes Chinese report documents and searches them,
// from the command line or as an HTTP server.
//
//	reportsearch index  [--index DIR] [--manifest FILE] [--force] [--json] [--explain] PATH...
//	reportsearch search [--index DIR] [--json] [--mode loose] [--from N] [--size N] [filters] [--sort year] [--group doc] [--format csv|jsonl] QUERY
//	reportsearch trends [--index DIR] [--by year] [filters] [--format table|csv|json] QUERY...
//	reportsearch serve  [--index DIR] [--addr 127.0.0.1:8080] [--admin-token TOKEN] [--uploads DIR]
//	                    [--allowed-host H]... [--allow-index-root DIR]... [--trusted-proxy CIDR]...
//	                    [--tls-cert FILE --tls-key FILE] [--request-timeout 30s] [--log-format text|json] [--log-level info]
//	                    [--rebuild-priority idle|nice|normal] [--rebuild-timeout 6h]
//	reportsearch delete [--index DIR] [--uploads DIR] ID...
//	reportsearch history [--action A] [--source S] [--since DATE] [--until DATE] [TEXT]
//	reportsearch reindex --changed-rules
//	reportsearch kwic | related | keywords | themes | dict  (the research workbench)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"reportsearch/indexer"
	"reportsearch/indexer/extract"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/internal/config"
	"reportsearch/search"
	"reportsearch/search/export"
	"reportsearch/web"
)

const usage = `reportsearch: full-text search over Chinese report documents

Commands:
  index  [--index DIR] [--manifest FILE] [--force] [--json] PATH...   add or update reports
         [--explain]                                                 only list the lines cleaning drops, by rule
  search [--index DIR] [--json] [--mode exact|loose] [--from N] [--size N] QUERY
         [--year 2018..2023] [--region R] [--level L] [--organization O] [--doc-type T]
         [--sort relevance|year|-year] [--group doc] [--facets] [--format csv|jsonl]
  trends [--index DIR] [--by year|region|level|organization|doc_type] [filters]
         [--format table|csv|json] QUERY...                         matches per year, region …
  serve  [--index DIR] [--addr 127.0.0.1:8080]                       HTTP API and web pages
         [--admin-token TOKEN] [--uploads DIR]                       admin (token also $REPORTSEARCH_ADMIN_TOKEN)
         [--allowed-host H]... [--allow-index-root DIR]...          hosts answered, folders the CLI may hand over
         [--tls-cert FILE --tls-key FILE] [--trusted-proxy CIDR]...  HTTPS; proxies believed for client addresses
         [--request-timeout 30s] [--log-format text|json] [--log-level info]
         [--rebuild-priority idle|nice|normal] [--rebuild-timeout 6h]  a full rebuild's process: CPU priority, time limit
  delete [--index DIR] [--uploads DIR] ID...                         remove reports (an upload with its file)
  index  https://…  [--allow-private-addresses]                      fetch a report page or file into the uploads folder
  serve  … [--watch DIR]... [--rescan 10m] [--allow-private-addresses]  follow folders; fetch intranet addresses
  history [--action added|updated|deleted|skipped] [--source cli|upload|watcher|address|rebuild|admin]
         [--since DATE] [--until DATE] [--from N] [--size N] [--json] [TEXT]   every change to the index
  reindex --changed-rules [--json]                                   re-read reports built with older rules
  kwic   [--context 20] [--sort report|year|left|right] [filters] [--format csv|jsonl|json] QUERY
                                                                     every occurrence with its context
  related [--window N] [--min 3] [--size 30] [filters] QUERY         collocates (G²)
  keywords --focus-year 2026 [--ref-year 2021..2025] [--new]         phrases over-represented in a set
  themes [list | export [--format csv] | import [--replace] FILE | delete NAME | history]
                                                                     the theme lexicon (theme:NAME in queries)
  dict   [list | add WORD... | remove WORD... | import [--replace] FILE]
                                                                     the user dictionary of the word field (rebuilds it)

The index is at $REPORTSEARCH_INDEX or %s unless --index is given.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintf(os.Stderr, usage, config.DefaultIndexDir())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "index":
		err = runIndex(ctx, args, os.Stdout)
	case "search":
		err = runSearch(ctx, args, os.Stdout)
	case "trends":
		err = runTrends(ctx, args, os.Stdout)
	case "serve":
		err = runServe(ctx, args)
	case "delete":
		err = runDelete(args)
	case "history":
		err = runHistory(ctx, args, os.Stdout)
	case "reindex":
		err = runReindex(ctx, args, os.Stdout)
	case "kwic":
		err = runKWIC(ctx, args, os.Stdout)
	case "related":
		err = runRelated(ctx, args, os.Stdout)
	case "keywords":
		err = runKeywords(ctx, args, os.Stdout)
	case "themes":
		err = runThemes(args, os.Stdout)
	case "dict":
		err = runDict(ctx, args, os.Stdout)
	case rebuildChildCommand:
		err = runRebuildChild(ctx)
	case "help", "-h", "--help":
		fmt.Printf(usage, config.DefaultIndexDir())
	default:
		fmt.Fprintf(os.Stderr, "reportsearch: unknown command %q\n\n", cmd)
		fmt.Fprintf(os.Stderr, usage, config.DefaultIndexDir())
		os.Exit(2)
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reportsearch:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage error")

// indexMemoryLimit is the index command's soft memory ceiling. At GOGC
// 400 the heap grows to it whatever the corpus (what stays live is the
// batches in flight, 300–450 MB), and mapped segment files come on top
// (about 180 MB at a million paragraphs), so it sets the peak RSS: 900
// MiB should keep a million paragraphs under 1.2 GB, for a few more
// collections than 1,200 MiB (docs/benchmarks.md, *Building at 1M*).
const indexMemoryLimit = 900 << 20

// newFlags returns a flag set with the --index flag every command shares.
func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	dir := fs.String("index", config.DefaultIndexDir(), "index folder")
	return fs, dir
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// -h or --help: the flag set printed its usage; nothing failed.
			return flag.ErrHelp
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func runIndex(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dir := newFlags("index")
	manifest := fs.String("manifest", "", "manifest.csv or manifest.jsonl with metadata by path (default: one found at the top of each folder)")
	force := fs.Bool("force", false, "re-index files even when unchanged")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	explain := fs.Bool("explain", false, "print every line the cleaning drops, with its rule, and write nothing")
	allowPrivate := fs.Bool("allow-private-addresses", false, "allow web addresses on private, loopback and link-local networks (intranet sites)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: index needs at least one file or folder", errUsage)
	}
	if slices.ContainsFunc(fs.Args(), isAddress) {
		// Web addresses: fetched into the uploads folder (staff.go).
		if slices.ContainsFunc(fs.Args(), func(a string) bool { return !isAddress(a) }) || *explain {
			return fmt.Errorf("%w: give web addresses alone (not with files, not with --explain)", errUsage)
		}
		sum, err := indexAddresses(ctx, *dir, fs.Args(), *allowPrivate)
		printSummary(stdout, sum, *asJSON)
		return err
	}
	sources, err := indexer.FileSources(fs.Args(), *manifest)
	if err != nil {
		return err
	}
	if *explain {
		sum := indexer.Explain(sources)
		if *asJSON {
			return writeIndentedJSON(stdout, sum)
		}
		indexer.PrintExplain(stdout, sum)
		return nil
	}
	ix, server, err := openOrRemote(*dir)
	if err != nil {
		return err
	}
	if ix != nil {
		defer ix.Close()
		// Indexing makes garbage fast and holds little: collect less
		// often (a fifth of the CPU went to the collector), under a soft
		// ceiling (indexMemoryLimit). GOGC and GOMEMLIMIT in the
		// environment take precedence.
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(indexMemoryLimit)
		}
	}
	var sum *indexer.Summary
	if server != nil {
		fmt.Fprintf(os.Stderr, "the index is held by the server at %s: sending the files to it\n", server.Addr)
		sum, err = remoteIndex(server, fs.Args(), *manifest, *force)
	} else {
		opt := indexer.Options{Force: *force}
		if !*asJSON {
			opt.Progress = progressPrinter(os.Stderr)
		}
		// OCR costs seconds a page: each page is reported.
		octx := extract.WithOCRProgress(ctx, func(name string, done, total int) {
			fmt.Fprintf(os.Stderr, "\rOCR %s: page %d of %d\n", name, done, total)
		})
		sum, err = indexer.Run(octx, ix, sources, opt)
		if herr := history.Open(*dir).Record(history.SourceCLI, sum); herr != nil {
			fmt.Fprintln(os.Stderr, "reportsearch: the history was not written:", herr)
		}
	}
	printSummary(stdout, sum, *asJSON)
	return err
}

// printSummary prints index's report (nothing when there is none), as
// indented JSON or as text.
func printSummary(w io.Writer, sum *indexer.Summary, asJSON bool) {
	switch {
	case sum == nil:
	case asJSON:
		_ = writeIndentedJSON(w, sum)
	default:
		indexer.PrintSummary(w, sum)
	}
}

// writeIndentedJSON writes index's report as indented JSON, text as is.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// progressPrinter draws a one-line progress bar when w is a terminal.
func progressPrinter(w *os.File) func(done, total int, r indexer.FileResult) {
	if fi, err := w.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int, r indexer.FileResult) {
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(w, "\r[%s%s] %d/%d %-40.40s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total, r.Path)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

func runSearch(ctx context.Context, args []string, stdout io.Writer) error {
	qf := newQueryFlags("search")
	fs, mode := qf.fs, qf.mode
	asJSON := fs.Bool("json", false, "print the API's JSON body")
	from := fs.Int("from", 0, "first hit to show")
	size := fs.Int("size", search.DefaultSize, "hits to show")
	sortBy := fs.String("sort", "relevance", "relevance, year or -year")
	group := fs.String("group", "", "doc: list reports, each with its number of matches and best hits")
	format := fs.String("format", "", "csv, jsonl or xlsx: write every matching paragraph instead of a page")
	lang := fs.String("lang", "", "zh: Chinese column names and level names in a csv or xlsx export")
	facets := fs.Bool("facets", false, "also print the counts by year, region, level, organization and doc type")
	words, filter, ix, err := qf.open(ctx, args, "a query")
	if err != nil {
		return err
	}
	defer ix.Close()
	if *size < 1 {
		return fmt.Errorf("%w: --size must be between 1 and %d, not %d", errUsage, search.MaxSize, *size)
	}
	exportFormat, err := export.ParseFormat(*format, export.CSV, export.JSONL, export.XLSX)
	if err != nil {
		return err
	}
	if _, err := export.ParseLang(*lang); err != nil {
		return err
	}
	req := search.Request{Query: strings.Join(words, " "), Mode: search.Mode(*mode), From: *from, Size: *size,
		Filter: filter, Sort: search.Sort(*sortBy), Group: search.Group(*group), Themes: ix.themes}
	if exportFormat != export.JSON {
		return exportHits(ctx, ix, req, exportFormat, export.Options{Lang: *lang, Query: req.Query}, stdout)
	}
	resp, err := ix.Search(ctx, req)
	if err != nil {
		return err
	}
	if resp.FacetsDisjunctive == nil {
		// A server's answer has them already; a local index's search
		// leaves them to the caller, as the API handler does.
		if resp.FacetsDisjunctive, err = search.DisjunctiveFacets(ctx, ix, req, resp.Facets); err != nil {
			return err
		}
	}
	if *asJSON {
		// The same encoder settings as Echo's c.JSON: the body is
		// byte-for-byte the API's.
		return writeJSON(stdout, resp)
	}
	if req.Group == search.GroupDoc {
		printGroups(stdout, resp, *from)
	} else {
		printHits(stdout, resp, *from)
	}
	if *facets {
		printFacets(stdout, resp)
	}
	return nil
}

func printHits(w io.Writer, resp *search.Response, from int) {
	fmt.Fprintf(w, "%d paragraphs (%.1f ms)\n", resp.Total, resp.TookMS)
	for i, h := range resp.Hits {
		printReportLine(w, from+i+1, h.Title, h.Year, h.Region)
		fmt.Fprintf(w, " ¶%d  [%s]\n   %s\n", h.Paragraph, h.ID, markReplacer.Replace(h.Highlight))
	}
}

func runDelete(args []string) error {
	fs, dir := newFlags("delete")
	uploads := fs.String("uploads", "", "the server's uploads folder, whose files of deleted reports go too (default: the index folder's path + \"-uploads\")")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *uploads == "" {
		*uploads = filepath.Clean(*dir) + "-uploads"
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: delete needs report ids", errUsage)
	}
	ix, server, err := openOrRemote(*dir)
	if err != nil {
		return err
	}
	if server != nil {
		var out map[string]int
		if err := post(server, "/api/local/delete", web.DeleteRequest{IDs: fs.Args()}, &out); err != nil {
			return err
		}
	} else {
		defer ix.Close()
		var missing []string
		for _, id := range fs.Args() {
			if _, err := ix.Report(id); errors.Is(err, search.ErrNotFound) {
				missing = append(missing, id)
			}
		}
		// As a server would: an uploaded report goes with its file.
		w := ingest.NewWriter(ix)
		w.SetHistory(history.Open(*dir))
		if _, _, err := ingest.NewUploads(w, *uploads, nil).Delete(history.SourceCLI, fs.Args()...); err != nil {
			if errors.Is(err, search.ErrNotFound) && len(missing) > 0 {
				// The backend's message names itself and prints a Go
				// slice; the user gave ids.
				return fmt.Errorf("no report with id %s (%d other report(s) deleted)", strings.Join(missing, ", "), fs.NArg()-len(missing))
			}
			return err
		}
	}
	fmt.Printf("deleted %d report(s)\n", fs.NArg())
	return nil
}

// writeJSON writes v as the API does (no HTML escaping, so that the CLI's
// --json output and the API's body are the same bytes).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
