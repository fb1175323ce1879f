package extract

import (
	"context"
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
	// Furniture names the rule under which the reader found the block to
	// be page furniture (FurnitureRunningHeader, FurnitureRunningFooter,
	// FurniturePageNumber: PDF lines repeated at the edges of pages); ""
	// for text. The cleaning stage drops and reports such blocks.
	Furniture string
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
	// None is longer than Limits.MaxParagraphChars characters.
	Blocks []Block
	// ReplacedBytes counts the bytes of a text, Markdown or HTML file (or
	// of pdftotext's output) that were not valid in its encoding: each run
	// of them became one U+FFFD, so that a damaged byte costs one
	// character instead of the file.
	ReplacedBytes int
	// OCR is set when some of the text was read by OCR from page images (a
	// scanned PDF): exact search may miss a word in it.
	OCR bool
}

// SkipError reports a file that cannot be used for indexing: the caller
// should log Reason and move on to the next file. Any other error returned by
// Extract is an environment problem (for instance no space for a temporary
// file), not a property of the file.
type SkipError struct {
	Name   string // file name as given to Extract
	Reason string // human-readable reason, e.g. "empty file"
	Limit  string // the Limits field that was exceeded, if that is the reason
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

// Extract turns the bytes of one report file into a Document, within the
// default Limits; see ExtractWith.
func Extract(name string, data []byte) (*Document, error) {
	return ExtractWith(context.Background(), name, data, Limits{})
}

// ExtractWith turns the bytes of one report file into a Document.
//
// The format is detected from the content (magic bytes, then text sniffing);
// name is only used for its extension, as a hint where the content is
// ambiguous (Markdown versus plain text, naming an unsupported legacy Office
// file) and in error messages. Files that cannot be used give a *SkipError:
// empty, binary, unsupported format, corrupt DOCX, pdftotext missing, no
// text at all, or over one of the limits (lim, zero fields meaning their
// defaults). ctx cancels external tools.
func ExtractWith(ctx context.Context, name string, data []byte, lim Limits) (*Document, error) {
	lim = lim.WithDefaults()
	if ctx.Value(ocrProgressKey{}) != nil {
		ctx = context.WithValue(ctx, ocrNameKey{}, name)
	}
	doc, err := extract(ctx, name, data, &lim)
	if err == nil {
		doc.Blocks, err = finishBlocks(doc.Blocks, &lim)
	}
	if err != nil {
		if le, ok := asLimit(err); ok {
			return nil, &SkipError{Name: name, Reason: le.reason, Limit: le.limit}
		}
		var skip *SkipError
		if errors.As(err, &skip) {
			if skip.Name == "" {
				skip.Name = name
			}
			return nil, skip
		}
		return nil, fmt.Errorf("extract %s: %w", name, err)
	}
	doc.Title = cleanTitle(doc.Title, lim.MaxParagraphChars)
	if len(doc.Blocks) == 0 {
		reason := "no text content"
		switch {
		case doc.Format == FormatPDF && doc.OCR:
			reason = "PDF has no extractable text, and OCR found none in its page images"
		case doc.Format == FormatPDF:
			reason = "PDF has no extractable text (and no page images to read by OCR)"
		}
		return nil, &SkipError{Name: name, Reason: reason}
	}
	return doc, nil
}

func extract(ctx context.Context, name string, data []byte, lim *Limits) (*Document, error) {
	if len(data) == 0 {
		return nil, skipf("empty file")
	}
	if int64(len(data)) > lim.MaxFileSize {
		return nil, tooLarge(lim.MaxFileSize)
	}
	switch kind := sniff(name, data, lim); kind.format {
	case FormatPDF:
		return extractPDF(ctx, data, lim)
	case FormatDOCX:
		return extractDOCX(kind.zip, lim)
	case FormatHTML:
		return extractHTML(data, lim)
	case FormatMarkdown:
		return extractMarkdown(data, lim)
	case FormatText:
		return extractText(data, lim)
	case FormatRTF:
		return extractRTF(data)
	case FormatODT:
		return extractODT(data, lim)
	case FormatOFD:
		return extractOFD(data, lim)
	case FormatDOC, FormatWPS:
		return extractOffice(ctx, data, kind.format, lim)
	default:
		return nil, kind.skip
	}
}

// tooLarge is the error for a file over MaxFileSize.
func tooLarge(max int64) *limitError {
	return overLimit("MaxFileSize", "file too large: over %s", sizeString(max))
}

// TooLarge returns the *SkipError for a file larger than lim.MaxFileSize,
// for readers that find out before the data reaches Extract.
func TooLarge(name string, lim Limits) *SkipError {
	le := tooLarge(lim.WithDefaults().MaxFileSize)
	return &SkipError{Name: name, Reason: le.reason, Limit: le.limit}
}

// finishBlocks is the last, format-independent pass: it guarantees the
// invariants promised by Block (valid UTF-8, no line breaks or other control
// characters except tab, heading level within 0..6, at most
// MaxParagraphChars characters, splitting longer ones) and drops blocks
// that are only whitespace. More than MaxParagraphs blocks is an error.
func finishBlocks(blocks []Block, lim *Limits) ([]Block, error) {
	out := blocks[:0] // filtered in place, unless a block is split
	for _, b := range blocks {
		if len(b.Text) > lim.MaxParagraphChars { // bytes: a bound on characters
			out = make([]Block, 0, len(blocks)+16)
			break
		}
	}
	for _, b := range blocks {
		b.Text = cleanBlockText(b.Text)
		if strings.TrimFunc(b.Text, unicode.IsSpace) == "" {
			continue
		}
		b.Heading = min(max(b.Heading, 0), 6)
		for i, part := range SplitParagraph(b.Text, lim.MaxParagraphChars) {
			b.Text = part
			b.AfterBlank = b.AfterBlank && i == 0
			out = append(out, b)
		}
		if len(out) > lim.MaxParagraphs {
			return nil, tooManyParagraphs(lim.MaxParagraphs)
		}
	}
	return out, nil
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

// cleanTitle makes a title a single line of text of at most maxChars
// characters.
func cleanTitle(s string, maxChars int) string {
	s = cleanBlockText(s)
	s = strings.Join(strings.Fields(s), " ")
	return SplitParagraph(s, maxChars)[0]
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
