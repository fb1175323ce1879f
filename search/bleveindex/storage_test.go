package bleveindex

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
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

// The word field analysed in advance (analyseWords) has the terms,
// frequencies and length that bleve's own analysis of the field gives
// with the registered analyzer, and the size it reports to bleve's memory
// statistics stays within a factor of two of bleve's own measure, over
// the corpus.
func TestAnalyseWordsEqualsBleveAnalysis(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var est, real int
	n := 0
	for _, lines := range lcCorpus(t)[:20] {
		for _, line := range lines {
			folded := analysis.FoldString(line)
			doc := document.NewDocument("x")
			if err := ix.idx.Mapping().MapDocument(doc, map[string]interface{}{fWordSource: folded}); err != nil {
				t.Fatal(err)
			}
			for _, f := range doc.Fields {
				tf, ok := f.(*document.TextField)
				if !ok || f.Name() != fWord {
					continue
				}
				af, err := analyseWords(tf, ix.wordDict(), folded)
				if err != nil {
					t.Fatal(err)
				}
				tf.Analyze()
				want := tf.AnalyzedTokenFrequencies()
				if af.AnalyzedLength() != tf.AnalyzedLength() || len(af.freqs) != len(want) {
					t.Fatalf("%q: %d tokens, %d terms; bleve %d, %d", line, af.AnalyzedLength(), len(af.freqs), tf.AnalyzedLength(), len(want))
				}
				for term, w := range want {
					g, ok := af.freqs[term]
					if !ok || string(g.Term) != string(w.Term) || g.Frequency() != w.Frequency() || len(g.Locations) != len(w.Locations) {
						t.Fatalf("%q: term %q: %+v, bleve %+v", line, term, g, w)
					}
				}
				est += af.Size()
				real += tf.Size()
				n++
			}
		}
	}
	if n < 500 || est > 2*real || 2*est < real {
		t.Fatalf("%d fields: estimated %d bytes, bleve counts %d", n, est, real)
	}
	t.Logf("%d fields: estimated %d bytes, bleve counts %d", n, est, real)
}

// The word field holds exactly each live paragraph's words, as
// analysis.Tokens gives them: for words drawn from the whole corpus, the
// paragraphs bleve lists for a word and its document frequency (the two
// things its readers ask, termcache.go) equal brute force over the live
// paragraphs, with replaced reports' old paragraphs and several segments
// in the index.
func TestWordFieldEqualsTokens(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	files := lcCorpus(t)
	live := map[string]string{} // paragraph id → text
	put := func(from, to, shift int) {
		t.Helper()
		var rds []search.ReportData
		for i := from; i < to && i < len(files); i++ {
			id := fmt.Sprintf("r%03d", i)
			lines := files[i][shift:]
			rd := search.ReportData{Report: search.Report{ID: id, Title: id, Path: id + ".txt"}}
			for n := range live {
				if strings.HasPrefix(n, id+"-") {
					delete(live, n)
				}
			}
			for j, l := range lines {
				rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: j + 1, Text: l})
				live[paragraphID(id, j+1)] = l
			}
			rds = append(rds, rd)
		}
		if err := ix.Put(rds...); err != nil {
			t.Fatal(err)
		}
	}
	put(0, len(files)/2, 0)
	put(len(files)/2, len(files), 0)
	put(0, 10, 5) // replaced: shorter, shifted by five lines
	if len(live) < 5000 {
		t.Fatalf("only %d paragraphs", len(live))
	}

	has := map[string]map[string]bool{} // word → paragraph ids
	for id, text := range live {
		toks, err := analysis.Tokens([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range toks {
			w := string(tk.Term)
			if has[w] == nil {
				has[w] = map[string]bool{}
			}
			has[w][id] = true
		}
	}
	words := make([]string, 0, len(has))
	for w := range has {
		words = append(words, w)
	}
	slices.Sort(words)
	s := ix.acquire()
	defer s.release()
	checked := 0
	for i := 0; i < len(words); i += 37 {
		w := words[i]
		df, err := s.wordDF(context.Background(), w)
		if err != nil {
			t.Fatal(err)
		}
		tfr, err := s.bleve.TermFieldReader(context.Background(), []byte(w), fWord, false, false, false)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				break
			}
			ext, err := s.bleve.ExternalID(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			got[ext] = true
		}
		tfr.Close()
		if df != uint64(len(has[w])) || !maps.Equal(got, has[w]) {
			t.Fatalf("word %q: document frequency %d, %d paragraphs listed; brute force %d", w, df, len(got), len(has[w]))
		}
		checked++
	}
	t.Logf("%d of %d words checked over %d paragraphs", checked, len(words), len(live))
}

// An index written with another mapping version is refused with a
// message naming both versions and what to do, and is left as it was.
func TestOtherMappingVersionIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal(versionKey, []byte("8")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), `"8"`) || !strings.Contains(err.Error(), strconv.Quote(MappingVersion)) || !strings.Contains(err.Error(), "index the reports again") {
		t.Fatalf("opening a version-8 index: %v", err)
	}
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if v, err := idx.GetInternal(versionKey); err != nil || string(v) != "8" {
		t.Fatalf("version after the refusal: %q, %v", v, err)
	}
}
