package extract

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"reportsearch/internal/fixtures"
)

// words builds a line of word boxes from text pieces at x positions (in
// points, 10 points a character), on the line at y.
func words(y float64, pieces ...any) []pdfWord {
	var ws []pdfWord
	for i := 0; i < len(pieces); i += 2 {
		x, s := float64(pieces[i].(int)), pieces[i+1].(string)
		n := float64(len([]rune(s)))
		ws = append(ws, pdfWord{x0: x, x1: x + 10*n, y0: y, y1: y + 10, text: s})
	}
	return ws
}

func pageText(lines []pageLine) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.text + "\n")
	}
	return sb.String()
}

// Two columns are read one after the other, below a masthead that spans
// them (its parts above each column); a Latin word set lower than the Han text stays on its line.
func TestLayoutColumns(t *testing.T) {
	var p pdfPage
	p.words = append(p.words, words(10, 100, "某某日报", 300, "第3版")...)
	for i, n := range strings.Split("一二三四五六七八", "") {
		y := 40 + float64(i)*14
		p.words = append(p.words, words(y, 10, "左栏第"+n+"行文字内容写满一栏")...)
		p.words = append(p.words, words(y+1, 230, "右栏第"+n+"行文字内容写满一栏")...)
	}
	// GDP, in a Latin font whose box is lower, between Han words.
	p.words = append(p.words, pdfWord{x0: 10, x1: 40, y0: 160, y1: 170, text: "增长率"},
		pdfWord{x0: 40, x1: 70, y0: 163, y1: 171, text: "GDP"}, pdfWord{x0: 70, x1: 100, y0: 160, y1: 170, text: "的值"})
	got := pageText(layoutPage(p))
	left, right := strings.Index(got, "左栏第八行"), strings.Index(got, "右栏第一行")
	if left < 0 || right < 0 || left > right {
		t.Errorf("columns interleaved:\n%s", got)
	}
	if !strings.Contains(got, "增长率GDP的值") {
		t.Errorf("Latin word not on its line:\n%s", got)
	}
	if !strings.HasPrefix(strings.TrimSpace(got), "某某日报\n") {
		t.Errorf("masthead not first:\n%s", got)
	}
}

func TestPageFurniture(t *testing.T) {
	var pages [][]pageLine
	for i := 1; i <= 5; i++ {
		pages = append(pages, []pageLine{
			{text: "安徽省人民政府", y: 10},
			{text: "正文第" + strings.Repeat("很", i) + "长的一行。", y: 50},
			{text: "正文又一行" + strings.Repeat("字", i), y: 70},
			{text: "— " + string(rune('0'+i)) + " —", y: 800},
		})
	}
	rules := markPageFurniture(pages)
	for p := range pages {
		want := []string{FurnitureRunningHeader, "", "", FurniturePageNumber}
		for i := range want {
			if rules[p][i] != want[i] {
				t.Errorf("page %d line %q: rule %q, want %q", p+1, pages[p][i].text, rules[p][i], want[i])
			}
		}
	}
}

// grey returns a small greyscale JPEG.
func grey(t *testing.T) []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = color.Gray{Y: 255}.Y
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Without tesseract an image-only PDF is skipped with the packages to
// install; a cut one is skipped by pdftotext.
func TestPDFScannedWithoutTesseract(t *testing.T) {
	requirePDFToText(t)
	saved := tesseractPath
	t.Cleanup(func() { tesseractPath = saved })
	tesseractPath = "/nonexistent/tesseract"
	scan := fixtures.ImagePDF(t, [][]byte{grey(t), grey(t)})
	wantSkip(t, "scan.pdf", scan, "tesseract-ocr tesseract-ocr-chi-sim")
	wantSkip(t, "cut.pdf", scan[:len(scan)/3])
}

