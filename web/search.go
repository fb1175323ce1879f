package web

import (
	"cmp"
	"context"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
)

// searchRequest builds the search request of the canonical parameters
// (see readParams) shared by the API and the UI: q, mode, from, size,
// sort, group and the filters (year, region, level, organization,
// doc_type; several values of one are OR-ed).
func (s *Server) searchRequest(p params) (search.Request, error) {
	req := search.Request{
		Query: p.get("q"), Mode: search.Mode(p.get("mode")),
		Sort: search.Sort(p.get("sort")), Group: search.Group(p.get("group")),
		Themes: s.themesOf(),
	}
	var err error
	if req.From, err = intParam(p, "from", 0); err != nil {
		return req, err
	}
	if req.Size, err = intParam(p, "size", search.DefaultSize); err != nil {
		return req, err
	}
	if req.Size < 1 {
		// size=0 is refused like size=-5, not read as the default: a
		// client asking for no hits (counts only) should know it gets
		// a page anyway.
		return req, search.BadRequestf("size must be between 1 and %d, not %d (leave it out for %d)", search.MaxSize, req.Size, search.DefaultSize)
	}
	if req.Filter, err = search.ParseFilter(p); err != nil {
		return req, err
	}
	if req.Query == "" {
		// No query: the search page's start, or the API's "missing q".
		return req, req.ValidateParams()
	}
	// The query is parsed here, once, at the edge: a malformed one is a
	// 400 before any index is asked.
	return req, req.Validate()
}

func intParam(p params, name string, def int) (int, error) {
	v := p.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, search.BadRequestf("%s must be an integer, not %q", name, v)
	}
	return n, nil
}

// apiSearch: GET /api/search?q=…&from=0&size=10[&mode=loose][&sort=…]
// [&group=doc][&year=…&region=…][&facets=none|FIELD,…][&region_tree=1]
// [&format=csv|jsonl|xlsx][&lang=zh].
// format=csv, jsonl or xlsx streams every matching paragraph instead of a
// page (see exportSearch); lang=zh gives CSV and XLSX Chinese headers and
// level names.
func (s *Server) apiSearch(c echo.Context) error {
	p, err := readParams(c.QueryParams(), apiSearchKeys)
	if err != nil {
		return err
	}
	req, err := s.searchRequest(p)
	if err != nil {
		return err
	}
	if req.Query == "" {
		return search.BadRequestf("missing q: give a query")
	}
	format, err := export.ParseFormat(p.get("format"), export.JSON, export.CSV, export.JSONL, export.XLSX)
	if err != nil {
		return err
	}
	lang, err := export.ParseLang(p.get("lang"))
	if err != nil {
		return err
	}
	show, err := s.showPaths(c)
	if err != nil {
		return err
	}
	if format != export.JSON {
		s.metrics.search("export")
		return s.exportSearch(c, req, format, export.Options{Lang: lang}, show)
	}
	s.metrics.search("api")
	resp, err := s.apiSearchResponse(c.Request().Context(), p, req, show)
	if err != nil {
		return err
	}
	return s.writeSearchJSON(c, resp)
}

// apiSearchResponse is the answer of /api/search for a page (not an
// export): the search, its disjunctive facets, the region tree when asked
// for, and the paths a client may see.
func (s *Server) apiSearchResponse(ctx context.Context, p params, req search.Request, show func(string) string) (*search.Response, error) {
	tree := false
	switch p.get("region_tree") {
	case "":
	case "1", "true":
		tree = true
	default:
		return nil, search.BadRequestf("region_tree must be 1 or absent, not %q", p.get("region_tree"))
	}
	fields, err := facetsParam(p)
	if err != nil {
		return nil, err
	}
	resp, err := s.index.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	if fields == nil || len(fields) > 0 || tree {
		if resp.FacetsDisjunctive, err = search.DisjunctiveFacets(ctx, s.index, req, resp.Facets); err != nil {
			return nil, err
		}
	} else {
		resp.FacetsDisjunctive = map[string][]search.FacetValue{}
	}
	if tree {
		resp.RegionTree = search.RegionTree(resp.FacetsDisjunctive[search.FieldRegion])
	}
	if fields != nil {
		for _, m := range []map[string][]search.FacetValue{resp.Facets, resp.FacetsDisjunctive} {
			maps.DeleteFunc(m, func(f string, _ []search.FacetValue) bool { return !slices.Contains(fields, f) })
		}
	}
	showHits(resp, show)
	return resp, nil
}

