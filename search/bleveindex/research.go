package bleveindex

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"reportsearch/search"
	"reportsearch/search/query"
)

// The research features: filters, facets, sorting by year, grouping by
// report and per-report counts. Every count here comes from bleve's term
// facets over the whole hit set, which are exact as long as no value is
// cut off (allValues) — the same hit set whose size is the search total.

var _ search.Index = (*Index)(nil)

// allValues is the facet size: every distinct value is returned, never
// an "other" remainder (bleve only uses the size to trim the result).
const allValues = math.MaxInt32

// prepare parses and compiles a request's query and adds its filter, and
// any extra clauses, as a bleve Filter clause: it restricts the hit set
// without changing scores.
func prepare(req *search.Request, extra ...bq.Query) (*compiled, error) {
	tree, err := query.Parse(req.Query)
	if err != nil {
		return nil, &search.BadRequestError{Msg: err.Error()}
	}
	c, err := compile(tree, req.Mode)
	if err != nil {
		return nil, err
	}
	clauses := append(filterClauses(&req.Filter), extra...)
	if len(clauses) == 0 {
		return c, nil
	}
	var f bq.Query = clauses[0]
	if len(clauses) > 1 {
		f = bleve.NewConjunctionQuery(clauses...)
	}
	b, ok := c.q.(*bq.BooleanQuery)
	if !ok {
		b = bleve.NewBooleanQuery()
		b.AddMust(c.q)
	}
	b.AddFilter(f)
	c.q = b
	return c, nil
}

// filterClauses compiles a filter: per field, a disjunction of its values;
// years as inclusive numeric ranges, never matching an unknown year (0).
func filterClauses(f *search.Filter) []bq.Query {
	var out []bq.Query
	if len(f.Years) > 0 {
		var ors []bq.Query
		incl := true
		for _, y := range f.Years {
			lo := float64(max(y.From, search.MinYear))
			var hi *float64
			if y.To != 0 {
				h := float64(y.To)
				hi = &h
			}
			q := bleve.NewNumericRangeInclusiveQuery(&lo, hi, &incl, &incl)
			q.SetField(fYear)
			ors = append(ors, q)
		}
		out = append(out, anyOf(ors))
	}
	for _, kv := range []struct {
		field  string
		values []string
	}{{fRegion, f.Regions}, {fLevel, f.Levels}, {fOrg, f.Organizations}, {fDocType, f.DocTypes}} {
		if len(kv.values) == 0 {
			continue
		}
		var ors []bq.Query
		for _, v := range kv.values {
			ors = append(ors, termQuery(kv.field, v))
		}
		out = append(out, anyOf(ors))
	}
	return out
}

func termQuery(field, term string) bq.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}

func anyOf(qs []bq.Query) bq.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// addFacets asks for the number of hits per report. Every facet field is
// report metadata, so the facets are derived from these counts (see
// facetValues): one doc-values field read per hit instead of five.
func addFacets(sreq *bleve.SearchRequest) {
	sreq.AddFacet(fDocID, bleve.NewFacetRequest(fDocID, allValues))
}

// facetValues turns the per-report counts into counts by year, region,
// level, organization and doc type. Unknown values count under "" (year:
// 0), so that each field's counts add up to the total; termCounts checks
// that the per-report counts do.
func (ix *Index) facetValues(perDoc map[string]uint64) (map[string][]search.FacetValue, error) {
	byField := make(map[string]map[any]uint64, len(search.FacetFields))
	for _, name := range search.FacetFields {
		byField[name] = map[any]uint64{}
	}
	for id, n := range perDoc {
		r, err := ix.Report(id)
		if err != nil {
			return nil, fmt.Errorf("bleveindex: facets: %w", err)
		}
		for _, name := range search.FacetFields {
			v, err := search.FieldValue(r, name)
			if err != nil {
				return nil, err
			}
			byField[name][v] += n
		}
	}
	out := make(map[string][]search.FacetValue, len(search.FacetFields))
	for _, name := range search.FacetFields {
		vals := make([]search.FacetValue, 0, len(byField[name]))
		for v, n := range byField[name] {
			vals = append(vals, search.FacetValue{Value: v, Count: n})
		}
		sortFacet(name, vals)
		out[name] = vals
	}
	return out, nil
}

