package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// Keywords of one year against the rest read every paragraph of the
// index: seconds on a large one. A comparison therefore runs as a job,
// apart from the request that asked for it: the request waits for it a
// little (keywordWait), and answers with the job's progress when it has
// not ended (the compare page reloads itself, an API client asking with
// async=true polls). Every request for the same comparison shares the
// job; its result goes to the first request that finds it done, so a later
// request computes afresh on the index as it is then. The work is bounded:
// at most maxRunningKeywords jobs at once (a further one is refused with
// 429), each at most keywordJobTimeout, and a job nobody has asked about
// for keywordAbandon is cancelled.
const (
	maxRunningKeywords = 2
	maxKeywordJobs     = 16
	keywordWait        = 2 * time.Second
	keywordJobTimeout  = 10 * time.Minute
	keywordAbandon     = time.Minute
)

// keywordProgress is what a request for a running comparison answers
// (202 in the API).
type keywordProgress struct {
	State string `json:"state"` // "running"
	// Stage is the run's step: "read" (the two sets' paragraphs),
	// "candidates" (the focus set's phrases), "count" (their counts in
	// the reference set); Done of Total paragraphs of it.
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

type keywordJob struct {
	key    string
	done   chan struct{}
	resp   *workbench.KeywordsResponse
	err    error
	cancel context.CancelFunc
	ended  time.Time // when done was closed (under keywordJobs.mu)
	asked  time.Time // the last request for it (under keywordJobs.mu)

	mu       sync.Mutex
	progress keywordProgress
}

// Background is the server's work that outlives a request (the
// comparisons of keyword_jobs.go). Close cancels it and waits for it to
// end: the server's owner calls it before it closes the index, which
// must not be read after.
type Background struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewBackground returns a Background for WithBackground.
func NewBackground() *Background {
	ctx, cancel := context.WithCancel(context.Background())
	return &Background{ctx: ctx, cancel: cancel}
}

// Close cancels the background work and waits for it to end.
func (b *Background) Close() {
	b.cancel()
	b.wg.Wait()
}

// WithBackground runs the server's background work under b (default: a
// Background nobody closes).
func WithBackground(b *Background) Option {
	return func(s *Server) { s.keywords.bg = b }
}

type keywordJobs struct {
	bg      *Background
	mu      sync.Mutex
	jobs    map[string]*keywordJob
	running int
	// run computes a comparison (workbench.Keywords; tests slow it down).
	run func(ctx context.Context, ix search.Index, req workbench.KeywordsRequest) (*workbench.KeywordsResponse, error)
	now func() time.Time
	// wait is how long a request waits for its job (keywordWait).
	wait time.Duration
}

func newKeywordJobs() *keywordJobs {
	return &keywordJobs{bg: NewBackground(), jobs: map[string]*keywordJob{}, run: workbench.Keywords, now: time.Now, wait: keywordWait}
}

var (
	errKeywordsBusy = echo.NewHTTPError(http.StatusTooManyRequests,
		"two keyword comparisons are running already: try again when one has finished")
	errStopping = echo.NewHTTPError(http.StatusServiceUnavailable, "the server is stopping")
)

// answer waits a moment (k.wait) for the comparison req and returns its
// result, or, when it is still running, its progress.
func (k *keywordJobs) answer(ctx context.Context, ix search.Index, req workbench.KeywordsRequest) (*workbench.KeywordsResponse, *keywordProgress, error) {
	key, err := json.Marshal(req)
	if err != nil {
		return nil, nil, err
	}
	j, err := k.job(ix, req, string(key))
	if err != nil {
		return nil, nil, err
	}
	t := time.NewTimer(k.wait)
	defer t.Stop()
	select {
	case <-j.done:
	case <-t.C:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	select {
	case <-j.done:
		if k.jobs[j.key] == j {
			delete(k.jobs, j.key) // the result is this request's
		}
		return j.resp, nil, j.err
	default:
	}
	j.asked = k.now()
	j.mu.Lock()
	p := j.progress
	j.mu.Unlock()
	return nil, &p, nil
}

// job finds the running or finished job of key, or starts one.
func (k *keywordJobs) job(ix search.Index, req workbench.KeywordsRequest, key string) (*keywordJob, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sweep()
	if j := k.jobs[key]; j != nil {
		j.asked = k.now()
		return j, nil
	}
	if k.running >= maxRunningKeywords || len(k.jobs) >= maxKeywordJobs {
		return nil, errKeywordsBusy
	}
	if k.bg.ctx.Err() != nil {
		return nil, errStopping
	}
	ctx, cancel := context.WithTimeout(k.bg.ctx, keywordJobTimeout)
	j := &keywordJob{key: key, done: make(chan struct{}), cancel: cancel, asked: k.now(),
		progress: keywordProgress{State: "running", Stage: "read"}}
	k.jobs[key] = j
	k.running++
	req.Progress = func(stage string, done, total int) {
		j.mu.Lock()
		j.progress.Stage, j.progress.Done, j.progress.Total = stage, done, total
		j.mu.Unlock()
	}
	k.bg.wg.Add(1)
	go func() {
		defer k.bg.wg.Done()
		defer cancel()
		resp, err := k.run(ctx, ix, req)
		k.mu.Lock()
		j.resp, j.err, j.ended = resp, err, k.now()
		k.running--
		close(j.done)
		k.mu.Unlock()
	}()
	return j, nil
}

// sweep cancels the running jobs nobody asks about any more and forgets
// the finished ones nobody collected; the caller holds k.mu.
func (k *keywordJobs) sweep() {
	now := k.now()
	for key, j := range k.jobs {
		select {
		case <-j.done:
			if now.Sub(j.ended) > keywordAbandon {
				delete(k.jobs, key)
			}
		default:
			if now.Sub(j.asked) > keywordAbandon {
				j.cancel()
				delete(k.jobs, key)
			}
		}
	}
}
