package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/themes"
)

// The themes section of the admin page: the lexicon with its expressions,
// a form per theme to edit or delete it, one to add a theme, an import
// (CSV or JSON upload), export links and the history. The forms post
// with the admin session and its CSRF token, like the page's other forms.

// adminThemes is the themes section's data.
type adminThemes struct {
	Lexicon themes.Lexicon
	// History is the most recent changes first, at most maxHistoryShown.
	History []themes.Change
	// More is the number of older changes not shown.
	More int
}

const maxHistoryShown = 50

// pageAuthor names the author of a change made on the admin page.
const pageAuthor = "admin page"

// maxThemeImportBytes bounds an imported lexicon.
const maxThemeImportBytes = 8 << 20

func (a *admin) registerThemePages(e *echo.Echo) {
	e.POST("/admin/themes", a.pageThemePut, noStore, a.sameOrigin)
	e.POST("/admin/themes/delete", a.pageThemeDelete, noStore, a.sameOrigin)
	e.POST("/admin/themes/import", a.pageThemeImport, noStore, a.sameOrigin)
}

// themesSection returns the section's data, nil without a lexicon.
func (a *admin) themesSection() (*adminThemes, error) {
	st := a.srv.themes
	if st == nil {
		return nil, nil
	}
	h, err := st.History()
	if err != nil {
		return nil, err
	}
	slices.Reverse(h)
	sec := &adminThemes{Lexicon: st.Lexicon(), History: h[:min(len(h), maxHistoryShown)], More: max(0, len(h)-maxHistoryShown)}
	return sec, nil
}

// expressionLines splits a textarea into its expressions, one a line.
func expressionLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (a *admin) pageThemePut(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	if a.srv.themes == nil {
		return errNoThemes
	}
	t := themes.Theme{Name: c.FormValue("name"), Expressions: expressionLines(c.FormValue("expressions")), Notes: strings.TrimSpace(c.FormValue("notes"))}
	l, err := a.srv.themes.Put(t, pageAuthor)
	if err != nil {
		return err
	}
	return a.finish(c, s, &adminResult{Action: "主题", Message: fmt.Sprintf("已保存主题“%s”（%d 个检索式），词表版本 %d。", strings.TrimSpace(t.Name), len(t.Expressions), l.Version)})
}

func (a *admin) pageThemeDelete(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	if a.srv.themes == nil {
		return errNoThemes
	}
	name := c.FormValue("name")
	l, err := a.srv.themes.Delete(name, pageAuthor)
	if err != nil {
		return err
	}
	return a.finish(c, s, &adminResult{Action: "主题", Message: fmt.Sprintf("已删除主题“%s”，词表版本 %d。", name, l.Version)})
}

// pageThemeImport reads an uploaded lexicon: a CSV (by its name or type)
// as GET /api/themes?format=csv writes it, else JSON as /api/themes.
func (a *admin) pageThemeImport(c echo.Context) error {
	if _, _, err := a.authorized(c, ""); err != nil && !isCSRFError(err) {
		return err
	}
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxThemeImportBytes+1<<20)
	fh, err := c.FormFile("file")
	if err != nil {
		return search.BadRequestf("choose a CSV or JSON file of themes to import")
	}
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	if a.srv.themes == nil {
		return errNoThemes
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	body := io.LimitReader(f, maxThemeImportBytes)
	var ts []themes.Theme
	if strings.HasSuffix(strings.ToLower(fh.Filename), ".csv") || strings.HasPrefix(fh.Header.Get(echo.HeaderContentType), "text/csv") {
		if ts, err = themes.ReadCSV(body); err != nil {
			return err
		}
	} else {
		var l themes.Lexicon
		if err := json.NewDecoder(body).Decode(&l); err != nil {
			return search.BadRequestf("the file must be a lexicon {\"themes\": [...]} as /api/themes writes it, or a CSV: %v", err)
		}
		ts = l.Themes
	}
	replace := c.FormValue("replace") == "true"
	l, err := a.srv.themes.Import(ts, replace, pageAuthor)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已导入 %d 个主题", len(ts))
	if replace {
		msg += "（替换了原词表）"
	}
	return a.finish(c, s, &adminResult{Action: "主题", Message: fmt.Sprintf("%s，词表版本 %d。", msg, l.Version)})
}
