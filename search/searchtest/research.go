package searchtest

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"reportsearch/internal/regions"
	"reportsearch/search"
	"reportsearch/search/highlight"
)

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

func facetMap(vals []search.FacetValue) map[string]uint64 {
	out := map[string]uint64{}
	for _, v := range vals {
		out[fmt.Sprint(v.Value)] += v.Count
	}
	return out
}

// checkFacetOrder: years by year; other fields by count, then value.
func checkFacetOrder(t testing.TB, field string, vals []search.FacetValue) {
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
		tie := strings.Compare(a.Value.(string), b.Value.(string))
		if field == search.FieldRegion {
			tie = regions.ComparePinyin(a.Value.(string), b.Value.(string))
		}
		if a.Count < b.Count || a.Count == b.Count && tie >= 0 {
			t.Errorf("%s facet not by count then value (regions in pinyin order): %v", field, vals)
			return
		}
	}
}

// checkHit compares a hit with the model's paragraph and report, and its
// highlight with search/highlight's snippet of the query's marks.
func checkHit(t testing.TB, m *model, h search.Hit, q string, mode search.Mode, label string) {
	t.Helper()
	r, ok := m.reports[h.DocID]
	if !ok || h.Paragraph < 1 || h.Paragraph > len(r.paras) {
		t.Errorf("%s: hit %s is no paragraph of the model", label, h.ID)
		return
	}
	pq, err := search.ParseQuery(q, mode)
	if err != nil {
		t.Fatal(err)
	}
	p, meta := r.paras[h.Paragraph-1], r.meta
	want := search.NewHit(&meta, p, highlight.Snippet(p.Text, pq.Marks), h.Score)
	if h != want {
		t.Errorf("%s: hit %+v, want %+v", label, h, want)
	}
	if !strings.Contains(h.Highlight, "<mark>") {
		t.Errorf("%s: hit %s has no mark: %q", label, h.ID, h.Highlight)
	}
}

// testFiltersAndFacets: for every query and filter, the total, the hit
// set and the facets equal brute force; every field's counts add up to
// the total and are in order; the hits shown pass the filter and carry
// their paragraph and report.
func (s *suite) testFiltersAndFacets(t *testing.T) {
	nonEmpty := 0
	for _, q := range researchQueries {
		for _, fc := range filters {
			label := fmt.Sprintf("%q %s", q, fc.name)
			want := s.m.match(t, q, search.ModeExact, fc.f)
			resp := mustSearch(t, s.b, search.Request{Query: q, Filter: fc.f, Size: 5})
			if resp.Total != uint64(len(want)) {
				t.Errorf("%s: total %d, brute force %d", label, resp.Total, len(want))
			}
			if len(want) > 0 {
				nonEmpty++
			}
			bf := facetsOf(want)
			for _, field := range search.FacetFields {
				vals, ok := resp.Facets[field]
				if !ok || vals == nil {
					t.Errorf("%s: no %s facet", label, field)
					continue
				}
				var sum uint64
				for _, v := range vals {
					sum += v.Count
				}
				if sum != resp.Total {
					t.Errorf("%s: %s facet sums to %d, total %d", label, field, sum, resp.Total)
				}
				if got := facetMap(vals); !mapsEqual(got, bf[field]) {
					t.Errorf("%s: %s facet %v, brute force %v", label, field, got, bf[field])
				}
				checkFacetOrder(t, field, vals)
			}
			if len(resp.Hits) != min(5, len(want)) {
				t.Errorf("%s: %d hits on the page of 5, %d matches", label, len(resp.Hits), len(want))
			}
			for _, h := range resp.Hits {
				var r search.Report
				r.SetMeta(h.Meta)
				if !fc.f.Match(&r) {
					t.Errorf("%s: hit %s does not pass the filter", label, h.ID)
				}
				checkHit(t, s.m, h, q, search.ModeExact, label)
			}
			checkHits(t, s.b, s.m, q, search.ModeExact, fc.f)
		}
	}
	if !testing.Short() && nonEmpty < len(researchQueries)*len(filters)/2 {
		t.Errorf("only %d of %d cases have matches: the table tests little", nonEmpty, len(researchQueries)*len(filters))
	}
}

