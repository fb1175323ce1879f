package search

import (
	"context"
	"maps"
)

// Disjunctive (multi-select) facets. Facets counts the matching paragraphs
// under the whole filter, so once year=2021 is chosen the year facet lists
// 2021 alone and 2022 cannot be added to the choice. A multi-select facet
// needs, for each field, the counts under the filters of the *other*
// fields only: the number of paragraphs each value would add if it were
// OR-ed into the field's choice. That is Elasticsearch's post_filter with
// one filtered aggregation per field, Algolia's disjunctive faceting.
//
// The counts are computed here, the same for every backend, from
// Index.CountByReport with one field's filter left out and each report's
// metadata: one extra count per field the filter restricts; fields it
// does not restrict share Facets' counts.

// Without returns the filter without its restriction on field (one of
// FacetFields).
func (f Filter) Without(field string) Filter {
	switch field {
	case FieldYear:
		f.Years = nil
	case FieldRegion:
		f.Regions = nil
	case FieldLevel:
		f.Levels = nil
	case FieldOrganization:
		f.Organizations = nil
	case FieldDocType:
		f.DocTypes = nil
	}
	return f
}

// Restricts reports whether the filter restricts field.
func (f *Filter) Restricts(field string) bool {
	switch field {
	case FieldYear:
		return len(f.Years) > 0
	case FieldRegion:
		return len(f.Regions) > 0
	case FieldLevel:
		return len(f.Levels) > 0
	case FieldOrganization:
		return len(f.Organizations) > 0
	case FieldDocType:
		return len(f.DocTypes) > 0
	}
	return false
}

// DisjunctiveFacets returns, for each of FacetFields, the counts of the
// paragraphs matching req's query and the filters of the other fields:
// facets (the Facets of the same search) for fields the filter does not
// restrict, a CountByReport without the field's filter for the others.
// The values are shaped and ordered as FacetsFromCounts does, so a value
// chosen in the field is listed beside the values that could be added.
func DisjunctiveFacets(ctx context.Context, ix Index, req Request, facets map[string][]FacetValue) (map[string][]FacetValue, error) {
	out := maps.Clone(facets)
	if out == nil {
		out = map[string][]FacetValue{}
	}
	var meta map[string]*Report
	for _, field := range FacetFields {
		if !req.Filter.Restricts(field) {
			continue
		}
		if meta == nil {
			list, err := ix.Reports()
			if err != nil {
				return nil, err
			}
			meta = make(map[string]*Report, len(list))
			for i := range list {
				meta[list[i].ID] = &list[i]
			}
		}
		r := req
		r.Filter = req.Filter.Without(field)
		perReport, _, err := ix.CountByReport(ctx, r)
		if err != nil {
			return nil, err
		}
		byValue := map[any]uint64{}
		for id, n := range perReport {
			rep, ok := meta[id]
			if !ok {
				// Written after Reports was read: looked up alone.
				if rep, err = ix.Report(id); err != nil {
					continue
				}
			}
			byValue[fieldValue(rep, field)] += n
		}
		vals := make([]FacetValue, 0, len(byValue))
		for v, n := range byValue {
			vals = append(vals, FacetValue{Value: v, Count: n})
		}
		out[field] = FacetsFromCounts(map[string][]FacetValue{field: vals})[field]
	}
	return out, nil
}
