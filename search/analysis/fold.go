package analysis

import (
	"unicode"
	"unicode/utf8"
)

// Fold maps a rune to the form used for matching: full-width ASCII becomes
// half-width, the ideographic space becomes a space, letters become lower
// case, and traditional characters become simplified ones. It maps exactly
// one rune to one rune, which keeps character positions identical between
// the displayed text and the matching text.
func Fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if s, ok := t2s[r]; ok {
		return s
	}
	if l := unicode.ToLower(r); utf8.RuneLen(l) > 0 {
		return l
	}
	return r
}

// FoldString applies Fold to every rune of s.
func FoldString(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = utf8.AppendRune(out, Fold(r))
	}
	return string(out)
}

// FoldRunes returns the folded runes of s; index i of the result is the
// i-th character of s.
func FoldRunes(s string) []rune {
	out := make([]rune, 0, len(s)/2)
	for _, r := range s {
		out = append(out, Fold(r))
	}
	return out
}

// t2s maps traditional characters to simplified ones. It is empty until the
// traditional-script table is added; Fold already consults it so that the
// table can be filled without touching callers.
var t2s = map[rune]rune{}
