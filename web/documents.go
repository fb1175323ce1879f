package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
)

// apiDocuments: GET /api/documents[?year=…&region=…&level=…&organization=…
// &doc_type=…][&sort=-year]: the reports that pass the filter, by year.
func (s *Server) apiDocuments(c echo.Context) error {
	f, err := search.ParseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	list, err := search.ListReports(s.index, f, search.Sort(c.QueryParam("sort")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// apiDocument: GET /api/documents/{id}: metadata, outline and every
// paragraph in order; 404 for an unknown id.
func (s *Server) apiDocument(c echo.Context) error {
	doc, err := search.LoadDocument(c.Request().Context(), s.index, c.Param("id"))
	if err != nil {
		return err
	}
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
	ctxN, err := intParam(c, "context", 2)
	if err != nil {
		return err
	}
	pc, err := search.LoadParagraph(c.Request().Context(), s.index, c.Param("id"), n, ctxN)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pc)
}
