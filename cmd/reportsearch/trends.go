package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"reportsearch/search"
	"reportsearch/search/export"
)

// runTrends: reportsearch trends [--by year] [filters] [--format table|csv|json] QUERY...
// Each argument is one query (quote a query with spaces or |).
func runTrends(ctx context.Context, args []string, stdout io.Writer) error {
	qf := newQueryFlags("trends")
	fs, mode := qf.fs, qf.mode
	by := fs.String("by", search.FieldYear, "bucket by year, region, level, organization or doc_type")
	format := fs.String("format", "table", "table, csv or json (the API's body)")
	queries, filter, ix, err := qf.open(ctx, args, "one or more queries (one per argument)")
	if err != nil {
		return err
	}
	defer ix.Close()
	if *format != "table" && *format != string(export.CSV) && *format != string(export.JSON) {
		return fmt.Errorf("%w: --format must be table, csv or json, not %q", errUsage, *format)
	}
	resp, err := search.Trends(ctx, ix, search.TrendsRequest{Queries: queries, Mode: search.Mode(*mode), By: *by, Filter: filter, Themes: ix.themes})
	if err != nil {
		return err
	}
	switch *format {
	case string(export.CSV):
		return export.WriteTrendsCSV(stdout, resp)
	case string(export.JSON):
		return writeJSON(stdout, resp)
	}
	return printTrends(stdout, resp)
}

// printTrends prints one row per bucket: its reports and characters, then
// for each query its matching paragraphs and their rate per 10,000
// characters.
func printTrends(w io.Writer, t *search.TrendsResponse) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\treports\tchars\t", t.By)
	for _, s := range t.Series {
		fmt.Fprintf(tw, "%s\t/10k\t", s.Query)
	}
	fmt.Fprintln(tw)
	var reports, chars int
	for i, b := range t.Buckets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t", bucketLabel(b.Value), b.Reports, b.Chars)
		for _, s := range t.Series {
			p := s.Points[i]
			fmt.Fprintf(tw, "%d\t%s\t", p.Paragraphs, strconv.FormatFloat(p.Rate, 'f', 2, 64))
		}
		fmt.Fprintln(tw)
		reports += b.Reports
		chars += b.Chars
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t", reports, chars)
	for _, s := range t.Series {
		rate := 0.0
		if chars > 0 {
			rate = float64(s.Total) / float64(chars) * search.RatePer
		}
		fmt.Fprintf(tw, "%d\t%s\t", s.Total, strconv.FormatFloat(rate, 'f', 2, 64))
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

func bucketLabel(v any) string {
	switch v := v.(type) {
	case int:
		if v == 0 {
			return "(unknown)"
		}
		return strconv.Itoa(v)
	case string:
		if v == "" {
			return "(unknown)"
		}
		return v
	}
	return fmt.Sprint(v)
}
