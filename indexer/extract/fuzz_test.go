package extract

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"reportsearch/internal/fixtures"
)

// The fuzz targets: FuzzExtract on whole files (format detection
// included), and one per extractor on its own input, with limits small
// enough that fuzzed inputs reach them. Each checks that nothing panics
// and that every result keeps the promises of Extract (checkResult).
//
// Seeds are small on purpose. The fuzzer minimises every new interesting
// input, trying O(n²) shorter versions of it, and reports no executions
// meanwhile; with seeds of one to three kilobytes (whole news pages, a
// DOCX with its styles) at 0.2-0.5 ms an execution, each minimisation
// took its full minute (-fuzzminimizetime, 60 s by default) and the
// fuzzer showed 0 execs/s for most of its run. Small versions of inputs
// that were slow are in testdata/fuzz/<target>/ (the slow sizes are tests:
// TestSlowInputsAreFast, TestZipBombs, TestHTMLElementLimit). A shorter
// minimisation keeps the fuzzer busy with new inputs:
//
//	go test -run '^$' -fuzz FuzzHTML -fuzztime 60s -fuzzminimizetime 2s ./indexer/extract

// fuzzLimits are the limits of the fuzz targets: small, so that they are
// reached, and so that no input costs much.
var fuzzLimits = Limits{
	MaxFileSize:       1 << 20,
	MaxZipMembers:     50,
	MaxZipMemberSize:  1 << 20,
	MaxZipTotalSize:   2 << 20,
	MaxXMLDepth:       32,
	MaxElements:       5000,
	MaxParagraphs:     500,
	MaxParagraphChars: 200,
	MaxPDFPages:       5,
	ToolTimeout:       10 * time.Second,
	MaxToolOutput:     1 << 20,
}

// checkResult fails t if an extraction result breaks a promise: a skip
// has a reason (naming its limit if it is one); a document has blocks of
// valid UTF-8 text, one line each, not blank, within MaxParagraphChars,
// with a heading level within 0..6.
func checkResult(t *testing.T, lim Limits, doc *Document, err error) {
	t.Helper()
	lim = lim.WithDefaults()
	if err != nil {
		var skip *SkipError
		switch {
		case !errors.As(err, &skip):
			t.Errorf("error that is not a skip: %v", err)
		case skip.Reason == "":
			t.Errorf("SkipError without reason: %v", err)
		case skip.Limit != "" && !strings.Contains(skip.Reason, "(limit "+skip.Limit+")"):
			t.Errorf("skip for %s does not name it: %q", skip.Limit, skip.Reason)
		}
		return
	}
	if len(doc.Blocks) == 0 || len(doc.Blocks) > lim.MaxParagraphs {
		t.Errorf("document with %d blocks", len(doc.Blocks))
	}
	if !utf8.ValidString(doc.Title) || strings.ContainsAny(doc.Title, "\r\n") || utf8.RuneCountInString(doc.Title) > lim.MaxParagraphChars {
		t.Errorf("bad title %q", doc.Title)
	}
	if doc.ReplacedBytes < 0 {
		t.Errorf("ReplacedBytes = %d", doc.ReplacedBytes)
	}
	for _, b := range doc.Blocks {
		if !utf8.ValidString(b.Text) {
			t.Errorf("invalid UTF-8 in block %q", b.Text)
		}
		if strings.ContainsAny(b.Text, "\r\n\f\x00") {
			t.Errorf("line break or NUL in block %q", b.Text)
		}
		if strings.TrimSpace(b.Text) == "" {
			t.Errorf("blank block %q", b.Text)
		}
		if n := utf8.RuneCountInString(b.Text); n > lim.MaxParagraphChars {
			t.Errorf("block of %d characters", n)
		}
		if b.Heading < 0 || b.Heading > 6 {
			t.Errorf("heading level %d out of range", b.Heading)
		}
	}
}

