package history

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"reportsearch/indexer"
)

func TestRecordAndRead(t *testing.T) {
	l := Open(t.TempDir())
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	sum := &indexer.Summary{Files: []indexer.FileResult{
		{Path: "/r/a.txt", ID: "a", Title: "甲报告", Status: indexer.StatusAdded, Dropped: map[string]int{"widget": 2}},
		{Path: "/r/b.txt", ID: "b", Title: "乙", Status: indexer.StatusUnchanged},
		{Path: "/r/c.bin", Status: indexer.StatusSkipped, Reason: "not a report format"},
	}}
	if err := l.Record(SourceCLI, sum); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(SourceWatcher, &indexer.Summary{Files: []indexer.FileResult{{ID: "a", Title: "甲报告", Status: indexer.StatusUpdated}}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(Entry{Action: Deleted, Source: SourceAdmin, ID: "a", Title: "甲报告"}); err != nil {
		t.Fatal(err)
	}
	all, total, err := l.Read(Query{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 || len(all) != 4 {
		t.Fatalf("%d entries (%d): %+v", len(all), total, all)
	}
	if all[0].Action != Deleted || all[3].Action != Added || all[3].Dropped["widget"] != 2 {
		t.Errorf("not newest first, or dropped lost: %+v", all)
	}
	for _, c := range []struct {
		q    Query
		want int
	}{
		{Query{Action: Skipped}, 1},
		{Query{Source: SourceCLI}, 2},
		{Query{Text: "甲"}, 3},
		{Query{Text: "NOT A REPORT"}, 1},
		{Query{Since: all[1].Time}, 2},
		{Query{Until: all[1].Time}, 2},
		{Query{From: 1, Size: 2}, 2},
		{Query{From: 10}, 0},
	} {
		got, total, err := l.Read(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want {
			t.Errorf("%+v: %d entries (total %d), want %d", c.q, len(got), total, c.want)
		}
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	l := Open(dir)
	l.MaxBytes, l.Keep = 300, 2
	for i := range 40 {
		if err := l.Append(Entry{Action: Added, Source: SourceCLI, ID: fmt.Sprint(i), Title: "一份报告"}); err != nil {
			t.Fatal(err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "history*.jsonl"))
	if len(names) != 3 {
		t.Errorf("files %v, want the log and 2 rotated", names)
	}
	if _, err := os.Stat(filepath.Join(dir, "history.3.jsonl")); err == nil {
		t.Error("a third rotated file is kept")
	}
	got, total, err := l.Read(Query{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "39" || total >= 40 || total < 3 {
		t.Errorf("newest %+v, total %d", got, total)
	}
}

func TestTornLineIgnored(t *testing.T) {
	dir := t.TempDir()
	l := Open(dir)
	l.Append(Entry{Action: Added, ID: "x"})
	f, _ := os.OpenFile(l.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2026-`)
	f.Close()
	l.Append(Entry{Action: Added, ID: "y"})
	got, _, err := l.Read(Query{})
	if err != nil || len(got) != 2 || got[0].ID != "y" || got[1].ID != "x" {
		t.Fatalf("%v %+v", err, got)
	}
}
