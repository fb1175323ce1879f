// Command soak runs mixed searches, page views, exports, uploads and
// deletions against a running reportsearch server for a while, and reports
// the server's resident memory, goroutines and open files (from its
// /metrics) at the start, every -every, and at the end, with the requests
// made and the errors met. It is not part of CI (issue 12 asks for 30
// minutes):
//
//	REPORTSEARCH_ADMIN_TOKEN=soak reportsearch serve --index /tmp/soak/index &
//	go run ./bench/soak -addr 127.0.0.1:8080 -token soak -duration 30m -corpus ../shared/corpus
//
// Uploads take files of -corpus (text, HTML, Markdown, docx, PDF) under
// names of their own (soak-N-…), replace them and delete them again, so
// the index ends about where it started. The exit status is 1 when any
// request failed (a 5xx, a transport error) or the goroutines or open
// files at the end are more than twice those at the start plus 20.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"reportsearch/bench/queries"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the server's address")
	token := flag.String("token", os.Getenv("REPORTSEARCH_ADMIN_TOKEN"), "the admin token (uploads and deletions; none: searches only)")
	duration := flag.Duration("duration", 30*time.Minute, "how long to run")
	every := flag.Duration("every", time.Minute, "how often to report")
	clients := flag.Int("clients", 4, "concurrent clients")
	corpus := flag.String("corpus", "", "a folder of reports to upload (none: searches only)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	s := &soak{base: "http://" + *addr, token: *token, client: &http.Client{Timeout: 2 * time.Minute},
		counts: map[string]*int64{}}
	if *corpus != "" && *token != "" {
		files, err := listFiles(*corpus)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(2)
		}
		s.files = files
	}
	first, err := s.sample()
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak: the server does not answer /metrics:", err)
		os.Exit(2)
	}
	fmt.Printf("soak: %s for %s, %d clients, %d files to upload\n", s.base, *duration, *clients, len(s.files))
	fmt.Printf("%-9s %10s %10s %6s %6s %9s %7s\n", "elapsed", "RSS MB", "heap MB", "gor.", "fds", "requests", "errors")
	start := time.Now()
	first.print(0, 0, 0)
	var wg sync.WaitGroup
	for i := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.run(ctx, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i))), i)
		}()
	}
	tick := time.NewTicker(*every)
	defer tick.Stop()
	last := first
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			if m, err := s.sample(); err == nil {
				m.print(time.Since(start), s.requests.Load(), s.errors.Load())
				last = m
			}
		}
	}
	wg.Wait()
	s.cleanup()
	if m, err := s.sample(); err == nil {
		last = m
	}
	last.print(time.Since(start), s.requests.Load(), s.errors.Load())
	fmt.Println("requests by kind:")
	var kinds []string
	for k := range s.counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Printf("  %-22s %d\n", k, atomic.LoadInt64(s.counts[k]))
	}
	for _, e := range s.firstErrors {
		fmt.Println("error:", e)
	}
	fail := s.errors.Load() > 0
	if last.goroutines > 2*first.goroutines+20 || last.fds > 2*first.fds+20 {
		fmt.Printf("soak: goroutines %v → %v, open files %v → %v: a leak?\n", first.goroutines, last.goroutines, first.fds, last.fds)
		fail = true
	}
	if fail {
		os.Exit(1)
	}
}

type soak struct {
	base, token string
	client      *http.Client
	files       []string

	requests, errors atomic.Int64
	mu               sync.Mutex
	counts           map[string]*int64
	firstErrors      []string
	uploaded         []string // report ids of our uploads
}

// run is one client: a mix of 70% searches and pages, 10% exports and
// trends, 20% uploads and deletions (when it may write).
func (s *soak) run(ctx context.Context, r *rand.Rand, id int) {
	for n := 0; ctx.Err() == nil; n++ {
		q := url.QueryEscape(queries.List[r.IntN(len(queries.List))])
		switch x := r.IntN(100); {
		case x < 35:
			s.get(ctx, "search", "/api/search?q="+q+"&from="+strconv.Itoa(10*r.IntN(5)))
		case x < 50:
			s.get(ctx, "search page", "/?q="+q+"&year=2018..")
		case x < 60:
			s.get(ctx, "search grouped", "/api/search?group=doc&sort=-year&q="+q)
		case x < 65:
			s.get(ctx, "documents", "/documents")
		case x < 70:
			s.get(ctx, "trends", "/api/trends?by=region&q="+q+"&q="+url.QueryEscape(queries.List[r.IntN(len(queries.List))]))
		case x < 75:
			s.get(ctx, "export", "/api/search?format=csv&q="+q)
		case x < 80:
			s.get(ctx, "metrics", "/metrics")
		case x < 92 && len(s.files) > 0:
			s.upload(ctx, r, id, n)
		case len(s.files) > 0:
			s.deleteOne(ctx, r)
		default:
			s.get(ctx, "search", "/api/search?q="+q)
		}
	}
}

