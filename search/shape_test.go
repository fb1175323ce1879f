package search

import (
	"fmt"
	"slices"
	"testing"
)

func TestFacetsFromReportCounts(t *testing.T) {
	reports := []*Report{
		{ID: "a", Year: 2020, Region: "山东省", Level: "provincial"},
		{ID: "b"}, // no metadata: counted under 0 and ""
		{ID: "c", Year: 2021, Region: "山东省"},
		{ID: "d", Year: 2019, Region: "河北省"},
		{ID: "e", Year: 2018, Region: "全国"},
	}
	got := NewReportFacets(reports).Count([]uint32{2, 1, 1, 3, 0})
	want := map[string]string{
		FieldYear:         "[{0 1} {2019 3} {2020 2} {2021 1}]", // by year, 2018 has no match
		FieldRegion:       "[{河北省 3} {山东省 3} { 1}]",             // by count, ties in pinyin order (he, shan)
		FieldLevel:        "[{ 5} {provincial 2}]",
		FieldOrganization: "[{ 7}]",
		FieldDocType:      "[{ 7}]",
	}
	for _, f := range FacetFields {
		if s := fmt.Sprint(got[f]); s != want[f] {
			t.Errorf("%s: %s, want %s", f, s, want[f])
		}
	}
	empty := FacetsFromCounts(nil)
	for _, f := range FacetFields {
		if v, ok := empty[f]; !ok || v == nil || len(v) != 0 {
			t.Errorf("no matches: %s facet %#v, want an empty list", f, v)
		}
	}
}

func TestGroupOrder(t *testing.T) {
	gs := []GroupKey{
		{Count: 3, Year: 2020, DocID: "b"}, {Count: 3, Year: 2020, DocID: "a"}, {Count: 5, Year: 2010, DocID: "c"},
		{Count: 3, Year: 2022, DocID: "d"}, {Count: 1, Year: 2030, DocID: "e"},
	}
	ids := func(s Sort) string {
		c := slices.Clone(gs)
		SortGroups(c, s, func(g GroupKey) GroupKey { return g })
		var out []byte
		for _, g := range c {
			out = append(out, g.DocID...)
		}
		return string(out)
	}
	for s, want := range map[Sort]string{SortRelevance: "cdabe", SortYear: "cabde", SortYearDesc: "edabc"} {
		if got := ids(s); got != want {
			t.Errorf("%s: %s, want %s", s, got, want)
		}
	}
}

func TestHitOrder(t *testing.T) {
	hs := []HitKey{
		{Score: 1, Year: 2020, DocID: "b", N: 2}, {Score: 2, Year: 2019, DocID: "b", N: 9},
		{Score: 1, Year: 2020, DocID: "a", N: 7}, {Score: 1, Year: 2020, DocID: "b", N: 1},
	}
	for s, want := range map[Sort]string{
		SortRelevance: "b-9 a-7 b-1 b-2", SortYear: "b-9 a-7 b-1 b-2", SortYearDesc: "a-7 b-1 b-2 b-9",
	} {
		c := slices.Clone(hs)
		slices.SortFunc(c, func(a, b HitKey) int { return CompareHits(s, a, b) })
		var got []string
		for _, h := range c {
			got = append(got, ParagraphID(h.DocID, h.N))
		}
		if fmt.Sprint(got) != "["+want+"]" {
			t.Errorf("%s: %v, want %s", s, got, want)
		}
	}
}

func TestWindowAndValidation(t *testing.T) {
	for _, tc := range []struct{ from, size, n, lo, hi int }{
		{0, 10, 3, 0, 3}, {10, 10, 25, 10, 20}, {20, 10, 25, 20, 25}, {30, 10, 25, 25, 25},
	} {
		r := Request{From: tc.from, Size: tc.size}
		if lo, hi := r.Window(tc.n); lo != tc.lo || hi != tc.hi {
			t.Errorf("%+v: window %d..%d, want %d..%d", tc, lo, hi, tc.lo, tc.hi)
		}
	}
	r := Request{Query: "发展", Group: GroupDoc, From: 50}
	if err := r.ValidateExport(); !IsBadRequest(err) {
		t.Errorf("export with group=doc: %v", err)
	}
	r = Request{Query: "发展", Group: GroupDoc, From: MaxWindow}
	if err := r.ValidateCount(); err != nil || r.Group != "" || r.From != 0 {
		t.Errorf("count ignores group and from: %v %+v", err, r)
	}
	rd := ReportData{Paragraphs: []Paragraph{{Text: "廣州共產黨"}, {Text: "GDP"}}}
	rd.Count()
	if rd.Report.Paragraphs != 2 || rd.Report.Chars != 8 {
		t.Errorf("Count: %+v", rd.Report)
	}
}
