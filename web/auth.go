package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Authentication: the bearer tokens of the API (the admin token, the
// local hand-off token the CLI reads from the index folder) and the admin
// page's sessions. Every comparison of a token goes through checkToken,
// so the login rate limit (ratelimit.go) holds wherever a token is
// guessed: the admin API, the local endpoints, the login form and a token
// sent to a public endpoint.

const (
	// sessionTTL is how long an admin session lasts.
	sessionTTL = 12 * time.Hour
	// maxSessions bounds the sessions held in memory.
	maxSessions   = 100
	sessionCookie = "reportsearch_admin"
)

type session struct {
	csrf    string
	expires time.Time
	// last is the result of the last action, shown once on the page.
	last *adminResult
}

// errAdminDisabled answers every admin request of a server started
// without a token.
var errAdminDisabled = echo.NewHTTPError(http.StatusForbidden,
	"admin is disabled: start `reportsearch serve` with --admin-token TOKEN or the REPORTSEARCH_ADMIN_TOKEN environment variable to enable it")

// errWrongToken answers a wrong bearer token.
var errWrongToken = echo.NewHTTPError(http.StatusForbidden, "wrong admin token")

// tokenOK compares in constant time (hashes first, so that not even the
// token's length leaks). It is false while admin is disabled.
func (a *admin) tokenOK(got string) bool {
	h := sha256.Sum256([]byte(got))
	return a.enabled() && subtle.ConstantTimeCompare(h[:], a.tokenHash[:]) == 1
}

// tokenOK compares the local token in constant time; none is set without
// WithLocalIngest.
func (in *ingester) tokenOK(got string) bool {
	return in != nil && in.token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(in.token)) == 1
}

// bearerToken is the token of an Authorization: Bearer header.
func bearerToken(c echo.Context) (string, bool) {
	return strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
}

// checkToken checks a token that a client sent: 429 while the client is
// held back by earlier failures, else whether one of accept takes it (a
// failure counted and logged as what's).
func (s *Server) checkToken(c echo.Context, got, what string, accept ...func(string) bool) (bool, error) {
	ip := c.RealIP()
	if d := s.logins.wait(ip); d > 0 {
		return false, tooManyAttempts(c, d)
	}
	for _, ok := range accept {
		if ok(got) {
			s.logins.succeed(ip)
			return true, nil
		}
	}
	s.logins.fail(ip, what)
	return false, nil
}

// tokenRealm is what one bearer-protected group of endpoints accepts.
type tokenRealm struct {
	// name is the realm of the challenge; what names a failure in the logs.
	name, what string
	// off, when it returns an error, answers every request with it
	// before the token is looked at (admin disabled).
	off func() error
	// accept are the tokens taken; missing and wrong the answers without
	// a token and with one none of them takes.
	accept         []func(string) bool
	missing, wrong error
	// maxBody bounds the request body (0: the server's limits only).
	maxBody int64
}

