package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// metricLine is a sample line of the Prometheus text format.
var metricLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf)$`)

// scrape reads /metrics into name{labels} → value, checking the format.
func scrape(t *testing.T, s *adminServer) map[string]float64 {
	t.Helper()
	rec := get(t, s.e, "/metrics")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	out := map[string]float64{}
	types := map[string]string{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			if types[f[2]] != "" {
				t.Errorf("TYPE of %s twice", f[2])
			}
			types[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a sample line: %q", line)
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
		if types[m[1]] == "" && types[base] == "" {
			t.Errorf("%s has no TYPE", m[1])
		}
		v, _ := strconv.ParseFloat(m[len(m)-1], 64)
		out[m[1]+m[2]] = v
	}
	return out
}

// /metrics counts requests by route with latency histograms, searches,
// writes and the files they indexed or skipped, refusals and logins, the
// size of the index and the process.
func TestMetrics(t *testing.T) {
	s := newAdminServer(t)
	q := url.QueryEscape("发展")
	for range 3 {
		get(t, s.e, "/api/search?q="+q)
	}
	get(t, s.e, "/?q="+q)
	get(t, s.e, "/api/search?format=csv&q="+q)
	get(t, s.e, "/api/trends?q="+q+"&q=x")
	get(t, s.e, "/nope")
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = "evil.example"
	do(s.e, req)
	apiUpload(t, s.e, testAdminToken, [][2]string{{"m.txt", uploadText}, {"空.txt", ""}}, nil)
	apiUpload(t, s.e, "wrong", [][2]string{{"m.txt", uploadText}}, nil)
	m := scrape(t, s)
	for key, want := range map[string]float64{
		`reportsearch_http_requests_total{route="/api/search",method="GET",code="200"}`:     4,
		`reportsearch_http_requests_total{route="other",method="GET",code="404"}`:           1,
		`reportsearch_http_request_duration_seconds_count{route="/api/search"}`:             4,
		`reportsearch_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"}`:  4,
		`reportsearch_searches_total{kind="api"}`:                                           3,
		`reportsearch_searches_total{kind="page"}`:                                          1,
		`reportsearch_searches_total{kind="export"}`:                                        1,
		`reportsearch_searches_total{kind="trends"}`:                                        2,
		`reportsearch_refused_requests_total{reason="host"}`:                                1,
		`reportsearch_writes_total{op="upload",result="ok"}`:                                1,
		`reportsearch_indexed_files_total{status="added"}`:                                  1,
		`reportsearch_indexed_files_total{status="skipped"}`:                                1,
		`reportsearch_admin_logins_total{result="failed"}`:                                  1,
		`reportsearch_admin_logins_total{result="ok"}`:                                      1,
		`reportsearch_index_reports`:                                                        9,
		`reportsearch_http_requests_total{route="/api/documents",method="POST",code="200"}`: 1,
		`reportsearch_http_request_duration_seconds_bucket{route="/api/trends",le="30"}`:    1,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (%v), want %v", key, got, ok, want)
		}
	}
	skips := 0
	for k, v := range m {
		if strings.HasPrefix(k, "reportsearch_skipped_files_total{") {
			skips += int(v)
		}
	}
	if skips != 1 || m["reportsearch_index_paragraphs"] == 0 || m["reportsearch_goroutines"] == 0 || m["process_open_fds"] == 0 || m["process_resident_memory_bytes"] == 0 {
		t.Errorf("skips %d, gauges %v", skips, m)
	}
	// Segments and merges are the index's own figures, by part: the
	// grams side's exactly (it changes only with writes, and none runs
	// now), bleve's as present (its merges run in the background).
	stats := s.ix.SegmentStats()
	if len(stats) == 0 {
		t.Fatal("the index reports no segments")
	}
	for _, st := range stats {
		part := `{part="` + st.Part + `"}`
		for name, want := range map[string]uint64{"reportsearch_index_segments": st.Segments,
			"reportsearch_index_merges_total": st.Merges, "reportsearch_index_merged_segments_total": st.MergedSegments} {
			if got, ok := m[name+part]; !ok || (st.Part == "grams" && got != float64(want)) {
				t.Errorf("%s%s = %v (%v), want %d", name, part, got, ok, want)
			}
		}
		if m["reportsearch_index_segments"+part] == 0 {
			t.Errorf("%s: no segments after indexing the sample", st.Part)
		}
	}
	// Histogram buckets are cumulative.
	prev := -1.0
	for _, le := range latencyBuckets {
		v := m[`reportsearch_http_request_duration_seconds_bucket{route="/api/search",le="`+strconv.FormatFloat(le, 'g', -1, 64)+`"}`]
		if v < prev {
			t.Errorf("bucket %g: %v after %v", le, v, prev)
		}
		prev = v
	}
}

func TestSkipReason(t *testing.T) {
	for in, want := range map[string]string{
		"binary data":                    "binary data",
		"cannot read: open /x/y: denied": "cannot read",
		"/etc/passwd: no such file":      "other",
		"文件过大（超过 50 MB）":                 "文件过大",
		"":                               "other",
	} {
		if got := skipReason(in); got != want {
			t.Errorf("skipReason(%q) = %q, want %q", in, got, want)
		}
	}
}

// /readyz is ready on a built server; while starting, only /healthz
// answers 200.
func TestReadyzAndHealthz(t *testing.T) {
	e := newSampleServer(t)
	for _, target := range []string{"/healthz", "/readyz"} {
		rec := get(t, e, target)
		var body map[string]string
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusOK || body["status"] == "" {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	h := StartingHandler()
	for target, code := range map[string]int{"/healthz": 200, "/readyz": 503, "/api/search?q=x": 503, "/": 503} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != code || code == 503 && rec.Header().Get("Retry-After") == "" {
			t.Errorf("starting, %s: %d", target, rec.Code)
		}
	}
}
