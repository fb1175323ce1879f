package bleveindex

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"reportsearch/search"
)

// The research features: filters, facets, sorting by year, grouping by
// report, per-report counts and export. Every count comes from the exact
// side's per-report hit counts (result.perReport) over the whole hit set,
// the same set whose size is the total.

var _ search.Index = (*Index)(nil)

// facetValues turns per-report counts into counts by year, region, level,
// organization and doc type. Unknown values count under "" (year: 0), so
// that each field's counts add up to the total.
func facetValues(snap *snapshot, perReport []uint32) map[string][]search.FacetValue {
	out := make(map[string][]search.FacetValue, len(search.FacetFields))
	for i, name := range search.FacetFields {
		t := snap.facets[i]
		counts := make([]uint64, len(t.values))
		for g, n := range perReport {
			counts[t.of[g]] += uint64(n)
		}
		vals := []search.FacetValue{}
		for j, n := range counts {
			if n > 0 {
				vals = append(vals, search.FacetValue{Value: t.values[j], Count: n})
			}
		}
		sortFacet(name, vals)
		out[name] = vals
	}
	return out
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

// CountByReport returns the number of matching paragraphs in each report
// with matches, and the total.
func (ix *Index) CountByReport(ctx context.Context, req search.Request) (map[string]uint64, uint64, error) {
	req.From, req.Size, req.Group = 0, 1, ""
	if err := req.Validate(); err != nil {
		return nil, 0, err
	}
	snap := ix.acquire()
	defer snap.release()
	_, res, err := ix.run(ctx, snap, &req)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]uint64{}
	for g, n := range res.perReport {
		if n > 0 {
			counts[snap.reports[g].ID] = uint64(n)
		}
	}
	return counts, res.total, nil
}

// searchGroups answers group=doc: the reports with matches, paged, each
// with its exact number of matching paragraphs and its best hits (ranked
// as usual within the report).
func (ix *Index) searchGroups(ctx context.Context, req search.Request, p *plan, res *result, facets map[string][]search.FacetValue) (*search.Response, error) {
	type group struct {
		g int32
		r *search.Report
		n uint32
	}
	var groups []group
	for g, n := range res.perReport {
		if n > 0 {
			groups = append(groups, group{int32(g), res.snap.reports[g], n})
		}
	}
	slices.SortFunc(groups, func(a, b group) int {
		switch req.Sort {
		case search.SortYear:
			if c := cmp.Compare(a.r.Year, b.r.Year); c != 0 {
				return c
			}
		case search.SortYearDesc:
			if c := cmp.Compare(b.r.Year, a.r.Year); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		if c := cmp.Compare(b.r.Year, a.r.Year); c != 0 {
			return c
		}
		return cmp.Compare(a.r.ID, b.r.ID)
	})
	resp := &search.Response{Query: req.Query, Total: res.total, Hits: []search.Hit{}, Facets: facets,
		Groups: []search.DocGroup{}, TotalGroups: len(groups)}
	page := groups[min(req.From, len(groups)):min(req.From+req.Size, len(groups))]
	want := make([]int32, len(page))
	for i, g := range page {
		want[i] = g.g
	}
	tops := res.tops(max(rerankWindow, search.GroupHits), search.SortRelevance, want)
	for _, g := range page {
		refs, scores, err := ix.rerank(ctx, p, res, tops[g.g])
		if err != nil {
			return nil, err
		}
		n := min(len(refs), search.GroupHits)
		hits, err := ix.fetch(ctx, p, res, refs[:n], scores[:n])
		if err != nil {
			return nil, err
		}
		r := g.r
		resp.Groups = append(resp.Groups, search.DocGroup{
			DocID: r.ID, Title: r.Title, Path: r.Path, Year: r.Year, Region: r.Region, Level: r.Level,
			Organization: r.Organization, DocType: r.DocType, Count: uint64(g.n),
			Hits: hits,
		})
	}
	return resp, nil
}

// Export streams every paragraph matching req, in the order of the pages
// of the same search (for relevance: the rescored window, then stage one;
// see rerank), so that paging through a search and exporting it give the
// same hits in the same order. The hit set is taken once, so the export
// is consistent even if reports change while it streams.
func (ix *Index) Export(ctx context.Context, req search.Request, fn func(search.Row) error) error {
	req.From, req.Size = 0, 1
	if err := req.Validate(); err != nil {
		return err
	}
	if req.Group != "" {
		return search.BadRequestf("an export lists paragraphs: it does not combine with group=%s", req.Group)
	}
	snap := ix.acquire()
	defer snap.release()
	p, res, err := ix.run(ctx, snap, &req)
	if err != nil {
		return err
	}
	refs := res.all(req.Sort)
	if req.Sort == search.SortRelevance {
		if refs, _, err = ix.rerank(ctx, p, res, refs); err != nil {
			return err
		}
	}
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := res.id(ref)
		f, err := snap.stored(id)
		if err != nil {
			return err
		}
		if f == nil {
			return fmt.Errorf("bleveindex: paragraph %s is missing (the index is damaged: index the report again)", id)
		}
		r := snap.reportOf(ref)
		row := search.Row{
			ID: id, DocID: r.ID, Title: r.Title, Year: r.Year, Region: r.Region, Level: r.Level,
			Organization: r.Organization, DocType: r.DocType, Path: r.Path,
			Paragraph: int(snap.segs[ref.seg].file.seg.N(ref.ord)), Section: f.section, Text: f.text,
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}
