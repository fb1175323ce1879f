package bleveindex_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
	"reportsearch/search/query"
)

// The research features are checked against a brute-force oracle over
// every paragraph of the corpus: strings.Contains on the folded text for
// the query, and the report's metadata (search.Filter.Match) for the
// filter. Every count — total, facets, per-report counts, trends — must
// equal the oracle's.

// bpara is a paragraph as the oracle sees it, with its report.
type bpara struct {
	id     string
	n      int
	report *search.Report
	folded string
}

var (
	bruteOnce    sync.Once
	brutePara    []bpara
	bruteReports []search.Report
)

// loadBrute reads every report and paragraph back from the index once.
func loadBrute(t *testing.T, ix *bleveindex.Index) []bpara {
	t.Helper()
	bruteOnce.Do(func() {
		reports, err := ix.Reports()
		if err != nil {
			t.Fatal(err)
		}
		bruteReports = reports
		for i := range bruteReports {
			r := &bruteReports[i]
			ps, err := ix.Paragraphs(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				brutePara = append(brutePara, bpara{id: fmt.Sprintf("%s-%d", r.ID, p.N), n: p.N, report: r, folded: analysis.FoldString(p.Text)})
			}
		}
	})
	if len(brutePara) < 5000 {
		t.Fatalf("only %d paragraphs in the corpus index", len(brutePara))
	}
	return brutePara
}

// bruteMatch returns the paragraphs matching a query and a filter.
func bruteMatch(t *testing.T, paras []bpara, q string, mode search.Mode, f search.Filter) []bpara {
	t.Helper()
	pq, err := search.ParseQuery(q, mode)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	var out []bpara
	for _, p := range paras {
		if f.Match(p.report) && query.Match(pq.Eval, p.folded) {
			out = append(out, p)
		}
	}
	return out
}

// bruteFacets counts matches by each facet field, values as fmt.Sprint.
func bruteFacets(t *testing.T, ps []bpara) map[string]map[string]uint64 {
	out := map[string]map[string]uint64{}
	for _, field := range search.FacetFields {
		out[field] = map[string]uint64{}
		for _, p := range ps {
			v, err := search.FieldValue(p.report, field)
			if err != nil {
				t.Fatal(err)
			}
			out[field][fmt.Sprint(v)]++
		}
	}
	return out
}

func facetMap(vals []search.FacetValue) map[string]uint64 {
	out := map[string]uint64{}
	for _, v := range vals {
		out[fmt.Sprint(v.Value)] += v.Count
	}
	return out
}

func years(rs ...search.YearRange) []search.YearRange { return rs }

// filters are combinations a researcher would use, with values of the
// corpus (and one that matches nothing).
var filters = []struct {
	name string
	f    search.Filter
}{
	{"none", search.Filter{}},
	{"2018..2023", search.Filter{Years: years(search.YearRange{From: 2018, To: 2023})}},
	{"2022", search.Filter{Years: years(search.YearRange{From: 2022, To: 2022})}},
	{"..1980", search.Filter{Years: years(search.YearRange{To: 1980})}},
	{"2026..", search.Filter{Years: years(search.YearRange{From: 2026})}},
	{"1954..1960|2020..2022", search.Filter{Years: years(search.YearRange{From: 1954, To: 1960}, search.YearRange{From: 2020, To: 2022})}},
	{"region 山东省|全国", search.Filter{Regions: []string{"山东省", "全国"}}},
	{"level provincial", search.Filter{Levels: []string{"provincial"}}},
	{"doc_type 政府工作报告, 2010..", search.Filter{DocTypes: []string{"政府工作报告"}, Years: years(search.YearRange{From: 2010})}},
	{"organization 国务院 + level national", search.Filter{Organizations: []string{"国务院"}, Levels: []string{"national"}}},
	{"doc_type 党代会报告|政协工作报告", search.Filter{DocTypes: []string{"党代会报告", "政协工作报告"}}},
	{"nothing", search.Filter{Regions: []string{"火星"}}},
}

var researchQueries = []string{"发展", "网格化治理", "城市更新 | 乡村振兴", "改革 -开放", "高质量发展", "罘", "GDP", "人民"}

