package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// What one request may cost. Every request passes, in this order: observe
// (a request id, an access log line, metrics), the response size cap,
// panic recovery, the security headers, the Host allowlist, the size
// limits of the request line and the headers, and the deadline of reads.
// Parameters are then read within their own limits (see readParams).

// Limits bounds what one request may cost.
type Limits struct {
	// MaxURLBytes bounds the request target (path and query string):
	// 414 beyond.
	MaxURLBytes int
	// MaxHeaderBytes bounds the header lines together: 431 beyond. (The
	// HTTP server refuses more than 1 MiB of request head before any of
	// this runs, with 431 too.)
	MaxHeaderBytes int
	// RequestTimeout is the deadline of a read (a GET or HEAD other than
	// an export), carried by the request's context into the index: 503
	// when it passes. Writes and exports are not limited in time; an
	// export stops when its client goes away.
	RequestTimeout time.Duration
	// MaxResponseBytes bounds a page or a JSON answer (exports stream and
	// are exempt): a larger one is answered with 500 and logged, or cut
	// off if it was already under way.
	MaxResponseBytes int64
}

// DefaultLimits are the limits of a server not given others.
var DefaultLimits = Limits{
	MaxURLBytes:      16 << 10,
	MaxHeaderBytes:   32 << 10,
	RequestTimeout:   30 * time.Second,
	MaxResponseBytes: 32 << 20,
}

// WithLimits replaces DefaultLimits; zero fields keep their default.
func WithLimits(l Limits) Option {
	return func(s *Server) {
		if l.MaxURLBytes > 0 {
			s.limits.MaxURLBytes = l.MaxURLBytes
		}
		if l.MaxHeaderBytes > 0 {
			s.limits.MaxHeaderBytes = l.MaxHeaderBytes
		}
		if l.RequestTimeout > 0 {
			s.limits.RequestTimeout = l.RequestTimeout
		}
		if l.MaxResponseBytes > 0 {
			s.limits.MaxResponseBytes = l.MaxResponseBytes
		}
	}
}

// limitRequest answers 414 for a request target and 431 for headers over
// the limits, before anything reads them.
func (s *Server) limitRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if n := len(r.RequestURI); n > s.limits.MaxURLBytes {
			s.metrics.refused("uri_too_long")
			return echo.NewHTTPError(http.StatusRequestURITooLong,
				fmt.Sprintf("the address is %d bytes long, more than the limit of %d: shorten the query or use fewer filters", n, s.limits.MaxURLBytes))
		}
		size := 0
		for k, vs := range r.Header {
			for _, v := range vs {
				size += len(k) + len(v) + 4 // "k: v\r\n"
			}
		}
		if size > s.limits.MaxHeaderBytes {
			s.metrics.refused("headers_too_large")
			return echo.NewHTTPError(http.StatusRequestHeaderFieldsTooLarge,
				fmt.Sprintf("the request headers are %d bytes, more than the limit of %d", size, s.limits.MaxHeaderBytes))
		}
		return next(c)
	}
}

// isExport tells the requests that write every match (a search's, a
// concordance's): exempt from the deadline and the response size cap.
func isExport(c echo.Context) bool {
	if p := c.Request().URL.Path; p != "/api/search" && p != "/api/concordance" {
		return false
	}
	f := c.QueryParam("format")
	return f == "csv" || f == "jsonl"
}

// deadline gives reads a context deadline of RequestTimeout.
func (s *Server) deadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead || isExport(c) {
			return next(c)
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.limits.RequestTimeout)
		defer cancel()
		c.SetRequest(r.WithContext(ctx))
		return next(c)
	}
}

// errResponseTooLarge is returned by writes over MaxResponseBytes.
var errResponseTooLarge = errors.New("response too large")

