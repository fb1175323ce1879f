package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
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

// extractPDF runs poppler's pdftotext, which copes with the fonts, encodings
// and broken files found in the wild far better than anything that could be
// written here. It is run in its default reading-order mode rather than
// -layout, which would pad columns with spaces and interleave multi-column
// text. Lines become blocks as for plain text; joining lines broken by the
// page width is left to a later stage.
func extractPDF(data []byte) (*Document, error) {
	bin, err := exec.LookPath(pdftotextPath)
	if err != nil {
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

	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	args := append([]string{"-enc", "UTF-8", "-nopgbrk"}, pdfModeArgs...)
	cmd := exec.CommandContext(ctx, bin, append(args, tmp.Name(), "-")...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, skipErr(ctx.Err(), "pdftotext took longer than %s", pdfTimeout)
	case err != nil:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, skipErr(err, "pdftotext cannot read this PDF: %s", errorLine(stderr.String()))
		}
		return nil, fmt.Errorf("run pdftotext: %w", err)
	}

	text := strings.ToValidUTF8(stdout.String(), "\uFFFD")
	return &Document{Format: FormatPDF, Blocks: lineBlocks(text)}, nil
}

// errorLine picks the most useful line of pdftotext's stderr for an error
// message: the first one that reports an error rather than a warning.
func errorLine(stderr string) string {
	first := ""
	for line := range strings.Lines(stderr) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.Contains(line, "Error") && !strings.Contains(line, "Warning"):
			return line
		case first == "":
			first = line
		}
	}
	if first == "" {
		return "no error message"
	}
	return first
}

// limitedWriter keeps the first n bytes written and discards the rest, so a
// PDF that makes pdftotext print millions of warnings cannot use up memory.
type limitedWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
