package bleveindex

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/document"

	"reportsearch/search/analysis"
)

// BenchmarkAnalyseWords compares the word field's analysis in Prepare
// (analyseWords, from the folded text) with bleve's own analysis of the
// field through the registered analyzer, over corpus lines:
//
//	go test -run XXX -bench AnalyseWords -benchmem ./search/bleveindex/
func BenchmarkAnalyseWords(b *testing.B) {
	ix, err := Open(filepath.Join(b.TempDir(), "index"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var lines []string
	for _, f := range lcCorpus(b)[:30] {
		lines = append(lines, f...)
	}
	field := func(folded string) *document.TextField {
		doc := document.NewDocument("x")
		if err := ix.idx.Mapping().MapDocument(doc, map[string]interface{}{fWordSource: folded}); err != nil {
			b.Fatal(err)
		}
		return doc.Fields[0].(*document.TextField)
	}
	b.Run("bleve", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			field(analysis.FoldString(lines[i%len(lines)])).Analyze()
		}
	})
	b.Run("analyseWords", func(b *testing.B) {
		b.ReportAllocs()
		dict := ix.wordDict()
		for i := 0; i < b.N; i++ {
			folded := analysis.FoldString(lines[i%len(lines)])
			if _, err := analyseWords(field(folded), dict, folded); err != nil {
				b.Fatal(err)
			}
		}
	})
}
