package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// extractHTML extracts the article body of an HTML page.
//
// Reports are usually saved from government or news sites, so a page is
// mostly chrome: navigation, breadcrumbs, font-size and print widgets, share
// bars, related links, footers. Extraction works in three steps:
//
//  1. Elements that are never article text are dropped: scripts, styles,
//     forms, nav/header/footer/aside, hidden elements, javascript: links, and
//     elements whose id or class names a widget (nav, breadcrumb, share,
//     print, fontsize, footer, copyright, related, comment, position...).
//  2. The remaining text is cut into blocks (p, h1-h6, li, table rows, lines
//     separated by <br>, text directly inside a div...).
//  3. The main content container is chosen readability-style: the element
//     whose paragraphs (direct children, and half for grandchildren) hold the
//     most text, discounted by its link density; it is widened to an
//     enclosing article/content-like element (class or id such as content,
//     article, TRS_Editor, zoom, main, detail) when that element holds most
//     of the same text, so that the article's own heading is kept.
//
// Blocks outside the container are dropped, and so are the blocks inside it
// that still look like widgets, breadcrumbs ("当前位置：首页 > 要闻") or
// footers ("版权所有", "ICP备"). Step 1 never drops an element that holds most
// of the page's text, so a misleading class name on a wrapper (an ASP.NET
// <form> around the whole page, a "has-sidebar" layout div) cannot empty it.
//
// Before parsing, the elements the parser would create are counted
// (countHTMLElements), so that a page that would build a DOM of more than
// MaxElements nodes is skipped without building it.
func extractHTML(data []byte, lim *Limits) (*Document, error) {
	d, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	if n, ok := countHTMLElements(d.text, lim.MaxElements); !ok {
		return nil, overLimit("MaxElements", "more than %d HTML elements (%d counted)", lim.MaxElements, n)
	}
	root, err := html.Parse(strings.NewReader(d.text))
	if err != nil {
		return nil, skipErr(err, "cannot parse HTML")
	}
	w := newHTMLWalker(root)
	w.walk(root, 0)
	w.flush()
	if len(w.blocks) > lim.MaxParagraphs {
		return nil, tooManyParagraphs(lim.MaxParagraphs)
	}
	return &Document{
		Format:        FormatHTML,
		Encoding:      d.enc,
		Title:         w.title(root),
		Blocks:        w.articleBlocks(),
		ReplacedBytes: d.replaced,
	}, nil
}

// maxHTMLDepth bounds the recursion over the DOM; deeper content (only seen
// in malicious or machine-generated pages) is ignored.
const maxHTMLDepth = 1000

// alwaysDropped elements never contain article text.
var alwaysDropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Frame: true,
	atom.Frameset: true, atom.Object: true, atom.Embed: true, atom.Applet: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Select: true,
	atom.Button: true, atom.Input: true, atom.Textarea: true, atom.Option: true,
	atom.Head: true, atom.Link: true, atom.Meta: true, atom.Map: true,
}

// chromeElements are page furniture by their tag; they are dropped unless
// they hold most of the page's text (see keepDespiteJunk).
var chromeElements = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
}

// blockElements end the current block when they start or end.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Dir: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true,
	atom.Legend: true, atom.Li: true, atom.Main: true, atom.Menu: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Td: true, atom.Tfoot: true, atom.Th: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true,
}

// boxElements are the elements that can be chosen as content container:
// blocks are credited to their nearest box ancestor.
var boxElements = map[atom.Atom]bool{
	atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Td: true, atom.Th: true, atom.Body: true, atom.Center: true,
	atom.Form: true, atom.Header: true, atom.Figure: true, atom.Details: true,
	atom.Fieldset: true,
}

// paragraphElements hold running text; a link-heavy block owned by one of
// them is still kept (a sentence may be mostly a link).
var paragraphElements = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Pre: true, atom.Blockquote: true,
}

func getAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// isHidden reports elements not rendered by a browser.
func isHidden(n *html.Node) bool {
	if _, ok := getAttr(n, "hidden"); ok {
		return true
	}
	if v, _ := getAttr(n, "aria-hidden"); strings.EqualFold(v, "true") {
		return true
	}
	style, _ := getAttr(n, "style")
	style = strings.ToLower(strings.Join(strings.Fields(style), ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// isScriptLink reports <a href="javascript:...">: UI controls (print,
// close, font size), never article text.
func isScriptLink(n *html.Node) bool {
	if n.DataAtom != atom.A {
		return false
	}
	href, _ := getAttr(n, "href")
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(href)), "javascript:")
}

// hblock is a block with what the content heuristics need.
type hblock struct {
	Block
	weight, link float64
	owner        *html.Node // innermost block element holding the text
	container    *html.Node // nearest box element (the owner itself if a box)
	grand        *html.Node // box element above container
}

// htmlWalker cuts a DOM into blocks.
type htmlWalker struct {
	stats map[*html.Node]textStat // per element, before id/class filtering
	total float64                 // non-link weight of the whole page

	blocks []hblock
	ranges map[*html.Node][2]int // blocks emitted inside each walked element

	buf     strings.Builder // text of the block being built
	bufLink float64         // weight of its text inside links

	owners    []*html.Node // open block elements
	boxes     []*html.Node // open box elements
	headings  []int        // levels of open h1-h6 elements
	inLink    int
	inPre     int
	inArticle int
}

func newHTMLWalker(root *html.Node) *htmlWalker {
	w := &htmlWalker{stats: map[*html.Node]textStat{}, ranges: map[*html.Node][2]int{}}
	s := w.measure(root, 0, false)
	w.total = s.weight - s.link
	return w
}

// dropped decides whether an element's subtree is left out.
func (w *htmlWalker) dropped(n *html.Node) bool {
	if alwaysDropped[n.DataAtom] || isHidden(n) || isScriptLink(n) {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	case atom.Header:
		if w.inArticle > 0 { // an article's own header holds its title
			return false
		}
	}
	if chromeElements[n.DataAtom] || hasJunkName(n) {
		return !w.keepDespiteJunk(n)
	}
	return false
}

// keepDespiteJunk protects an element that holds at least half of the
// page's text with few links: whatever its name says, it is the content.
func (w *htmlWalker) keepDespiteJunk(n *html.Node) bool {
	s := w.stats[n]
	return w.total > 0 && s.weight-s.link >= 0.5*w.total && s.link < 0.25*s.weight
}

func (w *htmlWalker) walk(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		w.addText(n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, depth+1)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if depth > maxHTMLDepth || w.dropped(n) {
		return
	}
	if n.DataAtom == atom.Br {
		w.flush()
		return
	}
	start := len(w.blocks)
	block := blockElements[n.DataAtom]
	if block {
		w.flush()
		w.owners = append(w.owners, n)
	}
	box := boxElements[n.DataAtom]
	if box {
		w.boxes = append(w.boxes, n)
	}
	level := headingLevel(n)
	if level > 0 {
		w.headings = append(w.headings, level)
	}
	switch n.DataAtom {
	case atom.A:
		w.inLink++
	case atom.Pre:
		w.inPre++
	case atom.Article, atom.Main:
		w.inArticle++
	}

	if n.DataAtom == atom.Tr && w.isDataRow(n) {
		w.addRow(n)
	} else {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, depth+1)
		}
	}

	// The last block of an element is emitted before leaving it, while its
	// heading level and owner are still current.
	if block {
		w.flush()
		w.owners = w.owners[:len(w.owners)-1]
	}
	if box {
		w.boxes = w.boxes[:len(w.boxes)-1]
	}
	if level > 0 {
		w.headings = w.headings[:len(w.headings)-1]
	}
	switch n.DataAtom {
	case atom.A:
		w.inLink--
	case atom.Pre:
		w.inPre--
	case atom.Article, atom.Main:
		w.inArticle--
	}
	w.ranges[n] = [2]int{start, len(w.blocks)}
}

// headingLevel returns 1..6 for h1..h6 and 0 for other elements.
func headingLevel(n *html.Node) int {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return int(n.Data[1] - '0')
	}
	return 0
}

// addText appends text to the current block; inside <pre>, newlines end
// blocks.
func (w *htmlWalker) addText(s string) {
	for {
		line, rest, found := strings.Cut(s, "\n")
		if w.inPre == 0 {
			line, found = s, false
		}
		w.buf.WriteString(line)
		if w.inLink > 0 {
			w.bufLink += textWeight(line)
		}
		if !found {
			return
		}
		w.buf.WriteByte(' ')
		w.flush()
		s = rest
	}
}

