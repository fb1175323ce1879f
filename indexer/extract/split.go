package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitParagraph cuts text into pieces of at most maxChars characters, so
// that an over-long paragraph (a 10 MB page on one line, a table flattened
// into one cell) becomes paragraphs a reader and the index can handle
// instead of a skipped file. Each cut is made, in this order of
// preference, after the last sentence end in the window (。！？；!?; or ". ",
// with closing quotes and brackets that follow it) unless that leaves less
// than a quarter of it, after the last comma, colon or space in its second
// half, or at maxChars characters. Spaces
// at the start of a piece are dropped, and so are pieces that are only
// white space. Text of at most maxChars characters is returned as is, as
// the only piece. The work is linear in the length of text.
func SplitParagraph(text string, maxChars int) []string {
	if maxChars <= 0 || len(text) <= maxChars || utf8.RuneCountInString(text) <= maxChars {
		return []string{text}
	}
	var pieces []string
	add := func(p string) {
		p = strings.TrimLeft(p, " ")
		if strings.TrimFunc(p, unicode.IsSpace) != "" {
			pieces = append(pieces, p)
		}
	}
	for {
		cut, rest := splitWindow(text, maxChars)
		if rest == "" {
			add(text)
			return pieces
		}
		add(cut)
		text = rest
	}
}

// splitWindow returns the first piece of text and the rest ("" when text
// has at most maxChars characters).
func splitWindow(text string, maxChars int) (piece, rest string) {
	// Byte offsets after the last sentence end and soft break seen, and
	// the number of characters before them.
	sentence, sentenceN, soft, softN := 0, 0, 0, 0
	n := 0 // characters seen
	var prev rune
	for i, r := range text {
		if n == maxChars {
			cut := i
			switch {
			case sentenceN >= maxChars/4:
				cut = sentence
			case softN >= maxChars/2:
				cut = soft
			}
			return text[:cut], text[cut:]
		}
		n++
		end := i + utf8.RuneLen(r)
		switch {
		case isSentenceEnd(r), r == ' ' && prev == '.':
			sentence, sentenceN = end, n
		case isCloser(r) && sentence == i:
			sentence, sentenceN = end, n // 。” stays together
		case isSoftBreak(r):
			soft, softN = end, n
		}
		prev = r
	}
	return text, ""
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '｡':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '"', '\'', '》', '】':
		return true
	}
	return false
}

func isSoftBreak(r rune) bool {
	switch r {
	case '，', '、', ',', '：', ':', ' ', '\t', '\u3000':
		return true
	}
	return false
}
