// Package web is the HTTP face of reportsearch: a JSON API and a small
// server-rendered UI, on Echo. Handlers return errors; errorHandler maps
// them to status codes and bodies in one place. It only speaks HTTP:
// searching is the search.Index's, writing is package ingest's (the one
// Writer, uploads, rebuilds), and the handlers translate between them
// and requests.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"reportsearch/indexer/ingest"
	"reportsearch/search"
	"reportsearch/search/themes"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server serves the API and the UI over one index.
type Server struct {
	index   search.Index
	themes  *themes.Store
	tmpl    *template.Template
	log     *slog.Logger
	admin   *admin
	local   *ingester
	limits  Limits
	hosts   hostPolicy
	proxies []*net.IPNet
	metrics *metrics
	paths   *pathShower
	logins  *loginLimiter
	now     func() time.Time
	// keywords runs the compare page's and async API's comparisons.
	keywords *keywordJobs
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
	srv := &Server{index: ix, tmpl: tmpl, log: log, limits: DefaultLimits,
		hosts: newHostPolicy(loopbackHosts), metrics: newMetrics(), keywords: newKeywordJobs()}
	for _, o := range opts {
		o(srv)
	}
	if srv.admin == nil {
		srv.admin = newAdmin(AdminConfig{})
	}
	srv.admin.srv = srv
	srv.admin.uploads = ingest.NewUploads(srv.admin.cfg.Writer, srv.admin.cfg.UploadsDir, srv.log)
	srv.logins = newLoginLimiter(srv.now, srv.log, srv.metrics)
	var roots []string
	for _, w := range []*ingest.Writer{srv.admin.cfg.Writer, srv.localWriter()} {
		if w != nil {
			w.SetObserver(srv.metrics.write)
		}
	}
	if srv.local != nil {
		roots = srv.local.roots
	}
	srv.paths = newPathShower(append(roots, defaultPathRoots(srv.admin.cfg.UploadsDir)...)...)
	srv.paths.extra = srv.admin.cfg.Watch.Dirs
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = srv.errorHandler
	e.JSONSerializer = jsonSerializer{limit: srv.limits.MaxResponseBytes}
	e.IPExtractor = srv.ipExtractor()
	e.Use(srv.observe, srv.capResponse, middleware.Recover(), securityHeaders, srv.checkHost, srv.limitRequest, srv.deadline)

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", srv.readyz)
	e.GET("/metrics", srv.apiMetrics)
	e.GET("/api/search", srv.apiSearch)
	e.GET("/api/counts", srv.apiCounts)
	e.GET("/api/trends", srv.apiTrends)
	e.GET("/api/documents", srv.apiDocuments)
	e.GET("/api/documents/:id", srv.apiDocument)
	e.GET("/api/documents/:id/paragraphs/:n", srv.apiParagraph)
	e.GET("/api/openapi.json", srv.apiOpenAPI)
	srv.admin.registerAPI(e)
	if srv.local != nil {
		srv.local.register(e)
	}
	srv.registerWorkbench(e)
	e.GET("/api/spellings", srv.apiSpellings)
	srv.registerDict(e)
	e.GET("/", srv.uiSearch)
	e.GET("/trends", srv.uiTrends)
	e.GET("/documents", srv.uiDocuments)
	e.GET("/documents/:id", srv.uiReader)
	srv.registerWorkbenchPages(e)
	srv.admin.registerPages(e)
	static, _ := fs.Sub(staticFS, "static")
	e.StaticFS("/static", static)
	return e, nil
}

func (s *Server) localWriter() *ingest.Writer {
	if s.local == nil {
		return nil
	}
	return s.local.w
}

// withLogger replaces the logger given to New (tests).
func withLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// withClock sets the clock of the login rate limit (tests).
func withClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

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
	case errors.Is(err, context.DeadlineExceeded):
		s.metrics.refused("timeout")
		code, msg, ecode = http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than %s: narrow it and try again", s.limits.RequestTimeout), "timeout"
	case errors.Is(err, context.Canceled):
		c.Response().Status = 499 // logged as nginx does; the client went away: nobody to answer
		return
	case errors.Is(err, errResponseTooLarge):
		s.metrics.refused("response_too_large")
		code, msg, ecode = http.StatusInternalServerError, fmt.Sprintf("the answer would be larger than the limit of %s: narrow the request", mib(s.limits.MaxResponseBytes)), "response_too_large"
	case errors.As(err, &he):
		code, ecode = he.Code, strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_")
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(code)
		}
	}
	if code >= 500 {
		logOf(c, s.log).Error("request failed", "method", c.Request().Method, "uri", clip(c.Request().RequestURI, 2000), "status", code, "err", err)
	}
	if code == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
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
	return len(p) >= 4 && p[:4] == "/api" || p == "/healthz" || p == "/readyz" || p == "/metrics"
}

// readyz: GET /readyz answers 200 once the server is ready: this app is
// built on an open index (with its dictionary loaded); until then the
// command serves StartingHandler, which answers 503 here. It is 503 again
// when the index no longer answers.
func (s *Server) readyz(c echo.Context) error {
	if _, err := s.index.Reports(); err != nil {
		logOf(c, s.log).Error("not ready: the index does not answer", "err", err)
		c.Response().Header().Set("Retry-After", "5")
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "index unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// StartingHandler answers while the server starts (the index opening and
// the dictionary loading, the uploads folder reconciled): /healthz 200,
// everything else 503 with Retry-After.
func StartingHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", echo.MIMEApplicationJSON)
		if r.URL.Path == "/healthz" {
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"status":"ok"}`+"\n")
			return
		}
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.URL.Path == "/readyz" {
			io.WriteString(w, `{"status":"starting"}`+"\n")
			return
		}
		io.WriteString(w, `{"error":"the server is starting: try again in a moment"}`+"\n")
	})
}

// bufPool holds the buffers pages are rendered into.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// limitedBuffer is a buffer that refuses to grow past limit.
type limitedBuffer struct {
	*bytes.Buffer
	limit int64
}

func (b limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.Len()+len(p)) > b.limit {
		return 0, errResponseTooLarge
	}
	return b.Buffer.Write(p)
}

// render executes a page template into memory, then sends it: a template
// error or a page over MaxResponseBytes is still answered with a status.
func (s *Server) render(c echo.Context, code int, name string, data any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // keep the pool from holding big pages
			bufPool.Put(buf)
		}
	}()
	if err := s.tmpl.ExecuteTemplate(limitedBuffer{buf, s.limits.MaxResponseBytes}, name, data); err != nil {
		if errors.Is(err, errResponseTooLarge) {
			return errResponseTooLarge
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(code)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// jsonSerializer is echo's default without HTML escaping: answers are
// application/json with nosniff, never inlined into a page, so escaping
// buys nothing, and highlights read as <mark>…</mark> rather than
// \u003cmark\u003e (shorter, and cheaper to encode). An answer is
// encoded in memory (as json.Encoder does anyway) and refused whole when
// it is over the response limit.
type jsonSerializer struct {
	echo.DefaultJSONSerializer
	limit int64
}

func (j jsonSerializer) Serialize(c echo.Context, i interface{}, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(i); err != nil {
		return err
	}
	if j.limit > 0 && int64(buf.Len()) > j.limit {
		return errResponseTooLarge
	}
	_, err := c.Response().Write(buf.Bytes())
	return err
}
