package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// sourcesOf finds the source of each report for a rebuild: the file at
// its path (or the built-in source of a bundled report), keeping its id
// and the metadata it was given (a sidecar on disk wins). Reports whose
// file is gone are returned as skipped results.
func sourcesOf(reports []search.Report, builtinFn func() ([]indexer.Source, error)) ([]indexer.Source, []indexer.FileResult, error) {
	builtin := map[string]indexer.Source{}
	if builtinFn != nil {
		srcs, err := builtinFn()
		if err != nil {
			return nil, nil, err
		}
		for _, s := range srcs {
			builtin[s.Path] = s
		}
	}
	var srcs []indexer.Source
	var missing []indexer.FileResult
	for _, r := range reports {
		if s, ok := builtin[r.Path]; ok {
			srcs = append(srcs, s)
			continue
		}
		fi, err := os.Stat(r.Path)
		if err != nil || !fi.Mode().IsRegular() {
			reason := missingReason
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				reason = err.Error()
			}
			missing = append(missing, indexer.FileResult{Path: r.Path, ID: r.ID, Title: r.Title,
				Status: indexer.StatusSkipped, Reason: reason})
			continue
		}
		ss, err := indexer.FileSources([]string{r.Path}, "")
		if err != nil || len(ss) != 1 {
			missing = append(missing, indexer.FileResult{Path: r.Path, ID: r.ID, Title: r.Title,
				Status: indexer.StatusSkipped, Reason: fmt.Sprint("cannot list the file: ", err)})
			continue
		}
		s := ss[0]
		s.Meta = givenMetadata(&r, s.Meta)
		srcs = append(srcs, s)
	}
	return srcs, missing, nil
}

// reindexBatch is how many reports ReindexChanged re-reads per hold of
// the writer's lock: between batches, uploads and the watcher write too.
const reindexBatch = 100

// ReindexChanged re-reads the reports built with older extraction or
// cleaning rules than this program's (indexer.Stale), from their files,
// through w, batch by batch: searches go on (each report is replaced
// atomically) and other writes take turns between batches. Reports whose
// file is gone are listed as skipped; each change goes to the history as
// a rebuild. builtin lists the sources of the bundled sample (may be nil).
func ReindexChanged(ctx context.Context, w *Writer, ix search.ReportReader, builtin func() ([]indexer.Source, error)) (*indexer.Summary, error) {
	reports, err := ix.Reports()
	if err != nil {
		return nil, err
	}
	var stale []search.Report
	for _, r := range reports {
		if indexer.Stale(&r) {
			stale = append(stale, r)
		}
	}
	total := &indexer.Summary{Files: []indexer.FileResult{}}
	for i := 0; i < len(stale); i += reindexBatch {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		batch := stale[i:min(i+reindexBatch, len(stale))]
		var sum *indexer.Summary
		err := w.locked(func(store search.Store) error {
			srcs, missing, err := sourcesOf(batch, builtin)
			if err != nil {
				return err
			}
			sum, err = indexer.Run(context.WithoutCancel(ctx), store, srcs, indexer.Options{Force: true})
			if sum != nil {
				sum.Files = append(sum.Files, missing...)
				sum.Skipped += len(missing)
			}
			return err
		})
		w.metrics.write("reindex", sum, err)
		w.record(history.SourceRebuild, sum)
		if sum != nil {
			total.Added += sum.Added
			total.Updated += sum.Updated
			total.Unchanged += sum.Unchanged
			total.Skipped += sum.Skipped
			total.Paragraphs += sum.Paragraphs
			total.Seconds += sum.Seconds
			total.Files = append(total.Files, sum.Files...)
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
