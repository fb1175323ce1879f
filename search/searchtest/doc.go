// Package searchtest is the conformance suite of search backends. Every
// implementation of search.Index and search.Store — bleveindex, memindex,
// one over OpenSearch some day — runs TestBackend from a test of its own
// package, so that the contract is what the suite checks rather than what
// one backend happens to do (gitea's modules/indexer runs one suite
// against each of its backends the same way). docs/backends.md says how
// to add a backend.
//
// The suite compares a backend with a brute-force model of the same
// reports: a paragraph is a hit when query.Match accepts its folded text
// (the one definition of a hit) and its report passes
// search.Filter.Match. Against that model it checks exact hits and totals
// (theme words, random substrings of 1–8 characters, boolean queries,
// loose mode), filters, facets and their order, per-report counts,
// trends, the year sorts, the relevance order's scores, pages of every
// size against the export, grouping, documents, atomic replacement,
// duplicate ids in a batch, delete, many writes, and reopening. It does
// not judge ranking quality: each backend scores its own way, and the
// suite only checks that relevance is one total order whose scores never
// increase.
//
// The reports are the shared corpus (../shared/corpus, read through the
// indexer once per test binary) or, with -short, the sample reports
// embedded in the binary, so that the suite runs on a bare clone.
package searchtest
