package workbench_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/analysis"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testcorpus.Cleanup()
	os.Exit(code)
}

// para is a paragraph as the oracles see it.
type para struct {
	report *search.Report
	n      int
	text   string
	folded string
}

var (
	paraOnce sync.Once
	allParas []para
)

// corpus returns the shared corpus index and every paragraph in it.
func corpus(t testing.TB) (search.Index, []para) {
	t.Helper()
	ix := testcorpus.Index(t)
	paraOnce.Do(func() {
		reports, err := ix.Reports()
		if err != nil {
			t.Fatal(err)
		}
		for i := range reports {
			r := &reports[i]
			ps, err := ix.Paragraphs(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				allParas = append(allParas, para{report: r, n: p.N, text: p.Text, folded: analysis.FoldString(p.Text)})
			}
		}
	})
	if len(allParas) < 5000 {
		t.Fatalf("only %d paragraphs", len(allParas))
	}
	return ix, allParas
}

// matching returns the paragraphs a query and filter match, by brute force.
func matching(t *testing.T, ps []para, q string, mode search.Mode, f search.Filter) []para {
	t.Helper()
	pq, err := search.ParseQuery(q, mode)
	if err != nil {
		t.Fatal(err)
	}
	var out []para
	for _, p := range ps {
		if f.Match(p.report) && pq.Match(p.text) {
			out = append(out, p)
		}
	}
	return out
}

// contains counts the paragraphs whose folded text contains s.
func contains(ps []para, s string) uint64 {
	f := analysis.FoldString(s)
	var n uint64
	for _, p := range ps {
		if strings.Contains(p.folded, f) {
			n++
		}
	}
	return n
}
