package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// slowKeywords makes the server's comparisons wait for release (after
// reporting some progress), counting the runs and their cancellations.
type slowKeywords struct {
	release  chan struct{}
	mu       sync.Mutex
	runs     int
	canceled int
}

func (sk *slowKeywords) option(s *Server) {
	s.keywords.wait = 20 * time.Millisecond
	s.keywords.run = func(ctx context.Context, ix search.Index, req workbench.KeywordsRequest) (*workbench.KeywordsResponse, error) {
		sk.mu.Lock()
		sk.runs++
		sk.mu.Unlock()
		req.Progress("count", 5, 10)
		select {
		case <-sk.release:
		case <-ctx.Done():
			sk.mu.Lock()
			sk.canceled++
			sk.mu.Unlock()
			return nil, ctx.Err()
		}
		return workbench.Keywords(ctx, ix, req)
	}
}

func (sk *slowKeywords) counts() (int, int) {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	return sk.runs, sk.canceled
}

// A comparison that runs long answers its progress (202 in the API, a page
// that reloads itself), then the same result as the waiting API.
func TestKeywordsProgressThenResult(t *testing.T) {
	sk := &slowKeywords{release: make(chan struct{})}
	bg := NewBackground()
	defer bg.Close()
	var srv *Server
	e := newSampleServer(t, WithBackground(bg), sk.option, func(s *Server) { srv = s })
	q := url.Values{"f.year": {"2026"}, "r.year": {"2023..2025"}, "min": {"2"}}
	async := "/api/keywords?" + q.Encode() + "&async=true"

	rec := get(t, e, async)
	var p keywordProgress
	if rec.Code != http.StatusAccepted || json.Unmarshal(rec.Body.Bytes(), &p) != nil ||
		p != (keywordProgress{State: "running", Stage: "count", Done: 5, Total: 10}) {
		t.Fatalf("while running: %d %s", rec.Code, rec.Body)
	}
	page := get(t, e, "/compare?"+q.Encode())
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, `<meta http-equiv="refresh" content="1">`) ||
		!strings.Contains(body, `id="progress"`) || !strings.Contains(body, "5 / 10") {
		t.Fatalf("the page while running: %d\n%s", page.Code, body)
	}
	if runs, _ := sk.counts(); runs != 1 {
		t.Fatalf("%d runs for one comparison asked three times", runs)
	}

	close(sk.release)
	var got workbench.KeywordsResponse
	for i := 0; ; i++ {
		rec = get(t, e, async)
		if rec.Code == http.StatusOK {
			break
		}
		if rec.Code != http.StatusAccepted || i == 500 {
			t.Fatalf("after the release: %d %s", rec.Code, rec.Body)
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var want workbench.KeywordsResponse
	getJSON(t, e, "/api/keywords?"+q.Encode(), &want)
	got.TookMS, want.TookMS = 0, 0
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) || len(want.Phrases) == 0 {
		t.Errorf("async result differs from the waiting API's:\n%s\n%s", gj, wj)
	}
	// The result went to that request: the next one computes afresh (and
	// is waited for: nothing holds it now).
	srv.keywords.wait = time.Minute
	page = get(t, e, "/compare?"+q.Encode())
	if runs, _ := sk.counts(); runs != 2 || page.Code != http.StatusOK || strings.Contains(page.Body.String(), "http-equiv") {
		t.Errorf("after the result was taken: %d runs, page %d", runs, page.Code)
	}
	srv.keywords.mu.Lock()
	left := len(srv.keywords.jobs)
	srv.keywords.mu.Unlock()
	if left != 0 {
		t.Errorf("%d jobs kept after their results were taken", left)
	}
}

// At most two comparisons run at once; one nobody asks about any more is
// cancelled; a bad async parameter is a 400.
func TestKeywordsJobsBounded(t *testing.T) {
	sk := &slowKeywords{release: make(chan struct{})}
	bg := NewBackground()
	defer bg.Close() // the running comparison ends before the index may close
	defer close(sk.release)
	now := time.Now()
	var clock sync.Mutex
	var srv *Server
	e := newSampleServer(t, WithBackground(bg), sk.option, func(s *Server) {
		srv = s
		s.keywords.now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
	})
	ask := func(year string) int {
		return get(t, e, "/api/keywords?"+url.Values{"f.year": {year}, "async": {"true"}}.Encode()).Code
	}
	if a, b := ask("2024"), ask("2025"); a != http.StatusAccepted || b != http.StatusAccepted {
		t.Fatalf("two comparisons: %d %d", a, b)
	}
	rec := get(t, e, "/api/keywords?f.year=2026&async=true")
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "running already") {
		t.Fatalf("a third: %d %s", rec.Code, rec.Body)
	}
	if rec := get(t, e, "/api/keywords?f.year=2026&async=maybe"); rec.Code != http.StatusBadRequest {
		t.Errorf("async=maybe: %d", rec.Code)
	}
	// Nobody asks for a minute: both are cancelled, and their places
	// free once their runs have ended.
	clock.Lock()
	now = now.Add(keywordAbandon + time.Second)
	clock.Unlock()
	for i := 0; ; i++ {
		code := ask("2026")
		if code == http.StatusAccepted {
			break
		}
		if code != http.StatusTooManyRequests || i == 500 {
			t.Fatalf("after the others were abandoned: %d", code)
		}
		time.Sleep(time.Millisecond)
	}
	if _, canceled := sk.counts(); canceled != 2 {
		t.Errorf("%d of the 2 abandoned comparisons cancelled", canceled)
	}
	srv.keywords.mu.Lock()
	n := len(srv.keywords.jobs)
	srv.keywords.mu.Unlock()
	if n != 1 {
		t.Errorf("%d jobs kept, want the one running", n)
	}
	// Stopping the server cancels the running one and waits for it.
	bg.Close()
	if _, canceled := sk.counts(); canceled != 3 {
		t.Errorf("after Close: %d comparisons cancelled, want 3", canceled)
	}
	if rec := get(t, e, "/api/keywords?f.year=2023&async=true"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("a comparison after Close: %d %s", rec.Code, rec.Body)
	}
}
