package web

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
)

// Helpers of the workbench pages (concordance, compare, related,
// suggestions): the search page's facets and pages for another path.

// facetGroupsAt is the search page's facet sidebar for the page at path:
// each value's link toggles it (facetToggle) in p, from the first page.
func facetGroupsAt(facets map[string][]search.FacetValue, p params, path string) []facetGroup {
	base := p.set("from")
	var out []facetGroup
	for _, f := range facetFields {
		g := facetGroup{Field: f, Label: fieldLabel(f)}
		values := shownFacets(facets[f], func(fv search.FacetValue) bool { return p.has(f, filterValue(fv.Value)) })
		g.More = len(facets[f]) - len(values)
		for _, fv := range values {
			l := facetLink{Label: valueLabel(f, fv.Value), Count: fv.Count}
			if v := filterValue(fv.Value); v != "" {
				l.Selected = p.has(f, v)
				l.Href = facetToggle(base, f, v).href(path)
			}
			g.Values = append(g.Values, l)
		}
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// facetsOf counts the paragraphs a query matches by facet: a search of
// one hit (its facets count every matching paragraph).
func (s *Server) facetsOf(ctx context.Context, q string, mode search.Mode, f search.Filter) (map[string][]search.FacetValue, error) {
	req := search.Request{Query: q, Mode: mode, Filter: f, Size: 1, Themes: s.themesOf()}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	resp, err := s.index.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.Facets, nil
}

// paginateAll is a page list of total items at path, size per page,
// without the search's window limit (the workbench reads every match).
func paginateAll(p params, path string, from, size, total int) pagination {
	last := max(1, (total+size-1)/size)
	cur := from/size + 1
	link := func(n int) string {
		if n <= 1 {
			return p.set("from").href(path)
		}
		return p.set("from", strconv.Itoa((n-1)*size)).href(path)
	}
	pg := pagination{Current: cur, Last: last}
	if from > 0 {
		pg.Prev = link(cur - 1)
		if from%size != 0 {
			pg.Prev = p.set("from", strconv.Itoa(max(0, from-size))).href(path)
		}
	}
	if from+size < total {
		pg.Next = p.set("from", strconv.Itoa(from+size)).href(path)
	}
	if last > 1 {
		for n := max(1, cur-pageWindow); n <= min(last, cur+pageWindow); n++ {
			pg.Links = append(pg.Links, pageLink{N: n, Href: link(n), Current: n == cur})
		}
	}
	return pg
}

// option is defined in admin.go; selectOptions lists values for a
// <select>, labelled as the facets label them.
func selectOptions(field string, values []string) []option {
	out := []option{}
	for _, v := range values {
		out = append(out, option{Value: v, Label: valueLabel(field, v)})
	}
	return out
}

func init() {
	templateFuncs["add"] = func(a, b int) int { return a + b }
	templateFuncs["themeAction"] = func(a string) string {
		switch a {
		case "put":
			return "保存"
		case "delete":
			return "删除"
		case "import":
			return "导入"
		}
		return a
	}
}

// registerWorkbenchPages adds the workbench's pages.
func (s *Server) registerWorkbenchPages(e *echo.Echo) {
	e.GET("/concordance", s.uiConcordance)
	e.GET("/related", s.uiRelated)
	e.GET("/compare", s.uiCompare)
	e.GET("/suggestions", s.uiSuggestions)
	e.GET("/api/suggestions", s.apiSuggestions)
}
