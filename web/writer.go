package web

import (
	"context"
	"sync"

	"reportsearch/indexer"
	"reportsearch/search"
)

// Writer is the one writer of a server's index: indexing runs, uploads,
// deletions and rebuilds take its lock, so that at most one of them
// writes at a time whichever endpoint started it (the CLI's local
// endpoints, the admin API or the admin page). Searches never take it:
// every report is replaced in one atomic batch, so readers see either the
// old or the new version.
type Writer struct {
	mu    sync.Mutex
	store search.Store
	// metrics counts the writes; set by the server the writer is given
	// to (nil: not counted).
	metrics *metrics
}

// NewWriter returns the writer of store.
func NewWriter(store search.Store) *Writer { return &Writer{store: store} }

// Index runs the indexer over srcs.
func (w *Writer) Index(ctx context.Context, srcs []indexer.Source, opt indexer.Options) (*indexer.Summary, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sum, err := indexer.Run(ctx, w.store, srcs, opt)
	w.metrics.write("index", sum, err)
	return sum, err
}

// Delete removes reports.
func (w *Writer) Delete(ids ...string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.store.Delete(ids...)
	w.metrics.write("delete", nil, err)
	return err
}

// locked runs fn holding the lock, for writes made of several steps
// (delete a report and its uploaded file).
func (w *Writer) locked(fn func(store search.Store) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return fn(w.store)
}
