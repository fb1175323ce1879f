// Package analysis holds the Chinese text analysis shared by indexing and
// searching: one normalisation, one gse segmenter per process, and three
// analyzers registered with bleve under namespaced names.
//
// Any process that opens a reportsearch index must import this package (the
// bleve index mapping stores analyzer names only; without the registration
// bleve refuses to open the index).
//
// The analyzers:
//
//   - WordAnalyzer ("reportsearch/zh_word"): gse accurate-mode words, used for
//     ranking. Depends on the dictionary.
//   - BigramAnalyzer ("reportsearch/zh_bigram"): every pair of adjacent
//     characters at consecutive positions. A query of n ≥ 2 characters is the
//     phrase of its n-1 pairs, which matches exactly the paragraphs that
//     contain it as a substring: no dictionary can make it miss.
//   - CharAnalyzer ("reportsearch/zh_char"): every single character, for
//     one-character queries.
//
// All three see the text through Fold, which maps one rune to one rune, so a
// character's index is the same in the original and the folded text and byte
// offsets into the original text stay exact.
package analysis
