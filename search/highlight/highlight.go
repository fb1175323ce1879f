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
// shown as a snippet around its first match (and the length of that
// snippet; see MaxFragments for several).
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
	// text is long ("…" marks the cuts), or several windows when one does
	// not show every term (see MaxFragments), else equal to HTML. Marks
	// are never cut.
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
	wins := fragments(runes, sp, terms)
	var b strings.Builder
	if wins[0].start > 0 {
		b.WriteString("…")
	}
	for i, w := range wins {
		if i > 0 {
			b.WriteString("…")
		}
		b.WriteString(render(runes, sp, w.start, w.end))
	}
	if wins[len(wins)-1].end < len(runes) {
		b.WriteString("…")
	}
	res.Snippet = b.String()
	return res
}

// Fragments. A long paragraph is shown as one window of SnippetChars
// around its first match when that window holds an occurrence of every
// term that occurs in the paragraph; otherwise as up to MaxFragments
// windows, in text order and joined by "…", sharing FragmentsChars (like
// Elasticsearch's number_of_fragments with a fragment_size): the fewest
// windows that show every term, each around the first occurrence of a
// term that the earlier windows do not show. Marks are never cut, and
// windows that touch are merged.
const (
	MaxFragments   = 3
	FragmentsChars = 210
)

// fragments returns the windows of a long text's snippet.
func fragments(runes []rune, sp []span, terms []string) []span {
	occ := occurrences(runes, terms)
	var best []span
	bestShown := -1
	for k := 1; k <= MaxFragments; k++ {
		size, lead := SnippetChars, snippetLead
		if k > 1 {
			size = FragmentsChars / k
			lead = size / 4
		}
		var wins []span
		for _, o := range occ {
			if shown(wins, o) {
				continue
			}
			if len(wins) == k {
				break
			}
			wins = append(wins, window(len(runes), sp, o[0], size, lead))
		}
		if len(wins) == 0 {
			// No match: the start of the text.
			wins = append(wins, window(len(runes), sp, span{0, 0}, size, 0))
		}
		wins = mergeWindows(wins)
		n := 0
		for _, o := range occ {
			if shown(wins, o) {
				n++
			}
		}
		if n > bestShown {
			best, bestShown = wins, n
		}
		if n == len(occ) {
			break
		}
	}
	return best
}

// occurrences lists, for each term that occurs in the text, its
// occurrences in order; terms are ordered by their first occurrence.
func occurrences(runes []rune, terms []string) [][]span {
	var out [][]span
	seen := map[string]bool{}
	for _, t := range terms {
		tr := analysis.FoldRunes(t)
		if len(tr) == 0 || seen[string(tr)] {
			continue
		}
		seen[string(tr)] = true
		var os []span
		for i := 0; i+len(tr) <= len(runes); i++ {
			if equalAt(runes, i, tr) {
				os = append(os, span{i, i + len(tr)})
			}
		}
		if len(os) > 0 {
			out = append(out, os)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i][0].start < out[j][0].start })
	return out
}

// shown reports whether one of a term's occurrences lies within a window.
func shown(wins []span, occ []span) bool {
	for _, w := range wins {
		for _, o := range occ {
			if o.start >= w.start && o.end <= w.end {
				return true
			}
		}
	}
	return false
}

// window is the window of size characters of a text of n characters that
// starts lead characters before o (moved back when it would pass the
// end), widened so that it cuts no mark.
func window(n int, sp []span, o span, size, lead int) span {
	start := max(0, o.start-lead)
	end := min(n, start+size)
	if end-start < size {
		start = max(0, end-size)
	}
	for _, s := range sp {
		if s.start < start && s.end > start {
			start = s.start
		}
		if s.start < end && s.end > end {
			end = s.end
		}
	}
	return span{start, end}
}

// mergeWindows sorts windows and merges those that overlap or touch.
func mergeWindows(wins []span) []span {
	sort.Slice(wins, func(i, j int) bool { return wins[i].start < wins[j].start })
	out := wins[:1]
	for _, w := range wins[1:] {
		if last := &out[len(out)-1]; w.start <= last.end {
			last.end = max(last.end, w.end)
			continue
		}
		out = append(out, w)
	}
	return out
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
