package extract

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// extractDOCX reads the main document part of a Word (OOXML) file. The
// body is read, and the footnotes and endnotes it cites (docxnotes.go);
// headers, footers and comments are separate parts and are left out.
// Tracked deletions, hidden text and the fallback copies of
// drawings are skipped; tracked insertions are kept, so the text is the one
// Word shows with revisions accepted. pkg comes from sniffing, which found
// the main part.
func extractDOCX(pkg *docxPackage, lim *Limits) (*Document, error) {
	main := pkg.mainDocumentPath()
	if pkg.err != nil {
		return nil, pkg.err
	}
	if main == "" {
		return nil, skipf("unsupported format: zip archive without a Word document")
	}

	// Styles only refine heading levels: a missing or broken styles part
	// still leaves the text usable (but not one over a limit).
	styles, _ := pkg.styles(main)
	if pkg.err != nil {
		return nil, pkg.err
	}

	rc, err := pkg.open(main)
	if err != nil {
		if _, ok := asLimit(err); ok {
			return nil, err
		}
		return nil, skipErr(err, "corrupt DOCX: cannot open %s", main)
	}
	defer rc.Close()
	p := &docxParser{styles: styles, maxBlocks: lim.MaxParagraphs}
	if err := p.parse(pkg.zip.xml.decoder(rc)); err != nil {
		if _, ok := asLimit(err); ok {
			return nil, err
		}
		return nil, skipErr(err, "corrupt DOCX: cannot parse %s", main)
	}

	doc := &Document{Format: FormatDOCX, Blocks: p.blocks, Title: pkg.coreTitle()}
	if pkg.err != nil {
		return nil, pkg.err
	}
	if doc.Title == "" {
		for _, b := range doc.Blocks {
			if b.Heading == 1 {
				doc.Title = b.Text
				break
			}
		}
	}
	doc.Blocks = appendNotes(doc.Blocks, pkg.notes(main, p.cites, styles))
	return doc, nil
}

// docxPackage gives access to the parts of an OPC package by name. Part
// names are case-insensitive in OPC, and some producers vary the case.
type docxPackage struct {
	zip   *zipArchive
	files map[string]*zip.File
	// err is the first limit exceeded while reading a part, even one
	// whose failure is otherwise tolerated (styles, properties).
	err error
	// main caches mainDocumentPath; mainDone says it was computed.
	main     string
	mainDone bool
	rels     map[string]relationships // parsed .rels parts
}

func newPackage(a *zipArchive) *docxPackage {
	files := make(map[string]*zip.File, len(a.zr.File))
	for _, f := range a.zr.File {
		name := strings.ToLower(strings.TrimPrefix(f.Name, "/"))
		if _, dup := files[name]; !dup {
			files[name] = f
		}
	}
	return &docxPackage{zip: a, files: files}
}

func (p *docxPackage) has(name string) bool {
	_, ok := p.files[strings.ToLower(name)]
	return ok
}

// hasPrefix reports a part whose name starts with prefix.
func (p *docxPackage) hasPrefix(prefix string) bool {
	for _, f := range p.zip.zr.File {
		if strings.HasPrefix(f.Name, prefix) {
			return true
		}
	}
	return false
}

// open returns a reader of a part within the archive's limits.
func (p *docxPackage) open(name string) (io.ReadCloser, error) {
	f, ok := p.files[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("no part %s", name)
	}
	rc, err := p.zip.open(f)
	p.noteLimit(err)
	return rc, err
}

// noteLimit records err in p.err if it is the first limit exceeded.
func (p *docxPackage) noteLimit(err error) {
	if _, ok := asLimit(err); ok && p.err == nil {
		p.err = err
	}
}

