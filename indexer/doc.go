// Package indexer turns report files into paragraphs with metadata and
// writes them to a search.Store.
//
// The pipeline for one file: read bytes → text blocks (by format) →
// paragraphs (cleaned, with headings marked; every line left out is
// reported with the rule that dropped it) → metadata (manifest, or
// inferred from the document and its file name) → one atomic Put. A file
// that cannot be used is skipped with its reason; the rest of the batch
// goes on. A file whose content and metadata are unchanged since it was
// last indexed is skipped by hash.
package indexer
