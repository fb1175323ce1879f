package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The title of a page: <title> without the site's name, else og:title or
// a CMS's meta tag, else the first h1.

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
//
// At most maxSuffixes names are removed, and each step looks only at the
// end of the title, so that a <title> of a million "_" costs no more than
// a short one (it used to be rescanned once per separator: quadratic).
func stripSiteSuffix(title string) string {
	const minTitle, maxSuffix, maxSuffixes = 4, 30, 4
	for range maxSuffixes {
		// A separator further back than this leaves a suffix too long
		// to be a name.
		tailStart := max(0, len(title)-(maxSuffix+1)*utf8.UTFMax-4)
		tail := title[tailStart:]
		cut, sepLen := -1, 0
		for _, sep := range titleSeparators {
			if i := strings.LastIndex(tail, sep); i > cut {
				cut, sepLen = i, len(sep)
			}
		}
		if cut < 0 {
			return title
		}
		cut += tailStart
		prefix := strings.TrimSpace(title[:cut])
		suffix := strings.TrimSpace(title[cut+sepLen:])
		if !hasRunes(prefix, minTitle) || utf8.RuneCountInString(suffix) > maxSuffix {
			return title
		}
		title = prefix
	}
	return title
}

// hasRunes reports whether s has at least n characters, looking at no
// more of s than that.
func hasRunes(s string, n int) bool {
	for range s {
		if n--; n <= 0 {
			return true
		}
	}
	return n <= 0
}
