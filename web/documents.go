package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/highlight"
	"reportsearch/search/query"
)

// apiDocuments: GET /api/documents[?year=…&region=…&level=…&organization=…
// &doc_type=…][&sort=-year]: the reports that pass the filter, by year.
func (s *Server) apiDocuments(c echo.Context) error {
	p, err := readParams(c.QueryParams(), documentsKeys)
	if err != nil {
		return err
	}
	f, err := search.ParseFilter(p)
	if err != nil {
		return err
	}
	show, err := s.showPaths(c)
	if err != nil {
		return err
	}
	list, err := search.ListReports(s.index, f, search.Sort(p.get("sort")))
	if err != nil {
		return err
	}
	for i := range list.Reports {
		list.Reports[i].Path = show(list.Reports[i].Path)
	}
	return c.JSON(http.StatusOK, list)
}

// apiDocument: GET /api/documents/{id}: metadata, outline and every
// paragraph in order; 404 for an unknown id.
func (s *Server) apiDocument(c echo.Context) error {
	show, err := s.showPaths(c)
	if err != nil {
		return err
	}
	doc, err := search.LoadDocument(c.Request().Context(), s.index, c.Param("id"))
	if err != nil {
		return err
	}
	doc.Report.Path = show(doc.Report.Path)
	return c.JSON(http.StatusOK, doc)
}

// apiParagraph: GET /api/documents/{id}/paragraphs/{n}[?context=2]: one
// paragraph, context paragraphs on each side and the headings above it;
// 404 for an unknown report or paragraph.
func (s *Server) apiParagraph(c echo.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return search.BadRequestf("paragraph number must be a positive integer, not %q", c.Param("n"))
	}
	p, err := readParams(c.QueryParams(), apiParagraphKey)
	if err != nil {
		return err
	}
	ctxN, err := intParam(p, "context", 2)
	if err != nil {
		return err
	}
	show, err := s.showPaths(c)
	if err != nil {
		return err
	}
	pc, err := search.LoadParagraph(c.Request().Context(), s.index, c.Param("id"), n, ctxN)
	if err != nil {
		return err
	}
	pc.Report.Path = show(pc.Report.Path)
	return c.JSON(http.StatusOK, pc)
}

// documentsPage lists the reports, filtered like the API's listing.
type documentsPage struct {
	page
	List   *search.ReportList
	Active []activeFilter
	Error  string
	// Newest links to the listing newest first (or back).
	SortHref, SortLabel string
}

// uiDocuments: GET /documents[?filters][&sort=-year]: every report, with a
// link to read it.
func (s *Server) uiDocuments(c echo.Context) error {
	p, err := readParams(c.QueryParams(), documentsKeys)
	data := &documentsPage{page: page{Title: "报告", Nav: "documents"}, Active: activeFilters(p, "/documents")}
	data.SortHref, data.SortLabel = p.set("sort", "-year").href("/documents"), "新的在前"
	if p.get("sort") == string(search.SortYearDesc) {
		data.SortHref, data.SortLabel = p.set("sort").href("/documents"), "旧的在前"
	}
	var f search.Filter
	if err == nil {
		f, err = search.ParseFilter(p)
	}
	if err == nil {
		data.List, err = search.ListReports(s.index, f, search.Sort(p.get("sort")))
	}
	if search.IsBadRequest(err) {
		data.Error = err.Error()
		return s.render(c, http.StatusBadRequest, "documents.html", data)
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "documents.html", data)
}

// readerPage is a report laid out for reading: its outline, its
// paragraphs (anchored #p{n}), and with ?q= the paragraphs that match,
// marked, each linked to the previous and next match.
type readerPage struct {
	page
	Report  search.Report
	Outline []search.OutlineEntry
	Paras   []readerPara
	Query   string
	Mode    string
	Error   string
	// Matches are the matching paragraph numbers, in order.
	Matches []int
	// SearchHref goes back to the search the reader was opened from.
	SearchHref string
}

type readerPara struct {
	N       int
	HTML    template.HTML
	Heading bool
	// Level is a heading's depth (1 = top).
	Level int
	Match bool
	// Prev and Next are the neighbouring matches (0: none).
	Prev, Next int
}

// maxListedMatches bounds the list of matches at the top of the reader.
const maxListedMatches = 200

