package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"reportsearch/indexer/furniture"
)

// Finding the article body of a page: which element holds it (scored by
// its text weight, its links and the names of its id and class), and
// which of its blocks are still furniture by their wording (package
// furniture's vocabulary).

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
			b.Text = furniture.StripInlineWidgets(b.Text)
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

// isFurnitureText reports short blocks that are widgets, breadcrumbs,
// copyright footers or previous/next links by their wording (package
// furniture's vocabulary). A block made of widget words needs one that
// names a control: inside the article a lone 大 may be a table's cell.
func isFurnitureText(s string) bool {
	n := utf8.RuneCountInString(s)
	switch {
	case n <= 100 && (furniture.Breadcrumb(s) || furniture.PrevNext(s)):
		return true
	case n <= 200 && furniture.SiteFooter(s):
		return true
	}
	w, anchored := furniture.Widget(s)
	return w && anchored
}
