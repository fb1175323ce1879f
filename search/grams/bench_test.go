package grams_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/internal/corpusdir"
	"reportsearch/search/analysis"
	"reportsearch/search/grams"
)

// corpusLines returns the non-empty lines of the shared corpus' national
// reports, folded: paragraph-like text for the benchmarks.
func corpusLines(b *testing.B) []string {
	b.Helper()
	files, err := filepath.Glob(filepath.Join(corpusdir.Dir(b), "national", "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus files: %v", err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, analysis.FoldString(l))
			}
		}
	}
	return out
}

func buildSegment(b *testing.B, lines []string) *grams.Segment {
	b.Helper()
	bl := grams.NewBuilder()
	bl.AddReport("r", nil)
	for i, l := range lines {
		if err := bl.Add(grams.Para{Folded: l, N: uint32(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "bench.seg")
	if err := bl.WriteFile(path); err != nil {
		b.Fatal(err)
	}
	seg, err := grams.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { seg.Close() })
	return seg
}

// BenchmarkBuild: paragraphs per second into a segment file.
func BenchmarkBuild(b *testing.B) {
	lines := corpusLines(b)
	b.ResetTimer()
	for b.Loop() {
		buildSegment(b, lines)
	}
	b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "paragraphs/s")
}

// BenchmarkFind: one, two and longer strings, common and rare, over the
// national reports (about 20k lines).
func BenchmarkFind(b *testing.B) {
	seg := buildSegment(b, corpusLines(b))
	for _, q := range []string{"的", "发展", "人民", "高质量发展", "社会主义现代化", "网格化治理", "gdp"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				seg.Find(q)
			}
		})
	}
}
