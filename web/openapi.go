package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIPath is the OpenAPI 3 description of the whole API, written by
// hand and kept in sync with the routes by TestOpenAPIDescribesEveryRoute.
const openAPIPath = "static/openapi.json"

// apiOpenAPI: GET /api/openapi.json.
func (s *Server) apiOpenAPI(c echo.Context) error {
	data, err := staticFS.ReadFile(openAPIPath)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, data)
}
