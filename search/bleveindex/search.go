package bleveindex

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"reportsearch/search"
)

// Search answers a request: the exact total and facet counts, and the
// requested page of hits — ranked by relevance (two stages: the exact side
// scores every hit, bleve's word field rescores the best) or sorted by
// year — each with its report's metadata and highlights; or, for
// group=doc, a page of reports (see searchGroups).
func (ix *Index) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	ix.recent.add(req)
	defer ix.beginRead()()
	snap := ix.acquire()
	defer snap.release()
	p, res, err := ix.run(ctx, snap, &req)
	if err != nil {
		return nil, err
	}
	facets := res.facets(req.Filter)
	var resp *search.Response
	if req.Group == search.GroupDoc {
		resp, err = ix.searchGroups(ctx, req, p, res, facets)
	} else {
		resp = search.NewResponse(&req, res.total, facets)
		var hits []search.Hit
		hits, err = ix.page(ctx, p, res, req)
		resp.Hits = append(resp.Hits, hits...)
	}
	if err != nil {
		return nil, err
	}
	resp.TookMS = search.TookMS(start)
	return resp, nil
}

// page returns the hits from..from+size of a result in the request's order.
func (ix *Index) page(ctx context.Context, p *plan, res *result, req search.Request) ([]search.Hit, error) {
	end := req.From + req.Size
	if req.Sort != search.SortRelevance {
		refs := res.top(end, req.Sort, -1)
		return ix.fetch(ctx, p, res, refs[min(req.From, len(refs)):], nil)
	}
	refs, scores, err := ix.rerank(ctx, p, res, res.top(max(end, ix.rank.Window), req.Sort, -1))
	if err != nil {
		return nil, err
	}
	from, end := min(req.From, len(refs)), min(end, len(refs))
	return ix.fetch(ctx, p, res, refs[from:end], scores[from:end])
}

// run compiles a validated request's query, computes the filter over the
// snapshot's reports and evaluates the query.
func (ix *Index) run(ctx context.Context, snap *snapshot, req *search.Request) (*plan, *result, error) {
	p, err := compile(req.Parsed)
	if err != nil {
		return nil, nil, err
	}
	res, err := ix.evaluate(ctx, snap, p, snap.allow(req.Filter))
	if err != nil {
		return nil, nil, err
	}
	return p, res, nil
}

// rerank is stage two of relevance ranking, two rescoring windows in a
// row (like Elasticsearch's chained rescorers). refs are the first hits of
// stage one, in its order. The first Ranking.Window of them (a fixed
// window, whatever page is asked for) are reordered by their stage-one
// score times their aboutness factor (ranker.factor: the theme in the
// paragraph's title, early in it, the query's parts in one clause, no
// vocative opening, not a numbered section's overview naming it in
// passing, the term's rarest word recurring), computed from the folded
// text of the grams segment. Then the
// first Ranking.WordWindow of that order gain a word-field bonus: each of
// the query's gse words that stands as a whole token of the paragraph (治理
// as a word, not inside 社会治理 kept whole by gse) adds its idf on the
// word field times √tf, weighted by Ranking.WordBoost, normalised like
// stage one and scaled by the same factor, and are reordered again. The
// hits below the text window keep their stage-one order. So a query has
// one total order: pages cut from it never repeat or skip a hit; and
// since the factor is never below 1 and the bonus never negative, a
// windowed hit's score is at least its stage-one score, the word window's
// at least the text window's below it, and the scores of the whole order
// never increase. rerank returns refs in that order with their final
// scores.
func (ix *Index) rerank(ctx context.Context, p *plan, res *result, refs []hitRef) ([]hitRef, []float64, error) {
	type ranked struct {
		ref    hitRef
		score  float64
		factor float64
	}
	less := res.less(search.SortRelevance)
	sortRanked := func(rs []ranked) {
		slices.SortStableFunc(rs, func(a, b ranked) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			case less(a.ref, b.ref):
				return -1
			case less(b.ref, a.ref):
				return 1
			}
			return 0
		})
	}
	// The text window: stage-one score times the aboutness factor.
	rk := ix.rank
	if rk.Vocab > 0 {
		if err := p.prepareVocab(ctx, res.snap); err != nil {
			return nil, nil, err
		}
	}
	w := min(len(refs), rk.Window)
	out := make([]ranked, w)
	for i, ref := range refs[:w] {
		seg := res.snap.segs[ref.seg].file.seg
		text, err := res.foldedOf(ref)
		if err != nil {
			return nil, nil, err
		}
		f := rk.factor(rk.aboutText(p, text, float64(seg.Chars(ref.ord))))
		out[i] = ranked{ref: ref, score: float64(ref.score) * f, factor: f}
	}
	sortRanked(out)
	// The word window, the first wordWindow of the text window's order:
	// plus the word-field bonus, scaled by the same factor.
	ww := min(w, rk.WordWindow)
	if len(p.words) > 0 && ww > 0 {
		top := make([]hitRef, ww)
		for i := range top {
			top[i] = out[i].ref
		}
		ws, err := ix.wordScores(ctx, p.words, res, top)
		if err != nil {
			return nil, nil, err
		}
		for i, ref := range top {
			seg := res.snap.segs[ref.seg].file.seg
			out[i].score += rk.WordBoost * ws[i] * float64(rk.paragraphPrior(seg.Chars(ref.ord), seg.Heading(ref.ord))) * out[i].factor
		}
		sortRanked(out[:ww])
	}
	order := make([]hitRef, len(refs))
	scores := make([]float64, len(refs))
	for i, r := range out {
		order[i], scores[i] = r.ref, r.score
	}
	for i := w; i < len(refs); i++ {
		order[i], scores[i] = refs[i], float64(refs[i].score)
	}
	return order, scores, nil
}

