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
	"reportsearch/internal/fixtures"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
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

// shortClauseRecall is the share of clauses of 4–8 characters found.
func shortClauseRecall(source, paras []string) float64 {
	var short []string
	for _, c := range fixtures.Clauses(source, 4, 100000, 1) {
		if n := len([]rune(c)); n <= 8 {
			short = append(short, c)
		}
	}
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
	ix, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srcs, err := indexer.FileSources([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