// allPages pages through a search with the largest page size.
func allPages(t testing.TB, ix search.Index, req search.Request) []search.Hit {
	t.Helper()
	var out []search.Hit
	req.Size = search.MaxSize
	for req.From = 0; req.From+req.Size <= search.MaxWindow; req.From += req.Size {
		resp := mustSearch(t, ix, req)
		out = append(out, resp.Hits...)
		if len(resp.Hits) < req.Size || uint64(len(out)) >= resp.Total {
			break
		}
	}
	return out
}

// checkYearOrder: by year (oldest or newest first), equal years in
// reading order (report id, paragraph).
func checkYearOrder(t testing.TB, label string, sort search.Sort, a, b search.HitKey) {
	t.Helper()
	if search.CompareHits(sort, a, b) >= 0 {
		t.Errorf("%s: %s-%d (%d) before %s-%d (%d)", label, a.DocID, a.N, a.Year, b.DocID, b.N, b.Year)
	}
}

// testYearSorts: with a year filter, every page of the year sorts holds
// the brute-force hits in year order, ties in reading order, and the same
// page asked twice is the same page.
func (s *suite) testYearSorts(t *testing.T) {
	f := search.Filter{Years: years(search.YearRange{From: 2018, To: 2023})}
	for _, sort := range []search.Sort{search.SortYear, search.SortYearDesc} {
		for _, q := range []string{"发展", "城市更新 | 乡村振兴"} {
			label := fmt.Sprintf("%q %s", q, sort)
			req := search.Request{Query: q, Filter: f, Sort: sort}
			hits := allPages(t, s.b, req)
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ID
				if h.Year < 2018 || h.Year > 2023 {
					t.Errorf("%s: %s has year %d, outside 2018..2023", label, h.ID, h.Year)
				}
				if i > 0 {
					a := hits[i-1]
					checkYearOrder(t, label, sort, search.HitKey{Year: a.Year, DocID: a.DocID, N: a.Paragraph}, search.HitKey{Year: h.Year, DocID: h.DocID, N: h.Paragraph})
				}
			}
			if want := idsOf(s.m.match(t, q, search.ModeExact, f)); !sameSet(ids, want) {
				t.Fatalf("%s: %d hits over all pages, brute force %d (or different ids)", label, len(ids), len(want))
			}
			req.From, req.Size = 20, 10
			p1, p2 := mustSearch(t, s.b, req), mustSearch(t, s.b, req)
			for i := range p1.Hits {
				if p1.Hits[i].ID != p2.Hits[i].ID || p1.Hits[i].ID != hits[20+i].ID {
					t.Fatalf("%s: page 3 is not stable", label)
				}
			}
		}
	}
}

// testGroups: group=doc lists every report with hits once, with its
// brute-force count, in the order of search.CompareGroups; counts add up
// to the total; each report shows its best hits, by score.
func (s *suite) testGroups(t *testing.T) {
	for _, tc := range []struct {
		q string
		f search.Filter
		s search.Sort
	}{
		{"城市更新", search.Filter{}, ""},
		{"发展", search.Filter{DocTypes: []string{"政府工作报告"}}, ""},
		{"人民", search.Filter{Years: years(search.YearRange{From: 2000})}, search.SortYearDesc},
		{"改革", search.Filter{}, search.SortYear},
		{"火星殖民", search.Filter{}, ""},
	} {
		label := fmt.Sprintf("%q %s", tc.q, tc.s)
		want := s.m.match(t, tc.q, search.ModeExact, tc.f)
		perDoc := perReport(want)
		var groups []search.DocGroup
		var total uint64
		for from := 0; ; from += search.MaxSize {
			resp := mustSearch(t, s.b, search.Request{Query: tc.q, Filter: tc.f, Sort: tc.s, Group: search.GroupDoc, From: from, Size: search.MaxSize})
			if resp.TotalGroups != len(perDoc) || len(resp.Hits) != 0 || resp.Groups == nil || resp.Hits == nil {
				t.Fatalf("%s: total_groups %d, brute force %d; %d paragraph hits (groups nil: %v)", label, resp.TotalGroups, len(perDoc), len(resp.Hits), resp.Groups == nil)
			}
			total = resp.Total
			groups = append(groups, resp.Groups...)
			if len(resp.Groups) < search.MaxSize {
				break
			}
		}
		if total != uint64(len(want)) || len(groups) != len(perDoc) {
			t.Fatalf("%s: total %d groups %d, brute force %d / %d", label, total, len(groups), len(want), len(perDoc))
		}
		var sum uint64
		for i, g := range groups {
			sum += g.Count
			r := s.m.reports[g.DocID]
			if r == nil || g.Count != perDoc[g.DocID] {
				t.Errorf("%s: report %s has %d matches, brute force %d", label, g.DocID, g.Count, perDoc[g.DocID])
				continue
			}
			if w := search.NewDocGroup(&r.meta, g.Count, g.Hits); fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("%s: group %+v, want %+v", label, g, w)
			}
			if len(g.Hits) != int(min(g.Count, search.GroupHits)) {
				t.Errorf("%s: report %s shows %d hits of %d", label, g.DocID, len(g.Hits), g.Count)
			}
			for j, h := range g.Hits {
				if h.DocID != g.DocID {
					t.Errorf("%s: group %s has hit %s", label, g.DocID, h.ID)
				}
				checkHit(t, s.m, h, tc.q, search.ModeExact, label)
				if j > 0 && g.Hits[j-1].Score < h.Score {
					t.Errorf("%s: hits of %s not by score", label, g.DocID)
				}
			}
			if i > 0 {
				a := groups[i-1]
				if search.CompareGroups(tc.s, search.GroupKey{Count: a.Count, Year: a.Year, DocID: a.DocID}, search.GroupKey{Count: g.Count, Year: g.Year, DocID: g.DocID}) >= 0 {
					t.Errorf("%s: group %s (%d, %d) before %s (%d, %d)", label, a.DocID, a.Count, a.Year, g.DocID, g.Count, g.Year)
				}
			}
		}
		if sum != total {
			t.Errorf("%s: group counts sum to %d, total %d", label, sum, total)
		}
	}
}

