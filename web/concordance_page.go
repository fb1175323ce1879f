package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// The concordance page: /concordance?q=… lists every occurrence of the
// query's terms with its context, the keyword in an aligned column, with
// the search page's filters and facets, pages and the API's exports.

var concordancePageKeys = paramKeys{single: []string{"q", "mode", "sort", "context", "from", "size"}, lists: filterParams}

// contextChoices are the widths the page offers (any 1..MaxContext is
// accepted in the URL).
var contextChoices = []int{10, 20, 30, 50, 80}

type concordancePage struct {
	page
	Query, Mode, Sort, Year string
	Context                 int
	Contexts                []option
	Hidden                  []hiddenField
	Active                  []activeFilter
	Error                   string
	Resp                    *workbench.ConcordanceResponse
	Facets                  []facetGroup
	Pages                   pagination
	// From is the rank of the first line, from 1.
	From                   int
	ExportCSV, ExportJSONL string
	// SearchHref is the same query on the search page.
	SearchHref string
}

func (s *Server) uiConcordance(c echo.Context) error {
	p, err := readParams(c.QueryParams(), concordancePageKeys)
	data := &concordancePage{page: page{Title: "语境", Nav: "concordance"}, Query: p.get("q"),
		Mode: p.get("mode"), Sort: p.get("sort")}
	data.Year, data.Hidden = filterFields(p)
	if size := p["size"]; len(size) == 1 {
		data.Hidden = append(data.Hidden, hiddenField{"size", size[0]})
	}
	data.Active = activeFilters(p, "/concordance")
	data.Context = workbench.DefaultContext
	if n, cerr := strconv.Atoi(p.get("context")); cerr == nil {
		data.Context = n
	}
	choices := contextChoices
	if !slices.Contains(choices, data.Context) && data.Context > 0 && data.Context <= workbench.MaxContext {
		choices = append(slices.Clone(choices), data.Context)
		slices.Sort(choices)
	}
	for _, n := range choices {
		data.Contexts = append(data.Contexts, option{Value: strconv.Itoa(n), Label: strconv.Itoa(n) + " 字", Selected: n == data.Context})
	}
	if err == nil && data.Query == "" {
		return s.render(c, http.StatusOK, "concordance.html", data)
	}
	var req workbench.ConcordanceRequest
	if err == nil {
		req, err = s.concordanceRequest(p)
	}
	if err == nil {
		data.Title = req.Query + " - 语境"
		data.Resp, err = workbench.Concordance(c.Request().Context(), s.index, req)
	}
	var facets map[string][]search.FacetValue
	if err == nil {
		facets, err = s.facetsOf(c.Request().Context(), req.Query, req.Mode, req.Filter)
	}
	if err != nil {
		if !search.IsBadRequest(err) {
			return err
		}
		data.Error, data.Resp = userMessage(err), nil
		return s.render(c, http.StatusBadRequest, "concordance.html", data)
	}
	data.Facets = facetGroupsAt(facets, p, "/concordance")
	data.Sort, data.Mode = string(req.Sort), string(req.Mode)
	for i := range data.Resp.Lines {
		l := &data.Resp.Lines[i]
		l.Path = s.paths.show(l.Path)
		if req.Mode == search.ModeLoose {
			// The reader marks what the loose query matches.
			if before, frag, ok := strings.Cut(l.Reader, "#"); ok {
				l.Reader = before + "&mode=loose#" + frag
			}
		}
	}
	data.From = req.From + 1
	data.Pages = paginateAll(p, "/concordance", req.From, req.Size, data.Resp.Total)
	export := p.set("from").set("size")
	data.ExportCSV = export.set("format", "csv").href("/api/concordance")
	data.ExportJSONL = export.set("format", "jsonl").href("/api/concordance")
	data.SearchHref = p.keep(append([]string{"q", "mode"}, filterParams...)...).href("/")
	return s.render(c, http.StatusOK, "concordance.html", data)
}
