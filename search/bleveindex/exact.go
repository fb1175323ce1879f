package bleveindex

import (
	"context"
	"fmt"
	"math"
	"slices"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/grams"
	"reportsearch/search/query"
)

// plan is a parsed query compiled for the exact-match side: a tree over
// distinct folded terms, the strings to highlight, and the gse words of
// the positive terms, which rescore the top hits on bleve's word field.
type plan struct {
	root  pnode
	terms []string
	marks []string
	words []string
	// For stage two's aboutness (about.go): the terms as bytes
	// (needleBytes) and the positive terms of each required part
	// (partTerms), built on first use.
	needles [][]byte
	parts   [][]int
	// compounds are the terms that gse cuts into several words, with
	// their words; vocab their rarest words (prepareVocab), found once.
	compounds []compound
	vocab     []vocabWord
	vocabDone bool
}

// compound is a term of several gse words.
type compound struct {
	term  int
	words []string
}

// pnode is a node of the plan: a term (term >= 0), or every child of
// must and none of not, or any of or.
type pnode struct {
	term      int
	must, not []pnode
	or        []pnode
}

// compile turns a prepared query into a plan: its Eval tree (folded, and
// expanded into gse words in loose mode) over distinct terms, so that the
// index matches by exactly the rule of query.Match.
func compile(q *search.Query) (*plan, error) {
	p := &plan{marks: q.Marks}
	root, err := p.node(q.Eval)
	if err != nil {
		return nil, err
	}
	p.root = root
	// The words that rescore the window: the gse words of the terms a
	// paragraph must contain (themes expanded; in loose mode the marks
	// are words already).
	for _, t := range q.Marks {
		ws, err := analysis.Words(t)
		if err != nil {
			return nil, err
		}
		if i := slices.Index(p.terms, t); i >= 0 && len(ws) > 1 {
			p.compounds = append(p.compounds, compound{term: i, words: ws})
		}
		for _, w := range ws {
			if !slices.Contains(p.words, w) {
				p.words = append(p.words, w)
			}
		}
	}
	return p, nil
}

func (p *plan) node(n query.Node) (pnode, error) {
	switch n := n.(type) {
	case query.Term:
		return p.term(n.Text), nil
	case query.Or:
		out := pnode{term: -1}
		for _, c := range n.Children {
			cn, err := p.node(c)
			if err != nil {
				return pnode{}, err
			}
			out.or = append(out.or, cn)
		}
		return out, nil
	case query.And:
		out := pnode{term: -1}
		for _, c := range n.Children {
			neg, isNot := c.(query.Not)
			if isNot {
				c = neg.Child
			}
			cn, err := p.node(c)
			if err != nil {
				return pnode{}, err
			}
			if isNot {
				out.not = append(out.not, cn)
			} else {
				out.must = append(out.must, cn)
			}
		}
		if len(out.must) == 0 {
			return pnode{}, fmt.Errorf("bleveindex: a query without positive terms")
		}
		if len(out.must) == 1 && len(out.not) == 0 {
			return out.must[0], nil
		}
		return out, nil
	}
	return pnode{}, fmt.Errorf("bleveindex: unexpected query node %T", n)
}

// term returns the node of a folded term.
func (p *plan) term(folded string) pnode {
	i := slices.Index(p.terms, folded)
	if i < 0 {
		i = len(p.terms)
		p.terms = append(p.terms, folded)
	}
	return pnode{term: i}
}

// scoredList is a segment's matching paragraphs in ordinal order with
// their scores.
type scoredList struct {
	ords   []uint32
	scores []float32
}

// result is the whole hit set of a query on one snapshot: per segment the
// matching live paragraphs with their final stage-one scores, the total,
// and the number of hits in each report (by global number).
//
// For a query of one term, the total and the per-report counts come from
// the term cache's per-report counts, and lists are only built (hitLists)
// when something needs every hit: the first pages by relevance come from
// the cached best hits (see topOne).
type result struct {
	snap      *snapshot
	lists     []scoredList
	total     uint64
	perReport []uint32
	// one, for a query of one term: its entry in each segment, its idf
	// and the filter; build makes lists.
	one   *oneTerm
	build func() []scoredList
}

type oneTerm struct {
	term  string
	hits  []*termHits
	idf   float32
	allow []bool
}

// hitLists returns the result's lists, building them on first use.
func (r *result) hitLists() []scoredList {
	if r.lists == nil && r.build != nil {
		r.lists = r.build()
		r.build = nil
	}
	return r.lists
}

