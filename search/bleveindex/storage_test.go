package bleveindex

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// A paragraph's text is stored in bleve only where it cannot be unfolded
// (invalid UTF-8), its unfold patch only where folding changes it, yet
// every paragraph reads back exactly as it was given (text, section,
// heading), before and after its grams segment is merged with others.
func TestTextStoredOnceReadsBackExactly(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	paras := []search.Paragraph{
		{N: 1, Text: "二〇二四年政府工作报告", Heading: true},
		{N: 2, Text: "推進高質量發展，經濟運行總體平穩。", Section: "一、过去一年的工作"},
		{N: 3, Text: "ＧＤＰ增长５．２％，就业稳定。", Section: "一、过去一年的工作"},
		{N: 4, Text: "全面推进乡村振兴。", Section: ""},
		{N: 5, Text: "损坏的\xff字节", Section: "二"},
	}
	changed := 0
	for _, p := range paras {
		if analysis.FoldString(p.Text) != p.Text {
			changed++
		}
	}
	if changed == 0 || changed == len(paras) {
		t.Fatalf("%d of %d paragraphs change when folded: the test needs both kinds", changed, len(paras))
	}
	put := func(id string) {
		t.Helper()
		if err := ix.Put(search.ReportData{Report: search.Report{ID: id, Title: id, Path: id + ".txt"}, Paragraphs: paras}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(id, label string) {
		t.Helper()
		got, err := ix.Paragraphs(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, paras) {
			t.Fatalf("%s: read back %+v, want %+v", label, got, paras)
		}
		s := ix.acquire()
		defer s.release()
		for _, p := range paras {
			doc, err := s.bleve.Document(paragraphID(id, p.N))
			if err != nil || doc == nil {
				t.Fatalf("%s: paragraph %d: %v %v", label, p.N, doc, err)
			}
			text, patch := false, false
			doc.VisitFields(func(f bleveidx.Field) {
				text = text || f.Name() == fText
				patch = patch || f.Name() == fUnfold
			})
			valid := utf8.ValidString(p.Text)
			if text != !valid || patch != (valid && analysis.FoldString(p.Text) != p.Text) {
				t.Errorf("%s: paragraph %d %q: text stored %v, patch stored %v", label, p.N, p.Text, text, patch)
			}
		}
	}
	put("a")
	check("a", "one segment")
	for _, id := range []string{"b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		put(id)
	}
	if g := ix.SegmentStats()[1]; g.Merges == 0 {
		t.Fatalf("no grams merge after %d puts: %+v", mergeFactor+1, g)
	}
	check("a", "merged")
	check("k", "merged")
	if _, err := ix.Paragraphs(context.Background(), "nope"); err == nil {
		t.Error("no error for an unknown report")
	}
	s := ix.acquire()
	defer s.release()
	for _, id := range []string{"a-0", "a-6", "a", "nope-1", "a-x"} {
		if f, err := s.stored(id); f != nil || err != nil {
			t.Errorf("stored(%q) = %+v, %v; want nothing", id, f, err)
		}
	}
}

// The size an analysed field reports to bleve's memory statistics stays
// within a factor of two of bleve's own measure, over the corpus.
func TestAnalysedSizeEstimatesBleveSize(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var est, real int
	n := 0
	for _, lines := range lcCorpus(t)[:20] {
		for _, line := range lines {
			doc := document.NewDocument("x")
			if err := ix.idx.Mapping().MapDocument(doc, map[string]interface{}{fWordSource: line}); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Fields {
				if tf, ok := f.(*document.TextField); ok && f.Options().IsIndexed() {
					tf.Analyze()
					est += analysedSize(tf)
					real += tf.Size()
					n++
				}
			}
		}
	}
	if n < 500 || est > 2*real || 2*est < real {
		t.Fatalf("%d fields: estimated %d bytes, bleve counts %d", n, est, real)
	}
	t.Logf("%d fields: estimated %d bytes, bleve counts %d", n, est, real)
}