// testExport: the export streams every hit once with its paragraph and
// report, in the order of the sort; errors come before any row.
func (s *suite) testExport(t *testing.T) {
	for _, tc := range []struct {
		q string
		f search.Filter
		s search.Sort
	}{
		{"发展", search.Filter{}, ""},
		{"发展", search.Filter{Years: years(search.YearRange{From: 1990})}, search.SortYearDesc},
		{"人民", search.Filter{}, search.SortYear},
		{"网格化治理", search.Filter{}, ""},
		{"火星殖民", search.Filter{}, ""},
	} {
		label := fmt.Sprintf("%q %s", tc.q, tc.s)
		want := s.m.match(t, tc.q, search.ModeExact, tc.f)
		rows := exportRows(t, s.b, search.Request{Query: tc.q, Filter: tc.f, Sort: tc.s})
		ids := make([]string, len(rows))
		for i, row := range rows {
			ids[i] = row.ID
			r := s.m.reports[row.DocID]
			if r == nil || row.Paragraph < 1 || row.Paragraph > len(r.paras) {
				t.Fatalf("%s: row %s is no paragraph of the model", label, row.ID)
			}
			if (row.Score != nil) != (tc.s == "" || tc.s == search.SortRelevance) {
				t.Fatalf("%s: row %s has score %v: a score in relevance order only", label, row.ID, row.Score)
			}
			if w, got := search.NewRow(&r.meta, r.paras[row.Paragraph-1]), withoutScore(row); got != w {
				t.Fatalf("%s: row %+v, want %+v", label, got, w)
			}
			if i > 0 && tc.s != "" {
				a := rows[i-1]
				checkYearOrder(t, label, tc.s, search.HitKey{Year: a.Year, DocID: a.DocID, N: a.Paragraph}, search.HitKey{Year: row.Year, DocID: row.DocID, N: row.Paragraph})
			}
		}
		if !sameSet(ids, idsOf(want)) {
			t.Errorf("%s: exported %d rows, brute force %d (or other ids, or duplicates)", label, len(rows), len(want))
		}
	}
	called := false
	err := s.b.Export(context.Background(), search.Request{Query: `"open`}, func(search.Row) error { called = true; return nil })
	if !search.IsBadRequest(err) || called {
		t.Errorf("malformed query: err %v, rows written %v", err, called)
	}
	err = s.b.Export(context.Background(), search.Request{Query: "发展", Group: search.GroupDoc}, func(search.Row) error { return nil })
	if !search.IsBadRequest(err) {
		t.Errorf("export with group=doc: %v", err)
	}
}

