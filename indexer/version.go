package indexer

import (
	"reportsearch/indexer/extract"
	"reportsearch/search"
)

// CleanVersion is the version of the cleaning rules (clean.go,
// furniture.go, structure.go, metadata.go): how extracted lines become
// paragraphs and metadata. Every report records the version it was
// built with (search.Report.CleanVersion), and `reportsearch reindex
// --changed-rules` re-reads the reports built with an older one.
//
// The bump rule: add one whenever a change can change the paragraphs,
// headings, sections or inferred metadata of a report built before (a
// furniture rule added or changed, a heading recognised differently, a
// metadata inference changed). Changes that cannot alter any report
// (messages, refactoring, tests) need no bump. The extractor has its own
// version (extract.Version) with the same rule.
//
// Changelog:
//
//	1: the version recorded for the first time (December 2026)
//	2: running headers, footers and page numbers of PDFs found by
//	   repetition at the page edges and dropped
const CleanVersion = 2

// Stale reports whether a report was built with older extraction or
// cleaning rules than this program's (a report built before the versions
// were recorded has 0 for both).
func Stale(r *search.Report) bool {
	return r.ExtractVersion < extract.Version || r.CleanVersion < CleanVersion
}

// ExtractVersion is extract.Version, for packages that show it.
const ExtractVersion = extract.Version
