package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// Builtin lists the sources of reports that have no file on disk (the
// bundled sample), so that a rebuild can re-read them too.
type Builtin func() ([]indexer.Source, error)

// MissingReason is the reason given for a report whose file is gone.
const MissingReason = "source file no longer exists: the report is kept as it was indexed (delete it to remove it)"

// Rebuild re-indexes every report of ix from its source through w,
// forced: the file at its path (or the built-in source of a bundled
// report), keeping its id and the metadata it was given (a sidecar on
// disk wins), inferring the rest again. A report whose file no longer
// exists is kept and listed as skipped. Searches keep working throughout.
// A started rebuild finishes even if ctx is cancelled (the client went
// away). builtin may be nil. Its progress is w.RebuildStatus.
//
// With a ChildConfig (SetRebuildChild) and an index that builds
// generations, the rebuild runs in a child process at idle priority,
// writes going on meanwhile (see child.go); otherwise it runs here,
// holding the writer's lock, each report replaced atomically.
func Rebuild(ctx context.Context, w *Writer, ix search.ReportReader, builtin Builtin) (*indexer.Summary, error) {
	var sum *indexer.Summary
	var err error
	if g, ok := w.store.(Generations); ok && w.rb.child != nil {
		sum, err = w.rebuildInChild(g, ix)
	} else {
		sum, err = w.rebuildHere(ctx, ix, builtin)
	}
	w.Observe("reindex", sum, err)
	w.Record(history.SourceRebuild, sum)
	return sum, err
}

// rebuildHere is Rebuild in this process.
func (w *Writer) rebuildHere(ctx context.Context, ix search.ReportReader, builtin Builtin) (*indexer.Summary, error) {
	w.rb.run.Lock()
	defer w.rb.run.Unlock()
	return w.trackRebuild("", func(progress func(childProgress)) (*indexer.Summary, error) {
		var sum *indexer.Summary
		err := w.Locked(func(store search.Store) error {
			reports, err := ix.Reports()
			if err != nil {
				return err
			}
			paras := 0
			sum, err = reread(context.WithoutCancel(ctx), store, reports, builtin, func(done, total int, r indexer.FileResult) {
				paras += r.Paragraphs
				progress(childProgress{Done: done, Total: total, Paragraphs: paras})
			})
			return err
		})
		return sum, err
	})
}

// reread re-indexes reports from their sources, forced, adding those
// whose file is gone to the summary as skipped; progress (may be nil) is
// told of each file.
func reread(ctx context.Context, store search.Store, reports []search.Report, builtin Builtin, progress func(done, total int, r indexer.FileResult)) (*indexer.Summary, error) {
	srcs, missing, err := sourcesOf(reports, builtin)
	if err != nil {
		return nil, err
	}
	sum, err := indexer.Run(ctx, store, srcs, indexer.Options{Force: true, Progress: progress})
	if sum != nil {
		sum.Files = append(sum.Files, missing...)
		sum.Skipped += len(missing)
	}
	return sum, err
}

// sourcesOf finds the source of each report for a rebuild: the file at
// its path (or the built-in source of a bundled report), keeping its id
// and the metadata it was given (a sidecar on disk wins). Reports whose
// file is gone are returned as skipped results.
func sourcesOf(reports []search.Report, builtinFn Builtin) ([]indexer.Source, []indexer.FileResult, error) {
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
			reason := MissingReason
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

// givenMetadata is the metadata a report was given (the fields that were
// not inferred), completed by its sidecar on disk, with its id, so that a
// rebuild keeps the report's identity and its manifest metadata.
func givenMetadata(r *search.Report, side *indexer.ManifestEntry) *indexer.ManifestEntry {
	inferred := func(f string) bool { return slices.Contains(r.Inferred, f) }
	m := &indexer.ManifestEntry{Path: filepath.Base(r.Path), Date: r.Date, SourceURL: r.SourceURL}
	pick := func(f string, v string) string {
		if inferred(f) {
			return ""
		}
		return v
	}
	m.Title = pick("title", r.Title)
	m.Region = pick("region", r.Region)
	m.Level = pick("level", r.Level)
	m.Organization = pick("organization", r.Organization)
	m.DocType = pick("doc_type", r.DocType)
	if !inferred("year") {
		m.Year = r.Year
	}
	if side != nil {
		m = indexer.MergeEntry(m, side)
	}
	m.ID = r.ID
	return m
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
func ReindexChanged(ctx context.Context, w *Writer, ix search.ReportReader, builtin Builtin) (*indexer.Summary, error) {
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
		err := w.Locked(func(store search.Store) error {
			var err error
			sum, err = reread(context.WithoutCancel(ctx), store, batch, builtin, nil)
			return err
		})
		w.Observe("reindex", sum, err)
		w.Record(history.SourceRebuild, sum)
		if sum != nil {
			total.Add(sum)
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
