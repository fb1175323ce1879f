package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"testing"

	"reportsearch/bench/queries"
	"reportsearch/internal/testcorpus"
	"reportsearch/search"
)

// plainResponse is search.Response without its JSON methods: what
// encoding/json wrote by reflection before AppendJSON.
type plainResponse search.Response

// TestSearchAnswerEncoding: for many searches of the shared corpus
// (the benchmark's queries and others, filters of every field, pages,
// sorts, groups, the region tree), the answer /api/search writes decodes
// to exactly what encoding/json's reflection wrote before, and its
// facets_disjunctive lists exactly the fields whose counts differ from
// facets (only fields the filter restricts can).
func TestSearchAnswerEncoding(t *testing.T) {
	var srv *Server
	e, err := New(testcorpus.Index(t), discardLog(), testHosts, func(s *Server) { srv = s })
	if err != nil {
		t.Fatal(err)
	}
	qs := append([]string{"发展 -改革", "城市更新 | 乡村振兴", `"高质量发展"`, "人民 政府", "不存在的词语组合"}, queries.List...)
	filters := []string{"", "year=2021", "year=2020..2024&level=provincial", "region=山东省", "region=全国&year=2023",
		"doc_type=政府工作报告", "organization=国务院", "level=national&level=provincial&doc_type=政府工作报告"}
	variants := []string{"", "size=1", "from=10&size=10", "from=95&size=100", "sort=-year", "sort=year&from=20",
		"group=doc", "group=doc&size=3&from=3", "region_tree=1", "mode=loose&size=5",
		"facets=none", "facets=year,region&region_tree=1"}
	n, differing := 0, 0
	for _, q := range qs {
		for _, f := range filters {
			for _, v := range variants {
				target := "q=" + url.QueryEscape(q) + "&" + f + "&" + v
				vals, _ := url.ParseQuery(target)
				p, err := readParams(vals, apiSearchKeys)
				if err != nil {
					t.Fatal(err)
				}
				req, err := srv.searchRequest(p)
				if err != nil {
					t.Fatalf("%s: %v", target, err)
				}
				resp, err := srv.apiSearchResponse(context.Background(), p, req, srv.paths.show)
				if err != nil {
					t.Fatalf("%s: %v", target, err)
				}
				n++
				before, err := json.Marshal((*plainResponse)(resp))
				if err != nil {
					t.Fatal(err)
				}
				wire, err := resp.AppendJSON(nil)
				if err != nil {
					t.Fatal(err)
				}
				var old plainResponse
				var got search.Response
				if err := json.Unmarshal(before, &old); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(wire, &got); err != nil {
					t.Fatalf("%s: %v\n%s", target, err, wire)
				}
				if old.FacetsDisjunctive == nil && resp.FacetsDisjunctive != nil {
					old.FacetsDisjunctive = map[string][]search.FacetValue{} // empty: omitted before, {} now
				}
				if !reflect.DeepEqual(search.Response(old), got) {
					t.Fatalf("%s: the answer decodes to\n%+v\nencoding/json's to\n%+v", target, got, search.Response(old))
				}
				var shape struct {
					Disjunctive map[string]json.RawMessage `json:"facets_disjunctive"`
				}
				if err := json.Unmarshal(wire, &shape); err != nil {
					t.Fatal(err)
				}
				if shape.Disjunctive == nil {
					t.Fatalf("%s: no facets_disjunctive in %s", target, wire)
				}
				for _, field := range search.FacetFields {
					_, listed := shape.Disjunctive[field]
					differs := !reflect.DeepEqual(resp.Facets[field], resp.FacetsDisjunctive[field])
					if listed != differs {
						t.Errorf("%s: facets_disjunctive.%s listed %v, differs from facets %v", target, field, listed, differs)
					}
					if differs && !req.Filter.Restricts(field) {
						t.Errorf("%s: %s is not filtered, yet its disjunctive counts differ", target, field)
					}
					if listed {
						differing++
					}
				}
				// The handler writes these bytes (took_ms aside).
				rec := get(t, e, "/api/search?"+target)
				if want := append(wire, '\n'); !bytes.Equal(tookMS.ReplaceAll(rec.Body.Bytes(), nil), tookMS.ReplaceAll(want, nil)) {
					t.Fatalf("%s: the handler wrote\n%s\nnot\n%s", target, rec.Body, want)
				}
				if cl := rec.Header().Get("Content-Length"); cl != "" && cl != strconv.Itoa(rec.Body.Len()) {
					t.Errorf("%s: Content-Length %s for %d bytes", target, cl, rec.Body.Len())
				}
			}
		}
	}
	if differing == 0 {
		t.Fatalf("none of %d answers had a disjunctive facet differing from facets: the filters test nothing", n)
	}
	t.Logf("%d answers, %d disjunctive fields listed", n, differing)
}

// TestSearchAnswerPretty: ?pretty indents the answer as Echo's c.JSON did.
func TestSearchAnswerPretty(t *testing.T) {
	e := newTestServer(t)
	plain := get(t, e, "/api/search?size=2&q="+url.QueryEscape("网格化治理"))
	pretty := get(t, e, "/api/search?size=2&pretty&q="+url.QueryEscape("网格化治理"))
	var want bytes.Buffer
	if err := json.Indent(&want, bytes.TrimSuffix(plain.Body.Bytes(), []byte("\n")), "", "  "); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	took := regexp.MustCompile(`"took_ms": [0-9.e-]+`)
	if got := took.ReplaceAll(pretty.Body.Bytes(), nil); !bytes.Equal(got, took.ReplaceAll(want.Bytes(), nil)) || !bytes.Contains(got, []byte("\n  \"total\"")) {
		t.Fatalf("pretty answer\n%s\nwant\n%s", got, want.Bytes())
	}
}
