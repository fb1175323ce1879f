// Package analysis holds the Chinese text analysis shared by indexing and
// searching: one normalisation (Fold) and one gse segmenter per process.
// It knows nothing of bleve: package bleveindex registers the word analyzer
// ("reportsearch/zh_word") that emits Tokens, next to its mapping.
//
// Tokens are the gse accurate-mode words of the folded text; the index
// keeps them for word-level relevance, and Words gives the same words for a
// query term. Exact matching does not depend on the
// dictionary: package grams indexes every pair of adjacent folded
// characters, so no segmentation can make a query miss.
//
// Fold maps one rune to one rune, so a character's index is the same in the
// original and the folded text and byte offsets into the original text stay
// exact.
package analysis
