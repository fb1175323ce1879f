package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// The user dictionary (search.Dictionary, kept with the index): the API
// reads it and its rebuild's progress publicly (it holds no secret, like
// the theme lexicon) and changes it with the admin token; the page
// /admin/dict (admin session) lists the words, adds and removes them,
// imports a word list and shows the rebuild's progress. The new-word
// suggestions page links each suggestion here, pre-filled, so that
// accepting one is one click of a logged-in admin (the session cookie
// and its CSRF token belong to /admin, so the public page cannot post
// itself).

var errNoDict = echo.NewHTTPError(http.StatusNotFound, "this index keeps no user dictionary")

// maxDictImportBytes bounds an imported word list.
const maxDictImportBytes = 4 << 20

func (s *Server) registerDict(e *echo.Echo) {
	e.GET("/api/dict", s.apiDict)
	e.GET("/api/dict/rebuild", s.apiDictRebuild)
	e.POST("/api/dict", s.apiChangeDict, s.admin.bearer)
	e.DELETE("/api/dict/:word", s.apiDeleteDictWord, s.admin.bearer)
	e.GET("/admin/dict", s.admin.pageDict, noStore)
	e.POST("/admin/dict", s.admin.pageDictChange, noStore, s.admin.sameOrigin)
}

func (s *Server) dict() (search.Dictionary, error) {
	d, ok := s.index.(search.Dictionary)
	if !ok {
		return nil, errNoDict
	}
	return d, nil
}

// apiDict: GET /api/dict: the words, their version, the version the
// served word field was built with, and the rebuild.
func (s *Server) apiDict(c echo.Context) error {
	d, err := s.dict()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d.UserDict())
}

// apiDictRebuild: GET /api/dict/rebuild: only the rebuild's progress.
func (s *Server) apiDictRebuild(c echo.Context) error {
	d, err := s.dict()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d.UserDict().Rebuild)
}

// apiChangeDict: POST /api/dict with {"add": […], "remove": […],
// "replace": false}, or a word list as text/plain (one word a line; gse's
// or a CSV's first column), added — or, with ?replace=true, replacing the
// dictionary. It answers the dictionary; the rebuild runs in the
// background (GET /api/dict/rebuild).
func (s *Server) apiChangeDict(c echo.Context) error {
	d, err := s.dict()
	if err != nil {
		return err
	}
	body := io.LimitReader(c.Request().Body, maxDictImportBytes)
	var ch search.DictChange
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "text/plain") {
		words, err := analysis.ReadWords(body)
		if err != nil {
			return search.BadRequestf("word list: %v", err)
		}
		ch = search.DictChange{Add: words, Replace: c.QueryParam("replace") == "true"}
	} else if err := json.NewDecoder(body).Decode(&ch); err != nil {
		return search.BadRequestf("the body must be {\"add\": [...], \"remove\": [...], \"replace\": false} or a word list (Content-Type: text/plain): %v", err)
	}
	u, err := d.ChangeUserDict(ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// apiDeleteDictWord: DELETE /api/dict/{word}.
func (s *Server) apiDeleteDictWord(c echo.Context) error {
	d, err := s.dict()
	if err != nil {
		return err
	}
	w, _ := analysis.NormalizeWord(c.Param("word"))
	if w == "" {
		w = c.Param("word")
	}
	found := false
	for _, x := range d.UserDict().Words {
		found = found || x == w
	}
	if !found {
		return fmt.Errorf("%q is not in the user dictionary: %w", w, search.ErrNotFound)
	}
	u, err := d.ChangeUserDict(search.DictChange{Remove: []string{w}})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

type dictPage struct {
	page
	Disabled, LoggedIn bool
	CSRF               string
	Dict               search.UserDict
	// Add pre-fills the form (a suggestion being accepted).
	Add     string
	Message string
	Error   string
	// Pending: the stored words are not yet those served.
	Pending bool
	Percent int
}

// pageDict renders /admin/dict[?add=WORD].
func (a *admin) pageDict(c echo.Context) error {
	data := &dictPage{page: page{Title: "用户词典", Nav: "admin"}, Disabled: !a.enabled()}
	if data.Disabled {
		return a.srv.render(c, http.StatusForbidden, "admin_dict.html", data)
	}
	_, sess := a.current(c)
	if sess == nil {
		return a.srv.render(c, http.StatusOK, "admin_dict.html", data)
	}
	d, err := a.srv.dict()
	if err != nil {
		return err
	}
	a.mu.Lock()
	data.LoggedIn, data.CSRF = true, sess.csrf
	if sess.last != nil && sess.last.Action == "词典" {
		data.Message = sess.last.Message
		sess.last = nil
	}
	a.mu.Unlock()
	data.Add = strings.TrimSpace(c.QueryParam("add"))
	data.Dict = d.UserDict()
	data.Pending = data.Dict.Version != data.Dict.Applied
	if r := data.Dict.Rebuild; r.Total > 0 {
		data.Percent = r.Paragraphs * 100 / r.Total
	}
	return a.srv.render(c, http.StatusOK, "admin_dict.html", data)
}

// pageDictChange handles the page's forms: add (a textarea, one word a
// line), remove (one word), import (a word list file, optionally
// replacing the dictionary).
func (a *admin) pageDictChange(c echo.Context) error {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxDictImportBytes+1<<20)
	_, sess, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	d, err := a.srv.dict()
	if err != nil {
		return err
	}
	var ch search.DictChange
	var msg string
	switch c.FormValue("action") {
	case "remove":
		ch.Remove = []string{c.FormValue("word")}
		msg = fmt.Sprintf("已删除“%s”", c.FormValue("word"))
	case "import":
		fh, err := c.FormFile("file")
		if err != nil {
			return search.BadRequestf("choose a word list to import (one word a line)")
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		words, err := analysis.ReadWords(io.LimitReader(f, maxDictImportBytes))
		if err != nil {
			return search.BadRequestf("%s: %v", fh.Filename, err)
		}
		ch = search.DictChange{Add: words, Replace: c.FormValue("replace") == "true"}
		msg = fmt.Sprintf("已导入 %d 个词", len(words))
	default:
		ch.Add = expressionLines(c.FormValue("words"))
		if len(ch.Add) == 0 {
			return search.BadRequestf("enter the words to add, one a line")
		}
		msg = fmt.Sprintf("已加入 %d 个词", len(ch.Add))
	}
	u, err := d.ChangeUserDict(ch)
	if err != nil {
		return err
	}
	a.mu.Lock()
	sess.last = &adminResult{Action: "词典", Message: fmt.Sprintf("%s，词典共 %d 个词；正在后台重建分词字段，期间检索照常。", msg, len(u.Words))}
	a.mu.Unlock()
	return c.Redirect(http.StatusSeeOther, "/admin/dict")
}
