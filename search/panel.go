package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"reportsearch/search/analysis"
)

// Occurrences and panels: what a policy-attention study counts.
//
// A trend counts matching paragraphs. Occurrences count the matches of
// the query's terms (Query.Marks, its positive terms) inside the matching
// paragraphs: for each paragraph, strings.Count of each term in its
// folded text (non-overlapping, left to right), summed, the same totals
// the workbench's concordance reports. A panel counts by two fields at
// once (region × year), one cell per pair of values and query, for Stata,
// R or Excel.

// reportCounts is one query's matching paragraphs and, when asked,
// occurrences, per report id.
type reportCounts struct {
	paragraphs  map[string]uint64
	occurrences map[string]uint64
	total       uint64
}

// countReports counts a query per report: CountByReport, or with
// occurrences an export of every matching paragraph.
func countReports(ctx context.Context, idx Index, req Request, occurrences bool) (*reportCounts, error) {
	if !occurrences {
		counts, total, err := idx.CountByReport(ctx, req)
		return &reportCounts{paragraphs: counts, total: total}, err
	}
	rc := &reportCounts{paragraphs: map[string]uint64{}, occurrences: map[string]uint64{}}
	marks := req.Parsed.Marks
	err := idx.Export(ctx, req, func(r Row) error {
		rc.paragraphs[r.DocID]++
		rc.total++
		f := analysis.FoldString(r.Text)
		for _, m := range marks {
			if m != "" {
				rc.occurrences[r.DocID] += uint64(strings.Count(f, m))
			}
		}
		return nil
	})
	return rc, err
}

// PanelRequest asks for a trends panel: every query counted by two
// fields at once.
type PanelRequest struct {
	TrendsRequest
	// Rows and Cols are the two fields (of FacetFields, different), e.g.
	// region and year.
	Rows, Cols string
}

// PanelResponse is a panel: the values of both fields among the reports
// that pass the filter (with or without matches, so gaps show), and one
// cell per row value, column value and query that has reports.
type PanelResponse struct {
	Rows      string      `json:"rows"`
	Cols      string      `json:"cols"`
	RowValues []any       `json:"row_values"`
	ColValues []any       `json:"col_values"`
	Queries   []string    `json:"queries"`
	Cells     []PanelCell `json:"cells"`
	TookMS    float64     `json:"took_ms"`
}

// PanelCell is one query's counts among the reports with one value of
// each field. Paragraphs equals the total of a search with the query and
// filter and exactly these two values; Rate is Paragraphs per RatePer
// characters of the cell's reports, OccurrenceRate the same for
// Occurrences.
type PanelCell struct {
	Row            any     `json:"row"`
	Col            any     `json:"col"`
	Query          string  `json:"query"`
	Paragraphs     uint64  `json:"paragraphs"`
	Occurrences    uint64  `json:"occurrences"`
	Reports        int     `json:"reports"`
	Chars          int     `json:"chars"`
	Rate           float64 `json:"rate"`
	OccurrenceRate float64 `json:"occurrence_rate"`
}

// ParsePanel reads a panel parameter: "region,year".
func ParsePanel(s string) (rows, cols string, err error) {
	rows, cols, ok := strings.Cut(s, ",")
	rows, cols = strings.TrimSpace(rows), strings.TrimSpace(cols)
	if !ok || !slices.Contains(FacetFields, rows) || !slices.Contains(FacetFields, cols) || rows == cols {
		return "", "", BadRequestf("panel must be two different fields of %s, such as region,year, not %q", strings.Join(FacetFields, ", "), s)
	}
	return rows, cols, nil
}

// Panel counts every query by two fields, paragraphs and occurrences
// (every matching paragraph is read, as an export would).
func Panel(ctx context.Context, idx Index, req PanelRequest) (*PanelResponse, error) {
	start := time.Now()
	req.By = req.Rows
	if err := req.TrendsRequest.Validate(); err != nil {
		return nil, err
	}
	if !slices.Contains(FacetFields, req.Cols) || req.Cols == req.Rows {
		return nil, BadRequestf("panel needs two different fields of %s", strings.Join(FacetFields, ", "))
	}
	all, err := idx.Reports()
	if err != nil {
		return nil, err
	}
	type key struct{ r, c any }
	type cellBase struct{ reports, chars int }
	base := map[key]*cellBase{}
	of := map[string]key{}
	var rowVals, colVals []any
	for i := range all {
		r := &all[i]
		if !req.Filter.Match(r) {
			continue
		}
		k := key{fieldValue(r, req.Rows), fieldValue(r, req.Cols)}
		if base[k] == nil {
			base[k] = &cellBase{}
		}
		base[k].reports++
		base[k].chars += r.Chars
		of[r.ID] = k
		if !slices.Contains(rowVals, k.r) {
			rowVals = append(rowVals, k.r)
		}
		if !slices.Contains(colVals, k.c) {
			colVals = append(colVals, k.c)
		}
	}
	slices.SortFunc(rowVals, valueOrder(req.Rows))
	slices.SortFunc(colVals, valueOrder(req.Cols))
	resp := &PanelResponse{Rows: req.Rows, Cols: req.Cols, RowValues: rowVals, ColValues: colVals,
		Queries: req.Queries, Cells: []PanelCell{}}
	if resp.RowValues == nil {
		resp.RowValues, resp.ColValues = []any{}, []any{}
	}
	for qi, q := range req.Queries {
		rc, err := countReports(ctx, idx, Request{Query: q, Mode: req.Mode, Filter: req.Filter, Parsed: req.Parsed[qi]}, true)
		if err != nil {
			return nil, err
		}
		type counts struct {
			paras, occ uint64
			reports    int
		}
		byKey := map[key]*counts{}
		for id, n := range rc.paragraphs {
			k, ok := of[id]
			if !ok {
				return nil, fmt.Errorf("search: the index changed during a panel request; try again")
			}
			if byKey[k] == nil {
				byKey[k] = &counts{}
			}
			byKey[k].paras += n
			byKey[k].occ += rc.occurrences[id]
			byKey[k].reports++
		}
		for _, rv := range rowVals {
			for _, cv := range colVals {
				k := key{rv, cv}
				b := base[k]
				if b == nil {
					continue
				}
				c := PanelCell{Row: rv, Col: cv, Query: q, Chars: b.chars}
				if n := byKey[k]; n != nil {
					c.Paragraphs, c.Occurrences, c.Reports = n.paras, n.occ, n.reports
				}
				if b.chars > 0 {
					c.Rate = float64(c.Paragraphs) / float64(b.chars) * RatePer
					c.OccurrenceRate = float64(c.Occurrences) / float64(b.chars) * RatePer
				}
				resp.Cells = append(resp.Cells, c)
			}
		}
	}
	resp.TookMS = TookMS(start)
	return resp, nil
}
