package bleveindex

import (
	"context"

	"reportsearch/search"
)

var _ search.FoldedScanner = (*Index)(nil)

// ScanFolded implements search.FoldedScanner from the grams segments,
// which hold every paragraph's folded text: no stored document is loaded
// or decoded, and a report's texts are read in few reads.
func (ix *Index) ScanFolded(ctx context.Context, want func(*search.Report) bool, fn func(r *search.Report, n int, folded []byte) error) error {
	defer ix.beginRead()()
	snap := ix.acquire()
	defer snap.release()
	var ords []uint32
	for _, v := range snap.segs {
		seg := v.file.seg
		for ri, r := range seg.Reports() {
			if err := ctx.Err(); err != nil {
				return err
			}
			g := v.global[ri]
			if g < 0 || !want(snap.reports[g]) {
				continue
			}
			rep := snap.reports[g]
			ords = ords[:0]
			for o := r.First; o < r.First+r.Count; o++ {
				ords = append(ords, o)
			}
			err := seg.EachText(ords, func(i int, text []byte) error {
				return fn(rep, int(seg.N(ords[i])), text)
			})
			if err != nil {
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
	var text []byte
	for i, ref := range refs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		seg := snap.segs[ref.seg].file.seg
		if text, err = seg.AppendText(text[:0], ref.ord); err != nil {
			return err
		}
		if err := fn(snap.reportOf(ref), int(seg.N(ref.ord)), text); err != nil {
			return err
		}
	}
	return nil
}
