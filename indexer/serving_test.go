package indexer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"reportsearch/indexer"
	"reportsearch/search"
)

// servingStore is a memStore that says searches are running, or not,
// and records the paragraphs of each batch.
type servingStore struct {
	memStore
	reads   bool
	batches []int
}

func (s *servingStore) YieldToReads()      {}
func (s *servingStore) ReadsRunning() bool { return s.reads }

func (s *servingStore) Put(reports ...search.ReportData) error {
	n := 0
	for _, r := range reports {
		n += len(r.Paragraphs)
	}
	s.batches = append(s.batches, n)
	return s.memStore.Put(reports...)
}

// While searches run, batches are cut at the serving size (1,000
// paragraphs), else at BatchParagraphs; either way every paragraph is
// written once and a batch goes over its size by less than one report.
func TestBatchesAreSmallWhileServing(t *testing.T) {
	fsys := fstest.MapFS{}
	const files, perFile = 30, 120
	for i := range files {
		var b strings.Builder
		for j := range perFile {
			fmt.Fprintf(&b, "第%d份报告第%d段，推进高质量发展取得新成效。\n\n", i, j)
		}
		fsys[fmt.Sprintf("r%02d.txt", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	srcs, err := indexer.FSSources(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, reads := range []bool{false, true} {
		store := &servingStore{reads: reads}
		sum, err := indexer.Run(context.Background(), store, srcs, indexer.Options{BatchParagraphs: 2500})
		if err != nil {
			t.Fatal(err)
		}
		limit := 2500
		if reads {
			limit = 1000
		}
		total, per := 0, sum.Paragraphs/files
		for i, n := range store.batches {
			total += n
			if n >= limit+per || (i < len(store.batches)-1 && n < limit) {
				t.Errorf("reads %v: batch %d of %d paragraphs, limit %d", reads, i, n, limit)
			}
		}
		if total != sum.Paragraphs || sum.Added != files {
			t.Errorf("reads %v: batches %v wrote %d paragraphs, summary %d in %d files", reads, store.batches, total, sum.Paragraphs, sum.Added)
		}
	}
}
