package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
	"reportsearch/search/workbench"
)

// What the search page shows beside its hits, from the workbench: the
// link to the concordance, the collocates box (相关词, loaded from
// /related), the query's explanation (检索式解析) and the themes that
// theme:NAME may name.

// searchExtras is the workbench's part of the search page.
type searchExtras struct {
	// ConcordanceHref is the query's concordance with the page's filters.
	ConcordanceHref string
	// RelatedHref is the page of the query's collocates (its box is
	// fetched into the search page by app.js where scripts run).
	RelatedHref string
	Explain     *explanation
	// Themes are the names of the lexicon's themes, for the help.
	Themes []themeLink
}

// themeLink is a theme's name and the search for it.
type themeLink struct{ Name, Href string }

// explanation is a parsed query as the page explains it.
type explanation struct {
	Mode    string
	Clauses []explainNode
	// Capped is set when the query has more terms than are counted.
	Capped bool
}

// explainNode is one clause or alternative: a term, an OR group, an
// excluded term or a theme (with its expressions).
type explainNode struct {
	Kind string // "term", "or", "not", "theme"
	Text string
	// Words are a term's gse words (loose mode matches each of them).
	Words []string
	// Count is the number of paragraphs (with the page's filters) that
	// the term alone matches, in the page's mode; Counted says whether
	// it was counted.
	Count       uint64
	Counted     bool
	Children    []explainNode
	Expressions []string
	// Href searches for this term alone.
	Href string
}

// maxExplainCounts bounds the counts of an explanation: one per term of
// the query (a query has at most query.MaxTerms).
const maxExplainCounts = query.MaxTerms

// searchExtrasOf builds the extras of a search page for the parameters
// p and the request (validated when err is nil).
func (s *Server) searchExtrasOf(ctx context.Context, p params, req search.Request, err error) *searchExtras {
	x := &searchExtras{}
	if s.themes != nil {
		for _, t := range s.themes.Lexicon().Themes {
			x.Themes = append(x.Themes, themeLink{t.Name, params{"q": {query.Theme{Name: t.Name}.String()}}.href("/")})
		}
	}
	if err != nil || req.Parsed == nil {
		return x
	}
	keep := p.keep(append([]string{"q", "mode"}, filterParams...)...)
	x.ConcordanceHref = keep.href("/concordance")
	x.RelatedHref = keep.href("/related")
	x.Explain = s.explain(ctx, p, req)
	return x
}

// explain describes req's parsed tree, counting each term alone.
func (s *Server) explain(ctx context.Context, p params, req search.Request) *explanation {
	ex := &explanation{Mode: string(req.Mode)}
	counts := 0
	base := p.set("from")
	leaf := func(n query.Node) explainNode {
		var e explainNode
		switch n := n.(type) {
		case query.Term:
			e = explainNode{Kind: "term", Text: n.Text}
			if req.Mode == search.ModeLoose {
				if ws, err := analysis.Words(analysis.FoldString(n.Text)); err == nil && len(ws) > 1 {
					e.Words = ws
				}
			}
		case query.Theme:
			e = explainNode{Kind: "theme", Text: n.Name}
			if exprs, ok := s.themesOf().Expressions(n.Name); ok {
				e.Expressions = exprs
			}
		default:
			return explainNode{Kind: "term", Text: n.String()}
		}
		q := n.String()
		e.Href = base.set("q", q).href("/")
		if counts >= maxExplainCounts {
			ex.Capped = true
			return e
		}
		counts++
		one := search.Request{Query: q, Mode: req.Mode, Filter: req.Filter, Themes: req.Themes}
		if one.Validate() == nil {
			if _, total, err := s.index.CountByReport(ctx, one); err == nil {
				e.Count, e.Counted = total, true
			}
		}
		return e
	}
	and, ok := req.Parsed.Tree.(query.And)
	if !ok {
		and = query.And{Children: []query.Node{req.Parsed.Tree}}
	}
	for _, c := range and.Children {
		switch c := c.(type) {
		case query.Or:
			g := explainNode{Kind: "or"}
			for _, alt := range c.Children {
				g.Children = append(g.Children, leaf(alt))
			}
			ex.Clauses = append(ex.Clauses, g)
		case query.Not:
			e := leaf(c.Child)
			e.Kind = "not"
			ex.Clauses = append(ex.Clauses, e)
		default:
			ex.Clauses = append(ex.Clauses, leaf(c))
		}
	}
	return ex
}

// The related page: /related?q=… lists the query's collocates, each with
// a link that adds it to the query (AND) and, for a query of one clause,
// one that adds it as an alternative (|).

var relatedPageKeys = paramKeys{single: []string{"q", "mode"}, lists: filterParams}

// relatedBoxSize is how many collocates the box shows.
const relatedBoxSize = 15

type relatedPage struct {
	page
	Query      string
	Error      string
	SearchHref string
	Resp       *workbench.RelatedResponse
	Words      []relatedLink
}

type relatedLink struct {
	workbench.RelatedWord
	And, Or string
}

// alternativeQuery is q with word as an alternative of its only clause
// (q | word), or "" when q has several clauses: OR binds tighter than
// the space, so "A B | w" would mean A and (B or w), not what the link
// says.
func alternativeQuery(q string, tree query.Node, word string) string {
	and, ok := tree.(query.And)
	if !ok || len(and.Children) != 1 {
		return ""
	}
	if _, not := and.Children[0].(query.Not); not {
		return ""
	}
	return q + " | " + query.Term{Text: word}.String()
}

func (s *Server) uiRelated(c echo.Context) error {
	p, err := readParams(c.QueryParams(), relatedPageKeys)
	data := &relatedPage{page: page{Title: "相关词", Nav: "search"}, Query: p.get("q")}
	req := workbench.RelatedRequest{Query: p.get("q"), Mode: search.Mode(p.get("mode")), Size: relatedBoxSize, Themes: s.themesOf()}
	if err == nil && req.Query == "" {
		err = search.BadRequestf("missing q: give a query")
	}
	if err == nil {
		req.Filter, err = search.ParseFilter(p)
	}
	if err == nil {
		err = req.Validate()
	}
	if err == nil {
		data.Title = req.Query + " - 相关词"
		data.Resp, err = workbench.Related(c.Request().Context(), s.index, req)
	}
	if err != nil {
		if !search.IsBadRequest(err) {
			return err
		}
		data.Error = userMessage(err)
		return s.render(c, http.StatusBadRequest, "related.html", data)
	}
	base := p.keep(append([]string{"q", "mode"}, filterParams...)...)
	data.SearchHref = base.href("/")
	for _, w := range data.Resp.Words {
		l := relatedLink{RelatedWord: w, And: base.set("q", req.Query+" "+query.Term{Text: w.Word}.String()).href("/")}
		if alt := alternativeQuery(req.Query, req.Parsed.Tree, w.Word); alt != "" {
			l.Or = base.set("q", alt).href("/")
		}
		data.Words = append(data.Words, l)
	}
	return s.render(c, http.StatusOK, "related.html", data)
}
