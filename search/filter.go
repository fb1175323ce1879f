package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"reportsearch/internal/regions"
)

// Filter restricts a search, a trend or a report listing to reports with
// the given metadata. Values within one field are OR-ed, fields are
// AND-ed; an empty field does not restrict. A paragraph passes when its
// report does: paragraphs carry their report's metadata.
type Filter struct {
	Years         []YearRange
	Regions       []string
	Levels        []string
	Organizations []string
	DocTypes      []string
}

// YearRange is an inclusive range of years; 0 leaves a bound open. A year
// filter never matches a report whose year is unknown (0): a researcher
// asking for "..2000" means dated reports before 2000, not undated ones.
type YearRange struct {
	From, To int
}

// The names of the filter parameters, the same in the API's query string
// and (as --doc-type for doc_type) in the CLI's flags, and of the facets.
const (
	FieldYear         = "year"
	FieldRegion       = "region"
	FieldLevel        = "level"
	FieldOrganization = "organization"
	FieldDocType      = "doc_type"
)

// FacetFields are the fields every search counts its matches by.
var FacetFields = []string{FieldYear, FieldRegion, FieldLevel, FieldOrganization, FieldDocType}

// Year bounds accepted by ParseYears; anything else is a typo.
const (
	MinYear = 1
	MaxYear = 9999
)

// ParseYears parses a year filter value: "2022", "2018..2023" (inclusive),
// "2018.." or "..2023" (open). Errors are BadRequest errors.
func ParseYears(s string) (YearRange, error) {
	s = strings.TrimSpace(s)
	from, to, isRange := strings.Cut(s, "..")
	if !isRange {
		y, err := parseYear(s)
		if err != nil {
			return YearRange{}, err
		}
		return YearRange{y, y}, nil
	}
	if strings.TrimSpace(from) == "" && strings.TrimSpace(to) == "" {
		return YearRange{}, BadRequestf("year range %q has no bounds: give e.g. 2018..2023", s)
	}
	var r YearRange
	var err error
	if strings.TrimSpace(from) != "" {
		if r.From, err = parseYear(from); err != nil {
			return YearRange{}, err
		}
	}
	if strings.TrimSpace(to) != "" {
		if r.To, err = parseYear(to); err != nil {
			return YearRange{}, err
		}
	}
	if err := r.validate(); err != nil {
		return YearRange{}, err
	}
	return r, nil
}

func parseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	y, err := strconv.Atoi(s)
	if err != nil || y < MinYear || y > MaxYear {
		return 0, BadRequestf("year must be a year like 2022 or a range like 2018..2023, not %q", s)
	}
	return y, nil
}

func (r YearRange) validate() error {
	if r.From == 0 && r.To == 0 {
		return BadRequestf("year range has no bounds")
	}
	for _, y := range []int{r.From, r.To} {
		if y != 0 && (y < MinYear || y > MaxYear) {
			return BadRequestf("year %d is out of range", y)
		}
	}
	if r.From != 0 && r.To != 0 && r.From > r.To {
		return BadRequestf("year range %d..%d is reversed: write %d..%d", r.From, r.To, r.To, r.From)
	}
	return nil
}

// Contains reports whether a known year is in the range.
func (r YearRange) Contains(year int) bool {
	return year != 0 && (r.From == 0 || year >= r.From) && (r.To == 0 || year <= r.To)
}

func (r YearRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	s := ".."
	if r.From != 0 {
		s = strconv.Itoa(r.From) + s
	}
	if r.To != 0 {
		s += strconv.Itoa(r.To)
	}
	return s
}

// ParseFilter builds a filter from parameter values by name, as url.Values
// or the CLI's repeatable flags give them: year, region, level,
// organization, doc_type. Repeated values are OR-ed; empty values are
// ignored (an empty form field means "any"); other names are ignored.
func ParseFilter(values map[string][]string) (Filter, error) {
	var f Filter
	for _, v := range values[FieldYear] {
		if strings.TrimSpace(v) == "" {
			continue
		}
		r, err := ParseYears(v)
		if err != nil {
			return Filter{}, err
		}
		f.Years = append(f.Years, r)
	}
	keep := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	f.Regions = keep(values[FieldRegion])
	f.Levels = keep(values[FieldLevel])
	f.Organizations = keep(values[FieldOrganization])
	f.DocTypes = keep(values[FieldDocType])
	return f, nil
}

// Validate checks the year ranges of a filter built by hand.
func (f *Filter) Validate() error {
	for _, r := range f.Years {
		if err := r.validate(); err != nil {
			return err
		}
	}
	return nil
}

// IsZero reports whether the filter lets every report through.
func (f *Filter) IsZero() bool {
	return len(f.Years) == 0 && len(f.Regions) == 0 && len(f.Levels) == 0 &&
		len(f.Organizations) == 0 && len(f.DocTypes) == 0
}

// Match reports whether a report passes the filter. Backends compile the
// same rules to their own queries; tests check that the two agree.
//
// A region value includes the regions under it (package
// internal/regions, resolved at query time from the names as the
// metadata gives them): region=山东省 passes reports of 山东省, of
// 山东省烟台市芝罘区 and of 芝罘区 (a unique county name, placed in its
// province by the table); a value the table does not know (全国, a
// misspelling) passes only itself.
func (f *Filter) Match(r *Report) bool {
	if len(f.Years) > 0 && !slices.ContainsFunc(f.Years, func(y YearRange) bool { return y.Contains(r.Year) }) {
		return false
	}
	in := func(vs []string, v string) bool { return len(vs) == 0 || slices.Contains(vs, v) }
	if len(f.Regions) > 0 && !slices.ContainsFunc(f.Regions, func(a string) bool { return regions.Within(r.Region, a) }) {
		return false
	}
	return in(f.Levels, r.Level) &&
		in(f.Organizations, r.Organization) && in(f.DocTypes, r.DocType)
}

// FieldValue returns a report's value of a facet field: an int for year,
// a string for the others. A report without a value has the zero value
// ("", year 0), under which facets and trends count it.
func FieldValue(r *Report, field string) (any, error) {
	if !slices.Contains(FacetFields, field) {
		return nil, BadRequestf("unknown field %q: use one of %s", field, strings.Join(FacetFields, ", "))
	}
	return fieldValue(r, field), nil
}

// fieldValue is FieldValue for one of FacetFields.
func fieldValue(r *Report, field string) any {
	switch field {
	case FieldYear:
		return r.Year
	case FieldRegion:
		return r.Region
	case FieldLevel:
		return r.Level
	case FieldOrganization:
		return r.Organization
	case FieldDocType:
		return r.DocType
	}
	return nil
}

// String renders the filter as query-string-like text, for logs and CSV
// headers.
func (f *Filter) String() string {
	var parts []string
	for _, y := range f.Years {
		parts = append(parts, FieldYear+"="+y.String())
	}
	for _, kv := range []struct {
		k  string
		vs []string
	}{{FieldRegion, f.Regions}, {FieldLevel, f.Levels}, {FieldOrganization, f.Organizations}, {FieldDocType, f.DocTypes}} {
		for _, v := range kv.vs {
			parts = append(parts, fmt.Sprintf("%s=%s", kv.k, v))
		}
	}
	return strings.Join(parts, "&")
}
