package bleveindex

import (
	"context"
	"path/filepath"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/searchtest"
)

// ScanFolded gives exactly the live paragraphs of the wanted reports,
// each report's together and in order, folded as the stored text folds —
// after replacements and deletions too.
func TestScanFolded(t *testing.T) {
	rds := searchtest.Corpus(t)
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	half := len(rds) / 2
	if err := ix.Put(searchtest.Clone(rds[:half])...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(searchtest.Clone(rds[half:])...); err != nil {
		t.Fatal(err)
	}
	changed := searchtest.Clone(rds[:1])[0]
	changed.Paragraphs = changed.Paragraphs[:len(changed.Paragraphs)/2+1]
	if err := ix.Put(changed); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(rds[1].Report.ID); err != nil {
		t.Fatal(err)
	}
	want := func(r *search.Report) bool { return r.ID != rds[2].Report.ID }
	got := map[string][]string{}
	last := ""
	err = ix.ScanFolded(context.Background(), want, func(r *search.Report, n int, folded []byte) error {
		if r.ID != last && got[r.ID] != nil {
			t.Fatalf("report %s's paragraphs are not together", r.ID)
		}
		last = r.ID
		if n != len(got[r.ID])+1 {
			t.Fatalf("report %s: paragraph %d after %d", r.ID, n, len(got[r.ID]))
		}
		got[r.ID] = append(got[r.ID], string(folded))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reports, _ := ix.Reports()
	for _, r := range reports {
		if !want(&r) {
			if got[r.ID] != nil {
				t.Errorf("unwanted report %s scanned", r.ID)
			}
			continue
		}
		ps, err := ix.Paragraphs(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != len(got[r.ID]) {
			t.Fatalf("report %s: %d paragraphs scanned, %d stored", r.ID, len(got[r.ID]), len(ps))
		}
		for i, p := range ps {
			if analysis.FoldString(p.Text) != got[r.ID][i] {
				t.Fatalf("report %s paragraph %d: scanned text differs", r.ID, i+1)
			}
		}
		delete(got, r.ID)
	}
	if len(got) > 0 {
		t.Errorf("scanned reports that are not live: %d", len(got))
	}
}

// ExportFolded streams Export's paragraphs in Export's order, folded.
func TestExportFolded(t *testing.T) {
	rds := searchtest.Corpus(t)
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(searchtest.Clone(rds)...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, req := range []search.Request{
		{Query: "发展", Sort: search.SortYear},
		{Query: "城市 | 乡村", Sort: search.SortRelevance},
		{Query: "改革 -开放", Mode: search.ModeLoose, Sort: search.SortYearDesc},
	} {
		var want []string
		if err := ix.Export(ctx, req, func(r search.Row) error {
			want = append(want, r.DocID+"|"+analysis.FoldString(r.Text))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := ix.ExportFolded(ctx, req, func(r *search.Report, n int, folded []byte) error {
			got = append(got, r.ID+"|"+string(folded))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%q: %d folded rows, %d exported", req.Query, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%q: row %d differs", req.Query, i)
			}
		}
	}
}
