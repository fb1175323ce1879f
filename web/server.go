// Package web is the HTTP face of reportsearch: a JSON API and a small
// server-rendered UI, on Echo. Handlers return errors; errorHandler maps
// them to status codes and bodies in one place.
package web

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"reportsearch/search"
	"reportsearch/search/themes"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server serves the API and the UI over one index.
type Server struct {
	index  search.Index
	themes *themes.Store
	tmpl   *template.Template
	log    *slog.Logger
	admin  *admin
}

// Option configures a Server.
type Option func(*Server)

// New builds the Echo application. Without WithAdmin the admin endpoints
// exist but answer 403 (admin disabled).
func New(ix search.Index, log *slog.Logger, opts ...Option) (*echo.Echo, error) {
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	srv := &Server{index: ix, tmpl: tmpl, log: log}
	for _, o := range opts {
		o(srv)
	}
	if srv.admin == nil {
		srv.admin = newAdmin(AdminConfig{})
	}
	srv.admin.srv = srv
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = srv.errorHandler
	e.JSONSerializer = jsonSerializer{}
	e.Use(middleware.Recover())
	e.Use(securityHeaders)

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/api/search", srv.apiSearch)
	e.GET("/api/trends", srv.apiTrends)
	e.GET("/api/documents", srv.apiDocuments)
	e.GET("/api/documents/:id", srv.apiDocument)
	e.GET("/api/documents/:id/paragraphs/:n", srv.apiParagraph)
	e.GET("/api/openapi.json", srv.apiOpenAPI)
	srv.admin.registerAPI(e)
	srv.registerWorkbench(e)
	e.GET("/", srv.uiSearch)
	e.GET("/trends", srv.uiTrends)
	e.GET("/documents", srv.uiDocuments)
	e.GET("/documents/:id", srv.uiReader)
	srv.admin.registerPages(e)
	static, _ := fs.Sub(staticFS, "static")
	e.StaticFS("/static", static)
	return e, nil
}

func parseTemplates() (*template.Template, error) {
	return template.New("").Funcs(templateFuncs).ParseFS(templateFS, "templates/*.html")
}

// securityHeaders sets a strict content security policy: no inline
// scripts, nothing from other origins.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// errorHandler maps errors to HTTP: bad requests to 400 with their
// message, unknown things to 404, everything else to 500 with a generic
// message (and a log line). API paths get JSON, pages get HTML.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg, ecode := http.StatusInternalServerError, "internal error", "internal"
	pageMsg := ""
	var he *echo.HTTPError
	var be *search.BadRequestError
	switch {
	case errors.As(err, &be):
		code, msg, ecode, pageMsg = http.StatusBadRequest, err.Error(), be.ErrorCode(), be.Chinese()
	case errors.Is(err, search.ErrNotFound):
		code, msg, ecode = http.StatusNotFound, err.Error(), "not_found"
	case errors.As(err, &he):
		code, ecode = he.Code, strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_")
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(code)
		}
	}
	if code >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "uri", c.Request().RequestURI, "err", err)
	}
	if isAPI(c) {
		_ = c.JSON(code, map[string]string{"error": msg, "code": ecode})
		return
	}
	if pageMsg == "" {
		pageMsg = msg
	}
	_ = s.render(c, code, "error.html", map[string]any{"Code": code, "Message": pageMsg})
}

// userMessage is an error as a page shows it: in Chinese where the
// request's error has a Chinese message (query syntax errors do).
func userMessage(err error) string {
	var be *search.BadRequestError
	if errors.As(err, &be) {
		return be.Chinese()
	}
	return err.Error()
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return len(p) >= 4 && p[:4] == "/api" || p == "/healthz"
}

func (s *Server) render(c echo.Context, code int, name string, data any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(code)
	return s.tmpl.ExecuteTemplate(c.Response(), name, data)
}

// jsonSerializer is echo's default without HTML escaping: answers are
// application/json with nosniff, never inlined into a page, so escaping
// buys nothing, and highlights read as <mark>…</mark> rather than
// \u003cmark\u003e (shorter, and cheaper to encode).
type jsonSerializer struct{ echo.DefaultJSONSerializer }

func (jsonSerializer) Serialize(c echo.Context, i interface{}, indent string) error {
	enc := json.NewEncoder(c.Response())
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}
