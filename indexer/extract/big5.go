package extract

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// This file chooses between the legacy Chinese encodings, GB18030 (a
// superset of GBK and GB2312, mainland documents) and Big5 (Taiwan and Hong
// Kong; x/text's Big5 is the WHATWG one, which includes the HKSCS
// characters), for bytes that are neither UTF-8 nor marked by a BOM.
//
// Both are double-byte encodings over almost the same byte ranges, so Big5
// bytes mostly decode as GB18030 without an error, and the other way round:
// the first decoder that does not fail is not evidence. What is evidence is
// the text that comes out. Real text is mostly made of common characters
// (the 3,000 commonest characters of the corpus cover more than 99 % of
// its Han text), while the wrong decoder turns the same bytes into a
// random mix of rare characters, kana and symbols. So every candidate
// decoding is scored by its plausibility, the share of its non-ASCII
// characters that are common Han characters (in simplified or traditional
// form) or common CJK punctuation, and the most plausible clean one wins.

// EncodingBig5 is reported in Document.Encoding for Big5 (and Big5-HKSCS)
// text.
const EncodingBig5 = "big5"

// commonHan holds the commonest Han characters of the shared corpus
// (folded to simplified) and their traditional forms, in order of
// frequency; see TestCommonHanTable for how it is made.
//
//go:embed commonhan.txt
var commonHanText string

// commonPunct is the CJK punctuation of running text.
const commonPunct = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·－％　～"

var commonHan = func() map[rune]bool {
	m := make(map[rune]bool, 5000)
	for _, r := range commonHanText {
		if unicode.Is(unicode.Han, r) {
			m[r] = true
		}
	}
	for _, r := range commonPunct {
		m[r] = true
	}
	return m
}()

// legacyCandidates are tried in this order; on equal plausibility the
// first wins (GB18030, the far more frequent one in report folders).
var legacyCandidates = []struct {
	name string
	enc  encoding.Encoding
}{
	{EncodingGB18030, simplifiedchinese.GB18030},
	{EncodingBig5, traditionalchinese.Big5},
}

// minPlausible is the plausibility below which a declared encoding is
// doubted (measured on corpus reports: the right decoding scores 0.997 or
// more, the other encoding's reading of the same bytes 0.14–0.29).
const minPlausible = 0.7

// plausibility returns the share of the non-ASCII, non-space characters of
// s that are common Han characters or CJK punctuation, and how many such
// characters there are.
func plausibility(s string) (score float64, n int) {
	common := 0
	for _, r := range s {
		if r < utf8.RuneSelf || unicode.IsSpace(r) {
			continue
		}
		n++
		if commonHan[r] {
			common++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(common) / float64(n), n
}

// clean reports whether a decoding has (nearly) no invalid sequences and
// control characters: a single invalid sequence in a thousand characters is
// tolerated (a character cut at the end of a file).
func (q textQuality) clean() bool {
	return q.invalid*1000 <= q.total && q.controls*100 <= q.total
}

// decodeLegacy decodes data, which is not valid UTF-8, as the most
// plausible of the legacy Chinese encodings whose decoding is clean; ok is
// false when none is.
func decodeLegacy(data []byte) (text, enc string, ok bool) {
	best := -1.0
	for _, c := range legacyCandidates {
		t := decodeWith(c.enc, data)
		if !measure(t).clean() {
			continue
		}
		score, _ := plausibility(t)
		if score > best {
			text, enc, best, ok = t, c.name, score, true
		}
	}
	return text, enc, ok
}

// decodeDeclared decodes data in the charset an HTML page declares, when it
// is one of the Chinese legacy encodings, and keeps the result only if it
// is clean and plausible (or has too few characters to judge); ok is false
// otherwise, and the caller then sniffs as for plain text.
func decodeDeclared(data []byte, label string) (text, enc string, ok bool) {
	var e encoding.Encoding
	switch {
	case isGBLabel(label):
		e, enc = simplifiedchinese.GB18030, EncodingGB18030
	case isBig5Label(label):
		e, enc = traditionalchinese.Big5, EncodingBig5
	default:
		return "", "", false
	}
	text = decodeWith(e, data)
	if !measure(text).clean() {
		return "", "", false
	}
	if score, n := plausibility(text); n >= 20 && score < minPlausible {
		return "", "", false
	}
	return text, enc, true
}

// isBig5Label reports the charset labels of Big5 and its extensions.
func isBig5Label(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950", "ms950", "windows-950", "x-big5":
		return true
	}
	return false
}
