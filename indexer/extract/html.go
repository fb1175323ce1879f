package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

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
func extractHTML(data []byte) (*Document, error) {
	text, enc, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, skipErr(err, "cannot parse HTML")
	}
	w := newHTMLWalker(root)
	w.walk(root, 0)
	w.flush()
	return &Document{
		Format:   FormatHTML,
		Encoding: enc,
		Title:    w.title(root),
		Blocks:   w.articleBlocks(),
	}, nil
}

// decodeHTML converts an HTML file to UTF-8. A BOM wins; then bytes that are
// valid UTF-8 and not plain ASCII are UTF-8 whatever the page declares
// (GBK text is practically never valid UTF-8, while pages re-saved as UTF-8
// often keep their old gb2312 declaration); then a declared GBK/GB2312/
// GB18030 or Big5 charset is honoured if the text it gives is plausible
// (decodeDeclared); anything else (no declaration, one this package does
// not support, or a wrong one) falls back to sniffing as for plain text.
func decodeHTML(data []byte) (text, enc string, err error) {
	if bytes.HasPrefix(data, bomUTF8) || bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return decodeText(data)
	}
	if hasNonASCII(data) && utf8.Valid(data) {
		return decodeText(data)
	}
	if text, enc, ok := decodeDeclared(data, declaredCharset(data)); ok {
		return text, enc, nil
	}
	return decodeText(data)
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// isGBLabel reports the charset labels of the GB family, all decoded with
// GB18030, their common superset.
func isGBLabel(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "gbk", "gb2312", "gb_2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "ms936",
		"windows-936", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280":
		return true
	}
	return false
}

var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']`)

// declaredCharset finds the charset declared by an XML declaration or a
// <meta charset> / <meta http-equiv="Content-Type"> tag before <body>. The
// tokenizer can run on the raw bytes because the GB encodings never use
// ASCII bytes inside multi-byte characters where it matters (<, >, quotes).
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 16<<10)]
	if m := xmlEncodingRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				var charset, httpEquiv, content string
				for hasAttr {
					var key, val []byte
					key, val, hasAttr = z.TagAttr()
					switch string(key) {
					case "charset":
						charset = string(val)
					case "http-equiv":
						httpEquiv = string(val)
					case "content":
						content = string(val)
					}
				}
				if charset != "" {
					return charset
				}
				if strings.EqualFold(strings.TrimSpace(httpEquiv), "content-type") {
					if cs := charsetFromContentType(content); cs != "" {
						return cs
					}
				}
			}
		}
	}
}

