package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that no input makes Extract panic, and that every
// result keeps the Block invariants: valid UTF-8, no line breaks, a heading
// level within 0..6, and a SkipError or a non-empty document.
func FuzzExtract(f *testing.F) {
	seeds := []struct {
		name string
		data []byte
	}{
		{"a.txt", []byte("政府工作报告\r\n　　各位代表：")},
		{"a.txt", gbk(f, "政府工作报告\n过去一年")},
		{"a.txt", utf16LE(f, "政府工作报告\n过去一年")},
		{"a.html", []byte(govNewsPage)},
		{"a.htm", gbk(f, gbkLayoutPage)},
		{"a.html", []byte(unmarkedPage)},
		{"a.md", []byte(markdownReport)},
		{"a.docx", docxFile(f, para("1", "标题")+para("", "正文")+`<w:tbl><w:tr><w:tc>`+para("", "格")+`</w:tc></w:tr></w:tbl>`, reportStyles, "题")},
		{"a.pdf", pdfFile("Hello")},
		{"a.doc", append(append([]byte{}, magicOLE2...), 0, 1, 2)},
		{"a", []byte{0xff, 0xfe, 0x00, 0xd8, 0x41}},
	}
	for _, s := range seeds {
		f.Add(s.name, s.data)
	}
	// Running pdftotext or LibreOffice for every PDF- or .doc-looking
	// input would make fuzzing slow; their output is checked by their
	// own tests.
	saved, savedOffice := pdftotextPath, sofficePath
	f.Cleanup(func() { pdftotextPath, sofficePath = saved, savedOffice })
	pdftotextPath, sofficePath = "/nonexistent/pdftotext", "/nonexistent/soffice"

	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := Extract(name, data)
		if err != nil {
			var skip *SkipError
			if errors.As(err, &skip) && skip.Reason == "" {
				t.Errorf("SkipError without reason: %v", err)
			}
			return
		}
		if len(doc.Blocks) == 0 {
			t.Errorf("document without blocks: %+v", doc)
		}
		if !utf8.ValidString(doc.Title) || strings.ContainsAny(doc.Title, "\r\n") {
			t.Errorf("bad title %q", doc.Title)
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
			if b.Heading < 0 || b.Heading > 6 {
				t.Errorf("heading level %d out of range", b.Heading)
			}
		}
	})
}