func TestFilterAndFacetCountsEqualBruteForce(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	ctx := context.Background()
	nonEmpty := 0
	for _, q := range researchQueries {
		for _, fc := range filters {
			want := bruteMatch(t, paras, q, search.ModeExact, fc.f)
			resp, err := ix.Search(ctx, search.Request{Query: q, Filter: fc.f, Size: 5})
			if err != nil {
				t.Fatalf("%q %s: %v", q, fc.name, err)
			}
			if resp.Total != uint64(len(want)) {
				t.Errorf("%q %s: total %d, brute force %d", q, fc.name, resp.Total, len(want))
			}
			if len(want) > 0 {
				nonEmpty++
			}
			bf := bruteFacets(t, want)
			for _, field := range search.FacetFields {
				vals, ok := resp.Facets[field]
				if !ok {
					t.Errorf("%q %s: no %s facet", q, fc.name, field)
					continue
				}
				var sum uint64
				for _, v := range vals {
					sum += v.Count
				}
				if sum != resp.Total {
					t.Errorf("%q %s: %s facet sums to %d, total %d", q, fc.name, field, sum, resp.Total)
				}
				if got := facetMap(vals); !mapsEqual(got, bf[field]) {
					t.Errorf("%q %s: %s facet %v, brute force %v", q, fc.name, field, got, bf[field])
				}
				checkFacetOrder(t, field, vals)
			}
			for _, h := range resp.Hits {
				r := search.Report{Year: h.Year, Region: h.Region, Level: h.Level, Organization: h.Organization, DocType: h.DocType}
				if !fc.f.Match(&r) {
					t.Errorf("%q %s: hit %s does not pass the filter", q, fc.name, h.ID)
				}
			}
			// The hit set itself, not only its size.
			ids, _, err := ix.MatchIDs(ctx, search.Request{Query: q, Filter: fc.f})
			if err != nil {
				t.Fatal(err)
			}
			if !sameIDs(ids, want) {
				t.Errorf("%q %s: hit set differs from brute force", q, fc.name)
			}
		}
	}
	if nonEmpty < len(researchQueries)*len(filters)/2 {
		t.Errorf("only %d of %d cases have matches: the table tests little", nonEmpty, len(researchQueries)*len(filters))
	}
}

func checkFacetOrder(t *testing.T, field string, vals []search.FacetValue) {
	t.Helper()
	for i := 1; i < len(vals); i++ {
		a, b := vals[i-1], vals[i]
		if field == search.FieldYear {
			if a.Value.(int) >= b.Value.(int) {
				t.Errorf("year facet not in year order: %v", vals)
				return
			}
			continue
		}
		if a.Count < b.Count || a.Count == b.Count && a.Value.(string) >= b.Value.(string) {
			t.Errorf("%s facet not by count then value: %v", field, vals)
			return
		}
	}
}

func mapsEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func sameIDs(ids []string, want []bpara) bool {
	if len(ids) != len(want) {
		return false
	}
	w := make([]string, len(want))
	for i, p := range want {
		w[i] = p.id
	}
	got := slices.Clone(ids)
	sort.Strings(got)
	sort.Strings(w)
	return slices.Equal(got, w)
}

// allPages pages through a search with the largest page size and returns
// every hit.
func allPages(t *testing.T, ix *bleveindex.Index, req search.Request) []search.Hit {
	t.Helper()
	var out []search.Hit
	req.Size = search.MaxSize
	for req.From = 0; ; req.From += req.Size {
		resp, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resp.Hits...)
		if len(resp.Hits) < req.Size || uint64(len(out)) >= resp.Total {
			return out
		}
	}
}

