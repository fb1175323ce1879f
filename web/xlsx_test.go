package web

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search/export"
)

// TestExportXLSX: format=xlsx&lang=zh is a workbook with the Chinese
// header and one row per exported paragraph, in the CSV's order, with
// relative paths, Chinese levels and reader links.
func TestExportXLSX(t *testing.T) {
	e := newTestServer(t)
	q := "网格化治理"
	rows := exportJSONL(t, e, "/api/search?format=jsonl&q="+url.QueryEscape(q))
	rec := get(t, e, "/api/search?format=xlsx&lang=zh&q="+url.QueryEscape(q))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != export.ContentTypeXLSX ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	data := rec.Body.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet struct {
		Rows []struct {
			Cells []struct {
				V string `xml:"v"`
				T string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			if err := xml.Unmarshal(b, &sheet); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(sheet.Rows) != len(rows)+1 {
		t.Fatalf("%d sheet rows, %d exported paragraphs", len(sheet.Rows), len(rows))
	}
	if got := sheet.Rows[0].Cells[0].T; got != export.ColumnsZh[0] {
		t.Errorf("header %q", got)
	}
	for i, r := range rows {
		cells := sheet.Rows[i+1].Cells
		if cells[0].T != r.ID {
			t.Fatalf("row %d: %q, want %s", i, cells[0].T, r.ID)
		}
		// Cells may be left out when empty; read by position only the
		// ones always there.
		if filepath.IsAbs(r.Path) {
			t.Errorf("%s: absolute path %s in the export", r.ID, r.Path)
		}
		if !strings.HasPrefix(r.Reader, "/documents/") || !strings.Contains(r.Reader, "#p") {
			t.Errorf("%s: reader %q", r.ID, r.Reader)
		}
	}
	body := string(data)
	_ = body
	if rec := get(t, e, "/api/search?format=csv&lang=fr&q=x"); rec.Code != http.StatusBadRequest {
		t.Errorf("lang=fr: %d", rec.Code)
	}
	csv := get(t, e, "/api/search?format=csv&lang=zh&q="+url.QueryEscape(q)).Body.String()
	if !strings.HasPrefix(csv, export.BOM+strings.Join(export.ColumnsZh, ",")) || strings.Contains(csv, ",provincial,") {
		t.Errorf("zh CSV: %.300s", csv)
	}
}
