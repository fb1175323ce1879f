package extract

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format names reported in Document.Format.
const (
	FormatText     = "text"
	FormatHTML     = "html"
	FormatDOCX     = "docx"
	FormatPDF      = "pdf"
	FormatMarkdown = "markdown"
)

// Encoding names reported in Document.Encoding for the text based formats.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF8BOM = "utf-8-bom"
	EncodingGB18030 = "gb18030"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
)

// DefaultMaxFileSize is the default value of MaxFileSize (50 MiB).
const DefaultMaxFileSize = 50 << 20

// MaxFileSize is the largest input Extract accepts. Larger files are skipped
// rather than processed: a report is rarely more than a few MiB, so anything
// much bigger is almost certainly not a report, and parsing it (HTML DOM,
// unzipped XML, pdftotext output) would cost several times its size in memory.
// It is meant to be set once at start-up, before any call to Extract.
var MaxFileSize int64 = DefaultMaxFileSize

// Block is one paragraph-sized unit of text, in reading order.
type Block struct {
	// Text is the displayed text of the block: one paragraph or line, with no
	// newline inside. A table row is one block whose non-empty cells are
	// joined by " | ".
	Text string
	// Heading is 0 for body text and 1..6 for a heading whose level is stated
	// by the format itself (HTML h1-h6, DOCX heading/title styles or outline
	// levels, Markdown #). Headings guessed from wording (第一部分, 一、...) are
	// left to a later stage, so plain text and PDF always give 0.
	Heading int
	// AfterBlank is set, for plain text and PDF, on a line that follows a
	// blank line: where a text separates paragraphs by blank lines, the
	// lines between them belong together.
	AfterBlank bool
}

// Document is the result of extracting one file.
type Document struct {
	// Format is the format detected from the content: FormatText, FormatHTML,
	// FormatDOCX, FormatPDF or FormatMarkdown.
	Format string
	// Encoding is the source encoding detected for text, Markdown and HTML
	// (one of the Encoding* constants); "" for DOCX and PDF.
	Encoding string
	// Title is the title carried by the format (HTML <title>, og:title or the
	// first h1; DOCX dc:title or the first Title/Heading 1 paragraph; Markdown
	// front matter title or first # heading), or "" when there is none.
	Title string
	// Blocks are the text blocks in reading order; never empty on success.
	Blocks []Block
}

// SkipError reports a file that cannot be used for indexing: the caller
// should log Reason and move on to the next file. Any other error returned by
// Extract is an environment problem (for instance no space for a temporary
// file), not a property of the file.
type SkipError struct {
	Name   string // file name as given to Extract
	Reason string // human-readable reason, e.g. "empty file"
	Err    error  // underlying error, if any
}

func (e *SkipError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("extract %s: skipped: %s: %v", e.Name, e.Reason, e.Err)
	}
	return fmt.Sprintf("extract %s: skipped: %s", e.Name, e.Reason)
}

func (e *SkipError) Unwrap() error { return e.Err }

// skipf builds a *SkipError; the name is filled in by Extract.
func skipf(format string, args ...any) *SkipError {
	return &SkipError{Reason: fmt.Sprintf(format, args...)}
}

// skipErr builds a *SkipError carrying an underlying error.
func skipErr(err error, format string, args ...any) *SkipError {
	return &SkipError{Reason: fmt.Sprintf(format, args...), Err: err}
}

// Extract turns the bytes of one report file into a Document.
//
// The format is detected from the content (magic bytes, then text sniffing);
// name is only used for its extension, as a hint where the content is
// ambiguous (Markdown versus plain text, naming an unsupported legacy Office
// file) and in error messages. Files that cannot be used give a *SkipError:
// empty, larger than MaxFileSize, binary, unsupported format, corrupt DOCX,
// pdftotext missing, or no text at all.
func Extract(name string, data []byte) (*Document, error) {
	doc, err := extract(name, data)
	if err != nil {
		var skip *SkipError
		if errors.As(err, &skip) {
			if skip.Name == "" {
				skip.Name = name
			}
			return nil, skip
		}
		return nil, fmt.Errorf("extract %s: %w", name, err)
	}
	doc.Blocks = finishBlocks(doc.Blocks)
	doc.Title = cleanTitle(doc.Title)
	if len(doc.Blocks) == 0 {
		reason := "no text content"
		if doc.Format == FormatPDF {
			reason = "PDF has no extractable text (scanned images need OCR)"
		}
		return nil, &SkipError{Name: name, Reason: reason}
	}
	return doc, nil
}

func extract(name string, data []byte) (*Document, error) {
	if len(data) == 0 {
		return nil, skipf("empty file")
	}
	if int64(len(data)) > MaxFileSize {
		return nil, skipf("file too large: %d bytes, limit is %d", len(data), MaxFileSize)
	}
	switch kind := sniff(name, data); kind.format {
	case FormatPDF:
		return extractPDF(data)
	case FormatDOCX:
		return extractDOCX(data)
	case FormatHTML:
		return extractHTML(data)
	case FormatMarkdown:
		return extractMarkdown(data)
	case FormatText:
		return extractText(data)
	case FormatRTF:
		return extractRTF(data)
	case FormatODT:
		return extractODT(data)
	case FormatOFD:
		return extractOFD(data)
	case FormatDOC, FormatWPS:
		return extractOffice(data, kind.format)
	default:
		return nil, kind.skip
	}
}

// finishBlocks is the last, format-independent pass: it guarantees the
// invariants promised by Block (valid UTF-8, no line breaks or other control
// characters except tab, heading level within 0..6) and drops blocks that are
// only whitespace.
func finishBlocks(blocks []Block) []Block {
	out := blocks[:0]
	for _, b := range blocks {
		b.Text = cleanBlockText(b.Text)
		if strings.TrimFunc(b.Text, unicode.IsSpace) == "" {
			continue
		}
		b.Heading = min(max(b.Heading, 0), 6)
		out = append(out, b)
	}
	return out
}

// cleanBlockText replaces line separators with spaces and removes the other
// control characters (NUL, ESC, C1 controls...), which have no place in
// displayed text, keeping tabs.
func cleanBlockText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	clean := true
	for _, r := range s {
		if isControl(r) || isLineBreak(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		switch {
		case isLineBreak(r):
			sb.WriteByte(' ')
		case isControl(r):
			// dropped
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// cleanTitle makes a title a single line of text.
func cleanTitle(s string) string {
	s = cleanBlockText(s)
	s = strings.Join(strings.Fields(s), " ")
	return s
}

// isLineBreak reports the characters that end a line.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isControl reports control characters other than tab and line breaks.
func isControl(r rune) bool {
	if r == '\t' || isLineBreak(r) {
		return false
	}
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfeff
}