// evaluate computes the hit set of a plan on a snapshot. allow, when not
// nil, says which reports (by global number) pass the filter.
//
// Stage-one score of a paragraph (see docs/ranking.md): for each matching
// positive term, idf·√tf, summed; divided by √(characters), then scaled by
// the paragraph priors (short lines and headings). It is what the first
// stage of a two-stage ranking needs: cheap, computed for every hit.
func (ix *Index) evaluate(ctx context.Context, snap *snapshot, p *plan, allow []bool) (*result, error) {
	hits, err := snap.termHits(ctx, p.terms)
	if err != nil {
		return nil, err
	}
	df := make([]int, len(p.terms))
	for si, v := range snap.segs {
		for ti, h := range hits[si] {
			df[ti] += h.live(v)
		}
	}
	idf := make([]float32, len(p.terms))
	for i, d := range df {
		idf[i] = float32(1 + math.Log(float64(snap.paras+1)/float64(d+1)))
	}
	res := &result{snap: snap, perReport: make([]uint32, len(snap.reports))}
	// lists scores every hit; with count, it also counts them.
	lists := func(count bool) []scoredList {
		out := make([]scoredList, len(snap.segs))
		ms := make([]grams.Match, len(p.terms))
		for si, v := range snap.segs {
			seg := v.file.seg
			for ti, h := range hits[si] {
				ms[ti] = h.m
			}
			l := p.eval(p.root, ms, idf)
			ords := make([]uint32, 0, len(l.ords))
			scores := make([]float32, 0, len(l.ords))
			for i, o := range l.ords {
				g := v.global[seg.ReportOf(o)]
				if g < 0 || allow != nil && !allow[g] {
					continue
				}
				if count {
					res.perReport[g]++
				}
				ords = append(ords, o)
				scores = append(scores, l.scores[i]*ix.rank.paragraphPrior(seg.Chars(o), seg.Heading(o)))
			}
			out[si] = scoredList{ords: ords, scores: scores}
			if count {
				res.total += uint64(len(ords))
			}
		}
		return out
	}
	if p.root.term < 0 {
		res.lists = lists(true)
		return res, nil
	}
	// One term: counted by report.
	one := &oneTerm{term: p.terms[p.root.term], hits: make([]*termHits, len(snap.segs)), idf: idf[p.root.term], allow: allow}
	for si, v := range snap.segs {
		h := hits[si][p.root.term]
		one.hits[si] = h
		for _, rh := range h.reports {
			g := v.global[rh.idx]
			if g < 0 || allow != nil && !allow[g] {
				continue
			}
			res.perReport[g] += rh.n
			res.total += uint64(rh.n)
		}
	}
	res.one = one
	res.build = func() []scoredList { return lists(false) }
	return res, nil
}

// sqrtTable is √tf for every term frequency a match can hold.
var sqrtTable = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(math.Sqrt(float64(i)))
	}
	return
}()

func (p *plan) eval(n pnode, ms []grams.Match, idf []float32) scoredList {
	switch {
	case n.term >= 0:
		// The ordinals are shared with the match: every operation below
		// returns new slices.
		m := ms[n.term]
		out := scoredList{ords: m.Ords, scores: make([]float32, len(m.Ords))}
		w := idf[n.term]
		for i, tf := range m.TFs {
			out.scores[i] = w * sqrtTable[tf]
		}
		return out
	case n.or != nil:
		out := p.eval(n.or[0], ms, idf)
		for _, c := range n.or[1:] {
			out = union(out, p.eval(c, ms, idf))
		}
		return out
	}
	out := p.eval(n.must[0], ms, idf)
	for _, c := range n.must[1:] {
		if len(out.ords) == 0 {
			return out
		}
		out = intersectScored(out, p.eval(c, ms, idf))
	}
	for _, c := range n.not {
		if len(out.ords) == 0 {
			return out
		}
		out = subtract(out, p.eval(c, ms, idf).ords)
	}
	return out
}

func intersectScored(a, b scoredList) scoredList {
	n := min(len(a.ords), len(b.ords))
	out := scoredList{ords: make([]uint32, 0, n), scores: make([]float32, 0, n)}
	j := 0
	for i, x := range a.ords {
		for j < len(b.ords) && b.ords[j] < x {
			j++
		}
		if j == len(b.ords) {
			break
		}
		if b.ords[j] == x {
			out.ords = append(out.ords, x)
			out.scores = append(out.scores, a.scores[i]+b.scores[j])
		}
	}
	return out
}

