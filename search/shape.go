package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The shape of an answer, the same for every backend. A backend decides
// which paragraphs match and counts them (per report, per facet value)
// and orders its hits; the rules here turn those counts into the answer:
// which facet values are listed and in which order, how the reports of a
// grouped search are ordered, which part of an ordered list a page
// shows, and how hits, groups and export rows carry their report's
// metadata. So two backends that find the same hits answer with the same
// JSON (package searchtest checks it).

// ParagraphID is the id of a paragraph in hits and export rows:
// "<report id>-<n>".
func ParagraphID(reportID string, n int) string { return reportID + "-" + strconv.Itoa(n) }

// Count sets the report's Paragraphs and Chars from its paragraphs, as a
// backend stores them on Put.
func (rd *ReportData) Count() {
	rd.Report.Paragraphs, rd.Report.Chars = len(rd.Paragraphs), 0
	for _, p := range rd.Paragraphs {
		rd.Report.Chars += utf8.RuneCountInString(p.Text)
	}
}

// ValidateCount validates a request for Index.CountByReport: From, Size
// and Group do not apply.
func (r *Request) ValidateCount() error {
	r.From, r.Size, r.Group = 0, 1, ""
	return r.Validate()
}

// ValidateExport validates a request for Index.Export: From and Size do
// not apply, and an export lists paragraphs, so Group is refused.
func (r *Request) ValidateExport() error {
	r.From, r.Size = 0, 1
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Group != "" {
		return BadRequestf("an export lists paragraphs: it does not combine with group=%s", r.Group)
	}
	return nil
}

// Window returns the part [from, to) of n ordered results (hits, or the
// reports of a grouped search) that the request's page shows.
func (r *Request) Window(n int) (from, to int) {
	return min(r.From, n), min(r.From+r.Size, n)
}

// NewResponse returns the answer to a validated request with its total
// and facets and an empty page: Hits is [] (not null in JSON), and so is
// Groups for group=doc.
func NewResponse(req *Request, total uint64, facets map[string][]FacetValue) *Response {
	resp := &Response{Query: req.Query, Total: total, Hits: []Hit{}, Facets: facets}
	if req.Group == GroupDoc {
		resp.Groups = []DocGroup{}
	}
	return resp
}

// TookMS is the time since start in milliseconds, as answers report it.
func TookMS(start time.Time) float64 {
	return float64(time.Since(start).Microseconds()) / 1000
}

// NewHit is the hit of paragraph p of report r. The score is shown
// rounded to four decimals; the order of hits is decided before, on the
// exact scores.
func NewHit(r *Report, p Paragraph, highlight string, score float64) Hit {
	return Hit{
		ID: ParagraphID(r.ID, p.N), DocID: r.ID, Title: r.Title, Path: r.Path, Meta: r.Meta(),
		Paragraph: p.N, Section: p.Section, Text: p.Text, Highlight: highlight,
		Score: RoundScore(score),
	}
}

// RoundScore is a score as hits and exports give it: to 4 decimals, which
// is all a reader compares, and the same number in both.
func RoundScore(score float64) float64 { return math.Round(score*1e4) / 1e4 }

// NewDocGroup is the group of report r in a grouped search.
func NewDocGroup(r *Report, count uint64, hits []Hit) DocGroup {
	return DocGroup{
		DocID: r.ID, Title: r.Title, Path: r.Path, Meta: r.Meta(), Count: count, Hits: hits,
	}
}

// NewRow is the export row of paragraph p of report r.
func NewRow(r *Report, p Paragraph) Row {
	return Row{
		ID: ParagraphID(r.ID, p.N), DocID: r.ID, Title: r.Title, Meta: r.Meta(), Path: r.Path,
		Paragraph: p.N, Section: p.Section, Text: p.Text,
	}
}

// HitKey is what orders the hits of a search: the hit's score (for
// relevance), its report's year and id, and its paragraph number.
type HitKey struct {
	Score float64
	Year  int
	DocID string
	N     int
}

// CompareHits is the one total order of the hits of a search: by score,
// highest first (SortRelevance), or by year, oldest first (SortYear) or
// newest first (SortYearDesc); ties in reading order, by report id and
// then paragraph number. Since no two hits have the same report and
// paragraph, pages cut from this order never repeat or skip a hit. A
// backend may implement it its own way (bleveindex compares precomputed
// ranks); package searchtest checks the orders it produces.
func CompareHits(sort Sort, a, b HitKey) int {
	switch sort {
	case SortYear:
		if c := cmp.Compare(a.Year, b.Year); c != 0 {
			return c
		}
	case SortYearDesc:
		if c := cmp.Compare(b.Year, a.Year); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
	}
	if c := strings.Compare(a.DocID, b.DocID); c != 0 {
		return c
	}
	return cmp.Compare(a.N, b.N)
}

// GroupKey is what orders the reports of a grouped search.
type GroupKey struct {
	// Count is the report's number of matching paragraphs.
	Count uint64
	Year  int
	DocID string
}

// CompareGroups orders the reports of a grouped search: by number of
// matching paragraphs, most first (an exact count, where the best score
// over every report would need every hit scored), ties by year, newest
// first, then by id; with SortYear or SortYearDesc, by year first.
func CompareGroups(sort Sort, a, b GroupKey) int {
	switch sort {
	case SortYear:
		if c := cmp.Compare(a.Year, b.Year); c != 0 {
			return c
		}
	case SortYearDesc:
		if c := cmp.Compare(b.Year, a.Year); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Year, a.Year); c != 0 {
		return c
	}
	return strings.Compare(a.DocID, b.DocID)
}

