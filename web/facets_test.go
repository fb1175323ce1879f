package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"reportsearch/search"
)

// TestDisjunctiveFacetsAPI: facets_disjunctive of each field equals a
// brute-force count of the unfiltered export's rows that pass the other
// fields' filters; facets stays the count under every filter.
func TestDisjunctiveFacetsAPI(t *testing.T) {
	e := newTestServer(t)
	for _, q := range []string{"发展", "网格化治理", "乡村振兴"} {
		all := exportJSONL(t, e, "/api/search?format=jsonl&q="+url.QueryEscape(q))
		for _, filter := range []string{"year=2021", "year=2021&year=2023&level=provincial", "level=national&doc_type=政府工作报告", "region=全国&year=2020..2024"} {
			vals, _ := url.ParseQuery(filter)
			f, err := search.ParseFilter(vals)
			if err != nil {
				t.Fatal(err)
			}
			rec := get(t, e, "/api/search?size=1&q="+url.QueryEscape(q)+"&"+filter)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", filter, rec.Code, rec.Body)
			}
			var resp search.Response
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			for _, field := range search.FacetFields {
				want, under := map[string]uint64{}, map[string]uint64{}
				other := f.Without(field)
				for _, r := range all {
					rep := search.Report{Year: r.Year, Region: r.Region, Level: r.Level, Organization: r.Organization, DocType: r.DocType}
					v, _ := search.FieldValue(&rep, field)
					if other.Match(&rep) {
						want[fmt.Sprint(v)]++
					}
					if f.Match(&rep) {
						under[fmt.Sprint(v)]++
					}
				}
				if got := countsOf(resp.FacetsDisjunctive[field]); !sameCounts(got, want) {
					t.Errorf("%q %s: facets_disjunctive.%s %v, brute force %v", q, filter, field, got, want)
				}
				if got := countsOf(resp.Facets[field]); !sameCounts(got, under) {
					t.Errorf("%q %s: facets.%s %v, brute force %v", q, filter, field, got, under)
				}
			}
		}
	}
}

func countsOf(vals []search.FacetValue) map[string]uint64 {
	out := map[string]uint64{}
	for _, v := range vals {
		// JSON numbers decode as float64: 2021, not 2021.0.
		out[fmt.Sprint(v.Value)] += v.Count
	}
	return out
}

func sameCounts(a, b map[string]uint64) bool {
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

func exportJSONL(t *testing.T, e *echo.Echo, target string) []search.Row {
	t.Helper()
	rec := get(t, e, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	var rows []search.Row
	for _, line := range strings.Split(strings.TrimSpace(rec.Body.String()), "\n") {
		if line == "" {
			continue
		}
		var r search.Row
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

// TestMultiSelectFacetsPage: with year=2021 chosen, the year facet still
// links the other years, each link adding its year to the choice (OR),
// and the count beside it is the paragraphs it would add.
func TestMultiSelectFacetsPage(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/?q="+url.QueryEscape("发展")+"&year=2021")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	doc, err := html.Parse(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	years := map[string]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			for _, a := range n.Attr {
				if a.Key == "href" && strings.Contains(a.Val, "year=") && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
					years[strings.TrimPrefix(n.FirstChild.Data, "✓ ")] = a.Val
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(years) < 3 {
		t.Fatalf("year facet with 2021 chosen lists %v: the other years are gone", years)
	}
	href, ok := years["2022"]
	if !ok {
		t.Fatalf("2022 not listed beside the chosen 2021: %v", years)
	}
	u, _ := url.Parse(href)
	if got := u.Query()["year"]; len(got) != 2 || got[0] != "2021" || got[1] != "2022" {
		t.Errorf("2022's link gives year=%v, want 2021 and 2022", got)
	}
}

func apiResponse(t *testing.T, e *echo.Echo, target string) search.Response {
	t.Helper()
	rec := get(t, e, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	var resp search.Response
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestRegionTreeAPI: every node of region_tree counts what region=VALUE
// finds under the other filters (the roll-up is the filter's hierarchy),
// and 网格化治理 with region=山东省 finds the 芝罘区 report.
func TestRegionTreeAPI(t *testing.T) {
	e := newTestServer(t)
	for _, c := range []struct{ q, filter string }{{"网格化治理", ""}, {"发展", "year=2022"}, {"人民", "region=山东省"}} {
		resp := apiResponse(t, e, "/api/search?size=1&region_tree=1&q="+url.QueryEscape(c.q)+"&"+c.filter)
		if len(resp.RegionTree) == 0 {
			t.Fatalf("%q: no region_tree", c.q)
		}
		vals, _ := url.ParseQuery(c.filter)
		vals.Del("region")
		var walk func(ns []search.RegionNode)
		walk = func(ns []search.RegionNode) {
			for _, n := range ns {
				v := url.Values{"q": {c.q}, "size": {"1"}, "region": {n.Value}}
				for k, vs := range vals {
					v[k] = vs
				}
				if got := apiResponse(t, e, "/api/search?"+v.Encode()).Total; got != n.Count {
					t.Errorf("%q %s: node %s counts %d, region=%s finds %d", c.q, c.filter, n.Value, n.Count, n.Value, got)
				}
				walk(n.Children)
			}
		}
		walk(resp.RegionTree)
	}
	resp := apiResponse(t, e, "/api/search?size=100&q="+url.QueryEscape("网格化治理")+"&region="+url.QueryEscape("山东省"))
	found := false
	for _, h := range resp.Hits {
		found = found || strings.HasSuffix(h.Region, "芝罘区")
	}
	if !found {
		t.Errorf("网格化治理 region=山东省: no 芝罘区 hit among %d", resp.Total)
	}
	if rec := get(t, e, "/api/search?q=x&region_tree=yes"); rec.Code != http.StatusBadRequest {
		t.Errorf("region_tree=yes: %d", rec.Code)
	}
	// The page lists 山东省 with 烟台市 and 芝罘区 under it.
	rec := get(t, e, "/?q="+url.QueryEscape("网格化治理"))
	body := rec.Body.String()
	for _, want := range []string{">山东省</a>", `class="sub d1"`, ">芝罘区</a>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page has no %s", want)
		}
	}
}

// TestSizeZeroAndNegative: size=0 and size=-5 are the same 400.
func TestSizeZeroAndNegative(t *testing.T) {
	e := newTestServer(t)
	for _, size := range []string{"0", "-5", "101"} {
		rec := get(t, e, "/api/search?q=x&size="+size)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "size must be between 1 and 100") {
			t.Errorf("size=%s: %d %s", size, rec.Code, rec.Body)
		}
	}
}

// TestEmptyResultsHelp: an empty page offers loose mode and removing the
// filters; a from beyond the last page says so.
func TestEmptyResultsHelp(t *testing.T) {
	e := newTestServer(t)
	body := get(t, e, "/?q="+url.QueryEscape("网格化治理")+"&region="+url.QueryEscape("火星")).Body.String()
	for _, want := range []string{"empty-help", "mode=loose", "去掉筛选条件"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty page has no %s", want)
		}
	}
	body = get(t, e, "/?q="+url.QueryEscape("网格化治理")+"&from=9000").Body.String()
	if !strings.Contains(body, "超出了结果范围") {
		t.Error("from beyond the last page is not said")
	}
}
