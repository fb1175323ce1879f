package searchtest

import (
	"context"
	"math/rand"
	"testing"

	"reportsearch/search"
)

// checkHits compares a backend's hit set of a query and filter with the
// model's: the export's ids (every hit once), the per-report counts and
// their total, and the search's total. It returns the number of hits.
func checkHits(t testing.TB, ix search.Index, m *model, q string, mode search.Mode, f search.Filter) int {
	t.Helper()
	want := m.match(t, q, mode, f)
	wantIDs := idsOf(want)
	req := search.Request{Query: q, Mode: mode, Filter: f}
	got := exportIDs(t, ix, req)
	if !sameSet(got, wantIDs) {
		t.Errorf("%q (%s, %s): export has %d hits, brute force %d; missing %v; extra %v",
			q, mode, f.String(), len(got), len(want), diff(wantIDs, got), diff(got, wantIDs))
	}
	counts, total, err := ix.CountByReport(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: CountByReport: %v", q, err)
	}
	var sum uint64
	for _, n := range counts {
		sum += n
	}
	if w := perReport(want); !mapsEqual(counts, w) || total != uint64(len(want)) || sum != total {
		t.Errorf("%q (%s, %s): CountByReport %v total %d (sum %d), brute force %v total %d", q, mode, f.String(), counts, total, sum, w, len(want))
	}
	req.Size = 1
	if resp := mustSearch(t, ix, req); resp.Total != uint64(len(want)) {
		t.Errorf("%q (%s, %s): search total %d, brute force %d", q, mode, f.String(), resp.Total, len(want))
	}
	return len(want)
}

// themes are policy phrases researchers search for, plus single
// characters, Latin, digits and punctuation.
var themes = []string{
	"网格化治理", "城市更新", "全过程人民民主", "文旅产业融合", "高质量发展", "乡村振兴", "营商环境",
	"新质生产力", "民生", "发展", "罘", "化治理", "格化治", "5G", "GDP", "2022年", "gdp", "１０", "“十四五”",
	"（一）", "%", "。", "……", "——", "。”", "哈哈哈", "一核突破", "芝罘区政协", "碳达峰", "人工智能", "共同富裕",
	"廣州", "共产党",
}

// testExact: the hits of every quoted theme and of random substrings of
// 1–8 characters drawn from the text (punctuation and digits included)
// are exactly the paragraphs that contain them.
func (s *suite) testExact(t *testing.T) {
	for _, q := range themes {
		checkHits(t, s.b, s.m, `"`+q+`"`, search.ModeExact, search.Filter{})
	}
	paras := s.m.paras()
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = p.folded
	}
	rng := rand.New(rand.NewSource(20261125))
	n := 400
	if testing.Short() {
		n = 100
	}
	for i := 0; i < n; {
		if q := drawTerm(rng.Intn, texts, 8); q != "" {
			checkHits(t, s.b, s.m, `"`+q+`"`, search.ModeExact, search.Filter{})
			i++
		}
		if t.Failed() {
			return
		}
	}
}

// testBoolean: AND, OR and NOT combinations, a quoted term with a space.
func (s *suite) testBoolean(t *testing.T) {
	for _, q := range []string{
		"发展 改革", "城市更新 | 网格化治理", "乡村振兴 -脱贫", "民生 就业 | 教育 -医疗",
		"罘 政协", "5G | 人工智能", "\"高质量 发展\"", "高质量发展 -“十四五” -2025", "城市更新　乡村振兴",
		"城市更新 ｜ 乡村振兴", "改革 －开放",
	} {
		checkHits(t, s.b, s.m, q, search.ModeExact, search.Filter{})
	}
}

// testLoose: in loose mode a term matches where each of its gse words
// occurs (query.Expand), the same rule for the backend and the model.
func (s *suite) testLoose(t *testing.T) {
	for _, q := range []string{"网格化治理", "城市更新行动", "文旅产业融合", "科技创新能力", "民生 -就业", "罘", "高质量发展 | 营商环境"} {
		checkHits(t, s.b, s.m, q, search.ModeLoose, search.Filter{})
	}
}
