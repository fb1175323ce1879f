package indexer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/extract"
	"reportsearch/internal/corpusdir"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
)

// The masthead of the newspaper fixture; it may not be indexed.
const (
	furnitureMasthead = "某某日报"
	furnitureEdition  = "2024年3月6日 星期三"
)

// pdfDropped extracts and cleans a PDF and returns the dropped lines by
// rule.
func pdfDropped(t *testing.T, data []byte) map[string]int {
	t.Helper()
	doc, err := extract.Extract("report.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	c := cleanDoc(doc)
	return c.DroppedCounts()
}

// cleanDoc cleans an extracted document as indexing does.
func cleanDoc(doc *extract.Document) indexer.Cleaned {
	var lines []indexer.Line
	for _, b := range doc.Blocks {
		if b.AfterBlank {
			lines = append(lines, indexer.Line{})
		}
		lines = append(lines, indexer.Line{Text: b.Text, Level: b.Heading, Furniture: b.Furniture})
	}
	return indexer.Clean(lines)
}

// An office PDF: justified text, a running header and — N — page numbers
// printed by Chromium. Clause recall, and the header and page numbers
// dropped under their rules (one of each per page).
func TestPDFOfficeRecall(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	for _, src := range formatSources {
		r := sourceReport(t, src)
		t.Run(src[strings.LastIndex(src, "/")+1:], func(t *testing.T) {
			pdf := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Header: furnitureHeader, PageNumbers: true}))
			checkFormat(t, "office.pdf", pdf, r, false)
			t.Logf("pdftotext -layout: clause recall %.4f", popplerRecall(t, pdf, "-layout", r))
			dropped := pdfDropped(t, pdf)
			t.Logf("dropped: %v", dropped)
			if dropped[indexer.RuleRunningHeader] < 5 || dropped[indexer.RulePageNumber] < 5 {
				t.Errorf("running headers and page numbers not dropped: %v", dropped)
			}
			all := strings.Join(paraTexts(extractClean(t, "office.pdf", pdf)), "\n")
			for _, s := range []string{" 起", "GDP 的", "— 3 —"} {
				if strings.Contains(all, s) {
					t.Errorf("%q indexed", s)
				}
			}
		})
	}
}

// A newspaper-like page: two columns, a masthead at the top of every page.
func TestPDFColumnsRecall(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	r := sourceReport(t, formatSources[0])
	pdf := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Columns: 2, Masthead: furnitureMasthead, Edition: furnitureEdition, PageNumbers: true}))
	checkFormat(t, "columns.pdf", pdf, r, false)
	all := strings.Join(paraTexts(extractClean(t, "columns.pdf", pdf)), "\n")
	for _, s := range []string{furnitureMasthead, furnitureEdition} {
		if strings.Contains(all, s) {
			t.Errorf("masthead %q indexed", s)
		}
	}
	t.Logf("dropped: %v", pdfDropped(t, pdf))
	// What poppler's own modes give on the same file, through the same
	// cleaning (docs/formats.md).
	for _, mode := range []string{"-raw", "-layout"} {
		t.Logf("pdftotext %s: clause recall %.4f", mode, popplerRecall(t, pdf, mode, r))
	}
}

// A newspaper's front page: the masthead (name, publisher's line, date and
// weekday, 第1版, serial number) printed once above the report's title and
// its two columns. The masthead lines are dropped under their rule, the
// title and the body are kept.
func TestPDFFrontMasthead(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	r := sourceReport(t, formatSources[0])
	r.Paras = r.Paras[:30]
	pdf := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Columns: 2, Masthead: furnitureMasthead, Edition: furnitureEdition, Front: true}))
	checkFormat(t, "front.pdf", pdf, r, false)
	doc, err := extract.Extract("front.pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	c := cleanDoc(doc)
	masthead := []string{furnitureMasthead, "中共某某省委机关报", nospace(furnitureEdition), "第1版", "国内统一连续出版物号CN00-0000"}
	var dropped []string
	for _, d := range c.Dropped {
		if d.Rule == indexer.RuleMasthead {
			dropped = append(dropped, nospace(d.Text))
		}
	}
	t.Logf("masthead lines dropped: %q", dropped)
	// Conservation: what the rule dropped is the masthead, all of it.
	got := strings.Join(dropped, " ")
	for _, d := range dropped {
		found := false
		for _, m := range masthead {
			found = found || strings.Contains(d, m) || strings.Contains(m, d)
		}
		if !found {
			t.Errorf("%q dropped as masthead", d)
		}
	}
	all := nospace(strings.Join(paraTexts(c.Paragraphs), "\n"))
	for _, m := range masthead {
		if strings.Contains(all, m) || !strings.Contains(got, m) {
			t.Errorf("masthead line %q indexed or not dropped under its rule", m)
		}
	}
	if len(c.Paragraphs) == 0 || c.Paragraphs[0].Text != r.Paras[0].Text {
		t.Errorf("the report's title is not the first paragraph: %q", paraTexts(c.Paragraphs[:min(2, len(c.Paragraphs))]))
	}
}

