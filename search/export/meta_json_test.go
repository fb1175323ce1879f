package export

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reportsearch/internal/golden"
	"testing"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// The JSON of the values that carry a report's metadata (a hit, a group
// of hits, an exported row, a concordance line), full and empty, is the
// API's and the exports' contract: field names, order, and which empty
// fields are written. testdata/meta.golden is it, byte for byte, to be
// read (regenerate with -update only for a change meant to be seen).
func TestMetaJSONGolden(t *testing.T) {
	full := func() (search.Hit, search.DocGroup, search.Row, workbench.Line) {
		var h search.Hit
		h.ID, h.DocID, h.Title, h.Path = "d1-3", "d1", "2026年山东省政府工作报告", "reports/山东.txt"
		h.Year, h.Region, h.Level, h.Organization, h.DocType = 2026, "山东省", "provincial", "山东省人民政府", "政府工作报告"
		h.Paragraph, h.Section, h.Text, h.Highlight, h.Score = 3, "一、回顾", "网格化治理<全面>推进", "<mark>网格化治理</mark>", 1.5
		var g search.DocGroup
		g.DocID, g.Title, g.Path = h.DocID, h.Title, h.Path
		g.Year, g.Region, g.Level, g.Organization, g.DocType = h.Year, h.Region, h.Level, h.Organization, h.DocType
		g.Count, g.Hits = 2, []search.Hit{h}
		var r search.Row
		r.ID, r.DocID, r.Title, r.Path = h.ID, h.DocID, h.Title, h.Path
		r.Year, r.Region, r.Level, r.Organization, r.DocType = h.Year, h.Region, h.Level, h.Organization, h.DocType
		r.Paragraph, r.Section, r.Text, r.Reader = h.Paragraph, h.Section, h.Text, "/documents/d1?q=x#p3"
		var l workbench.Line
		l.Left, l.Match, l.Right, l.Term, l.Offset = "全面", "网格化治理", "推进", "网格化治理", 2
		l.DocID, l.Title, l.Path = h.DocID, h.Title, h.Path
		l.Year, l.Region, l.Level, l.Organization, l.DocType = h.Year, h.Region, h.Level, h.Organization, h.DocType
		l.Paragraph, l.Section, l.Reader = h.Paragraph, h.Section, r.Reader
		return h, g, r, l
	}
	h, g, r, l := full()
	var buf bytes.Buffer
	for _, v := range []struct {
		name string
		v    any
	}{
		{"hit", h}, {"group", g}, {"row", r}, {"line", l},
		{"empty hit", search.Hit{}}, {"empty group", search.DocGroup{}}, {"empty row", search.Row{}}, {"empty line", workbench.Line{}},
	} {
		data, err := json.Marshal(v.v)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString(v.name + ": " + string(data) + "\n")
	}
	// The JSON Lines export writes rows the same way.
	var jl bytes.Buffer
	rw := NewRowWriter(&jl, JSONL)
	if err := rw.Write(r); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("jsonl row: " + jl.String())
	golden.Check(t, filepath.Join("testdata", "meta.golden"), buf.Bytes(), "JSON")
}
