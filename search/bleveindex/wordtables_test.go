package bleveindex

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// The word tables behind CountContaining stay equal to brute force while
// reports are added, replaced and deleted and segments merged: the same
// strings are counted after every few writes, so most counts read tables
// made for segments whose reports have since died or been replaced, and
// the rest tables of merged segments; each count is asked twice (made,
// then read from the cache) with several report filters.
func TestWordTablesEqualBruteForceThroughWrites(t *testing.T) {
	files := lcCorpus(t)
	rng := rand.New(rand.NewSource(20261202))
	ix := lcOpen(t, filepath.Join(t.TempDir(), "index"))
	defer ix.Close()
	m := newLCModel()

	// Strings of the corpus: substrings of 1–6 characters of its lines
	// (every length: two-character strings take the dictionary's path
	// when unfiltered, the others the tables), and a few absent ones.
	var lines []string
	for _, f := range files {
		lines = append(lines, f...)
	}
	var strs []string
	for len(strs) < 120 {
		if s := lcTerm(rng, lines, 6); s != "" {
			strs = append(strs, s)
		}
	}
	strs = append(strs, "没有这个词组合", "罘罘")
	filters := []search.Filter{{}, {Years: []search.YearRange{{From: 2005, To: 2012}}}, {Years: []search.YearRange{{From: 2018}}}}

	check := func(label string) {
		t.Helper()
		for _, f := range filters {
			var want []uint64
			for _, s := range strs {
				fs := analysis.FoldString(s)
				var n uint64
				for _, rd := range m.reports {
					if !f.Match(&rd.Report) {
						continue
					}
					for _, p := range rd.Paragraphs {
						if strings.Contains(analysis.FoldString(p.Text), fs) {
							n++
						}
					}
				}
				want = append(want, n)
			}
			for round := range 2 {
				got, err := ix.CountContaining(context.Background(), f, strs)
				if err != nil {
					t.Fatal(err)
				}
				for i, s := range strs {
					if got[i] != want[i] {
						t.Errorf("%s, %+v, ask %d: %q counted %d, brute force %d", label, f, round+1, s, got[i], want[i])
					}
				}
			}
		}
	}

	next := 0
	hits := 0
	for step := 1; step <= 32; step++ {
		ids := m.ids()
		switch k := rng.Intn(10); {
		case k < 5 || len(ids) < 4:
			var rds []search.ReportData
			for range 1 + rng.Intn(3) {
				next++
				rds = append(rds, lcReport(rng, files, fmt.Sprintf("rep%03d", next), step, 25))
			}
			lcPut(t, ix, m, rds...)
		case k < 8: // replace a report with other text
			lcPut(t, ix, m, lcReport(rng, files, ids[rng.Intn(len(ids))], step, 25))
		default:
			id := ids[rng.Intn(len(ids))]
			if err := ix.Delete(id); err != nil {
				t.Fatal(err)
			}
			m.del(id)
		}
		if step%4 == 0 {
			check(fmt.Sprintf("after write %d", step))
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	// The check counts something: most strings are in the live reports.
	got, err := ix.CountContaining(context.Background(), search.Filter{}, strs)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		if n > 0 {
			hits++
		}
	}
	s := ix.acquire()
	segs, tables := len(s.segs), 0
	s.terms.mu.Lock()
	for k := range s.terms.items {
		if k.kind == kindWordTable {
			tables++
		}
	}
	s.terms.mu.Unlock()
	s.release()
	t.Logf("%d of %d strings found; %d live segments, %d word tables cached", hits, len(strs), segs, tables)
	if hits < len(strs)/2 || tables == 0 {
		t.Errorf("%d of %d strings found, %d tables: the test checks little", hits, len(strs), tables)
	}
}
