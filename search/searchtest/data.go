package searchtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/corpusdir"
	"reportsearch/internal/sample"
	"reportsearch/search"
)

var (
	dataOnce sync.Once
	data     []search.ReportData
	dataErr  error
)

// Corpus returns the reports the suite indexes, read once per test binary
// through the indexer (extraction, cleaning, structure, metadata): the
// shared corpus, or with -short the embedded sample reports. They are in
// id order and shared: callers must not change them (Clone gives a copy
// that Put may write to).
func Corpus(t testing.TB) []search.ReportData {
	t.Helper()
	short := testing.Short()
	var dir string
	if !short {
		dir = corpusdir.Dir(t) // fails the test when the corpus is missing
	}
	dataOnce.Do(func() {
		var srcs []indexer.Source
		if short {
			srcs, dataErr = indexer.FSSources(sample.FS(), "sample")
		} else {
			srcs, dataErr = indexer.FileSources([]string{dir}, "")
		}
		if dataErr != nil {
			return
		}
		c := &capture{byID: map[string]search.ReportData{}}
		var sum *indexer.Summary
		if sum, dataErr = indexer.Run(context.Background(), c, srcs, indexer.Options{}); dataErr != nil {
			return
		}
		if sum.Skipped > 0 {
			dataErr = fmt.Errorf("searchtest: the indexer skipped %d files: %+v", sum.Skipped, sum.Files)
			return
		}
		for _, rd := range c.byID {
			data = append(data, rd)
		}
		slices.SortFunc(data, func(a, b search.ReportData) int { return strings.Compare(a.Report.ID, b.Report.ID) })
	})
	if dataErr != nil {
		t.Fatalf("searchtest: reading the reports: %v", dataErr)
	}
	least := 5000
	if short {
		least = 300
	}
	if n := paragraphs(data); n < least {
		t.Fatalf("searchtest: only %d paragraphs read", n)
	}
	return data
}

// Clone copies reports so that a Put may set their fields.
func Clone(rds []search.ReportData) []search.ReportData {
	out := slices.Clone(rds)
	for i := range out {
		out[i].Paragraphs = slices.Clone(out[i].Paragraphs)
		out[i].Report.Inferred = slices.Clone(out[i].Report.Inferred)
	}
	return out
}

func paragraphs(rds []search.ReportData) int {
	n := 0
	for _, rd := range rds {
		n += len(rd.Paragraphs)
	}
	return n
}

// capture is a search.Store that keeps what the indexer writes.
type capture struct {
	mu   sync.Mutex
	byID map[string]search.ReportData
}

func (c *capture) Report(id string) (*search.Report, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rd, ok := c.byID[id]
	if !ok {
		return nil, search.ErrNotFound
	}
	r := rd.Report
	return &r, nil
}

func (c *capture) Put(rds ...search.ReportData) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rd := range Clone(rds) {
		rd.Count()
		c.byID[rd.Report.ID] = rd
	}
	return nil
}

func (c *capture) Delete(ids ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.byID, id)
	}
	return nil
}
