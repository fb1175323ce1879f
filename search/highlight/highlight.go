// Package highlight marks query terms in paragraph text.
//
// It works on the stored text itself rather than on index offsets: every
// occurrence of every term is found by substring search over the folded
// characters (the same folding as matching), so what is marked is exactly
// what matched. bleve's highlighter is not used: it mis-marks overlapping
// and cross-word occurrences.
package highlight

import (
	"sort"
	"strings"

	"reportsearch/search/analysis"
)

// SnippetChars is the length in characters above which a paragraph is
// shown as a snippet around its first match.
const SnippetChars = 160

// snippetLead is how many characters before the first match a snippet shows.
const snippetLead = 30

// span is a half-open range of character indices.
type span struct{ start, end int }

// Spans returns the character ranges of all occurrences of terms in text,
// sorted; overlapping occurrences are merged into one range, adjacent ones
// stay separate.
// Text runes are folded as they are compared (Fold is a table lookup).
func spans(runes []rune, terms []string) []span {
	var all []span
	for _, t := range terms {
		tr := analysis.FoldRunes(t)
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(runes); i++ {
			if equalAt(runes, i, tr) {
				all = append(all, span{i, i + len(tr)})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end > all[j].end
	})
	var merged []span
	for _, s := range all {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func equalAt(hay []rune, i int, needle []rune) bool {
	for j, r := range needle {
		if analysis.Fold(hay[i+j]) != r {
			return false
		}
	}
	return true
}

// Result is a highlighted paragraph.
type Result struct {
	// HTML is the whole text, HTML-escaped, with every occurrence wrapped
	// in <mark>…</mark>.
	HTML string
	// Snippet is HTML for a window around the first occurrence when the
	// text is long ("…" marks the cuts), else equal to HTML. Marks are
	// never cut.
	Snippet string
	// Count is the number of marked ranges.
	Count int
}

// Highlight marks terms in text.
func Highlight(text string, terms []string) Result {
	return highlight(text, terms, true)
}

// Snippet returns Highlight(text, terms).Snippet without rendering the
// whole text, which a page of search hits does not show.
func Snippet(text string, terms []string) string {
	return highlight(text, terms, false).Snippet
}

func highlight(text string, terms []string, whole bool) Result {
	runes := []rune(text)
	sp := spans(runes, terms)
	res := Result{Count: len(sp)}
	if whole || len(runes) <= SnippetChars {
		res.HTML = render(runes, sp, 0, len(runes))
		res.Snippet = res.HTML
	}
	if len(runes) <= SnippetChars {
		return res
	}
	start := 0
	if len(sp) > 0 {
		start = max(0, sp[0].start-snippetLead)
	}
	end := min(len(runes), start+SnippetChars)
	if end-start < SnippetChars {
		start = max(0, end-SnippetChars)
	}
	// Do not cut a mark.
	for _, s := range sp {
		if s.start < start && s.end > start {
			start = s.start
		}
		if s.start < end && s.end > end {
			end = s.end
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	b.WriteString(render(runes, sp, start, end))
	if end < len(runes) {
		b.WriteString("…")
	}
	res.Snippet = b.String()
	return res
}

// render escapes runes[from:to] and wraps the spans inside it in marks.
func render(runes []rune, sp []span, from, to int) string {
	var b strings.Builder
	b.Grow(3*(to-from) + 13*len(sp))
	pos := from
	for _, s := range sp {
		if s.end <= from || s.start >= to {
			continue
		}
		escape(&b, runes[pos:s.start])
		b.WriteString("<mark>")
		escape(&b, runes[s.start:s.end])
		b.WriteString("</mark>")
		pos = s.end
	}
	escape(&b, runes[pos:to])
	return b.String()
}

// escape writes runes HTML-escaped as html.EscapeString does.
func escape(b *strings.Builder, runes []rune) {
	for _, r := range runes {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '"':
			b.WriteString("&#34;")
		default:
			b.WriteRune(r)
		}
	}
}
