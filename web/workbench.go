package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
	"reportsearch/search/themes"
	"reportsearch/search/workbench"
)

// The research workbench's API: concordance, collocates, keywords and the
// theme lexicon. The work lives in search/workbench and search/themes;
// these handlers read parameters and write answers.

// WithThemes serves the theme lexicon of store: theme:NAME in every query,
// /api/themes, and its editing for admins.
func WithThemes(store *themes.Store) Option {
	return func(s *Server) { s.themes = store }
}

// themesOf is the resolver of theme:NAME for requests: nil when the
// server has no lexicon (a theme reference is then unknown).
func (s *Server) themesOf() search.Themes {
	if s.themes == nil {
		return nil
	}
	return s.themes
}

func (s *Server) registerWorkbench(e *echo.Echo) {
	e.GET("/api/concordance", s.apiConcordance)
	e.GET("/api/related", s.apiRelated)
	e.GET("/api/keywords", s.apiKeywords)
	e.GET("/api/themes", s.apiThemes)
	e.GET("/api/themes/history", s.apiThemesHistory, s.admin.bearer)
	e.GET("/api/themes/:name", s.apiTheme)
	e.PUT("/api/themes/:name", s.apiPutTheme, s.admin.bearer)
	e.DELETE("/api/themes/:name", s.apiDeleteTheme, s.admin.bearer)
	e.POST("/api/themes/import", s.apiImportThemes, s.admin.bearer)
}

// The parameters of the workbench's endpoints (see readParams).
var (
	concordanceKeys = paramKeys{single: []string{"q", "mode", "sort", "context", "from", "size", "format"}, lists: filterParams}
	relatedKeys     = paramKeys{single: []string{"q", "mode", "window", "min", "size"}, lists: filterParams}
	keywordsKeys    = func() paramKeys {
		k := paramKeys{single: []string{"new", "min", "size", "async"}}
		for _, f := range filterParams {
			k.lists = append(k.lists, "f."+f, "r."+f)
		}
		return k
	}()
)

// concordanceRequest reads q, mode, context, sort, from, size and the
// filters.
func (s *Server) concordanceRequest(p params) (workbench.ConcordanceRequest, error) {
	req := workbench.ConcordanceRequest{Query: p.get("q"), Mode: search.Mode(p.get("mode")),
		Sort: workbench.Sort(p.get("sort")), Themes: s.themesOf()}
	var err error
	if req.Context, err = intParam(p, "context", workbench.DefaultContext); err != nil {
		return req, err
	}
	if req.From, err = intParam(p, "from", 0); err != nil {
		return req, err
	}
	if req.Size, err = intParam(p, "size", workbench.DefaultSize); err != nil {
		return req, err
	}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return req, err
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, search.BadRequestf("missing q: give a query")
	}
	return req, req.Validate()
}

// apiConcordance: GET /api/concordance?q=…[&context=20][&sort=report|year|left|right]
// [&from&size][&filters][&format=csv|jsonl] (format streams every line).
func (s *Server) apiConcordance(c echo.Context) error {
	p, err := readParams(c.QueryParams(), concordanceKeys)
	if err != nil {
		return err
	}
	req, err := s.concordanceRequest(p)
	if err != nil {
		return err
	}
	format, err := export.ParseFormat(p.get("format"), export.JSON, export.CSV, export.JSONL)
	if err != nil {
		return err
	}
	show, err := s.showPaths(c)
	if err != nil {
		return err
	}
	if format == export.JSON {
		resp, err := workbench.Concordance(c.Request().Context(), s.index, req)
		if err != nil {
			return err
		}
		for i := range resp.Lines {
			resp.Lines[i].Path = show(resp.Lines[i].Path)
		}
		return c.JSON(http.StatusOK, resp)
	}
	// Read it all before the first byte, so that an error is still a status.
	var lines []workbench.Line
	if err := workbench.ConcordanceAll(c.Request().Context(), s.index, req, func(l workbench.Line) error {
		l.Path = show(l.Path)
		lines = append(lines, l)
		return nil
	}); err != nil {
		return err
	}
	w := export.NewLineWriter(startDownload(c, format, "concordance"), format)
	for _, l := range lines {
		if err := w.Write(l); err != nil {
			return nil // the client went away
		}
	}
	return w.Close()
}

// startDownload sets the headers of an export and returns the body.
func startDownload(c echo.Context, format export.Format, name string) io.Writer {
	h := c.Response().Header()
	if format == export.CSV {
		h.Set(echo.HeaderContentType, export.ContentTypeCSV)
		h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	} else {
		h.Set(echo.HeaderContentType, export.ContentTypeJSONL)
	}
	c.Response().WriteHeader(http.StatusOK)
	return c.Response()
}

