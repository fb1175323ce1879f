package bleveindex

import (
	"encoding/binary"
	"unicode/utf8"

	"reportsearch/search/analysis"
)

// A paragraph's displayed text is its folded text (which the grams
// segment holds) with the characters folding changed put back. Folding maps
// one character to one character, and in report text it changes a few of
// them per paragraph (full-width punctuation, traditional characters), so
// bleve stores those few — an "unfold" patch — instead of a second copy of
// the text.
//
// A patch is a sequence of entries, one per changed character in order:
// uvarint(the folded byte offset of the character, counted from the end
// of the previous changed character), uvarint(the original character).

// unfoldPatch returns the patch that turns folded, the folding of text,
// back into text, and false when there is none (text that is not valid
// UTF-8, whose invalid bytes fold to U+FFFD): then the text is stored.
func unfoldPatch(text, folded string) ([]byte, bool) {
	if !utf8.ValidString(text) {
		return nil, false
	}
	var patch []byte
	at, last := 0, 0
	for _, r := range text {
		f := analysis.Fold(r)
		if f != r {
			patch = binary.AppendUvarint(patch, uint64(at-last))
			patch = binary.AppendUvarint(patch, uint64(r))
			last = at + utf8.RuneLen(f)
		}
		at += utf8.RuneLen(f)
	}
	if at != len(folded) {
		return nil, false
	}
	return patch, true
}

// unfold applies a patch to folded text; ok is false for a patch that
// does not fit the text (a damaged index).
func unfold(folded, patch []byte) (string, bool) {
	if len(patch) == 0 {
		return string(folded), true
	}
	out := make([]byte, 0, len(folded)+len(patch))
	pos := 0 // folded[:pos] is done
	for len(patch) > 0 {
		gap, n := binary.Uvarint(patch)
		if n <= 0 || gap >= uint64(len(folded)-pos) {
			return "", false
		}
		r, m := binary.Uvarint(patch[n:])
		if m <= 0 || r > utf8.MaxRune {
			return "", false
		}
		patch = patch[n+m:]
		at := pos + int(gap)
		_, size := utf8.DecodeRune(folded[at:])
		out = append(out, folded[pos:at]...)
		out = utf8.AppendRune(out, rune(r))
		pos = at + size
	}
	return string(append(out, folded[pos:]...)), true
}