func nospace(s string) string { return strings.Join(strings.Fields(s), "") }

// popplerRecall is the clause recall of pdftotext's text in a mode, lines
// cleaned as the PDF path did before word boxes.
func popplerRecall(t *testing.T, pdf []byte, mode string, r fixtures.Report) float64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", mode, path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var lines []indexer.Line
	for _, l := range strings.Split(strings.ReplaceAll(string(out), "\f", "\n"), "\n") {
		lines = append(lines, indexer.Line{Text: l})
	}
	recall, _ := fixtures.ClauseRecall(r.Texts(), paraTexts(indexer.CleanParagraphs(lines)))
	return recall
}

// A scanned report: the office PDF's pages as JPEG images. OCR is judged
// on short clauses (4–8 characters).
func TestPDFScannedRecall(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	fixtures.RequireTesseract(t)
	r := sourceReport(t, formatSources[0])
	// The first pages only: OCR costs seconds a page.
	r.Paras = r.Paras[:16]
	text := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Header: furnitureHeader, PageNumbers: true}))
	scan := fixtures.ScannedPDF(t, text, 200)
	start := time.Now()
	doc, err := extract.Extract("scan.pdf", scan)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if !doc.OCR {
		t.Error("Document.OCR not set")
	}
	texts := paraTexts(cleanDoc(doc).Paragraphs)
	short := shortClauseRecall(r.Texts(), texts)
	long, _ := fixtures.ClauseRecall(r.Texts(), texts)
	pages := strings.Count(string(scan), "/Type /Page ")
	acc := charAccuracy(strings.Join(r.Texts(), ""), strings.Join(texts, ""))
	t.Logf("scan.pdf: %d pages, %.1f s a page; character accuracy %.4f, short-clause (4–8) recall %.4f, clause recall %.4f", pages, elapsed.Seconds()/float64(pages), acc, short, long)
	if short < 0.85 {
		t.Errorf("short-clause recall %.4f", short)
	}
	all := strings.Join(texts, "\n")
	if strings.Contains(all, furnitureHeader) {
		t.Error("running header indexed")
	}
}

// A scanned newspaper page: two columns under a masthead, as JPEG images.
// The OCR's word boxes are laid out like a text page's, so the columns are
// read one after the other: clauses that run from line to line are found.
func TestPDFScannedColumns(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	fixtures.RequireTesseract(t)
	r := sourceReport(t, formatSources[1])
	r.Paras = r.Paras[:22] // one page: OCR costs seconds a page
	text := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Columns: 2, Masthead: furnitureMasthead, Edition: furnitureEdition, Front: true}))
	scan := fixtures.ScannedPDF(t, text, 200)
	doc, err := extract.Extract("scan-columns.pdf", scan)
	if err != nil {
		t.Fatal(err)
	}
	c := cleanDoc(doc)
	texts := paraTexts(c.Paragraphs)
	short := shortClauseRecall(r.Texts(), texts)
	long, _ := fixtures.ClauseRecall(r.Texts(), texts)
	t.Logf("scan-columns.pdf: %d pages; short-clause (4–8) recall %.4f, clause recall %.4f; dropped %v", strings.Count(string(scan), "/Type /Page "), short, long, c.DroppedCounts())
	// Interleaved columns cut every clause that runs across a line end:
	// clause recall was 0.38 on this page read so (docs/formats.md).
	if short < 0.55 || long < 0.65 {
		t.Errorf("short-clause recall %.4f, clause recall %.4f", short, long)
	}
	if all := strings.Join(texts, "\n"); strings.Contains(all, furnitureMasthead) {
		t.Errorf("masthead %q indexed", furnitureMasthead)
	}
}