// cappedWriter passes on at most limit bytes.
type cappedWriter struct {
	http.ResponseWriter
	limit, n int64
	exceeded bool
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if w.n+int64(len(p)) > w.limit {
		w.exceeded = true
		return 0, errResponseTooLarge
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func (w *cappedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *cappedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// capResponse enforces MaxResponseBytes on everything but exports. Pages
// and JSON are rendered into memory first (see render and
// jsonSerializer), so an answer too large is refused whole with a status;
// anything else that goes over is cut off and its connection aborted, so
// that the client sees an error rather than a short answer.
func (s *Server) capResponse(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isExport(c) {
			return next(c)
		}
		res := c.Response()
		cw := &cappedWriter{ResponseWriter: res.Writer, limit: s.limits.MaxResponseBytes}
		res.Writer = cw
		err := next(c)
		if cw.exceeded && res.Committed {
			s.metrics.refused("response_too_large")
			logOf(c, s.log).Error("response cut off: larger than the limit", "uri", c.Request().RequestURI,
				"limit", s.limits.MaxResponseBytes)
			panic(http.ErrAbortHandler)
		}
		return err
	}
}

// Host allowlist. A browser lets a page of evil.example talk to a server
// whose address evil.example's DNS answers with (DNS rebinding), but it
// says evil.example in the Host header: a server that answers only for
// its own names is out of reach. /healthz and /readyz answer any host
// (probes use addresses), they tell nothing.

// WithAllowedHosts sets the host names (and addresses) the server answers
// for, replacing the default (localhost, 127.0.0.1 and ::1; see
// AllowedHostsFor for a server's own); "*" answers any.
func WithAllowedHosts(hosts ...string) Option {
	return func(s *Server) { s.hosts = newHostPolicy(hosts) }
}

type hostPolicy struct {
	any   bool
	names []string
}

func newHostPolicy(hosts []string) hostPolicy {
	var p hostPolicy
	for _, h := range hosts {
		if h == "*" {
			p.any = true
			continue
		}
		if h = normalHost(h); h != "" && !slices.Contains(p.names, h) {
			p.names = append(p.names, h)
		}
	}
	return p
}

// normalHost is a Host header or an address without its port, brackets,
// trailing dot or case.
func normalHost(h string) string {
	h = strings.TrimSpace(h)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

func (p hostPolicy) allows(host string) bool {
	return p.any || slices.Contains(p.names, normalHost(host))
}

// loopbackHosts are always allowed by default.
var loopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

// AllowedHostsFor returns the default allowlist of a server listening on
// addr: localhost, 127.0.0.1, ::1 and the address's host; for a server
// listening on every interface (0.0.0.0, ::, or no host), the machine's
// host name and the addresses of its interfaces too.
func AllowedHostsFor(addr string) []string {
	hosts := slices.Clone(loopbackHosts)
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	if host != "" && (ip == nil || !ip.IsUnspecified()) {
		return append(hosts, host)
	}
	if name, err := os.Hostname(); err == nil {
		hosts = append(hosts, name)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				hosts = append(hosts, n.IP.String())
			}
		}
	}
	return hosts
}

func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || s.hosts.allows(r.Host) {
			return next(c)
		}
		s.metrics.refused("host")
		host := clip(r.Host, 100)
		logOf(c, s.log).Warn("request for a host not allowed", "host", host, "client", c.RealIP())
		return echo.NewHTTPError(http.StatusMisdirectedRequest,
			fmt.Sprintf("this server does not answer for the host %q (a protection against DNS rebinding): start `reportsearch serve` with --allowed-host NAME to allow it", host))
	}
}

// Request ids and logs.

const (
	headerRequestID = "X-Request-ID"
	ctxLog          = "reportsearch.log"
)

// requestID is the client's X-Request-ID when it is a sane token, else a
// fresh one.
func requestID(r *http.Request) string {
	id := r.Header.Get(headerRequestID)
	if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r))
	}) {
		return randomHex(8)
	}
	return id
}

// logOf is the request's logger (with its request id).
func logOf(c echo.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Get(ctxLog).(*slog.Logger); ok {
		return l
	}
	return fallback
}

// observe gives each request an id (echoed in X-Request-ID and carried by
// its log lines), writes an access log line and records the request's
// latency by route. It calls the error handler itself, so that the
// status it logs is the one sent.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		r := c.Request()
		id := requestID(r)
		c.Response().Header().Set(headerRequestID, id)
		log := s.log.With("request_id", id)
		c.Set(ctxLog, log)
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" || route == "/*" {
			route = "other"
		}
		d := time.Since(start)
		status := c.Response().Status
		s.metrics.request(route, r.Method, status, d)
		level := slog.LevelInfo
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = slog.LevelDebug // probes and scrapes, every few seconds
		}
		log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", clip(r.URL.Path, 200)), slog.String("route", route), slog.Int("status", status),
			slog.Int64("bytes", c.Response().Size), slog.Float64("ms", float64(d.Microseconds())/1000),
			slog.String("client", c.RealIP()))
		return nil
	}
}

// clip shortens s to at most n bytes (at a character boundary) for a log
// line or a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
