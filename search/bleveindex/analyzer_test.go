package bleveindex

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	rsanalysis "reportsearch/search/analysis"
)

// tok renders a token as term@position[start:end].
func tok(t *analysis.Token) string {
	return fmt.Sprintf("%s@%d[%d:%d]", t.Term, t.Position, t.Start, t.End)
}

func render(ts analysis.TokenStream) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = tok(t)
	}
	return strings.Join(parts, " ")
}

func TestAnalyzers(t *testing.T) {
	tests := []struct {
		name     string
		analyzer analysis.Analyzer
		in       string
		want     string
	}{
		{"word/theme", wordAnalyzer{}, "推进网格化治理", "推进@1[0:6] 网格@2[6:12] 化@3[12:15] 治理@4[15:21]"},
		{"word/mixed, punctuation dropped, positions consecutive", wordAnalyzer{}, "５Ｇ基站，达到55GWh。",
			"5g@1[0:6] 基站@2[6:12] 达到@3[15:21] 55gwh@4[21:26]"},
		{"word/district", wordAnalyzer{}, "芝罘区政协2022年", "芝罘区@1[0:9] 政协@2[9:15] 2022@3[15:19] 年@4[19:22]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(tt.analyzer.Analyze([]byte(tt.in))); got != tt.want {
				t.Errorf("Analyze(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

// Offsets must always slice the original text at rune boundaries, and the
// sliced text must fold to the term.
func TestOffsetsSliceOriginal(t *testing.T) {
	in := "２０２２年，芝罘区ＧＤＰ增长5.5%\u200b；“十四五”开局"
	prev := 0
	for _, tk := range (wordAnalyzer{}).Analyze([]byte(in)) {
		if tk.Position != prev+1 {
			t.Errorf("word positions not consecutive at %s", tok(tk))
		}
		prev = tk.Position
		if got := rsanalysis.FoldString(in[tk.Start:tk.End]); got != string(tk.Term) {
			t.Errorf("word %s: text[%d:%d] folds to %q", tok(tk), tk.Start, tk.End, got)
		}
	}
}
