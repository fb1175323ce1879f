package searchtest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// model is the brute-force model of an index: its reports as written,
// numbered and counted the way the contract says a backend stores them.
type model struct {
	reports map[string]*mreport
	deleted map[string]bool
	// gone is the folded text of replaced and deleted paragraphs, for
	// queries that must find nothing of them.
	gone []string
	all  []mpara // cache of paras, nil after a change
}

type mreport struct {
	meta  search.Report
	paras []search.Paragraph
}

// mpara is one paragraph as the oracle sees it.
type mpara struct {
	id     string
	report *search.Report
	para   search.Paragraph
	folded string
}

func newModel(rds ...search.ReportData) *model {
	m := &model{reports: map[string]*mreport{}, deleted: map[string]bool{}}
	m.put(rds...)
	return m
}

// put applies a Put: each report replaces the one with its id, in order.
func (m *model) put(rds ...search.ReportData) {
	for _, rd := range Clone(rds) {
		m.bury(rd.Report.ID)
		for i := range rd.Paragraphs {
			rd.Paragraphs[i].N = i + 1
		}
		rd.Count()
		m.reports[rd.Report.ID] = &mreport{meta: rd.Report, paras: rd.Paragraphs}
		delete(m.deleted, rd.Report.ID)
	}
	m.all = nil
}

func (m *model) del(ids ...string) {
	for _, id := range ids {
		if _, ok := m.reports[id]; ok {
			m.bury(id)
			delete(m.reports, id)
			m.deleted[id] = true
		}
	}
	m.all = nil
}

func (m *model) bury(id string) {
	if old, ok := m.reports[id]; ok {
		for _, p := range old.paras {
			m.gone = append(m.gone, analysis.FoldString(p.Text))
		}
	}
}

func (m *model) ids() []string {
	ids := make([]string, 0, len(m.reports))
	for id := range m.reports {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// paras returns every paragraph in reading order: by report id, then
// paragraph number.
func (m *model) paras() []mpara {
	if m.all == nil {
		m.all = []mpara{}
		for _, id := range m.ids() {
			r := m.reports[id]
			for _, p := range r.paras {
				m.all = append(m.all, mpara{id: search.ParagraphID(id, p.N), report: &r.meta, para: p, folded: analysis.FoldString(p.Text)})
			}
		}
	}
	return m.all
}

// list returns the reports in the order of Reports.
func (m *model) list() []search.Report {
	out := make([]search.Report, 0, len(m.reports))
	for _, r := range m.reports {
		out = append(out, r.meta)
	}
	search.SortReports(out, search.SortYear)
	return out
}

// match returns the paragraphs that are hits of a query and a filter.
func (m *model) match(t testing.TB, q string, mode search.Mode, f search.Filter) []mpara {
	t.Helper()
	pq, err := search.ParseQuery(q, mode)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	out := []mpara{}
	for _, p := range m.paras() {
		if f.Match(p.report) && query.Match(pq.Eval, p.folded) {
			out = append(out, p)
		}
	}
	return out
}

// perReport counts hits by report id.
func perReport(ps []mpara) map[string]uint64 {
	out := map[string]uint64{}
	for _, p := range ps {
		out[p.report.ID]++
	}
	return out
}

func idsOf(ps []mpara) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.id
	}
	return out
}

// facetsOf counts hits by each facet field, values as fmt.Sprint.
func facetsOf(ps []mpara) map[string]map[string]uint64 {
	out := map[string]map[string]uint64{}
	for _, field := range search.FacetFields {
		out[field] = map[string]uint64{}
		for _, p := range ps {
			v, _ := search.FieldValue(p.report, field)
			out[field][fmt.Sprint(v)]++
		}
	}
	return out
}

// drawTerm draws a quotable substring of 1–maxLen characters of one of
// texts, or "" when the draw is unusable.
func drawTerm(rnd func(int) int, texts []string, maxLen int) string {
	if len(texts) == 0 {
		return ""
	}
	runes := []rune(texts[rnd(len(texts))])
	l := 1 + rnd(maxLen)
	if len(runes) < l {
		return ""
	}
	i := rnd(len(runes) - l + 1)
	s := string(runes[i : i+l])
	if strings.Contains(s, `"`) || strings.TrimSpace(s) != s || s == "" {
		return ""
	}
	return s
}

// sameReport compares a report's metadata with the model's, Inferred nil
// or empty alike.
func sameReport(a, b search.Report) bool {
	if !slices.Equal(a.Inferred, b.Inferred) {
		return false
	}
	a.Inferred, b.Inferred = nil, nil
	return reflect.DeepEqual(a, b)
}
