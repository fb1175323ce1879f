package web

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/search"
)

// GET /metrics: the server's counters in the Prometheus text format
// (version 0.0.4), written by hand: requests and their latency by route,
// searches by kind, writes and the files they indexed or skipped (by
// reason), refused requests by reason, admin logins, the size of the
// index, its segments and merges, and the process's goroutines, memory and open files.

// latencyBuckets are the upper bounds of the latency histograms, in
// seconds.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func (h *histogram) observe(v float64) {
	if h.counts == nil {
		h.counts = make([]uint64, len(latencyBuckets)+1)
	}
	i, _ := slices.BinarySearch(latencyBuckets, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

type requestKey struct {
	route, method string
	code          int
}

type writeKey struct{ op, result string }

// metrics are the counters of one server. One mutex: an uncontended lock
// per request costs nothing next to a search.
type metrics struct {
	mu       sync.Mutex
	start    time.Time
	requests map[requestKey]uint64
	latency  map[string]*histogram
	refusals map[string]uint64
	searches map[string]uint64
	writes   map[writeKey]uint64
	files    map[string]uint64
	skips    map[string]uint64
	logins   map[string]uint64
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[requestKey]uint64{}, latency: map[string]*histogram{},
		refusals: map[string]uint64{}, searches: map[string]uint64{}, writes: map[writeKey]uint64{},
		files: map[string]uint64{}, skips: map[string]uint64{}, logins: map[string]uint64{}}
}

func (m *metrics) request(route, method string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{}
		m.latency[route] = h
	}
	h.observe(d.Seconds())
}

func (m *metrics) add(counter map[string]uint64, key string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	counter[key]++
	m.mu.Unlock()
}

func (m *metrics) refused(reason string) { m.add(m.refusals, reason) }

// search counts a search of a kind: api, page, export, trends, reader.
func (m *metrics) search(kind string) { m.add(m.searches, kind) }

func (m *metrics) login(result string) { m.add(m.logins, result) }

// maxSkipReasons bounds the distinct skip reasons counted; more are
// counted as "other".
const maxSkipReasons = 40

// write counts a write (index, delete, upload, reindex, reconcile) and
// the files of its summary.
func (m *metrics) write(op string, sum *indexer.Summary, err error) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.writes[writeKey{op, result}]++
	if sum == nil {
		return
	}
	for _, f := range sum.Files {
		m.files[f.Status]++
		if f.Status == indexer.StatusSkipped {
			r := skipReason(f.Reason)
			if _, ok := m.skips[r]; !ok && len(m.skips) >= maxSkipReasons {
				r = "other"
			}
			m.skips[r]++
		}
	}
}

