package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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

// extractPDF runs poppler's pdftotext, which copes with the fonts, encodings
// and broken files found in the wild far better than anything that could be
// written here (see pdfModeArgs for the mode). Lines become blocks as for
// plain text; joining lines broken by the page width is left to a later
// stage.
//
// pdftotext runs through runTool (timeout ToolTimeout, output at most
// MaxToolOutput, killed with its process group) and is asked for the first
// MaxPDFPages+1 pages only; it ends every page with a form feed, so that
// counting them tells a PDF over the limit, which is skipped. The form
// feeds are removed, as -nopgbrk would.
func extractPDF(ctx context.Context, data []byte, lim *Limits) (*Document, error) {
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

	args := append([]string{"-enc", "UTF-8", "-l", strconv.Itoa(lim.MaxPDFPages + 1)}, pdfModeArgs...)
	out, err := runTool(ctx, lim.ToolTimeout, lim.MaxToolOutput, pdftotextPath, append(args, tmp.Name(), "-")...)
	if err != nil {
		var te *ToolError
		switch {
		case !errors.As(err, &te):
			return nil, err // cancelled
		case te.Timeout > 0:
			return nil, overLimit("ToolTimeout", "pdftotext took longer than %s", te.Timeout)
		case te.OutputLimit > 0:
			return nil, overLimit("MaxToolOutput", "pdftotext wrote more than %s", sizeString(te.OutputLimit))
		case te.NotFound():
			return nil, skipErr(err, "pdftotext not found: install poppler-utils (apt-get install poppler-utils)")
		}
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, skipErr(err, "pdftotext cannot read this PDF: %s", errorLine(te.Stderr))
		}
		return nil, fmt.Errorf("run pdftotext: %w", err)
	}
	if pages := bytes.Count(out, []byte{'\f'}); pages > lim.MaxPDFPages {
		return nil, overLimit("MaxPDFPages", "PDF has more than %d pages", lim.MaxPDFPages)
	}
	out = bytes.ReplaceAll(out, []byte{'\f'}, nil)
	text, replaced := decodeUTF8(out)
	blocks, err := lineBlocks(text, lim.MaxParagraphs)
	if err != nil {
		return nil, err
	}
	return &Document{Format: FormatPDF, Blocks: blocks, ReplacedBytes: replaced}, nil
}