// unmarshal decodes a small XML part into v.
func (p *docxPackage) unmarshal(name string, v any) error {
	rc, err := p.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := p.zip.xml.decoder(rc).Decode(v); err != nil {
		p.noteLimit(err)
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

// relationships is a .rels part; attribute names match in any namespace.
type relationships struct {
	Rels []struct {
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// relTarget returns the part targeted by the first relationship in relsPart
// whose type ends with typeSuffix, resolved against baseDir.
func (p *docxPackage) relTarget(relsPart, baseDir, typeSuffix string) string {
	rels, ok := p.rels[relsPart]
	if !ok {
		// Parsed once: the package relationships are asked for the main
		// part and for the core properties.
		if err := p.unmarshal(relsPart, &rels); err != nil {
			rels = relationships{}
		}
		if p.rels == nil {
			p.rels = map[string]relationships{}
		}
		p.rels[relsPart] = rels
	}
	for _, r := range rels.Rels {
		if !strings.HasSuffix(r.Type, typeSuffix) || strings.EqualFold(r.TargetMode, "External") {
			continue
		}
		if strings.HasPrefix(r.Target, "/") {
			return strings.TrimPrefix(r.Target, "/")
		}
		return path.Join(baseDir, r.Target)
	}
	return ""
}

// contentTypes is [Content_Types].xml.
type contentTypes struct {
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

// mainDocumentPath finds the WordprocessingML main part through the package
// relationships (so that renamed parts and Strict OOXML work), falling back
// to the usual word/document.xml. It returns "" for other OOXML files
// (spreadsheets, presentations), whose main part has another content type.
func (p *docxPackage) mainDocumentPath() string {
	if !p.mainDone {
		p.main, p.mainDone = p.findMainDocument(), true
	}
	return p.main
}

// findMainDocument computes mainDocumentPath.
func (p *docxPackage) findMainDocument() string {
	if target := p.relTarget("_rels/.rels", "", "/officeDocument"); target != "" && p.has(target) {
		var ct contentTypes
		if err := p.unmarshal("[Content_Types].xml", &ct); err == nil {
			for _, o := range ct.Overrides {
				if strings.EqualFold(strings.TrimPrefix(o.PartName, "/"), target) {
					t := strings.ToLower(o.ContentType)
					if strings.Contains(t, "wordprocessingml") || strings.Contains(t, "ms-word") {
						return target
					}
				}
			}
		}
	}
	if p.has("word/document.xml") {
		return "word/document.xml"
	}
	return ""
}

// coreTitle returns dc:title from the core properties, if meaningful.
func (p *docxPackage) coreTitle() string {
	part := p.relTarget("_rels/.rels", "", "/core-properties")
	if part == "" {
		part = "docProps/core.xml"
	}
	var core struct {
		Title string `xml:"title"`
	}
	if err := p.unmarshal(part, &core); err != nil {
		return ""
	}
	title := strings.TrimSpace(core.Title)
	// Files converted from .doc often carry the converter's title.
	title = strings.TrimSpace(strings.TrimPrefix(title, "Microsoft Word - "))
	for _, ext := range []string{".docx", ".doc", ".wps"} {
		if len(title) > len(ext) && strings.EqualFold(title[len(title)-len(ext):], ext) {
			title = title[:len(title)-len(ext)]
		}
	}
	return title
}

// styleSheet maps paragraph style ids to heading levels.
type styleSheet struct {
	byID         map[string]docxStyle
	defaultStyle string
}

type docxStyle struct {
	name    string
	basedOn string
	outline int // outline level 0..9 from w:outlineLvl, -1 if absent
}

// styles reads the styles part related to the main document.
func (p *docxPackage) styles(main string) (*styleSheet, error) {
	sheet := &styleSheet{byID: map[string]docxStyle{}}
	dir, file := path.Split(main)
	part := p.relTarget(dir+"_rels/"+file+".rels", strings.TrimSuffix(dir, "/"), "/styles")
	if part == "" {
		part = path.Join(dir, "styles.xml")
	}
	type val struct {
		Val string `xml:"val,attr"`
	}
	var x struct {
		Styles []struct {
			Type    string `xml:"type,attr"`
			StyleID string `xml:"styleId,attr"`
			Default string `xml:"default,attr"`
			Name    val    `xml:"name"`
			BasedOn val    `xml:"basedOn"`
			Outline *val   `xml:"pPr>outlineLvl"`
		} `xml:"style"`
	}
	if err := p.unmarshal(part, &x); err != nil {
		return sheet, err
	}
	for _, s := range x.Styles {
		if s.Type != "" && s.Type != "paragraph" {
			continue
		}
		st := docxStyle{name: s.Name.Val, basedOn: s.BasedOn.Val, outline: -1}
		if s.Outline != nil {
			st.outline = parseOutline(s.Outline.Val)
		}
		sheet.byID[s.StyleID] = st
		if onOff(s.Default) && sheet.defaultStyle == "" {
			sheet.defaultStyle = s.StyleID
		}
	}
	return sheet, nil
}

// level returns the heading level (0 = body) of a paragraph style: from its
// name when it is a built-in heading/title style (English names as Word
// stores them, or the Chinese names WPS writes), else from its outline
// level, else inherited from the style it is based on.
func (s *styleSheet) level(id string) int {
	for depth := 0; id != "" && depth < 16; depth++ {
		st, ok := s.byID[id]
		if !ok {
			// Unknown style (or no styles part): the id itself is often
			// the English name without spaces, e.g. "Heading1".
			lvl, _ := styleNameLevel(id)
			return lvl
		}
		if lvl, ok := styleNameLevel(st.name); ok {
			return lvl
		}
		if st.outline >= 0 {
			return outlineLevel(st.outline)
		}
		id = st.basedOn
	}
	return 0
}

// styleNameLevel maps a style name to a heading level. Names may list
// aliases separated by commas ("heading 1,H1,一级标题").
func styleNameLevel(name string) (int, bool) {
	for alias := range strings.SplitSeq(name, ",") {
		n := strings.ToLower(strings.Join(strings.Fields(alias), ""))
		switch n {
		case "title", "标题":
			return 1, true
		case "subtitle", "副标题":
			return 2, true
		}
		for _, prefix := range []string{"heading", "标题"} {
			if rest, ok := strings.CutPrefix(n, prefix); ok {
				if d, err := strconv.Atoi(rest); err == nil && d >= 1 && d <= 9 {
					return min(d, 6), true
				}
			}
		}
	}
	return 0, false
}

// parseOutline parses a w:outlineLvl value; 9 means body text.
func parseOutline(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 9 {
		return -1
	}
	return n
}

// outlineLevel converts a 0-based outline level to a heading level.
func outlineLevel(outline int) int {
	if outline < 0 || outline >= 9 {
		return 0
	}
	return min(outline+1, 6)
}

// onOff interprets an OOXML boolean attribute.
func onOff(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "on":
		return true
	}
	return false
}

// docxParser streams word/document.xml into blocks.
type docxParser struct {
	styles    *styleSheet
	blocks    []Block
	maxBlocks int

	paras  []*docxPara // open paragraphs; more than one inside text boxes
	tables tableStack  // open tables; more than one for nested tables

	skip      int // depth inside a skipped subtree (deletions, fallbacks)
	runs      int // depth inside w:r
	pPr, rPr  int // depth inside paragraph / run properties
	inText    bool
	runHidden bool

	cites []docxCite // footnote and endnote references, in order
}

type docxPara struct {
	lines      []string
	cur        strings.Builder
	style      string
	hasStyle   bool
	outline    int // direct w:outlineLvl, -1 if absent
	tableDepth int // number of open tables when the paragraph started
}

// skippedElements are subtrees whose text is not part of the document as
// displayed: tracked deletions and moves, old property versions, and the
// VML fallback duplicated from a drawing's main choice.
var skippedElements = map[string]bool{
	"del": true, "moveFrom": true, "pPrChange": true, "rPrChange": true,
	"sectPrChange": true, "tblPrChange": true, "trPrChange": true, "tcPrChange": true,
	"Fallback": true,
}

// isWordNS reports whether a namespace is WordprocessingML's (transitional
// or strict), or absent/undeclared as written by sloppy producers.
func isWordNS(space string) bool {
	return space == "" || space == "w" ||
		strings.HasSuffix(space, "wordprocessingml/2006/main") ||
		strings.HasSuffix(space, "wordprocessingml/main")
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (p *docxParser) parse(dec *xml.Decoder) error {
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
			p.start(t)
		case xml.EndElement:
			p.end(t)
			if len(p.blocks) > p.maxBlocks {
				return tooManyParagraphs(p.maxBlocks)
			}
		case xml.CharData:
			if p.inText && p.skip == 0 && !p.runHidden && len(p.paras) > 0 {
				p.paras[len(p.paras)-1].cur.Write(t)
			}
		}
	}
}

func (p *docxParser) start(e xml.StartElement) {
	if p.skip > 0 {
		p.skip++
		return
	}
	local := e.Name.Local
	if skippedElements[local] {
		p.skip = 1
		return
	}
	if !isWordNS(e.Name.Space) {
		return
	}
	para := p.top()
	switch local {
	case "p":
		p.paras = append(p.paras, &docxPara{outline: -1, tableDepth: len(p.tables)})
	case "pPr":
		p.pPr++
	case "pStyle":
		if para != nil && p.pPr > 0 {
			para.style, _ = attr(e, "val")
			para.hasStyle = true
		}
	case "outlineLvl":
		if para != nil && p.pPr > 0 {
			v, _ := attr(e, "val")
			para.outline = parseOutline(v)
		}
	case "r":
		p.runs++
		p.runHidden = false
	case "rPr":
		p.rPr++
	case "vanish":
		if p.runs > 0 && p.rPr > 0 {
			v, ok := attr(e, "val")
			p.runHidden = !ok || onOff(v)
		}
	case "t":
		p.inText = p.runs > 0
	case "tab":
		if para != nil && p.runs > 0 && p.pPr == 0 && !p.runHidden {
			para.cur.WriteByte('\t')
		}
	case "br", "cr":
		if para != nil && p.runs > 0 && !p.runHidden {
			para.lines = append(para.lines, para.cur.String())
			para.cur.Reset()
		}
	case "noBreakHyphen":
		if para != nil && p.runs > 0 && !p.runHidden {
			para.cur.WriteByte('-')
		}
	case "footnoteReference", "endnoteReference":
		p.cite(local, e)
	case "tbl":
		p.tables.push()
	case "tr":
		p.tables.startRow()
	case "tc":
		p.tables.startCell()
	}
}

func (p *docxParser) end(e xml.EndElement) {
	if p.skip > 0 {
		p.skip--
		return
	}
	if !isWordNS(e.Name.Space) {
		return
	}
	switch e.Name.Local {
	case "p":
		p.endParagraph()
	case "pPr":
		p.pPr = max(p.pPr-1, 0)
	case "r":
		p.runs = max(p.runs-1, 0)
		p.runHidden = false
	case "rPr":
		p.rPr = max(p.rPr-1, 0)
	case "t":
		p.inText = false
	case "tc":
		p.tables.endCell()
	case "tr":
		if text := p.tables.endRow(); text != "" {
			p.blocks = append(p.blocks, Block{Text: text})
		}
	case "tbl":
		p.tables.pop()
	}
}

func (p *docxParser) top() *docxPara {
	if len(p.paras) == 0 {
		return nil
	}
	return p.paras[len(p.paras)-1]
}

// endParagraph emits a finished paragraph: as blocks (one per line break),
// or into the enclosing table cell.
func (p *docxParser) endParagraph() {
	para := p.top()
	if para == nil {
		return
	}
	p.paras = p.paras[:len(p.paras)-1]
	lines := append(para.lines, para.cur.String())

	if t := p.tables.top(); t != nil && t.inCell && para.tableDepth == len(p.tables) {
		for _, line := range lines {
			if line = strings.Trim(line, " \t"); line != "" {
				t.write(line)
			}
		}
		return
	}

	level := p.paraLevel(para)
	for _, line := range lines {
		if line = strings.Trim(line, " \t"); line != "" {
			p.blocks = append(p.blocks, Block{Text: line, Heading: level})
		}
	}
}

// paraLevel resolves a paragraph's heading level: direct outline level
// first (as Word does), then its style, then the default paragraph style.
func (p *docxParser) paraLevel(para *docxPara) int {
	if para.outline >= 0 {
		return outlineLevel(para.outline)
	}
	style := para.style
	if !para.hasStyle {
		style = p.styles.defaultStyle
	}
	return p.styles.level(style)
}