// extractAs runs one extractor on data, then the common last pass, as
// Extract does after detecting format.
func extractAs(format string, data []byte, lim Limits) (*Document, error) {
	lim = lim.WithDefaults()
	var doc *Document
	var err error
	switch format {
	case FormatText:
		doc, err = extractText(data, &lim)
	case FormatHTML:
		doc, err = extractHTML(data, &lim)
	case FormatMarkdown:
		doc, err = extractMarkdown(data, &lim)
	}
	if err == nil {
		doc.Blocks, err = finishBlocks(doc.Blocks, &lim)
		doc.Title = cleanTitle(doc.Title, lim.MaxParagraphChars)
	}
	if err != nil {
		if le, ok := asLimit(err); ok {
			return nil, &SkipError{Name: "fuzz", Reason: le.reason, Limit: le.limit}
		}
		var skip *SkipError
		if errors.As(err, &skip) {
			return nil, skip
		}
		return nil, err
	}
	if len(doc.Blocks) == 0 {
		return nil, &SkipError{Name: "fuzz", Reason: "no text content"}
	}
	return doc, nil
}

// noPDFToText makes PDFs skip at once in the targets that are not about
// PDF: running pdftotext for every PDF-looking input would make fuzzing
// slow; FuzzPDF does that.
func noPDFToText(f *testing.F) {
	saved := pdftotextPath
	f.Cleanup(func() { pdftotextPath = saved })
	pdftotextPath = "/nonexistent/pdftotext"
}

func FuzzExtract(f *testing.F) {
	seeds := []struct {
		name string
		data []byte
	}{
		{"a.txt", []byte("政府工作报告\r\n　　各位代表：")},
		{"a.txt", gbk(f, "政府工作报告\n过去一年")},
		{"a.txt", utf16LE(f, "政府工作报告\n过去一年")},
		{"a.html", []byte(`<html><head><title>报告_政府网</title></head><body><div class=nav>首页</div><p>正文。</p></body></html>`)},
		{"a.htm", gbk(f, `<meta charset=gbk><p>正文</p>`)},
		{"a.md", []byte("# 标题\n\n正文*强调*。\n")},
		{"a.docx", zipFiles(f, "word/document.xml", "<w:document><w:body>"+para("", "正文")+"</w:body></w:document>")},
		{"a.pdf", []byte("%PDF-1.4\n")},
		{"a.doc", append(append([]byte{}, magicOLE2...), 0, 1, 2)},
		{"a", []byte{0xff, 0xfe, 0x00, 0xd8, 0x41}},
		{"a.txt", []byte("正文\xff\xfe损坏")},
	}
	for _, s := range seeds {
		f.Add(s.name, s.data)
	}
	// Running pdftotext or LibreOffice for every PDF- or .doc-looking
	// input would make fuzzing slow; their output is checked by their
	// own tests.
	noPDFToText(f)
	savedOffice := sofficePath
	f.Cleanup(func() { sofficePath = savedOffice })
	sofficePath = "/nonexistent/soffice"
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := ExtractWith(context.Background(), name, data, fuzzLimits)
		checkResult(t, fuzzLimits, doc, err)
	})
}

