package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// countHTMLElements counts the elements html.Parse would create from text,
// stopping as soon as the count passes max (ok is then false). The count is
// the start tags plus the copies of formatting elements (b, font, a ...)
// that the parser re-creates after a block end closed them while they were
// still active ("reconstruct the active formatting elements" in the HTML
// standard): with them, a few kilobytes of misnested tags (three hundred
// distinct <b id=…> closed by a </div>, then <p>x</p> repeated) build a DOM
// of hundreds of thousands of nodes, a 50 MB page billions.
//
// The tree construction is simulated only as far as that needs: a stack
// of open elements, where an end tag closes back to its element and a new
// p, li, dd, dt, option, tr, td, th or heading closes an open one of its
// kind; the list of active formatting elements with its markers (table
// cells, captions, objects) and its limit of three equal entries (the
// "Noah's Ark" clause). It is an estimate: exact for nested and repeated
// formatting, close for ordinary pages, and it never builds a node.
func countHTMLElements(text string, max int) (n int, ok bool) {
	c := htmlCounter{open: map[string]int{}, counts: []map[string]int{{}}}
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return c.n, true
		case html.TextToken:
			c.reconstruct()
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			c.start(string(name), hasAttr, z, false)
		case html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			c.start(string(name), hasAttr, z, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(string(name))
		}
		if c.n > max {
			return c.n, false
		}
	}
}

// maxOpenElements mirrors x/net/html, which fails beyond 512 open
// elements; the simulation stops pushing there, which keeps it bounded.
const maxOpenElements = 512

type htmlCounter struct {
	n      int // elements counted
	stack  []openElement
	open   map[string]int // open elements by name
	active []*formatEntry // active formatting elements; nil is a marker
	// counts holds, per marker level, the active entries after the last
	// marker by key, for the Noah's Ark clause.
	counts []map[string]int
}

type openElement struct {
	name  string
	entry *formatEntry // the active formatting entry it is, if any
}

type formatEntry struct {
	name, key string // tag name; tag name and attributes
	open      bool   // on the stack of open elements
}

// formattingTags are the elements kept in the list of active formatting
// elements.
var formattingTags = map[string]bool{
	"a": true, "b": true, "big": true, "code": true, "em": true, "font": true,
	"i": true, "nobr": true, "s": true, "small": true, "strike": true,
	"strong": true, "tt": true, "u": true,
}

// markerTags insert a marker in the list of active formatting elements;
// their end clears the list back to it.
var markerTags = map[string]bool{
	"td": true, "th": true, "caption": true, "applet": true, "marquee": true,
	"object": true, "template": true,
}

// voidTags never have content or an end tag.
var voidTags = map[string]bool{
	"area": true, "base": true, "basefont": true, "bgsound": true, "br": true,
	"col": true, "embed": true, "frame": true, "hr": true, "image": true,
	"img": true, "input": true, "keygen": true, "link": true, "meta": true,
	"param": true, "source": true, "track": true, "wbr": true,
}

// closesOwnKind are the elements whose start tag closes an open element
// of the same group (a new list item ends the previous one).
var closesOwnKind = map[string][]string{
	"p": {"p"}, "li": {"li"}, "dd": {"dd", "dt"}, "dt": {"dd", "dt"},
	"option": {"option"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
	"th": {"td", "th"}, "h1": headings, "h2": headings, "h3": headings,
	"h4": headings, "h5": headings, "h6": headings,
}

var headings = []string{"h1", "h2", "h3", "h4", "h5", "h6"}

// blockStarts do not reconstruct the active formatting elements; the ones
// that close an open p in the standard are marked true.
var blockStarts = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true,
	"center": true, "details": true, "dialog": true, "dir": true, "div": true,
	"dl": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "header": true, "hgroup": true, "main": true, "menu": true,
	"nav": true, "ol": true, "p": true, "search": true, "section": true,
	"summary": true, "ul": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "pre": true, "listing": true, "form": true,
	"li": true, "dd": true, "dt": true, "plaintext": true, "table": true,
	"hr": true, "xmp": true,
	"html": false, "head": false, "body": false, "caption": false, "col": false,
	"colgroup": false, "tbody": false, "tfoot": false, "thead": false,
	"tr": false, "td": false, "th": false, "title": false, "script": false,
	"style": false, "meta": false, "link": false, "base": false,
	"template": false, "textarea": false, "iframe": false, "noscript": false,
	"frameset": false, "frame": false,
}

