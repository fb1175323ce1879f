package export

// An XLSX export is a minimal SpreadsheetML package (ECMA-376, the Office
// Open XML format Excel, LibreOffice and Numbers read), written by hand
// with archive/zip as the rows stream, without a spreadsheet library:
//
//	[Content_Types].xml         the parts' content types
//	_rels/.rels                 the package's relationship to the workbook
//	xl/workbook.xml             one sheet, named "reportsearch"
//	xl/_rels/workbook.xml.rels  the workbook's relationships: sheet, styles
//	xl/styles.xml               two cell formats: 0 plain, 1 quotePrefix
//	xl/worksheets/sheet1.xml    the rows, written last and streamed
//
// Text cells are inline strings (t="inlineStr"), so no shared-string table
// has to be held in memory; numbers (year, paragraph, score) are numbers. Text is
// XML-escaped (characters XML cannot hold become U+FFFD) and cut at
// Excel's 32,767 characters a cell. A text cell that a spreadsheet would
// take for a formula once edited (=, +, -, @, tab, CR first: the CSV
// guard's cells) gets cell format 1, quotePrefix, which Excel shows as
// text with its characters unchanged (no apostrophe added to the value).
// The zip entries are deflated and streamed (data descriptors), so an
// export of any size is written in constant memory.

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// maxCellChars is Excel's limit of characters in a cell.
const maxCellChars = 32767

const (
	xlsxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`
	xlsxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	xlsxWorkbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="reportsearch" sheetId="1" r:id="rId1"/></sheets></workbook>`
	xlsxWorkbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs></styleSheet>`
	xlsxSheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	xlsxSheetEnd = `</sheetData></worksheet>`
)

// xlsxWriter streams one sheet of rows into a package.
type xlsxWriter struct {
	zw    *zip.Writer
	sheet *bufio.Writer
	n     int // rows written
}

func newXLSXWriter(w io.Writer) *xlsxWriter { return &xlsxWriter{zw: zip.NewWriter(w)} }

// start writes the fixed parts and opens the sheet.
func (x *xlsxWriter) start() error {
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRels},
		{"xl/workbook.xml", xlsxWorkbook},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
		{"xl/styles.xml", xlsxStyles},
	} {
		w, err := x.zw.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, part.body); err != nil {
			return err
		}
	}
	w, err := x.zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	x.sheet = bufio.NewWriterSize(w, 32<<10)
	_, err = x.sheet.WriteString(xlsxSheetStart)
	return err
}

// row writes one row; cells whose numeric[i] is true are numbers.
func (x *xlsxWriter) row(cells []string, numeric []bool) error {
	x.n++
	r := strconv.Itoa(x.n)
	b := x.sheet
	b.WriteString(`<row r="` + r + `">`)
	for i, c := range cells {
		ref := column(i) + r
		if i < len(numeric) && numeric[i] {
			if f, err := strconv.ParseFloat(c, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				b.WriteString(`<c r="` + ref + `"><v>` + c + `</v></c>`)
				continue
			}
		}
		if c == "" {
			continue
		}
		style := ""
		if SafeCell(c) != c {
			style = ` s="1"`
		}
		b.WriteString(`<c r="` + ref + `" t="inlineStr"` + style + `><is><t xml:space="preserve">`)
		if utf8.RuneCountInString(c) > maxCellChars {
			c = string([]rune(c)[:maxCellChars])
		}
		if err := xml.EscapeText(b, []byte(c)); err != nil {
			return err
		}
		b.WriteString(`</t></is></c>`)
	}
	_, err := b.WriteString(`</row>`)
	return err
}

// column is the letters of column i from 0: A, B, …, Z, AA, ….
func column(i int) string {
	var s []byte
	for i++; i > 0; i = (i - 1) / 26 {
		s = append(s, byte('A'+(i-1)%26))
	}
	for l, r := 0, len(s)-1; l < r; l, r = l+1, r-1 {
		s[l], s[r] = s[r], s[l]
	}
	return string(s)
}

func (x *xlsxWriter) flush() error {
	if x.sheet == nil {
		return nil
	}
	return x.sheet.Flush()
}

// close ends the sheet and writes the zip's directory.
func (x *xlsxWriter) close() error {
	if _, err := x.sheet.WriteString(xlsxSheetEnd); err != nil {
		return err
	}
	if err := x.sheet.Flush(); err != nil {
		return err
	}
	return x.zw.Close()
}
