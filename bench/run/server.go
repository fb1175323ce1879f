package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// serverStep starts `reportsearch serve` on the index and measures its
// start, its RSS, query latency over HTTP and throughput with wrk. The
// server is stopped (SIGTERM to its pid) at the end.
func serverStep(ctx context.Context, c *config) (*ServerResult, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	base := "http://" + addr
	logPath := filepath.Join(c.work, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(c.bin, "serve", "--index", c.indexDir, "--addr", addr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	logf("server: %s", strings.Join(cmd.Args, " "))
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stopServer(cmd, exited)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}
	r := &ServerResult{}
	for {
		// /readyz: /healthz answers as soon as the server listens, before
		// the index is open.
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("the server exited before answering (%v): see %s", err, logPath)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Since(start) > 2*time.Minute {
			return nil, fmt.Errorf("the server was not ready (/readyz) within 2 minutes: see %s", logPath)
		}
	}
	r.ReadySeconds = time.Since(start).Seconds()
	pid := cmd.Process.Pid
	r.ServerReadyMS = readyMS(logPath)
	r.RSSReadyBytes = procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS") * 1024
	logf("server: /readyz answered %.2fs after start (server says ready_ms=%.0f); RSS %s", r.ReadySeconds, r.ServerReadyMS, mb(r.RSSReadyBytes))

	// RSS is sampled every 100 ms while the server works.
	var mu sync.Mutex
	var maxRSS int64
	sampling := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-sampling:
				return
			case <-t.C:
				v := procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS") * 1024
				mu.Lock()
				maxRSS = max(maxRSS, v)
				mu.Unlock()
			}
		}
	}()

	if r.HTTP, err = httpQueries(client, base, c); err != nil {
		return nil, err
	}
	r.RSSWarmBytes = procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS") * 1024
	logf("server: RSS after the HTTP query runs %s", mb(r.RSSWarmBytes))

	if _, err := exec.LookPath("wrk"); err != nil {
		logf("wrk is not installed (apt-get install wrk): no throughput figures")
	} else {
		script, err := wrkScript(c)
		if err != nil {
			return nil, err
		}
		for _, tc := range [][2]int{{1, 1}, {2, 8}} {
			w, err := runWrk(base, script, tc[0], tc[1], c.wrkDuration)
			if err != nil {
				return nil, err
			}
			r.Wrk = append(r.Wrk, *w)
			logf("wrk -t%d -c%d: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d",
				w.Threads, w.Connections, w.RPS, w.P50MS, w.P99MS, w.Non2xx, w.Errors)
		}
	}
	close(sampling)
	wg.Wait()
	r.RSSLoadMaxBytes = maxRSS
	status := fmt.Sprintf("/proc/%d/status", pid)
	r.HWMBytes = procField(status, "VmHWM") * 1024
	r.RSSAnonBytes, r.RSSFileBytes = procField(status, "RssAnon")*1024, procField(status, "RssFile")*1024
	logf("server: RSS max while serving %s, VmHWM %s; at the end %s anonymous + %s mapped files",
		mb(r.RSSLoadMaxBytes), mb(r.HWMBytes), mb(r.RSSAnonBytes), mb(r.RSSFileBytes))
	return r, nil
}

func stopServer(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

var readyRe = regexp.MustCompile(`ready_ms=(\d+)`)

// readyMS reads the server's own figure from its log line "serving …
// ready_ms=N" (from the start of runServe to listening).
func readyMS(logPath string) float64 {
	f, err := os.Open(logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := readyRe.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			return v
		}
	}
	return 0
}

func searchPath(q string) string {
	return "/api/search?q=" + url.QueryEscape(q) + "&size=10"
}