// paramFacets selects the facet fields of an /api/search answer.
const paramFacets = "facets"

// facetsParam reads facets=FIELD (repeated, or comma-separated): the
// facet fields the answer lists, nil for all of them (no facets
// parameter), empty for facets=none. A client that shows no facets
// saves their bytes (at 1M paragraphs about half of an answer) and
// their decoding.
func facetsParam(p params) ([]string, error) {
	vals := p[paramFacets]
	if len(vals) == 0 {
		return nil, nil
	}
	fields := []string{}
	for _, v := range vals {
		for _, f := range strings.Split(v, ",") {
			switch f = strings.TrimSpace(f); {
			case f == "none" && len(vals) == 1 && !strings.Contains(v, ","):
			case f == "none":
				return nil, search.BadRequestf("facets=none lists no facets: give it alone, not with fields")
			case slices.Contains(search.FacetFields, f):
				fields = append(fields, f)
			default:
				return nil, search.BadRequestf("facets must be none or facet fields (%s), not %q", strings.Join(search.FacetFields, ", "), f)
			}
		}
	}
	return fields, nil
}

type searchPage struct {
	page
	Query, Mode, Sort, Year string
	// Hidden are the current filters the form does not show as fields,
	// sent again with a new query so that it keeps them.
	Hidden []hiddenField
	Active []activeFilter
	Error  string
	Resp   *search.Response
	Hits   []pageHit
	Facets []facetGroup
	Pages  pagination
	// From is the rank of the first hit on the page, from 1.
	From                               int
	ExportCSV, ExportJSONL, ExportXLSX string
	// Reports is the number of reports in the index, on the empty page.
	Reports int
	// Extras are the workbench's links, collocates and query explanation.
	Extras *searchExtras
	// Empty helps when the page has no hits.
	Empty *emptyHelp
}

// emptyHelp are the suggestions of a page without hits: the nearest
// spellings, loose mode and the query without its filters when nothing
// matched, the first page when
// from lies beyond the last.
type emptyHelp struct {
	Loose, NoFilters string
	// Spellings are the nearest queries with hits (workbench.Spellings);
	// Related links the collocates of the best correction, RelatedQuery.
	Spellings             []spellingLink
	Related, RelatedQuery string
	Beyond                bool
	LastPage              int
	First                 string
}

type hiddenField struct{ Name, Value string }

type pageHit struct {
	search.Hit
	HighlightHTML template.HTML
	// Read opens the paragraph in the reader, its matches marked.
	Read string
}

type facetGroup struct {
	Field, Label string
	Values       []facetLink
	// More is the number of values not shown (see shownFacets).
	More int
}

// maxFacetLinks bounds the values a facet shows on the page: the most
// frequent ones, and the selected ones whatever their count, in the
// facet's order. The API lists every value.
const maxFacetLinks = 30

// shownFacets returns the values of a facet the page shows.
func shownFacets(values []search.FacetValue, selected func(search.FacetValue) bool) []search.FacetValue {
	if len(values) <= maxFacetLinks {
		return values
	}
	byCount := make([]int, len(values))
	for i := range byCount {
		byCount[i] = i
	}
	slices.SortStableFunc(byCount, func(a, b int) int { return cmp.Compare(values[b].Count, values[a].Count) })
	show := make([]bool, len(values))
	for _, i := range byCount[:maxFacetLinks] {
		show[i] = true
	}
	var out []search.FacetValue
	for i, fv := range values {
		if show[i] || selected(fv) {
			out = append(out, fv)
		}
	}
	return out
}

// facetLink is one facet value; Href adds it to the filter (or removes
// it when Selected); it is empty for unknown values, which no filter
// selects.
type facetLink struct {
	Label    string
	Count    uint64
	Href     string
	Selected bool
	// Depth is a region's depth under its province (0: a province).
	Depth int
}

// regionLinks lists a region facet as its tree: each province (largest
// first) followed by its prefectures and their counties, indented, each
// link selecting the division with everything under it; at most
// maxFacetLinks links, the rest counted in more.
func regionLinks(p params, tree []search.RegionNode) (links []facetLink, more int) {
	var walk func(ns []search.RegionNode, depth int)
	walk = func(ns []search.RegionNode, depth int) {
		for _, n := range ns {
			if len(links) >= maxFacetLinks && !p.has(search.FieldRegion, n.Value) {
				more++
			} else {
				links = append(links, facetLink{Label: n.Name, Count: n.Count, Depth: depth,
					Selected: p.has(search.FieldRegion, n.Value), Href: p.toggle(search.FieldRegion, n.Value).href("/")})
			}
			walk(n.Children, depth+1)
		}
	}
	walk(tree, 0)
	return links, more
}

