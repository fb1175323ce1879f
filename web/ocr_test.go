package web

import (
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/memindex"
)

// A report read by OCR is marked in its metadata (the API) and labelled
// 识别文本 in the reader.
func TestOCRReportLabelled(t *testing.T) {
	ix, err := memindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	err = ix.Put(search.ReportData{Report: search.Report{ID: "scan", Title: "扫描的报告", Path: "scan.pdf", Format: "pdf", OCR: true},
		Paragraphs: []search.Paragraph{{Text: "经识别的正文。"}}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)), testHosts)
	if err != nil {
		t.Fatal(err)
	}
	api := get(t, e, "/api/documents/scan")
	if api.Code != http.StatusOK || !strings.Contains(api.Body.String(), `"ocr":true`) {
		t.Errorf("API: %d %s", api.Code, api.Body)
	}
	page := get(t, e, "/documents/scan")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "识别文本") {
		t.Errorf("reader: %d, no 识别文本 label", page.Code)
	}
}
