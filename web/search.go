package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
)

// searchRequest reads the search parameters shared by the API and the UI:
// q, mode, from, size, sort, group and the filters (year, region, level,
// organization, doc_type; repeated values are OR-ed).
func searchRequest(c echo.Context) (search.Request, error) {
	req := search.Request{
		Query: c.QueryParam("q"), Mode: search.Mode(c.QueryParam("mode")),
		Sort: search.Sort(c.QueryParam("sort")), Group: search.Group(c.QueryParam("group")),
	}
	var err error
	if req.From, err = intParam(c, "from", 0); err != nil {
		return req, err
	}
	if req.Size, err = intParam(c, "size", search.DefaultSize); err != nil {
		return req, err
	}
	if req.Filter, err = search.ParseFilter(c.QueryParams()); err != nil {
		return req, err
	}
	return req, req.Validate()
}

func intParam(c echo.Context, name string, def int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, search.BadRequestf("%s must be an integer, not %q", name, v)
	}
	return n, nil
}

// apiSearch: GET /api/search?q=…&from=0&size=10[&mode=loose][&sort=…]
// [&group=doc][&year=…&region=…][&format=csv|jsonl]. format=csv or jsonl
// streams every matching paragraph instead of a page (see exportSearch).
func (s *Server) apiSearch(c echo.Context) error {
	req, err := searchRequest(c)
	if err != nil {
		return err
	}
	if req.Query == "" {
		return search.BadRequestf("missing q: give a query")
	}
	format, err := export.ParseFormat(c.QueryParam("format"), export.JSON, export.CSV, export.JSONL)
	if err != nil {
		return err
	}
	if format != export.JSON {
		return s.exportSearch(c, req, format)
	}
	resp, err := s.index.Search(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

type pageHit struct {
	search.Hit
	HighlightHTML template.HTML
}

// uiSearch renders the search page; /?q=… shows that query's results.
func (s *Server) uiSearch(c echo.Context) error {
	req, err := searchRequest(c)
	data := map[string]any{"Query": req.Query, "Mode": string(req.Mode)}
	if err != nil {
		data["Error"] = err.Error()
		return s.render(c, http.StatusBadRequest, "search.html", data)
	}
	if req.Query == "" {
		return s.render(c, http.StatusOK, "search.html", data)
	}
	// The page lists paragraphs; grouping is for the API.
	req.Group = ""
	resp, err := s.index.Search(c.Request().Context(), req)
	if search.IsBadRequest(err) {
		data["Error"] = err.Error()
		return s.render(c, http.StatusBadRequest, "search.html", data)
	}
	if err != nil {
		return err
	}
	hits := make([]pageHit, len(resp.Hits))
	for i, h := range resp.Hits {
		// Highlight is built by package highlight from escaped text and
		// <mark> tags only.
		hits[i] = pageHit{Hit: h, HighlightHTML: template.HTML(h.Highlight)}
	}
	data["Resp"] = resp
	data["Hits"] = hits
	if next := req.From + req.Size; uint64(next) < resp.Total && next < search.MaxWindow {
		data["Next"] = next
	}
	if req.From > 0 {
		data["Prev"] = max(0, req.From-req.Size)
		data["HasPrev"] = true
	}
	return s.render(c, http.StatusOK, "search.html", data)
}
