// Package analysis holds the Chinese text analysis shared by indexing and
// searching: one normalisation (Fold), one gse segmenter per process, and
// one analyzer registered with bleve under a namespaced name.
//
// Any process that opens a reportsearch index must import this package (the
// bleve index mapping stores analyzer names only; without the registration
// bleve refuses to open the index).
//
// WordAnalyzer ("reportsearch/zh_word") emits gse accurate-mode words of the
// folded text; bleve indexes them for word-level relevance, and Words gives
// the same words for a query term. Exact matching does not depend on the
// dictionary: package grams indexes every pair of adjacent folded
// characters, so no segmentation can make a query miss.
//
// Fold maps one rune to one rune, so a character's index is the same in the
// original and the folded text and byte offsets into the original text stay
// exact.
package analysis
