package extract

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// FormatODT is reported in Document.Format for OpenDocument text files.
const FormatODT = "odt"

// An OpenDocument text file (.odt, LibreOffice and WPS) is a zip whose
// first member, mimetype, says application/vnd.oasis.opendocument.text;
// the text is in content.xml:
//
//	office:document-content > office:body > office:text >
//	  text:h text:outline-level="2"   a heading
//	  text:p                          a paragraph; text:span and text:a inside
//	  text:list > text:list-item > text:p
//	  table:table > table:table-row > table:table-cell > text:p
//
// Inside paragraphs text:s text:c="N" stands for N spaces, text:tab for a
// tab, text:line-break for a line break (a new block, as in DOCX). Headers
// and footers belong to the page styles (styles.xml, master pages) and are
// not read. Notes (text:note: its text:note-citation and text:note-body)
// become paragraphs of the 注释 section at the end (NotesHeading). Not
// read: tracked deletions (text:tracked-changes), comments
// (office:annotation), generated indexes (table of contents: their
// entries repeat the headings with page numbers), form and drawing
// metadata (svg:title, svg:desc). Text boxes (draw:text-box) are read
// where they stand. A text:p whose style is the Title style (or Heading
// N) is a heading too.

const odtMimeType = "application/vnd.oasis.opendocument.text"

// isODT reports an OpenDocument text package (also a template, .ott, and a
// master document, .odm).
func isODT(pkg *docxPackage, ext string) bool {
	if !pkg.has("content.xml") {
		return false
	}
	if rc, err := pkg.open("mimetype"); err == nil {
		b, _ := io.ReadAll(rc)
		rc.Close()
		return bytes.HasPrefix(bytes.TrimSpace(b), []byte(odtMimeType))
	}
	return ext == ".odt" || ext == ".ott"
}

// extractODT reads an OpenDocument text file.
func extractODT(data []byte, lim *Limits) (*Document, error) {
	a, err := openZip(data, lim)
	if err != nil {
		if _, ok := asLimit(err); ok {
			return nil, err
		}
		return nil, skipErr(err, "corrupt or truncated ODT (zip)")
	}
	pkg := newPackage(a)
	p := &odtParser{styles: map[string]odtStyle{}}
	// Named styles only refine headings: a broken styles.xml still leaves
	// the text.
	if rc, err := pkg.open("styles.xml"); err == nil {
		p.readStyles(rc)
		rc.Close()
	}
	rc, err := pkg.open("content.xml")
	if err != nil {
		return nil, skipErr(err, "corrupt ODT: cannot open content.xml")
	}
	defer rc.Close()
	if err := p.parse(rc); err != nil {
		return nil, skipErr(err, "corrupt ODT: cannot parse content.xml")
	}
	doc := &Document{Format: FormatODT, Blocks: p.blocks}
	var meta struct {
		Title string `xml:"meta>title"`
	}
	if err := pkg.unmarshal("meta.xml", &meta); err == nil {
		doc.Title = strings.TrimSpace(meta.Title)
	}
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

type odtStyle struct {
	parent, display string
}

type odtPara struct {
	lines []string
	cur   strings.Builder
	level int
	note  bool // inside a note body
	table int  // open tables when the paragraph started
}

type odtParser struct {
	styles map[string]odtStyle
	blocks []Block
	notes  []string

	paras  []*odtPara
	tables tableStack
	skip   int // depth inside a skipped subtree
	notes0 int // depth inside text:note-body
}

// odtSkipped are subtrees whose text is not document text.
var odtSkipped = map[string]bool{
	"tracked-changes": true, "annotation": true, "note-citation": true,
	"table-of-content": true, "alphabetical-index": true, "illustration-index": true,
	"table-index": true, "object-index": true, "user-index": true, "bibliography": true,
	"sequence-decls": true, "variable-decls": true, "user-field-decls": true, "dde-connection-decls": true,
	"forms": true, "title": true, "desc": true, "deletion": true,
}

// readStyles reads the named styles of styles.xml and content.xml's
// automatic styles: their names, display names and parents.
func (p *odtParser) readStyles(r io.Reader) {
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "style" {
			p.addStyle(e)
		}
	}
}

func (p *odtParser) addStyle(e xml.StartElement) {
	name, _ := attr(e, "name")
	if name == "" {
		return
	}
	if fam, ok := attr(e, "family"); ok && fam != "paragraph" {
		return
	}
	parent, _ := attr(e, "parent-style-name")
	display, _ := attr(e, "display-name")
	p.styles[name] = odtStyle{parent: parent, display: display}
}