// termCounts returns a term facet's counts by term, missing values under
// "", checked against the total.
func termCounts(res *bleve.SearchResult, name string) (map[string]uint64, error) {
	fr := res.Facets[name]
	if fr == nil {
		return nil, fmt.Errorf("bleveindex: facet %s missing from the result", name)
	}
	counts := map[string]uint64{}
	var sum uint64
	if fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			counts[t.Term] += uint64(t.Count)
			sum += uint64(t.Count)
		}
	}
	if fr.Missing > 0 {
		counts[""] += uint64(fr.Missing)
		sum += uint64(fr.Missing)
	}
	if fr.Other != 0 || sum != res.Total {
		return nil, fmt.Errorf("bleveindex: facet %s counts %d paragraphs (other %d), the search %d", name, sum, fr.Other, res.Total)
	}
	return counts, nil
}

// sortFacet orders years by year (a time axis) and other fields by count,
// largest first, ties by value.
func sortFacet(name string, vals []search.FacetValue) {
	slices.SortFunc(vals, func(a, b search.FacetValue) int {
		if name == search.FieldYear {
			return cmp.Compare(a.Value.(int), b.Value.(int))
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value.(string), b.Value.(string))
	})
}

// yearOrder is the bleve sort of a year sort: year, then reading order,
// which makes every key unique, so equal years always come in the same
// order and SearchAfter paging neither skips nor repeats.
func yearOrder(s search.Sort) []string {
	y := fYear
	if s == search.SortYearDesc {
		y = "-" + fYear
	}
	return []string{y, fDocID, fN}
}

// CountByReport returns the number of matching paragraphs in each report
// with matches, from a doc_id facet over the whole hit set, and the total.
func (ix *Index) CountByReport(ctx context.Context, req search.Request) (map[string]uint64, uint64, error) {
	req.From, req.Size, req.Group = 0, 1, ""
	if err := req.Validate(); err != nil {
		return nil, 0, err
	}
	c, err := prepare(&req)
	if err != nil {
		return nil, 0, err
	}
	sreq := bleve.NewSearchRequestOptions(c.q, 0, 0, false)
	sreq.AddFacet(fDocID, bleve.NewFacetRequest(fDocID, allValues))
	res, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, 0, fmt.Errorf("bleveindex: counting %q: %w", req.Query, err)
	}
	counts, err := termCounts(res, fDocID)
	if err != nil {
		return nil, 0, err
	}
	delete(counts, "") // cannot happen: every paragraph has a doc_id
	return counts, res.Total, nil
}

// searchGroups answers group=doc: the reports with matches, paged, each
// with its exact number of matching paragraphs and its best hits (a
// search restricted to the report, ranked as usual).
func (ix *Index) searchGroups(ctx context.Context, req search.Request, c *compiled) (*search.Response, error) {
	sreq := bleve.NewSearchRequestOptions(c.q, 0, 0, false)
	addFacets(sreq)
	res, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: search %q: %w", req.Query, err)
	}
	counts, err := termCounts(res, fDocID)
	if err != nil {
		return nil, err
	}
	facets, err := ix.facetValues(counts)
	if err != nil {
		return nil, err
	}
	groups := make([]search.DocGroup, 0, len(counts))
	for id, n := range counts {
		r, err := ix.Report(id)
		if err != nil {
			return nil, err
		}
		groups = append(groups, search.DocGroup{
			DocID: id, Title: r.Title, Path: r.Path, Year: r.Year, Region: r.Region, Level: r.Level,
			Organization: r.Organization, DocType: r.DocType, Count: n,
		})
	}
	slices.SortFunc(groups, func(a, b search.DocGroup) int {
		switch req.Sort {
		case search.SortYear:
			if c := cmp.Compare(a.Year, b.Year); c != 0 {
				return c
			}
		case search.SortYearDesc:
			if c := cmp.Compare(b.Year, a.Year); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Year, a.Year); c != 0 {
			return c
		}
		return cmp.Compare(a.DocID, b.DocID)
	})
	resp := &search.Response{Query: req.Query, Total: res.Total, Hits: []search.Hit{}, Facets: facets,
		Groups: []search.DocGroup{}, TotalGroups: len(groups)}
	for i := req.From; i < len(groups) && i < req.From+req.Size; i++ {
		g := groups[i]
		if g.Hits, err = ix.bestHits(ctx, req, g.DocID, int(g.Count)); err != nil {
			return nil, err
		}
		resp.Groups = append(resp.Groups, g)
	}
	return resp, nil
}

