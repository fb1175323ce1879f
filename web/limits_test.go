package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"
)

// tookRe matches what differs between two renderings of one page.
var tookRe = regexp.MustCompile(`（[0-9.]+ 毫秒）|"took_ms":[0-9.e-]+`)

// A page answers the same, small page however often a parameter is
// repeated: links are built from the canonical parameters (each filter
// value once), not from the query string. Before, /?q=网格 with
// &year=2022 a thousand times (a 10 KB address) answered 14 MB.
func TestPagesDoNotAmplify(t *testing.T) {
	e := newTestServer(t)
	q := url.QueryEscape("网格")
	region := url.QueryEscape("浙江省")
	for _, tc := range []struct{ canonical, repeated string }{
		{"/?q=" + q + "&year=2022", "/?q=" + q + strings.Repeat("&year=2022", 1000)},
		{"/?q=" + q + "&year=2018..2023", "/?q=" + q + strings.Repeat("&year=+2018+..2023", 500)},
		{"/?q=" + q + "&region=" + region, "/?q=" + q + strings.Repeat("&region="+region, 250) + strings.Repeat("&q=x", 100)},
		{"/trends?q=" + q + "&year=2022", "/trends?q=" + q + strings.Repeat("&q="+q, 300) + strings.Repeat("&year=2022", 500)},
		{"/documents?region=" + region, "/documents?" + strings.Repeat("&region="+region, 280)},
		{"/documents/x?q=" + q, "/documents/x?q=" + q + strings.Repeat("&q=x", 1000)},
	} {
		want := get(t, e, tc.canonical)
		got := get(t, e, tc.repeated)
		if got.Code != want.Code {
			t.Errorf("%.60s…: %d, the canonical address %d", tc.repeated, got.Code, want.Code)
		}
		if len(tc.repeated) < 9000 && !strings.HasPrefix(tc.canonical, "/documents/x") {
			t.Fatalf("test address only %d bytes", len(tc.repeated))
		}
		a, b := tookRe.ReplaceAll(got.Body.Bytes(), nil), tookRe.ReplaceAll(want.Body.Bytes(), nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%.60s… (%d bytes): a page of %d bytes, the canonical address's is %d", tc.repeated, len(tc.repeated), len(a), len(b))
		}
		if got.Body.Len() > 256<<10 {
			t.Errorf("%.60s…: %d bytes", tc.repeated, got.Body.Len())
		}
		t.Logf("%d-byte address: %d bytes", len(tc.repeated), got.Body.Len())
	}
}

// Over a limit, a page is a small 400 that still shows its form; the
// API answers 400 too.
func TestParameterLimits(t *testing.T) {
	e := newTestServer(t)
	var regions strings.Builder
	for i := range 30 {
		regions.WriteString("&region=r" + strconv.Itoa(i))
	}
	long := url.QueryEscape(strings.Repeat("网", 400)) // 1,200 bytes
	for _, tc := range []struct{ target, msg string }{
		{"/?q=x" + regions.String(), "at most 20 values of region"},
		{"/api/search?q=x" + regions.String(), "at most 20 values of region"},
		{"/documents?x=1" + regions.String(), "at most 20 values of region"},
		{"/api/documents?x=1" + regions.String(), "at most 20 values of region"},
		{"/trends?q=a&q=b&q=c&q=d&q=e&q=f&q=g&q=h&q=i&q=j&q=k", "at most 10 values of q"},
		{"/api/trends?q=a&q=b&q=c&q=d&q=e&q=f&q=g&q=h&q=i&q=j&q=k", "at most 10 values of q"},
		{"/?q=" + long, "q is longer than 1024 bytes"},
		{"/api/search?q=" + long, "q is longer than 1024 bytes"},
		{"/?q=x&region=" + url.QueryEscape(strings.Repeat("地", 100)), "region is longer than 200 bytes"},
		{"/?q=%ff%fe", "q is not valid UTF-8"},
	} {
		rec := get(t, e, tc.target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.msg) {
			t.Errorf("%.80s: %d %.200s", tc.target, rec.Code, rec.Body)
		}
		if rec.Body.Len() > 64<<10 {
			t.Errorf("%.80s: a 400 of %d bytes", tc.target, rec.Body.Len())
		}
	}
	// The page keeps what is within the limits in its form.
	d := fetchPage(t, e, "/?q=x"+regions.String())
	if hidden := d.find(func(n *html.Node) bool { return attr(n, "name") == "region" }); len(hidden) != maxListValues {
		t.Errorf("%d region fields kept, want %d", len(hidden), maxListValues)
	}
}

