package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"reportsearch/internal/fixtures"
)

func TestPDF(t *testing.T) {
	requirePDFToText(t)
	data := pdfFile("Government Work Report", "Delivered at the Second Session (2024)")
	tests := []struct {
		name string
		data []byte
	}{
		{"pdf", data},
		{"junk before header", append([]byte("\r\n"), data...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "report.pdf", tt.data)
			if doc.Format != FormatPDF || doc.Encoding != "" {
				t.Errorf("Format, Encoding = %q, %q", doc.Format, doc.Encoding)
			}
			checkBlocks(t, doc.Blocks, []Block{
				b0("Government Work Report"),
				b0("Delivered at the Second Session (2024)"),
			})
		})
	}
}

func TestPDFSkips(t *testing.T) {
	requirePDFToText(t)
	t.Run("no text", func(t *testing.T) {
		wantSkip(t, "scan.pdf", pdfFile(), "no extractable text")
	})
	t.Run("corrupt", func(t *testing.T) {
		wantSkip(t, "broken.pdf", []byte("%PDF-1.4\nthis is not a PDF body\n"), "pdftotext cannot read")
	})
	t.Run("truncated", func(t *testing.T) {
		data := pdfFile("Some text")
		wantSkip(t, "cut.pdf", data[:bytes.Index(data, []byte("stream"))])
	})
}

func TestPDFWithoutPdftotext(t *testing.T) {
	saved := pdftotextPath
	t.Cleanup(func() { pdftotextPath = saved })
	pdftotextPath = "/nonexistent/bin/pdftotext"

	skip := wantSkip(t, "report.pdf", pdfFile("text"), "pdftotext not found", "poppler-utils")
	if skip.Err == nil {
		t.Error("SkipError should wrap the lookup error")
	}
}

func TestPDFPageLimit(t *testing.T) {
	requirePDFToText(t)
	lim := Limits{MaxPDFPages: 3}
	doc, err := ExtractWith(context.Background(), "three.pdf", fixtures.PDFPages(3, "Page text"), lim)
	if err != nil || len(doc.Blocks) != 3 {
		t.Fatalf("3 pages under a limit of 3: %v", err)
	}
	for _, b := range doc.Blocks {
		if strings.ContainsRune(b.Text, '\f') || b.Text != "Page text" {
			t.Errorf("block %q", b.Text)
		}
	}
	// pdftotext stops at the page after the limit: a PDF of 5,000 pages
	// costs four.
	wantLimit(t, "long.pdf", fixtures.PDFPages(5000, "Page text"), lim, "MaxPDFPages", 5*time.Second)
}
