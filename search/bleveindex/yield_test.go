package bleveindex

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"reportsearch/search"
)

// While searches run, analysis workers pause before each paragraph (a
// bounded number of times, the first fewer), so a write always completes; searches are counted while they run and no
// longer afterwards, failed ones too.
func TestWritesYieldToReads(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var pauses atomic.Int64
	ix.pause = func() { pauses.Add(1) }

	ix.yieldToReads(1)
	if pauses.Load() != 0 {
		t.Fatalf("paused with no search running")
	}
	done := ix.beginRead()
	ix.yieldToReads(0)
	if pauses.Load() != maxYieldFirst {
		t.Fatalf("worker 0 paused %d times under a search, want %d", pauses.Load(), maxYieldFirst)
	}
	pauses.Store(0)
	ix.yieldToReads(1)
	if pauses.Load() != maxYield {
		t.Fatalf("worker 1 paused %d times under a search, want %d", pauses.Load(), maxYield)
	}
	// A write made while a search runs completes, its workers pausing
	// on the way.
	rd := search.ReportData{Report: search.Report{ID: "r", Title: "r", Path: "r.txt"}}
	for i := range 50 {
		rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: "推进网格化治理，第" + string(rune('一'+i%9)) + "段。"})
	}
	if err := ix.Put(rd); err != nil {
		t.Fatal(err)
	}
	if pauses.Load() <= maxYield {
		t.Errorf("no analysis worker paused during the write (%d pauses)", pauses.Load())
	}
	done()
	if n := ix.reads.Load(); n != 0 {
		t.Fatalf("reads = %d after the search ended", n)
	}
	if _, err := ix.Search(context.Background(), search.Request{Query: "网格化治理"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), search.Request{Query: `"open`}); err == nil {
		t.Fatal("no error for a bad query")
	}
	if _, _, err := ix.CountByReport(context.Background(), search.Request{Query: "网格化治理"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Export(context.Background(), search.Request{Query: "网格化治理"}, func(search.Row) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := ix.reads.Load(); n != 0 {
		t.Errorf("reads = %d after searches, counts and an export", n)
	}
}

// After work that could not pause, the writer rests about as long as the
// work took, bounded by maxRest, and only while searches run.
func TestRestAfterWorkWhileReading(t *testing.T) {
	ix := &Index{}
	var pauses atomic.Int64
	ix.pause = func() { pauses.Add(1) }
	ix.restAfter(time.Second)
	if pauses.Load() != 0 {
		t.Fatalf("rested %d times with no search running", pauses.Load())
	}
	done := ix.beginRead()
	defer done()
	step := 4 * yieldPause
	for _, c := range []struct{ work, want time.Duration }{
		{0, 0}, {step, step}, {10 * step, 10 * step}, {time.Hour, maxRest},
	} {
		pauses.Store(0)
		ix.restAfter(c.work)
		if got := time.Duration(pauses.Load()) * step; got != c.want {
			t.Errorf("after %v of work: rested %v, want %v", c.work, got, c.want)
		}
	}
	if !ix.ReadsRunning() {
		t.Error("ReadsRunning is false while a search runs")
	}
}