// httpQueries times every query over HTTP on one keep-alive connection,
// sequentially: request, full body read and JSON decoding.
func httpQueries(client *http.Client, base string, c *config) (*QuerySet, error) {
	set := &QuerySet{}
	runs := map[string][]time.Duration{}
	logf("HTTP: %d queries × (%d warm-up + %d timed), sequential", len(c.queries), c.warm, c.n)
	for _, q := range c.queries {
		st := QueryStat{Query: q, Stable: true}
		for i := 0; i < c.warm+c.n; i++ {
			t0 := time.Now()
			resp, err := client.Get(base + searchPath(q))
			if err != nil {
				return nil, err
			}
			var body struct {
				Total uint64 `json:"total"`
				Hits  []struct {
					Highlight string `json:"highlight"`
				} `json:"hits"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d := time.Since(t0)
			if err != nil || resp.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("GET %s: status %d, %v", searchPath(q), resp.StatusCode, err)
			}
			if i == 0 {
				st.Total, st.Hits = body.Total, len(body.Hits)
			} else if body.Total != st.Total {
				st.Stable = false
			}
			if i >= c.warm {
				runs[q] = append(runs[q], d)
			}
		}
		set.Queries = append(set.Queries, st)
	}
	summarize(set, runs)
	logf("HTTP: median %.2f ms, p95 %.2f ms over all queries", set.MedianMS, set.P95MS)
	return set, nil
}

// wrkScript writes a Lua script that makes wrk rotate through the query
// set (each thread starts at another query).
func wrkScript(c *config) (string, error) {
	var b strings.Builder
	b.WriteString("-- written by bench/run: rotate through the benchmark's queries\nlocal paths = {\n")
	for _, q := range c.queries {
		fmt.Fprintf(&b, "  %q,\n", searchPath(q))
	}
	b.WriteString(`}
local i = 0
setup = function(thread)
  thread:set("start", math.random(#paths))
end
init = function(args)
  i = (start or 1) - 1
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
`)
	p := filepath.Join(c.work, "queries.lua")
	return p, os.WriteFile(p, []byte(b.String()), 0o644)
}

var (
	wrkRPSRe  = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkReqRe  = regexp.MustCompile(`(\d+) requests in ([\d.]+)(us|ms|s|m)`)
	wrkPctRe  = regexp.MustCompile(`(?m)^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$`)
	wrkNon2Re = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockRe = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func runWrk(base, script string, threads, conns int, dur time.Duration) (*WrkRun, error) {
	cmd := exec.Command("wrk", "-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(int(dur.Seconds()))+"s",
		"--timeout", "10s", "--latency", "-s", script, base+"/")
	logf("wrk: %s", strings.Join(cmd.Args, " "))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	s := string(out)
	w := &WrkRun{Threads: threads, Connections: conns}
	if m := wrkRPSRe.FindStringSubmatch(s); m != nil {
		w.RPS, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := wrkReqRe.FindStringSubmatch(s); m != nil {
		w.Requests, _ = strconv.ParseInt(m[1], 10, 64)
		w.Seconds = unitMS(m[2], m[3]) / 1000
	}
	for _, m := range wrkPctRe.FindAllStringSubmatch(s, -1) {
		v := unitMS(m[2], m[3])
		switch m[1] {
		case "50":
			w.P50MS = v
		case "90":
			w.P90MS = v
		case "99":
			w.P99MS = v
		}
	}
	if m := wrkNon2Re.FindStringSubmatch(s); m != nil {
		w.Non2xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkSockRe.FindStringSubmatch(s); m != nil {
		for _, x := range m[1:] {
			n, _ := strconv.ParseInt(x, 10, 64)
			w.Errors += n
		}
	}
	if w.RPS == 0 {
		return nil, fmt.Errorf("could not read wrk's output:\n%s", s)
	}
	return w, nil
}

func unitMS(v, unit string) float64 {
	f, _ := strconv.ParseFloat(v, 64)
	switch unit {
	case "us":
		return f / 1000
	case "s":
		return f * 1000
	case "m":
		return f * 60000
	}
	return f
}
