package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// pdftotextPath is the pdftotext command, looked up on PATH. Tests replace
// it to simulate a machine without poppler-utils.
var pdftotextPath = "pdftotext"

// pdfModeArgs selects pdftotext's layout mode. Measured on a report
// printed to PDF by Chromium: the default mode put the last line of a
// paragraph before its first, -raw follows the content stream (fragile
// for other producers), -layout keeps the visual order and the first-line
// indents that the cleaning stage uses to tell a new paragraph from a
// wrapped line (all 510 sentences of a report found, against 507 with
// -raw; see indexer's TestPDFRenderedFromHTML).
var pdfModeArgs = []string{"-layout"}

// pdfTimeout bounds one pdftotext run; a PDF that takes longer is skipped.
const pdfTimeout = 60 * time.Second

// maxPDFText bounds the text kept from pdftotext; a PDF whose text is
// longer is skipped.
const maxPDFText = 64 << 20

// extractPDF runs poppler's pdftotext, which copes with the fonts, encodings
// and broken files found in the wild far better than anything that could be
// written here (see pdfModeArgs for the mode), through runTool: it is
// killed with its process group after pdfTimeout or beyond maxPDFText.
// Lines become blocks as for plain text; joining lines broken by the page
// width is left to a later stage.
func extractPDF(data []byte) (*Document, error) {
	if _, err := exec.LookPath(pdftotextPath); err != nil {
		return nil, skipErr(err, "pdftotext not found: install poppler-utils (apt-get install poppler-utils)")
	}

	// pdftotext needs a seekable file: PDFs are read from the end (xref).
	tmp, err := os.CreateTemp("", "extract-*.pdf")
	if err != nil {
		return nil, fmt.Errorf("create temporary PDF file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write temporary PDF file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("write temporary PDF file: %w", err)
	}

	args := append([]string{"-enc", "UTF-8", "-nopgbrk"}, pdfModeArgs...)
	out, err := runTool(context.Background(), pdfTimeout, maxPDFText, pdftotextPath, append(args, tmp.Name(), "-")...)
	if err != nil {
		var te *ToolError
		switch {
		case !errors.As(err, &te):
			return nil, err
		case te.Timeout > 0:
			return nil, skipErr(err, "pdftotext took longer than %s", te.Timeout)
		case te.OutputLimit > 0:
			return nil, skipErr(err, "pdftotext wrote more than %s", sizeString(te.OutputLimit))
		case te.NotFound():
			return nil, skipErr(err, "pdftotext not found: install poppler-utils (apt-get install poppler-utils)")
		}
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, skipErr(err, "pdftotext cannot read this PDF: %s", errorLine(te.Stderr))
		}
		return nil, fmt.Errorf("run pdftotext: %w", err)
	}
	text, replaced := decodeUTF8(out)
	return &Document{Format: FormatPDF, Blocks: lineBlocks(text), ReplacedBytes: replaced}, nil
}