// bestHits returns a report's best GroupHits hits for a request.
func (ix *Index) bestHits(ctx context.Context, req search.Request, docID string, count int) ([]search.Hit, error) {
	c, err := prepare(&req, termQuery(fDocID, docID))
	if err != nil {
		return nil, err
	}
	sreq := bleve.NewSearchRequestOptions(c.q, min(count, max(rerankWindow, search.GroupHits)), 0, false)
	sreq.Fields = hitFields
	res, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: hits of %s: %w", docID, err)
	}
	ranked := rerank(res.Hits)
	out := []search.Hit{}
	for i := 0; i < len(ranked) && i < search.GroupHits; i++ {
		h, err := ix.hit(ranked[i], c.marks)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// exportPage is how many hits an export fetches per bleve search.
const exportPage = 500

// Export streams every paragraph matching req, page by page with
// SearchAfter (memory stays bounded however many hits there are). Order:
// for year sorts the same as Search; for relevance bleve's score, highest
// first, ties in reading order — without the rescoring of the top hits,
// which only makes sense for a page of results.
func (ix *Index) Export(ctx context.Context, req search.Request, fn func(search.Row) error) error {
	req.From, req.Size = 0, 1
	if err := req.Validate(); err != nil {
		return err
	}
	if req.Group != "" {
		return search.BadRequestf("an export lists paragraphs: it does not combine with group=%s", req.Group)
	}
	c, err := prepare(&req)
	if err != nil {
		return err
	}
	order := []string{"-_score", fDocID, fN}
	if req.Sort != search.SortRelevance {
		order = yearOrder(req.Sort)
	}
	var after []string
	for {
		sreq := bleve.NewSearchRequestOptions(c.q, exportPage, 0, false)
		sreq.Fields = hitFields
		sreq.SortBy(order)
		if after != nil {
			sreq.SetSearchAfter(after)
		}
		res, err := ix.idx.SearchInContext(ctx, sreq)
		if err != nil {
			return fmt.Errorf("bleveindex: export %q: %w", req.Query, err)
		}
		for _, h := range res.Hits {
			row, err := ix.row(h)
			if err != nil {
				return err
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		if len(res.Hits) < exportPage {
			return nil
		}
		last := res.Hits[len(res.Hits)-1]
		after = slices.Clone(last.Sort)
		if order[0] == "-_score" {
			// The score's sort value is a placeholder; SearchAfter
			// parses the score itself, and 'g' -1 round-trips exactly.
			after[0] = strconv.FormatFloat(last.Score, 'g', -1, 64)
		}
	}
}

func (ix *Index) row(m *bsearch.DocumentMatch) (search.Row, error) {
	f := m.Fields
	docID, _ := f[fDocID].(string)
	n, _ := f[fN].(float64)
	text, _ := f[fText].(string)
	section, _ := f[fSection].(string)
	r, err := ix.Report(docID)
	if err != nil {
		return search.Row{}, err
	}
	return search.Row{
		ID: m.ID, DocID: docID, Title: r.Title, Year: r.Year, Region: r.Region, Level: r.Level,
		Organization: r.Organization, DocType: r.DocType, Path: r.Path, Paragraph: int(n),
		Section: section, Text: text,
	}, nil
}
