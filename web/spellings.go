package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// Nearest spellings (search/workbench/spellings.go): GET /api/spellings,
// and the suggestions of a search page without hits.

var spellingsKeys = paramKeys{single: []string{"q", "mode", "size"}, lists: filterParams}

// apiSpellings: GET /api/spellings?q=…[&mode][&filters][&size=5]: for a
// query without hits, the queries one edit away that have hits, each with
// the total of its search.
func (s *Server) apiSpellings(c echo.Context) error {
	p, err := readParams(c.QueryParams(), spellingsKeys)
	if err != nil {
		return err
	}
	req := workbench.SpellingsRequest{Query: p.get("q"), Mode: search.Mode(p.get("mode")), Themes: s.themesOf()}
	if strings.TrimSpace(req.Query) == "" {
		return search.BadRequestf("missing q: give a query")
	}
	if req.Size, err = intParam(p, "size", workbench.DefaultSpellings); err != nil {
		return err
	}
	if req.Size < 1 || req.Size > workbench.MaxSpellings {
		return search.BadRequestf("size must be between 1 and %d, not %d (leave it out for %d)", workbench.MaxSpellings, req.Size, workbench.DefaultSpellings)
	}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return err
	}
	s.metrics.search("spellings")
	resp, err := workbench.Spellings(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

// spellingLink is a suggestion of the empty search page.
type spellingLink struct {
	workbench.Spelling
	Href string
}

// spellingLinks are the suggestions for a request without hits, as links
// that keep the page's mode, filters and sort; nil when there are none or
// they cannot be computed (the page still helps otherwise).
func (s *Server) spellingLinks(ctx context.Context, p params, req search.Request) []spellingLink {
	resp, err := workbench.Spellings(ctx, s.index, workbench.SpellingsRequest{Query: req.Query, Mode: req.Mode,
		Filter: req.Filter, Themes: s.themesOf()})
	if err != nil {
		if !search.IsBadRequest(err) {
			s.log.Warn("spellings", "q", req.Query, "err", err)
		}
		return nil
	}
	var out []spellingLink
	for _, sp := range resp.Spellings {
		out = append(out, spellingLink{Spelling: sp, Href: p.set("from").set("q", sp.Query).href("/")})
	}
	return out
}
