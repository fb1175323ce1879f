// Package export writes search results and trends as files for
// spreadsheets and scripts, the same bytes for the API and the CLI.
//
// CSV: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the
// local ANSI code page and Chinese comes out garbled), a header row, then
// one row per record, quoted as RFC 4180 says (encoding/csv). A cell that
// a spreadsheet would take for a formula — one starting with =, +, -, @,
// a tab or a carriage return, such as a report's "--我们要…" — is written
// with a leading apostrophe, which Excel and LibreOffice show as text
// (OWASP's advice against CSV injection); JSON Lines keep the text as it is.
// JSON Lines: one JSON object per line, with the same field names as the
// CSV columns, HTML characters not escaped.
package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"reportsearch/search"
	"reportsearch/search/workbench"
)

// Format is an output format.
type Format string

const (
	// JSON is the ordinary response body (one page of hits).
	JSON  Format = "json"
	CSV   Format = "csv"
	JSONL Format = "jsonl"
	// XLSX is an Excel workbook of one sheet (see xlsx.go).
	XLSX Format = "xlsx"
)

// BOM is the UTF-8 byte-order mark that starts every CSV file.
const BOM = "\uFEFF"

// Content types of the formats.
const (
	ContentTypeCSV   = "text/csv; charset=utf-8"
	ContentTypeJSONL = "application/x-ndjson"
	ContentTypeXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ParseFormat checks a format parameter against the allowed formats; ""
// is JSON.
func ParseFormat(s string, allowed ...Format) (Format, error) {
	if s == "" {
		return JSON, nil
	}
	for _, f := range allowed {
		if Format(s) == f {
			return f, nil
		}
	}
	names := make([]string, len(allowed))
	for i, f := range allowed {
		names[i] = strconv.Quote(string(f))
	}
	return "", search.BadRequestf("format must be one of %s, not %q", strings.Join(names, ", "), s)
}

// Columns are the columns of a paragraph export, in order; they are also
// the JSON Lines field names (see search.Row). reader is the paragraph's
// reader page, a link relative to the server (/documents/ID?q=…#pN).
// score is the relevance score the pages rank by (search.Row.Score), in
// relevance order only: an empty cell, and no JSON field, for the year
// sorts.
var Columns = []string{"id", "doc_id", "title", "year", "region", "level", "organization", "doc_type", "path", "paragraph", "section", "text", "reader", "score"}

// ColumnsZh are Columns in Chinese, the header of an export with
// lang=zh, whose level values are Chinese too (LevelZh).
var ColumnsZh = []string{"段落编号", "报告编号", "标题", "年份", "地区", "层级", "发布机关", "文种", "路径", "段落", "章节", "正文", "阅读链接", "相关度"}

// LevelZh names the administrative levels the indexer records in
// Chinese, as the pages show them.
var LevelZh = map[string]string{
	"national":   "全国",
	"provincial": "省级",
	"municipal":  "市级",
	"prefecture": "地级",
	"county":     "县级",
	"district":   "区县级",
}

// Options change what a RowWriter writes.
type Options struct {
	// Lang "zh" writes the CSV and XLSX header in Chinese (ColumnsZh) and
	// levels as LevelZh names them (省级, not provincial); "" or "en" is
	// English. JSON Lines keep their field names and values.
	Lang string
	// Query is the query the reader links mark; no links when empty.
	Query string
}

// ParseLang checks a lang parameter.
func ParseLang(s string) (string, error) {
	switch s {
	case "", "en", "zh":
		return s, nil
	}
	return "", search.BadRequestf("lang must be \"en\" or \"zh\", not %q", s)
}

// RowWriter writes exported paragraphs. Nothing is written before the
// first Write (so that an error found before it can still be answered
// with a status code) except by Close, which writes the header of an
// empty CSV file.
type RowWriter struct {
	w       *bufio.Writer
	format  Format
	opt     Options
	csv     *csv.Writer
	json    *json.Encoder
	xlsx    *xlsxWriter
	started bool
	rec     []string
}

// NewRowWriter returns a writer of CSV, XLSX or JSONL rows to w.
func NewRowWriter(w io.Writer, f Format) *RowWriter { return NewRowWriterOptions(w, f, Options{}) }

// NewRowWriterOptions is NewRowWriter with options.
func NewRowWriterOptions(w io.Writer, f Format, opt Options) *RowWriter {
	bw := bufio.NewWriterSize(w, 32<<10)
	rw := &RowWriter{w: bw, format: f, opt: opt, rec: make([]string, len(Columns))}
	switch f {
	case CSV:
		rw.csv = csv.NewWriter(bw)
	case XLSX:
		rw.xlsx = newXLSXWriter(bw)
	default:
		rw.json = json.NewEncoder(bw)
		rw.json.SetEscapeHTML(false)
	}
	return rw
}

func (rw *RowWriter) start() error {
	if rw.started {
		return nil
	}
	rw.started = true
	header := Columns
	if rw.opt.Lang == "zh" {
		header = ColumnsZh
	}
	switch rw.format {
	case CSV:
		if _, err := rw.w.WriteString(BOM); err != nil {
			return err
		}
		return rw.csv.Write(header)
	case XLSX:
		if err := rw.xlsx.start(); err != nil {
			return err
		}
		return rw.xlsx.row(header, nil)
	}
	return nil
}

// numeric are the columns written as numbers in XLSX: year, paragraph,
// score.
var numeric = []bool{3: true, 9: true, 13: true}

// Write writes one row.
func (rw *RowWriter) Write(r search.Row) error {
	if err := rw.start(); err != nil {
		return err
	}
	if r.Reader == "" && rw.opt.Query != "" {
		r.Reader = workbench.ReaderLink(r.DocID, rw.opt.Query, r.Paragraph)
	}
	if rw.json != nil {
		return rw.json.Encode(r)
	}
	level := r.Level
	if rw.opt.Lang == "zh" {
		if l, ok := LevelZh[level]; ok {
			level = l
		}
	}
	rec := rw.rec
	rec[0], rec[1], rec[2], rec[3] = r.ID, r.DocID, r.Title, strconv.Itoa(r.Year)
	rec[4], rec[5], rec[6], rec[7] = r.Region, level, r.Organization, r.DocType
	rec[8], rec[9], rec[10], rec[11] = r.Path, strconv.Itoa(r.Paragraph), r.Section, r.Text
	rec[12], rec[13] = r.Reader, ""
	if r.Score != nil {
		rec[13] = strconv.FormatFloat(*r.Score, 'f', -1, 64)
	}
	if rw.xlsx != nil {
		return rw.xlsx.row(rec, numeric)
	}
	return writeSafe(rw.csv, rec)
}

// SafeCell returns s as a CSV cell that no spreadsheet evaluates.
func SafeCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// writeSafe writes a record with every cell made safe (rec is changed).
func writeSafe(w *csv.Writer, rec []string) error {
	for i, c := range rec {
		rec[i] = SafeCell(c)
	}
	return w.Write(rec)
}

// Flush sends the buffered rows on, so that a long export streams.
func (rw *RowWriter) Flush() error {
	if rw.xlsx != nil {
		if err := rw.xlsx.flush(); err != nil {
			return err
		}
	}
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.w.Flush()
}

// Close writes the header if no row was written (and, for XLSX, the end
// of the sheet and of the package) and flushes.
func (rw *RowWriter) Close() error {
	if err := rw.start(); err != nil {
		return err
	}
	if rw.xlsx != nil {
		if err := rw.xlsx.close(); err != nil {
			return err
		}
	}
	return rw.Flush()
}

// TrendColumns are the columns of a trends CSV: one row per query and
// bucket.
var TrendColumns = []string{"query", "by", "value", "paragraphs", "reports", "chars", "rate"}

// WriteTrendsCSV writes a trends response as CSV.
func WriteTrendsCSV(w io.Writer, t *search.TrendsResponse) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(TrendColumns); err != nil {
		return err
	}
	for _, s := range t.Series {
		for _, p := range s.Points {
			rec := []string{s.Query, t.By, valueString(p.Value), strconv.FormatUint(p.Paragraphs, 10),
				strconv.Itoa(p.Reports), strconv.Itoa(p.Chars), strconv.FormatFloat(p.Rate, 'f', -1, 64)}
			if err := writeSafe(cw, rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func valueString(v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	case float64: // a value decoded from JSON
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// ConcordanceColumns are the columns of a concordance export, one row per
// occurrence (see workbench.Line).
var ConcordanceColumns = []string{"left", "match", "right", "term", "doc_id", "title", "year", "region", "level",
	"organization", "doc_type", "path", "paragraph", "section", "offset", "reader"}

// LineWriter writes concordance lines as CSV or JSON Lines, like RowWriter.
type LineWriter struct {
	w      *bufio.Writer
	csv    *csv.Writer
	json   *json.Encoder
	header bool
}

// NewLineWriter returns a writer of concordance lines to w.
func NewLineWriter(w io.Writer, f Format) *LineWriter {
	bw := bufio.NewWriterSize(w, 32<<10)
	lw := &LineWriter{w: bw}
	if f == CSV {
		lw.csv = csv.NewWriter(bw)
	} else {
		lw.json = json.NewEncoder(bw)
		lw.json.SetEscapeHTML(false)
	}
	return lw
}

func (lw *LineWriter) start() error {
	if lw.header || lw.csv == nil {
		return nil
	}
	lw.header = true
	if _, err := lw.w.WriteString(BOM); err != nil {
		return err
	}
	return lw.csv.Write(ConcordanceColumns)
}

// Write writes one line.
func (lw *LineWriter) Write(l workbench.Line) error {
	if err := lw.start(); err != nil {
		return err
	}
	if lw.json != nil {
		return lw.json.Encode(l)
	}
	return writeSafe(lw.csv, []string{l.Left, l.Match, l.Right, l.Term, l.DocID, l.Title, strconv.Itoa(l.Year), l.Region,
		l.Level, l.Organization, l.DocType, l.Path, strconv.Itoa(l.Paragraph), l.Section, strconv.Itoa(l.Offset), l.Reader})
}

// Close writes the header if nothing was written and flushes.
func (lw *LineWriter) Close() error {
	if err := lw.start(); err != nil {
		return err
	}
	if lw.csv != nil {
		lw.csv.Flush()
		if err := lw.csv.Error(); err != nil {
			return err
		}
	}
	return lw.w.Flush()
}

// TrendOccurrenceColumns are added to TrendColumns when occurrences are
// counted (metric=occurrences).
var TrendOccurrenceColumns = []string{"occurrences", "occurrence_rate"}

// WriteTrendsCSVOccurrences is WriteTrendsCSV with the occurrence
// columns.
func WriteTrendsCSVOccurrences(w io.Writer, t *search.TrendsResponse) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(TrendColumns), TrendOccurrenceColumns...)); err != nil {
		return err
	}
	for _, s := range t.Series {
		for _, p := range s.Points {
			rec := []string{s.Query, t.By, valueString(p.Value), strconv.FormatUint(p.Paragraphs, 10),
				strconv.Itoa(p.Reports), strconv.Itoa(p.Chars), strconv.FormatFloat(p.Rate, 'f', -1, 64),
				strconv.FormatUint(p.Occurrences, 10), strconv.FormatFloat(p.OccurrenceRate, 'f', -1, 64)}
			if err := writeSafe(cw, rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Panel layouts and metrics.
const (
	// PanelLong: one row per row value, column value and query.
	PanelLong = "long"
	// PanelWide: one row per row value; for each query a block of
	// columns, one per column value, holding one metric.
	PanelWide = "wide"
)

// PanelLongColumns follow the two fields' names in a long panel.
var PanelLongColumns = []string{"theme", "paragraphs", "occurrences", "reports", "chars", "rate", "occurrence_rate"}

// WritePanelCSV writes a panel as a long or a wide CSV. metric picks the
// wide cells: "paragraphs" (default), "occurrences", "rate" or
// "occurrence_rate"; a wide cell without reports is empty (no text: not
// a zero).
func WritePanelCSV(w io.Writer, p *search.PanelResponse, layout, metric string) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	switch layout {
	case "", PanelLong:
		if err := cw.Write(append([]string{p.Rows, p.Cols}, PanelLongColumns...)); err != nil {
			return err
		}
		for _, c := range p.Cells {
			if err := writeSafe(cw, []string{valueString(c.Row), valueString(c.Col), c.Query,
				strconv.FormatUint(c.Paragraphs, 10), strconv.FormatUint(c.Occurrences, 10), strconv.Itoa(c.Reports),
				strconv.Itoa(c.Chars), strconv.FormatFloat(c.Rate, 'f', -1, 64), strconv.FormatFloat(c.OccurrenceRate, 'f', -1, 64)}); err != nil {
				return err
			}
		}
	case PanelWide:
		type key struct {
			r, c any
			q    string
		}
		cells := map[key]search.PanelCell{}
		for _, c := range p.Cells {
			cells[key{c.Row, c.Col, c.Query}] = c
		}
		header := []string{p.Rows}
		for _, q := range p.Queries {
			for _, cv := range p.ColValues {
				header = append(header, q+" "+valueString(cv))
			}
		}
		if err := writeSafe(cw, header); err != nil {
			return err
		}
		for _, rv := range p.RowValues {
			rec := []string{valueString(rv)}
			for _, q := range p.Queries {
				for _, cv := range p.ColValues {
					c, ok := cells[key{rv, cv, q}]
					if !ok {
						rec = append(rec, "")
						continue
					}
					rec = append(rec, panelMetric(c, metric))
				}
			}
			if err := writeSafe(cw, rec); err != nil {
				return err
			}
		}
	default:
		return search.BadRequestf("layout must be %q or %q, not %q", PanelLong, PanelWide, layout)
	}
	cw.Flush()
	return cw.Error()
}

func panelMetric(c search.PanelCell, metric string) string {
	switch metric {
	case "occurrences":
		return strconv.FormatUint(c.Occurrences, 10)
	case "rate":
		return strconv.FormatFloat(c.Rate, 'f', -1, 64)
	case "occurrence_rate":
		return strconv.FormatFloat(c.OccurrenceRate, 'f', -1, 64)
	}
	return strconv.FormatUint(c.Paragraphs, 10)
}

// ParsePanelMetric checks the metric of a wide panel.
func ParsePanelMetric(s string) (string, error) {
	switch s {
	case "", "paragraphs", "occurrences", "rate", "occurrence_rate":
		return s, nil
	}
	return "", search.BadRequestf("metric must be paragraphs, occurrences, rate or occurrence_rate, not %q", s)
}
