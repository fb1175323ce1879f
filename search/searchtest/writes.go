package searchtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"reportsearch/search"
)

// The write checks: each opens a fresh index of a few reports.

// testMissingMetadata: facets, filters and trends on reports whose
// metadata is partly unknown (year 0, empty region, level, organization
// and doc type), which the corpus does not have.
func (s *suite) testMissingMetadata(t *testing.T) {
	b, _ := s.fresh(t)
	ctx := context.Background()
	a := report("a", 2020, "推进城市更新。", "城市更新和乡村振兴。", "其他工作。")
	a.Report.Region, a.Report.Level, a.Report.Organization, a.Report.DocType = "山东省", "provincial", "山东省人民政府", "政府工作报告"
	bb := report("b", 0, "城市更新行动。", "没有相关内容。")
	c := report("c", 2021, "城市更新")
	c.Report.Region = "山东省"
	if err := b.Put(a, bb, c); err != nil {
		t.Fatal(err)
	}
	resp := mustSearch(t, b, search.Request{Query: "城市更新"})
	if resp.Total != 4 {
		t.Fatalf("total %d, want 4", resp.Total)
	}
	want := map[string]string{
		search.FieldYear:         "[{0 1} {2020 2} {2021 1}]",
		search.FieldRegion:       "[{山东省 3} { 1}]",
		search.FieldLevel:        "[{ 2} {provincial 2}]",
		search.FieldOrganization: "[{ 2} {山东省人民政府 2}]",
		search.FieldDocType:      "[{ 2} {政府工作报告 2}]",
	}
	for field, w := range want {
		if got := fmt.Sprint(resp.Facets[field]); got != w {
			t.Errorf("%s facet %s, want %s", field, got, w)
		}
	}
	// An open year range does not take in the unknown year.
	if n := mustSearch(t, b, search.Request{Query: "城市更新", Filter: search.Filter{Years: years(search.YearRange{To: 2020})}}).Total; n != 2 {
		t.Errorf("..2020: total %d, want 2", n)
	}
	tr, err := search.Trends(ctx, b, search.TrendsRequest{Queries: []string{"城市更新", "乡村振兴"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, w := fmt.Sprint(tr.Series[0].Points), "[{0 1 1 14 714.2857142857142 0 0} {2020 2 1 22 909.0909090909091 0 0} {2021 1 1 4 2500 0 0}]"; got != w {
		t.Errorf("trend points %s, want %s", got, w)
	}
	if got, w := fmt.Sprint(tr.Series[1].Points), "[{0 0 0 14 0 0 0} {2020 1 1 22 454.54545454545456 0 0} {2021 0 0 4 0 0 0}]"; got != w {
		t.Errorf("trend points with gaps: %s, want %s", got, w)
	}
	// Occurrences: 城市更新 occurs once in each of its 4 paragraphs.
	tr, err = search.Trends(ctx, b, search.TrendsRequest{Queries: []string{"城市更新"}, Occurrences: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, w := fmt.Sprint(tr.Series[0].Points), "[{0 1 1 14 714.2857142857142 1 714.2857142857142} {2020 2 1 22 909.0909090909091 2 909.0909090909091} {2021 1 1 4 2500 1 2500}]"; got != w {
		t.Errorf("occurrence points %s, want %s", got, w)
	}
}

// testTraditional: a report in traditional script is found by a
// simplified query and vice versa, full-width Latin and digits by
// half-width ones; the text is shown as written.
func (s *suite) testTraditional(t *testing.T) {
	b, _ := s.fresh(t)
	if err := b.Put(report("trad", 2020, "我們要發展經濟，實現國內生產總值增長。", "廣州共產黨報告"),
		report("simp", 2021, "我们要发展经济，实现国内生产总值增长。", "ＧＤＰ增长１０％")); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]uint64{
		"国内生产总值": 2, "國內生產總值": 2, "广州共产党": 1, "廣州": 1, "发展经济": 2, "發": 2, "gdp": 1, "GDP增长10%": 1,
	} {
		if got := mustSearch(t, b, search.Request{Query: q}).Total; got != want {
			t.Errorf("%s: total %d, want %d", q, got, want)
		}
	}
	resp := mustSearch(t, b, search.Request{Query: "广州"})
	if len(resp.Hits) != 1 || resp.Hits[0].Text != "廣州共產黨報告" || resp.Hits[0].Highlight != "<mark>廣州</mark>共產黨報告" {
		t.Errorf("traditional hit not shown as written: %+v", resp.Hits)
	}
}

// testReplaceAndDelete: a Put replaces a report's paragraphs (v2 only is
// found, shorter or longer than v1); Delete removes reports, unknown ids
// are ErrNotFound after the known ones are deleted; a report without
// paragraphs is a report.
func (s *suite) testReplaceAndDelete(t *testing.T) {
	b, _ := s.fresh(t)
	m := newModel()
	total := func(q string) uint64 { t.Helper(); return mustSearch(t, b, search.Request{Query: q}).Total }
	put(t, b, m, report("a", 2020, "城市更新一旧稿", "城市更新二旧稿", "城市更新三旧稿"), report("b", 2021, "城市更新四"))
	if got := total("城市更新"); got != 4 {
		t.Fatalf("total %d, want 4", got)
	}
	put(t, b, m, report("a", 2022, "乡村振兴新稿"))
	if got, old := total("城市更新"), total("旧稿"); got != 1 || old != 0 {
		t.Errorf("after replacing a: total %d (want 1), old text found %d times", got, old)
	}
	checkHits(t, b, m, "新稿 | 旧稿", search.ModeExact, search.Filter{})
	put(t, b, m, report("a", 2023, "更长的第三稿一", "更长的第三稿二", "更长的第三稿三", "更长的第三稿四", "城市更新五"))
	checkHits(t, b, m, "稿", search.ModeExact, search.Filter{})
	checkHits(t, b, m, "城市更新", search.ModeExact, search.Filter{})
	put(t, b, m, search.ReportData{Report: search.Report{ID: "empty", Title: "没有段落", Path: "empty.txt", Year: 2024}})
	checkDocuments(t, b, m)
	if err := b.Delete("b"); err != nil {
		t.Fatal(err)
	}
	m.del("b")
	if got := total("城市更新四"); got != 0 {
		t.Errorf("after delete: total %d", got)
	}
	if err := b.Delete("b"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting a missing report: %v, want ErrNotFound", err)
	}
	if err := b.Delete("a", "no-such-report"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting a known and an unknown report: %v, want ErrNotFound", err)
	}
	m.del("a")
	checkDocuments(t, b, m)
	checkHits(t, b, m, "城市更新", search.ModeExact, search.Filter{})
}

// testDuplicateIDs: the same id several times in one Put: the last
// version wins, whether it is shorter or longer, new or over an existing
// report.
func (s *suite) testDuplicateIDs(t *testing.T) {
	marks := []string{"甲版本标记", "乙版本标记", "丙版本标记"}
	const priorMark = "原有版本标记"
	version := func(n int, mark string) search.ReportData {
		rd := search.ReportData{Report: search.Report{ID: "A", Title: "A " + mark, Path: "A.txt", Year: 2010 + n}}
		for i := range n {
			rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: fmt.Sprintf("%s第%d段", mark, i+1)})
		}
		return rd
	}
	for _, tc := range []struct {
		name     string
		prior    int
		versions []int
	}{
		{"longer then shorter", 0, []int{5, 2}},
		{"shorter then longer", 0, []int{2, 5}},
		{"over an existing report", 7, []int{3, 1}},
		{"three versions over an existing report", 2, []int{6, 1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := s.fresh(t)
			m := newModel()
			if tc.prior > 0 {
				put(t, b, m, version(tc.prior, priorMark))
			}
			var batch []search.ReportData
			for i, n := range tc.versions {
				batch = append(batch, version(n, marks[i]))
				if i == 0 {
					batch = append(batch, report("B", 2000, "另一份报告的段落"))
				}
			}
			put(t, b, m, batch...)
			for i, mark := range marks[:len(tc.versions)] {
				want := 0
				if i == len(tc.versions)-1 {
					want = tc.versions[i]
				}
				if got := checkHits(t, b, m, mark, search.ModeExact, search.Filter{}); got != want {
					t.Fatalf("model error: %s in %d paragraphs, want %d", mark, got, want)
				}
			}
			checkHits(t, b, m, priorMark, search.ModeExact, search.Filter{})
			checkHits(t, b, m, "段 -"+marks[len(tc.versions)-1], search.ModeExact, search.Filter{})
			checkDocuments(t, b, m)
		})
	}
}

// testAtomicReplace: while a report is replaced again and again, every
// search sees the old version or the new one, never a mix or an error;
// a Put of several reports is seen whole or not at all.
func (s *suite) testAtomicReplace(t *testing.T) {
	b, _ := s.fresh(t)
	v1 := report("a", 2020, "网格化治理一", "网格化治理二", "网格化治理三")
	v2 := report("a", 2020, "网格化治理甲", "其他", "网格化治理乙", "网格化治理丙", "网格化治理丁", "网格化治理戊")
	other := func(n int) search.ReportData { return report("b", 2021, strings.Repeat("网格化治理", n)) }
	if err := b.Put(v1, other(1)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errs := make(chan error, 1)
	seen := map[uint64]int{}
	var searches atomic.Int64
	go func() {
		defer close(errs)
		for {
			select {
			case <-done:
				return
			default:
			}
			resp, err := b.Search(context.Background(), search.Request{Query: "网格化治理", Group: search.GroupDoc})
			if err != nil {
				errs <- err
				return
			}
			seen[resp.Total]++
			searches.Add(1)
			// v1 with b, or v2 with b: 3+1 or 5+1, and b's count says
			// which batch: both reports of a batch change together.
			var byDoc [2]uint64
			for _, g := range resp.Groups {
				byDoc[strings.Index("ab", g.DocID)] = g.Count
			}
			if !(resp.Total == 4 && byDoc == [2]uint64{3, 1}) && !(resp.Total == 6 && byDoc == [2]uint64{5, 1}) {
				errs <- fmt.Errorf("saw a mixed state: total %d, per report %v", resp.Total, byDoc)
				return
			}
		}
	}()
	// At least 40 replacements, and until 20 searches ran (a fast
	// backend may be done before the searching goroutine starts).
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < 40 || searches.Load() < 20 && time.Now().Before(deadline); i++ {
		v := v1
		if i%2 == 0 {
			v = v2
		}
		if err := b.Put(v, other(1)); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatalf("%v (totals seen: %v)", err, seen)
	}
	if len(seen) == 0 {
		t.Fatal("no search ran")
	}
	t.Logf("totals seen: %v", seen)
	// After the last replacement, only its text is found.
	m := newModel()
	put(t, b, m, v2, other(2))
	checkHits(t, b, m, "网格化治理", search.ModeExact, search.Filter{})
	checkHits(t, b, m, "网格化治理戊", search.ModeExact, search.Filter{})
	put(t, b, m, v1, other(1))
	checkHits(t, b, m, "网格化治理", search.ModeExact, search.Filter{})
	checkHits(t, b, m, "网格化治理戊", search.ModeExact, search.Filter{})
}

// testManyWrites: many small writes — new reports, replacements with
// other text, duplicates in a batch, deletes, reports without paragraphs
// — keep the backend equal to the model, also after reopening; queries
// are drawn from live text and from replaced or deleted text.
func (s *suite) testManyWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	b := s.open(t, dir)
	defer func() { b.Close() }()
	m := newModel()
	rng := rand.New(rand.NewSource(20260611))
	var material [][]search.Paragraph
	for _, rd := range Corpus(t) {
		if len(rd.Paragraphs) >= 10 {
			material = append(material, rd.Paragraphs)
		}
	}
	next := 0
	newReport := func(id string, version int) search.ReportData {
		ps := material[rng.Intn(len(material))]
		n := 2 + rng.Intn(min(20, len(ps)-1))
		start := rng.Intn(len(ps) - n + 1)
		rd := search.ReportData{Report: search.Report{ID: id, Title: fmt.Sprintf("%s v%d", id, version), Path: id + ".txt",
			Year: 2000 + rng.Intn(24), Region: []string{"山东省", "全国", ""}[rng.Intn(3)]}}
		rd.Paragraphs = slices.Clone(ps[start : start+n])
		if rng.Intn(10) == 0 {
			rd.Paragraphs = nil
		}
		return rd
	}
	pick := func(k int) []string {
		ids := m.ids()
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		return ids[:min(k, len(ids))]
	}
	check := func(label string) {
		t.Helper()
		checkDocuments(t, b, m)
		var live []string
		for _, p := range m.paras() {
			live = append(live, p.folded)
		}
		draw := func(texts []string, maxLen int) string {
			for range 100 {
				if q := drawTerm(rng.Intn, texts, maxLen); q != "" {
					return q
				}
			}
			return "的"
		}
		qs := []string{}
		for range 8 {
			qs = append(qs, `"`+draw(live, 6)+`"`)
		}
		for range 4 {
			qs = append(qs, `"`+draw(m.gone, 6)+`"`)
		}
		qs = append(qs, fmt.Sprintf(`"%s" | "%s"`, draw(live, 3), draw(m.gone, 5)), fmt.Sprintf(`"%s" -"%s"`, draw(live, 3), draw(live, 2)))
		for _, q := range qs {
			checkHits(t, b, m, q, search.ModeExact, search.Filter{})
		}
		if t.Failed() {
			t.Fatalf("%s: the backend differs from the model", label)
		}
	}
	for step := 1; step <= 36; step++ {
		switch k := rng.Intn(10); {
		case k < 5 || len(m.reports) < 4:
			var rds []search.ReportData
			for range 1 + rng.Intn(3) {
				next++
				rds = append(rds, newReport(fmt.Sprintf("r%03d", next), step))
			}
			put(t, b, m, rds...)
		case k < 7:
			var rds []search.ReportData
			for _, id := range pick(2) {
				rds = append(rds, newReport(id, step))
			}
			put(t, b, m, rds...)
		case k < 8:
			id := pick(1)[0]
			put(t, b, m, newReport(id, step), newReport(id, step+1000))
		default:
			ids := pick(1 + rng.Intn(2))
			if err := b.Delete(ids...); err != nil {
				t.Fatal(err)
			}
			m.del(ids...)
		}
		if step%6 == 0 {
			check(fmt.Sprintf("after write %d", step))
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b = s.open(t, dir)
	check("after reopening")
}
