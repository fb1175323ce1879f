package search

import "context"

// FoldedScanner is implemented by backends that keep every paragraph's
// folded text (analysis.Fold) where it is cheap to read: package
// workbench reads whole sets of reports through it (keywords), instead of
// loading and folding each paragraph's stored text.
type FoldedScanner interface {
	// ScanFolded calls fn for every paragraph of the reports for which
	// want returns true, from one snapshot: the report, the paragraph's
	// number and its folded text (valid only during the call). Each
	// report's paragraphs come together, in order.
	ScanFolded(ctx context.Context, want func(*Report) bool, fn func(r *Report, n int, folded []byte) error) error
}

// FoldedExporter is implemented by backends that can stream the folded
// text of the paragraphs matching a request without loading their stored
// text: package workbench's collocates read the matching paragraphs so.
type FoldedExporter interface {
	// ExportFolded calls fn for every paragraph matching req, in the
	// order of Export, with its report, number and folded text (valid
	// only during the call).
	ExportFolded(ctx context.Context, req Request, fn func(r *Report, n int, folded []byte) error) error
}