func union(a, b scoredList) scoredList {
	out := scoredList{ords: make([]uint32, 0, len(a.ords)+len(b.ords)), scores: make([]float32, 0, len(a.ords)+len(b.ords))}
	i, j := 0, 0
	for i < len(a.ords) || j < len(b.ords) {
		switch {
		case j == len(b.ords) || i < len(a.ords) && a.ords[i] < b.ords[j]:
			out.ords, out.scores = append(out.ords, a.ords[i]), append(out.scores, a.scores[i])
			i++
		case i == len(a.ords) || b.ords[j] < a.ords[i]:
			out.ords, out.scores = append(out.ords, b.ords[j]), append(out.scores, b.scores[j])
			j++
		default:
			out.ords, out.scores = append(out.ords, a.ords[i]), append(out.scores, a.scores[i]+b.scores[j])
			i, j = i+1, j+1
		}
	}
	return out
}

func subtract(a scoredList, b []uint32) scoredList {
	out := scoredList{ords: make([]uint32, 0, len(a.ords)), scores: make([]float32, 0, len(a.ords))}
	j := 0
	for i, x := range a.ords {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			continue
		}
		out.ords = append(out.ords, x)
		out.scores = append(out.scores, a.scores[i])
	}
	return out
}

// hitRef is one hit of a result: its segment, ordinal and stage-one
// score, and for the relevance order its reading-order key (tieKey), set
// by tops and all, which breaks ties of score.
type hitRef struct {
	seg   int
	ord   uint32
	score float32
	tie   uint64
}

// tieKey is a hit's place in reading order: report (by id), then
// paragraph.
func (r *result) tieKey(h hitRef) uint64 {
	v := r.snap.segs[h.seg]
	seg := v.file.seg
	return uint64(r.snap.idRank[v.global[seg.ReportOf(h.ord)]])<<32 | uint64(seg.N(h.ord))
}

// order compares two hits of a result for a sort: relevance (score,
// highest first, ties in reading order: report id, then paragraph), or
// year (year, then report id and paragraph).
func (r *result) less(sort search.Sort) func(a, b hitRef) bool {
	s := r.snap
	key := func(h hitRef, rank []int32) uint64 {
		v := s.segs[h.seg]
		seg := v.file.seg
		return uint64(rank[v.global[seg.ReportOf(h.ord)]])<<32 | uint64(seg.N(h.ord))
	}
	switch sort {
	case search.SortYear:
		return func(a, b hitRef) bool { return key(a, s.yearRank) < key(b, s.yearRank) }
	case search.SortYearDesc:
		// Newest year first, within a year the same reading order.
		return func(a, b hitRef) bool {
			ya, yb := s.reportOf(a).Year, s.reportOf(b).Year
			if ya != yb {
				return ya > yb
			}
			return key(a, s.idRank) < key(b, s.idRank)
		}
	}
	// Relevance: the hits carry their tie keys.
	return func(a, b hitRef) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return a.tie < b.tie
	}
}

func (s *snapshot) reportOf(h hitRef) *search.Report {
	v := s.segs[h.seg]
	return s.reports[v.global[v.file.seg.ReportOf(h.ord)]]
}

// top returns the first k hits in the sort order, optionally only those
// of one report (by global number; -1 for all).
func (r *result) top(k int, sort search.Sort, report int32) []hitRef {
	if report < 0 {
		return r.tops(k, sort, nil)[-1]
	}
	return r.tops(k, sort, []int32{report})[report]
}

// tops returns the first k hits in the sort order of each of reports (by
// global number), in one pass over the hits; with reports nil, of all hits,
// under -1.
func (r *result) tops(k int, sort search.Sort, reports []int32) map[int32][]hitRef {
	if reports == nil && sort == search.SortRelevance {
		if refs, ok := r.topOne(k); ok {
			return map[int32][]hitRef{-1: refs}
		}
	}
	less := r.less(sort)
	byScore := sort == search.SortRelevance
	heaps := map[int32]*hitHeap{}
	all := &hitHeap{less: less}
	if reports == nil {
		heaps[-1] = all
	}
	for _, g := range reports {
		heaps[g] = &hitHeap{less: less}
	}
	for si, l := range r.hitLists() {
		v := r.snap.segs[si]
		for i, o := range l.ords {
			h := all
			if reports != nil {
				if h = heaps[v.global[v.file.seg.ReportOf(o)]]; h == nil {
					continue
				}
			}
			ref := hitRef{seg: si, ord: o, score: l.scores[i]}
			if byScore {
				if len(h.refs) == k && ref.score < h.refs[0].score {
					// Most hits of a common query are below the k-th
					// best: rejected by score alone.
					continue
				}
				ref.tie = r.tieKey(ref)
			}
			if len(h.refs) < k {
				h.push(ref)
			} else if less(ref, h.refs[0]) {
				h.refs[0] = ref
				h.down(0)
			}
		}
	}
	out := make(map[int32][]hitRef, len(heaps))
	for g, h := range heaps {
		slices.SortFunc(h.refs, compareBy(less))
		out[g] = h.refs
	}
	return out
}

