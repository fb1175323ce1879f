package bleveindex_test

import (
	"context"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
	"reportsearch/search/query"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	os.Exit(code)
}

// para is a paragraph as the oracle sees it.
type para struct {
	id     string
	folded string
}

// corpusParagraphs returns every indexed paragraph with its folded text.
func corpusParagraphs(t *testing.T, ix *bleveindex.Index) []para {
	t.Helper()
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	var out []para
	for _, r := range reports {
		ps, err := ix.Paragraphs(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != r.Paragraphs {
			t.Fatalf("report %s: %d paragraphs stored, metadata says %d", r.ID, len(ps), r.Paragraphs)
		}
		for _, p := range ps {
			out = append(out, para{id: r.ID + "-" + itoa(p.N), folded: analysis.FoldString(p.Text)})
		}
	}
	if len(out) < 8000 {
		t.Fatalf("only %d paragraphs indexed from the corpus", len(out))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// checkQuery compares the index's hit set and total with the oracle's.
func checkQuery(t *testing.T, ix *bleveindex.Index, paras []para, q string, mode search.Mode) {
	t.Helper()
	// The oracle: query.Match, the one definition of a hit, by brute
	// force over every paragraph's folded text.
	pq, err := search.ParseQuery(q, mode)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	var want []string
	for _, p := range paras {
		if query.Match(pq.Eval, p.folded) {
			want = append(want, p.id)
		}
	}
	got, total, err := ix.MatchIDs(context.Background(), search.Request{Query: q, Mode: mode})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	if total != uint64(len(got)) {
		t.Errorf("%q: total %d but %d ids", q, total, len(got))
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(want, ",") != strings.Join(got, ",") {
		missing, extra := diff(want, got), diff(got, want)
		t.Errorf("%q (%s): %d hits, oracle %d; missing %v; extra %v", q, mode, len(got), len(want), head(missing), head(extra))
	}
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

// themes are policy phrases researchers search for, plus single
// characters, Latin and digits.
var themes = []string{
	"网格化治理", "城市更新", "全过程人民民主", "文旅产业融合", "高质量发展", "乡村振兴", "营商环境",
	"新质生产力", "民生", "发展", "罘", "化治理", "格化治", "5G", "GDP", "2022年", "gdp", "１０", "“十四五”",
	"（一）", "%", "。", "……", "——", "。”", "哈哈哈", "一核突破", "芝罘区政协", "碳达峰", "人工智能", "共同富裕",
}

func TestExactMatchEqualsSubstringSearch(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := corpusParagraphs(t, ix)
	for _, q := range themes {
		checkQuery(t, ix, paras, `"`+q+`"`, search.ModeExact)
	}
	// Random substrings of 1–8 characters drawn from the indexed text,
	// punctuation and digits included.
	rng := rand.New(rand.NewSource(20261125))
	n := 0
	for n < 400 {
		p := paras[rng.Intn(len(paras))]
		runes := []rune(p.folded)
		l := 1 + rng.Intn(8)
		if len(runes) < l {
			continue
		}
		i := rng.Intn(len(runes) - l + 1)
		s := string(runes[i : i+l])
		if strings.ContainsAny(s, "\"") || strings.TrimSpace(s) != s || s == "" {
			continue
		}
		n++
		checkQuery(t, ix, paras, `"`+s+`"`, search.ModeExact)
	}
}

func TestBooleanQueriesEqualOracle(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := corpusParagraphs(t, ix)
	for _, q := range []string{
		"发展 改革", "城市更新 | 网格化治理", "乡村振兴 -脱贫", "民生 就业 | 教育 -医疗",
		"罘 政协", "5G | 人工智能", "\"高质量 发展\"", "高质量发展 -“十四五” -2025",
	} {
		checkQuery(t, ix, paras, q, search.ModeExact)
	}
}

func TestLooseModeEqualsWordOracle(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := corpusParagraphs(t, ix)
	for _, q := range []string{"网格化治理", "城市更新行动", "文旅产业融合", "科技创新能力", "民生 -就业", "罘"} {
		checkQuery(t, ix, paras, q, search.ModeLoose)
	}
}
