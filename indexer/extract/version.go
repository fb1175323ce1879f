package extract

// Version is the version of the extractors' rules: how the bytes of a
// file become text blocks. Every report records the Version it was read
// with (search.Report.ExtractVersion), and `reportsearch reindex
// --changed-rules` re-reads the reports built with an older one.
//
// The bump rule: add one whenever a change to this package can change
// the blocks extracted from a file that was read before (a format read
// better, an encoding decided differently, a limit changed, a bug fixed
// in a reader). A change that only refuses what was refused before, or
// only reads what could not be read at all, needs no bump: no report was
// built from such a file.
//
// Changelog:
//
//	1: the version recorded for the first time (December 2026)
//	2: PDFs laid out from pdftotext's word boxes (columns, no spaces
//	   beside Han characters), scanned pages read by OCR
const Version = 2
