package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// The compare page: /compare?f.year=2026[&r.year=2021..2025][&new=true]
// lists the phrases over-represented in the focus set of reports against
// the reference set (新提法 with new), as /api/keywords does; each phrase
// links to its concordance in the focus set.

type comparePage struct {
	page
	Focus, Reference compareSet
	New              bool
	Min              string
	Error            string
	Resp             *workbench.KeywordsResponse
	// Progress is the comparison's progress while it runs (the page
	// reloads itself every second until it is done).
	Progress *keywordProgress
	Phrases  []comparePhrase
	APIHref  string
}

// compareSet is one set's filter controls: a year field and a select
// per other filter, values beyond the first kept as hidden fields.
type compareSet struct {
	Prefix, Year string
	Selects      []compareSelect
	Hidden       []hiddenField
}

type compareSelect struct {
	Name, Label string
	Options     []option
}

type comparePhrase struct {
	workbench.Phrase
	Href string
}

// setControls fills a set's controls from the parameters with prefix,
// offering the values the index has.
func setControls(p params, prefix string, values map[string][]string) compareSet {
	cs := compareSet{Prefix: prefix}
	if ys := p[prefix+search.FieldYear]; len(ys) > 0 {
		cs.Year = ys[0]
		for _, y := range ys[1:] {
			cs.Hidden = append(cs.Hidden, hiddenField{prefix + search.FieldYear, y})
		}
	}
	for _, f := range filterParams[1:] {
		sel := compareSelect{Name: prefix + f, Label: fieldLabel(f)}
		cur := p[prefix+f]
		for _, o := range selectOptions(f, values[f]) {
			o.Selected = len(cur) > 0 && cur[0] == o.Value
			sel.Options = append(sel.Options, o)
		}
		if len(cur) > 0 && !slices.Contains(values[f], cur[0]) {
			sel.Options = append(sel.Options, option{Value: cur[0], Label: valueLabel(f, cur[0]), Selected: true})
		}
		for _, v := range cur[min(1, len(cur)):] {
			cs.Hidden = append(cs.Hidden, hiddenField{prefix + f, v})
		}
		cs.Selects = append(cs.Selects, sel)
	}
	return cs
}

// filterValues are the distinct values of the filter fields in the index.
func (s *Server) filterValues() map[string][]string {
	out := map[string][]string{}
	reports, err := s.index.Reports()
	if err != nil {
		return out
	}
	add := func(f, v string) {
		if v != "" && !slices.Contains(out[f], v) {
			out[f] = append(out[f], v)
		}
	}
	for _, r := range reports {
		add(search.FieldRegion, r.Region)
		add(search.FieldLevel, r.Level)
		add(search.FieldDocType, r.DocType)
		add(search.FieldOrganization, r.Organization)
	}
	for _, vs := range out {
		slices.Sort(vs)
	}
	return out
}

// phraseQuery is the query of one phrase, verbatim.
func phraseQuery(phrase string) string {
	if strings.Contains(phrase, `"`) {
		return phrase
	}
	return `"` + phrase + `"`
}

func (s *Server) uiCompare(c echo.Context) error {
	p, perr := readParams(c.QueryParams(), keywordsKeys)
	err := perr
	data := &comparePage{page: page{Title: "对比", Nav: "compare"}, Min: p.get("min")}
	values := s.filterValues()
	data.Focus, data.Reference = setControls(p, "f.", values), setControls(p, "r.", values)
	data.New = p.get("new") == "true" || p.get("new") == "1"
	var req workbench.KeywordsRequest
	if err == nil {
		req, err = keywordsRequest(c)
	}
	if err != nil && !search.IsBadRequest(err) {
		return err
	}
	empty := true
	for k := range p {
		if strings.HasPrefix(k, "f.") || strings.HasPrefix(k, "r.") {
			empty = false
		}
	}
	if perr == nil && empty && p.get("new") == "" {
		return s.render(c, http.StatusOK, "compare.html", data)
	}
	if err == nil {
		data.Resp, data.Progress, err = s.keywords.answer(c.Request().Context(), s.index, req)
	}
	if err == nil && data.Progress != nil {
		data.Refresh = 1
		return s.render(c, http.StatusOK, "compare.html", data)
	}
	if err != nil {
		if !search.IsBadRequest(err) {
			return err
		}
		data.Error, data.Resp = userMessage(err), nil
		return s.render(c, http.StatusBadRequest, "compare.html", data)
	}
	// A phrase's concordance in the focus set: the f. filters unprefixed.
	focus := params{}
	for _, f := range filterParams {
		if vs := p["f."+f]; len(vs) > 0 {
			focus[f] = vs
		}
	}
	for _, ph := range data.Resp.Phrases {
		data.Phrases = append(data.Phrases, comparePhrase{Phrase: ph, Href: focus.set("q", phraseQuery(ph.Phrase)).href("/concordance")})
	}
	data.APIHref = params(url.Values(p)).href("/api/keywords")
	if data.Min == "" {
		data.Min = strconv.Itoa(workbench.DefaultMinFreq)
	}
	return s.render(c, http.StatusOK, "compare.html", data)
}
