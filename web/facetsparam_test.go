package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"reportsearch/search"
)

// TestFacetsParam: facets=… lists the asked fields with the counts of the
// default answer (disjunctive ones too), none lists none, and the hits,
// total and region tree do not change; an unknown field is a 400.
func TestFacetsParam(t *testing.T) {
	e := newTestServer(t)
	decode := func(target string) (search.Response, map[string]json.RawMessage) {
		t.Helper()
		rec := get(t, e, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		var r search.Response
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(rec.Body.Bytes(), &raw)
		r.TookMS = 0
		return r, raw
	}
	for _, q := range []string{"发展", "网格化治理"} {
		for _, filter := range []string{"", "&year=2021&level=provincial", "&region=山东省"} {
			base := "/api/search?region_tree=1&q=" + url.QueryEscape(q) + filter
			all, _ := decode(base)
			for _, c := range []struct {
				param  string
				fields []string
			}{
				{"none", nil},
				{"year", []string{"year"}},
				{"year,level", []string{"year", "level"}},
				{"region&facets=doc_type", []string{"region", "doc_type"}},
				{"year,region,level,organization,doc_type", search.FacetFields},
			} {
				got, raw := decode(base + "&facets=" + c.param)
				if string(raw["facets"]) == "null" || raw["facets_disjunctive"] == nil {
					t.Errorf("%s facets=%s: facets %s, facets_disjunctive %s", base, c.param, raw["facets"], raw["facets_disjunctive"])
				}
				for _, field := range search.FacetFields {
					_, listed := got.Facets[field]
					if listed != slices.Contains(c.fields, field) {
						t.Errorf("%s facets=%s: %s listed %v", base, c.param, field, listed)
					}
					if listed && (!reflect.DeepEqual(got.Facets[field], all.Facets[field]) || !reflect.DeepEqual(got.FacetsDisjunctive[field], all.FacetsDisjunctive[field])) {
						t.Errorf("%s facets=%s: %s counts differ from the default answer's", base, c.param, field)
					}
				}
				all2 := all
				got.Facets, got.FacetsDisjunctive = nil, nil
				all2.Facets, all2.FacetsDisjunctive = nil, nil
				if !reflect.DeepEqual(got, all2) {
					t.Errorf("%s facets=%s: the rest of the answer changed", base, c.param)
				}
			}
		}
	}
	for _, bad := range []string{"years", "none,year", "none&facets=year", ","} {
		if rec := get(t, e, "/api/search?q=x&facets="+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("facets=%s: %d, want 400", bad, rec.Code)
		}
	}
}
