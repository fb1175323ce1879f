package searchtest

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"reportsearch/search"
)

// Backend is what the suite tests: an opened index that searches, reads,
// writes and closes (search.Backend).
type Backend = search.Backend

// suite is one run of TestBackend.
type suite struct {
	open func(t testing.TB, dir string) Backend
	// b is the backend holding the corpus, in dir; m its model.
	b   Backend
	dir string
	m   *model
}

// TestBackend runs the conformance suite against a backend. open opens
// the backend's index in dir, creating it when dir does not exist; the
// suite closes every index it opens, and opens a folder again after
// Close to check that what was written is kept. The backend is loaded
// with the corpus (see Corpus) for the read-only checks; the write checks
// each open a fresh index of a few reports.
func TestBackend(t *testing.T, open func(t testing.TB, dir string) Backend) {
	rds := Corpus(t)
	s := &suite{open: open, dir: filepath.Join(t.TempDir(), "index"), m: newModel(rds...)}
	start := time.Now()
	s.b = open(t, s.dir)
	t.Cleanup(func() {
		if s.b != nil {
			s.b.Close()
		}
	})
	if err := s.b.Put(Clone(rds)...); err != nil {
		t.Fatalf("putting the corpus: %v", err)
	}
	t.Logf("%d reports, %d paragraphs written in %v", len(rds), paragraphs(rds), time.Since(start).Round(time.Millisecond))
	for _, c := range []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"Documents", s.testDocuments},
		{"ExactSubstrings", s.testExact},
		{"BooleanQueries", s.testBoolean},
		{"LooseMode", s.testLoose},
		{"FiltersAndFacets", s.testFiltersAndFacets},
		{"DisjunctiveFacets", s.testDisjunctiveFacets},
		{"RegionHierarchy", s.testRegionHierarchy},
		{"YearSorts", s.testYearSorts},
		{"PagesConcatenateToTheExport", s.testPaging},
		{"Groups", s.testGroups},
		{"GroupPagesConcatenate", s.testGroupPaging},
		{"Export", s.testExport},
		{"Trends", s.testTrends},
		{"BadRequests", s.testBadRequests},
		{"Reopen", s.testReopen},
		{"MissingMetadata", s.testMissingMetadata},
		{"TraditionalAndSimplified", s.testTraditional},
		{"ReplaceAndDelete", s.testReplaceAndDelete},
		{"DuplicateIDInOnePut", s.testDuplicateIDs},
		{"ReplaceIsAtomicForSearches", s.testAtomicReplace},
		{"ManyWritesAndReopen", s.testManyWrites},
	} {
		start := time.Now()
		t.Run(c.name, c.fn)
		t.Logf("%s: %v", c.name, time.Since(start).Round(time.Millisecond))
	}
}

// fresh opens a new, empty backend that is closed when the test ends.
func (s *suite) fresh(t *testing.T) (Backend, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	b := s.open(t, dir)
	t.Cleanup(func() { b.Close() })
	return b, dir
}

// put writes reports to a backend and its model.
func put(t testing.TB, b Backend, m *model, rds ...search.ReportData) {
	t.Helper()
	if err := b.Put(Clone(rds)...); err != nil {
		t.Fatalf("put: %v", err)
	}
	m.put(rds...)
}

// report builds a report of paragraphs with the given texts.
func report(id string, year int, texts ...string) search.ReportData {
	rd := search.ReportData{Report: search.Report{ID: id, Title: id, Path: id + ".txt", Year: year}}
	for i, s := range texts {
		rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: s})
	}
	return rd
}

func mustSearch(t testing.TB, ix search.Index, req search.Request) *search.Response {
	t.Helper()
	resp, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("search %q: %v", req.Query, err)
	}
	return resp
}

func exportRows(t testing.TB, ix search.Index, req search.Request) []search.Row {
	t.Helper()
	rows := []search.Row{}
	if err := ix.Export(context.Background(), req, func(r search.Row) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatalf("export %q: %v", req.Query, err)
	}
	return rows
}

func exportIDs(t testing.TB, ix search.Index, req search.Request) []string {
	t.Helper()
	rows := exportRows(t, ix, req)
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// sameSet reports whether two lists of ids hold the same ids the same
// number of times.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// diff returns up to five ids of a that are not in b.
func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] && len(out) < 5 {
			out = append(out, x)
		}
	}
	return out
}

func mapsEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
