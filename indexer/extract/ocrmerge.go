package extract

import (
	"unicode"
	"unicode/utf8"
)

// A scanned page is read twice, by two models of one rendering
// (OCRModelEnv) or by one model of renderings at two resolutions, and the
// two readings are merged character by character: where they differ in a
// character (the same number of characters between two stretches on which
// they agree), the reading whose word tesseract is more confident of wins.
// Misreads of one model or resolution (增 read as 境 after a comma) are
// often read right by the other, and tesseract's confidence tells which
// one is; the layout (word boxes) is the first reading's. Measured on
// scans of four reports in docs/formats.md (per-character confidences,
// from hOCR, chose no better than the word's there). Without a second
// reading, or for a page too large to align (ocrMergeCells), the first
// reading stands.

// ocrMergeCells bounds the alignment's table (characters of one reading
// times those of the other): a dense page has about 1,500 characters.
const ocrMergeCells = 16 << 20

// ocrChar is a character of an OCR reading: its rune, the confidence of
// its word, and the word it is in.
type ocrChar struct {
	r    rune
	conf float64
	word int
}

func ocrChars(p pdfPage, confs []float64) []ocrChar {
	var cs []ocrChar
	for i, w := range p.words {
		for _, r := range w.text {
			cs = append(cs, ocrChar{r: r, conf: confs[i], word: i})
		}
	}
	return cs
}

// mendable reports whether a character of the first reading may be
// replaced by the second's, or be the replacement: letters (Han) and
// digits only. Punctuation stays the first reading's: Debian's model
// prints Chinese punctuation (，”；), tessdata 4.0.0's ASCII (, “ ;) and
// 6 for %, often more confidently.
func mendable(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mergeOCR mends the first reading (page p, confidences confs per word)
// with the second (q, qconfs) and returns it.
func mergeOCR(p pdfPage, confs []float64, q pdfPage, qconfs []float64) pdfPage {
	a, b := ocrChars(p, confs), ocrChars(q, qconfs)
	n, m := len(a), len(b)
	if n == 0 || m == 0 || n*m > ocrMergeCells {
		return p
	}
	// lcs[i*(m+1)+j]: the longest common subsequence of a[i:] and b[j:].
	lcs := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			k := i*(m+1) + j
			switch {
			case a[i].r == b[j].r:
				lcs[k] = lcs[k+m+2] + 1
			case lcs[k+m+1] >= lcs[k+1]:
				lcs[k] = lcs[k+m+1]
			default:
				lcs[k] = lcs[k+1]
			}
		}
	}
	// Walk the matches; between two, a stretch of as many characters on
	// both sides is taken as substitutions.
	repl := map[int]rune{} // index in a → rune from b
	i, j := 0, 0
	si, sj := 0, 0 // start of the current unmatched stretch
	flush := func() {
		if i-si == j-sj {
			for k := 0; k < i-si; k++ {
				if b[sj+k].conf > a[si+k].conf && mendable(a[si+k].r) && mendable(b[sj+k].r) {
					repl[si+k] = b[sj+k].r
				}
			}
		}
	}
	for i < n && j < m {
		k := i*(m+1) + j
		switch {
		case a[i].r == b[j].r:
			flush()
			i, j = i+1, j+1
			si, sj = i, j
		case lcs[k+m+1] >= lcs[k+1]:
			i++
		default:
			j++
		}
	}
	i, j = n, m
	flush()
	if len(repl) == 0 {
		return p
	}
	words := append([]pdfWord(nil), p.words...)
	texts := make([][]byte, len(words))
	for k, c := range a {
		r, ok := repl[k]
		if texts[c.word] == nil {
			texts[c.word] = []byte{}
		}
		if !ok {
			r = c.r
		}
		texts[c.word] = utf8.AppendRune(texts[c.word], r)
	}
	for w, t := range texts {
		if t != nil {
			words[w].text = string(t)
		}
	}
	p.words = words
	return p
}