type pagination struct {
	Prev, Next    string
	Links         []pageLink
	Current, Last int
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

// facetFields are the facets of the search page's sidebar.
var facetFields = []string{search.FieldYear, search.FieldRegion, search.FieldLevel, search.FieldDocType, search.FieldOrganization}

// uiSearch renders the search page; /?q=… shows that query's results with
// the facets, filters, sort, pages and export links of the API's
// parameters, all in the URL.
func (s *Server) uiSearch(c echo.Context) error {
	// The parameters the page keeps in its links are the API's (so that a
	// page's URL and its API call read the same), less group and format.
	p, err := readParams(c.QueryParams(), searchPageKeys)
	req, rerr := s.searchRequest(p)
	if err == nil {
		err = rerr
	}
	data := &searchPage{page: page{Title: req.Query, Nav: "search"}, Query: req.Query,
		Mode: string(req.Mode), Sort: string(req.Sort)}
	data.fillForm(p)
	data.Extras = s.searchExtrasOf(c.Request().Context(), p, req, err)
	if err != nil {
		data.Error = userMessage(err)
		return s.render(c, http.StatusBadRequest, "search.html", data)
	}
	if req.Query == "" {
		if list, err := search.ListReports(s.index, search.Filter{}, ""); err == nil {
			data.Reports = list.Total
		}
		return s.render(c, http.StatusOK, "search.html", data)
	}
	// The page lists paragraphs; grouping is for the API.
	req.Group = ""
	s.metrics.search("page")
	resp, err := s.index.Search(c.Request().Context(), req)
	if search.IsBadRequest(err) {
		data.Error = userMessage(err)
		return s.render(c, http.StatusBadRequest, "search.html", data)
	}
	if err != nil {
		return err
	}
	// The sidebar is multi-select: each field lists its values under the
	// other fields' filters, so a chosen year keeps the others selectable
	// (OR-ed) with the paragraphs they would add.
	if resp.FacetsDisjunctive, err = search.DisjunctiveFacets(c.Request().Context(), s.index, req, resp.Facets); err != nil {
		return err
	}
	showHits(resp, s.paths.show)
	data.Resp = resp
	data.From = req.From + 1
	data.Hits = make([]pageHit, len(resp.Hits))
	reader := p.keep("q", "mode")
	for i, h := range resp.Hits {
		// Highlight is built by package highlight from escaped text and
		// <mark> tags only.
		data.Hits[i] = pageHit{Hit: h, HighlightHTML: template.HTML(h.Highlight),
			Read: reader.href("/documents/"+url.PathEscape(h.DocID)) + "#p" + strconv.Itoa(h.Paragraph)}
	}
	base := p.set("from")
	for _, f := range facetFields {
		g := facetGroup{Field: f, Label: fieldLabel(f)}
		if f == search.FieldRegion {
			if g.Values, g.More = regionLinks(base, search.RegionTree(resp.FacetsDisjunctive[f])); len(g.Values) > 0 {
				data.Facets = append(data.Facets, g)
			}
			continue
		}
		values := shownFacets(resp.FacetsDisjunctive[f], func(fv search.FacetValue) bool { return p.has(f, filterValue(fv.Value)) })
		g.More = len(resp.FacetsDisjunctive[f]) - len(values)
		for _, fv := range values {
			l := facetLink{Label: valueLabel(f, fv.Value), Count: fv.Count}
			if v := filterValue(fv.Value); v != "" {
				l.Selected = p.has(f, v)
				l.Href = facetToggle(base, f, v).href("/")
			}
			g.Values = append(g.Values, l)
		}
		if len(g.Values) > 0 {
			data.Facets = append(data.Facets, g)
		}
	}
	data.Pages = paginate(base, req.From, req.Size, resp.Total)
	switch {
	case resp.Total == 0:
		// Ways out of an empty answer: loose mode, no filters.
		h := &emptyHelp{}
		if req.Mode != search.ModeLoose {
			h.Loose = base.set("mode", "loose").href("/")
		}
		if !req.Filter.IsZero() {
			h.NoFilters = p.keep("q", "mode", "sort", "size").href("/")
		}
		h.Spellings = s.spellingLinks(c.Request().Context(), p, req)
		if len(h.Spellings) > 0 && h.Spellings[0].Replacement != "" {
			// The best correction's collocates, a link (computed there).
			h.Related, h.RelatedQuery = p.keep("mode", "year", "region", "level", "organization", "doc_type").set("q", h.Spellings[0].Query).href("/related"), h.Spellings[0].Query
		}
		data.Empty = h
	case len(resp.Hits) == 0:
		// from beyond the last page.
		data.Empty = &emptyHelp{Beyond: true, LastPage: data.Pages.Last, First: base.set("from").href("/")}
	}
	export := p.set("from").set("size")
	data.ExportCSV = export.set("format", "csv").href("/api/search")
	data.ExportJSONL = export.set("format", "jsonl").href("/api/search")
	data.ExportXLSX = export.set("format", "xlsx").set("lang", "zh").href("/api/search")
	return s.render(c, http.StatusOK, "search.html", data)
}

// filterFields splits the filter parameters between a form's year field
// (a single year filter) and hidden fields (several OR-ed years, the other
// filters), which show as removable chips.
func filterFields(p params) (year string, hidden []hiddenField) {
	years := p[search.FieldYear]
	if len(years) == 1 {
		year = years[0]
	} else {
		for _, y := range years {
			hidden = append(hidden, hiddenField{search.FieldYear, y})
		}
	}
	for _, f := range filterParams[1:] {
		for _, v := range p[f] {
			hidden = append(hidden, hiddenField{f, v})
		}
	}
	return year, hidden
}

// fillForm sets the form's fields from the parameters: the year field
// shows a single year filter; several (OR-ed) years and the other filters
// travel as hidden fields and show as removable chips.
func (d *searchPage) fillForm(p params) {
	d.Year, d.Hidden = filterFields(p)
	if size := p["size"]; len(size) == 1 {
		d.Hidden = append(d.Hidden, hiddenField{"size", size[0]})
	}
	d.Active = activeFilters(p, "/")
}

// facetToggle selects or unselects a facet value. Values of one field are
// OR-ed, so a year clicked while a year range is set replaces the range
// (it lies within it: the facets count the filtered hits) rather than
// widening the filter; single years add up.
func facetToggle(p params, field, val string) params {
	if field == search.FieldYear && !p.has(field, val) {
		var keep []string
		for _, y := range p[field] {
			if r, err := search.ParseYears(y); err == nil && r.From == r.To {
				keep = append(keep, y)
			}
		}
		return p.set(field, append(keep, val)...)
	}
	return p.toggle(field, val)
}

// pageWindow is how many page links are shown on each side of the
// current page.
const pageWindow = 3

func paginate(p params, from, size int, total uint64) pagination {
	return paginateAt(p, "/", from, size, total)
}

// paginateAt is paginate for the page at path.
func paginateAt(p params, path string, from, size int, total uint64) pagination {
	reachable := int(min(total, uint64(search.MaxWindow)))
	// Every page shown must be a valid request: from+size ≤ MaxWindow.
	last := max(1, min((reachable+size-1)/size, search.MaxWindow/size))
	cur := from/size + 1
	link := func(n int) string {
		if n == 1 {
			return p.set("from").href(path)
		}
		return p.set("from", strconv.Itoa((n-1)*size)).href(path)
	}
	pg := pagination{Current: cur, Last: last}
	if from > 0 {
		pg.Prev = p.set("from", strconv.Itoa(max(0, from-size))).href(path)
		if from-size <= 0 {
			pg.Prev = link(1)
		}
	}
	if next := from + size; next < reachable && next+size <= search.MaxWindow {
		pg.Next = p.set("from", strconv.Itoa(next)).href(path)
	}
	if last > 1 {
		for n := max(1, cur-pageWindow); n <= min(last, cur+pageWindow); n++ {
			pg.Links = append(pg.Links, pageLink{N: n, Href: link(n), Current: n == cur})
		}
	}
	return pg
}

// apiCounts: GET /api/counts?q=…[&mode][&filters]: the matching
// paragraphs in each report that has any, and the total (the total of
// the same search): what a client needs to compute trends or keywords
// itself (package search/remote).
func (s *Server) apiCounts(c echo.Context) error {
	p, err := readParams(c.QueryParams(), apiCountsKeys)
	if err != nil {
		return err
	}
	req, err := s.searchRequest(p)
	if err != nil {
		return err
	}
	if req.Query == "" {
		return search.BadRequestf("missing q: give a query")
	}
	counts, total, err := s.index.CountByReport(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, search.Counts{Total: total, Reports: counts})
}