// uiReader: GET /documents/{id}[?q=…&mode=…][#p12]: the report with its
// outline; with q, its matching paragraphs are marked exactly as in the
// search results and linked to each other.
func (s *Server) uiReader(c echo.Context) error {
	doc, err := search.LoadDocument(c.Request().Context(), s.index, c.Param("id"))
	if err != nil {
		return err
	}
	data := &readerPage{page: page{Title: doc.Report.Title, Nav: "documents"}, Report: doc.Report,
		Outline: doc.Outline, Query: c.QueryParam("q"), Mode: c.QueryParam("mode")}
	levels := map[int]int{}
	for _, o := range doc.Outline {
		levels[o.Paragraph] = o.Level
	}
	var m *matcher
	status := http.StatusOK
	if strings.TrimSpace(data.Query) != "" {
		data.SearchHref = pageParams(c.QueryParams(), "q", "mode").href("/")
		if m, err = newMatcher(data.Query, search.Mode(data.Mode)); err != nil {
			if !search.IsBadRequest(err) {
				return err
			}
			data.Error, status = err.Error(), http.StatusBadRequest
		}
	}
	data.Paras = make([]readerPara, len(doc.Paragraphs))
	for i, p := range doc.Paragraphs {
		rp := readerPara{N: p.N, Heading: p.Heading, Level: min(max(levels[p.N], 1), 4)}
		if m != nil && m.match(p.Text) {
			rp.Match = true
			rp.HTML = template.HTML(highlight.Highlight(p.Text, m.marks).HTML)
			data.Matches = append(data.Matches, p.N)
		} else {
			rp.HTML = template.HTML(template.HTMLEscapeString(p.Text))
		}
		data.Paras[i] = rp
	}
	prev := 0
	for i := range data.Paras {
		if data.Paras[i].Match {
			data.Paras[i].Prev = prev
			prev = data.Paras[i].N
		}
	}
	next := 0
	for i := len(data.Paras) - 1; i >= 0; i-- {
		if data.Paras[i].Match {
			data.Paras[i].Next = next
			next = data.Paras[i].N
		}
	}
	return s.render(c, status, "reader.html", data)
}

// ListedMatches are the first matches, for the list at the top.
func (r *readerPage) ListedMatches() []int {
	return r.Matches[:min(len(r.Matches), maxListedMatches)]
}

// matcher decides which paragraphs of one report a query matches, by the
// same rule as the index (a term matches a paragraph that contains it,
// after folding; loose mode: that contains each of its gse words), so
// that the reader marks exactly the paragraphs a search finds there
// (TestReaderMatchesEqualSearch checks this against the index). It
// works on one report's text, which is faster than asking the index for
// every match of a common query.
type matcher struct {
	tree  query.Node
	mode  search.Mode
	marks []string
	words map[string][]string // loose mode: a term's folded words
}

func newMatcher(q string, mode search.Mode) (*matcher, error) {
	if mode == "" {
		mode = search.ModeExact
	}
	if mode != search.ModeExact && mode != search.ModeLoose {
		return nil, search.BadRequestf("mode must be %q or %q, not %q", search.ModeExact, search.ModeLoose, mode)
	}
	tree, err := query.Parse(q)
	if err != nil {
		return nil, &search.BadRequestError{Msg: err.Error()}
	}
	m := &matcher{tree: tree, mode: mode, words: map[string][]string{}}
	if mode == search.ModeLoose {
		// Every term, excluded ones too, matches by its words.
		var walk func(query.Node) error
		walk = func(n query.Node) error {
			switch n := n.(type) {
			case query.Term:
				ws, err := analysis.Words(n.Text)
				if err != nil {
					return err
				}
				if len(ws) > 1 {
					m.words[n.Text] = ws
				}
			case query.And:
				for _, ch := range n.Children {
					if err := walk(ch); err != nil {
						return err
					}
				}
			case query.Or:
				for _, ch := range n.Children {
					if err := walk(ch); err != nil {
						return err
					}
				}
			case query.Not:
				return walk(n.Child)
			}
			return nil
		}
		if err := walk(tree); err != nil {
			return nil, err
		}
	}
	for _, t := range query.Terms(tree) {
		if ws, ok := m.words[t]; ok {
			m.marks = append(m.marks, ws...)
		} else {
			m.marks = append(m.marks, t)
		}
	}
	return m, nil
}

func (m *matcher) match(text string) bool {
	return m.eval(m.tree, analysis.FoldString(text))
}

func (m *matcher) eval(n query.Node, folded string) bool {
	switch n := n.(type) {
	case query.Term:
		if ws, ok := m.words[n.Text]; ok {
			for _, w := range ws {
				if !strings.Contains(folded, analysis.FoldString(w)) {
					return false
				}
			}
			return true
		}
		return strings.Contains(folded, analysis.FoldString(n.Text))
	case query.And:
		for _, ch := range n.Children {
			if not, ok := ch.(query.Not); ok {
				if m.eval(not.Child, folded) {
					return false
				}
			} else if !m.eval(ch, folded) {
				return false
			}
		}
		return true
	case query.Or:
		for _, ch := range n.Children {
			if m.eval(ch, folded) {
				return true
			}
		}
		return false
	case query.Not:
		return !m.eval(n.Child, folded)
	}
	return false
}
