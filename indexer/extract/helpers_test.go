package extract

import (
	"errors"
	"fmt"
	"reflect"
	"reportsearch/internal/fixtures"
	"strings"
	"testing"
)

// All fixtures are generated here, in Go: no binary test files.

// Fixture builders live in internal/fixtures.
func gbk(t testing.TB, s string) []byte             { return fixtures.GBK(t, s) }
func utf16LE(t testing.TB, s string) []byte         { return fixtures.UTF16LE(t, s) }
func utf16BE(t testing.TB, s string) []byte         { return fixtures.UTF16BE(t, s) }
func zipFiles(t testing.TB, files ...string) []byte { return fixtures.Zip(t, files...) }
func docxFile(t testing.TB, body, styles, title string) []byte {
	return fixtures.DOCX(t, body, styles, title)
}
func para(style string, runs ...string) string { return fixtures.DOCXPara(style, runs...) }
func pdfFile(lines ...string) []byte           { return fixtures.PDF(lines...) }

// requirePDFToText skips a test when pdftotext is not installed (fails it
// under CI=true, where .ci/run installs it); with RequireTesseract, the
// only allowed skips in this package's tests.
func requirePDFToText(t *testing.T) {
	t.Helper()
	fixtures.Require(t, "pdftotext", "poppler-utils")
}

// mustExtract runs Extract and fails the test on error.
func mustExtract(t *testing.T, name string, data []byte) *Document {
	t.Helper()
	doc, err := Extract(name, data)
	if err != nil {
		t.Fatalf("Extract(%q): %v", name, err)
	}
	return doc
}

// wantSkip runs Extract and checks it returns a *SkipError whose reason
// contains each of the given substrings.
func wantSkip(t *testing.T, name string, data []byte, substrings ...string) *SkipError {
	t.Helper()
	doc, err := Extract(name, data)
	var skip *SkipError
	if !errors.As(err, &skip) {
		t.Fatalf("Extract(%q) = %+v, %v; want *SkipError", name, doc, err)
	}
	if skip.Name != name {
		t.Errorf("SkipError.Name = %q, want %q", skip.Name, name)
	}
	for _, s := range substrings {
		if !strings.Contains(skip.Reason, s) {
			t.Errorf("SkipError.Reason = %q, want it to contain %q", skip.Reason, s)
		}
	}
	return skip
}

// checkBlocks compares blocks with the expected list, text and heading
// level only (TestLineBlocksAfterBlank checks AfterBlank).
func checkBlocks(t *testing.T, got, want []Block) {
	t.Helper()
	plain := make([]Block, len(got))
	for i, b := range got {
		plain[i] = Block{Text: b.Text, Heading: b.Heading}
	}
	if reflect.DeepEqual(plain, want) {
		return
	}
	t.Errorf("blocks differ:\n got: %s\nwant: %s", formatBlocks(got), formatBlocks(want))
}

func formatBlocks(blocks []Block) string {
	var sb strings.Builder
	for _, b := range blocks {
		fmt.Fprintf(&sb, "\n\t{%q, %d}", b.Text, b.Heading)
	}
	return sb.String()
}

// b0 and bh build expected blocks.
func b0(text string) Block            { return Block{Text: text} }
func bh(level int, text string) Block { return Block{Text: text, Heading: level} }
