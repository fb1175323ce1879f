package web

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Admin tokens are checked at most a few times in a row from one client:
// after loginFreeFailures wrong tokens, each further attempt has to wait
// twice as long as the one before (1 s, 2 s, 4 s … at most 15 minutes),
// and an attempt made before its time is refused with 429 and Retry-After
// without looking at the token. A right token clears the count. This
// holds for the login form, the admin API's bearer token, the local
// hand-off token and tokens sent to the public API: every place a token
// is compared. A client is its IP address (an IPv6 client its /64), the
// connection's peer unless the request comes through a trusted proxy (see
// WithTrustedProxies), whose X-Forwarded-For is then believed.

const (
	loginFreeFailures = 5
	loginBaseDelay    = time.Second
	loginMaxDelay     = 15 * time.Minute
	// loginForget drops a client's failures after a day without one.
	loginForget = 24 * time.Hour
	// maxLoginClients bounds the clients remembered (the oldest go first).
	maxLoginClients = 10000
)

type loginLimiter struct {
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics

	mu      sync.Mutex
	clients map[string]*loginState
}

type loginState struct {
	failures int
	last     time.Time // the last failure
	until    time.Time // no attempt before
	warned   bool      // a refused attempt was logged since the last failure
}

func newLoginLimiter(now func() time.Time, log *slog.Logger, m *metrics) *loginLimiter {
	if now == nil {
		now = time.Now
	}
	return &loginLimiter{now: now, log: log, metrics: m, clients: map[string]*loginState{}}
}

// clientKey is the rate-limited unit of an address: the address, or the
// /64 of an IPv6 address.
func clientKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil {
		return ip
	}
	if a.To4() == nil {
		return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return a.String()
}

// wait returns how long the client must still wait before its next
// attempt (0: it may try now).
func (l *loginLimiter) wait(ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.clients[clientKey(ip)]
	if st == nil {
		return 0
	}
	now := l.now()
	if d := st.until.Sub(now); d > 0 {
		if !st.warned {
			st.warned = true
			l.log.Warn("admin token attempt refused: the client is backing off", "client", ip,
				"failures", st.failures, "retry_after_s", seconds(d))
		}
		l.metrics.login("blocked")
		return d
	}
	return 0
}

// fail records a wrong token and returns the client's back-off (0 while
// it has failed fewer than loginFreeFailures times).
func (l *loginLimiter) fail(ip, what string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	key := clientKey(ip)
	st := l.clients[key]
	if st == nil || now.Sub(st.last) > loginForget {
		st = &loginState{}
		l.evict(now)
		l.clients[key] = st
	}
	st.failures++
	st.last, st.warned = now, false
	var delay time.Duration
	if n := st.failures - loginFreeFailures; n >= 0 {
		delay = loginMaxDelay
		if n < 20 {
			delay = min(loginBaseDelay<<n, loginMaxDelay)
		}
		st.until = now.Add(delay)
	}
	l.metrics.login("failed")
	l.log.Warn("wrong admin token", "what", what, "client", ip, "failures", st.failures, "retry_after_s", seconds(delay))
	return delay
}

// succeed clears the client's failures.
func (l *loginLimiter) succeed(ip string) {
	l.mu.Lock()
	delete(l.clients, clientKey(ip))
	l.mu.Unlock()
	l.metrics.login("ok")
}

// evict makes room for one more client: stale ones go, then the oldest.
func (l *loginLimiter) evict(now time.Time) {
	if len(l.clients) < maxLoginClients {
		return
	}
	oldest := ""
	for k, st := range l.clients {
		if now.Sub(st.last) > loginForget && now.After(st.until) {
			delete(l.clients, k)
			continue
		}
		if oldest == "" || st.last.Before(l.clients[oldest].last) {
			oldest = k
		}
	}
	if len(l.clients) >= maxLoginClients {
		delete(l.clients, oldest)
	}
}

func seconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// tooManyAttempts is the 429 of a client that must wait d.
func tooManyAttempts(c echo.Context, d time.Duration) error {
	c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds(d), 10))
	return echo.NewHTTPError(http.StatusTooManyRequests,
		fmt.Sprintf("too many wrong admin tokens from this address: try again in %d s", seconds(d)))
}

// WithTrustedProxies makes the server believe X-Forwarded-For from these
// networks (a reverse proxy in front of it), for the client address that
// logs and the login rate limit use. Without it the address is the
// connection's peer.
func WithTrustedProxies(nets ...*net.IPNet) Option {
	return func(s *Server) { s.proxies = nets }
}

func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range s.proxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
