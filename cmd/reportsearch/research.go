package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"reportsearch/search"
	"reportsearch/search/export"
)

// multiFlag is a repeatable string flag: --region 山东省 --region 全国.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// filterFlags are the filter flags shared by search and trends; their
// values go through search.ParseFilter, like the API's query parameters.
type filterFlags struct {
	years, regions, levels, orgs, docTypes multiFlag
}

// queryFlags are the flags every read command shares (--index, --mode
// and the filters) and the one way such a command starts.
type queryFlags struct {
	fs   *flag.FlagSet
	dir  *string
	mode *string
	ff   *filterFlags
}

func newQueryFlags(name string) *queryFlags {
	fs, dir := newFlags(name)
	q := &queryFlags{fs: fs, dir: dir}
	q.mode = fs.String("mode", "exact", "exact or loose")
	q.ff = addFilterFlags(fs)
	return q
}

// open parses args, which must name at least one query (need says what
// for the usage error), and opens the index for reading: the arguments,
// the filter and the reader (local index or the server's API).
func (q *queryFlags) open(ctx context.Context, args []string, need string) ([]string, search.Filter, *reader, error) {
	if err := parse(q.fs, args); err != nil {
		return nil, search.Filter{}, nil, err
	}
	if q.fs.NArg() == 0 {
		return nil, search.Filter{}, nil, fmt.Errorf("%w: %s needs %s", errUsage, q.fs.Name(), need)
	}
	filter, err := q.ff.filter()
	if err != nil {
		return nil, search.Filter{}, nil, err
	}
	ix, err := openForRead(ctx, *q.dir)
	if err != nil {
		return nil, search.Filter{}, nil, err
	}
	return q.fs.Args(), filter, ix, nil
}

func addFilterFlags(fs *flag.FlagSet) *filterFlags {
	f := &filterFlags{}
	fs.Var(&f.years, "year", "year `Y` or range 2018..2023 (open: 2018.. or ..2023); repeatable, OR-ed")
	fs.Var(&f.regions, "region", "region, e.g. 山东省; repeatable, OR-ed")
	fs.Var(&f.levels, "level", "level: national, provincial, district …; repeatable, OR-ed")
	fs.Var(&f.orgs, "organization", "organization; repeatable, OR-ed")
	fs.Var(&f.docTypes, "doc-type", "document type, e.g. 政府工作报告; repeatable, OR-ed")
	return f
}

func (f *filterFlags) filter() (search.Filter, error) {
	return search.ParseFilter(map[string][]string{
		search.FieldYear: f.years, search.FieldRegion: f.regions, search.FieldLevel: f.levels,
		search.FieldOrganization: f.orgs, search.FieldDocType: f.docTypes,
	})
}

// exportHits writes every paragraph matching req to w as CSV or JSONL:
// the same bytes as the API's format=csv|jsonl.
func exportHits(ctx context.Context, ix search.Index, req search.Request, format export.Format, opt export.Options, w io.Writer) error {
	rw := export.NewRowWriterOptions(w, format, opt)
	if err := ix.Export(ctx, req, rw.Write); err != nil {
		return err
	}
	return rw.Close()
}

// printReportLine starts a numbered result: "N. title (year, region)".
func printReportLine(w io.Writer, n int, title string, year int, region string) {
	fmt.Fprintf(w, "\n%d. %s", n, title)
	if year != 0 {
		fmt.Fprintf(w, " (%d", year)
		if region != "" {
			fmt.Fprintf(w, ", %s", region)
		}
		fmt.Fprint(w, ")")
	}
}

func printGroups(w io.Writer, resp *search.Response, from int) {
	fmt.Fprintf(w, "%d paragraphs in %d reports (%.1f ms)\n", resp.Total, resp.TotalGroups, resp.TookMS)
	for i, g := range resp.Groups {
		printReportLine(w, from+i+1, g.Title, g.Year, g.Region)
		fmt.Fprintf(w, "  %d matching paragraphs  [%s]\n", g.Count, g.DocID)
		for _, h := range g.Hits {
			fmt.Fprintf(w, "   ¶%d %s\n", h.Paragraph, markReplacer.Replace(h.Highlight))
		}
	}
}

// markReplacer turns highlight HTML into terminal text.
var markReplacer = strings.NewReplacer("<mark>", "【", "</mark>", "】", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'")

// printFacets prints the facet counts, one line per field.
func printFacets(w io.Writer, resp *search.Response) {
	fmt.Fprintln(w)
	for _, field := range search.FacetFields {
		var parts []string
		for _, v := range resp.Facets[field] {
			val := fmt.Sprint(v.Value)
			if val == "" || val == "0" && field == search.FieldYear {
				val = "(unknown)"
			}
			parts = append(parts, fmt.Sprintf("%s %d", val, v.Count))
		}
		fmt.Fprintf(w, "%s: %s\n", field, strings.Join(parts, ", "))
	}
}
