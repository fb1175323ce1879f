package search

import (
	"fmt"
	"testing"
)

func TestParseYears(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want YearRange
		bad  bool
	}{
		{in: "2022", want: YearRange{2022, 2022}},
		{in: " 2018..2023 ", want: YearRange{2018, 2023}},
		{in: "2018..2018", want: YearRange{2018, 2018}},
		{in: "2018..", want: YearRange{2018, 0}},
		{in: "..2023", want: YearRange{0, 2023}},
		{in: "abc", bad: true},
		{in: "2023..2018", bad: true},
		{in: "..", bad: true},
		{in: "2018...2023", bad: true},
		{in: "2018-2023", bad: true},
		{in: "0", bad: true},
		{in: "-5", bad: true},
		{in: "20222", bad: true},
		{in: "2018..x", bad: true},
		{in: "", bad: true},
	} {
		got, err := ParseYears(tc.in)
		if tc.bad {
			if !IsBadRequest(err) {
				t.Errorf("ParseYears(%q) = %v, %v; want a bad request", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseYears(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseFilterAndMatch(t *testing.T) {
	f, err := ParseFilter(map[string][]string{
		"year":     {"1954..1960", "2020..", ""},
		"region":   {"山东省", " 全国 ", "山东省", ""},
		"doc_type": {"政府工作报告"},
		"q":        {"ignored"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.String(); got != "year=1954..1960&year=2020..&region=山东省&region=全国&doc_type=政府工作报告" {
		t.Errorf("filter %s", got)
	}
	for _, tc := range []struct {
		r    Report
		want bool
	}{
		{Report{Year: 1955, Region: "全国", DocType: "政府工作报告"}, true},
		{Report{Year: 2026, Region: "山东省", DocType: "政府工作报告"}, true},
		{Report{Year: 1961, Region: "全国", DocType: "政府工作报告"}, false},
		{Report{Year: 2020, Region: "北京市", DocType: "政府工作报告"}, false},
		{Report{Year: 2020, Region: "全国", DocType: "决议"}, false},
		{Report{Year: 0, Region: "全国", DocType: "政府工作报告"}, false},
	} {
		if got := f.Match(&tc.r); got != tc.want {
			t.Errorf("Match(%+v) = %v", tc.r, got)
		}
	}
	var zero Filter
	if !zero.IsZero() || !zero.Match(&Report{}) {
		t.Error("the zero filter must let everything through")
	}
	open := Filter{Years: []YearRange{{To: 2000}}}
	if open.Match(&Report{}) || !open.Match(&Report{Year: 1999}) {
		t.Error("an open year range must match known years only")
	}
	if _, err := ParseFilter(map[string][]string{"year": {"2023..2018"}}); !IsBadRequest(err) {
		t.Errorf("reversed range: %v", err)
	}
}

func TestRequestValidate(t *testing.T) {
	for _, tc := range []struct {
		req Request
		bad bool
	}{
		{req: Request{Query: "x"}},
		{req: Request{Query: "x", Sort: SortYear, Group: GroupDoc}},
		{req: Request{Query: "x", Sort: SortYearDesc}},
		{req: Request{Query: "x", Sort: "score"}, bad: true},
		{req: Request{Query: "x", Group: "doc_id"}, bad: true},
		{req: Request{Query: "x", From: MaxWindow}, bad: true},
		{req: Request{Query: "x", Filter: Filter{Years: []YearRange{{2023, 2018}}}}, bad: true},
		{req: Request{Query: "x", Filter: Filter{Years: []YearRange{{}}}}, bad: true},
	} {
		err := tc.req.Validate()
		if tc.bad != IsBadRequest(err) || !tc.bad && err != nil {
			t.Errorf("%+v: %v", tc.req, err)
		}
		if !tc.bad && tc.req.Sort == "" {
			t.Errorf("sort not defaulted: %+v", tc.req)
		}
	}
}

func TestFieldValue(t *testing.T) {
	r := &Report{Year: 2022, Region: "R", Level: "L", Organization: "O", DocType: "D"}
	var got []string
	for _, f := range FacetFields {
		v, err := FieldValue(r, f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(v))
	}
	if fmt.Sprint(got) != "[2022 R L O D]" {
		t.Errorf("values %v", got)
	}
	if _, err := FieldValue(r, "title"); !IsBadRequest(err) {
		t.Errorf("unknown field: %v", err)
	}
}
