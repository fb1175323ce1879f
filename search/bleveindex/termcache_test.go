package bleveindex

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"

	"reportsearch/search"
)

// The term cache's shortcuts give what scoring and counting every hit
// gives: for one-term queries on an index with dead reports (replaced and
// deleted) spread over several segments, with and without filters, the
// cached total and per-report counts equal those counted from every hit,
// and the first k hits by relevance from the cached best hits equal the
// first k of every hit scored and sorted — the same hits, scores and
// order — for k up to bestCore and beyond (where it must decline).
func TestTermCacheEqualsFullScoring(t *testing.T) {
	files := lcCorpus(t)
	rng := rand.New(rand.NewSource(18))
	ix := lcOpen(t, filepath.Join(t.TempDir(), "index"))
	defer ix.Close()
	m := newLCModel()
	for i := range 60 {
		var rds []search.ReportData
		for j := range 3 {
			rds = append(rds, lcReport(rng, files, fmt.Sprintf("r%03d", 3*i+j), i, 60))
		}
		lcPut(t, ix, m, rds...)
		if i%5 == 4 { // replace and delete some: dead reports in old segments
			ids := m.ids()
			lcPut(t, ix, m, lcReport(rng, files, ids[rng.Intn(len(ids))], 1000+i, 60))
			id := ids[rng.Intn(len(ids))]
			if err := ix.Delete(id); err != nil {
				t.Fatal(err)
			}
			m.del(id)
		}
	}
	snap := ix.acquire()
	dead := 0
	for _, v := range snap.segs {
		if v.dead {
			dead++
		}
	}
	snap.release()
	if dead == 0 {
		t.Fatal("no segment has dead reports: the test would not check them")
	}
	queries := []string{"的", "发展", "人民", "改革", "经济", "建设", "社会主义"}
	paras := m.paras()
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = p.folded
	}
	for range 30 {
		if q := lcTerm(rng, texts, 4); q != "" {
			queries = append(queries, q)
		}
	}
	filters := []search.Filter{{}, {Years: []search.YearRange{{From: 2010}}}, {Years: []search.YearRange{{From: 2003, To: 2004}}}}
	ctx := context.Background()
	truncated := 0
	for _, q := range queries {
		for _, f := range filters {
			req := search.Request{Query: `"` + q + `"`, Filter: f, Size: 10}
			if err := req.Validate(); err != nil {
				t.Fatal(err)
			}
			snap := ix.acquire()
			_, res, err := ix.run(ctx, snap, &req)
			if err != nil {
				t.Fatal(err)
			}
			if res.one == nil {
				t.Fatalf("%q: a one-term query without the term cache's counts", q)
			}
			// The same result, every hit scored and counted.
			full := &result{snap: snap, lists: res.hitLists(), perReport: make([]uint32, len(snap.reports))}
			for si, l := range full.lists {
				v := snap.segs[si]
				for _, o := range l.ords {
					full.perReport[v.global[v.file.seg.ReportOf(o)]]++
				}
				full.total += uint64(len(l.ords))
			}
			label := fmt.Sprintf("%q %+v", q, f)
			if res.total != full.total || !slices.Equal(res.perReport, full.perReport) {
				t.Errorf("%s: cached total %d, counted %d (or per-report counts differ)", label, res.total, full.total)
			}
			for _, th := range res.one.hits {
				if th.core < th.m.Len() {
					truncated++
				}
			}
			for _, k := range []int{1, 10, DefaultRanking().Window, bestCore, bestCore + 1} {
				got, ok := res.topOne(k)
				if k > bestCore && ok {
					t.Errorf("%s: topOne(%d) answered beyond bestCore", label, k)
				}
				if !ok {
					continue
				}
				want := full.tops(k, search.SortRelevance, nil)[-1]
				if !slices.Equal(got, want) {
					t.Errorf("%s: top %d from the cached best hits differs from full scoring (%d vs %d hits)", label, k, len(got), len(want))
				}
			}
			snap.release()
		}
	}
	// Stage two and the page from cached stored fields and word
	// presence: a search answered from the cache (the second) gives what
	// the first, which looked everything up in bleve, gave.
	for _, q := range []string{"发展改革", "坚持", "人民 生活", "经济 -发展"} {
		req := search.Request{Query: q, Size: 20}
		first, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		first.TookMS, again.TookMS = 0, 0
		if fmt.Sprint(first) != fmt.Sprint(again) {
			t.Errorf("%q: the search answered from the cache differs from the first", q)
		}
	}
	if truncated == 0 {
		t.Error("no term had more hits than bestCore in a segment: the best-hits shortcut was not checked")
	}
}
