package indexer

import (
	"fmt"

	"reportsearch/indexer/extract"
	"reportsearch/search"
)

// limitParagraphs applies the paragraph limits to a report after cleaning.
// The extractor keeps every line under MaxParagraphChars, but cleaning
// joins lines (a wrapped line is continued by the next), so a paragraph
// may grow past it again: it is split the same way (extract.SplitParagraph),
// its pieces keeping its section, only the first its heading flag. More
// than MaxParagraphs paragraphs is an error naming the limit. Paragraphs
// are renumbered from 1 when one was split.
func limitParagraphs(paras []search.Paragraph, lim extract.Limits) ([]search.Paragraph, error) {
	long := false
	for _, p := range paras {
		if len(p.Text) > lim.MaxParagraphChars { // bytes: a bound on characters
			long = true
			break
		}
	}
	if long {
		out := make([]search.Paragraph, 0, len(paras)+16)
		for _, p := range paras {
			for i, piece := range extract.SplitParagraph(p.Text, lim.MaxParagraphChars) {
				q := p
				q.Text, q.Heading, q.N = piece, p.Heading && i == 0, len(out)+1
				out = append(out, q)
			}
		}
		paras = out
	}
	if len(paras) > lim.MaxParagraphs {
		return nil, fmt.Errorf("more than %d paragraphs (limit MaxParagraphs)", lim.MaxParagraphs)
	}
	return paras, nil
}