// charsetFromContentType extracts charset=... from "text/html; charset=gbk".
func charsetFromContentType(ct string) string {
	lower := strings.ToLower(ct)
	i := strings.Index(lower, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(lower[i+len("charset"):], " \t")
	rest, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return ""
	}
	rest = strings.Trim(rest, " \t\"'")
	if end := strings.IndexAny(rest, " \t;\"'"); end >= 0 {
		rest = rest[:end]
	}
	return rest
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

// junkNames are substrings of id/class values naming page furniture.
var junkNames = []string{
	"nav", "menu", "breadcrumb", "crumb", "share", "print", "footer", "foot",
	"sidebar", "side-bar", "side_bar", "toolbar", "tool-bar", "fontsize",
	"font-size", "font_size", "copyright", "related", "comment", "position",
	"location", "dqwz", "jiathis", "advert",
}

// contentNames are substrings of id/class values naming the article body.
var contentNames = []string{
	"article", "content", "trs_editor", "zoom", "text", "main", "detail",
	"bodytext", "body-text", "body_text", "zhengwen", "story", "entry",
}

// classTokens returns the lower-cased id and class tokens of n.
func classTokens(n *html.Node) []string {
	var tokens []string
	for _, a := range n.Attr {
		if a.Namespace == "" && (a.Key == "id" || a.Key == "class") {
			tokens = append(tokens, strings.Fields(strings.ToLower(a.Val))...)
		}
	}
	return tokens
}

// hasJunkName reports an id/class naming page furniture.
func hasJunkName(n *html.Node) bool {
	for _, tok := range classTokens(n) {
		if strings.HasPrefix(tok, "position-") { // Bootstrap utility classes
			continue
		}
		tok = strings.ReplaceAll(tok, "footnote", "")
		for _, junk := range junkNames {
			if !strings.Contains(tok, junk) {
				continue
			}
			// "printContent", "print_area": the area a print button
			// prints is the article itself.
			if junk == "print" && containsAny(tok, "content", "area", "article", "main", "text", "body", "zoom") {
				continue
			}
			return true
		}
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isContentLike reports <article>, <main> or an id/class naming content.
func isContentLike(n *html.Node) bool {
	if n.DataAtom == atom.Article || n.DataAtom == atom.Main {
		return true
	}
	for _, tok := range classTokens(n) {
		for _, name := range contentNames {
			if strings.Contains(tok, name) {
				return true
			}
		}
	}
	return false
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

// textStat is the weighted text length of a subtree and its part in links.
type textStat struct{ weight, link float64 }

// textWeight measures text for the content heuristics: a Han (or other CJK)
// character counts 1, any other letter or digit 0.3 (about one English word
// per Chinese character), spaces and punctuation nothing.
func textWeight(s string) float64 {
	var w float64
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			w++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w += 0.3
		}
	}
	return w
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

// measure fills w.stats for the subtree at n.
func (w *htmlWalker) measure(n *html.Node, depth int, inLink bool) textStat {
	switch n.Type {
	case html.TextNode:
		wt := textWeight(n.Data)
		if inLink {
			return textStat{wt, wt}
		}
		return textStat{wt, 0}
	case html.ElementNode:
		if depth > maxHTMLDepth || alwaysDropped[n.DataAtom] || isHidden(n) || isScriptLink(n) {
			return textStat{}
		}
	case html.DocumentNode:
	default:
		return textStat{}
	}
	inLink = inLink || n.DataAtom == atom.A
	var s textStat
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := w.measure(c, depth+1, inLink)
		s.weight += cs.weight
		s.link += cs.link
	}
	if n.Type == html.ElementNode {
		w.stats[n] = s
	}
	return s
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

// container chooses the element holding the article body (nil if there is
// no text at all).
func (w *htmlWalker) container() *html.Node {
	// Prefix sums of weights over the blocks, for subtree totals.
	weight := make([]float64, len(w.blocks)+1)
	link := make([]float64, len(w.blocks)+1)
	for i, b := range w.blocks {
		weight[i+1] = weight[i] + b.weight
		link[i+1] = link[i] + b.link
	}
	subtree := func(n *html.Node) (wt, lk float64) {
		r := w.ranges[n]
		return weight[r[1]] - weight[r[0]], link[r[1]] - link[r[0]]
	}

	// A block's text counts fully for its container and half for the
	// container's own container: paragraphs are credited to the element
	// that holds them, and sections of one article add up in their parent.
	scores := map[*html.Node]float64{}
	var candidates []*html.Node
	credit := func(n *html.Node, s float64) {
		if n == nil {
			return
		}
		if _, seen := scores[n]; !seen {
			candidates = append(candidates, n)
		}
		scores[n] += s
	}
	for _, b := range w.blocks {
		if b.Heading > 0 {
			continue
		}
		if s := b.weight - b.link; s >= minScoredWeight {
			credit(b.container, s)
			credit(b.grand, s/2)
		}
	}
	adjusted := func(n *html.Node) float64 {
		wt, lk := subtree(n)
		if wt == 0 {
			return 0
		}
		s := scores[n] * (1 - lk/wt)
		if isContentLike(n) {
			s *= 1.25
		}
		return s
	}

	var best *html.Node
	bestScore := 0.0
	for _, n := range candidates {
		if s := adjusted(n); s > bestScore {
			best, bestScore = n, s
		}
	}
	if best == nil {
		return nil
	}

	// Widen to an enclosing element that is article/content-like and holds
	// most of the same text, or that scores nearly as well: since a parent
	// gets half of its grandchildren's text, that happens when the best
	// element holds at most about 80% of the text of its parent's boxes,
	// i.e. the article is split among several children (sections, or one
	// long paragraph div next to shorter ones).
	for range 3 {
		parent := w.parentBox(best)
		if parent == nil || parent.DataAtom == atom.Body {
			break
		}
		bestW, bestL := subtree(best)
		parentW, parentL := subtree(parent)
		share := 0.0
		if parentW-parentL > 0 {
			share = (bestW - bestL) / (parentW - parentL)
		}
		if (isContentLike(parent) && share >= 0.6) || adjusted(parent) >= 0.6*adjusted(best) {
			best = parent
			continue
		}
		break
	}
	return best
}

// minScoredWeight ignores tiny blocks (labels, dates) when scoring.
const minScoredWeight = 6

// parentBox returns the nearest walked box element above n.
func (w *htmlWalker) parentBox(n *html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if _, walked := w.ranges[p]; walked && boxElements[p.DataAtom] {
			return p
		}
	}
	return nil
}

// articleBlocks returns the blocks of the content container that do not
// look like page furniture.
func (w *htmlWalker) articleBlocks() []Block {
	blocks := w.blocks
	if c := w.container(); c != nil {
		r := w.ranges[c]
		blocks = blocks[r[0]:r[1]]
	}
	var out []Block
	for _, b := range blocks {
		if b.Heading == 0 {
			b.Text = strings.Trim(inlineWidgetRE.ReplaceAllString(b.Text, ""), " ")
		}
		switch {
		case b.Text == "":
		case b.weight > 0 && b.link > 0.5*b.weight && b.owner != nil && !paragraphElements[b.owner.DataAtom]:
			// a link list (related articles, previous/next, menus)
		case isFurnitureText(b.Text):
		default:
			out = append(out, b.Block)
		}
	}
	return out
}

var (
	// inlineWidgetRE matches font-size and bracketed print/close controls
	// that share a line with real text (e.g. a date line).
	inlineWidgetRE = regexp.MustCompile(`[【\[]?\s*字号\s*[:：]\s*(?:[大中小]|默认|超大|\s|[|｜/])+[】\]]?|[【\[]\s*(?:打印|关闭|打印本页|打印此页|关闭窗口|收藏|分享)\s*[】\]]`)
	// breadcrumbRE matches "当前位置：", "您现在的位置：", "首页 > ..." lines.
	breadcrumbRE = regexp.MustCompile(`^\s*(?:(?:(?:您|你)(?:现在|当前|目前)?(?:所在)?的?|当前(?:所在)?的?|现在(?:所在)?的?|所在)位置\s*(?:是\s*)?[:：]|首页\s*[>»＞›→/])`)
	// footerRE matches copyright and ICP registration lines.
	footerRE = regexp.MustCompile(`版权所有|ICP备|ICP证|公网安备|(?i:copyright)`)
	// prevNextRE matches previous/next article links.
	prevNextRE = regexp.MustCompile(`^\s*[【\[]?\s*(?:上一篇|下一篇|上一条|下一条)`)
)

// widgetWords are the words of font-size/print/share widget lines; a line
// made only of them (with at least one anchor word) is a widget.
var widgetWords = map[string]bool{ // word -> anchor
	"字号": true, "字体": true, "打印": true, "打印本页": true, "打印此页": true,
	"打印文章": true, "关闭": true, "关闭窗口": true, "关闭本页": true, "收藏": true,
	"分享": true, "分享到": true, "纠错": true, "我要纠错": true, "返回顶部": true,
	"扫一扫": true, "微信": true, "微博": true, "qq空间": true,
	"大": false, "中": false, "小": false, "大中小": false, "默认": false,
	"超大": false, "本页": false, "t": false,
}

// isFurnitureText reports short lines that are widgets, breadcrumbs,
// copyright footers or previous/next links by their wording.
func isFurnitureText(s string) bool {
	n := utf8.RuneCountInString(s)
	switch {
	case n <= 100 && (breadcrumbRE.MatchString(s) || prevNextRE.MatchString(s)):
		return true
	case n <= 200 && footerRE.MatchString(s):
		return true
	}
	if n > 40 {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	anchor := false
	for _, word := range words {
		isAnchor, ok := widgetWords[word]
		if !ok {
			return false
		}
		anchor = anchor || isAnchor
	}
	return anchor
}

// title returns the page title: <title> without the site name, else
// og:title or the TRS CMS ArticleTitle meta tag, else the first h1.
func (w *htmlWalker) title(root *html.Node) string {
	var title, meta string
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.ElementNode && n.Namespace == "" {
			switch n.DataAtom {
			case atom.Title:
				if title == "" {
					title = collapseSpace(textOf(n))
				}
			case atom.Meta:
				key, _ := getAttr(n, "property")
				if key == "" {
					key, _ = getAttr(n, "name")
				}
				if k := strings.ToLower(key); meta == "" && (k == "og:title" || k == "articletitle") {
					content, _ := getAttr(n, "content")
					meta = collapseSpace(content)
				}
			case atom.Svg, atom.Math:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, depth+1)
		}
	}
	visit(root, 0)
	if t := stripSiteSuffix(title); t != "" {
		return t
	}
	if meta != "" {
		return meta
	}
	for _, b := range w.blocks {
		if b.Heading == 1 {
			return b.Text
		}
	}
	return ""
}

// textOf returns the text directly inside n (enough for <title>).
func textOf(n *html.Node) string {
	var sb strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			sb.WriteString(c.Data)
		}
	}
	return sb.String()
}

// titleSeparators separate an article title from the site and column names
// in <title>: "标题_滚动新闻_中国政府网", "标题 - 新华网", "标题 | 人民网".
var titleSeparators = []string{" - ", " – ", " — ", "--", "_", "|", "｜"}

// stripSiteSuffix removes trailing site/column names from a <title>, as long
// as what remains is long enough to be a title by itself (so "要闻_新华网"
// stays whole) and what is removed is short enough to be a name.
func stripSiteSuffix(title string) string {
	const minTitle, maxSuffix = 4, 30
	for {
		cut, sepLen := -1, 0
		for _, sep := range titleSeparators {
			if i := strings.LastIndex(title, sep); i > cut {
				cut, sepLen = i, len(sep)
			}
		}
		if cut < 0 {
			return title
		}
		prefix := strings.TrimSpace(title[:cut])
		suffix := strings.TrimSpace(title[cut+sepLen:])
		if utf8.RuneCountInString(prefix) < minTitle || utf8.RuneCountInString(suffix) > maxSuffix {
			return title
		}
		title = prefix
	}
}
