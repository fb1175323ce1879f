// Package memindex is a search backend that keeps every report in memory
// and answers by brute force: a search scans the folded text of the whole
// index for each of the query's terms (like grep over one file), lets
// query.Match — the one definition of a hit — decide each paragraph
// where one occurs, scores the hits with a plain tf-idf and sorts them;
// package search shapes the answer (facets, groups, pages) as it does for
// every backend. There is no index structure to keep in step with the
// text, only the text.
//
// What it is for:
//   - tests: it is the reference that the real index is compared with.
//     It has no n-grams, segments, merges or ranking stages, so there is
//     little in it that could be wrong in the same way as bleveindex;
//   - the contract: it passes package searchtest, the suite bleveindex
//     passes, which shows that the suite tests search.Index and
//     search.Store rather than one implementation, and it is the smallest
//     example of a backend (see docs/backends.md);
//   - tiny installs and demos: a few hundred reports, one JSON file.
//
// What it is not: fast or frugal. Every search reads all the text (about
// a millisecond per term for the 5 MB test corpus, growing with the
// corpus), every write rewrites the whole file and copies the folded text,
// and the text is held in memory three times (as written, folded per
// paragraph, and folded in one piece). Relevance is tf-idf without bleveindex's
// length priors and word-field rescoring, so the same hits come in
// another relevance order (the year sorts are the same). It takes no
// lock on its folder: one process at a time.
//
// A write builds a new snapshot (copy on write: unchanged reports are
// shared) and replaces the file atomically (a temporary file, synced,
// renamed over the old one) before the snapshot is installed, so a search
// sees one version of the index, and a crash leaves the old file or the
// new one.
package memindex
