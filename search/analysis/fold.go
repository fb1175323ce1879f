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
	if r >= 0 && r < rune(len(foldBMP)) {
		return foldBMP[r]
	}
	return fold(r)
}

// foldBMP is fold precomputed for the Basic Multilingual Plane, where
// nearly all text is: indexing folds every character it reads.
var foldBMP = func() *[1 << 16]rune {
	var t [1 << 16]rune
	for r := range t {
		t[r] = fold(rune(r))
	}
	return &t
}()

func fold(r rune) rune {
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

// t2s maps traditional characters to simplified ones, from t2sPairs
// (generated from OpenCC, see internal/gent2s). Characters that simplified
// text uses too (乾, 著, 於) are not in it.
var t2s = func() map[rune]rune {
	m := make(map[rune]rune, 4100)
	var prev rune = -1
	for _, r := range t2sPairs {
		if prev < 0 {
			prev = r
			continue
		}
		m[prev] = r
		prev = -1
	}
	return m
}()
