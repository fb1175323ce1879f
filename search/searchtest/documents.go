package searchtest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"reportsearch/search"
)

// testDocuments: Reports lists every report once, in order, with its
// metadata as written and its paragraphs counted; Report and Paragraphs
// return each report as written, numbered from 1; unknown ids are
// search.ErrNotFound; the reader and the report list work over the
// backend.
func (s *suite) testDocuments(t *testing.T) {
	checkDocuments(t, s.b, s.m)
	ctx := context.Background()
	if _, err := s.b.Report("no-such-report"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Report of an unknown id: %v, want ErrNotFound", err)
	}
	if _, err := s.b.Paragraphs(ctx, "no-such-report"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Paragraphs of an unknown id: %v, want ErrNotFound", err)
	}
	// The reader: a whole report, and a paragraph with its context.
	var longest *mreport
	for _, r := range s.m.reports {
		if longest == nil || len(r.paras) > len(longest.paras) {
			longest = r
		}
	}
	doc, err := search.LoadDocument(ctx, s.b, longest.meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sameReport(doc.Report, longest.meta) || !slices.Equal(doc.Paragraphs, longest.paras) {
		t.Errorf("LoadDocument %s: not the report as written", longest.meta.ID)
	}
	n := len(longest.paras) / 2
	pc, err := search.LoadParagraph(ctx, s.b, longest.meta.ID, n, 2)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Paragraph != longest.paras[n-1] || !slices.Equal(pc.Before, longest.paras[n-3:n-1]) || !slices.Equal(pc.After, longest.paras[n:n+2]) {
		t.Errorf("LoadParagraph %s %d: %+v", longest.meta.ID, n, pc)
	}
	if _, err := search.LoadParagraph(ctx, s.b, longest.meta.ID, len(longest.paras)+1, 2); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("a paragraph past the end: %v, want ErrNotFound", err)
	}
	// The report list: filtered like the model, in its order.
	for _, fc := range filters {
		for _, sort := range []search.Sort{search.SortYear, search.SortYearDesc} {
			list, err := search.ListReports(s.b, fc.f, sort)
			if err != nil {
				t.Fatal(err)
			}
			var want []search.Report
			for _, r := range s.m.list() {
				if fc.f.Match(&r) {
					want = append(want, r)
				}
			}
			search.SortReports(want, sort)
			if list.Total != len(want) || !sameReports(list.Reports, want) {
				t.Errorf("ListReports %s %s: %d reports, want %d", fc.name, sort, list.Total, len(want))
			}
		}
	}
}

// checkDocuments compares every report and paragraph of a backend with
// the model's, and Reports with the model's list.
func checkDocuments(t testing.TB, b Backend, m *model) {
	t.Helper()
	ctx := context.Background()
	got, err := b.Reports()
	if err != nil {
		t.Fatal(err)
	}
	want := m.list()
	if !sameReports(got, want) {
		t.Errorf("Reports: %d reports, model %d (or another order, or other metadata)", len(got), len(want))
		for i := range min(len(got), len(want)) {
			if !sameReport(got[i], want[i]) {
				t.Errorf("Reports[%d]: %+v, model %+v", i, got[i], want[i])
				break
			}
		}
	}
	for _, id := range m.ids() {
		r := m.reports[id]
		meta, err := b.Report(id)
		if err != nil || !sameReport(*meta, r.meta) {
			t.Errorf("Report %s: %+v %v, want %+v", id, meta, err, r.meta)
		}
		ps, err := b.Paragraphs(ctx, id)
		if err != nil || ps == nil || !slices.Equal(ps, r.paras) {
			t.Errorf("Paragraphs %s: %d paragraphs %v, want %d", id, len(ps), err, len(r.paras))
		}
	}
	for id := range m.deleted {
		if _, err := b.Report(id); !errors.Is(err, search.ErrNotFound) {
			t.Errorf("deleted report %s: %v, want ErrNotFound", id, err)
		}
		if _, err := b.Paragraphs(ctx, id); !errors.Is(err, search.ErrNotFound) {
			t.Errorf("paragraphs of deleted report %s: %v, want ErrNotFound", id, err)
		}
	}
}

func sameReports(a, b []search.Report) bool {
	return slices.EqualFunc(a, b, sameReport)
}

// answers is what a backend says to a fixed set of requests, as JSON
// (took_ms left out), to compare one index with itself after reopening.
func answers(t testing.TB, b Backend) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	add := func(v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(raw))
	}
	for _, q := range []string{"发展", "城市更新 | 乡村振兴", "改革 -开放", "罘", `"（一）"`} {
		for _, sort := range []search.Sort{search.SortRelevance, search.SortYear, search.SortYearDesc} {
			for _, req := range []search.Request{
				{Query: q, Sort: sort},
				{Query: q, Sort: sort, From: 40, Size: 20, Filter: filters[1].f},
				{Query: q, Sort: sort, Group: search.GroupDoc},
				{Query: q, Sort: sort, Mode: search.ModeLoose, Size: 3},
			} {
				resp := mustSearch(t, b, req)
				resp.TookMS = 0
				add(resp)
			}
			add(exportRows(t, b, search.Request{Query: q, Sort: sort}))
		}
	}
	tr, err := search.Trends(ctx, b, search.TrendsRequest{Queries: []string{"发展", "网格化治理"}, By: search.FieldRegion})
	if err != nil {
		t.Fatal(err)
	}
	tr.TookMS = 0
	add(tr)
	rs, err := b.Reports()
	if err != nil {
		t.Fatal(err)
	}
	add(rs)
	for i, r := range rs {
		if i%7 == 0 {
			ps, err := b.Paragraphs(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			add(ps)
		}
	}
	return out
}

// testReopen: after Close, the same folder opened again holds every
// report and gives the same answers, byte for byte.
func (s *suite) testReopen(t *testing.T) {
	before := answers(t, s.b)
	if err := s.b.Close(); err != nil {
		t.Fatal(err)
	}
	s.b = nil
	s.b = s.open(t, s.dir)
	after := answers(t, s.b)
	if len(after) != len(before) {
		t.Fatalf("%d answers after reopening, %d before", len(after), len(before))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("answer %d differs after reopening:\n%.300s\nbefore:\n%.300s", i, after[i], before[i])
		}
	}
	checkDocuments(t, s.b, s.m)
}
