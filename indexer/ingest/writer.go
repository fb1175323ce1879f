package ingest

import (
	"context"
	"sync"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// Writer is the one writer of an index: indexing runs, uploads,
// deletions and rebuilds take its lock, so that at most one of them
// writes at a time whichever endpoint started it (the CLI's local
// endpoints, the admin API or the admin page, the watched folders).
// Searches never take it: every report is replaced in one atomic batch,
// so readers see either the old or the new version.
type Writer struct {
	mu    sync.Mutex
	store search.Store
	// observe counts the writes (nil: not counted; see SetObserver).
	observe Observer
	// history logs every change (nil: not logged; see SetHistory).
	history *history.Log
	// rb runs full rebuilds (child.go).
	rb rebuildState
}

// Observer is told of every write: its kind (index, delete, upload,
// reindex, reconcile, watch), the indexer's summary (nil for a deletion)
// and its error. The server's metrics are one.
type Observer func(op string, sum *indexer.Summary, err error)

// NewWriter returns the writer of store.
func NewWriter(store search.Store) *Writer { return &Writer{store: store} }

// SetObserver makes the writer tell o of every write.
func (w *Writer) SetObserver(o Observer) { w.observe = o }

// Observe tells the writer's observer of a write made through Locked.
func (w *Writer) Observe(op string, sum *indexer.Summary, err error) {
	if w != nil && w.observe != nil {
		w.observe(op, sum, err)
	}
}

// Index runs the indexer over srcs.
func (w *Writer) Index(ctx context.Context, srcs []indexer.Source, opt indexer.Options) (*indexer.Summary, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sum, err := indexer.Run(ctx, w.store, srcs, opt)
	w.Observe("index", sum, err)
	w.Record(history.SourceCLI, sum)
	return sum, err
}

// Delete removes reports (not their uploaded files: see Uploads.Delete).
func (w *Writer) Delete(ids ...string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.store.Delete(ids...)
	w.Observe("delete", nil, err)
	if err == nil {
		var es []history.Entry
		for _, id := range ids {
			es = append(es, history.Entry{Action: history.Deleted, Source: history.SourceCLI, ID: id})
		}
		w.appendHistory(es...)
	}
	return err
}

// Locked runs fn holding the lock, for writes made of several steps
// (delete a report and its uploaded file). The caller observes and
// records what fn did.
func (w *Writer) Locked(fn func(store search.Store) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return fn(w.store)
}

// SetHistory makes the writer log every change it makes to l (the
// index's history, see package history).
func (w *Writer) SetHistory(l *history.Log) { w.history = l }

// History is the log the writer records to (nil: none).
func (w *Writer) History() *history.Log { return w.history }

// Record logs a run's changes made by source. The history is an account
// of the index, not part of it: failing to write it is not the write's
// failure, so errors are dropped here (the log file shows them missing).
func (w *Writer) Record(source string, sum *indexer.Summary) {
	if w != nil && w.history != nil {
		_ = w.history.Record(source, sum)
	}
}

func (w *Writer) appendHistory(es ...history.Entry) {
	if w != nil && w.history != nil {
		_ = w.history.Append(es...)
	}
}

// RecordDeleted logs reports deleted by source.
func (w *Writer) RecordDeleted(source string, reports []search.Report) {
	var es []history.Entry
	for _, r := range reports {
		es = append(es, history.Entry{Action: history.Deleted, Source: source, ID: r.ID, Title: r.Title, Path: r.Path})
	}
	w.appendHistory(es...)
}
