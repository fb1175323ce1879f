package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
)

// The search answer is written by search.Response.AppendJSON rather than
// by c.JSON's reflection (most of the API's CPU at 1M paragraphs, see
// docs/benchmarks.md), into a buffer reused across requests, with its
// Content-Length, so that net/http writes it at once instead of in
// chunks.

// answerBufs are the buffers answers are written into; one that grew past
// maxPooledAnswer (a page of long paragraphs) is left to the collector
// rather than kept.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

const maxPooledAnswer = 1 << 20

// writeSearchJSON writes resp as c.JSON would (the same bytes as the
// CLI's --json, indented with ?pretty as Echo does), within
// MaxResponseBytes.
func (s *Server) writeSearchJSON(c echo.Context, resp *search.Response) error {
	bp := answerBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledAnswer {
			answerBufs.Put(bp)
		}
	}()
	b, err := resp.AppendJSON((*bp)[:0])
	*bp = b
	if err != nil {
		return err
	}
	if _, pretty := c.QueryParams()["pretty"]; pretty {
		var ind bytes.Buffer
		if err := json.Indent(&ind, b, "", "  "); err != nil {
			return err
		}
		b = ind.Bytes()
	}
	b = append(b, '\n')
	if limit := s.limits.MaxResponseBytes; limit > 0 && int64(len(b)) > limit {
		return errResponseTooLarge
	}
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.JSONBlob(http.StatusOK, b)
}
