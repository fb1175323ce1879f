package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/indexer/watch"
	"reportsearch/search"
)

// WatchTarget is the target of the watched folders: the writer w (whose
// store lists its reports, to find a deleted file's).
func WatchTarget(w *Writer) watch.Target { return &watchTarget{w: w} }

type watchTarget struct{ w *Writer }

func (t *watchTarget) reports() ([]search.Report, error) {
	rr, ok := t.w.store.(search.ReportReader)
	if !ok {
		return nil, errors.New("watch: the index cannot list its reports")
	}
	return rr.Reports()
}

func (t *watchTarget) Index(ctx context.Context, srcs []indexer.Source) (*indexer.Summary, error) {
	var sum *indexer.Summary
	err := t.w.Locked(func(store search.Store) error {
		var err error
		sum, err = indexer.Run(ctx, store, srcs, indexer.Options{})
		return err
	})
	t.w.Observe("watch", sum, err)
	t.w.Record(history.SourceWatcher, sum)
	return sum, err
}

func (t *watchTarget) DeletePaths(ctx context.Context, paths []string) error {
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	var deleted []search.Report
	err := t.w.Locked(func(store search.Store) error {
		reports, err := t.reports()
		if err != nil {
			return err
		}
		var ids []string
		for _, r := range reports {
			if want[r.Path] {
				ids = append(ids, r.ID)
				deleted = append(deleted, r)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		if err := store.Delete(ids...); err != nil && !errors.Is(err, search.ErrNotFound) {
			return err
		}
		return nil
	})
	t.w.Observe("delete", nil, err)
	if err == nil {
		t.w.RecordDeleted(history.SourceWatcher, deleted)
	}
	return err
}

func (t *watchTarget) Paths(dir string) ([]string, error) {
	reports, err := t.reports()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range reports {
		if filepath.IsAbs(r.Path) && Within(r.Path, dir) {
			out = append(out, r.Path)
		}
	}
	return out, nil
}

// Within reports whether path is dir or inside it.
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