func TestYearRangeWithYearSort(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	f := search.Filter{Years: years(search.YearRange{From: 2018, To: 2023})}
	for _, s := range []search.Sort{search.SortYear, search.SortYearDesc} {
		for _, q := range []string{"发展", "城市更新 | 乡村振兴"} {
			req := search.Request{Query: q, Filter: f, Sort: s}
			hits := allPages(t, ix, req)
			want := bruteMatch(t, paras, q, search.ModeExact, f)
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ID
			}
			if !sameIDs(ids, want) {
				t.Fatalf("%q %s: %d hits over all pages, brute force %d (or different ids)", q, s, len(hits), len(want))
			}
			for i := 1; i < len(hits); i++ {
				a, b := hits[i-1], hits[i]
				if a.Year < 2018 || a.Year > 2023 {
					t.Errorf("%s: year %d outside 2018..2023", a.ID, a.Year)
				}
				yearOK := a.Year < b.Year
				if s == search.SortYearDesc {
					yearOK = a.Year > b.Year
				}
				// Equal years: reading order (report id, paragraph).
				tieOK := a.Year == b.Year && (a.DocID < b.DocID || a.DocID == b.DocID && a.Paragraph < b.Paragraph)
				if !yearOK && !tieOK {
					t.Fatalf("%q %s: %s (%d) before %s (%d)", q, s, a.ID, a.Year, b.ID, b.Year)
				}
			}
			// The same page twice is the same page.
			req.From, req.Size = 20, 10
			p1, err := ix.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			p2, _ := ix.Search(context.Background(), req)
			for i := range p1.Hits {
				if p1.Hits[i].ID != p2.Hits[i].ID || p1.Hits[i].ID != hits[20+i].ID {
					t.Fatalf("%q %s: page 3 is not stable", q, s)
				}
			}
		}
	}
}