// SortGroups sorts a backend's groups, whatever their type, by
// CompareGroups of their keys.
func SortGroups[G any](groups []G, sort Sort, key func(G) GroupKey) {
	slices.SortFunc(groups, func(a, b G) int { return CompareGroups(sort, key(a), key(b)) })
}

// SortReports orders reports by year (oldest first, or newest first for
// SortYearDesc), then title, then id: the order of Reports and of the
// report list.
func SortReports(rs []Report, sort Sort) {
	slices.SortStableFunc(rs, func(a, b Report) int {
		if a.Year != b.Year {
			if sort == SortYearDesc {
				return cmp.Compare(b.Year, a.Year)
			}
			return cmp.Compare(a.Year, b.Year)
		}
		if c := strings.Compare(a.Title, b.Title); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// FacetsFromCounts shapes a backend's facet counts into the facets of an
// answer. counts holds, for some or all of FacetFields, values with their
// numbers of matching paragraphs, in any order, zero counts allowed (a
// backend that counts by a table of every value need not filter). Every
// field of FacetFields is in the result (an empty list when nothing
// matched), values without matches are left out, and each list is
// ordered by SortFacet. The slices of counts are reused.
//
// A paragraph whose report has no value for a field counts under the
// field's zero value ("", year 0: what FieldValue returns), so that the
// counts of every field add up to the total.
func FacetsFromCounts(counts map[string][]FacetValue) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(FacetFields))
	for _, field := range FacetFields {
		vals := slices.DeleteFunc(counts[field], func(v FacetValue) bool { return v.Count == 0 })
		if vals == nil {
			vals = []FacetValue{}
		}
		SortFacet(field, vals)
		out[field] = vals
	}
	return out
}

// SortFacet orders the values of one facet: years by year, oldest first
// (a time axis), other fields by count, largest first, ties by value
// (regions in pinyin order), so that the order never varies.
func SortFacet(field string, vals []FacetValue) {
	order := valueOrder(field)
	slices.SortFunc(vals, func(a, b FacetValue) int {
		if field != FieldYear {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
		}
		return order(a.Value, b.Value)
	})
}

// ReportFacets numbers the values of every facet field over a fixed list
// of reports (a backend's snapshot), so that the facets of a hit set are
// counted from its per-report counts with one slice index per report.
type ReportFacets struct {
	tables []facetTable // by FacetFields
}

// facetTable numbers the values of one field: values[j] is value j,
// of[g] the value of report g. Values are numbered in their order
// (valueOrder), so that Count lists them in it without sorting them.
type facetTable struct {
	values []any
	of     []int32
}

// NewReportFacets numbers the facet values of reports; the facets of a
// hit set are then counted by Count from counts in the same order.
func NewReportFacets(reports []*Report) *ReportFacets {
	f := &ReportFacets{tables: make([]facetTable, len(FacetFields))}
	for i, field := range FacetFields {
		t := facetTable{of: make([]int32, len(reports))}
		num := map[any]int32{}
		for g, r := range reports {
			v := fieldValue(r, field)
			j, ok := num[v]
			if !ok {
				j = int32(len(t.values))
				num[v] = j
				t.values = append(t.values, v)
			}
			t.of[g] = j
		}
		order := make([]int32, len(t.values))
		for j := range order {
			order[j] = int32(j)
		}
		less := valueOrder(field)
		slices.SortStableFunc(order, func(a, b int32) int { return less(t.values[a], t.values[b]) })
		renum := make([]int32, len(order))
		values := make([]any, len(order))
		for k, j := range order {
			renum[j], values[k] = int32(k), t.values[j]
		}
		for g, j := range t.of {
			t.of[g] = renum[j]
		}
		t.values = values
		f.tables[i] = t
	}
	return f
}

// Count returns the facets of a hit set with perReport[g] matching
// paragraphs in report g (of the reports given to NewReportFacets).
func (f *ReportFacets) Count(perReport []uint32) map[string][]FacetValue {
	n := make([][]uint64, len(f.tables))
	for i, t := range f.tables {
		n[i] = make([]uint64, len(t.values))
	}
	for g, c := range perReport {
		if c == 0 {
			continue
		}
		for i, t := range f.tables {
			n[i][t.of[g]] += uint64(c)
		}
	}
	// The order of FacetsFromCounts (SortFacet): values are numbered in
	// their order, so years need no sort and the other fields a stable
	// sort by count alone.
	out := make(map[string][]FacetValue, len(FacetFields))
	type nv struct {
		n uint64
		j int
	}
	var order []nv
	for i, field := range FacetFields {
		order = order[:0]
		for j, c := range n[i] {
			if c > 0 {
				order = append(order, nv{c, j})
			}
		}
		if field != FieldYear {
			slices.SortFunc(order, func(a, b nv) int {
				if c := cmp.Compare(b.n, a.n); c != 0 {
					return c
				}
				return cmp.Compare(a.j, b.j)
			})
		}
		vals := make([]FacetValue, len(order))
		for k, o := range order {
			vals[k] = FacetValue{Value: f.tables[i].values[o.j], Count: o.n}
		}
		out[field] = vals
	}
	return out
}