// Too long an address is 414, too many headers 431, with small answers;
// a 273 KB address once answered a 284 MB 400 page.
func TestRequestSizeLimits(t *testing.T) {
	e := newTestServer(t)
	huge := "/?q=" + url.QueryEscape("网格") + strings.Repeat("&year=2022", 27300)
	for _, target := range []string{huge, "/api/search?q=x&" + strings.Repeat("a", 17<<10), "/trends?q=" + strings.Repeat("x", 20<<10)} {
		rec := get(t, e, target)
		if rec.Code != http.StatusRequestURITooLong || rec.Body.Len() > 16<<10 {
			t.Errorf("%d-byte address: %d, %d bytes", len(target), rec.Code, rec.Body.Len())
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil)
	for i := range 40 {
		req.Header.Set("X-Filler-"+strconv.Itoa(i), strings.Repeat("y", 1000))
	}
	if rec := do(e, req); rec.Code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("40 KB of headers: %d", rec.Code)
	}
	// Through a real server too: the head of a huge request is refused by
	// net/http before the app (431), the app refuses a long address (414).
	srv := httptest.NewServer(e)
	defer srv.Close()
	resp, err := http.Get(srv.URL + huge)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestURITooLong && resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || len(body) > 16<<10 {
		t.Errorf("huge address over HTTP: %s, %d bytes", resp.Status, len(body))
	}
}

// The deadline of a read reaches the index: a search that cannot finish
// in time answers 503.
func TestRequestTimeout(t *testing.T) {
	e, err := New(sampleIndex(t), discardLog(), testHosts, WithLimits(Limits{RequestTimeout: time.Nanosecond}))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/search?q=" + url.QueryEscape("发展"), "/?q=" + url.QueryEscape("发展"), "/api/trends?q=" + url.QueryEscape("发展")} {
		rec := get(t, e, target)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "took longer than") || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: %d %.200s", target, rec.Code, rec.Body)
		}
	}
}

// An export has no deadline, but stops when its client goes away.
func TestExportStopsWhenTheClientGoes(t *testing.T) {
	e, err := New(sampleIndex(t), discardLog(), testHosts, WithLimits(Limits{RequestTimeout: time.Nanosecond}))
	if err != nil {
		t.Fatal(err)
	}
	target := "/api/search?format=jsonl&q=" + url.QueryEscape("发展")
	rec := get(t, e, target)
	if rec.Code != http.StatusOK || bytes.Count(rec.Body.Bytes(), []byte("\n")) < 100 {
		t.Fatalf("export under a 1 ns request deadline: %d, %d lines", rec.Code, bytes.Count(rec.Body.Bytes(), []byte("\n")))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
	rec = do(e, req)
	if n := bytes.Count(rec.Body.Bytes(), []byte("\n")); n > 0 {
		t.Errorf("an export for a client that is gone wrote %d lines", n)
	}
}

// Pages and JSON answers over MaxResponseBytes are refused whole, with a
// status; anything else is cut off with its connection.
func TestResponseSizeCap(t *testing.T) {
	e, err := New(sampleIndex(t), discardLog(), testHosts, WithLimits(Limits{MaxResponseBytes: 1200}))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/documents", "/?q=" + url.QueryEscape("发展"), "/documents"} {
		rec := get(t, e, target)
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "larger than the limit") {
			t.Errorf("%s: %d %.200s", target, rec.Code, rec.Body)
		}
	}
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("healthz: %d", rec.Code)
	}
	// Exports are exempt.
	if rec := get(t, e, "/api/search?format=csv&q="+url.QueryEscape("发展")); rec.Code != http.StatusOK || rec.Body.Len() < 1200 {
		t.Errorf("export: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	// A static file over the cap is cut off: the client sees an error.
	srv := httptest.NewServer(e)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/static/style.css")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Error("a static file over the cap was sent whole")
	}
}

