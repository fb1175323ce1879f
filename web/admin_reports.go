package web

import (
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
)

// The report list of the admin page (/admin): the reports of the index,
// newest first, narrowed by the metadata filters of the API (year,
// region with its divisions, level, organization, doc_type), the format
// the file was read as, whether its text came from OCR, and a title
// search (folded, as /documents compares), in pages of size reports.
// Every parameter is in the URL, so a filtered list can be bookmarked;
// the list is computed from the index's report metadata only.

// adminReportsKeys are the parameters of the list.
var adminReportsKeys = paramKeys{single: []string{"title", "format", "ocr", "from", "size"}, lists: filterParams}

// Sizes of a page of the list.
const (
	adminReportsPageSize = 50
	maxAdminReportsSize  = 500
)

// adminReportList is the list's part of the admin page.
type adminReportList struct {
	// Reports are the page's reports; Total how many pass the filters
	// (All: in the index).
	Reports    []search.Report
	Total, All int
	// The form's values: title, year (one range), format, ocr
	// ("", "1", "0"), and the other filters as hidden fields.
	Title, Year, Format, OCR string
	Hidden                   []hiddenField
	Level                    string
	Levels, Formats          []option
	Active                   []activeFilter
	// ShownFrom..ShownTo (from 1) is the window; Pages its links.
	ShownFrom, ShownTo int
	Pages              pagination
	// Clear lists every report again.
	Clear string
}

// reportList reads the list's parameters from the request and computes
// it; a bad parameter is a bad request (400, with its message).
func (a *admin) reportList(c echo.Context) (*adminReportList, error) {
	l := &adminReportList{Clear: "/admin#reports"}
	p, err := readParams(c.QueryParams(), adminReportsKeys)
	all, rerr := a.srv.index.Reports()
	if rerr != nil {
		return nil, rerr
	}
	l.All = len(all)
	l.Title, l.Format, l.OCR = p.get("title"), p.get("format"), p.get("ocr")
	// A single year or level is in the form's field; several (OR-ed)
	// travel as hidden fields, like every region, organization, doc_type.
	for _, k := range filterParams {
		if len(p[k]) == 1 && k == search.FieldYear {
			l.Year = p[k][0]
			continue
		}
		if len(p[k]) == 1 && k == search.FieldLevel {
			l.Level = p[k][0]
			continue
		}
		for _, v := range p[k] {
			l.Hidden = append(l.Hidden, hiddenField{k, v})
		}
	}
	l.Active = activeFilters(p, "/admin")
	l.Levels = []option{{Value: "", Label: "（全部）"}}
	for _, v := range []string{"national", "provincial", "municipal", "prefecture", "county", "district"} {
		l.Levels = append(l.Levels, option{Value: v, Label: levelLabel(v), Selected: v == l.Level})
	}
	formats := map[string]int{}
	for i := range all {
		formats[all[i].Format]++
	}
	l.Formats = []option{{Value: "", Label: "（全部）"}}
	for _, f := range slices.Sorted(func(yield func(string) bool) {
		for f := range formats {
			if !yield(f) {
				return
			}
		}
	}) {
		if f != "" {
			l.Formats = append(l.Formats, option{Value: f, Label: f + "（" + strconv.Itoa(formats[f]) + "）", Selected: f == l.Format})
		}
	}
	var from, size int
	var f search.Filter
	if err == nil {
		f, err = search.ParseFilter(p)
	}
	if err == nil {
		from, err = nonNegative(p, "from")
	}
	if err == nil {
		size, err = intParam(p, "size", adminReportsPageSize)
		if err == nil && (size < 1 || size > maxAdminReportsSize) {
			err = search.BadRequestf("size must be between 1 and %d, not %d", maxAdminReportsSize, size)
		}
	}
	if err == nil && l.OCR != "" && l.OCR != "1" && l.OCR != "0" {
		err = search.BadRequestf("ocr must be 1 (OCR only), 0 (no OCR) or absent, not %q", l.OCR)
	}
	if err != nil {
		return nil, err
	}
	list, err := search.ListReports(a.srv.index, f, search.SortYearDesc)
	if err != nil {
		return nil, err
	}
	filterTitles(list, l.Title)
	kept := list.Reports[:0]
	for _, r := range list.Reports {
		if adminReportMatch(&r, l.Format, l.OCR) {
			kept = append(kept, r)
		}
	}
	l.Total = len(kept)
	l.ShownFrom, l.ShownTo = min(from, l.Total)+1, min(from+size, l.Total)
	l.Reports = kept[min(from, l.Total):l.ShownTo]
	l.Pages = paginateAt(p.set("from"), "/admin", from, size, uint64(l.Total))
	for _, pl := range []*string{&l.Pages.Prev, &l.Pages.Next} {
		if *pl != "" {
			*pl += "#reports"
		}
	}
	for i := range l.Pages.Links {
		l.Pages.Links[i].Href += "#reports"
	}
	return l, nil
}

// adminReportMatch is the list's filters beyond search.Filter: the format
// (exact; "" any) and ocr ("1" OCR only, "0" none, "" any).
func adminReportMatch(r *search.Report, format, ocr string) bool {
	return (format == "" || r.Format == format) && (ocr == "" || r.OCR == (ocr == "1"))
}

// nonNegative reads a parameter that must be an integer ≥ 0 (0 when
// absent).
func nonNegative(p params, name string) (int, error) {
	n, err := intParam(p, name, 0)
	if err == nil && n < 0 {
		err = search.BadRequestf("%s must not be negative", name)
	}
	return n, err
}
