package memindex

import (
	"fmt"
	"slices"
	"sync"

	"reportsearch/search"
)

// A search pages through the whole hit set of its query: paging through
// one query, or exporting it after counting it, would evaluate the same
// query again and again. A snapshot keeps its last few hit sets, and each
// of them its hits sorted by each sort asked for. Snapshots never change,
// so nothing is invalidated: a write makes a new snapshot with an empty
// cache.

// cacheSize is how many hit sets a snapshot keeps.
const cacheSize = 8

type resultCache struct {
	mu      sync.Mutex
	keys    []string // least recently used first
	results []*result
}

// resultKey identifies what decides a hit set: the evaluated query tree
// and the filter, in Go syntax (which, unlike query syntax, is
// unambiguous for any tree).
func resultKey(req *search.Request) string {
	return fmt.Sprintf("%#v|%#v", req.Parsed.Eval, req.Filter)
}

// get returns the hit set of key, computing it with eval when it is not
// cached.
func (c *resultCache) get(key string, eval func() (*result, error)) (*result, error) {
	c.mu.Lock()
	if i := slices.Index(c.keys, key); i >= 0 {
		res := c.results[i]
		c.keys = append(slices.Delete(c.keys, i, i+1), key)
		c.results = append(slices.Delete(c.results, i, i+1), res)
		c.mu.Unlock()
		return res, nil
	}
	c.mu.Unlock()
	res, err := eval()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.keys, key) {
		if len(c.keys) == cacheSize {
			c.keys, c.results = c.keys[1:], c.results[1:]
		}
		c.keys, c.results = append(c.keys, key), append(c.results, res)
	}
	return res, nil
}
