package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
)

// trimSpace trims white space, including the ideographic space, the
// zero-width space and the byte-order mark.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u200c' || r == '\u200d' || r == '\u2060'
	})
}

// isPageNumber reports lines that are only a page number ("3", "- 3 -",
// "第3页", "3/12").
func isPageNumber(s string) bool {
	s = strings.Trim(s, " -—–·.")
	s = strings.TrimPrefix(s, "第")
	s = strings.TrimSuffix(s, "页")
	if i := strings.IndexByte(s, '/'); i > 0 {
		s = s[:i] + s[i+1:]
	}
	if s == "" || len(s) > 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// looksLikeHeading reports short lines without sentence punctuation, which
// are headings or titles rather than body text.
func looksLikeHeading(s string) bool {
	n := utf8.RuneCountInString(s)
	if n > 40 {
		return false
	}
	return !strings.ContainsAny(s, "。；！？;!?")
}

// splitParagraphs turns lines of text into paragraphs: trimmed, with empty
// lines and page numbers dropped.
func splitParagraphs(lines []string) []search.Paragraph {
	var out []search.Paragraph
	for _, l := range lines {
		l = strings.ToValidUTF8(trimSpace(l), "\uFFFD")
		if l == "" || isPageNumber(l) {
			continue
		}
		out = append(out, search.Paragraph{N: len(out) + 1, Text: l, Heading: looksLikeHeading(l)})
	}
	return out
}