// requireBearer is the one bearer-token middleware of the API: realm's
// off answer, 401 with a challenge without a token, 429 while the client
// is held back, realm's wrong answer for a wrong token.
func (s *Server) requireBearer(realm tokenRealm) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if realm.off != nil {
				if err := realm.off(); err != nil {
					return err
				}
			}
			got, ok := bearerToken(c)
			if !ok || got == "" {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="`+realm.name+`"`)
				return realm.missing
			}
			ok, err := s.checkToken(c, got, realm.what, realm.accept...)
			if err != nil {
				return err
			}
			if !ok {
				return realm.wrong
			}
			if realm.maxBody > 0 {
				c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, realm.maxBody)
			}
			return next(c)
		}
	}
}

// adminRealm is the admin API's: 403 while admin is disabled, 401
// without a token, 403 with a wrong one.
func (a *admin) adminRealm() tokenRealm {
	return tokenRealm{name: "reportsearch admin", what: "admin API", off: a.disabled, accept: []func(string) bool{a.tokenOK},
		missing: echo.NewHTTPError(http.StatusUnauthorized, "missing admin token: send Authorization: Bearer TOKEN"),
		wrong:   errWrongToken}
}

// bearer authorises an admin API endpoint (requireBearer in the admin
// realm).
func (a *admin) bearer(next echo.HandlerFunc) echo.HandlerFunc {
	return a.srv.requireBearer(a.adminRealm())(next)
}

// disabled is errAdminDisabled while admin is disabled.
func (a *admin) disabled() error {
	if !a.enabled() {
		return errAdminDisabled
	}
	return nil
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// sameOrigin refuses admin form posts from other sites (on top of the
// SameSite cookie and the CSRF token): a browser says where a request
// comes from in Origin and Sec-Fetch-Site.
func (a *admin) sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site admin request refused")
		}
		if o := r.Header.Get(echo.HeaderOrigin); o != "" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				return echo.NewHTTPError(http.StatusForbidden, "cross-origin admin request refused")
			}
		}
		return next(c)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// Sessions of the admin page.

// current returns the request's session, if it has a live one.
func (a *admin) current(c echo.Context) (string, *session) {
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return "", nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessions[ck.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(a.sessions, ck.Value)
		return "", nil
	}
	return ck.Value, s
}

func (a *admin) login(c echo.Context) error {
	p := a.newPage()
	if p.Disabled {
		return a.srv.render(c, http.StatusForbidden, "admin.html", p)
	}
	ip := c.RealIP()
	if d := a.srv.logins.wait(ip); d > 0 {
		c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds(d), 10))
		p.Error = fmt.Sprintf("令牌错误次数过多，请 %d 秒后再试。", seconds(d))
		return a.srv.render(c, http.StatusTooManyRequests, "admin.html", p)
	}
	if !a.tokenOK(c.FormValue("token")) {
		if d := a.srv.logins.fail(ip, "admin login"); d > 0 {
			c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds(d), 10))
			p.Error = fmt.Sprintf("令牌不正确。错误次数过多，请 %d 秒后再试。", seconds(d))
		} else {
			p.Error = "令牌不正确。"
		}
		return a.srv.render(c, http.StatusForbidden, "admin.html", p)
	}
	a.srv.logins.succeed(ip)
	logOf(c, a.srv.log).Info("admin logged in", "client", ip)
	id, s := randomHex(32), &session{csrf: randomHex(32), expires: time.Now().Add(sessionTTL)}
	a.mu.Lock()
	now := time.Now()
	for k, old := range a.sessions {
		if now.After(old.expires) {
			delete(a.sessions, k)
		}
	}
	for len(a.sessions) >= maxSessions {
		var oldest string
		for k, old := range a.sessions {
			if oldest == "" || old.expires.Before(a.sessions[oldest].expires) {
				oldest = k
			}
		}
		delete(a.sessions, oldest)
	}
	a.sessions[id] = s
	a.mu.Unlock()
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.IsTLS(), MaxAge: int(sessionTTL.Seconds())})
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// authorized checks an admin form post: admin enabled, a live session,
// and the session's CSRF token in the form.
func (a *admin) authorized(c echo.Context, csrf string) (string, *session, error) {
	if !a.enabled() {
		return "", nil, errAdminDisabled
	}
	id, s := a.current(c)
	if s == nil {
		return "", nil, echo.NewHTTPError(http.StatusUnauthorized, "not logged in (or the session expired): log in at /admin")
	}
	if subtle.ConstantTimeCompare([]byte(csrf), []byte(s.csrf)) != 1 {
		return "", nil, echo.NewHTTPError(http.StatusForbidden, "missing or wrong CSRF token: reload the admin page and try again")
	}
	return id, s, nil
}

// isCSRFError tells the CSRF failure of a check made before the form
// (and its token) was read.
func isCSRFError(err error) bool {
	var he *echo.HTTPError
	return errors.As(err, &he) && he.Code == http.StatusForbidden && err != errAdminDisabled
}

func (a *admin) logout(c echo.Context) error {
	id, _, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	a.mu.Lock()
	delete(a.sessions, id)
	a.mu.Unlock()
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.IsTLS(), MaxAge: -1})
	return c.Redirect(http.StatusSeeOther, "/admin")
}