func (s *soak) count(kind string, err error) {
	s.requests.Add(1)
	s.mu.Lock()
	c := s.counts[kind]
	if c == nil {
		c = new(int64)
		s.counts[kind] = c
	}
	if err != nil {
		s.errors.Add(1)
		if len(s.firstErrors) < 10 {
			s.firstErrors = append(s.firstErrors, kind+": "+err.Error())
		}
	}
	s.mu.Unlock()
	atomic.AddInt64(c, 1)
}

// do sends a request; a transport error or a 5xx is an error (a 4xx is
// not: a deletion may race another).
func (s *soak) do(ctx context.Context, req *http.Request) ([]byte, error) {
	resp, err := s.client.Do(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil // stopped
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && ctx.Err() == nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		return nil, fmt.Errorf("%s %s: %s %.200s", req.Method, req.URL.Path, resp.Status, body)
	}
	return body, nil
}

func (s *soak) get(ctx context.Context, kind, path string) {
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	_, err := s.do(ctx, req)
	s.count(kind, err)
}

func (s *soak) upload(ctx context.Context, r *rand.Rand, client, n int) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("region", "压力测试区")
	for i := range 1 + r.IntN(3) {
		f := s.files[r.IntN(len(s.files))]
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// Names repeat (uploads replace) within a small pool per client.
		w, _ := mw.CreateFormFile("files", fmt.Sprintf("soak-%d-%d-%d%s", client, (n+i)%5, i, filepath.Ext(f)))
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/documents", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token)
	body, err := s.do(ctx, req)
	s.count("upload", err)
	var sum struct {
		Files []struct{ ID, Status string }
	}
	if json.Unmarshal(body, &sum) == nil {
		s.mu.Lock()
		for _, f := range sum.Files {
			if f.Status == "added" {
				s.uploaded = append(s.uploaded, f.ID)
			}
		}
		s.mu.Unlock()
	}
}

func (s *soak) deleteOne(ctx context.Context, r *rand.Rand) {
	s.mu.Lock()
	if len(s.uploaded) == 0 {
		s.mu.Unlock()
		return
	}
	i := r.IntN(len(s.uploaded))
	id := s.uploaded[i]
	s.uploaded = append(s.uploaded[:i], s.uploaded[i+1:]...)
	s.mu.Unlock()
	req, _ := http.NewRequest(http.MethodDelete, s.base+"/api/documents/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	_, err := s.do(ctx, req)
	s.count("delete", err)
}

// cleanup deletes what the soak uploaded and is still there.
func (s *soak) cleanup() {
	for _, id := range s.uploaded {
		req, _ := http.NewRequest(http.MethodDelete, s.base+"/api/documents/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+s.token)
		if resp, err := s.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}

// sample is what /metrics says of the process.
type sample struct {
	rss, heap, goroutines, fds, reports float64
}

func (s *soak) sample() (sample, error) {
	resp, err := s.client.Get(s.base + "/metrics")
	if err != nil {
		return sample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("/metrics: %s", resp.Status)
	}
	var m sample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		f, _ := strconv.ParseFloat(v, 64)
		switch name {
		case "process_resident_memory_bytes":
			m.rss = f
		case "reportsearch_heap_objects_bytes":
			m.heap = f
		case "reportsearch_goroutines":
			m.goroutines = f
		case "process_open_fds":
			m.fds = f
		case "reportsearch_index_reports":
			m.reports = f
		}
	}
	return m, sc.Err()
}

func (m sample) print(elapsed time.Duration, requests, errors int64) {
	fmt.Printf("%-9s %10.1f %10.1f %6.0f %6.0f %9d %7d   (%v reports)\n", elapsed.Round(time.Second), m.rss/1e6, m.heap/1e6,
		m.goroutines, m.fds, requests, errors, m.reports)
}

func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasSuffix(p, ".meta.json") && !strings.HasPrefix(d.Name(), "manifest.") && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, p)
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no files in %s", dir)
	}
	return out, err
}
