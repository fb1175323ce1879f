package extract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// pdftotextPath is the pdftotext command, looked up on PATH. Tests replace
// it to simulate a machine without poppler-utils.
var pdftotextPath = "pdftotext"

// pdfNeedsPoppler is the skip reason when pdftotext is missing.
const pdfNeedsPoppler = "pdftotext not found: install poppler-utils (apt-get install poppler-utils)"

// extractPDF reads a PDF through poppler, which copes with the fonts,
// encodings and broken files found in the wild far better than anything
// that could be written here:
//
//   - pdftotext -bbox gives every word with its box, page by page; the
//     words are laid out into lines in reading order here (pdflayout.go:
//     lines by vertical position, columns by their gutters, spaces between
//     Han characters dropped, indents and paragraph gaps kept).
//   - Pages without a word are read by OCR when tesseract with chi_sim is
//     installed (pdfocr.go), their word boxes laid out the same way;
//     Document.OCR says so.
//   - Lines that repeat at the top or bottom of many pages (running headers,
//     page numbers, a masthead) and a masthead printed once on the first
//     page are marked as furniture (pdfpages.go), so that the cleaning
//     stage drops and reports them and re-joins a sentence that a page
//     break cut.
//
// Every tool runs through runTool (timeouts, output limit, process group).
// pdftotext is asked for the first MaxPDFPages+1 pages only, so that a PDF
// over the limit is skipped at the cost of MaxPDFPages+1 pages; OCR pages
// count against the same limit.
func extractPDF(ctx context.Context, data []byte, lim *Limits) (*Document, error) {
	if _, err := exec.LookPath(pdftotextPath); err != nil {
		return nil, skipErr(err, pdfNeedsPoppler)
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

	args := []string{"-enc", "UTF-8", "-bbox", "-l", strconv.Itoa(lim.MaxPDFPages + 1), tmp.Name(), "-"}
	out, err := runTool(ctx, lim.ToolTimeout, lim.MaxToolOutput, pdftotextPath, args...)
	if err != nil {
		return nil, pdfToolError("pdftotext", err)
	}
	// Damaged bytes become U+FFFD and control characters spaces before
	// parsing: the XML decoder refuses both, and a word is worth more than
	// the file.
	text, replaced := decodeUTF8(out)
	text = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return ' '
		}
		return r
	}, text)
	pages, err := parseBBox(text)
	if err != nil {
		return nil, skipErr(err, "pdftotext wrote page boxes that cannot be read")
	}
	if len(pages) > lim.MaxPDFPages {
		return nil, overLimit("MaxPDFPages", "PDF has more than %d pages", lim.MaxPDFPages)
	}
	texts := make([][]pageLine, len(pages))
	var empty []int
	for i, p := range pages {
		texts[i] = layoutPage(p)
		if len(texts[i]) == 0 {
			empty = append(empty, i)
		}
	}
	doc := &Document{Format: FormatPDF, ReplacedBytes: replaced}
	if len(empty) > 0 {
		ocred, err := ocrPages(ctx, tmp.Name(), empty, len(pages), texts, lim)
		if err != nil {
			if len(empty) < len(pages) && isSkip(err) && !isLimit(err) {
				// A text PDF with image pages and no OCR: its text is
				// indexed.
				err = nil
			} else {
				return nil, err
			}
		}
		doc.OCR = ocred > 0
	}

	if doc.Blocks, err = pageBlocks(texts, lim); err != nil {
		return nil, err
	}
	return doc, nil
}

// pdfToolError turns a failed run of a poppler tool into the error to
// return: a skip naming the limit or the reason.
func pdfToolError(tool string, err error) error {
	var te *ToolError
	switch {
	case !errors.As(err, &te):
		return err // cancelled
	case te.Timeout > 0:
		return overLimit("ToolTimeout", "%s took longer than %s", tool, te.Timeout)
	case te.OutputLimit > 0:
		return overLimit("MaxToolOutput", "%s wrote more than %s", tool, sizeString(te.OutputLimit))
	case te.NotFound():
		return skipErr(err, "%s not found: install poppler-utils (apt-get install poppler-utils)", tool)
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return skipErr(err, "%s cannot read this PDF: %s", tool, errorLine(te.Stderr))
	}
	return fmt.Errorf("run %s: %w", tool, err)
}

func isSkip(err error) bool {
	var se *SkipError
	return errors.As(err, &se)
}

func isLimit(err error) bool {
	_, ok := asLimit(err)
	return ok
}