// apiRelated: GET /api/related?q=…[&window=paragraph|N][&min=3][&size=30][&filters].
func (s *Server) apiRelated(c echo.Context) error {
	p, err := readParams(c.QueryParams(), relatedKeys)
	if err != nil {
		return err
	}
	req := workbench.RelatedRequest{Query: p.get("q"), Mode: search.Mode(p.get("mode")), Themes: s.themesOf()}
	if strings.TrimSpace(req.Query) == "" {
		return search.BadRequestf("missing q: give a query")
	}
	if w := p.get("window"); w != "" && w != "paragraph" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 {
			return search.BadRequestf("window must be paragraph or a number of characters, not %q", w)
		}
		req.Window = n
	}
	if req.Min, err = intParam(p, "min", workbench.DefaultMinFreq); err != nil {
		return err
	}
	if req.Size, err = intParam(p, "size", workbench.DefaultRelated); err != nil {
		return err
	}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return err
	}
	resp, err := workbench.Related(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

// prefixedFilter parses the filters given with a prefix (f.year=2026).
func prefixedFilter(v url.Values, prefix string) (search.Filter, error) {
	sub := url.Values{}
	for k, vs := range v {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			sub[name] = vs
		}
	}
	return search.ParseFilter(sub)
}

// boolParam reads a true/false parameter (absent: false).
func boolParam(p params, key string) (bool, error) {
	switch p.get(key) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, search.BadRequestf("%s must be true or false, not %q", key, p.get(key))
}

// keywordsRequest reads f.* (focus), r.* (reference; none: the rest),
// new, min and size.
func keywordsRequest(c echo.Context) (workbench.KeywordsRequest, error) {
	var req workbench.KeywordsRequest
	p, err := readParams(c.QueryParams(), keywordsKeys)
	if err != nil {
		return req, err
	}
	if req.Focus, err = prefixedFilter(url.Values(p), "f."); err != nil {
		return req, err
	}
	if req.Reference, err = prefixedFilter(url.Values(p), "r."); err != nil {
		return req, err
	}
	if req.New, err = boolParam(p, "new"); err != nil {
		return req, err
	}
	if req.Min, err = intParam(p, "min", workbench.DefaultMinFreq); err != nil {
		return req, err
	}
	if req.Size, err = intParam(p, "size", workbench.DefaultKeywords); err != nil {
		return req, err
	}
	return req, req.Validate()
}

// apiKeywords: GET /api/keywords?f.year=2026[&r.year=2021..2025][&new=true][&min][&size][&async=true].
// With async=true a comparison still running after a moment answers 202
// with its progress, and the same request asked again answers its result
// once it is done (keyword_jobs.go); without, the request waits.
func (s *Server) apiKeywords(c echo.Context) error {
	req, err := keywordsRequest(c)
	if err != nil {
		return err
	}
	p, _ := readParams(c.QueryParams(), keywordsKeys) // read by keywordsRequest
	async, err := boolParam(p, "async")
	if err != nil {
		return err
	}
	if async {
		resp, progress, err := s.keywords.answer(c.Request().Context(), s.index, req)
		if err != nil {
			return err
		}
		if progress != nil {
			return c.JSON(http.StatusAccepted, progress)
		}
		return c.JSON(http.StatusOK, resp)
	}
	resp, err := workbench.Keywords(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

var errNoThemes = echo.NewHTTPError(http.StatusNotFound, "this server keeps no theme lexicon")

// apiThemes: GET /api/themes[?format=csv]: the lexicon with its version.
func (s *Server) apiThemes(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	format, err := export.ParseFormat(c.QueryParam("format"), export.JSON, export.CSV)
	if err != nil {
		return err
	}
	l := s.themes.Lexicon()
	if format == export.CSV {
		return themes.WriteCSV(startDownload(c, export.CSV, "themes-v"+strconv.Itoa(l.Version)), l)
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) apiTheme(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	t, err := s.themes.Theme(c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// apiPutTheme: PUT /api/themes/NAME {"expressions": […], "notes": "…"}.
func (s *Server) apiPutTheme(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	var t themes.Theme
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<20)).Decode(&t); err != nil {
		return search.BadRequestf("the body must be a JSON theme {\"expressions\": [...], \"notes\": \"...\"}: %v", err)
	}
	t.Name = c.Param("name")
	l, err := s.themes.Put(t, author(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) apiDeleteTheme(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	l, err := s.themes.Delete(c.Param("name"), author(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// apiImportThemes: POST /api/themes/import[?replace=true] with a JSON
// lexicon ({"themes": […]}) or a CSV (Content-Type text/csv).
func (s *Server) apiImportThemes(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	body := io.LimitReader(c.Request().Body, 8<<20)
	var ts []themes.Theme
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "text/csv") {
		var err error
		if ts, err = themes.ReadCSV(body); err != nil {
			return err
		}
	} else {
		var l themes.Lexicon
		if err := json.NewDecoder(body).Decode(&l); err != nil {
			return search.BadRequestf("the body must be a lexicon {\"themes\": [...]} or a CSV (Content-Type: text/csv): %v", err)
		}
		ts = l.Themes
	}
	l, err := s.themes.Import(ts, c.QueryParam("replace") == "true", author(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (s *Server) apiThemesHistory(c echo.Context) error {
	if s.themes == nil {
		return errNoThemes
	}
	h, err := s.themes.History()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"changes": h})
}

// author names who made a change: the X-Author header an admin tool may
// send, else "admin api".
func author(c echo.Context) string {
	if a := strings.TrimSpace(c.Request().Header.Get("X-Author")); a != "" && len(a) <= 100 {
		return a
	}
	return "admin api"
}