// flush turns the buffered text into a block.
func (w *htmlWalker) flush() {
	text := collapseSpace(w.buf.String())
	link := w.bufLink
	w.buf.Reset()
	w.bufLink = 0
	if text == "" {
		return
	}
	w.emit(text, link)
}

func (w *htmlWalker) emit(text string, link float64) {
	b := hblock{Block: Block{Text: text}, weight: textWeight(text)}
	b.link = min(link, b.weight)
	if len(w.headings) > 0 {
		b.Heading = w.headings[len(w.headings)-1]
	}
	if len(w.owners) > 0 {
		b.owner = w.owners[len(w.owners)-1]
	}
	if k := len(w.boxes); k > 0 {
		b.container = w.boxes[k-1]
		if k > 1 {
			b.grand = w.boxes[k-2]
		}
	}
	w.blocks = append(w.blocks, b)
}

// collapseSpace collapses runs of white space, including no-break spaces, to
// one space and trims them at both ends. Ideographic spaces (U+3000), which
// Chinese documents use for paragraph indentation, are kept as they are. A
// run containing a line break between two CJK characters is removed
// instead, as CSS Text prescribes: source HTML is often hard-wrapped in the
// middle of a Chinese sentence, where a space would be wrong.
func collapseSpace(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space, newline := false, false
	var last rune
	for _, r := range s {
		if r != '\u3000' && unicode.IsSpace(r) {
			space = true
			newline = newline || r == '\n' || r == '\r'
			continue
		}
		if space && sb.Len() > 0 && !(newline && isWide(last) && isWide(r)) {
			sb.WriteByte(' ')
		}
		space, newline = false, false
		sb.WriteRune(r)
		last = r
	}
	return sb.String()
}

// isDataRow tells a row of a data table, emitted as one block, from a row
// of a layout table (old sites lay whole pages out in tables), whose cells
// are walked as ordinary containers. Layout cells hold page structure
// (divs, lists, nested tables, several paragraphs or lines) or long text.
func (w *htmlWalker) isDataRow(tr *html.Node) bool {
	cells := 0
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
			continue
		}
		cells++
		if isLayoutCell(c) || w.stats[c].weight > 300 {
			return false
		}
	}
	return cells >= 2
}

// isLayoutCell reports a cell holding page structure rather than a value.
func isLayoutCell(cell *html.Node) bool {
	paras, breaks := 0, 0
	var visit func(n *html.Node, depth int) bool
	visit = func(n *html.Node, depth int) bool {
		if depth > maxHTMLDepth {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.H1, atom.H2, atom.H3,
				atom.H4, atom.H5, atom.H6, atom.Pre, atom.Blockquote, atom.Div,
				atom.Section, atom.Article, atom.Form, atom.Iframe:
				return true
			case atom.P:
				paras++
			case atom.Br:
				breaks++
			}
			if paras > 3 || breaks > 3 || visit(c, depth+1) {
				return true
			}
		}
		return false
	}
	return visit(cell, 0)
}

// addRow emits a data row: its non-empty cells joined by " | ".
func (w *htmlWalker) addRow(tr *html.Node) {
	var cells []string
	var link float64
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) || w.dropped(c) {
			continue
		}
		var sb strings.Builder
		link += w.flatten(c, &sb, 0, false)
		if text := collapseSpace(sb.String()); text != "" {
			cells = append(cells, text)
		}
	}
	if len(cells) > 0 {
		w.emit(strings.Join(cells, " | "), link)
	}
}

// flatten writes the text of a subtree as one line, returning the weight of
// the part inside links.
func (w *htmlWalker) flatten(n *html.Node, sb *strings.Builder, depth int, inLink bool) float64 {
	var link float64
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			sb.WriteString(c.Data)
			if inLink {
				link += textWeight(c.Data)
			}
		case html.ElementNode:
			if depth > maxHTMLDepth || w.dropped(c) {
				continue
			}
			if c.DataAtom == atom.Br || blockElements[c.DataAtom] {
				sb.WriteByte(' ')
			}
			link += w.flatten(c, sb, depth+1, inLink || c.DataAtom == atom.A)
			if blockElements[c.DataAtom] {
				sb.WriteByte(' ')
			}
		}
	}
	return link
}