// skipReason is the kind of a skip reason, for a label: the words before
// the first colon or parenthesis (the details after it name files, sizes
// or errors), "other" when they name a path.
func skipReason(reason string) string {
	if i := strings.IndexAny(reason, ":：(（"); i >= 0 {
		reason = reason[:i]
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || strings.ContainsAny(reason, `/\`) || len(reason) > 80 {
		return "other"
	}
	return reason
}

// apiMetrics: GET /metrics.
func (s *Server) apiMetrics(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	w := bufio.NewWriter(c.Response())
	s.metrics.writeTo(w)
	s.writeIndexMetrics(w)
	writeProcessMetrics(w, s.metrics.start)
	return w.Flush()
}

func (m *metrics) writeTo(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	header(w, "reportsearch_http_requests_total", "counter", "HTTP requests answered, by route, method and status.")
	for _, k := range slices.SortedFunc(maps.Keys(m.requests), func(a, b requestKey) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	}) {
		fmt.Fprintf(w, "reportsearch_http_requests_total{route=%s,method=%s,code=\"%d\"} %d\n", label(k.route), label(k.method), k.code, m.requests[k])
	}
	header(w, "reportsearch_http_request_duration_seconds", "histogram", "Time to answer a request, by route.")
	for _, route := range slices.Sorted(maps.Keys(m.latency)) {
		h := m.latency[route]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "reportsearch_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(route), strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "reportsearch_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(route), h.n)
		fmt.Fprintf(w, "reportsearch_http_request_duration_seconds_sum{route=%s} %g\n", label(route), h.sum)
		fmt.Fprintf(w, "reportsearch_http_request_duration_seconds_count{route=%s} %d\n", label(route), h.n)
	}
	counters := func(name, help, key string, vals map[string]uint64) {
		header(w, name, "counter", help)
		for _, k := range slices.Sorted(maps.Keys(vals)) {
			fmt.Fprintf(w, "%s{%s=%s} %d\n", name, key, label(k), vals[k])
		}
	}
	counters("reportsearch_searches_total", "Searches run, by kind (api, page, export, trends query, reader).", "kind", m.searches)
	counters("reportsearch_refused_requests_total", "Requests refused by a limit, by reason.", "reason", m.refusals)
	counters("reportsearch_admin_logins_total", "Admin token checks, by result (ok, failed, blocked).", "result", m.logins)
	header(w, "reportsearch_writes_total", "counter", "Writes to the index, by operation and result.")
	for _, k := range slices.SortedFunc(maps.Keys(m.writes), func(a, b writeKey) int {
		return strings.Compare(a.op+" "+a.result, b.op+" "+b.result)
	}) {
		fmt.Fprintf(w, "reportsearch_writes_total{op=%s,result=%s} %d\n", label(k.op), label(k.result), m.writes[k])
	}
	counters("reportsearch_indexed_files_total", "Files handled by writes, by status (added, updated, unchanged, skipped).", "status", m.files)
	counters("reportsearch_skipped_files_total", "Files skipped by writes, by reason.", "reason", m.skips)
}

// writeIndexMetrics writes the size of the index (from the report list,
// which the index holds in memory).
func (s *Server) writeIndexMetrics(w io.Writer) {
	reports, err := s.index.Reports()
	if err != nil {
		return
	}
	var paras, chars int
	for _, r := range reports {
		paras += r.Paragraphs
		chars += r.Chars
	}
	gauge(w, "reportsearch_index_reports", "Reports in the index.", float64(len(reports)))
	gauge(w, "reportsearch_index_paragraphs", "Paragraphs in the index.", float64(paras))
	gauge(w, "reportsearch_index_chars", "Characters of indexed text.", float64(chars))
	if sr, ok := s.index.(search.SegmentReporter); ok {
		writeSegmentMetrics(w, sr.SegmentStats())
	}
}

// writeSegmentMetrics writes the segments of each part of the index and
// the merges since it was opened, labelled by part.
func writeSegmentMetrics(w io.Writer, stats []search.SegmentStats) {
	series := func(name, kind, help string, v func(search.SegmentStats) uint64) {
		header(w, name, kind, help)
		for _, st := range stats {
			fmt.Fprintf(w, "%s{part=%s} %d\n", name, label(st.Part), v(st))
		}
	}
	series("reportsearch_index_segments", "gauge", "Segments of the index, by part (bleve, grams).",
		func(st search.SegmentStats) uint64 { return st.Segments })
	series("reportsearch_index_merges_total", "counter", "Segment merges since the index was opened, by part.",
		func(st search.SegmentStats) uint64 { return st.Merges })
	series("reportsearch_index_merged_segments_total", "counter", "Segments merged away since the index was opened, by part.",
		func(st search.SegmentStats) uint64 { return st.MergedSegments })
}

func writeProcessMetrics(w io.Writer, start time.Time) {
	// runtime/metrics, not ReadMemStats: no stop of the world.
	samples := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	rtmetrics.Read(samples)
	gauge(w, "reportsearch_goroutines", "Goroutines.", float64(runtime.NumGoroutine()))
	gauge(w, "reportsearch_heap_objects_bytes", "Bytes of live and not yet collected heap objects.", float64(samples[0].Value.Uint64()))
	gauge(w, "reportsearch_memory_sys_bytes", "Bytes the Go runtime obtained from the system.", float64(samples[1].Value.Uint64()))
	if rss, ok := residentBytes(); ok {
		gauge(w, "process_resident_memory_bytes", "Resident memory (mapped index pages included).", float64(rss))
	}
	if n, ok := openFiles(); ok {
		gauge(w, "process_open_fds", "Open file descriptors.", float64(n))
	}
	gauge(w, "process_start_time_seconds", "Start of the process, Unix time.", float64(start.Unix()))
}

// residentBytes reads the resident set size from /proc (Linux only).
func residentBytes() (int64, bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize()), err == nil
}

// openFiles counts the process's file descriptors (Linux only).
func openFiles() (int, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names) - 1, err == nil // less the one reading
}

func header(w io.Writer, name, kind, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

func gauge(w io.Writer, name, help string, v float64) {
	header(w, name, "gauge", help)
	fmt.Fprintf(w, "%s %g\n", name, v)
}

// label quotes a label value (backslash, quote and newline escaped).
func label(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}
