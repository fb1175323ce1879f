package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
)

// exportFlushRows is how many rows are written between flushes, so that a
// long export reaches the client as it is produced.
const exportFlushRows = 500

// exportSearch streams every paragraph matching req as CSV or JSON Lines.
// The status and headers are sent with the first bytes: an error found
// before them (a malformed query) is still answered with 400 by the error
// handler; one after them can only cut the stream short, and is logged.
func (s *Server) exportSearch(c echo.Context, req search.Request, format export.Format, opt export.Options, show func(string) string) error {
	aw := &attachmentWriter{c: c, format: format, name: req.Query}
	opt.Query = req.Query
	rw := export.NewRowWriterOptions(aw, format, opt)
	n := 0
	err := s.index.Export(c.Request().Context(), req, func(r search.Row) error {
		r.Path = show(r.Path)
		if err := rw.Write(r); err != nil {
			return err
		}
		if n++; n%exportFlushRows == 0 {
			if err := rw.Flush(); err != nil {
				return err
			}
			c.Response().Flush()
		}
		return nil
	})
	if err == nil {
		err = rw.Close()
	}
	if err != nil {
		if aw.started {
			s.log.Error("export cut short", "uri", c.Request().RequestURI, "rows", n, "err", err)
		}
		return err
	}
	aw.start()
	return nil
}

// attachmentWriter sends the status and the attachment headers before the
// first bytes of an export.
type attachmentWriter struct {
	c       echo.Context
	format  export.Format
	name    string
	started bool
}

func (w *attachmentWriter) start() {
	if w.started {
		return
	}
	w.started = true
	h := w.c.Response().Header()
	ext, ctype := "jsonl", export.ContentTypeJSONL
	switch w.format {
	case export.CSV:
		ext, ctype = "csv", export.ContentTypeCSV
	case export.XLSX:
		ext, ctype = "xlsx", export.ContentTypeXLSX
	}
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderContentDisposition, attachment(w.name, ext))
	w.c.Response().WriteHeader(http.StatusOK)
}

func (w *attachmentWriter) Write(p []byte) (int, error) {
	w.start()
	return w.c.Response().Write(p)
}

// attachment is a Content-Disposition for a download named after the
// query: an ASCII fallback name, and the UTF-8 name per RFC 6266.
func attachment(query, ext string) string {
	return `attachment; filename="reportsearch.` + ext + `"; filename*=UTF-8''` +
		url.PathEscape("reportsearch-"+query+"."+ext)
}
