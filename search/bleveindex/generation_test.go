package bleveindex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
)

// A generation filled beside the served index (as the rebuild's child
// process does) is served once committed, holding exactly the served
// index's reports: the child's version of each report it wrote, the
// served version of the reports written meanwhile and of those it did not
// write, none of those deleted meanwhile. Exact totals equal the
// brute-force count of what should be served before, during and after.
func TestCommitGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	rds := killReports()
	if err := ix.Put(rds...); err != nil {
		t.Fatal(err)
	}
	queries := []string{"新质生产力", "一网通办", "第1", "改革，第", "重建版", "写入版"}
	check := func(label string, want []search.ReportData) {
		t.Helper()
		for _, q := range queries {
			if got, w := total(t, ix, q, search.ModeExact), oracle(want, q); got != w {
				t.Errorf("%s: %q: %d hits, brute force %d", label, q, got, w)
			}
		}
	}
	gdir, err := ix.BeginGeneration(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The "child": the first 100 reports in a version of its own.
	g, err := OpenGeneration(gdir)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := map[string]search.ReportData{}
	var childRDs []search.ReportData
	for _, rd := range rds[:100] {
		rd = retext(rd, "重建版")
		rebuilt[rd.Report.ID] = rd
		childRDs = append(childRDs, rd)
	}
	if err := g.Put(childRDs...); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	check("before the commit", rds)
	// Writes to the served index meanwhile.
	added := retext(search.ReportData{Report: search.Report{ID: "new1", Title: "新报告", Path: "new1.txt", Year: 2030}, Paragraphs: rds[0].Paragraphs}, "写入版")
	replaced := retext(rds[10], "写入版")
	if err := ix.Put(added, replaced); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(rds[5].Report.ID); err != nil {
		t.Fatal(err)
	}
	// Rewritten with the same metadata: the child's version stands.
	if err := ix.Put(rds[20]); err != nil {
		t.Fatal(err)
	}
	if err := ix.CommitGeneration(gdir); err != nil {
		t.Fatal(err)
	}
	// The searches made before the commit warmed the new generation's
	// term cache (warm.go): it is not empty before any search on it.
	snap := ix.acquire()
	snap.terms.mu.Lock()
	warmed := len(snap.terms.items)
	snap.terms.mu.Unlock()
	snap.release()
	if warmed == 0 {
		t.Error("the new generation's term cache is empty after the switch")
	}
	var want []search.ReportData
	for i, rd := range rds {
		switch {
		case i == 5:
		case i == 10:
			want = append(want, replaced)
		case i < 100:
			want = append(want, rebuilt[rd.Report.ID])
		default:
			want = append(want, rd)
		}
	}
	want = append(want, added)
	check("after the commit", want)
	if reports, _ := ix.Reports(); len(reports) != len(want) {
		t.Errorf("%d reports served, want %d", len(reports), len(want))
	}
	if b, _ := os.ReadFile(filepath.Join(dir, generationRef)); strings.TrimSpace(string(b)) != filepath.Base(gdir) {
		t.Errorf("generation file names %q, want %s", b, filepath.Base(gdir))
	}
	ix.Close()
	// The switch is on disk: the folder opens to the same reports.
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	check("reopened", want)
}

// An aborted generation leaves the served one as it was and its folder
// gone; the next one begins in its place.
func TestAbortGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rds := killReports()[:20]
	if err := ix.Put(rds...); err != nil {
		t.Fatal(err)
	}
	gdir, err := ix.BeginGeneration(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g, err := OpenGeneration(gdir)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Put(retext(rds[0], "重建版")); err != nil {
		t.Fatal(err)
	}
	g.Close()
	ix.AbortGeneration(gdir)
	if _, err := os.Stat(gdir); !os.IsNotExist(err) {
		t.Errorf("aborted generation still there: %v", err)
	}
	if got := total(t, ix, "重建版", search.ModeExact); got != 0 {
		t.Errorf("aborted generation's text found %d times", got)
	}
	if got, want := total(t, ix, "第1", search.ModeExact), oracle(rds, "第1"); got != want {
		t.Errorf("%d hits, brute force %d", got, want)
	}
	again, err := ix.BeginGeneration(context.Background())
	if err != nil || again != gdir {
		t.Fatalf("next generation %q %v, want %s", again, err, gdir)
	}
	ix.AbortGeneration(again)
}

// retext is rd with mark added to every paragraph.
func retext(rd search.ReportData, mark string) search.ReportData {
	ps := make([]search.Paragraph, len(rd.Paragraphs))
	for i, p := range rd.Paragraphs {
		p.Text += mark
		ps[i] = p
	}
	rd.Paragraphs = ps
	return rd
}
