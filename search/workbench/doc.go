// Package workbench answers the questions of corpus linguistics over the
// same exact index that search uses: concordances (every occurrence of a
// query's terms with its context, KWIC), collocates (words unusually
// frequent in the paragraphs a query matches) and keywords (phrases
// over-represented in one set of reports against another, 新提法).
//
// It is backend-neutral: it asks a search.Index for hits (Export), counts
// (CountByReport) and paragraphs, and decides everything else itself, so
// every count it shows is a count a search would give. Each function
// bounds its work: a request that would read more than its limit of
// paragraphs is refused with a 400 that says how to narrow it.
//
// Definitions, used by the tests' brute-force oracles:
//   - an occurrence of a term in a paragraph is a non-overlapping match of
//     the folded term in the folded text, left to right (strings.Count);
//     a concordance lists the occurrences of every positive term of the
//     query (in loose mode: of every gse word of a term) in the paragraphs
//     that match the query;
//   - a paragraph "contains" a word or phrase when its folded text
//     contains the folded word verbatim — what an exact search for it in
//     quotes finds.
package workbench
