package memindex

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"reportsearch/search"
	"reportsearch/search/highlight"
	"reportsearch/search/query"
)

// Searching by brute force: evaluate scans the whole text for each of the
// query's positive terms, then keeps the paragraphs of the reports that
// pass the filter that query.Match accepts, with a score; the hits are
// then sorted by search.CompareHits, the one total order that pages and
// exports are cut from.

// hit is one matching paragraph: its report's number in the snapshot,
// its index in the report and its score.
type hit struct {
	g, i  int32
	score float64
}

// result is the whole hit set of a query on one snapshot, in reading
// order (report id, paragraph), with the number of hits per report. It is
// shared by the searches that find it in the cache, and not changed
// except to add sorted copies of hits.
type result struct {
	snap      *snapshot
	hits      []hit
	perReport []uint32

	mu     sync.Mutex
	sorted map[search.Sort][]hit
}

// evaluate finds every hit of a validated request on a snapshot.
//
// Candidates: when every paragraph the query matches must contain one of
// its positive terms (needsTerm: true of every query the parser accepts),
// only the paragraphs where one of them occurs are matched; otherwise
// every paragraph is. query.Match decides each candidate.
//
// The score of a hit is tf-idf: for each of the query's positive terms
// that the paragraph contains, idf·√tf, summed, divided by √characters
// (so that a long paragraph needs more occurrences), with idf =
// 1 + ln((paragraphs+1)/(df+1)) over every live paragraph, filter or not.
func (s *snapshot) evaluate(ctx context.Context, req *search.Request) (*result, error) {
	q := req.Parsed
	paras := len(s.owner)
	idf := make([]float64, len(q.Marks))
	candidate := make([]bool, paras)
	for i, m := range q.Marks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ps := s.containing(m)
		idf[i] = 1 + math.Log(float64(paras+1)/float64(len(ps)+1))
		for _, p := range ps {
			candidate[p] = true
		}
	}
	all := !needsTerm(q.Eval)
	pass := make([]bool, len(s.reports))
	for g, r := range s.reports {
		pass[g] = req.Filter.Match(&r.meta)
	}
	res := &result{snap: s, perReport: make([]uint32, len(s.reports))}
	for p := range paras {
		g := s.owner[p]
		if !pass[g] || !candidate[p] && !all {
			continue
		}
		if p%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		r, i := s.reports[g], p-s.first[g]
		text := r.folded[i]
		if !query.Match(q.Eval, text) {
			continue
		}
		score := 0.0
		for j, m := range q.Marks {
			if tf := strings.Count(text, m); m != "" && tf > 0 {
				score += idf[j] * math.Sqrt(float64(tf))
			}
		}
		score /= math.Sqrt(float64(max(1, r.chars[i])))
		res.hits = append(res.hits, hit{g: g, i: int32(i), score: score})
		res.perReport[g]++
	}
	return res, nil
}

// containing returns the paragraphs (by number in the snapshot) whose
// folded text contains a folded term, in order: one scan of the whole
// text, each occurrence checked against its paragraph (a term with a NUL
// in it could run across two), then on from the next paragraph.
func (s *snapshot) containing(term string) []int {
	var out []int
	if term == "" {
		return out
	}
	for o := 0; o < len(s.text); {
		k := strings.Index(s.text[o:], term)
		if k < 0 {
			break
		}
		p := sort.SearchInts(s.starts, o+k+1) - 1 // the paragraph holding offset o+k
		if strings.Contains(s.text[s.starts[p]:s.starts[p+1]-1], term) {
			out = append(out, p)
		}
		o = s.starts[p+1]
	}
	return out
}

// needsTerm reports whether every text that n matches contains one of its
// positive terms (query.Terms): a term does; an Or does when each of its
// children does; an And when one of its positive children does; a Not
// never.
func needsTerm(n query.Node) bool {
	switch n := n.(type) {
	case query.Term:
		return true
	case query.Or:
		for _, c := range n.Children {
			if !needsTerm(c) {
				return false
			}
		}
		return len(n.Children) > 0
	case query.And:
		for _, c := range n.Children {
			if _, not := c.(query.Not); !not && needsTerm(c) {
				return true
			}
		}
	}
	return false
}

// sort orders hits by a sort (search.CompareHits).
func (res *result) sort(hits []hit, sort search.Sort) {
	key := func(h hit) search.HitKey {
		r := res.snap.reports[h.g]
		return search.HitKey{Score: h.score, Year: r.meta.Year, DocID: r.meta.ID, N: int(h.i) + 1}
	}
	slices.SortFunc(hits, func(a, b hit) int { return search.CompareHits(sort, key(a), key(b)) })
}