// ocrReports are the corpus reports that BenchmarkScannedReports scans:
// other kinds and years than the test fixtures' (a province's report with
// many figures, an older national one, a district's).
var ocrReports = []string{
	"provincial/2026_四川省_政府工作报告.txt",
	"provincial/2026_广东省_政府工作报告.txt",
	"national/2010_国务院_政府工作报告.txt",
	"district/2022_芝罘区政协_常委会工作报告.txt",
}

// BenchmarkScannedReports measures OCR on scans of several reports (12
// paragraphs each, printed as office PDFs and scanned at 200 dpi): the
// short-clause recall and character accuracy over all of them, and the
// time per page (render + OCR). A benchmark, not a test: it reads 11 pages.
//
//	go test ./indexer -run '^$' -bench ScannedReports -benchtime 1x
func BenchmarkScannedReports(b *testing.B) {
	fixtures.Require(b, "pdftotext", "poppler-utils")
	fixtures.RequireTesseract(b)
	type scan struct {
		r   fixtures.Report
		pdf []byte
	}
	var scans []scan
	pages := 0
	for _, rel := range ocrReports {
		data, err := os.ReadFile(filepath.Join(corpusdir.Dir(b), rel))
		if err != nil {
			b.Fatal(err)
		}
		r := fixtures.ReportFromText(string(data))
		r.Paras = r.Paras[5:17]
		pdf := fixtures.ScannedPDF(b, fixtures.PrintPDF(b, fixtures.ReportHTML(r, fixtures.PrintOptions{Header: furnitureHeader, PageNumbers: true})), 200)
		scans = append(scans, scan{r, pdf})
		pages += strings.Count(string(pdf), "/Type /Page ")
	}
	b.ResetTimer()
	for range b.N {
		var src, got []string
		found, total := 0.0, 0
		for _, s := range scans {
			doc, err := extract.Extract("scan.pdf", s.pdf)
			if err != nil {
				b.Fatal(err)
			}
			texts := paraTexts(cleanDoc(doc).Paragraphs)
			n := len(shortClauses(s.r.Texts()))
			found += shortClauseRecall(s.r.Texts(), texts) * float64(n)
			total += n
			src, got = append(src, s.r.Texts()...), append(got, texts...)
		}
		b.ReportMetric(found/float64(total), "short-recall")
		b.ReportMetric(charAccuracy(strings.Join(src, ""), strings.Join(got, "")), "char-accuracy")
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(pages*b.N), "s/page")
	b.ReportMetric(0, "ns/op")
}

// shortClauses are the clauses of 4–8 characters of the texts.
func shortClauses(source []string) []string {
	var short []string
	for _, c := range fixtures.Clauses(source, 4, 100000, 1) {
		if n := len([]rune(c)); n <= 8 {
			short = append(short, c)
		}
	}
	return short
}

// shortClauseRecall is the share of clauses of 4–8 characters found.
func shortClauseRecall(source, paras []string) float64 {
	short := shortClauses(source)
	folded := strings.Join(paras, "\n")
	found := 0
	for _, c := range short {
		if strings.Contains(folded, c) {
			found++
		}
	}
	if len(short) == 0 {
		return 0
	}
	return float64(found) / float64(len(short))
}

