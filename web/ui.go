package web

import (
	"fmt"
	"html/template"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"

	"reportsearch/search"
)

// The pages share this: the page frame's data, template functions, labels
// for metadata values, and query-string helpers for links that change one
// thing of the current page (a facet value, a page number, a metric).

// page is the data every page template gets: the title, which navigation
// entry is current, and the query shown in the title bar.
type page struct {
	Title string
	Nav   string // "search", "trends", "documents", "admin"
	// Refresh, when set, reloads the page after so many seconds (a
	// long computation's progress).
	Refresh int
}

var templateFuncs = template.FuncMap{
	"levelLabel":  levelLabel,
	"fieldLabel":  fieldLabel,
	"valueLabel":  valueLabel,
	"thousands":   thousands,
	"docHref":     docHref,
	"statusLabel": statusLabel,
	"base":        filepath.Base,
}

// docHref is the reader's address of a report.
func docHref(id string) string { return "/documents/" + url.PathEscape(id) }

// fieldLabels are the metadata fields' names on the pages.
var fieldLabels = map[string]string{
	"title":                  "标题",
	"date":                   "日期",
	search.FieldYear:         "年份",
	search.FieldRegion:       "地区",
	search.FieldLevel:        "层级",
	search.FieldOrganization: "机构",
	search.FieldDocType:      "文种",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return f
}

// levelLabels name the administrative levels the indexer records.
var levelLabels = map[string]string{
	"national":   "全国",
	"provincial": "省级",
	"municipal":  "市级",
	"prefecture": "地级",
	"county":     "县级",
	"district":   "区县级",
}

func levelLabel(l string) string {
	if s, ok := levelLabels[l]; ok {
		return s
	}
	return l
}

// valueLabel shows a facet or bucket value: unknown values (year 0, "")
// as 未知, levels by their Chinese names.
func valueLabel(field string, v any) string {
	switch v := v.(type) {
	case int:
		if v == 0 {
			return "未知"
		}
		return strconv.Itoa(v)
	case float64: // a year decoded from JSON
		if v == 0 {
			return "未知"
		}
		return strconv.Itoa(int(v))
	case string:
		if v == "" {
			return "未知"
		}
		if field == search.FieldLevel {
			return levelLabel(v)
		}
		return v
	}
	return fmt.Sprint(v)
}

// filterValue is the query-string form of a facet or bucket value, ""
// for an unknown value (which no filter can select).
func filterValue(v any) string {
	switch v := v.(type) {
	case int:
		if v != 0 {
			return strconv.Itoa(v)
		}
	case string:
		return v
	}
	return ""
}

// thousands writes an integer with thousands separators.
func thousands(n any) string {
	s := fmt.Sprint(n)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// params is a page's query string. Its methods return changed copies, for
// links that keep everything else of the current page.
type params url.Values

func (p params) clone() params {
	out := make(params, len(p))
	for k, v := range p {
		out[k] = slices.Clone(v)
	}
	return out
}

// set replaces key's values; no value (or only "") removes it.
func (p params) set(key string, vals ...string) params {
	out := p.clone()
	delete(out, key)
	for _, v := range vals {
		if v != "" {
			out[key] = append(out[key], v)
		}
	}
	return out
}

// toggle adds val to key's values, or removes it when present.
func (p params) toggle(key, val string) params {
	out := p.clone()
	if i := slices.Index(out[key], val); i >= 0 {
		out[key] = slices.Delete(out[key], i, i+1)
		if len(out[key]) == 0 {
			delete(out, key)
		}
		return out
	}
	out[key] = append(out[key], val)
	return out
}

func (p params) has(key, val string) bool { return slices.Contains(p[key], val) }

// href is path with the parameters as its query string (sorted by key,
// so a page's links are stable).
func (p params) href(path string) string {
	if len(p) == 0 {
		return path
	}
	return path + "?" + url.Values(p).Encode()
}

// filterParams are the API's filter parameters, in the order the pages
// show them.
var filterParams = []string{search.FieldYear, search.FieldRegion, search.FieldLevel, search.FieldDocType, search.FieldOrganization}

// activeFilter is one selected filter value with a link that removes it.
type activeFilter struct {
	Field, Label, Value, Remove string
}

func activeFilters(p params, path string) []activeFilter {
	var out []activeFilter
	for _, f := range filterParams {
		for _, v := range p[f] {
			out = append(out, activeFilter{Field: f, Label: fieldLabel(f), Value: valueLabel(f, v),
				Remove: p.toggle(f, v).set("from").href(path)})
		}
	}
	return out
}
