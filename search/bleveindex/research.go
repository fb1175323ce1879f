package bleveindex

import (
	"context"
	"fmt"

	"reportsearch/search"
)

// The research features: filters, facets, sorting by year, grouping by
// report, per-report counts and export. Every count comes from the exact
// side's per-report hit counts (result.perReport) over the whole hit set,
// the same set whose size is the total; package search shapes them into
// answers (facet and group order, pages).

var _ search.Backend = (*Index)(nil)

// CountByReport returns the number of matching paragraphs in each report
// with matches, and the total.
func (ix *Index) CountByReport(ctx context.Context, req search.Request) (map[string]uint64, uint64, error) {
	if err := req.ValidateCount(); err != nil {
		return nil, 0, err
	}
	defer ix.beginRead()()
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

// searchGroups answers group=doc: the reports with matches in the order of
// search.CompareGroups, paged, each with its exact number of matching
// paragraphs and its best hits (ranked as usual within the report).
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
	search.SortGroups(groups, req.Sort, func(g group) search.GroupKey {
		return search.GroupKey{Count: uint64(g.n), Year: g.r.Year, DocID: g.r.ID}
	})
	resp := search.NewResponse(&req, res.total, facets)
	resp.TotalGroups = len(groups)
	from, to := req.Window(len(groups))
	page := groups[from:to]
	want := make([]int32, len(page))
	for i, g := range page {
		want[i] = g.g
	}
	tops := res.tops(max(ix.rank.Window, search.GroupHits), search.SortRelevance, want)
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
		resp.Groups = append(resp.Groups, search.NewDocGroup(g.r, uint64(g.n), hits))
	}
	return resp, nil
}

// Export streams every paragraph matching req, in the order of the pages
// of the same search (for relevance: the rescored window, then stage one;
// see rerank), so that paging through a search and exporting it give the
// same hits in the same order. The hit set is taken once, so the export
// is consistent even if reports change while it streams.
func (ix *Index) Export(ctx context.Context, req search.Request, fn func(search.Row) error) error {
	if err := req.ValidateExport(); err != nil {
		return err
	}
	snap := ix.acquire()
	defer snap.release()
	endRead := ix.beginRead() // the evaluation, not the streaming
	p, res, err := ix.run(ctx, snap, &req)
	endRead()
	if err != nil {
		return err
	}
	refs := res.all(req.Sort)
	var scores []float64
	if req.Sort == search.SortRelevance {
		if refs, scores, err = ix.rerank(ctx, p, res, refs); err != nil {
			return err
		}
	}
	for i, ref := range refs {
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
		p := search.Paragraph{N: int(snap.segs[ref.seg].file.seg.N(ref.ord)), Text: f.text, Section: f.section}
		row := search.NewRow(snap.reportOf(ref), p)
		if scores != nil {
			sc := search.RoundScore(scores[i])
			row.Score = &sc
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}
