package web

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a log sink for tests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// After five wrong tokens a client backs off exponentially: attempts
// before their time are refused with 429 and Retry-After, the right token
// included; the wait doubles with each further failure; the right token
// clears the count; other clients are not concerned; every failure is
// logged.
func TestLoginRateLimit(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	var logs syncBuffer
	s := newAdminServerWith(t, []Option{withClock(clock.Now), withLogger(slog.New(slog.NewTextHandler(&logs, nil)))})
	login := func(token, client string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(url.Values{"token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = client + ":4321"
		return do(s.e, req)
	}
	api := func(token, client string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodDelete, "/api/documents/nope", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.RemoteAddr = client + ":4321"
		return do(s.e, req)
	}
	const me, other = "203.0.113.7", "203.0.113.8"
	for i := range loginFreeFailures {
		rec := login("wrong", me)
		if rec.Code != http.StatusForbidden || rec.Header().Get("Retry-After") != "" && i < loginFreeFailures-1 {
			t.Fatalf("failure %d: %d %s", i+1, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	// Now 1 s, then 2 s, 4 s … whatever the token; the API's bearer
	// token is held back the same way.
	wait := time.Second
	for round := range 4 {
		for _, rec := range []*httptest.ResponseRecorder{login(testAdminToken, me), api(testAdminToken, me), api("wrong", me)} {
			if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != strconv.Itoa(int(wait/time.Second)) {
				t.Fatalf("round %d: %d, Retry-After %q, want 429 and %v", round, rec.Code, rec.Header().Get("Retry-After"), wait)
			}
		}
		if rec := login("right token elsewhere", other); rec.Code != http.StatusForbidden {
			t.Errorf("another client: %d", rec.Code)
		}
		clock.Add(wait - time.Millisecond)
		if rec := login("wrong", me); rec.Code != http.StatusTooManyRequests {
			t.Fatalf("round %d: before the back-off passed: %d", round, rec.Code)
		}
		clock.Add(time.Millisecond)
		if rec := api("wrong", me); rec.Code != http.StatusForbidden {
			t.Fatalf("round %d: after the back-off: %d", round, rec.Code)
		}
		wait *= 2
	}
	clock.Add(wait)
	if rec := login(testAdminToken, me); rec.Code != http.StatusSeeOther {
		t.Fatalf("the right token after the back-off: %d", rec.Code)
	}
	// The count starts again.
	for range loginFreeFailures - 1 {
		if rec := login("wrong", me); rec.Code != http.StatusForbidden {
			t.Fatalf("after a success: %d", rec.Code)
		}
	}
	if rec := login(testAdminToken, me); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	out := logs.String()
	if n := strings.Count(out, "wrong admin token"); n != loginFreeFailures+4+4+loginFreeFailures-1 { // 4 rounds: mine and the other client's
		t.Errorf("%d failures logged:\n%s", n, out)
	}
	if !strings.Contains(out, "client="+me) || !strings.Contains(out, "retry_after_s=8") || !strings.Contains(out, "backing off") {
		t.Errorf("log lacks the client or the back-off:\n%s", out)
	}
	// The back-off is capped.
	l := newLoginLimiter(clock.Now, discardLog(), newMetrics())
	var d time.Duration
	for range 100 {
		d = l.fail(me, "test")
	}
	if d != loginMaxDelay {
		t.Errorf("after 100 failures: %v", d)
	}
}

func mustCIDR(t *testing.T, s string) *net.IPNet {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// IPv6 clients are limited by their /64.
func TestClientKey(t *testing.T) {
	if clientKey("2001:db8:1:2:3:4:5:6") != clientKey("2001:db8:1:2:ffff::1") || clientKey("2001:db8:1:2::1") == clientKey("2001:db8:1:3::1") {
		t.Error("IPv6 /64")
	}
	if clientKey("192.0.2.1") == clientKey("192.0.2.2") {
		t.Error("IPv4")
	}
}

// Behind a trusted proxy the client is the X-Forwarded-For address;
// otherwise the header is ignored (it could be forged to dodge the limit).
func TestTrustedProxy(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		var opts []Option
		if trusted {
			opts = append(opts, WithTrustedProxies(mustCIDR(t, "10.0.0.0/8")))
		}
		s := newAdminServerWith(t, opts)
		for i := range loginFreeFailures + 1 {
			req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader("token=wrong"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = "10.1.1.1:999"
			req.Header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
			rec := do(s.e, req)
			// Trusted: six different clients, never held back. Not
			// trusted: one client, the proxy, held back at the sixth.
			if want := http.StatusForbidden; (trusted || i < loginFreeFailures) && rec.Code != want {
				t.Errorf("trusted %v, attempt %d: %d", trusted, i+1, rec.Code)
			}
			if !trusted && i == loginFreeFailures && rec.Code != http.StatusTooManyRequests {
				t.Errorf("untrusted X-Forwarded-For, attempt %d: %d", i+1, rec.Code)
			}
		}
	}
}