func FuzzText(f *testing.F) {
	for _, s := range [][]byte{
		[]byte("政府工作报告\r\n\r\n　　各位代表：\f第二页"),
		gbk(f, "政府工作报告\n过去一年"),
		utf16BE(f, "政府工作报告"),
		[]byte("\xef\xbb\xbf带BOM\xff的文本"),
		[]byte("\x81\x30\x81\x30\x84\x31\xa4\x37 四字节"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		d, err := decode(data)
		if err == nil {
			if !utf8.ValidString(d.text) || d.replaced < 0 || d.replaced > len(data) {
				t.Errorf("decode: %d replaced, valid %v", d.replaced, utf8.ValidString(d.text))
			}
			if utf8.Valid(data) && d.enc == EncodingUTF8 && (d.text != string(data) || d.replaced != 0) {
				t.Errorf("valid UTF-8 changed by decoding")
			}
		}
		doc, err := extractAs(FormatText, data, fuzzLimits)
		checkResult(t, fuzzLimits, doc, err)
	})
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<html><head><title>国务院常务会议_滚动新闻_中国政府网</title></head><body><div class="nav"><a href="/">首页</a></div><div class="article"><h1>标题</h1><p>　　会议指出，就业是最基本的民生。</p></div><div class="footer">版权所有</div></body></html>`,
		`<table><tr><td>指标</td><td>目标</td></tr></table><pre>一行
二行</pre><br>【字号：大 中 小】`,
		`<div><b id=1><i id=2></div><p>x</p><p>y</p>`,
		`<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>` + string(gbk(f, "正文")) + `</p>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		doc, err := extractAs(FormatHTML, data, fuzzLimits)
		checkResult(t, fuzzLimits, doc, err)
	})
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: 报告\n---\n# 标题\n\n正文**加粗**[链接](http://x)，`代码`。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"标题\n===\n\n- 一\n- [x] 二\n\n```\ncode\n```\n<!--\n注释\n-->\n> 引用\n",
		"\\*转义\\* <br> &amp; ![图](x.png) [^1]\n\n[^1]: 脚注\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		doc, err := extractAs(FormatMarkdown, data, fuzzLimits)
		checkResult(t, fuzzLimits, doc, err)
	})
}

// FuzzDOCX fuzzes the XML of a DOCX's body and styles, inside a valid
// package (fuzzing the zip bytes mostly breaks the zip; FuzzExtract does
// that).
func FuzzDOCX(f *testing.F) {
	f.Add(`<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
		`<w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>`)
	f.Add(`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>纲</w:t><w:br/><w:tab/></w:r><w:del><w:r><w:t>删</w:t></w:r></w:del></w:p>`, "")
	f.Add(`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r></w:p>`, `<w:style w:styleId="a" w:default="1"><w:basedOn w:val="b"/></w:style>`)
	noPDFToText(f)
	f.Fuzz(func(t *testing.T, body, styles string) {
		data := fixtures.DOCXStored(t, body, styles, "")
		doc, err := ExtractWith(context.Background(), "fuzz.docx", data, fuzzLimits)
		checkResult(t, fuzzLimits, doc, err)
		if err == nil && doc.Format != FormatDOCX {
			t.Errorf("format %q", doc.Format)
		}
	})
}

// FuzzPDF runs pdftotext on fuzzed PDFs (a few milliseconds each), within
// the tool limits; without pdftotext it only runs the seeds, which skip.
func FuzzPDF(f *testing.F) {
	// OCR costs seconds a page: fuzzed image pages are skipped as on a
	// machine without tesseract (TestPDFScanned covers OCR).
	savedTesseract := tesseractPath
	f.Cleanup(func() { tesseractPath = savedTesseract })
	tesseractPath = "/nonexistent/tesseract"
	f.Add(pdfFile("Government Work Report", "GDP grew by 5.4 percent"))
	f.Add(fixtures.PDFPages(7, "Page"))
	f.Add([]byte("%PDF-1.4\nnot a PDF body\n"))
	_, lookErr := exec.LookPath(pdftotextPath)
	f.Fuzz(func(t *testing.T, data []byte) {
		if lookErr != nil {
			t.Skip("pdftotext not on PATH (install poppler-utils)")
		}
		if len(data) == 0 {
			return
		}
		lim := fuzzLimits
		doc, err := extractPDF(context.Background(), data, &lim)
		if err == nil {
			if doc.Blocks, err = finishBlocks(doc.Blocks, &lim); err == nil && len(doc.Blocks) == 0 {
				return
			}
		}
		if le, ok := asLimit(err); ok {
			err = &SkipError{Name: "fuzz.pdf", Reason: le.reason, Limit: le.limit}
		}
		checkResult(t, lim, doc, err)
	})
}