// The Host allowlist refuses other hosts with 421 (DNS rebinding).
func TestHostAllowlist(t *testing.T) {
	s := newAdminServer(t)
	def, err := New(sampleIndex(t), discardLog()) // the default allowlist
	if err != nil {
		t.Fatal(err)
	}
	hostReq := func(e *echo.Echo, method, target, host string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		req.Host = host
		return do(e, req)
	}
	for _, host := range []string{"localhost", "localhost:8080", "LOCALHOST.", "127.0.0.1:8080", "[::1]:8080", "[::1]"} {
		if rec := hostReq(def, http.MethodGet, "/api/search?q=x", host); rec.Code != http.StatusOK {
			t.Errorf("host %s: %d", host, rec.Code)
		}
	}
	for _, host := range []string{"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io", ""} {
		for _, target := range []string{"/api/search?q=x", "/", "/admin", "/metrics"} {
			rec := hostReq(def, http.MethodGet, target, host)
			if rec.Code != http.StatusMisdirectedRequest || !strings.Contains(rec.Body.String(), "--allowed-host") {
				t.Errorf("host %q %s: %d %.100s", host, target, rec.Code, rec.Body)
			}
		}
	}
	// Probes answer any host.
	for _, target := range []string{"/healthz", "/readyz"} {
		if rec := hostReq(def, http.MethodGet, target, "10.1.2.3:8080"); rec.Code != http.StatusOK {
			t.Errorf("%s from a probe: %d", target, rec.Code)
		}
	}
	// Admin, logging in included, is refused for a foreign host.
	req := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader("token="+testAdminToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "evil.example"
	if rec := do(s.e, req); rec.Code != http.StatusMisdirectedRequest || rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("login for evil.example: %d", rec.Code)
	}
	any, err := New(sampleIndex(t), discardLog(), WithAllowedHosts("*"))
	if err != nil {
		t.Fatal(err)
	}
	if rec := hostReq(any, http.MethodGet, "/api/search?q=x", "evil.example"); rec.Code != http.StatusOK {
		t.Errorf("--allowed-host *: %d", rec.Code)
	}
	// As serve does: the defaults of its address and --allowed-host.
	named, err := New(sampleIndex(t), discardLog(), WithAllowedHosts(append(AllowedHostsFor("127.0.0.1:8080"), "search.intra", "Reports.Example.org")...))
	if err != nil {
		t.Fatal(err)
	}
	for host, code := range map[string]int{"search.intra:443": 200, "reports.example.org": 200, "localhost": 200, "search.intra.evil.example": 421} {
		if rec := hostReq(named, http.MethodGet, "/api/search?q=x", host); rec.Code != code {
			t.Errorf("named hosts, %s: %d, want %d", host, rec.Code, code)
		}
	}
}

func TestAllowedHostsFor(t *testing.T) {
	has := func(hosts []string, h string) bool { return newHostPolicy(hosts).allows(h) }
	h := AllowedHostsFor("192.168.7.9:8080")
	if !has(h, "192.168.7.9") || !has(h, "localhost") || has(h, "evil.example") {
		t.Errorf("bound to an address: %v", h)
	}
	h = AllowedHostsFor("0.0.0.0:8080")
	if !has(h, "127.0.0.1") || len(h) <= len(loopbackHosts) || has(h, "0.0.0.0") {
		t.Errorf("bound to every interface: %v", h)
	}
	if h = AllowedHostsFor(":8080"); len(h) <= len(loopbackHosts) {
		t.Errorf("bound to :8080: %v", h)
	}
}

// Every answer carries a request id, the client's own when it sent a sane
// one, and the log lines of the request carry it.
func TestRequestIDAndLogs(t *testing.T) {
	var logs bytes.Buffer
	e, err := New(sampleIndex(t), slog.New(slog.NewJSONHandler(&logs, nil)), testHosts)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	if rec := do(e, req); rec.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id %q", rec.Header().Get("X-Request-ID"))
	}
	req = httptest.NewRequest(http.MethodGet, "/nope", nil)
	req.Header.Set("X-Request-ID", "<script>"+strings.Repeat("x", 100))
	rec := do(e, req)
	id := rec.Header().Get("X-Request-ID")
	if len(id) != 16 || rec.Code != http.StatusNotFound {
		t.Errorf("a bad request id replaced by %q (%d)", id, rec.Code)
	}
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %s: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 || lines[0]["request_id"] != "abc-123" || lines[0]["route"] != "/api/search" ||
		lines[1]["request_id"] != id || lines[1]["status"] != float64(404) {
		t.Errorf("log lines %v", lines)
	}
}