// ordered returns every hit in the order of a sort, sorted once.
func (res *result) ordered(sort search.Sort) []hit {
	res.mu.Lock()
	defer res.mu.Unlock()
	if hits, ok := res.sorted[sort]; ok {
		return hits
	}
	hits := slices.Clone(res.hits)
	res.sort(hits, sort)
	if res.sorted == nil {
		res.sorted = map[search.Sort][]hit{}
	}
	res.sorted[sort] = hits
	return hits
}

// para returns a hit's report and paragraph.
func (res *result) para(h hit) (*search.Report, search.Paragraph) {
	r := res.snap.reports[h.g]
	return &r.meta, r.paras[h.i]
}

func (res *result) hit(h hit, marks []string) search.Hit {
	r, p := res.para(h)
	return search.NewHit(r, p, highlight.Snippet(p.Text, marks), h.score)
}

// run returns the hit set of a validated request on the current
// snapshot.
func (ix *Index) run(ctx context.Context, req *search.Request) (*result, error) {
	s, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	return s.results.get(resultKey(req), func() (*result, error) { return s.evaluate(ctx, req) })
}

// Search answers a request: the exact total and facets and a page of
// hits in the request's order, or for group=doc a page of reports.
func (ix *Index) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	res, err := ix.run(ctx, &req)
	if err != nil {
		return nil, err
	}
	resp := search.NewResponse(&req, uint64(len(res.hits)), res.snap.facets.Count(res.perReport))
	if req.Group == search.GroupDoc {
		res.groups(&req, resp)
	} else {
		hits := res.ordered(req.Sort)
		from, to := req.Window(len(hits))
		for _, h := range hits[from:to] {
			resp.Hits = append(resp.Hits, res.hit(h, req.Parsed.Marks))
		}
	}
	resp.TookMS = search.TookMS(start)
	return resp, nil
}

// groups fills a grouped answer: the reports with hits in the order of
// search.CompareGroups, paged, each with its best hits by relevance.
func (res *result) groups(req *search.Request, resp *search.Response) {
	// The hits are in report order: each report's are one run.
	type group struct {
		g    int32
		hits []hit
	}
	var groups []group
	for i := 0; i < len(res.hits); {
		j := i
		for j < len(res.hits) && res.hits[j].g == res.hits[i].g {
			j++
		}
		groups = append(groups, group{g: res.hits[i].g, hits: res.hits[i:j]})
		i = j
	}
	search.SortGroups(groups, req.Sort, func(g group) search.GroupKey {
		r := &res.snap.reports[g.g].meta
		return search.GroupKey{Count: uint64(len(g.hits)), Year: r.Year, DocID: r.ID}
	})
	resp.TotalGroups = len(groups)
	from, to := req.Window(len(groups))
	for _, g := range groups[from:to] {
		best := slices.Clone(g.hits)
		res.sort(best, search.SortRelevance)
		hits := make([]search.Hit, 0, search.GroupHits)
		for _, h := range best[:min(len(best), search.GroupHits)] {
			hits = append(hits, res.hit(h, req.Parsed.Marks))
		}
		resp.Groups = append(resp.Groups, search.NewDocGroup(&res.snap.reports[g.g].meta, uint64(len(g.hits)), hits))
	}
}

// CountByReport returns the number of matching paragraphs in each report
// with matches, and the total.
func (ix *Index) CountByReport(ctx context.Context, req search.Request) (map[string]uint64, uint64, error) {
	if err := req.ValidateCount(); err != nil {
		return nil, 0, err
	}
	res, err := ix.run(ctx, &req)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]uint64{}
	for g, n := range res.perReport {
		if n > 0 {
			counts[res.snap.reports[g].meta.ID] = uint64(n)
		}
	}
	return counts, uint64(len(res.hits)), nil
}

// Export streams every matching paragraph in the order of the pages of
// the same search, from one snapshot.
func (ix *Index) Export(ctx context.Context, req search.Request, fn func(search.Row) error) error {
	if err := req.ValidateExport(); err != nil {
		return err
	}
	res, err := ix.run(ctx, &req)
	if err != nil {
		return err
	}
	for _, h := range res.ordered(req.Sort) {
		if err := ctx.Err(); err != nil {
			return err
		}
		row := search.NewRow(res.para(h))
		if req.Sort == search.SortRelevance {
			sc := search.RoundScore(h.score)
			row.Score = &sc
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// Paragraphs returns a report's paragraphs in order, or search.ErrNotFound.
func (ix *Index) Paragraphs(ctx context.Context, id string) ([]search.Paragraph, error) {
	s, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	r, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("report %s: %w", id, search.ErrNotFound)
	}
	return append([]search.Paragraph{}, r.paras...), nil
}
