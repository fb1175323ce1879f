package extract

import (
	"encoding/xml"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormatOFD is reported in Document.Format for OFD documents.
const FormatOFD = "ofd"

// OFD (GB/T 33190-2016, 版式文档) is China's fixed-layout format, PDF's
// counterpart, in a zip of XML parts:
//
//	OFD.xml            ofd:OFD > ofd:DocBody > ofd:DocInfo (Title), ofd:DocRoot → Doc_0/Document.xml
//	Doc_0/Document.xml ofd:CommonData (PageArea, PublicRes, TemplatePage ID BaseLoc),
//	                   ofd:Pages > ofd:Page ID BaseLoc → Pages/Page_0/Content.xml,
//	                   ofd:Annotations → Annots/Annotations.xml
//	Pages/Page_0/Content.xml
//	                   ofd:Page > ofd:Template TemplateID, ofd:Content > ofd:Layer >
//	                   (ofd:PageBlock >)* ofd:TextObject Boundary="x y w h" Size CTM >
//	                   ofd:TextCode X Y DeltaX DeltaY (text)
//
// Coordinates are millimetres from the page's top left, y downwards. A
// text object's Boundary places its own coordinate space on the page; its
// CTM (a b c d e f) maps the TextCode coordinates into that space, so a
// glyph at (x, y) is drawn at (Bx + a·x + c·y + e, By + b·x + d·y + f), and
// the font size is scaled likewise. X and Y place the first character on
// its baseline; DeltaX and DeltaY give the advance to each next one, as a
// list of numbers in which "g N D" stands for N times D. Converters often
// write one text object per character.
//
// What is read: the text objects of every page's own content, in any
// layer or page block. What is not: template pages (Template/TemplateID
// referencing CommonData/TemplatePage), which hold the page furniture
// repeated on every page (the 红头 header of an official document, rules,
// page frames); annotations (Annots) and signatures/seals (Signs), which
// are separate parts never opened here; clipping paths.
//
// Like a PDF, an OFD knows glyphs, not paragraphs. The glyphs of a page
// are cut into word boxes (ofdWords) and laid out by the PDF path's code
// (layoutPage): lines, columns found by their gutters and read one after
// the other, a space only between Latin words, indents and vertical gaps
// kept for the cleaning stage, which re-joins the lines into paragraphs by
// the same rules as for PDF text. Lines repeated at the top or bottom of
// many pages (page numbers) and a first page's masthead are marked as
// furniture as on PDF pages (pdfpages.go).

// maxOFDGlyphs bounds the glyphs read from one document.
const maxOFDGlyphs = 20 << 20

type ofdGlyph struct {
	x, y, size float64
	r          rune
}

func extractOFD(data []byte, lim *Limits) (*Document, error) {
	a, err := openZip(data, lim)
	if err != nil {
		if _, ok := asLimit(err); ok {
			return nil, err
		}
		return nil, skipErr(err, "corrupt or truncated OFD (zip)")
	}
	pkg := newPackage(a)
	var root struct {
		Bodies []struct {
			Title   string `xml:"DocInfo>Title"`
			DocRoot string `xml:"DocRoot"`
		} `xml:"DocBody"`
	}
	if err := pkg.unmarshal("OFD.xml", &root); err != nil {
		return nil, skipErr(err, "corrupt OFD: cannot read OFD.xml")
	}
	doc := &Document{Format: FormatOFD}
	var pages [][]pageLine
	for _, body := range root.Bodies {
		if doc.Title == "" {
			doc.Title = strings.TrimSpace(body.Title)
		}
		docPath := ofdResolve(pkg, "", body.DocRoot)
		if docPath == "" {
			return nil, skipf("corrupt OFD: document %q not found", body.DocRoot)
		}
		var d struct {
			Pages []struct {
				BaseLoc string `xml:"BaseLoc,attr"`
			} `xml:"Pages>Page"`
		}
		if err := pkg.unmarshal(docPath, &d); err != nil {
			return nil, skipErr(err, "corrupt OFD: cannot read %s", docPath)
		}
		for _, pg := range d.Pages {
			loc := ofdResolve(pkg, path.Dir(docPath), pg.BaseLoc)
			if loc == "" {
				return nil, skipf("corrupt OFD: page %q not found", pg.BaseLoc)
			}
			glyphs, err := readOFDPage(pkg, loc)
			if err != nil {
				return nil, skipErr(err, "corrupt OFD: cannot read %s", loc)
			}
			pages = append(pages, layoutPage(pdfPage{words: ofdWords(glyphs)}))
		}
	}
	if len(root.Bodies) == 0 {
		return nil, skipf("corrupt OFD: OFD.xml has no DocBody")
	}
	if doc.Blocks, err = pageBlocks(pages, lim); err != nil {
		return nil, err
	}
	if len(doc.Blocks) == 0 {
		return nil, skipf("OFD has no text (scanned pages need OCR)")
	}
	return doc, nil
}

// ofdResolve finds the part a location names: absolute from the package
// root, else relative to dir (the folder of the part that names it), else,
// as some producers write it, relative to the root; "" if there is none.
func ofdResolve(pkg *docxPackage, dir, loc string) string {
	loc = strings.TrimSpace(strings.ReplaceAll(loc, `\`, "/"))
	if loc == "" {
		return ""
	}
	var tries []string
	if strings.HasPrefix(loc, "/") {
		tries = []string{strings.TrimPrefix(path.Clean(loc), "/")}
	} else {
		tries = []string{path.Join(dir, loc), path.Clean(loc)}
	}
	for _, t := range tries {
		if pkg.has(t) {
			return t
		}
	}
	return ""
}

// readOFDPage returns the glyphs of a page's content.
func readOFDPage(pkg *docxPackage, part string) ([]ofdGlyph, error) {
	rc, err := pkg.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var glyphs []ofdGlyph
	var obj *ofdTextObject
	var code *ofdTextCode
	skip := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return glyphs, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "Template", "Clips", "Actions":
				skip = 1
			case "TextObject":
				obj = newOFDTextObject(t)
			case "TextCode":
				if obj != nil {
					code = obj.newCode(t)
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "TextCode":
				if obj != nil && code != nil {
					glyphs = obj.place(glyphs, code)
					if len(glyphs) > maxOFDGlyphs {
						return nil, overLimit("MaxElements", "more than %d characters on one page", maxOFDGlyphs)
					}
				}
				code = nil
			case "TextObject":
				obj = nil
			}
		case xml.CharData:
			if code != nil && skip == 0 {
				code.text.Write(t)
			}
		}
	}
}

type ofdTextObject struct {
	bx, by float64
	size   float64
	ctm    [6]float64
	lastX  float64 // where the previous TextCode ended, for codes without X/Y
	lastY  float64
	scale  float64
}

type ofdTextCode struct {
	x, y           float64
	deltaX, deltaY []float64
	text           strings.Builder
}

func newOFDTextObject(e xml.StartElement) *ofdTextObject {
	o := &ofdTextObject{size: 3.5, ctm: [6]float64{1, 0, 0, 1, 0, 0}, scale: 1}
	if v, ok := attr(e, "Boundary"); ok {
		if b := ofdNumbers(v); len(b) >= 2 {
			o.bx, o.by = b[0], b[1]
		}
	}
	if v, ok := attr(e, "Size"); ok {
		if s, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && s > 0 && s < 1e4 {
			o.size = s
		}
	}
	if v, ok := attr(e, "CTM"); ok {
		if m := ofdNumbers(v); len(m) == 6 {
			copy(o.ctm[:], m)
			if det := math.Abs(m[0]*m[3] - m[1]*m[2]); det > 0 && !math.IsInf(det, 0) {
				o.scale = math.Sqrt(det)
			}
		}
	}
	return o
}

func (o *ofdTextObject) newCode(e xml.StartElement) *ofdTextCode {
	c := &ofdTextCode{x: o.lastX, y: o.lastY}
	if v, ok := attr(e, "X"); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			c.x = f
		}
	}
	if v, ok := attr(e, "Y"); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			c.y = f
		}
	}
	if v, ok := attr(e, "DeltaX"); ok {
		c.deltaX = ofdDeltas(v)
	}
	if v, ok := attr(e, "DeltaY"); ok {
		c.deltaY = ofdDeltas(v)
	}
	return c
}

// place appends the glyphs of a text code, in page coordinates.
func (o *ofdTextObject) place(glyphs []ofdGlyph, c *ofdTextCode) []ofdGlyph {
	x, y := c.x, c.y
	size := o.size * o.scale
	i := 0
	for _, r := range c.text.String() {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		px := o.bx + o.ctm[0]*x + o.ctm[2]*y + o.ctm[4]
		py := o.by + o.ctm[1]*x + o.ctm[3]*y + o.ctm[5]
		if !math.IsNaN(px) && !math.IsNaN(py) && !math.IsInf(px, 0) && !math.IsInf(py, 0) {
			glyphs = append(glyphs, ofdGlyph{x: px, y: py, size: size, r: r})
		}
		// The advance to the next character: given, else the last one
		// given, else estimated from the font size.
		switch {
		case i < len(c.deltaX):
			x += c.deltaX[i]
		case len(c.deltaX) > 0:
			x += c.deltaX[len(c.deltaX)-1]
		default:
			x += glyphWidth(r, o.size)
		}
		if i < len(c.deltaY) {
			y += c.deltaY[i]
		}
		i++
	}
	o.lastX, o.lastY = x, y
	return glyphs
}

// glyphWidth estimates the advance of a character: full width for CJK,
// half for the rest.
func glyphWidth(r rune, size float64) float64 {
	if r < 0x2E80 {
		return size / 2
	}
	return size
}

// ofdNumbers parses a list of numbers separated by blanks.
func ofdNumbers(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// ofdDeltas parses a DeltaX/DeltaY list, expanding "g N D" to N times D.
func ofdDeltas(s string) []float64 {
	fields := strings.Fields(s)
	var out []float64
	for i := 0; i < len(fields); i++ {
		if fields[i] == "g" && i+2 < len(fields) {
			n, err1 := strconv.Atoi(fields[i+1])
			d, err2 := strconv.ParseFloat(fields[i+2], 64)
			if err1 != nil || err2 != nil || n < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
				return out
			}
			for range min(n, 1<<16) {
				out = append(out, d)
			}
			i += 2
			continue
		}
		d, err := strconv.ParseFloat(fields[i], 64)
		if err != nil || math.IsNaN(d) || math.IsInf(d, 0) {
			return out
		}
		out = append(out, d)
	}
	return out
}

// ofdWords turns a page's glyphs into word boxes for the PDF path's
// layout: glyphs grouped into lines by baseline (within a third of the
// font size) and ordered by x, a line cut into words where a space is
// drawn, where two Latin letters or digits are visibly apart, or where the
// gap is wider than half a character (justification widens the gaps of
// Chinese text a little, a gutter or a table's cell gap much more). A
// glyph drawn twice at the same place (simulated bold, a shadow) counts
// once. A word's box is its glyphs' advances, from 0.88 em above the
// baseline to 0.12 em below.
func ofdWords(glyphs []ofdGlyph) []pdfWord {
	sort.SliceStable(glyphs, func(i, j int) bool { return glyphs[i].y < glyphs[j].y })
	var words []pdfWord
	for start := 0; start < len(glyphs); {
		g0 := glyphs[start]
		end := start + 1
		for end < len(glyphs) && glyphs[end].y-g0.y <= math.Max(g0.size, glyphs[end].size)/3 {
			end++
		}
		line := glyphs[start:end]
		sort.SliceStable(line, func(i, j int) bool { return line[i].x < line[j].x })
		words = appendOFDWords(words, line)
		start = end
	}
	return words
}

// appendOFDWords appends the words of one line of glyphs (ordered by x).
func appendOFDWords(words []pdfWord, line []ofdGlyph) []pdfWord {
	var sb strings.Builder
	var cur pdfWord
	var prev *ofdGlyph
	flush := func() {
		if sb.Len() > 0 {
			cur.text = sb.String()
			words = append(words, cur)
		}
		sb.Reset()
	}
	for i := range line {
		g := &line[i]
		if unicode.IsSpace(g.r) {
			flush()
			prev = nil
			continue
		}
		if prev != nil {
			gap := g.x - (prev.x + glyphWidth(prev.r, prev.size))
			switch {
			case g.r == prev.r && math.Abs(g.x-prev.x) < prev.size/5:
				continue
			case gap > 0.5*prev.size,
				gap > 0.25*prev.size && isWordRune(prev.r) && isWordRune(g.r):
				flush()
			}
		}
		if sb.Len() == 0 {
			cur = pdfWord{x0: g.x, y0: g.y - 0.88*g.size, x1: g.x, y1: g.y + 0.12*g.size}
		}
		sb.WriteRune(g.r)
		cur.x1 = max(cur.x1, g.x+glyphWidth(g.r, g.size))
		cur.y0, cur.y1 = min(cur.y0, g.y-0.88*g.size), max(cur.y1, g.y+0.12*g.size)
		prev = g
	}
	flush()
	return words
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
