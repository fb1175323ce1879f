package bleveindex

import (
	"context"
	"fmt"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

var _ search.Counter = (*Index)(nil)

// CountContaining returns, for each string, the number of paragraphs of
// the reports passing f whose folded text contains it — what the total of
// an exact search for it in quotes would be — from one snapshot, without
// the per-report counts and facets a search computes: the collocates of a
// query count a few hundred candidate words this way, through each
// segment's word tables (wordtables.go).
func (ix *Index) CountContaining(ctx context.Context, f search.Filter, strs []string) ([]uint64, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	defer ix.beginRead()()
	snap := ix.acquire()
	defer snap.release()
	allow := snap.allow(f)
	folded := make([]string, len(strs))
	for i, s := range strs {
		folded[i] = analysis.FoldString(s)
	}
	out := make([]uint64, len(strs))
	for _, v := range snap.segs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, s := range folded {
			if s == "" {
				continue
			}
			n, err := snap.terms.countIn(v, allow, s)
			if err != nil {
				return nil, fmt.Errorf("bleveindex: %w", err)
			}
			out[i] += n
		}
	}
	return out, nil
}

// allow says which reports of the snapshot (by global number) pass f; nil
// when f lets every report pass.
func (s *snapshot) allow(f search.Filter) []bool {
	if f.IsZero() {
		return nil
	}
	allow := make([]bool, len(s.reports))
	for g, r := range s.reports {
		allow[g] = f.Match(r)
	}
	return allow
}
