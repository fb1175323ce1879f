package themes_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/themes"
	"reportsearch/search/workbench"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	os.Exit(code)
}

func TestStoreVersionsAndHistory(t *testing.T) {
	dir := t.TempDir()
	s, err := themes.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Put(themes.Theme{Name: "数字政府", Expressions: []string{"数字政府", " 一网通办 ", "", `"互联网+政务服务"`}, Notes: "政务数字化"}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 1 || len(l.Themes) != 1 || len(l.Themes[0].Expressions) != 3 {
		t.Fatalf("after put: %+v", l)
	}
	if _, err := s.Put(themes.Theme{Name: "城市", Expressions: []string{"城市更新 | 旧城改造", "老旧小区 -棚户区"}}, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete("城市", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete("城市", "bob"); err == nil {
		t.Error("deleting an unknown theme succeeded")
	}
	for _, bad := range []themes.Theme{
		{Name: "", Expressions: []string{"a"}},
		{Name: "a b", Expressions: []string{"a"}},
		{Name: "x", Expressions: nil},
		{Name: "x", Expressions: []string{`"open`}},
		{Name: "x", Expressions: []string{"theme:数字政府"}},
		{Name: "x", Expressions: []string{"-only"}},
	} {
		if _, err := s.Put(bad, "eve"); !search.IsBadRequest(err) {
			t.Errorf("Put(%+v) = %v, want a bad request", bad, err)
		}
	}
	h, err := s.History()
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Action != "delete" || h[0].Version != 3 || h[2].Author != "alice" || h[2].Version != 1 {
		t.Errorf("history: %+v", h)
	}
	// Reopened, the lexicon is the last version.
	s2, err := themes.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l := s2.Lexicon(); l.Version != 3 || len(l.Themes) != 1 || l.Themes[0].Name != "数字政府" {
		t.Errorf("reopened: %+v", l)
	}
	// CSV round trip, formula-like cells included.
	if _, err := s2.Put(themes.Theme{Name: "安全", Expressions: []string{"安全生产 -事故", "+应急"}}, "bob"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := themes.WriteCSV(&buf, s2.Lexicon()); err != nil {
		t.Fatal(err)
	}
	ts, err := themes.ReadCSV(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(ts, s2.Lexicon().Themes, func(a, b themes.Theme) bool {
		return a.Name == b.Name && slices.Equal(a.Expressions, b.Expressions) && a.Notes == b.Notes
	}) {
		t.Errorf("CSV round trip: %+v vs %+v", ts, s2.Lexicon().Themes)
	}
	s3, _ := themes.Open(t.TempDir())
	if l, err := s3.Import(ts, true, "carol"); err != nil || len(l.Themes) != 2 || l.Version != 1 {
		t.Errorf("import: %+v %v", l, err)
	}
}

// theme:X finds exactly the paragraphs any of its expressions finds (the
// OR of them, by brute force with query.Match), in search, export,
// trends and the concordance; combined with other terms and negated too.
func TestThemeEqualsTheOrOfItsExpressions(t *testing.T) {
	ix := testcorpus.Index(t)
	ctx := context.Background()
	s, err := themes.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lex := []themes.Theme{
		{Name: "数字政府", Expressions: []string{"数字政府", "一网通办", `"互联网+政务服务"`, "政务服务 数字化"}},
		{Name: "城市", Expressions: []string{"城市更新 | 旧城改造", "老旧小区 -棚户区"}},
	}
	if _, err := s.Import(lex, true, "test"); err != nil {
		t.Fatal(err)
	}
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	type para struct{ id, text string }
	var ps []para
	for _, r := range reports {
		pp, err := ix.Paragraphs(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pp {
			ps = append(ps, para{id: r.ID, text: p.Text})
		}
	}
	exprMatch := func(name, text string) bool {
		exprs, _ := s.Expressions(name)
		for _, e := range exprs {
			q, err := search.ParseQuery(e, "")
			if err != nil {
				t.Fatal(err)
			}
			if q.Match(text) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		q    string
		want func(text string) bool
	}{
		{"theme:数字政府", func(x string) bool { return exprMatch("数字政府", x) }},
		{"theme:城市", func(x string) bool { return exprMatch("城市", x) }},
		{"theme:城市 -改造", func(x string) bool {
			return exprMatch("城市", x) && !strings.Contains(analysis.FoldString(x), "改造")
		}},
		{"发展 -theme:城市", func(x string) bool {
			return strings.Contains(analysis.FoldString(x), "发展") && !exprMatch("城市", x)
		}},
		{"theme:数字政府 | theme:城市", func(x string) bool { return exprMatch("数字政府", x) || exprMatch("城市", x) }},
	} {
		want := 0
		for _, p := range ps {
			if tc.want(p.text) {
				want++
			}
		}
		if want == 0 {
			t.Errorf("%q matches nothing: the case tests little", tc.q)
		}
		resp, err := ix.Search(ctx, search.Request{Query: tc.q, Themes: s})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if resp.Total != uint64(want) {
			t.Errorf("%q: total %d, the OR of the expressions %d", tc.q, resp.Total, want)
		}
		n := 0
		if err := ix.Export(ctx, search.Request{Query: tc.q, Themes: s}, func(search.Row) error { n++; return nil }); err != nil || n != want {
			t.Errorf("%q: export %d rows (%v), want %d", tc.q, n, err, want)
		}
		tr, err := search.Trends(ctx, ix, search.TrendsRequest{Queries: []string{tc.q}, Themes: s})
		if err != nil || tr.Series[0].Total != uint64(want) {
			t.Errorf("%q: trends (%v) differ, want %d", tc.q, err, want)
		}
		kw, err := workbench.Concordance(ctx, ix, workbench.ConcordanceRequest{Query: tc.q, Themes: s})
		if err != nil || kw.Paragraphs != want {
			t.Errorf("%q: concordance (%v) differs, want %d paragraphs", tc.q, err, want)
		}
	}
	if _, err := ix.Search(ctx, search.Request{Query: "theme:没有"}); !search.IsBadRequest(err) {
		t.Errorf("unknown theme: %v", err)
	}
}
