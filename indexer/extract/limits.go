package extract

import (
	"errors"
	"fmt"
	"time"
)

// Limits bound the work that one file may cost, so that a hostile or
// broken file (a zip bomb, a 10 MB line, a PDF of a million pages, a tool
// that never returns) is skipped quickly instead of exhausting memory or
// time. A file that exceeds a limit gives a *SkipError whose Reason names
// the limit (e.g. "... (limit MaxZipRatio)") and whose Limit field holds
// its name; nothing is truncated silently.
//
// The zero value of a field means its default (DefaultLimits), so
// Limits{} is the default set; the defaults are far above what real
// reports need (the longest report of the shared corpus has 384 lines, its
// longest line 1,255 characters).
type Limits struct {
	// MaxFileSize is the largest file accepted, in bytes: 50 MiB. Readers
	// read at most MaxFileSize+1 bytes of a file, so a device or an endless
	// stream costs no more than that.
	MaxFileSize int64
	// MaxZipMembers is the number of members a zip archive (DOCX) may
	// list in its directory: 10,000. It is checked before the directory is
	// parsed (each entry costs memory).
	MaxZipMembers int
	// MaxZipMemberSize bounds the uncompressed size of one member that is
	// read: 64 MiB. It is checked against the header before reading and
	// against the bytes actually produced while reading (headers lie).
	MaxZipMemberSize int64
	// MaxZipTotalSize bounds the uncompressed bytes read from all members
	// of one archive together: 128 MiB.
	MaxZipTotalSize int64
	// MaxZipRatio bounds the compression ratio (uncompressed/compressed
	// bytes) of a member once it has produced zipRatioFloor (1 MiB): 200.
	// Word's XML compresses 5-20 times; zip bombs 1,000 times. Members
	// that are not read (images) are not checked.
	MaxZipRatio int
	// MaxXMLDepth bounds the nesting of elements in an XML part: 256.
	// (HTML nesting is bounded by the parser at 512 open elements.)
	MaxXMLDepth int
	// MaxElements bounds the elements of a file's markup: all XML parts
	// read from a DOCX together, or the HTML DOM (the elements the parser
	// would create, including those it re-creates for misnested
	// formatting tags, counted before parsing): 1,000,000.
	MaxElements int
	// MaxParagraphs bounds the blocks of a file (paragraphs, lines of text
	// and PDF, table rows) and the paragraphs of a report after cleaning:
	// 200,000.
	MaxParagraphs int
	// MaxParagraphChars is the longest paragraph, in characters: 10,000.
	// A longer one is split, not skipped: at the last sentence end
	// (。！？；!?;) before the limit, else at the last comma or space,
	// else at the limit (see SplitParagraph).
	MaxParagraphChars int
	// MaxPDFPages bounds the pages of a PDF: 2,000. pdftotext is asked
	// for one page more, so a longer PDF costs no more than that.
	MaxPDFPages int
	// ToolTimeout bounds one run of an external program (pdftotext):
	// 60 s. The program and its children are killed when it expires.
	ToolTimeout time.Duration
	// MaxToolOutput bounds the output kept from an external program, in
	// bytes: 64 MiB; a program that writes more is killed.
	MaxToolOutput int64
	// OCRPageTimeout bounds the rendering and the OCR of one scanned PDF
	// page (each run): 60 s. A page takes 2–4 s at 200 dpi on one core.
	OCRPageTimeout time.Duration
	// OCRTimeout bounds the OCR of one PDF, all its pages: 30 min. OCR
	// pages count against MaxPDFPages like the others.
	OCRTimeout time.Duration
}

// Default values of Limits.
const (
	DefaultMaxFileSize       = 50 << 20
	DefaultMaxZipMembers     = 10_000
	DefaultMaxZipMemberSize  = 64 << 20
	DefaultMaxZipTotalSize   = 128 << 20
	DefaultMaxZipRatio       = 200
	DefaultMaxXMLDepth       = 256
	DefaultMaxElements       = 1_000_000
	DefaultMaxParagraphs     = 200_000
	DefaultMaxParagraphChars = 10_000
	DefaultMaxPDFPages       = 2_000
	DefaultToolTimeout       = 60 * time.Second
	DefaultMaxToolOutput     = 64 << 20
	DefaultOCRPageTimeout    = 60 * time.Second
	DefaultOCRTimeout        = 30 * time.Minute
)

// zipRatioFloor is the uncompressed size from which MaxZipRatio applies:
// small members (a styles part of repeated declarations) may compress
// very well without costing anything.
const zipRatioFloor = 1 << 20

// DefaultLimits returns the default limits, every field set.
func DefaultLimits() Limits { return Limits{}.WithDefaults() }

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	def64(&l.MaxFileSize, DefaultMaxFileSize)
	def(&l.MaxZipMembers, DefaultMaxZipMembers)
	def64(&l.MaxZipMemberSize, DefaultMaxZipMemberSize)
	def64(&l.MaxZipTotalSize, DefaultMaxZipTotalSize)
	def(&l.MaxZipRatio, DefaultMaxZipRatio)
	def(&l.MaxXMLDepth, DefaultMaxXMLDepth)
	def(&l.MaxElements, DefaultMaxElements)
	def(&l.MaxParagraphs, DefaultMaxParagraphs)
	def(&l.MaxParagraphChars, DefaultMaxParagraphChars)
	def(&l.MaxPDFPages, DefaultMaxPDFPages)
	if l.ToolTimeout <= 0 {
		l.ToolTimeout = DefaultToolTimeout
	}
	def64(&l.MaxToolOutput, DefaultMaxToolOutput)
	if l.OCRPageTimeout <= 0 {
		l.OCRPageTimeout = DefaultOCRPageTimeout
	}
	if l.OCRTimeout <= 0 {
		l.OCRTimeout = DefaultOCRTimeout
	}
	return l
}

// limitError is a limit exceeded deep inside an extractor (a zip member
// reader, an XML token loop); Extract turns it into a *SkipError naming
// the limit, whatever error wraps it on the way.
type limitError struct {
	limit  string // name of the Limits field
	reason string
}

func (e *limitError) Error() string { return e.reason }

// overLimit builds a *limitError; the reason should end by naming the
// limit, which is appended as "(limit Name)".
func overLimit(limit, format string, args ...any) *limitError {
	return &limitError{limit: limit, reason: fmt.Sprintf(format, args...) + " (limit " + limit + ")"}
}

// asLimit finds a *limitError in err's chain.
func asLimit(err error) (*limitError, bool) {
	var le *limitError
	ok := errors.As(err, &le)
	return le, ok
}

// sizeString formats a byte count for skip reasons: "64 MiB", "1.5 KiB".
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