// A second OCR model folder (OCRModelEnv) without chi_sim skips a scanned
// PDF with a reason naming the variable, instead of reading it with one
// model unannounced.
func TestPDFScannedModelFolderWithoutModel(t *testing.T) {
	requirePDFToText(t)
	fixtures.RequireTesseract(t)
	t.Setenv(OCRModelEnv, t.TempDir())
	scan := fixtures.ImagePDF(t, [][]byte{grey(t)})
	wantSkip(t, "scan.pdf", scan, OCRModelEnv, "chi_sim.traineddata")
}

// OCR is bounded per page and per file; a page over its limit skips the
// file (nothing is left out silently).
func TestPDFOCRLimits(t *testing.T) {
	requirePDFToText(t)
	fixtures.RequireTesseract(t)
	scan := fixtures.ImagePDF(t, [][]byte{grey(t), grey(t)})
	wantLimit(t, "scan.pdf", scan, Limits{OCRPageTimeout: time.Millisecond}, "OCRPageTimeout", 5*time.Second)
	wantLimit(t, "scan.pdf", scan, Limits{OCRTimeout: time.Millisecond}, "OCRTimeout", 5*time.Second)
	// Within the limits, blank scanned pages have no text.
	wantSkip(t, "blank.pdf", scan, "no extractable text")
}

// Odd and even pages with headers of their own, and a title page
// without: each header is on under half of the pages.
func TestPageFurnitureOddEven(t *testing.T) {
	pages := [][]pageLine{{{text: "政府工作报告", y: 100}, {text: "正文开头。", y: 150}}}
	for i := 2; i <= 7; i++ {
		header := "某某省人民政府文件"
		if i%2 == 0 {
			header = "2024年政府工作报告"
		}
		pages = append(pages, []pageLine{{text: header, y: 10}, {text: "第" + strings.Repeat("页", i) + "的正文。", y: 50}})
	}
	rules := markPageFurniture(pages)
	for p := 1; p < len(pages); p++ {
		if rules[p][0] != FurnitureRunningHeader || rules[p][1] != "" {
			t.Errorf("page %d: rules %v", p+1, rules[p])
		}
	}
	if rules[0][0] != "" {
		t.Errorf("title page: rules %v", rules[0])
	}
}

// tesseract's tsv rows of a page in two columns, as psm 3 may write them
// (a block per column, but also lines across both): the word boxes are
// laid out as a text page's, column by column, spaces between Han
// characters dropped.
func TestParseOCRTSV(t *testing.T) {
	var tsv strings.Builder
	tsv.WriteString("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n")
	tsv.WriteString("1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t\n")
	for i := range 12 {
		y := 300 + 50*i
		// Left column: two words of Han; right column: Han and a number.
		fmt.Fprintf(&tsv, "5\t1\t1\t1\t%d\t1\t200\t%d\t300\t36\t95.1\t左栏第%d行\n", i, y, i)
		fmt.Fprintf(&tsv, "5\t1\t1\t1\t%d\t2\t510\t%d\t200\t36\t95.1\t文字\n", i, y)
		fmt.Fprintf(&tsv, "5\t1\t1\t1\t%d\t3\t900\t%d\t300\t36\t95.1\t右栏第%d行\n", i, y+2, i)
		fmt.Fprintf(&tsv, "5\t1\t1\t1\t%d\t4\t1210\t%d\t60\t30\t95.1\t2024\n", i, y+6)
	}
	tsv.WriteString("5\t1\t1\t1\t1\t5\tx\t1\t1\t1\t0\tbroken\n5\t1\t1\t1\t1\t5\t1\t1\t1\t1\t0\t \n")
	lines := layoutPage(parseOCRTSV(tsv.String(), 200))
	var want strings.Builder
	for i := range 12 {
		fmt.Fprintf(&want, "左栏第%d行文字\n", i)
	}
	for i := range 12 {
		fmt.Fprintf(&want, "右栏第%d行2024\n", i)
	}
	if got := pageText(lines); got != want.String() {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want.String())
	}
}
