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
