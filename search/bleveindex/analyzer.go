package bleveindex

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	rsanalysis "reportsearch/search/analysis"
)

// WordAnalyzer is the name under which the word analyzer is registered
// with bleve, next to the mapping that refers to it (registering it here
// keeps bleve out of package analysis, which the web layer uses); changing
// what it emits requires bumping the mapping version.
const WordAnalyzer = "reportsearch/zh_word"

func init() {
	registry.RegisterAnalyzer(WordAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return wordAnalyzer{}, nil // analysis' current dictionary
	})
}

// wordAnalyzer emits the words of analysis.Tokens as bleve tokens, with
// the process's current dictionary. It is what the mapping names for the
// word field, so that bleve can open the index and analyse the field
// should it ever need to; the index's own writes analyse the field in
// advance from the folded text, with the index's dictionary, to the same
// terms (analyseWords, held to bleve's analysis with this analyzer by
// TestAnalyseWordsEqualsBleveAnalysis).
type wordAnalyzer struct{}

func (wordAnalyzer) Analyze(text []byte) analysis.TokenStream {
	d := rsanalysis.Current()
	toks, err := d.Tokens(text)
	if err != nil {
		// The analyzer interface has no error; the dictionary failure is
		// reported where the index is opened (see analysis.Segmenter).
		return nil
	}
	// One allocation for the tokens instead of one each: a paragraph has
	// about a hundred, and they live and die together.
	out := make(analysis.TokenStream, len(toks))
	buf := make([]analysis.Token, len(toks))
	for i, t := range toks {
		buf[i] = analysis.Token{Term: t.Term, Start: t.Start, End: t.End, Position: t.Position, Type: analysis.Ideographic}
		out[i] = &buf[i]
	}
	return out
}
