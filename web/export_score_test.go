package web

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"reportsearch/search"
	"reportsearch/search/export"
)

// TestExportScores: in relevance order, the score column of the CSV and
// XLSX exports and the score field of JSON Lines are, row by row, the
// scores of the hits at the same place of the pages (size 100, read one
// after the other); in the year sorts the column is empty and the field
// absent. The ids agree too, so this is also "pages concatenated = export".
func TestExportScores(t *testing.T) {
	e := newTestServer(t)
	scoreCol := len(export.Columns) - 1
	if export.Columns[scoreCol] != "score" {
		t.Fatalf("score is not the last column: %v", export.Columns)
	}
	for _, q := range []string{"发展", "网格化治理", "城市更新 | 乡村振兴", "改革 -开放"} {
		for _, sort := range []string{"", "year", "-year"} {
			base := "/api/search?q=" + url.QueryEscape(q) + "&sort=" + sort
			label := fmt.Sprintf("%q sort %q", q, sort)
			var ids []string
			var scores []float64
			var total uint64
			for from := 0; from < 1000; from += search.MaxSize {
				var resp search.Response
				getJSON(t, e, fmt.Sprintf("%s&from=%d&size=%d", base, from, search.MaxSize), &resp)
				total = resp.Total
				for _, h := range resp.Hits {
					ids, scores = append(ids, h.ID), append(scores, h.Score)
				}
				if len(resp.Hits) < search.MaxSize {
					break
				}
			}
			if total == 0 {
				t.Fatalf("%s: no hits", label)
			}
			relevance := sort == ""
			// JSON Lines.
			rows := exportJSONL(t, e, base+"&format=jsonl")
			if uint64(len(rows)) != total {
				t.Fatalf("%s: %d rows, total %d", label, len(rows), total)
			}
			for i, r := range rows {
				if relevance != (r.Score != nil) {
					t.Fatalf("%s: row %d score %v (relevance %v)", label, i, r.Score, relevance)
				}
				if i < len(ids) && (r.ID != ids[i] || relevance && *r.Score != scores[i]) {
					t.Fatalf("%s: row %d is %s %v, page hit %s %v", label, i, r.ID, r.Score, ids[i], scores[i])
				}
			}
			// CSV.
			recs := exportCSV(t, e, base+"&format=csv")
			if len(recs) != len(rows)+1 || recs[0][scoreCol] != "score" {
				t.Fatalf("%s: %d CSV records, header %v", label, len(recs), recs[0])
			}
			for i, rec := range recs[1:] {
				checkScoreCell(t, label+" csv", i, rec[0], rec[scoreCol], rows[i], relevance)
			}
			// XLSX.
			cells := xlsxCells(t, get(t, e, base+"&format=xlsx"))
			for i, r := range rows {
				n := strconv.Itoa(i + 2)
				checkScoreCell(t, label+" xlsx", i, cells["A"+n], cells["N"+n], r, relevance)
			}
		}
	}
}

func checkScoreCell(t *testing.T, label string, i int, id, cell string, r search.Row, relevance bool) {
	t.Helper()
	if id != r.ID {
		t.Fatalf("%s: row %d is %s, JSON Lines %s", label, i, id, r.ID)
	}
	if !relevance {
		if cell != "" {
			t.Fatalf("%s: row %d has score %q in a year sort", label, i, cell)
		}
		return
	}
	f, err := strconv.ParseFloat(cell, 64)
	if err != nil || f != *r.Score {
		t.Fatalf("%s: row %d score %q, want %v", label, i, cell, *r.Score)
	}
}

func exportCSV(t *testing.T, e *echo.Echo, target string) [][]string {
	t.Helper()
	rec := get(t, e, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), export.BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// xlsxCells reads the sheet of an XLSX answer: the value of each cell by
// its reference (A1, N2, …); cells left out are "".
func xlsxCells(t *testing.T, rec interface{ Result() *http.Response }) map[string]string {
	t.Helper()
	res := rec.Result()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %d %s", res.StatusCode, data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet struct {
		Cells []struct {
			R string `xml:"r,attr"`
			V string `xml:"v"`
			T string `xml:"is>t"`
		} `xml:"sheetData>row>c"`
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			if err := xml.Unmarshal(b, &sheet); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := map[string]string{}
	for _, c := range sheet.Cells {
		out[c.R] = c.V + c.T
	}
	return out
}
