package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
)

// xlsxCell is a cell as encoding/xml reads the sheet.
type xlsxCell struct {
	Ref    string `xml:"r,attr"`
	Type   string `xml:"t,attr"`
	Style  string `xml:"s,attr"`
	Value  string `xml:"v"`
	Inline string `xml:"is>t"`
}

type xlsxSheet struct {
	Rows []struct {
		N     string     `xml:"r,attr"`
		Cells []xlsxCell `xml:"c"`
	} `xml:"sheetData>row"`
}

// readXLSX opens a package with archive/zip, checks its parts are
// well-formed XML, and returns the sheet's cells by reference.
func readXLSX(t *testing.T, data []byte) map[string]xlsxCell {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = b
		var v any
		if err := xml.Unmarshal(b, &v); err != nil && err != io.EOF {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err != nil {
					if err != io.EOF {
						t.Fatalf("%s is not well-formed: %v", f.Name, err)
					}
					break
				}
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"} {
		if _, ok := parts[name]; !ok {
			t.Fatalf("no %s", name)
		}
	}
	var sheet xlsxSheet
	if err := xml.Unmarshal(parts["xl/worksheets/sheet1.xml"], &sheet); err != nil {
		t.Fatal(err)
	}
	cells := map[string]xlsxCell{}
	for _, r := range sheet.Rows {
		for _, c := range r.Cells {
			cells[c.Ref] = c
		}
	}
	return cells
}

var hostile = search.Row{ID: "b-3", DocID: "b", Title: "=HYPERLINK(\"http://x\")", Meta: search.Meta{Year: 2011, Level: "provincial"},
	Paragraph: 3, Text: "--我们要<b>&\"'\x01控制字符", Section: "@SUM(A1)"}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	w := NewRowWriterOptions(&buf, XLSX, Options{Query: "网格化治理"})
	for _, r := range append(rows, hostile) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	cells := readXLSX(t, buf.Bytes())
	for i, col := range Columns {
		if c := cells[column(i)+"1"]; c.Inline != col || c.Type != "inlineStr" {
			t.Errorf("header %s: %+v, want %s", column(i), c, col)
		}
	}
	if c := cells["C2"]; c.Inline != "2022年政府工作报告" {
		t.Errorf("C2 %+v", c)
	}
	if c := cells["D2"]; c.Type != "" || c.Value != "2022" {
		t.Errorf("year is not a number: %+v", c)
	}
	if c := cells["L2"]; c.Inline != `含"引号",逗号和<标签>` {
		t.Errorf("L2 %+v", c)
	}
	if c := cells["M2"]; c.Inline != "/documents/a?q=%E7%BD%91%E6%A0%BC%E5%8C%96%E6%B2%BB%E7%90%86#p1" {
		t.Errorf("reader %+v", c)
	}
	if c := cells["N2"]; c.Type != "" || c.Value != "3.2125" {
		t.Errorf("score is not a number: %+v", c)
	}
	if c, ok := cells["N3"]; ok {
		t.Errorf("a row without a score has a score cell: %+v", c)
	}
	if c := cells["L3"]; c.Inline != "第二行\n换行" {
		t.Errorf("newline lost: %+v", c)
	}
	// Formula-like text keeps its characters and gets the quotePrefix
	// format; the control character XML cannot hold becomes U+FFFD.
	if c := cells["C4"]; c.Inline != hostile.Title || c.Style != "1" {
		t.Errorf("title %+v", c)
	}
	if c := cells["K4"]; c.Inline != hostile.Section || c.Style != "1" {
		t.Errorf("section %+v", c)
	}
	if c := cells["L4"]; c.Inline != "--我们要<b>&\"'\uFFFD控制字符" || c.Style != "1" {
		t.Errorf("text %+v", c)
	}
	if c := cells["B4"]; c.Style != "" {
		t.Errorf("plain cell styled: %+v", c)
	}

	// An empty export is a valid workbook with its header.
	buf.Reset()
	w = NewRowWriterOptions(&buf, XLSX, Options{Lang: "zh"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if c := readXLSX(t, buf.Bytes())["F1"]; c.Inline != "层级" {
		t.Errorf("zh header F1 %+v", c)
	}
}

func TestChineseCSV(t *testing.T) {
	var buf bytes.Buffer
	w := NewRowWriterOptions(&buf, CSV, Options{Lang: "zh"})
	w.Write(rows[0])
	w.Close()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(ColumnsZh, ",") || recs[1][5] != "省级" {
		t.Errorf("zh: %q", recs)
	}
}

func TestColumnLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := column(i); got != want {
			t.Errorf("column(%d) = %s, want %s", i, got, want)
		}
	}
}

// TestXLSXLibreOffice converts the workbook back to CSV with LibreOffice,
// when it is installed, and compares the cells.
func TestXLSXLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if soffice, err = exec.LookPath("libreoffice"); err != nil {
			t.Skip("LibreOffice is not installed")
		}
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	w := NewRowWriter(&buf, XLSX)
	for _, r := range append(rows, hostile) {
		w.Write(r)
	}
	w.Close()
	in := filepath.Join(dir, "export.xlsx")
	os.WriteFile(in, buf.Bytes(), 0o644)
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil {
		// Is Calc there at all? A one-cell CSV it cannot load either
		// means LibreOffice without its spreadsheet (Writer only).
		probe := filepath.Join(dir, "probe.csv")
		os.WriteFile(probe, []byte("a,b\n1,2\n"), 0o644)
		exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "xlsx", "--outdir", dir, probe).Run()
		if _, perr := os.Stat(filepath.Join(dir, "probe.xlsx")); perr != nil {
			t.Skipf("LibreOffice cannot load spreadsheets here (no Calc?): %s", out)
		}
		t.Fatalf("%v; soffice said: %s", err, out)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != strings.Join(Columns, ",") {
		t.Fatalf("LibreOffice read %q", recs)
	}
	if recs[1][2] != "2022年政府工作报告" || recs[1][3] != "2022" || recs[3][2] != hostile.Title || !strings.HasPrefix(recs[3][11], "--我们要") {
		t.Errorf("LibreOffice read %q", recs)
	}
}
