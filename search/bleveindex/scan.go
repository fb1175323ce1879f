package bleveindex

import (
	"context"

	"reportsearch/search"
)

var _ search.FoldedScanner = (*Index)(nil)

// ScanFolded implements search.FoldedScanner from the grams segments,
// which hold every paragraph's folded text (memory-mapped): no stored
// document is loaded or decoded.
func (ix *Index) ScanFolded(ctx context.Context, want func(*search.Report) bool, fn func(r *search.Report, n int, folded []byte) error) error {
	defer ix.beginRead()()
	snap := ix.acquire()
	defer snap.release()
	for _, v := range snap.segs {
		seg := v.file.seg
		cur, ok := uint32(1<<32-1), false
		var rep *search.Report
		for o := range uint32(seg.Len()) {
			if o%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if r := seg.ReportOf(o); r != cur {
				cur = r
				g := v.global[r]
				ok = g >= 0
				if ok {
					rep = snap.reports[g]
					ok = want(rep)
				}
			}
			if !ok {
				continue
			}
			if err := fn(rep, int(seg.N(o)), seg.Text(o)); err != nil {
				return err
			}
		}
	}
	return nil
}

var _ search.FoldedExporter = (*Index)(nil)

// ExportFolded implements search.FoldedExporter: Export's hits, in its
// order, with the folded text of the grams segments instead of the stored
// paragraphs (no document is loaded).
func (ix *Index) ExportFolded(ctx context.Context, req search.Request, fn func(r *search.Report, n int, folded []byte) error) error {
	if err := req.ValidateExport(); err != nil {
		return err
	}
	snap := ix.acquire()
	defer snap.release()
	endRead := ix.beginRead()
	p, res, err := ix.run(ctx, snap, &req)
	endRead()
	if err != nil {
		return err
	}
	refs := res.all(req.Sort)
	if req.Sort == search.SortRelevance {
		if refs, _, err = ix.rerank(ctx, p, res, refs); err != nil {
			return err
		}
	}
	for i, ref := range refs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		seg := snap.segs[ref.seg].file.seg
		if err := fn(snap.reportOf(ref), int(seg.N(ref.ord)), seg.Text(ref.ord)); err != nil {
			return err
		}
	}
	return nil
}
