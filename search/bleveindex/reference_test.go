package bleveindex_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/memindex"
	"reportsearch/search/searchtest"
)

// TestAgreesWithReference compares the bleve index of the corpus with
// package memindex, the brute-force reference, on random queries and
// filters: the same answers wherever the contract fixes them — totals,
// facets, per-report counts, hit sets, the year sorts' pages and exports
// hit for hit, the reports of grouped searches in order with their counts,
// trends — everything but relevance scores, which each backend computes
// its own way.
func TestAgreesWithReference(t *testing.T) {
	ix := testcorpus.Index(t)
	ref, err := memindex.Open(filepath.Join(t.TempDir(), "ref"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	data := searchtest.Corpus(t)
	if err := ref.Put(searchtest.Clone(data)...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var texts []string
	for _, rd := range data {
		for _, p := range rd.Paragraphs {
			texts = append(texts, analysis.FoldString(p.Text))
		}
	}
	rng := rand.New(rand.NewSource(20261202))
	draw := func() string {
		for {
			runes := []rune(texts[rng.Intn(len(texts))])
			l := 1 + rng.Intn(5)
			if len(runes) < l {
				continue
			}
			i := rng.Intn(len(runes) - l + 1)
			if s := string(runes[i : i+l]); !strings.ContainsAny(s, "\"") && strings.TrimSpace(s) == s {
				return `"` + s + `"`
			}
		}
	}
	filters := []search.Filter{
		{},
		{Years: []search.YearRange{{From: 2018, To: 2023}}},
		{Levels: []string{"provincial"}},
		{DocTypes: []string{"政府工作报告"}, Years: []search.YearRange{{From: 2010}}},
	}
	asJSON := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	// noScores blanks what the contract leaves to each backend.
	noScores := func(resp *search.Response) *search.Response {
		resp.TookMS = 0
		for i := range resp.Hits {
			resp.Hits[i].Score = 0
		}
		for i := range resp.Groups {
			resp.Groups[i].Hits = nil
		}
		return resp
	}
	export := func(idx search.Index, req search.Request) []search.Row {
		var rows []search.Row
		if err := idx.Export(ctx, req, func(r search.Row) error { rows = append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for n := range 60 {
		q := draw()
		if n%4 == 3 {
			q = draw() + " | " + draw()
		}
		f := filters[n%len(filters)]
		label := fmt.Sprintf("%s %s", q, f.String())
		for _, sort := range []search.Sort{search.SortYear, search.SortYearDesc, search.SortRelevance} {
			for _, req := range []search.Request{
				{Query: q, Filter: f, Sort: sort, Size: 7, From: 7 * (n % 3)},
				{Query: q, Filter: f, Sort: sort, Group: search.GroupDoc, Size: 10},
			} {
				a, err := ix.Search(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				b, err := ref.Search(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if sort == search.SortRelevance && req.Group == "" {
					// Another ranking: the same total and facets.
					a.Hits, b.Hits = nil, nil
				}
				if ja, jb := asJSON(noScores(a)), asJSON(noScores(b)); ja != jb {
					t.Errorf("%s %s group=%s: bleve and the reference answer differently:\n%.400s\n%.400s", label, sort, req.Group, ja, jb)
				}
			}
			ea, eb := export(ix, search.Request{Query: q, Filter: f, Sort: sort}), export(ref, search.Request{Query: q, Filter: f, Sort: sort})
			if sort == search.SortRelevance {
				// Another ranking, other scores: the same rows.
				ka, kb := map[string]bool{}, map[string]bool{}
				for _, r := range ea {
					r.Score = nil
					ka[asJSON(r)] = true
				}
				for _, r := range eb {
					r.Score = nil
					kb[asJSON(r)] = true
				}
				if len(ea) != len(eb) || len(ka) != len(kb) || asJSON(ka) != asJSON(kb) {
					t.Errorf("%s: the exports hold different rows (%d and %d)", label, len(ea), len(eb))
				}
			} else if asJSON(ea) != asJSON(eb) {
				t.Errorf("%s %s: the exports differ (%d and %d rows)", label, sort, len(ea), len(eb))
			}
		}
		ca, ta, err := ix.CountByReport(ctx, search.Request{Query: q, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		cb, tb, err := ref.CountByReport(ctx, search.Request{Query: q, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		if ta != tb || asJSON(ca) != asJSON(cb) {
			t.Errorf("%s: per-report counts differ (totals %d and %d)", label, ta, tb)
		}
		if t.Failed() {
			return
		}
	}
	for _, by := range search.FacetFields {
		req := search.TrendsRequest{Queries: []string{"发展", "网格化治理", "城市更新 | 乡村振兴"}, By: by}
		a, err := search.Trends(ctx, ix, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := search.Trends(ctx, ref, req)
		if err != nil {
			t.Fatal(err)
		}
		a.TookMS, b.TookMS = 0, 0
		if asJSON(a) != asJSON(b) {
			t.Errorf("trends by %s differ", by)
		}
	}
}
