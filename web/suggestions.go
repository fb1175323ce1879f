package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// New-word suggestions (search/workbench/suggest.go): GET /api/suggestions
// and the page /suggestions. Both are public and read-only, like the
// keywords they resemble: they show what the index holds and change
// nothing. Each suggestion links to the user dictionary's admin page
// (admin_dict.go) with it filled in: accepting it is that page's form.

var suggestionsKeys = paramKeys{single: []string{"min", "size"}, lists: filterParams}

// suggestRequest reads min, size and the filters.
func suggestRequest(p params) (workbench.SuggestRequest, error) {
	var req workbench.SuggestRequest
	var err error
	if req.Min, err = intParam(p, "min", workbench.DefaultSuggestMin); err != nil {
		return req, err
	}
	if req.Size, err = intParam(p, "size", workbench.DefaultSuggestions); err != nil {
		return req, err
	}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return req, err
	}
	return req, req.Validate()
}

// apiSuggestions: GET /api/suggestions[?filters][&min=5][&size=50].
func (s *Server) apiSuggestions(c echo.Context) error {
	p, err := readParams(c.QueryParams(), suggestionsKeys)
	if err != nil {
		return err
	}
	req, err := suggestRequest(p)
	if err != nil {
		return err
	}
	resp, err := workbench.Suggest(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

type suggestionsPage struct {
	page
	Year, Min string
	Hidden    []hiddenField
	Active    []activeFilter
	Error     string
	Resp      *workbench.SuggestResponse
	Rows      []suggestionRow
	APIHref   string
}

type suggestionRow struct {
	workbench.Suggestion
	// Href is the exact search for the sequence with the page's filters.
	Href string
	// Accept opens the user dictionary's page with the sequence filled in.
	Accept string
}

// uiSuggestions renders /suggestions: computed only when asked (the page
// without parameters is its form), as it reads every filtered paragraph.
func (s *Server) uiSuggestions(c echo.Context) error {
	p, err := readParams(c.QueryParams(), paramKeys{single: []string{"min", "size", "run"}, lists: filterParams})
	data := &suggestionsPage{page: page{Title: "新词建议", Nav: "admin"}, Min: p.get("min")}
	data.Year, data.Hidden = filterFields(p)
	data.Active = activeFilters(p, "/suggestions")
	if err == nil && len(p) == 0 {
		return s.render(c, http.StatusOK, "suggestions.html", data)
	}
	var req workbench.SuggestRequest
	if err == nil {
		req, err = suggestRequest(p)
	}
	if err == nil {
		data.Resp, err = workbench.Suggest(c.Request().Context(), s.index, req)
	}
	if err != nil {
		if !search.IsBadRequest(err) {
			return err
		}
		data.Error, data.Resp = userMessage(err), nil
		return s.render(c, http.StatusBadRequest, "suggestions.html", data)
	}
	filters := p.keep(filterParams...)
	for _, sg := range data.Resp.Suggestions {
		data.Rows = append(data.Rows, suggestionRow{Suggestion: sg, Href: filters.set("q", phraseQuery(sg.Text)).href("/"),
			Accept: "/admin/dict?" + url.Values{"add": {sg.Text}}.Encode()})
	}
	data.APIHref = p.set("run").href("/api/suggestions")
	return s.render(c, http.StatusOK, "suggestions.html", data)
}