func TestGroupByDocEqualsBruteForce(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	for _, tc := range []struct {
		q string
		f search.Filter
		s search.Sort
	}{
		{"城市更新", search.Filter{}, ""},
		{"发展", search.Filter{DocTypes: []string{"政府工作报告"}}, ""},
		{"人民", search.Filter{Years: years(search.YearRange{From: 2000})}, search.SortYearDesc},
		{"改革", search.Filter{}, search.SortYear},
	} {
		want := bruteMatch(t, paras, tc.q, search.ModeExact, tc.f)
		perDoc := map[string]uint64{}
		for _, p := range want {
			perDoc[p.report.ID]++
		}
		var groups []search.DocGroup
		var total uint64
		for from := 0; ; from += search.MaxSize {
			resp, err := ix.Search(context.Background(), search.Request{Query: tc.q, Filter: tc.f, Sort: tc.s, Group: search.GroupDoc, From: from, Size: search.MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			if resp.TotalGroups != len(perDoc) || len(resp.Hits) != 0 {
				t.Fatalf("%q: total_groups %d, brute force %d; %d paragraph hits", tc.q, resp.TotalGroups, len(perDoc), len(resp.Hits))
			}
			total = resp.Total
			groups = append(groups, resp.Groups...)
			if len(resp.Groups) < search.MaxSize {
				break
			}
		}
		if total != uint64(len(want)) || len(groups) != len(perDoc) {
			t.Fatalf("%q: total %d groups %d, brute force %d / %d", tc.q, total, len(groups), len(want), len(perDoc))
		}
		var sum uint64
		for i, g := range groups {
			sum += g.Count
			if g.Count != perDoc[g.DocID] {
				t.Errorf("%q: report %s has %d matches, brute force %d", tc.q, g.DocID, g.Count, perDoc[g.DocID])
			}
			if len(g.Hits) != int(min(g.Count, search.GroupHits)) {
				t.Errorf("%q: report %s shows %d hits of %d", tc.q, g.DocID, len(g.Hits), g.Count)
			}
			for _, h := range g.Hits {
				if h.DocID != g.DocID || !strings.Contains(h.Highlight, "<mark>") {
					t.Errorf("%q: group %s has hit %s (%q)", tc.q, g.DocID, h.ID, h.Highlight)
				}
			}
			for j := 1; j < len(g.Hits); j++ {
				if g.Hits[j-1].Score < g.Hits[j].Score {
					t.Errorf("%q: hits of %s not by score", tc.q, g.DocID)
				}
			}
			if i > 0 {
				a := groups[i-1]
				switch {
				case tc.s == search.SortYear && a.Year != g.Year:
					if a.Year > g.Year {
						t.Errorf("%q: groups not by year", tc.q)
					}
				case tc.s == search.SortYearDesc && a.Year != g.Year:
					if a.Year < g.Year {
						t.Errorf("%q: groups not by year, newest first", tc.q)
					}
				case a.Count < g.Count:
					t.Errorf("%q: groups not by count: %d before %d", tc.q, a.Count, g.Count)
				}
			}
		}
		if sum != total {
			t.Errorf("%q: group counts sum to %d, total %d", tc.q, sum, total)
		}
	}
}

func TestCountByReportEqualsBruteForce(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	for _, q := range researchQueries {
		for _, fc := range filters[:4] {
			want := map[string]uint64{}
			for _, p := range bruteMatch(t, paras, q, search.ModeExact, fc.f) {
				want[p.report.ID]++
			}
			got, total, err := ix.CountByReport(context.Background(), search.Request{Query: q, Filter: fc.f})
			if err != nil {
				t.Fatal(err)
			}
			var sum uint64
			for _, n := range got {
				sum += n
			}
			if !mapsEqual(got, want) || sum != total {
				t.Errorf("%q %s: counts %v (sum %d, total %d), brute force %v", q, fc.name, got, sum, total, want)
			}
		}
	}
}

func TestExportStreamsEveryMatch(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	for _, tc := range []struct {
		q string
		f search.Filter
		s search.Sort
	}{
		{"发展", search.Filter{}, ""}, // several export pages, paged by score
		{"发展", search.Filter{Years: years(search.YearRange{From: 1990})}, search.SortYearDesc},
		{"人民", search.Filter{}, search.SortYear},
		{"网格化治理", search.Filter{}, ""},
		{"火星殖民", search.Filter{}, ""},
	} {
		want := bruteMatch(t, paras, tc.q, search.ModeExact, tc.f)
		var rows []search.Row
		err := ix.Export(context.Background(), search.Request{Query: tc.q, Filter: tc.f, Sort: tc.s}, func(r search.Row) error {
			rows = append(rows, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			if r.Title == "" || r.Path == "" || r.Paragraph == 0 || r.ID != fmt.Sprintf("%s-%d", r.DocID, r.Paragraph) {
				t.Fatalf("row lacks metadata: %+v", r)
			}
		}
		if !sameIDs(ids, want) {
			t.Errorf("%q %s: exported %d rows, brute force %d (or other ids, or duplicates)", tc.q, tc.s, len(rows), len(want))
		}
		if tc.s != "" {
			for i := 1; i < len(rows); i++ {
				if tc.s == search.SortYear && rows[i-1].Year > rows[i].Year || tc.s == search.SortYearDesc && rows[i-1].Year < rows[i].Year {
					t.Fatalf("%q %s: rows out of order at %d", tc.q, tc.s, i)
				}
			}
		}
	}
	// Errors in the request come before any row.
	called := false
	err := ix.Export(context.Background(), search.Request{Query: `"open`}, func(search.Row) error { called = true; return nil })
	if !search.IsBadRequest(err) || called {
		t.Errorf("malformed query: err %v, rows written %v", err, called)
	}
	err = ix.Export(context.Background(), search.Request{Query: "发展", Group: search.GroupDoc}, func(search.Row) error { return nil })
	if !search.IsBadRequest(err) {
		t.Errorf("export with group=doc: %v", err)
	}
}

func TestTrendsEqualSearchesAndBruteForce(t *testing.T) {
	ix := testcorpus.Index(t)
	paras := loadBrute(t, ix)
	ctx := context.Background()
	queries := []string{"网格化治理", "城市更新", "发展", "改革 -开放"}
	for _, tc := range []struct {
		by string
		f  search.Filter
	}{
		{search.FieldYear, search.Filter{}},
		{search.FieldYear, search.Filter{Years: years(search.YearRange{From: 2018, To: 2023}), DocTypes: []string{"政府工作报告"}}},
		{search.FieldRegion, search.Filter{}},
		{search.FieldDocType, search.Filter{Years: years(search.YearRange{From: 2000})}},
		{search.FieldLevel, search.Filter{}},
	} {
		resp, err := search.Trends(ctx, ix, search.TrendsRequest{Queries: queries, By: tc.by, Filter: tc.f})
		if err != nil {
			t.Fatal(err)
		}
		// Denominators: every bucket of the filtered reports.
		wantBuckets := map[string][2]int{}
		for i := range bruteReports {
			r := &bruteReports[i]
			if !tc.f.Match(r) {
				continue
			}
			v, _ := search.FieldValue(r, tc.by)
			b := wantBuckets[fmt.Sprint(v)]
			wantBuckets[fmt.Sprint(v)] = [2]int{b[0] + 1, b[1] + r.Chars}
		}
		if len(resp.Buckets) != len(wantBuckets) {
			t.Fatalf("by %s: %d buckets, want %d", tc.by, len(resp.Buckets), len(wantBuckets))
		}
		for _, b := range resp.Buckets {
			if w := wantBuckets[fmt.Sprint(b.Value)]; w != [2]int{b.Reports, b.Chars} {
				t.Errorf("by %s: bucket %v has %d reports / %d chars, want %v", tc.by, b.Value, b.Reports, b.Chars, w)
			}
		}
		if len(resp.Series) != len(queries) {
			t.Fatalf("%d series for %d queries", len(resp.Series), len(queries))
		}
		for qi, s := range resp.Series {
			want := bruteMatch(t, paras, queries[qi], search.ModeExact, tc.f)
			if s.Query != queries[qi] || s.Total != uint64(len(want)) {
				t.Errorf("series %d: %q total %d, brute force %d", qi, s.Query, s.Total, len(want))
			}
			var sum uint64
			for i, p := range s.Points {
				sum += p.Paragraphs
				if fmt.Sprint(p.Value) != fmt.Sprint(resp.Buckets[i].Value) || p.Chars != resp.Buckets[i].Chars {
					t.Fatalf("point %d of %q is not bucket %d", i, s.Query, i)
				}
				var paragraphs uint64
				reports := map[string]bool{}
				for _, w := range want {
					if v, _ := search.FieldValue(w.report, tc.by); fmt.Sprint(v) == fmt.Sprint(p.Value) {
						paragraphs++
						reports[w.report.ID] = true
					}
				}
				if p.Paragraphs != paragraphs || p.Reports != len(reports) {
					t.Errorf("by %s %v %q: %d paragraphs in %d reports, brute force %d in %d", tc.by, p.Value, s.Query, p.Paragraphs, p.Reports, paragraphs, len(reports))
				}
				if wantRate := float64(p.Paragraphs) / float64(p.Chars) * search.RatePer; p.Chars > 0 && math.Abs(p.Rate-wantRate) > 1e-12 {
					t.Errorf("rate %v, want %v", p.Rate, wantRate)
				}
				// The same count from a search narrowed to the bucket.
				bf := tc.f
				switch v := p.Value.(type) {
				case int:
					if v == 0 {
						continue
					}
					bf.Years = years(search.YearRange{From: v, To: v})
					if len(tc.f.Years) > 0 && !tc.f.Match(&search.Report{Year: v, DocType: "政府工作报告"}) {
						t.Fatalf("bucket %d outside the filter", v)
					}
				case string:
					if v == "" {
						continue
					}
					switch tc.by {
					case search.FieldRegion:
						bf.Regions = []string{v}
					case search.FieldDocType:
						bf.DocTypes = []string{v}
					case search.FieldLevel:
						bf.Levels = []string{v}
					}
				}
				sr, err := ix.Search(ctx, search.Request{Query: s.Query, Filter: bf, Size: 1})
				if err != nil {
					t.Fatal(err)
				}
				if sr.Total != p.Paragraphs {
					t.Errorf("by %s %v %q: trend %d, search %d", tc.by, p.Value, s.Query, p.Paragraphs, sr.Total)
				}
			}
			if sum != s.Total {
				t.Errorf("%q: points sum to %d, total %d", s.Query, sum, s.Total)
			}
		}
	}
	for _, bad := range []search.TrendsRequest{
		{},
		{Queries: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}},
		{Queries: []string{"发展"}, By: "title"},
		{Queries: []string{`"open`}},
		{Queries: []string{"发展"}, Filter: search.Filter{Years: years(search.YearRange{From: 2023, To: 2018})}},
	} {
		if _, err := search.Trends(ctx, ix, bad); !search.IsBadRequest(err) {
			t.Errorf("%+v: err %v, want a bad request", bad, err)
		}
	}
}

func TestBadResearchRequests(t *testing.T) {
	ix := testcorpus.Index(t)
	for _, req := range []search.Request{
		{Query: "发展", Sort: "score"},
		{Query: "发展", Group: "report"},
		{Query: "发展", Filter: search.Filter{Years: years(search.YearRange{From: 2023, To: 2018})}},
		{Query: "发展", Group: search.GroupDoc, From: search.MaxWindow},
		{Query: "发展", Sort: search.SortYear, From: search.MaxWindow - 5, Size: 10},
	} {
		if _, err := ix.Search(context.Background(), req); !search.IsBadRequest(err) {
			t.Errorf("%+v: err %v, want a bad request", req, err)
		}
	}
}

// TestMissingMetadata checks facets, filters and trends on reports whose
// metadata is partly unknown, which the corpus does not have: a year of 0
// and empty region, level, organization and doc type.
func TestMissingMetadata(t *testing.T) {
	ix, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	para := func(texts ...string) []search.Paragraph {
		var ps []search.Paragraph
		for i, s := range texts {
			ps = append(ps, search.Paragraph{N: i + 1, Text: s})
		}
		return ps
	}
	err = ix.Put(
		search.ReportData{Report: search.Report{ID: "a", Title: "A", Path: "a.txt", Year: 2020, Region: "山东省", Level: "provincial", Organization: "山东省人民政府", DocType: "政府工作报告"},
			Paragraphs: para("推进城市更新。", "城市更新和乡村振兴。", "其他工作。")},
		search.ReportData{Report: search.Report{ID: "b", Title: "B", Path: "b.txt"},
			Paragraphs: para("城市更新行动。", "没有相关内容。")},
		search.ReportData{Report: search.Report{ID: "c", Title: "C", Path: "c.txt", Year: 2021, Region: "山东省"},
			Paragraphs: para("城市更新")},
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := ix.Search(ctx, search.Request{Query: "城市更新"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 4 {
		t.Fatalf("total %d, want 4", resp.Total)
	}
	want := map[string]map[string]uint64{
		search.FieldYear:         {"2020": 2, "0": 1, "2021": 1},
		search.FieldRegion:       {"山东省": 3, "": 1},
		search.FieldLevel:        {"provincial": 2, "": 2},
		search.FieldOrganization: {"山东省人民政府": 2, "": 2},
		search.FieldDocType:      {"政府工作报告": 2, "": 2},
	}
	for field, w := range want {
		if got := facetMap(resp.Facets[field]); !mapsEqual(got, w) {
			t.Errorf("%s facet %v, want %v", field, got, w)
		}
	}
	// An open year range does not take in the unknown year.
	resp, err = ix.Search(ctx, search.Request{Query: "城市更新", Filter: search.Filter{Years: years(search.YearRange{To: 2020})}})
	if err != nil || resp.Total != 2 {
		t.Errorf("..2020: total %v (%v), want 2", resp.Total, err)
	}
	tr, err := search.Trends(ctx, ix, search.TrendsRequest{Queries: []string{"城市更新", "乡村振兴"}})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(tr.Series[0].Points)
	if wantPts := "[{0 1 1 14 714.2857142857142} {2020 2 1 22 909.0909090909091} {2021 1 1 4 2500}]"; got != wantPts {
		t.Errorf("trend points %s, want %s", got, wantPts)
	}
	if got := fmt.Sprint(tr.Series[1].Points); got != "[{0 0 0 14 0} {2020 1 1 22 454.54545454545456} {2021 0 0 4 0}]" {
		t.Errorf("trend points with gaps: %s", got)
	}
}
