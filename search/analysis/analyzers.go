package analysis

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analyzers are registered with bleve. The index
// mapping refers to them; changing what an analyzer emits requires bumping
// the mapping version of the index package.
const (
	WordAnalyzer   = "reportsearch/zh_word"
	BigramAnalyzer = "reportsearch/zh_bigram"
	CharAnalyzer   = "reportsearch/zh_char"
)

func init() {
	registry.RegisterAnalyzer(WordAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return wordAnalyzer{}, nil
	})
	registry.RegisterAnalyzer(BigramAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return bigramAnalyzer{}, nil
	})
	registry.RegisterAnalyzer(CharAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return charAnalyzer{}, nil
	})
}

// bigramAnalyzer emits every pair of adjacent folded characters. The pair
// starting at character i has position i+1 and the byte span of both
// characters in the original text. Every character counts, punctuation and
// spaces included, so that phrase matching equals substring matching.
type bigramAnalyzer struct{}

func (bigramAnalyzer) Analyze(text []byte) analysis.TokenStream {
	n := utf8.RuneCount(text)
	if n < 2 {
		return nil
	}
	out := make(analysis.TokenStream, 0, n-1)
	// One backing array for all terms: each term is at most 8 bytes.
	buf := make([]byte, 0, 8*(n-1))
	prevStart, prevRune := -1, rune(0)
	pos := 0
	for i, r := range string(text) {
		f := Fold(r)
		if prevStart >= 0 {
			pos++
			start := len(buf)
			buf = utf8.AppendRune(buf, prevRune)
			buf = utf8.AppendRune(buf, f)
			out = append(out, &analysis.Token{
				Term:     buf[start:len(buf):len(buf)],
				Start:    prevStart,
				End:      i + runeLenAt(text, i),
				Position: pos,
				Type:     analysis.Ideographic,
			})
		}
		prevStart, prevRune = i, f
	}
	return out
}

// charAnalyzer emits every folded character at position i+1.
type charAnalyzer struct{}

func (charAnalyzer) Analyze(text []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(text)/2)
	buf := make([]byte, 0, len(text))
	pos := 0
	for i, r := range string(text) {
		pos++
		start := len(buf)
		buf = utf8.AppendRune(buf, Fold(r))
		out = append(out, &analysis.Token{
			Term:     buf[start:len(buf):len(buf)],
			Start:    i,
			End:      i + runeLenAt(text, i),
			Position: pos,
			Type:     analysis.Ideographic,
		})
	}
	return out
}

// wordAnalyzer segments the folded text with gse (accurate mode) and keeps
// the words that contain a letter or digit, at consecutive 1-based positions
// with byte offsets into the original text.
type wordAnalyzer struct{}

func (wordAnalyzer) Analyze(text []byte) analysis.TokenStream {
	toks, err := wordTokens(text)
	if err != nil {
		// The analyzer interface has no error; the dictionary failure is
		// reported where the index is opened (see Segmenter).
		return nil
	}
	return toks
}

func wordTokens(text []byte) (analysis.TokenStream, error) {
	sg, err := Segmenter()
	if err != nil {
		return nil, err
	}
	// Fold into a new buffer and remember, for each folded byte offset at a
	// rune start, the original byte offset.
	folded := make([]byte, 0, len(text))
	orig := make([]int, 0, len(text)+1)
	for i, r := range string(text) {
		start := len(folded)
		folded = utf8.AppendRune(folded, Fold(r))
		for range len(folded) - start {
			orig = append(orig, i)
		}
	}
	orig = append(orig, len(text))

	segs := sg.Segment(folded)
	out := make(analysis.TokenStream, 0, len(segs))
	pos := 0
	for _, s := range segs {
		term := folded[s.Start():s.End()]
		if !hasWordRune(term) {
			continue
		}
		pos++
		out = append(out, &analysis.Token{
			Term:     term,
			Start:    orig[s.Start()],
			End:      orig[s.End()],
			Position: pos,
			Type:     analysis.Ideographic,
		})
	}
	return out, nil
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

// runeLenAt is the byte length of the rune starting at text[i] (1 for an
// invalid byte, as range loops count it).
func runeLenAt(text []byte, i int) int {
	_, size := utf8.DecodeRune(text[i:])
	return size
}
