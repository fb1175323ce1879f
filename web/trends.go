package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
)

// apiTrends: GET /api/trends?q=…&q=…[&by=year|region|level|organization|doc_type]
// [&mode=loose][&year=…&region=…][&format=csv]: per query and bucket, the
// matching paragraphs, the reports they are in, and the rate per 10,000
// characters (see search.Trends).
func (s *Server) apiTrends(c echo.Context) error {
	req := search.TrendsRequest{
		Queries: c.QueryParams()["q"], Mode: search.Mode(c.QueryParam("mode")), By: c.QueryParam("by"),
	}
	var err error
	if req.Filter, err = search.ParseFilter(c.QueryParams()); err != nil {
		return err
	}
	format, err := export.ParseFormat(c.QueryParam("format"), export.JSON, export.CSV)
	if err != nil {
		return err
	}
	resp, err := search.Trends(c.Request().Context(), s.index, req)
	if err != nil {
		return err
	}
	if format == export.CSV {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, export.ContentTypeCSV)
		h.Set(echo.HeaderContentDisposition, attachment("trends-"+resp.By, "csv"))
		c.Response().WriteHeader(http.StatusOK)
		return export.WriteTrendsCSV(c.Response(), resp)
	}
	return c.JSON(http.StatusOK, resp)
}