// wordScores returns, for each of refs, the summed idf of the words that
// occur in it as tokens of the word field, each times √(the word's
// occurrences in the text). Presence is looked up with unscored readers
// that skip through a word's postings to each paragraph (wordTFs); a
// scored bleve search would walk every posting of a common word (zap
// reads frequencies linearly: 6 ms for 发展 at a million paragraphs).
func (ix *Index) wordScores(ctx context.Context, words []string, res *result, refs []hitRef) ([]float64, error) {
	n, err := res.snap.bleve.DocCount()
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(refs))
	for _, w := range words {
		df, err := res.snap.wordDF(ctx, w)
		if err != nil {
			return nil, err
		}
		if df == 0 {
			continue
		}
		idf := 1 + math.Log(float64(n)/float64(df+1))
		tfs, err := ix.wordTFs(ctx, w, res, refs)
		if err != nil {
			return nil, err
		}
		for i, tf := range tfs {
			if tf > 0 {
				out[i] += idf * math.Sqrt(float64(tf))
			}
		}
	}
	return out, nil
}

// fetch returns the hits of refs, in order, with the given scores (nil:
// their stage-one scores), their text and section from bleve's stored
// fields.
func (ix *Index) fetch(ctx context.Context, p *plan, res *result, refs []hitRef, scores []float64) ([]search.Hit, error) {
	hits := make([]search.Hit, 0, len(refs))
	for i, ref := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := res.storedOf(ref)
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, fmt.Errorf("bleveindex: paragraph %s is missing (the index is damaged: index the report again)", res.id(ref))
		}
		score := float64(ref.score)
		if scores != nil {
			score = scores[i]
		}
		para := search.Paragraph{N: int(res.snap.segs[ref.seg].file.seg.N(ref.ord)), Text: f.text, Section: f.section}
		hits = append(hits, search.NewHit(res.snap.reportOf(ref), para, res.snippetOf(ref, f.text, p.marks), score))
	}
	return hits, nil
}

// MatchIDs returns the ids of every paragraph matching the request's query
// and filter (from and size are ignored) and the total as counted by the
// search; the two must agree. It is the index side of exactness tests.
func (ix *Index) MatchIDs(ctx context.Context, req search.Request) ([]string, uint64, error) {
	req.From, req.Size = 0, 1
	if err := req.Validate(); err != nil {
		return nil, 0, err
	}
	snap := ix.acquire()
	defer snap.release()
	_, res, err := ix.run(ctx, snap, &req)
	if err != nil {
		return nil, 0, err
	}
	refs := res.all(search.SortRelevance)
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = res.id(r)
	}
	return ids, res.total, nil
}
