package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/search"
)

// IngestRequest asks a running server to index files from its own disk.
// It is what `reportsearch index` sends when the server holds the index:
// one process writes an index at a time, so the CLI hands the work to the
// writer instead of waiting for the lock.
type IngestRequest struct {
	Paths    []string `json:"paths"`
	Manifest string   `json:"manifest,omitempty"`
	Force    bool     `json:"force,omitempty"`
}

// DeleteRequest asks a running server to delete reports.
type DeleteRequest struct {
	IDs []string `json:"ids"`
}

// ingester serves the CLI's local endpoints; its writes go through the
// server's one Writer.
type ingester struct {
	w     *Writer
	token string
}

// RegisterLocalIngest adds POST /api/local/index and /api/local/delete,
// authorised by a bearer token that the server writes into the index
// folder (readable only by users who may write the index anyway). Writes
// go through w, the same Writer as the admin endpoints (see WithAdmin).
func RegisterLocalIngest(e *echo.Echo, w *Writer, token string) {
	in := &ingester{w: w, token: token}
	g := e.Group("/api/local", in.auth)
	g.POST("/index", in.index)
	g.POST("/delete", in.delete)
}

func (in *ingester) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || in.token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(in.token)) != 1 {
			return echo.NewHTTPError(http.StatusUnauthorized, "missing or wrong local token")
		}
		return next(c)
	}
}

func (in *ingester) index(c echo.Context) error {
	var req IngestRequest
	if err := c.Bind(&req); err != nil {
		return search.BadRequestf("bad request body: %v", err)
	}
	if len(req.Paths) == 0 {
		return search.BadRequestf("paths is empty")
	}
	srcs, err := indexer.FileSources(req.Paths, req.Manifest)
	if err != nil {
		return search.BadRequestf("%v", err)
	}
	sum, err := in.w.Index(c.Request().Context(), srcs, indexer.Options{Force: req.Force})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

func (in *ingester) delete(c echo.Context) error {
	var req DeleteRequest
	if err := c.Bind(&req); err != nil {
		return search.BadRequestf("bad request body: %v", err)
	}
	if err := in.w.Delete(req.IDs...); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"deleted": len(req.IDs)})
}
