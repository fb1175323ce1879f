package bleveindex

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"reportsearch/search"
	"reportsearch/search/highlight"
)

// Ranking parameters, tuned on the judged set (docs/ranking.md).
var (
	// rerankWindow is how many top hits are re-scored with the
	// paragraph-level priors below (like Elasticsearch's rescore window).
	rerankWindow = 50
	// Paragraphs shorter than shortChars characters are scaled down by
	// (chars/shortChars)^shortExp: tf-idf's length norm favours short
	// lines, but a short line rarely says much about a theme.
	shortChars = 240.0
	shortExp   = 0.5
	// headingFactor scales the score of heading lines, so that a bare
	// heading does not outrank the paragraphs it introduces.
	headingFactor = 0.5
)

var hitFields = []string{fDocID, fN, fText, fSection, fHeading}

// Search answers a request: the exact total and facet counts, and the
// requested page of hits — ranked by relevance (with rescoring) or sorted
// by year — each with its report's metadata and highlights; or, for
// group=doc, a page of reports (see searchGroups).
func (ix *Index) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	c, err := prepare(&req)
	if err != nil {
		return nil, err
	}
	if req.Group == search.GroupDoc {
		resp, err := ix.searchGroups(ctx, req, c)
		if err != nil {
			return nil, err
		}
		resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
		return resp, nil
	}
	var sreq *bleve.SearchRequest
	from := req.From
	if req.Sort == search.SortRelevance {
		window := max(req.From+req.Size, rerankWindow)
		sreq = bleve.NewSearchRequestOptions(c.q, window, 0, false)
	} else {
		// A year order is total (yearOrder), so bleve pages it itself.
		sreq = bleve.NewSearchRequestOptions(c.q, req.Size, req.From, false)
		sreq.SortBy(yearOrder(req.Sort))
		from = 0
	}
	sreq.Fields = hitFields
	addFacets(sreq)
	res, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: search %q: %w", req.Query, err)
	}
	perDoc, err := termCounts(res, fDocID)
	if err != nil {
		return nil, err
	}
	facets, err := ix.facetValues(perDoc)
	if err != nil {
		return nil, err
	}
	var ranked []scored
	if req.Sort == search.SortRelevance {
		ranked = rerank(res.Hits)
	} else {
		ranked = priored(res.Hits)
	}
	resp := &search.Response{Query: req.Query, Total: res.Total, Hits: []search.Hit{}, Facets: facets}
	for i := from; i < len(ranked) && i < from+req.Size; i++ {
		h, err := ix.hit(ranked[i], c.marks)
		if err != nil {
			return nil, err
		}
		resp.Hits = append(resp.Hits, h)
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

type scored struct {
	m     *bsearch.DocumentMatch
	score float64
}

// rerank applies the paragraph priors and orders by the new score, ties
// broken by id so that pages are stable.
func rerank(hits bsearch.DocumentMatchCollection) []scored {
	out := priored(hits)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].m.ID < out[j].m.ID
	})
	return out
}

// priored applies the paragraph priors to the scores, keeping the order
// (hits sorted by year show the same scores as when ranked).
func priored(hits bsearch.DocumentMatchCollection) []scored {
	out := make([]scored, len(hits))
	for i, h := range hits {
		text, _ := h.Fields[fText].(string)
		heading, _ := h.Fields[fHeading].(bool)
		out[i] = scored{m: h, score: h.Score * prior(utf8.RuneCountInString(text), heading)}
	}
	return out
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

func (ix *Index) hit(s scored, marks []string) (search.Hit, error) {
	f := s.m.Fields
	docID, _ := f[fDocID].(string)
	n, _ := f[fN].(float64)
	text, _ := f[fText].(string)
	section, _ := f[fSection].(string)
	r, err := ix.Report(docID)
	if err != nil {
		return search.Hit{}, err
	}
	hl := highlight.Highlight(text, marks)
	return search.Hit{
		ID: s.m.ID, DocID: docID, Title: r.Title, Path: r.Path, Year: r.Year,
		Region: r.Region, Level: r.Level, Organization: r.Organization, DocType: r.DocType,
		Paragraph: int(n), Section: section, Text: text, Highlight: hl.Snippet,
		Score: math.Round(s.score*1e4) / 1e4,
	}, nil
}

// MatchIDs returns the ids of every paragraph matching the request's query
// and filter (from and size are ignored) and the total as counted by the
// search; the two must agree. It is the index side of exactness tests.
func (ix *Index) MatchIDs(ctx context.Context, req search.Request) ([]string, uint64, error) {
	req.From, req.Size = 0, 1
	if err := req.Validate(); err != nil {
		return nil, 0, err
	}
	c, err := prepare(&req)
	if err != nil {
		return nil, 0, err
	}
	count, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(c.q, 0, 0, false))
	if err != nil {
		return nil, 0, err
	}
	res, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(c.q, int(count.Total), 0, false))
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, count.Total, nil
}
