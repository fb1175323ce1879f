package extract

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// detected is the outcome of sniff: either a format to extract, or (format
// "") the reason the file is skipped.
type detected struct {
	format string
	skip   *SkipError
}

// Magic numbers of the binary formats recognised by sniff.
var (
	magicPDF   = []byte("%PDF-")
	magicZip   = []byte("PK\x03\x04")
	magicZipE  = []byte("PK\x05\x06") // empty archive
	magicOLE2  = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	magicRTF   = []byte(`{\rtf`)
	magicPS    = []byte("%!PS")
	bomUTF8    = []byte("\xEF\xBB\xBF")
	bomUTF16LE = []byte("\xFF\xFE")
	bomUTF16BE = []byte("\xFE\xFF")
)

// binaryMagic names other common binary formats found in document folders,
// so that the skip reason says what the file is.
var binaryMagic = []struct {
	magic []byte
	name  string
}{
	{[]byte("\x89PNG\r\n\x1a\n"), "PNG image"},
	{[]byte("\xFF\xD8\xFF"), "JPEG image"},
	{[]byte("GIF87a"), "GIF image"},
	{[]byte("GIF89a"), "GIF image"},
	{[]byte("II*\x00"), "TIFF image"},
	{[]byte("MM\x00*"), "TIFF image"},
	{[]byte("Rar!\x1a\x07"), "RAR archive"},
	{[]byte("7z\xBC\xAF\x27\x1C"), "7-Zip archive"},
	{[]byte("\x1f\x8b"), "gzip archive"},
	{[]byte("\x7fELF"), "ELF executable"},
}

// sniff detects the format of data from its content. The file extension is
// only consulted where the content leaves a choice: Markdown versus plain
// text (both are just text), a PDF header preceded by junk, and naming
// legacy Office files in skip reasons. Content wins otherwise, because
// report folders are full of misnamed files: Word "web pages" saved as .doc,
// HTML saved as .txt, PDFs without extension.
func sniff(name string, data []byte) detected {
	ext := strings.ToLower(filepath.Ext(name))
	head := data[:min(len(data), 1024)]

	switch {
	case bytes.HasPrefix(data, magicPDF),
		ext == ".pdf" && bytes.Contains(head, magicPDF):
		// PDF readers accept junk before the header; only trust that when
		// the name agrees, since a text file may quote "%PDF-".
		return detected{format: FormatPDF}
	case bytes.HasPrefix(data, magicZip), bytes.HasPrefix(data, magicZipE):
		return sniffZip(ext, data)
	case bytes.HasPrefix(data, magicOLE2):
		return sniffOLE2(ext, data)
	case bytes.HasPrefix(data, magicRTF):
		return detected{format: FormatRTF}
	case bytes.HasPrefix(data, magicPS):
		return detected{skip: skipf("unsupported format: PostScript document")}
	}
	for _, m := range binaryMagic {
		if bytes.HasPrefix(data, m.magic) {
			return detected{skip: skipf("unsupported format: %s", m.name)}
		}
	}
	if ext == ".mht" || ext == ".mhtml" || hasPrefixFold(bytes.TrimLeft(head, " \t\r\n"), "MIME-Version:") {
		return detected{skip: skipf("unsupported format: MHTML web archive (save the page as .html)")}
	}

	// Everything else must be text in a supported encoding. HTML is
	// recognised from its first tag; whether the bytes really are text is
	// decided by the extractor, which decodes them.
	if looksLikeHTML(textHead(data)) {
		if isMarkdownExt(ext) && !looksLikeHTMLDocument(textHead(data)) {
			// Markdown may start with an HTML fragment (<p align=center>),
			// but not with a whole HTML document.
			return detected{format: FormatMarkdown}
		}
		return detected{format: FormatHTML}
	}
	switch {
	case isMarkdownExt(ext):
		return detected{format: FormatMarkdown}
	case isHTMLExt(ext) && containsTag(textHead(data)):
		// An HTML fragment that does not start with a tag.
		return detected{format: FormatHTML}
	}
	return detected{format: FormatText}
}

