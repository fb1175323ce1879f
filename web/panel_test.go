package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/export"
)

// TestPanelCSV: every cell of panel=region,year (long and wide) equals a
// brute-force count over the query's export rows (paragraphs, and the
// occurrences of its terms by strings.Count over folded text), and each
// year's cells add up to the search narrowed to that year.
func TestPanelCSV(t *testing.T) {
	e := newTestServer(t)
	queries := []string{"乡村振兴", "网格化治理 | 城市更新"}
	type key struct{ region, year, q string }
	want := map[key][2]uint64{}
	for _, q := range queries {
		pq, err := search.ParseQuery(q, search.ModeExact)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range exportJSONL(t, e, "/api/search?format=jsonl&q="+url.QueryEscape(q)) {
			k := key{r.Region, strconv.Itoa(r.Year), q}
			c := want[k]
			c[0]++
			for _, m := range pq.Marks {
				c[1] += uint64(strings.Count(analysis.FoldString(r.Text), m))
			}
			want[k] = c
		}
	}
	v := url.Values{"q": queries, "panel": {"region,year"}, "format": {"csv"}}
	rec := get(t, e, "/api/trends?"+v.Encode())
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), export.BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "region,year,"+strings.Join(export.PanelLongColumns, ",") {
		t.Fatalf("header %s", got)
	}
	got := map[key][2]uint64{}
	byYear := map[string]uint64{}
	for _, r := range recs[1:] {
		paras, _ := strconv.ParseUint(r[3], 10, 64)
		occ, _ := strconv.ParseUint(r[4], 10, 64)
		if paras > 0 {
			got[key{r[0], r[1], r[2]}] = [2]uint64{paras, occ}
		}
		if r[2] == queries[0] {
			byYear[r[1]] += paras
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d non-empty cells, brute force %d", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("cell %v: %v, brute force %v", k, got[k], w)
		}
	}
	for y, n := range byYear {
		if y == "0" {
			continue
		}
		var resp search.Response
		getJSON(t, e, "/api/search?size=1&q="+url.QueryEscape(queries[0])+"&year="+y, &resp)
		if resp.Total != n {
			t.Errorf("year %s: cells sum to %d, the search finds %d", y, n, resp.Total)
		}
	}

	// Wide: one row per region, a block of year columns per theme.
	v.Set("layout", "wide")
	v.Set("metric", "occurrences")
	rec = get(t, e, "/api/trends?"+v.Encode())
	recs, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), export.BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	for _, r := range recs[1:] {
		for i, cell := range r[1:] {
			q, year, _ := strings.Cut(header[i+1], " ")
			if strings.Contains(header[i+1], "|") { // "网格化治理 | 城市更新 2022"
				j := strings.LastIndex(header[i+1], " ")
				q, year = header[i+1][:j], header[i+1][j+1:]
			}
			if cell == "" {
				continue
			}
			n, _ := strconv.ParseUint(cell, 10, 64)
			if w := want[key{r[0], year, q}][1]; n != w {
				t.Errorf("wide %s %s %q: %d occurrences, brute force %d", r[0], year, q, n, w)
			}
		}
	}
	for _, bad := range []string{"panel=region", "panel=year,year", "panel=region,year&layout=tall", "panel=region,year&metric=x", "metric=x"} {
		if rec := get(t, e, "/api/trends?q=x&"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

// TestTrendsOccurrences: metric=occurrences counts the terms in each
// bucket's matching paragraphs, as brute force does.
func TestTrendsOccurrences(t *testing.T) {
	e := newTestServer(t)
	q := "乡村振兴"
	want := map[string]uint64{}
	for _, r := range exportJSONL(t, e, "/api/search?format=jsonl&q="+url.QueryEscape(q)) {
		want[strconv.Itoa(r.Year)] += uint64(strings.Count(analysis.FoldString(r.Text), q))
	}
	rec := get(t, e, "/api/trends?metric=occurrences&q="+url.QueryEscape(q))
	var resp search.TrendsResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	for _, p := range resp.Series[0].Points {
		y := fmt.Sprint(p.Value)
		if p.Occurrences != want[y] {
			t.Errorf("%s: %d occurrences, brute force %d", y, p.Occurrences, want[y])
		}
		if p.Occurrences < p.Paragraphs {
			t.Errorf("%s: fewer occurrences (%d) than paragraphs (%d)", y, p.Occurrences, p.Paragraphs)
		}
	}
}

// TestTrendsProvinces: by=region&region_level=province rolls districts up
// to their province; each bucket counts what region=PROVINCE finds.
func TestTrendsProvinces(t *testing.T) {
	e := newTestServer(t)
	q := "发展"
	var resp search.TrendsResponse
	getJSON(t, e, "/api/trends?by=region&region_level=province&q="+url.QueryEscape(q), &resp)
	seen := false
	for _, p := range resp.Series[0].Points {
		v := p.Value.(string)
		if v == "" {
			continue
		}
		if strings.HasSuffix(v, "芝罘区") {
			t.Errorf("a district bucket %s with region_level=province", v)
		}
		seen = seen || v == "山东省"
		var s search.Response
		getJSON(t, e, "/api/search?size=1&q="+url.QueryEscape(q)+"&region="+url.QueryEscape(v), &s)
		if s.Total != p.Paragraphs {
			t.Errorf("bucket %s: %d paragraphs, region=%s finds %d", v, p.Paragraphs, v, s.Total)
		}
	}
	if !seen {
		t.Error("no 山东省 bucket")
	}
	if rec := get(t, e, "/api/trends?q=x&region_level=province"); rec.Code != http.StatusBadRequest {
		t.Errorf("region_level with by=year: %d", rec.Code)
	}
}