// topOne returns the first k hits by relevance of a one-term result from
// the term's cached best hits, with the scores and order that scoring
// every hit gives (see keyMargin); false when they may not hold them all:
// k beyond bestCore, or a filter or dead reports leaving fewer than k of a
// segment's core.
func (r *result) topOne(k int) ([]hitRef, bool) {
	if r.one == nil || k > bestCore {
		return nil, false
	}
	less := r.less(search.SortRelevance)
	h := &hitHeap{less: less}
	allow := r.one.allow
	for si, th := range r.one.hits {
		v := r.snap.segs[si]
		if (v.dead || allow != nil) && th.core < th.m.Len() {
			n := 0
			for _, b := range th.best[:th.core] {
				if g := v.global[b.ri]; g >= 0 && (allow == nil || allow[g]) {
					n++
				}
			}
			if n < k {
				return nil, false
			}
		}
		// skip: a hit with this √tf and prior tied the k-th's score and
		// lost on reading order; the later hits with the same two (so the
		// same score) come later in reading order (best is sorted so) and
		// lose too, to the k-th or to a better one that replaced it.
		skip := bestHit{tf: 0}
		for _, b := range th.best {
			g := v.global[b.ri]
			if g < 0 || allow != nil && !allow[g] || b.tf == skip.tf && b.prior == skip.prior {
				continue
			}
			// As in evaluate: the term's score, then the prior.
			w := r.one.idf * sqrtTable[b.tf]
			ref := hitRef{seg: si, ord: b.ord, score: w * b.prior}
			if len(h.refs) == k && ref.score < h.refs[0].score {
				if float64(ref.score) < float64(h.refs[0].score)*(1-keyMargin) {
					// The rest of best has keys no higher: their
					// scores are below the k-th too (see keyMargin).
					break
				}
				continue
			}
			ref.tie = uint64(r.snap.idRank[g])<<32 | uint64(b.n)
			if len(h.refs) < k {
				h.push(ref)
			} else if less(ref, h.refs[0]) {
				h.refs[0] = ref
				h.down(0)
			} else {
				skip = b
			}
		}
	}
	slices.SortFunc(h.refs, compareBy(less))
	return h.refs, true
}

// all returns every hit in the sort order.
func (r *result) all(sort search.Sort) []hitRef {
	out := make([]hitRef, 0, r.total)
	for si, l := range r.hitLists() {
		for i, o := range l.ords {
			h := hitRef{seg: si, ord: o, score: l.scores[i]}
			if sort == search.SortRelevance {
				h.tie = r.tieKey(h)
			}
			out = append(out, h)
		}
	}
	less := r.less(sort)
	slices.SortFunc(out, compareBy(less))
	return out
}

// id returns a hit's paragraph id (the bleve document id).
func (r *result) id(h hitRef) string {
	seg := r.snap.segs[h.seg].file.seg
	return paragraphID(r.snap.reportOf(h).ID, int(seg.N(h.ord)))
}

// hitHeap keeps the k best hits with the worst on top.
type hitHeap struct {
	refs []hitRef
	less func(a, b hitRef) bool
}

// worse reports whether refs[i] ranks below refs[j].
func (h *hitHeap) worse(i, j int) bool { return h.less(h.refs[j], h.refs[i]) }

func (h *hitHeap) push(r hitRef) {
	h.refs = append(h.refs, r)
	for j := len(h.refs) - 1; j > 0; {
		i := (j - 1) / 2
		if !h.worse(j, i) {
			break
		}
		h.refs[i], h.refs[j] = h.refs[j], h.refs[i]
		j = i
	}
}

// down restores the heap after refs[i] was replaced by a better hit.
func (h *hitHeap) down(i int) {
	n := len(h.refs)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && h.worse(c+1, c) {
			c++
		}
		if !h.worse(c, i) {
			return
		}
		h.refs[i], h.refs[c] = h.refs[c], h.refs[i]
		i = c
	}
}

// compareBy turns a strict order of hits into the comparison slices.SortFunc
// wants.
func compareBy(less func(a, b hitRef) bool) func(a, b hitRef) int {
	return func(a, b hitRef) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	}
}