// testTrends: search.Trends over the backend gives, per bucket, the
// brute-force paragraphs and reports, the same count as a search narrowed
// to the bucket, and the denominators of the filtered reports.
func (s *suite) testTrends(t *testing.T) {
	ctx := context.Background()
	queries := []string{"网格化治理", "城市更新", "发展", "改革 -开放"}
	reports := s.m.list()
	for _, tc := range []struct {
		by string
		f  search.Filter
	}{
		{search.FieldYear, search.Filter{}},
		{search.FieldYear, search.Filter{Years: years(search.YearRange{From: 2018, To: 2023}), DocTypes: []string{"政府工作报告"}}},
		{search.FieldRegion, search.Filter{}},
		{search.FieldDocType, search.Filter{Years: years(search.YearRange{From: 2000})}},
		{search.FieldLevel, search.Filter{}},
		{search.FieldOrganization, search.Filter{}},
	} {
		resp, err := search.Trends(ctx, s.b, search.TrendsRequest{Queries: queries, By: tc.by, Filter: tc.f})
		if err != nil {
			t.Fatal(err)
		}
		wantBuckets := map[string][2]int{}
		for i := range reports {
			r := &reports[i]
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
		for qi, sr := range resp.Series {
			want := s.m.match(t, queries[qi], search.ModeExact, tc.f)
			if sr.Query != queries[qi] || sr.Total != uint64(len(want)) {
				t.Errorf("series %d: %q total %d, brute force %d", qi, sr.Query, sr.Total, len(want))
			}
			var sum uint64
			for i, p := range sr.Points {
				sum += p.Paragraphs
				if fmt.Sprint(p.Value) != fmt.Sprint(resp.Buckets[i].Value) || p.Chars != resp.Buckets[i].Chars {
					t.Fatalf("point %d of %q is not bucket %d", i, sr.Query, i)
				}
				var paragraphs uint64
				inReports := map[string]bool{}
				for _, w := range want {
					if v, _ := search.FieldValue(w.report, tc.by); fmt.Sprint(v) == fmt.Sprint(p.Value) {
						paragraphs++
						inReports[w.report.ID] = true
					}
				}
				if p.Paragraphs != paragraphs || p.Reports != len(inReports) {
					t.Errorf("by %s %v %q: %d paragraphs in %d reports, brute force %d in %d", tc.by, p.Value, sr.Query, p.Paragraphs, p.Reports, paragraphs, len(inReports))
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
					case search.FieldOrganization:
						bf.Organizations = []string{v}
					}
				}
				want := p.Paragraphs
				if tc.by == search.FieldRegion {
					// A region filter includes the regions under it:
					// the search counts every bucket within v.
					want = 0
					for _, q := range sr.Points {
						if w, ok := q.Value.(string); ok && regions.Within(w, p.Value.(string)) {
							want += q.Paragraphs
						}
					}
				}
				if n := mustSearch(t, s.b, search.Request{Query: sr.Query, Filter: bf, Size: 1}).Total; n != want {
					t.Errorf("by %s %v %q: trend %d, search %d", tc.by, p.Value, sr.Query, want, n)
				}
			}
			if sum != sr.Total {
				t.Errorf("%q: points sum to %d, total %d", sr.Query, sum, sr.Total)
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
		if _, err := search.Trends(ctx, s.b, bad); !search.IsBadRequest(err) {
			t.Errorf("%+v: err %v, want a bad request", bad, err)
		}
	}
}

// testBadRequests: parameters out of range and malformed queries are bad
// requests (400), from every method that takes a request.
func (s *suite) testBadRequests(t *testing.T) {
	ctx := context.Background()
	for _, req := range []search.Request{
		{Query: "发展", Sort: "score"},
		{Query: "发展", Group: "report"},
		{Query: "发展", Mode: "fuzzy"},
		{Query: "发展", Size: search.MaxSize + 1},
		{Query: "发展", From: -1},
		{Query: "发展", Filter: search.Filter{Years: years(search.YearRange{From: 2023, To: 2018})}},
		{Query: "发展", Group: search.GroupDoc, From: search.MaxWindow},
		{Query: "发展", Sort: search.SortYear, From: search.MaxWindow - 5, Size: 10},
		{Query: `"open`},
		{Query: ""},
		{Query: "-发展"},
		{Query: "发展 |"},
	} {
		if _, err := s.b.Search(ctx, req); !search.IsBadRequest(err) {
			t.Errorf("search %+v: err %v, want a bad request", req, err)
		}
	}
	for _, q := range []string{`"open`, "", "-发展"} {
		if _, _, err := s.b.CountByReport(ctx, search.Request{Query: q}); !search.IsBadRequest(err) {
			t.Errorf("CountByReport %q: err %v, want a bad request", q, err)
		}
	}
}

// testDisjunctiveFacets: for every query and filter, the disjunctive
// facets of each field equal brute force under the filter without that
// field; a field the filter does not restrict has the facets' counts.
func (s *suite) testDisjunctiveFacets(t *testing.T) {
	extra := []struct {
		name string
		f    search.Filter
	}{
		{"2021 + provincial", search.Filter{Years: years(search.YearRange{From: 2021, To: 2021}), Levels: []string{"provincial"}}},
		{"2021|2023 + 政府工作报告", search.Filter{Years: years(search.YearRange{From: 2021, To: 2021}, search.YearRange{From: 2023, To: 2023}), DocTypes: []string{"政府工作报告"}}},
	}
	cases := append(filters[:len(filters):len(filters)], extra...)
	for _, q := range researchQueries {
		for _, fc := range cases {
			label := fmt.Sprintf("%q %s", q, fc.name)
			req := search.Request{Query: q, Filter: fc.f, Size: 1}
			resp := mustSearch(t, s.b, req)
			if err := req.Validate(); err != nil {
				t.Fatal(err)
			}
			got, err := search.DisjunctiveFacets(context.Background(), s.b, req, resp.Facets)
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			for _, field := range search.FacetFields {
				want := facetsOf(s.m.match(t, q, search.ModeExact, fc.f.Without(field)))[field]
				if g := facetMap(got[field]); !mapsEqual(g, want) {
					t.Errorf("%s: disjunctive %s facet %v, brute force %v", label, field, g, want)
				}
				checkFacetOrder(t, field, got[field])
				if !fc.f.Restricts(field) && !mapsEqual(facetMap(got[field]), facetMap(resp.Facets[field])) {
					t.Errorf("%s: %s is not filtered, yet its disjunctive facet differs", label, field)
				}
			}
		}
	}
}

// testRegionHierarchy: a region filter includes the regions under it.
// For every province and prefecture of the table that the matches' region
// values resolve to, the total under region=NAME equals the sum of the
// unfiltered region facet's counts of the values within it (the facet
// counts exact values, so this is not Filter.Match checked by itself);
// and 网格化治理 with region=山东省 finds the 芝罘区 report.
func (s *suite) testRegionHierarchy(t *testing.T) {
	for _, q := range []string{"发展", "网格化治理", "人民", "改革"} {
		resp := mustSearch(t, s.b, search.Request{Query: q, Size: 1})
		ancestors := map[string]bool{}
		for _, v := range resp.Facets[search.FieldRegion] {
			if r, ok := regions.Lookup(v.Value.(string)); ok {
				for _, a := range r.Path() {
					ancestors[a.Name] = true
					ancestors[a.FullName()] = true
				}
			}
		}
		for a := range ancestors {
			var want uint64
			for _, v := range resp.Facets[search.FieldRegion] {
				if regions.Within(v.Value.(string), a) {
					want += v.Count
				}
			}
			got := mustSearch(t, s.b, search.Request{Query: q, Filter: search.Filter{Regions: []string{a}}, Size: 1}).Total
			if got != want {
				t.Errorf("%q region=%s: total %d, the region facet's values within it %d", q, a, got, want)
			}
		}
	}
	if testing.Short() {
		return
	}
	resp := mustSearch(t, s.b, search.Request{Query: "网格化治理", Filter: search.Filter{Regions: []string{"山东省"}}, Size: search.MaxSize})
	found := false
	for _, h := range resp.Hits {
		if r, ok := regions.Lookup(h.Region); ok && r.Name == "芝罘区" {
			found = true
		}
	}
	if !found {
		t.Errorf("网格化治理 region=山东省: no hit of 芝罘区 in %d hits", resp.Total)
	}
}

// withoutScore is a row without its score, to compare with the model's.
func withoutScore(r search.Row) search.Row {
	r.Score = nil
	return r
}
