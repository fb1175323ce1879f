package extract

import (
	"math/rand"
	"strings"
	"testing"
)

// ocrTestPage makes a page of one word per string, with the confidences.
func ocrTestPage(words []string) pdfPage {
	var p pdfPage
	for i, w := range words {
		p.words = append(p.words, pdfWord{x0: float64(20 * i), y0: 10, x1: float64(20*i + 18), y1: 28, text: w})
	}
	return p
}

func wordsText(p pdfPage) string {
	var b strings.Builder
	for _, w := range p.words {
		b.WriteString(w.text + "|")
	}
	return b.String()
}

// Merging two readings against a brute-force oracle, over random readings
// made from one text by substitutions, insertions and deletions: the merge
// keeps the first reading's words and boxes and changes only characters
// the second reading has in the same place (the characters around them
// agree) with a higher confidence; a reading merged with itself, or with a
// less confident one, is unchanged.
func TestMergeOCR(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	// Distinct characters, so that where each character of a reading
	// belongs is known; 邻 is the misreading and not among them.
	han := []rune("增长境夫令发展经济社会人民政府工作报告年来我们坚持稳中求进总基调推动高质量新格局")
	for trial := range 300 {
		rnd.Shuffle(len(han), func(i, j int) { han[i], han[j] = han[j], han[i] })
		src := append([]rune(nil), han[:5+rnd.Intn(len(han)-5)]...)
		// The first reading: words of 1–3 characters, some substituted.
		var words []string
		var confs []float64
		var subA []bool // per character of src: misread in the first reading
		for i := 0; i < len(src); {
			n := min(1+rnd.Intn(3), len(src)-i)
			w := []rune(string(src[i : i+n]))
			for k := range w {
				bad := rnd.Intn(6) == 0
				if bad {
					w[k] = '邻'
				}
				subA = append(subA, bad)
			}
			words, confs = append(words, string(w)), append(confs, float64(50+rnd.Intn(50)))
			i += n
		}
		first := ocrTestPage(words)
		// The second reading: the source, on odd trials with a character
		// dropped, as one word of one confidence.
		second := append([]rune(nil), src...)
		hi := float64(rnd.Intn(120))
		if trial%2 == 1 {
			d := rnd.Intn(len(second))
			second = append(second[:d], second[d+1:]...)
		}
		sq := ocrTestPage([]string{string(second)})
		sconfs := []float64{hi}

		got := mergeOCR(first, confs, sq, sconfs)
		if same := mergeOCR(first, confs, first, confs); wordsText(same) != wordsText(first) {
			t.Fatalf("merged with itself: %s, was %s", wordsText(same), wordsText(first))
		}
		if len(got.words) != len(first.words) {
			t.Fatalf("%d words, had %d", len(got.words), len(first.words))
		}
		for i, w := range got.words {
			f := first.words[i]
			if w.x0 != f.x0 || w.y1 != f.y1 || len([]rune(w.text)) != len([]rune(f.text)) {
				t.Fatalf("word %d: %+v, was %+v", i, w, f)
			}
		}
		// Oracle: a changed character becomes the source's, only where the
		// first reading misread it and was less confident.
		a, g := ocrChars(first, confs), ocrChars(got, confs)
		changed := 0
		for k := range a {
			if a[k].r == g[k].r {
				continue
			}
			changed++
			if !subA[k] || g[k].r != src[k] || a[k].conf >= hi {
				t.Fatalf("trial %d: character %d changed %c → %c (source %c, conf %v vs %v)", trial, k, a[k].r, g[k].r, src[k], a[k].conf, hi)
			}
		}
		// Without a dropped character, every misread of a less confident
		// word is mended.
		if trial%2 == 0 {
			for k := range a {
				if subA[k] && a[k].conf < hi && g[k].r != src[k] {
					t.Fatalf("trial %d: character %d not mended (%c, source %c): %s / %s", trial, k, g[k].r, src[k], wordsText(got), string(second))
				}
			}
		}
	}
}

// Punctuation and symbols stay the first reading's, however confident the
// second (a model that prints ASCII punctuation for Chinese, 6 for %);
// letters and digits beside them are still mended.
func TestMergeOCRKeepsPunctuation(t *testing.T) {
	first := ocrTestPage([]string{"境长8%，", "“两新”"})
	second := ocrTestPage([]string{"增长8６,", "“两新“"})
	got := mergeOCR(first, []float64{40, 40}, second, []float64{90, 90})
	if want := "增长8%，|“两新”|"; wordsText(got) != want {
		t.Errorf("merged %q, want %q", wordsText(got), want)
	}
}
