package web

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"reportsearch/search"
)

// Parameters are read once, at the edge, into a canonical form: what a
// handler asks the index and every link a page builds come from that form
// only, never from the raw query string. A value is trimmed and empty ones
// are dropped; a single-valued parameter keeps its first value; a list
// (the filters, and the themes of the trends page) keeps each distinct
// value once, in order, years in their canonical spelling (` 2018 ..2023`
// is `2018..2023`), and at most a few of them. So a link is never longer
// than the query string it was built from, however often a parameter was
// repeated: `/?q=网格` with `&year=2022` a thousand times is `/?q=网格&year=2022`.

// Limits of parameter values.
const (
	// maxQueryBytes bounds q (about 340 Chinese characters).
	maxQueryBytes = 1024
	// maxValueBytes bounds every other value (a region, a year range, a
	// number, a mode).
	maxValueBytes = 200
	// maxListValues bounds the distinct values of one filter.
	maxListValues = 20
)

// paramKeys are the parameters one endpoint reads.
type paramKeys struct {
	// single parameters keep their first value.
	single []string
	// lists keep their distinct values, at most maxListValues
	// (MaxTrendQueries for q).
	lists []string
}

var (
	apiSearchKeys   = paramKeys{single: []string{"q", "mode", "sort", "size", "from", "group", "format", "region_tree", "lang"}, lists: append([]string{paramFacets}, filterParams...)}
	apiCountsKeys   = paramKeys{single: []string{"q", "mode"}, lists: filterParams}
	searchPageKeys  = paramKeys{single: []string{"q", "mode", "sort", "size", "from"}, lists: filterParams}
	apiTrendsKeys   = paramKeys{single: []string{"mode", "by", "format", "metric", "panel", "layout", "region_level"}, lists: append([]string{"q"}, filterParams...)}
	trendsPageKeys  = paramKeys{single: []string{"mode", "by", "metric", "order", "region_level", "chart", "years"}, lists: append([]string{"q"}, filterParams...)}
	documentsKeys   = paramKeys{single: []string{"sort", "title", "from", "size"}, lists: filterParams}
	readerKeys      = paramKeys{single: []string{"q", "mode"}}
	apiParagraphKey = paramKeys{single: []string{"context"}}
)

// readParams returns the canonical parameters of keys in v. A value over
// its limit, invalid UTF-8 or one list value too many is left out and
// reported in the error (a bad request; the first one found), so that a
// page can still show its form with what was kept.
func readParams(v url.Values, keys paramKeys) (params, error) {
	p := params{}
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	clean := func(name, s string) (string, bool) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", false
		}
		limit := maxValueBytes
		if name == "q" {
			limit = maxQueryBytes
		}
		if len(s) > limit {
			fail(search.BadRequestf("%s is longer than %d bytes", name, limit))
			return "", false
		}
		if !utf8.ValidString(s) {
			fail(search.BadRequestf("%s is not valid UTF-8", name))
			return "", false
		}
		if strings.HasSuffix(name, search.FieldYear) { // year, f.year, r.year
			if r, err := search.ParseYears(s); err == nil {
				s = r.String()
			}
		}
		return s, true
	}
	for _, k := range keys.single {
		for _, s := range v[k] {
			if s, ok := clean(k, s); ok {
				p[k] = []string{s}
				break
			}
		}
	}
	for _, k := range keys.lists {
		limit := maxListValues
		if k == "q" {
			limit = search.MaxTrendQueries
		}
		for _, s := range v[k] {
			s, ok := clean(k, s)
			if !ok || slices.Contains(p[k], s) {
				continue
			}
			if len(p[k]) == limit {
				fail(search.BadRequestf("at most %d values of %s", limit, k))
				break
			}
			p[k] = append(p[k], s)
		}
	}
	return p, first
}

// pageParams is readParams for keys of which the filters are lists and
// the others single, with values over the limits left out.
func pageParams(v url.Values, keys ...string) params {
	var pk paramKeys
	for _, k := range keys {
		if slices.Contains(filterParams, k) {
			pk.lists = append(pk.lists, k)
		} else {
			pk.single = append(pk.single, k)
		}
	}
	p, _ := readParams(v, pk)
	return p
}

// get returns a parameter's (first) value.
func (p params) get(key string) string {
	if vs := p[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// keep returns a copy with only the given keys.
func (p params) keep(keys ...string) params {
	out := params{}
	for _, k := range keys {
		if vs := p[k]; len(vs) > 0 {
			out[k] = slices.Clone(vs)
		}
	}
	return out
}
