package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/fetch"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/indexer/watch"
	"reportsearch/internal/sample"
	"reportsearch/web"
)

// staffOptions are serve's flags for the staff workflow: watched folders
// and web addresses.
type staffOptions struct {
	watch        multiFlag
	rescan       time.Duration
	stable       time.Duration
	allowPrivate bool
}

func (o *staffOptions) register(fs *flag.FlagSet) {
	fs.Var(&o.watch, "watch", "a folder to index and follow: new, changed, renamed and deleted files are applied (repeatable; more can be added on the admin page)")
	fs.DurationVar(&o.rescan, "rescan", watch.DefaultRescan, "rescan watched folders this often, besides notifications (which network shares lose)")
	fs.DurationVar(&o.stable, "watch-stable", watch.DefaultStable, "index a file in a watched folder once its size and time are unchanged this long")
	fs.BoolVar(&o.allowPrivate, "allow-private-addresses", false, "allow fetching web addresses on private, loopback and link-local networks (intranet sites)")
}

func (o *staffOptions) fetchOptions() fetch.Options {
	return fetch.Options{AllowPrivate: o.allowPrivate, MaxBytes: web.DefaultMaxFileBytes}
}

func (o *staffOptions) manager(ctx context.Context, w *ingest.Writer, indexDir string, log *slog.Logger) *watch.Manager {
	opt := watch.Options{Rescan: o.rescan, Stable: o.stable, Log: log,
		OnScan: func(dir string, sum *indexer.Summary, deleted []string) {
			args := []any{"dir", dir, "deleted", len(deleted)}
			if sum != nil {
				args = append(args, "added", sum.Added, "updated", sum.Updated, "skipped", sum.Skipped)
			}
			log.Info("watched folder changed", args...)
		}}
	return watch.NewManager(ctx, ingest.WatchTarget(w), indexDir, opt)
}

// isAddress tells a web address from a path among index's arguments.
func isAddress(arg string) bool {
	return strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
}

// indexAddresses indexes web addresses: through the server holding the
// index, or into the uploads folder beside the index.
func indexAddresses(ctx context.Context, dir string, addrs []string, allowPrivate bool) (*indexer.Summary, error) {
	total := &indexer.Summary{Files: []indexer.FileResult{}}
	ix, server, err := openOrRemote(dir)
	if err != nil {
		return nil, err
	}
	if server != nil {
		for _, a := range addrs {
			var sum indexer.Summary
			if err := post(server, "/api/local/address", web.AddressRequest{URL: a}, &sum); err != nil {
				return total, err
			}
			total.Add(&sum)
		}
		return total, nil
	}
	defer ix.Close()
	w := ingest.NewWriter(ix)
	w.SetHistory(history.Open(dir))
	uploads := filepath.Clean(dir) + "-uploads"
	for _, a := range addrs {
		sum, err := ingest.NewUploads(w, uploads, nil).IngestAddress(ctx, a, fetch.Options{AllowPrivate: allowPrivate, MaxBytes: web.DefaultMaxFileBytes})
		if err != nil {
			return total, err
		}
		total.Add(sum)
	}
	return total, nil
}

// runHistory: reportsearch history [--action A] [--source S] [--since D] [--until D] [--size N] [--from N] [--json] [TEXT].
func runHistory(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dir := newFlags("history")
	action := fs.String("action", "", "added, updated, deleted or skipped")
	source := fs.String("source", "", "cli, upload, watcher, address, rebuild or admin")
	since := fs.String("since", "", "from this date (2026-12-01) or time (RFC 3339)")
	until := fs.String("until", "", "until this date (included) or time")
	size := fs.Int("size", 50, "entries to show")
	from := fs.Int("from", 0, "entries to skip")
	asJSON := fs.Bool("json", false, "print the API's JSON body")
	if err := parse(fs, args); err != nil {
		return err
	}
	v := url.Values{"action": {*action}, "source": {*source}, "since": {*since}, "until": {*until},
		"size": {strconv.Itoa(*size)}, "from": {strconv.Itoa(*from)}, "q": {strings.Join(fs.Args(), " ")}}
	for k, vs := range v {
		if vs[0] == "" {
			delete(v, k)
		}
	}
	var resp web.HistoryResponse
	if info, err := readServeInfo(*dir); err == nil && processAlive(info.PID) && answers(info) {
		if *asJSON {
			return get(ctx, info, "/api/history", v, stdout)
		}
		if err := getJSON(ctx, info, "/api/history", v, &resp); err != nil {
			return err
		}
	} else {
		// The log is a file beside the index: read it without opening the
		// index (and its dictionary).
		q, err := web.HistoryQuery(v)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		resp.Entries, resp.Total, err = history.Open(*dir).Read(q)
		if err != nil {
			return err
		}
		if resp.Entries == nil {
			resp.Entries = []history.Entry{}
		}
		if *asJSON {
			return writeJSON(stdout, resp)
		}
	}
	printHistory(stdout, &resp, *from)
	return nil
}

func printHistory(w io.Writer, resp *web.HistoryResponse, from int) {
	for _, e := range resp.Entries {
		what := e.Title
		if what == "" {
			what = e.Path
		}
		fmt.Fprintf(w, "%s  %-7s %-7s %s", e.Time.Local().Format("2006-01-02 15:04:05"), e.Action, e.Source, what)
		if e.ID != "" {
			fmt.Fprintf(w, " [%s]", e.ID)
		}
		if e.Reason != "" {
			fmt.Fprintf(w, ": %s", e.Reason)
		}
		if len(e.Dropped) > 0 {
			fmt.Fprintf(w, " (dropped %s)", indexer.FormatCounts(e.Dropped))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d of %d entries", len(resp.Entries), resp.Total)
	if from > 0 {
		fmt.Fprintf(w, " from %d", from)
	}
	fmt.Fprintln(w)
}

// runReindex: reportsearch reindex --changed-rules.
func runReindex(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dir := newFlags("reindex")
	changed := fs.Bool("changed-rules", false, "re-read only the reports built with older extraction or cleaning rules")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*changed {
		return fmt.Errorf("%w: reindex needs --changed-rules (a full rebuild is the admin page's)", errUsage)
	}
	ix, server, err := openOrRemote(*dir)
	if err != nil {
		return err
	}
	var sum *indexer.Summary
	if server != nil {
		sum = new(indexer.Summary)
		err = post(server, "/api/local/reindex", struct{}{}, sum)
	} else {
		defer ix.Close()
		w := ingest.NewWriter(ix)
		w.SetHistory(history.Open(*dir))
		sum, err = ingest.ReindexChanged(ctx, w, ix, func() ([]indexer.Source, error) { return indexer.FSSources(sample.FS(), "sample") })
	}
	printSummary(stdout, sum, *asJSON)
	return err
}
