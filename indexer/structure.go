package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"reportsearch/search"
)

// Heading ranks of numbered headings in Chinese reports, outermost first.
// A format's own heading level (docx style, h1–h6, #) is used as is.
var headingPatterns = []struct {
	re   *regexp.Regexp
	rank int
}{
	{regexp.MustCompile(`^第[一二三四五六七八九十百零〇0-9]+(?:部分|章|篇|编)`), 1},
	{regexp.MustCompile(`^[一二三四五六七八九十]{1,3}[、.．]`), 2},
	{regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[)）]`), 3},
	{regexp.MustCompile(`^[0-9]{1,2}[.．、](?:[^0-9]|$)`), 4},
	{regexp.MustCompile(`^[（(][0-9]{1,2}[)）]`), 5},
	{regexp.MustCompile(`^[①-⑳]`), 6},
}

// unnumberedRank is the rank of a heading recognised only by its shape (a
// short line without punctuation): at the level of 一、.
const unnumberedRank = 2

func numberedRank(s string) int {
	for _, p := range headingPatterns {
		if p.re.MatchString(s) {
			return p.rank
		}
	}
	return 0
}

// headingStart reports whether a line starts like a numbered heading or
// list item, which never continues the previous line.
func headingStart(s string) bool { return numberedRank(s) > 0 }

// looksLikeHeading reports a line that is a heading by its shape: short
// (4–40 characters), no sentence punctuation, not a salutation ending in
// "：", no inner spaces (name lines like 山东省省长 周乃翔), not a dash
// subtitle, and not the start of a sentence (sentenceOpening).
func looksLikeHeading(s string) bool {
	n := utf8.RuneCountInString(s)
	if n > 40 || n < 2 {
		return false
	}
	if strings.ContainsAny(s, "。；！？;!?") || endsWithAny(s, "：:，,、") || strings.HasPrefix(s, "—") {
		return false
	}
	if numberedRank(s) > 0 {
		return true
	}
	return n >= 4 && !strings.ContainsAny(s, " 　\t") && !sentenceOpening(s)
}

// A heading with commas is a series of phrases (坚持强化政治引领，在筑牢
// 思想根基中坚守政协初心; 第一，全国动员，大办农业). A date before its
// first comma (2023年，…) is a sentence's adverbial instead: the line is
// the start of a sentence broken by a line or page break.
var dateClauseRe = regexp.MustCompile(`^(?:[0-9０-９]{2,4}年(?:[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?)?|[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?)$`)

func sentenceOpening(s string) bool {
	i := strings.IndexAny(s, "，,")
	return i > 0 && dateClauseRe.MatchString(s[:i])
}

// runInTitle returns the heading that opens a body paragraph, as in
// "（一）经济增长迈出坚实步伐。抓好国家政策落实……": a numbered first
// sentence of at most 30 characters.
func runInTitle(s string) (string, int) {
	r := numberedRank(s)
	if r == 0 {
		return "", 0
	}
	end := strings.IndexAny(s, "。：:")
	if end < 0 {
		return "", 0
	}
	title := s[:end]
	if utf8.RuneCountInString(title) > 30 {
		return "", 0
	}
	return title, r
}

// sections marks headings and gives every paragraph its section path.
// Unnumbered headings before the first body paragraph are the document's
// front matter (title, subtitle) and do not open sections.
func sections(ps []para) []search.Paragraph {
	type frame struct {
		rank  int
		title string
	}
	var stack []frame
	path := func() string {
		parts := make([]string, len(stack))
		for i, f := range stack {
			parts[i] = f.title
		}
		return strings.Join(parts, " › ")
	}
	push := func(rank int, title string) {
		for len(stack) > 0 && stack[len(stack)-1].rank >= rank {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, frame{rank, title})
	}
	out := make([]search.Paragraph, 0, len(ps))
	seenBody := false
	for _, p := range ps {
		sp := search.Paragraph{N: len(out) + 1, Text: p.text}
		rank := p.level
		if rank == 0 && p.heading {
			if rank = numberedRank(p.text); rank == 0 {
				rank = unnumberedRank
			}
		}
		switch {
		case rank > 0 && !seenBody && numberedRank(p.text) == 0 && p.level <= 1:
			// Front matter: title, subtitle.
			sp.Heading = true
		case rank > 0:
			sp.Heading = true
			push(rank, p.text)
		default:
			// The body starts with a sentence, not with a subtitle or
			// a name line.
			seenBody = seenBody || endsWithAny(p.text, "。！？；") || utf8.RuneCountInString(p.text) >= 60
			if title, r := runInTitle(p.text); r > 0 {
				push(r, title)
			}
		}
		sp.Section = path()
		out = append(out, sp)
	}
	return out
}