// styleLevel is the heading level a paragraph style gives (Title, Heading
// N, or a style based on one), 0 for body text.
func (p *odtParser) styleLevel(name string) int {
	for depth := 0; name != "" && depth < 16; depth++ {
		st := p.styles[name]
		for _, n := range []string{st.display, strings.ReplaceAll(name, "_20_", " ")} {
			if lvl, ok := styleNameLevel(n); ok {
				return lvl
			}
		}
		name = st.parent
	}
	return 0
}

func (p *odtParser) parse(r io.Reader) error {
	dec := xml.NewDecoder(r)
	inBody := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !inBody {
				switch t.Name.Local {
				case "style":
					p.addStyle(t)
				case "body":
					inBody = true
				}
				continue
			}
			p.start(t)
		case xml.EndElement:
			if inBody {
				p.end(t)
			}
		case xml.CharData:
			if para := p.top(); inBody && p.skip == 0 && para != nil {
				// Runs of white space count as one space in ODF text.
				writeCollapsed(&para.cur, t)
			}
		}
	}
}

// writeCollapsed writes text with runs of XML white space as one space.
func writeCollapsed(sb *strings.Builder, b []byte) {
	space := false
	for _, c := range string(b) {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if !space {
				sb.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		sb.WriteRune(c)
	}
}

func (p *odtParser) start(e xml.StartElement) {
	if p.skip > 0 {
		p.skip++
		return
	}
	local := e.Name.Local
	if odtSkipped[local] {
		p.skip = 1
		return
	}
	para := p.top()
	switch local {
	case "h", "p":
		np := &odtPara{note: p.notes0 > 0, table: len(p.tables)}
		if local == "h" {
			np.level = 1
			if v, ok := attr(e, "outline-level"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					np.level = min(max(n, 1), 6)
				}
			}
		} else if style, ok := attr(e, "style-name"); ok {
			np.level = p.styleLevel(style)
		}
		p.paras = append(p.paras, np)
	case "s":
		if para != nil {
			n := 1
			if v, ok := attr(e, "c"); ok {
				if c, err := strconv.Atoi(v); err == nil && c > 0 {
					n = min(c, 100)
				}
			}
			para.cur.WriteString(strings.Repeat(" ", n))
		}
	case "tab":
		if para != nil {
			para.cur.WriteByte('\t')
		}
	case "line-break":
		if para != nil {
			para.lines = append(para.lines, para.cur.String())
			para.cur.Reset()
		}
	case "note-body":
		p.notes0++
	case "table":
		p.tables.push()
	case "table-row":
		p.tables.startRow()
	case "table-cell":
		p.tables.startCell()
	}
}

func (p *odtParser) end(e xml.EndElement) {
	if p.skip > 0 {
		p.skip--
		return
	}
	switch e.Name.Local {
	case "h", "p":
		p.endParagraph()
	case "note-body":
		p.notes0 = max(p.notes0-1, 0)
	case "table-cell":
		p.tables.endCell()
	case "table-row":
		if text := p.tables.endRow(); text != "" {
			p.blocks = append(p.blocks, Block{Text: text})
		}
	case "table":
		p.tables.pop()
	}
}

func (p *odtParser) top() *odtPara {
	if len(p.paras) == 0 {
		return nil
	}
	return p.paras[len(p.paras)-1]
}

func (p *odtParser) endParagraph() {
	para := p.top()
	if para == nil {
		return
	}
	p.paras = p.paras[:len(p.paras)-1]
	lines := append(para.lines, para.cur.String())
	switch {
	case para.note:
		var parts []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				parts = append(parts, l)
			}
		}
		if len(parts) > 0 {
			p.notes = append(p.notes, strings.Join(parts, " "))
		}
		return
	case len(p.tables) > 0 && p.tables.top().inCell && para.table == len(p.tables):
		t := p.tables.top()
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				t.write(l)
			}
		}
		return
	}
	for _, l := range lines {
		// A paragraph inside a paragraph (a text box in a frame) is a
		// block of its own, before the rest of the outer one.
		if l = strings.Trim(l, " \t"); l != "" {
			p.blocks = append(p.blocks, Block{Text: l, Heading: para.level})
		}
	}
}
