package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"reportsearch/search"
)

var rows = []search.Row{
	{ID: "a-1", DocID: "a", Title: "2022年政府工作报告", Meta: search.Meta{Year: 2022, Region: "山东省", Level: "provincial",
		Organization: "山东省人民政府", DocType: "政府工作报告"}, Path: "p/a.txt", Paragraph: 1, Section: "一、总体要求", Text: `含"引号",逗号和<标签>`},
	{ID: "a-2", DocID: "a", Title: "T", Meta: search.Meta{Year: 0}, Paragraph: 2, Text: "第二行\n换行"},
}

func TestCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewRowWriter(&buf, CSV)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(buf.String(), BOM)
	if !ok {
		t.Fatal("no BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{Columns,
		{"a-1", "a", "2022年政府工作报告", "2022", "山东省", "provincial", "山东省人民政府", "政府工作报告", "p/a.txt", "1", "一、总体要求", `含"引号",逗号和<标签>`, "", "3.2125"},
		{"a-2", "a", "T", "0", "", "", "", "", "", "2", "", "第二行\n换行", "", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records", len(recs))
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d: %q, want %q", i, recs[i], want[i])
		}
	}
}

func TestJSONLAndEmpty(t *testing.T) {
	var buf bytes.Buffer
	w := NewRowWriter(&buf, JSONL)
	for _, r := range rows {
		w.Write(r)
	}
	w.Close()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"text":"含\"引号\",逗号和<标签>"`) {
		t.Fatalf("jsonl %q", buf.String())
	}
	// The score is a number where the order is by relevance, absent
	// otherwise.
	if !strings.Contains(lines[0], `"score":3.2125`) || strings.Contains(lines[1], `"score"`) {
		t.Errorf("jsonl scores: %q", buf.String())
	}
	var r search.Row
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil || r != rows[1] {
		t.Errorf("line 2: %+v %v", r, err)
	}
	// Nothing is written before the first row; Close writes an empty
	// file's header.
	buf.Reset()
	w = NewRowWriter(&buf, CSV)
	if buf.Len() != 0 {
		t.Error("bytes written before the first row")
	}
	w.Close()
	if buf.String() != BOM+strings.Join(Columns, ",")+"\n" {
		t.Errorf("empty csv %q", buf.String())
	}
	buf.Reset()
	w = NewRowWriter(&buf, JSONL)
	w.Close()
	if buf.Len() != 0 {
		t.Errorf("empty jsonl %q", buf.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
		bad  bool
	}{{"", JSON, false}, {"csv", CSV, false}, {"jsonl", JSONL, false}, {"xml", "", true}, {"CSV", "", true}} {
		got, err := ParseFormat(tc.in, JSON, CSV, JSONL)
		if got != tc.want || tc.bad != search.IsBadRequest(err) {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
		}
	}
	if _, err := ParseFormat("jsonl", JSON, CSV); !search.IsBadRequest(err) {
		t.Error("a format not allowed here must be refused")
	}
}

func TestTrendsCSV(t *testing.T) {
	tr := &search.TrendsResponse{By: "year", Series: []search.TrendSeries{{Query: "城市更新", Total: 3, Points: []search.TrendPoint{
		{Value: 2021, Paragraphs: 0, Reports: 0, Chars: 100},
		{Value: 2022, Paragraphs: 3, Reports: 2, Chars: 40000, Rate: 0.75},
	}}}}
	var buf bytes.Buffer
	if err := WriteTrendsCSV(&buf, tr); err != nil {
		t.Fatal(err)
	}
	want := BOM + "query,by,value,paragraphs,reports,chars,rate\n城市更新,year,2021,0,0,100,0\n城市更新,year,2022,3,2,40000,0.75\n"
	if buf.String() != want {
		t.Errorf("trends csv %q, want %q", buf.String(), want)
	}
}

// Every cell a spreadsheet would evaluate starts with an apostrophe in
// CSV, whichever column it is in; JSON Lines keep the text.
func TestCSVCellsAreNeverFormulas(t *testing.T) {
	risky := []string{"=1+1", "+86", "-5%", "--我们要", "@SUM(A1)", "\tx", "\rx"}
	var buf bytes.Buffer
	w := NewRowWriter(&buf, CSV)
	for _, s := range risky {
		if err := w.Write(search.Row{ID: s, Title: s, Meta: search.Meta{Region: s}, Section: s, Text: s}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs[1:] {
		for j, cell := range rec {
			if cell == "" || cell == "0" {
				continue
			}
			if strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d column %s: %q can be a formula", i, Columns[j], cell)
			}
			if cell != "'"+risky[i] {
				t.Errorf("row %d column %s: %q, want %q", i, Columns[j], cell, "'"+risky[i])
			}
		}
	}
	for _, s := range []string{"我们要", "2022", "a=b"} {
		if SafeCell(s) != s {
			t.Errorf("SafeCell(%q) = %q", s, SafeCell(s))
		}
	}
	buf.Reset()
	w = NewRowWriter(&buf, JSONL)
	if err := w.Write(search.Row{Text: "--我们要"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if !strings.Contains(buf.String(), `"text":"--我们要"`) {
		t.Errorf("JSONL changed the text: %s", buf.String())
	}
}

func scorePtr(f float64) *float64 { return &f }

// The first row is in relevance order (it has a score), the second not.
func init() { rows[0].Score = scorePtr(3.2125) }
