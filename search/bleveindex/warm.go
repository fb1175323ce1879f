package bleveindex

import (
	"context"
	"sync"
	"time"

	"reportsearch/search"
)

// A new generation (a full rebuild's, see generation.go) starts with an
// empty term cache: without more, the first searches after the switch
// would each read their terms from the new segments while people wait,
// which is most of what a rebuild costs the searches running beside it.
// So the served index keeps its last searches, and the new generation runs
// them before it is switched in (bounded by warmBudget; answers ignored).

const (
	recentQueryCount = 32
	warmBudget       = 2 * time.Second
)

// recentQueries are the last distinct queries searched (by query text,
// with the rest of their request).
type recentQueries struct {
	mu   sync.Mutex
	reqs []search.Request
	next int
}

func (r *recentQueries) add(req search.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, q := range r.reqs {
		if q.Query == req.Query {
			return
		}
	}
	if len(r.reqs) < recentQueryCount {
		r.reqs = append(r.reqs, req)
		return
	}
	r.reqs[r.next] = req
	r.next = (r.next + 1) % recentQueryCount
}

func (r *recentQueries) list() []search.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]search.Request(nil), r.reqs...)
}

// warm runs ix's recent searches on t, filling t's term cache.
func (ix *Index) warm(t *Index) {
	ctx, cancel := context.WithTimeout(context.Background(), warmBudget)
	defer cancel()
	for _, req := range ix.recent.list() {
		if ctx.Err() != nil {
			return
		}
		t.Search(ctx, req) // warming only: the answer and any error are dropped
	}
}
