package extract

import (
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// FormatRTF is reported in Document.Format for Rich Text Format files.
const FormatRTF = "rtf"

// An RTF file is a tree of groups {…} holding control words (\par,
// \u20013, \'d6, \fcharset134 …) and text. What this reader does with it:
//
//   - Text is 7-bit: other characters come as \uN (a UTF-16 code unit,
//     negative above 32767, surrogate pairs as two), followed by \ucN
//     fallback characters for older readers, which are skipped; or as
//     \'xx bytes in a code page: the current font's (\fN, whose
//     \fcharsetN or \cpgN the font table gives: 134 is GB2312, 136 Big5)
//     or else the document's \ansicpgN (936 GBK, 950 Big5, 1252 …).
//     Consecutive \'xx bytes are decoded together, since a Chinese
//     character is two of them. Raw 8-bit bytes, written by some
//     producers, are taken as \'xx.
//   - Destinations that are not body text are skipped: the font, colour,
//     style, list and revision tables, \info (but its \title is the
//     document's title), headers and footers, pictures, objects, shapes,
//     field instructions (their \fldrslt is kept), comments and every
//     group marked \* that is not read (\*\ud, the Unicode twin of an
//     \upr group, is read instead of the ANSI one).
//   - \par, \sect and \page end a paragraph, \line breaks it into blocks
//     as in DOCX; hidden text (\v) is dropped.
//   - A paragraph is a heading when it has \outlinelevelN, or when its
//     style (\sN) has one or is named like a heading (heading 1, 标题 1)
//     in the style sheet.
//   - Table paragraphs (\intbl) are collected into cells ended by \cell,
//     and a row (\row) becomes one block "cell | cell"; a nested table's
//     cells (\nestcell) stay in the enclosing cell.
//   - Footnotes and endnotes (\footnote) become paragraphs of the 注释
//     section at the end (see NotesHeading).

// maxRTFDepth bounds group nesting; deeper files are skipped as corrupt.
const maxRTFDepth = 4096

type rtfDest uint8

const (
	rtfBody        rtfDest = iota
	rtfSkip                // not shown: text dropped
	rtfFontTable           // \fonttbl
	rtfStyleSheet          // \stylesheet
	rtfStyleEntry          // one style of the style sheet
	rtfInfo                // \info: skipped but for \title
	rtfTitle               // \info's \title
	rtfNote                // \footnote
	rtfUpr                 // \upr: the ANSI twin is skipped, \*\ud is read
	rtfPendingStar         // after \*: skipped unless the word is read
)

// rtfState is the part of the parser state that a group saves and
// restores.
type rtfState struct {
	dest    rtfDest
	uprDest rtfDest // inside \upr: the destination \*\ud restores
	uc      int     // fallback characters after \uN
	font    int     // current font, -1 for the default
	hidden  bool    // \v
}

type rtfStyle struct {
	id      int
	outline int
	name    strings.Builder
}

type rtfParser struct {
	data []byte
	pos  int

	st    rtfState
	stack []rtfState

	ansicpg  int
	deff     int
	fonts    map[int]int // font number → code page
	fontNum  int         // font being defined in the font table
	styles   map[int]int // paragraph style → heading level
	curStyle *rtfStyle

	pending   []byte // \'xx bytes not yet decoded
	pendingCP int
	skipChars int    // fallback characters still to skip after \uN
	surrogate uint16 // a high surrogate waiting for its pair

	para        strings.Builder
	paraStyle   int
	paraOutline int
	inTable     bool
	cell        strings.Builder
	row         []string

	note  strings.Builder
	notes []string
	saved [3]int // the citing paragraph's style, outline level and \intbl
	title strings.Builder

	blocks []Block

	// runes and controls count the characters of shown text and the
	// control characters among them: a file that is binary data after its
	// {\rtf header shows mostly controls.
	runes, controls int
	open            int // groups left open at the end
}

// extractRTF reads an RTF document.
func extractRTF(data []byte) (*Document, error) {
	p := &rtfParser{
		data:        data,
		st:          rtfState{font: -1, uc: 1},
		ansicpg:     1252,
		deff:        -1,
		fonts:       map[int]int{},
		styles:      map[int]int{},
		paraOutline: -1,
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	if p.open > 0 {
		return nil, skipf("corrupt or truncated RTF: %d groups not closed at the end of the file", p.open)
	}
	if p.controls*100 > p.runes {
		return nil, skipf("corrupt RTF: binary data in the text")
	}
	doc := &Document{Format: FormatRTF, Title: strings.TrimSpace(p.title.String()), Blocks: p.blocks}
	if doc.Title == "" {
		for _, b := range doc.Blocks {
			if b.Heading == 1 {
				doc.Title = b.Text
				break
			}
		}
	}
	doc.Blocks = appendNotes(doc.Blocks, p.notes)
	return doc, nil
}

func (p *rtfParser) parse() error {
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		p.pos++
		switch c {
		case '{':
			p.flush()
			if len(p.stack) >= maxRTFDepth {
				return skipf("corrupt RTF: groups nested deeper than %d", maxRTFDepth)
			}
			p.stack = append(p.stack, p.st)
			if p.st.dest == rtfStyleSheet {
				p.st.dest = rtfStyleEntry
				p.curStyle = &rtfStyle{outline: -1}
			}
		case '}':
			p.flush()
			if len(p.stack) == 0 {
				continue // unbalanced: tolerated, as Word does
			}
			p.endGroup()
		case '\\':
			p.control()
		case '\r', '\n':
			// Line breaks in the file are not text.
		default:
			if c >= 0x80 {
				p.addByte(c)
				continue
			}
			p.flush()
			if p.skipChars > 0 {
				p.skipChars--
				continue
			}
			p.text(string(rune(c)))
		}
	}
	p.flush()
	p.open = len(p.stack)
	for len(p.stack) > 0 {
		p.endGroup() // a truncated file: close what is open
	}
	p.endParagraph()
	p.endRow()
	return nil
}

// endGroup restores the enclosing group's state, finishing what the group
// defined (a style, a note).
func (p *rtfParser) endGroup() {
	inner := p.st
	p.st = p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	p.skipChars = 0
	switch {
	case inner.dest == rtfStyleEntry && p.st.dest != rtfStyleEntry:
		p.endStyle()
	case inner.dest == rtfNote && p.st.dest != rtfNote:
		p.endNote()
		p.paraStyle, p.paraOutline, p.inTable = p.saved[0], p.saved[1], p.saved[2] != 0
	}
}

// control reads a control word or symbol after its backslash.
func (p *rtfParser) control() {
	if p.pos >= len(p.data) {
		return
	}
	c := p.data[p.pos]
	if !isASCIILetter(c) {
		p.pos++
		p.symbol(c)
		return
	}
	start := p.pos
	for p.pos < len(p.data) && isASCIILetter(p.data[p.pos]) && p.pos-start < 32 {
		p.pos++
	}
	word := string(p.data[start:p.pos])
	param, hasParam := 0, false
	neg := false
	if p.pos < len(p.data) && p.data[p.pos] == '-' {
		neg = true
		p.pos++
	}
	digits := 0
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' && digits < 10 {
		param = param*10 + int(p.data[p.pos]-'0')
		p.pos++
		digits++
		hasParam = true
	}
	if neg {
		param = -param
	}
	if p.pos < len(p.data) && p.data[p.pos] == ' ' {
		p.pos++ // the delimiter
	}
	p.word(word, param, hasParam)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// symbol handles a control symbol: \' \* \~ \- \_ \\ \{ \} and a
// backslash before a line break (a paragraph end).
func (p *rtfParser) symbol(c byte) {
	if c == '\'' {
		if p.pos+2 <= len(p.data) {
			if b, ok := hexByte(p.data[p.pos], p.data[p.pos+1]); ok {
				p.pos += 2
				p.addByte(b)
			}
		}
		return
	}
	p.flush()
	switch c {
	case '*':
		if p.st.dest != rtfSkip {
			p.st.dest = rtfPendingStar
		}
		return
	case '\r', '\n':
		p.endParagraph()
		return
	}
	if p.skipChars > 0 {
		p.skipChars--
		return
	}
	switch c {
	case '\\', '{', '}':
		p.text(string(rune(c)))
	case '~':
		p.text("\u00a0")
	case '_':
		p.text("-")
	case '-', ':', '|':
		// optional hyphen, index subentry, formula: nothing shown
	}
}

func hexByte(a, b byte) (byte, bool) {
	h, ok1 := hexDigit(a)
	l, ok2 := hexDigit(b)
	return h<<4 | l, ok1 && ok2
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// skippedRTFDestinations are groups whose text is not body text.
var skippedRTFDestinations = map[string]bool{
	"colortbl": true, "listtable": true, "listoverridetable": true, "revtbl": true,
	"rsidtbl": true, "xmlnstbl": true, "filetbl": true, "pgdsctbl": true, "generator": true,
	"header": true, "headerl": true, "headerr": true, "headerf": true,
	"footer": true, "footerl": true, "footerr": true, "footerf": true,
	"pict": true, "object": true, "shp": true, "shpinst": true, "shppict": true, "nonshppict": true,
	"fldinst": true, "annotation": true, "atnid": true, "atnauthor": true, "atndate": true,
	"author": true, "operator": true, "subject": true, "keywords": true, "comment": true,
	"doccomm": true, "company": true, "category": true, "manager": true, "hlinkbase": true,
	"creatim": true, "revtim": true, "printim": true, "buptim": true, "template": true,
	"themedata": true, "colorschememapping": true, "datastore": true, "latentstyles": true,
	"bkmkstart": true, "bkmkend": true, "xe": true, "tc": true, "txe": true, "rxe": true,
	"ftnsep": true, "ftnsepc": true, "ftncn": true, "aftnsep": true, "aftnsepc": true, "aftncn": true,
	"docvar": true, "userprops": true, "mmathPr": true, "fontemb": true, "fontfile": true,
	"falt": true, "panose": true, "blipuid": true, "passwordhash": true, "wgrffmtfilter": true,
}

// word handles a control word with its parameter.
func (p *rtfParser) word(w string, param int, hasParam bool) {
	if w != "bin" {
		p.flush()
	}
	if p.st.dest == rtfPendingStar {
		// \* marks a destination an older reader may ignore: read only
		// the ones this reader knows.
		if w == "ud" {
			p.st.dest = p.st.uprDest
		} else {
			p.st.dest = rtfSkip
		}
		return
	}
	switch w {
	// Destinations.
	case "fonttbl":
		p.st.dest = rtfFontTable
		return
	case "stylesheet":
		p.st.dest = rtfStyleSheet
		return
	case "info":
		p.st.dest = rtfInfo
		return
	case "title":
		if p.st.dest == rtfInfo {
			p.st.dest = rtfTitle
		}
		return
	case "footnote":
		if p.st.dest == rtfBody {
			p.st.dest = rtfNote
			p.note.Reset()
			// A note's \pard must not reset the citing paragraph.
			p.saved = [3]int{p.paraStyle, p.paraOutline, boolInt(p.inTable)}
		} else {
			p.st.dest = rtfSkip
		}
		return
	case "upr":
		p.st.uprDest = p.st.dest
		p.st.dest = rtfUpr
		return
	case "bin":
		if hasParam && param > 0 {
			p.pos = min(p.pos+param, len(p.data))
		}
		if p.skipChars > 0 {
			p.skipChars--
		}
		return
	}
	if skippedRTFDestinations[w] {
		p.st.dest = rtfSkip
		return
	}
	if p.st.dest == rtfUpr {
		// The ANSI twin of an \upr group.
		return
	}

	// Document and font settings.
	switch w {
	case "ansicpg":
		if param > 0 {
			p.ansicpg = param
		}
		return
	case "ansi":
		p.ansicpg = 1252
		return
	case "mac":
		p.ansicpg = 10000
		return
	case "pc":
		p.ansicpg = 437
		return
	case "pca":
		p.ansicpg = 850
		return
	case "deff":
		p.deff = param
		return
	case "f":
		if p.st.dest == rtfFontTable {
			p.fontNum = param
		} else {
			p.st.font = param
		}
		return
	case "fcharset":
		if p.st.dest == rtfFontTable {
			if cp := charsetCodePage(param); cp != 0 {
				p.fonts[p.fontNum] = cp
			}
		}
		return
	case "cpg":
		if p.st.dest == rtfFontTable && param > 0 {
			p.fonts[p.fontNum] = param
		}
		return
	case "uc":
		if param >= 0 && param < 16 {
			p.st.uc = param
		}
		return
	case "u":
		p.unicode(param)
		return
	case "s":
		switch p.st.dest {
		case rtfStyleEntry:
			p.curStyle.id = param
		case rtfBody:
			p.paraStyle = param
		}
		return
	case "outlinelevel":
		switch p.st.dest {
		case rtfStyleEntry:
			p.curStyle.outline = param
		case rtfBody:
			p.paraOutline = param
		}
		return
	case "v":
		p.st.hidden = !hasParam || param != 0
		return
	case "plain":
		p.st.hidden = false
		return
	}

	if p.st.dest != rtfBody && p.st.dest != rtfNote && p.st.dest != rtfTitle {
		return
	}
	// Paragraphs, tables and special characters.
	switch w {
	case "par", "sect", "page":
		p.endParagraph()
		return
	case "pard":
		p.paraStyle, p.paraOutline, p.inTable = 0, -1, false
		return
	case "intbl":
		p.inTable = true
		return
	case "cell":
		p.endCell()
		return
	case "nestcell":
		p.endParagraph()
		p.cell.WriteByte(' ')
		return
	case "row":
		p.endRow()
		return
	case "line":
		p.lineBreak()
		return
	}
	if p.skipChars > 0 {
		// A control word counts as one fallback character.
		if specialRTFChars[w] != "" {
			p.skipChars--
		}
		return
	}
	if s := specialRTFChars[w]; s != "" {
		p.text(s)
	}
}

// specialRTFChars are the control words that stand for a character.
var specialRTFChars = map[string]string{
	"tab": "\t", "emdash": "—", "endash": "–", "lquote": "‘", "rquote": "’",
	"ldblquote": "“", "rdblquote": "”", "bullet": "•", "emspace": "\u2003",
	"enspace": "\u2002", "qmspace": "\u2005", "zwj": "", "zwnj": "",
}

// charsetCodePage maps an \fcharset value to a Windows code page; 0 when
// the font does not say (default and symbol charsets).
func charsetCodePage(charset int) int {
	switch charset {
	case 0:
		return 1252
	case 77:
		return 10000
	case 128:
		return 932
	case 129:
		return 949
	case 134:
		return 936
	case 136:
		return 950
	case 161:
		return 1253
	case 162:
		return 1254
	case 163:
		return 1258
	case 177:
		return 1255
	case 178:
		return 1256
	case 186:
		return 1257
	case 204:
		return 1251
	case 222:
		return 874
	case 238:
		return 1250
	case 254:
		return 437
	case 255:
		return 850
	}
	return 0
}

// codePageEncoding returns the decoder of a Windows code page, nil for an
// unknown one.
func codePageEncoding(cp int) encoding.Encoding {
	switch cp {
	case 936, 54936, 20936:
		return simplifiedchinese.GB18030
	case 950:
		return traditionalchinese.Big5
	case 932:
		return japanese.ShiftJIS
	case 949:
		return korean.EUCKR
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 866:
		return charmap.CodePage866
	case 874:
		return charmap.Windows874
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 10000:
		return charmap.Macintosh
	}
	return nil
}

// codePage is the code page \'xx bytes are in now.
func (p *rtfParser) codePage() int {
	font := p.st.font
	if font < 0 {
		font = p.deff
	}
	if cp, ok := p.fonts[font]; ok {
		return cp
	}
	return p.ansicpg
}

func (p *rtfParser) addByte(b byte) {
	if p.skipChars > 0 {
		p.skipChars--
		return
	}
	cp := p.codePage()
	if len(p.pending) > 0 && cp != p.pendingCP {
		p.flush()
	}
	p.pending = append(p.pending, b)
	p.pendingCP = cp
}

// flush decodes the pending \'xx bytes.
func (p *rtfParser) flush() {
	if len(p.pending) == 0 {
		return
	}
	enc := codePageEncoding(p.pendingCP)
	if enc == nil {
		enc = charmap.Windows1252
	}
	s := decodeWith(enc, p.pending)
	p.pending = p.pending[:0]
	p.text(s)
}

// unicode handles \uN: a UTF-16 code unit as a signed 16-bit number.
func (p *rtfParser) unicode(n int) {
	p.skipChars = p.st.uc
	u := uint16(int16(n))
	switch {
	case utf16.IsSurrogate(rune(u)) && u < 0xDC00:
		p.surrogate = u
		return
	case utf16.IsSurrogate(rune(u)):
		if p.surrogate != 0 {
			r := utf16.DecodeRune(rune(p.surrogate), rune(u))
			p.surrogate = 0
			p.text(string(r))
		}
		return
	}
	p.surrogate = 0
	p.text(string(rune(u)))
}

// text adds shown text to the current destination.
func (p *rtfParser) text(s string) {
	if p.st.hidden {
		return
	}
	for _, r := range s {
		p.runes++
		if r < 0x20 && r != '\t' {
			p.controls++
		}
	}
	switch p.st.dest {
	case rtfBody:
		if p.inTable {
			p.cell.WriteString(s)
		} else {
			p.para.WriteString(s)
		}
	case rtfNote:
		p.note.WriteString(s)
	case rtfTitle:
		p.title.WriteString(s)
	case rtfStyleEntry:
		p.curStyle.name.WriteString(s)
	}
}

// endParagraph ends a paragraph of the body (or of a note, or a cell).
func (p *rtfParser) endParagraph() {
	switch p.st.dest {
	case rtfNote:
		p.endNote()
		return
	case rtfBody:
	default:
		return
	}
	if p.inTable {
		if p.cell.Len() > 0 {
			p.cell.WriteByte(' ')
		}
		return
	}
	p.emitLine()
}

// emitLine emits the text collected for the paragraph as one block.
func (p *rtfParser) emitLine() {
	text := strings.Trim(p.para.String(), " \t\u00a0")
	p.para.Reset()
	if text == "" {
		return
	}
	p.blocks = append(p.blocks, Block{Text: text, Heading: p.level()})
}

// lineBreak handles \line: like a line break in DOCX, it splits the
// paragraph into blocks.
func (p *rtfParser) lineBreak() {
	switch {
	case p.st.dest == rtfNote:
		p.note.WriteByte(' ')
	case p.inTable:
		p.cell.WriteByte(' ')
	default:
		p.emitLine()
	}
}

// level is the heading level of the current paragraph.
func (p *rtfParser) level() int {
	if p.paraOutline >= 0 {
		return outlineLevel(p.paraOutline)
	}
	return p.styles[p.paraStyle]
}

func (p *rtfParser) endStyle() {
	s := p.curStyle
	p.curStyle = nil
	if s == nil {
		return
	}
	name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s.name.String()), ";"))
	if lvl, ok := styleNameLevel(name); ok {
		p.styles[s.id] = lvl
	} else if s.outline >= 0 {
		p.styles[s.id] = outlineLevel(s.outline)
	}
}

func (p *rtfParser) endNote() {
	if n := strings.TrimSpace(p.note.String()); n != "" {
		p.notes = append(p.notes, n)
	}
	p.note.Reset()
}

func (p *rtfParser) endCell() {
	if p.st.dest != rtfBody {
		return
	}
	if p.para.Len() > 0 {
		// Cell text without \intbl: take it anyway.
		p.cell.WriteString(p.para.String())
		p.para.Reset()
	}
	p.row = append(p.row, strings.Join(strings.Fields(p.cell.String()), " "))
	p.cell.Reset()
}

func (p *rtfParser) endRow() {
	if p.cell.Len() > 0 {
		p.endCell()
	}
	var cells []string
	for _, c := range p.row {
		if c != "" {
			cells = append(cells, c)
		}
	}
	p.row = p.row[:0]
	if len(cells) > 0 {
		p.blocks = append(p.blocks, Block{Text: strings.Join(cells, " | ")})
	}
}
