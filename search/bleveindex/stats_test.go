package bleveindex

import (
	"fmt"
	"path/filepath"
	"testing"

	"reportsearch/search"
)

// The grams segment counts are conserved: every Put of new reports adds
// one segment and every merge replaces the segments it merged with one,
// so segments = puts − merged + merges; bleve's segments are counted too.
func TestSegmentStatsConserveSegments(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	stats := func() (bleve, grams search.SegmentStats) {
		t.Helper()
		got := ix.SegmentStats()
		if len(got) != 2 || got[0].Part != "bleve" || got[1].Part != "grams" {
			t.Fatalf("SegmentStats() = %+v, want the parts bleve and grams", got)
		}
		return got[0], got[1]
	}
	if _, g := stats(); g != (search.SegmentStats{Part: "grams"}) {
		t.Fatalf("empty index: %+v", g)
	}
	puts := 3*mergeFactor + 2
	for i := range puts {
		rd := search.ReportData{Report: search.Report{ID: fmt.Sprint("r", i), Title: "t", Path: fmt.Sprint(i, ".txt")},
			Paragraphs: []search.Paragraph{{Text: fmt.Sprintf("第%d段，推进高质量发展。", i)}}}
		if err := ix.Put(rd); err != nil {
			t.Fatal(err)
		}
		b, g := stats()
		if g.Segments != uint64(i+1)-g.MergedSegments+g.Merges {
			t.Fatalf("after %d puts: %+v, want segments = puts − merged + merges", i+1, g)
		}
		if b.Segments == 0 {
			t.Fatalf("after %d puts: no bleve segment: %+v", i+1, b)
		}
	}
	if _, g := stats(); g.Merges < 3 || g.MergedSegments < 3*mergeFactor {
		t.Fatalf("after %d puts of one report each: %+v, want at least 3 merges of %d segments", puts, g, mergeFactor)
	}
}