// sniffZip tells a DOCX from the other zip based formats.
func sniffZip(ext string, data []byte) detected {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		what := "zip archive"
		if ext == ".docx" || ext == ".docm" || ext == ".dotx" {
			what = "DOCX (zip)"
		}
		return detected{skip: skipErr(err, "corrupt or truncated %s", what)}
	}
	pkg := newPackage(zr)
	has := pkg.has
	hasPrefix := func(prefix string) bool {
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, prefix) {
				return true
			}
		}
		return false
	}
	switch {
	case pkg.mainDocumentPath() != "":
		return detected{format: FormatDOCX}
	case hasPrefix("xl/"):
		return detected{skip: skipf("unsupported format: Excel workbook (.xlsx)")}
	case hasPrefix("ppt/"):
		return detected{skip: skipf("unsupported format: PowerPoint presentation (.pptx)")}
	case has("OFD.xml"):
		return detected{format: FormatOFD}
	case isODT(pkg, ext):
		return detected{format: FormatODT}
	case has("mimetype") && has("content.xml"):
		return detected{skip: skipf("unsupported format: OpenDocument spreadsheet or presentation (.ods/.odp)")}
	case has("mimetype") && hasPrefix("META-INF/"):
		return detected{skip: skipf("unsupported format: EPUB book")}
	}
	return detected{skip: skipf("unsupported format: zip archive without a Word document")}
}

// oleKind names a legacy OLE2 compound file (old binary Office formats and
// Kingsoft WPS files), from the stream names in its directory if possible,
// else from the extension.
func oleKind(ext string, data []byte) string {
	streams := []struct{ stream, kind string }{
		{"WordDocument", "legacy binary Word document (.doc/.wps); convert it to .docx"},
		{"Workbook", "legacy binary Excel workbook (.xls)"},
		{"PowerPoint Document", "legacy binary PowerPoint presentation (.ppt)"},
	}
	for _, s := range streams {
		if bytes.Contains(data, utf16LEBytes(s.stream)) {
			return s.kind
		}
	}
	switch ext {
	case ".doc", ".wps", ".dot":
		return "OLE2 file named " + ext + " without a Word document stream (corrupt, or not a Word file)"
	case ".xls", ".et":
		return "legacy binary Excel workbook (" + ext + ")"
	case ".ppt", ".dps":
		return "legacy binary PowerPoint presentation (" + ext + ")"
	}
	return "OLE2 compound file (legacy binary Office .doc/.xls/.ppt)"
}

func utf16LEBytes(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// binaryKind names the content of a file that is not text, for skip
// reasons, using the standard library's MIME sniffer.
func binaryKind(data []byte) string {
	ct := http.DetectContentType(data)
	if ct == "application/octet-stream" || strings.HasPrefix(ct, "text/") {
		return "binary data"
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return ct
}

func isMarkdownExt(ext string) bool {
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		return true
	}
	return false
}

func isHTMLExt(ext string) bool {
	switch ext {
	case ".html", ".htm", ".xhtml", ".shtml", ".shtm":
		return true
	}
	return false
}

// textHead returns the start of data as lower-case ASCII-compatible text for
// sniffing, decoding UTF-16 if there is a BOM and dropping a UTF-8 BOM.
func textHead(data []byte) string {
	head := data[:min(len(data), 4096)]
	switch {
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		text, _, err := decodeText(head[:len(head)&^1])
		if err != nil {
			return ""
		}
		return strings.ToLower(text)
	case bytes.HasPrefix(head, bomUTF8):
		head = head[len(bomUTF8):]
	}
	return strings.ToLower(string(head))
}

// htmlStarts are the tags an HTML file starts with (after blanks and
// comments); the list follows the WHATWG MIME sniffing standard.
var htmlStarts = []string{
	"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<script",
	"<style", "<iframe", "<h1", "<div", "<font", "<table", "<a", "<b",
	"<br", "<p", "<link",
}

// looksLikeHTML reports whether lower-cased text starts like an HTML file.
func looksLikeHTML(head string) bool {
	s := skipBlanksAndComments(head)
	if strings.HasPrefix(s, "<?xml") {
		// XHTML: the XML declaration is followed by an html element.
		return strings.Contains(s, "<html")
	}
	for _, tag := range htmlStarts {
		if rest, ok := strings.CutPrefix(s, tag); ok {
			if tag == "<!doctype html" {
				return true
			}
			if rest != "" && (rest[0] == '>' || rest[0] == ' ' || rest[0] == '\t' ||
				rest[0] == '\n' || rest[0] == '\r' || rest[0] == '/') {
				return true
			}
		}
	}
	return false
}

// looksLikeHTMLDocument reports a whole HTML document rather than a fragment.
func looksLikeHTMLDocument(head string) bool {
	s := skipBlanksAndComments(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// containsTag reports whether text contains something like an HTML tag.
func containsTag(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' {
			c := s[i+1]
			if c == '/' || c == '!' || (c >= 'a' && c <= 'z') {
				return true
			}
		}
	}
	return false
}

func skipBlanksAndComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f")
		if !strings.HasPrefix(s, "<!--") {
			return s
		}
		end := strings.Index(s, "-->")
		if end < 0 {
			return ""
		}
		s = s[end+3:]
	}
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}