func (c *htmlCounter) start(name string, hasAttr bool, z *html.Tokenizer, selfClosing bool) {
	if group, ok := closesOwnKind[name]; ok {
		for _, g := range group {
			if c.open[g] > 0 {
				c.popTo(g)
			}
		}
	}
	closesP, block := blockStarts[name]
	if closesP && c.open["p"] > 0 && name != "p" {
		c.popTo("p")
	}
	if !block {
		c.reconstruct()
	}
	if voidTags[name] || selfClosing {
		c.n++
		return
	}
	var entry *formatEntry
	if formattingTags[name] {
		key := name
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			key += "\x00" + string(k) + "=" + string(v)
		}
		entry = &formatEntry{name: name, key: key}
		if name == "a" {
			c.removeActive("a") // a new link ends an open one
		}
		c.noahsArk(key)
	}
	c.push(name, entry)
	if entry != nil {
		entry.open = len(c.stack) > 0 && c.stack[len(c.stack)-1].entry == entry
		c.active = append(c.active, entry)
		c.counts[len(c.counts)-1][entry.key]++
	}
	if markerTags[name] {
		c.active = append(c.active, nil)
		c.counts = append(c.counts, map[string]int{})
	}
}

func (c *htmlCounter) end(name string) {
	if formattingTags[name] {
		c.removeActive(name)
	}
	if c.open[name] > 0 {
		c.popTo(name)
	}
	if markerTags[name] {
		c.clearToMarker()
	}
}

// push opens an element (counting it), unless the stack is full.
func (c *htmlCounter) push(name string, entry *formatEntry) {
	c.n++
	if len(c.stack) < maxOpenElements {
		c.stack = append(c.stack, openElement{name, entry})
		c.open[name]++
	}
}

// popTo closes the open elements back to and including the last one
// called name.
func (c *htmlCounter) popTo(name string) {
	for len(c.stack) > 0 {
		top := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		c.open[top.name]--
		if top.entry != nil {
			top.entry.open = false
		}
		if top.name == name {
			return
		}
	}
}

// reconstruct re-opens the active formatting elements after the last
// marker or open one, each as a new element.
func (c *htmlCounter) reconstruct() {
	i := len(c.active)
	for i > 0 && c.active[i-1] != nil && !c.active[i-1].open {
		i--
	}
	for _, e := range c.active[i:] {
		c.push(e.name, e)
		e.open = c.stack[len(c.stack)-1].entry == e
	}
}

// noahsArk removes the earliest of three active entries equal to key
// after the last marker, before a fourth is added.
func (c *htmlCounter) noahsArk(key string) {
	if c.counts[len(c.counts)-1][key] < 3 {
		return
	}
	for i := c.lastMarker() + 1; i < len(c.active); i++ {
		if e := c.active[i]; e != nil && e.key == key {
			c.removeAt(i)
			return
		}
	}
}

// removeActive removes the last active entry called name after the last
// marker (as the end tag's adoption agency does), closing it if open.
func (c *htmlCounter) removeActive(name string) {
	for i := len(c.active) - 1; i >= 0 && c.active[i] != nil; i-- {
		if e := c.active[i]; e.name == name {
			if e.open {
				c.popTo(name)
			}
			c.removeAt(i)
			return
		}
	}
}

func (c *htmlCounter) removeAt(i int) {
	c.counts[len(c.counts)-1][c.active[i].key]--
	c.active = append(c.active[:i], c.active[i+1:]...)
}

func (c *htmlCounter) lastMarker() int {
	for i := len(c.active) - 1; i >= 0; i-- {
		if c.active[i] == nil {
			return i
		}
	}
	return -1
}

// clearToMarker drops the active entries back to and including the last
// marker.
func (c *htmlCounter) clearToMarker() {
	m := c.lastMarker()
	if m < 0 {
		return
	}
	c.active = c.active[:m]
	if len(c.counts) > 1 {
		c.counts = c.counts[:len(c.counts)-1]
	}
}
