package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"
)

// Helpers for the page tests: fetch a page, parse it, and find elements
// the way a person would (by class, by link).

type pageDoc struct {
	code int
	body string
	root *html.Node
	rec  *httptest.ResponseRecorder
}

func fetchPage(t *testing.T, e *echo.Echo, target string) *pageDoc {
	t.Helper()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	root, err := html.Parse(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	return &pageDoc{code: rec.Code, body: rec.Body.String(), root: root, rec: rec}
}

func (d *pageDoc) find(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	return out
}

// byClass finds elements with a tag (any when "") and a class.
func (d *pageDoc) byClass(tag, class string) []*html.Node {
	return d.find(func(n *html.Node) bool {
		return (tag == "" || n.Data == tag) && hasClass(n, class)
	})
}

func (d *pageDoc) byID(id string) *html.Node {
	ns := d.find(func(n *html.Node) bool { return attr(n, "id") == id })
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text content of a node.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// linkByText finds the first link inside nodes whose text contains s.
func linkByText(nodes []*html.Node, s string) string {
	for _, n := range nodes {
		var found string
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if found != "" {
				return
			}
			if n.Type == html.ElementNode && n.Data == "a" && strings.Contains(textOf(n), s) {
				found = attr(n, "href")
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
		if found != "" {
			return found
		}
	}
	return ""
}
