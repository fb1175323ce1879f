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
	filterTitles(list, p.get("title"))
	if p.get("size") != "" || p.get("from") != "" {
		from, size, err := listWindow(p, search.MaxSize)
		if err != nil {
			return err
		}
		list.Reports = list.Reports[min(from, len(list.Reports)):min(from+size, len(list.Reports))]
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
	// Title is the title search box's value; Hidden the filters it keeps.
	Title  string
	Hidden []hiddenField
	// Shown is the listed window (from 1) and Pages its links.
	ShownFrom, ShownTo int
	Pages              pagination
}

// documentsPageSize is how many reports a page of /documents lists.
const documentsPageSize = 50

// filterTitles keeps the reports whose title contains title (folded, as
// searches compare: full-width, traditional characters); "" keeps all.
func filterTitles(list *search.ReportList, title string) {
	if title == "" {
		return
	}
	t := analysis.FoldString(title)
	kept := list.Reports[:0]
	for _, r := range list.Reports {
		if strings.Contains(analysis.FoldString(r.Title), t) {
			kept = append(kept, r)
		}
	}
	list.Reports, list.Total = kept, len(kept)
}

// listWindow reads from and size of a report listing.
func listWindow(p params, def int) (from, size int, err error) {
	if from, err = intParam(p, "from", 0); err != nil {
		return
	}
	if size, err = intParam(p, "size", def); err != nil {
		return
	}
	if from < 0 {
		return 0, 0, search.BadRequestf("from must not be negative")
	}
	if size < 1 || size > 1000 {
		return 0, 0, search.BadRequestf("size must be between 1 and 1000, not %d", size)
	}
	return from, size, nil
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
	data.Title = p.get("title")
	for _, k := range filterParams {
		for _, v := range p[k] {
			data.Hidden = append(data.Hidden, hiddenField{k, v})
		}
	}
	if v := p.get("sort"); v != "" {
		data.Hidden = append(data.Hidden, hiddenField{"sort", v})
	}
	var from int
	if err == nil && data.List != nil {
		filterTitles(data.List, data.Title)
		from, _, err = listWindow(p, documentsPageSize)
	}
	if search.IsBadRequest(err) {
		data.Error = userMessage(err)
		data.List = nil
		return s.render(c, http.StatusBadRequest, "documents.html", data)
	}
	if err != nil {
		return err
	}
	n := len(data.List.Reports)
	data.ShownFrom, data.ShownTo = min(from, n)+1, min(from+documentsPageSize, n)
	data.List.Reports = data.List.Reports[min(from, n):data.ShownTo]
	data.Pages = paginateAt(p.set("from"), "/documents", from, documentsPageSize, uint64(n))
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
		if m, err = newMatcher(data.Query, search.Mode(data.Mode), s.themesOf()); err != nil {
			if !search.IsBadRequest(err) {
				return err
			}
			data.Error, status = userMessage(err), http.StatusBadRequest
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

// matcher decides which paragraphs of one report a query matches: the
// query prepared as for a search, matched with query.Match, the one
// definition of a hit, so that the reader marks exactly the paragraphs a
// search finds there (TestReaderMatchesEqualSearch checks this against
// the index). It works on one report's text, which is faster than asking
// the index for every match of a common query.
type matcher struct {
	q     *search.Query
	marks []string
}

func newMatcher(q string, mode search.Mode, themes search.Themes) (*matcher, error) {
	pq, err := search.ParseQueryWith(q, mode, themes)
	if err != nil {
		return nil, err
	}
	return &matcher{q: pq, marks: pq.Marks}, nil
}

func (m *matcher) match(text string) bool { return m.q.Match(text) }
