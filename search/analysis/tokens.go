package analysis

import (
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Token is one gse word of a text: its folded form, its byte offsets in
// the original text and its 1-based position among the kept words.
type Token struct {
	Term       []byte
	Start, End int
	Position   int
}

// Tokens segments the folded text with gse (accurate mode) and keeps the
// words that contain a letter or digit, at consecutive 1-based positions
// with byte offsets into the original text. The word analyzer of the
// index and Words both use it, so a query term's words are the indexed ones.
func Tokens(text []byte) ([]Token, error) { return Current().Tokens(text) }

// TokensFolded is Tokens of a text that is folded already (FoldString of
// it is itself: folding is idempotent), with offsets into it: the same
// terms at the same positions, without folding it again. Indexing has
// the folded text at hand.
func (d *Dict) TokensFolded(folded []byte) ([]Token, error) {
	sg, err := d.segmenter()
	if err != nil {
		return nil, err
	}
	return segmentFolded(sg, folded, nil), nil
}

func tokensWith(sg *gse.Segmenter, text []byte) []Token {
	// Fold into a new buffer. Where a character's folded form has another
	// length (full-width letters), remember for each folded byte offset at
	// a rune start the original byte offset; usually every length is the
	// same and offsets carry over as they are.
	folded := make([]byte, 0, len(text))
	same := true
	for i, r := range string(text) {
		folded = utf8.AppendRune(folded, Fold(r))
		if len(folded) != i+utf8.RuneLen(r) || r == utf8.RuneError {
			same = false
			break
		}
	}
	var orig []int
	if !same {
		folded = folded[:0]
		orig = make([]int, 0, len(text)+1)
		for i, r := range string(text) {
			start := len(folded)
			folded = utf8.AppendRune(folded, Fold(r))
			for range len(folded) - start {
				orig = append(orig, i)
			}
		}
		orig = append(orig, len(text))
	}
	return segmentFolded(sg, folded, orig)
}

// segmentFolded is the part of tokensWith after folding: the kept words
// of the folded text, with offsets mapped through orig (nil: the same
// offsets).
func segmentFolded(sg *gse.Segmenter, folded []byte, orig []int) []Token {
	at := func(i int) int {
		if orig == nil {
			return i
		}
		return orig[i]
	}
	segs := sg.Segment(folded)
	out := make([]Token, 0, len(segs))
	pos := 0
	for _, s := range segs {
		term := folded[s.Start():s.End()]
		if !hasWordRune(term) {
			continue
		}
		pos++
		out = append(out, Token{Term: term, Start: at(s.Start()), End: at(s.End()), Position: pos})
	}
	return out
}

// hasWordRune reports whether b contains a letter or a digit (Han
// characters are letters).
func hasWordRune(b []byte) bool {
	for _, r := range string(b) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
