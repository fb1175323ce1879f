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
const WordAnalyzer = "reportsearch/zh_word"

func init() {
	registry.RegisterAnalyzer(WordAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return wordAnalyzer{}, nil
	})
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
	at := func(i int) int {
		if orig == nil {
			return i
		}
		return orig[i]
	}

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
			Start:    at(s.Start()),
			End:      at(s.End()),
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