func paraTexts(ps []search.Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// A batch with an office PDF, a two-column one and a scanned one, and a
// broken file of each kind: the broken ones are skipped with their reasons,
// the others indexed; the scanned one is marked OCR and its header is not
// indexed.
func TestIndexPDFKinds(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	fixtures.RequireTesseract(t)
	// Running headers are found by repetition: a few pages.
	full := sourceReport(t, formatSources[0])
	r := full
	r.Paras = r.Paras[:12]
	office := fixtures.PrintPDF(t, fixtures.ReportHTML(r, fixtures.PrintOptions{Header: furnitureHeader, PageNumbers: true}))
	columns := fixtures.PrintPDF(t, fixtures.ReportHTML(full, fixtures.PrintOptions{Columns: 2, Masthead: furnitureMasthead, Edition: furnitureEdition}))
	scan := fixtures.ScannedPDF(t, office, 200)
	dir := t.TempDir()
	writeFiles(t, dir, map[string][]byte{
		"2026_河北省_政府工作报告.pdf": office,
		"columns.pdf":         columns,
		"scan.pdf":            scan,
		"cut-office.pdf":      office[:len(office)/2],
		"cut-columns.pdf":     columns[:len(columns)/2],
		"cut-scan.pdf":        scan[:len(scan)/2],
	})
	ix, sum := indexFolder(t, dir)
	for _, f := range sum.Files {
		name := filepath.Base(f.Path)
		want := indexer.StatusAdded
		if strings.HasPrefix(name, "cut-") {
			want = indexer.StatusSkipped
		}
		if f.Status != want || want == indexer.StatusSkipped && f.Reason == "" {
			t.Errorf("%s: %+v, want %s", name, f, want)
		}
		if f.Status != indexer.StatusAdded {
			t.Logf("%s: %s", name, f.Reason)
			continue
		}
		rep, err := ix.Report(f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OCR != (name == "scan.pdf") {
			t.Errorf("%s: OCR %v", name, rep.OCR)
		}
	}
	for _, q := range []string{furnitureHeader, furnitureMasthead} {
		resp, err := ix.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Total != 0 {
			t.Errorf("furniture %q found %d times", q, resp.Total)
		}
	}
}

// A text PDF with a scanned page inside: the page without text is read by
// OCR, the others as text.
func TestPDFScannedPageInTextPDF(t *testing.T) {
	fixtures.Require(t, "pdftotext", "poppler-utils")
	fixtures.RequireTesseract(t)
	src := sourceReport(t, formatSources[0])
	first, second := src, src
	first.Paras, second.Paras = src.Paras[:8], src.Paras[8:11]
	text := fixtures.PrintPDF(t, fixtures.ReportHTML(first, fixtures.PrintOptions{}))
	scanned := fixtures.ScannedPDF(t, fixtures.PrintPDF(t, fixtures.ReportHTML(second, fixtures.PrintOptions{})), 200)
	var progress []string
	ctx := extract.WithOCRProgress(context.Background(), func(name string, done, total int) {
		progress = append(progress, fmt.Sprintf("%s %d/%d", name, done, total))
	})
	doc, err := extract.ExtractWith(ctx, "mixed.pdf", fixtures.JoinPDFs(t, text, scanned), extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(progress) != "[mixed.pdf 1/1]" {
		t.Errorf("OCR progress %v, want one page of mixed.pdf", progress)
	}
	if !doc.OCR {
		t.Error("Document.OCR not set")
	}
	texts := paraTexts(cleanDoc(doc).Paragraphs)
	t.Logf("text pages: short-clause recall %.4f; scanned page: %.4f",
		shortClauseRecall(fixtures.Report{Paras: first.Paras}.Texts(), texts), shortClauseRecall(fixtures.Report{Paras: second.Paras}.Texts(), texts))
	if r := shortClauseRecall(fixtures.Report{Paras: second.Paras}.Texts(), texts); r < 0.85 {
		t.Errorf("scanned page: short-clause recall %.4f", r)
	}
	if r, _ := fixtures.ClauseRecall(fixtures.Report{Paras: first.Paras}.Texts(), texts); r < recallFloor {
		t.Errorf("text pages: clause recall %.4f", r)
	}
}

// charAccuracy is 1 − (edit distance / length of the reference), spaces
// ignored: the share of characters OCR read right.
func charAccuracy(ref, got string) float64 {
	strip := func(s string) []rune {
		return []rune(strings.Join(strings.Fields(s), ""))
	}
	a, b := strip(ref), strip(got)
	if len(a) == 0 {
		return 0
	}
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float64(prev[len(b)])/float64(len(a))
}
