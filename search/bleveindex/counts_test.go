package bleveindex_test

import (
	"context"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
)

// CountContaining gives, for each string, the total of an exact search
// for it in quotes with the same filter.
func TestCountContainingEqualsSearchTotals(t *testing.T) {
	ix := testcorpus.Index(t)
	strs := []string{"发展", "网格化治理", "罘", "城市更新", "ＧＤＰ", "改革开放", "没有这个词组合", "的"}
	for _, f := range []search.Filter{{}, {Years: []search.YearRange{{From: 2018}}}, {Regions: []string{"全国"}}} {
		got, err := ix.CountContaining(context.Background(), f, strs)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range strs {
			resp, err := ix.Search(context.Background(), search.Request{Query: `"` + s + `"`, Filter: f, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got[i] != resp.Total {
				t.Errorf("%q %+v: CountContaining %d, search total %d", s, f, got[i], resp.Total)
			}
		}
	}
}
