package bleveindex

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"reportsearch/search"
	"reportsearch/search/highlight"
	"reportsearch/search/query"
)

// Ranking parameters, tuned on the judged set (docs/ranking.md).
var (
	// rerankWindow is how many top hits of stage one are rescored with
	// bleve's word field (like Elasticsearch's rescore window).
	rerankWindow = 50
	// wordBoost weighs the word-field score of a hit (its query words
	// standing as whole gse words) against its stage-one score.
	wordBoost = 1.0
	// Paragraphs shorter than shortChars characters are scaled down by
	// (chars/shortChars)^shortExp: the length norm favours short lines,
	// but a short line rarely says much about a theme.
	shortChars = 240.0
	shortExp   = 0.5
	// headingFactor scales the score of heading lines, so that a bare
	// heading does not outrank the paragraphs it introduces.
	headingFactor = 0.5
)

var hitFields = []string{fText, fSection, fHeading}

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
	snap := ix.acquire()
	defer snap.release()
	p, res, err := ix.run(ctx, snap, &req)
	if err != nil {
		return nil, err
	}
	facets, err := facetValues(snap, res.perReport)
	if err != nil {
		return nil, err
	}
	var resp *search.Response
	if req.Group == search.GroupDoc {
		resp, err = ix.searchGroups(ctx, req, p, res, facets)
	} else {
		resp = &search.Response{Query: req.Query, Total: res.total, Hits: []search.Hit{}, Facets: facets}
		var hits []search.Hit
		if req.Sort == search.SortRelevance {
			hits, err = ix.rescore(ctx, p, res, res.top(max(req.From+req.Size, rerankWindow), req.Sort, -1), req.From, req.Size)
		} else {
			refs := res.top(req.From+req.Size, req.Sort, -1)
			hits, err = ix.fetch(ctx, p, res, refs[min(req.From, len(refs)):], nil)
		}
		resp.Hits = append(resp.Hits, hits...)
	}
	if err != nil {
		return nil, err
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// run parses and compiles a request's query, computes the filter over the
// snapshot's reports and evaluates the query.
func (ix *Index) run(ctx context.Context, snap *snapshot, req *search.Request) (*plan, *result, error) {
	tree, err := query.Parse(req.Query)
	if err != nil {
		return nil, nil, &search.BadRequestError{Msg: err.Error()}
	}
	p, err := compile(tree, req.Mode)
	if err != nil {
		return nil, nil, err
	}
	var allow []bool
	if !req.Filter.IsZero() {
		allow = make([]bool, len(snap.reports))
		for g, r := range snap.reports {
			allow[g] = req.Filter.Match(r)
		}
	}
	res, err := ix.evaluate(ctx, snap, p, allow)
	if err != nil {
		return nil, nil, err
	}
	return p, res, nil
}

// rescore is stage two of relevance ranking: one bleve search over the
// window's paragraphs (by id) whose optional clauses are the query's gse
// words on the word field. A hit's final score is its stage-one score
// plus wordBoost times the word score, scaled by the paragraph priors. It
// returns the hits from..from+size of the final order, ties in reading
// order; only those are loaded from bleve's stored fields.
func (ix *Index) rescore(ctx context.Context, p *plan, res *result, refs []hitRef, from, size int) ([]search.Hit, error) {
	var should []bq.Query
	for _, w := range p.words {
		tq := bleve.NewTermQuery(w)
		tq.SetField(fWord)
		should = append(should, tq)
	}
	docs, err := ix.docs(ctx, res, refs, should, nil)
	if err != nil {
		return nil, err
	}
	type ranked struct {
		ref   hitRef
		score float64
	}
	out := make([]ranked, 0, len(refs))
	for _, ref := range refs {
		d := docs[res.id(ref)]
		if d == nil {
			continue // replaced since the snapshot was taken
		}
		seg := res.snap.segs[ref.seg].file.seg
		word := 0.0
		if len(should) > 0 {
			word = wordBoost * d.Score * prior(int(seg.Chars(ref.ord)), seg.Heading(ref.ord))
		}
		out = append(out, ranked{ref: ref, score: float64(ref.score) + word})
	}
	less := res.less(search.SortRelevance)
	slices.SortStableFunc(out, func(a, b ranked) int {
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
	var page []hitRef
	var scores []float64
	for i := from; i < len(out) && i < from+size; i++ {
		page, scores = append(page, out[i].ref), append(scores, out[i].score)
	}
	return ix.fetch(ctx, p, res, page, scores)
}

// fetch returns the hits of refs, in order, with the given scores (nil:
// their stage-one scores).
func (ix *Index) fetch(ctx context.Context, p *plan, res *result, refs []hitRef, scores []float64) ([]search.Hit, error) {
	docs, err := ix.docs(ctx, res, refs, nil, hitFields)
	if err != nil {
		return nil, err
	}
	hits := make([]search.Hit, 0, len(refs))
	for i, ref := range refs {
		score := float64(ref.score)
		if scores != nil {
			score = scores[i]
		}
		if d := docs[res.id(ref)]; d != nil {
			hits = append(hits, ix.hit(res, ref, d, score, p.marks))
		}
	}
	return hits, nil
}

// docs runs one bleve search over the paragraphs of refs, by id, scored by
// the optional clauses should (the id clause adds a negligible constant),
// loading the stored fields named.
func (ix *Index) docs(ctx context.Context, res *result, refs []hitRef, should []bq.Query, fields []string) (map[string]*bsearch.DocumentMatch, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = res.id(r)
	}
	idq := bleve.NewDocIDQuery(ids)
	idq.SetBoost(1e-9)
	b := bleve.NewBooleanQuery()
	b.AddMust(idq)
	if len(should) > 0 {
		b.AddShould(should...)
	}
	sreq := bleve.NewSearchRequestOptions(b, len(ids), 0, false)
	sreq.Fields = fields
	sr, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: loading hits: %w", err)
	}
	out := make(map[string]*bsearch.DocumentMatch, len(sr.Hits))
	for _, h := range sr.Hits {
		out[h.ID] = h
	}
	return out, nil
}

func prior(chars int, heading bool) float64 {
	p := 1.0
	if c := float64(chars); c < shortChars {
		p = math.Pow(math.Max(c, 1)/shortChars, shortExp)
	}
	if heading {
		p *= headingFactor
	}
	return p
}

func (ix *Index) hit(res *result, ref hitRef, d *bsearch.DocumentMatch, score float64, marks []string) search.Hit {
	r := res.snap.reportOf(ref)
	n := res.snap.segs[ref.seg].file.seg.N(ref.ord)
	text, _ := d.Fields[fText].(string)
	section, _ := d.Fields[fSection].(string)
	hl := highlight.Highlight(text, marks)
	return search.Hit{
		ID: d.ID, DocID: r.ID, Title: r.Title, Path: r.Path, Year: r.Year,
		Region: r.Region, Level: r.Level, Organization: r.Organization, DocType: r.DocType,
		Paragraph: int(n), Section: section, Text: text, Highlight: hl.Snippet,
		Score: math.Round(score*1e4) / 1e4,
	}
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
