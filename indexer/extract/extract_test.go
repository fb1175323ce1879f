package extract

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestExtractText(t *testing.T) {
	const report = "政府工作报告\n\n　　各位代表：\n现在，我代表国务院，向大会报告政府工作。\n"
	want := []Block{b0("政府工作报告"), b0("　　各位代表："), b0("现在，我代表国务院，向大会报告政府工作。")}
	tests := []struct {
		name    string
		data    []byte
		wantEnc string
	}{
		{"utf-8", []byte(report), EncodingUTF8},
		{"utf-8 BOM", append([]byte("\xEF\xBB\xBF"), report...), EncodingUTF8BOM},
		{"utf-16le BOM", utf16LE(t, report), EncodingUTF16LE},
		{"utf-16be BOM", utf16BE(t, report), EncodingUTF16BE},
		{"gbk", gbk(t, report), EncodingGB18030},
		{"gbk CRLF", gbk(t, strings.ReplaceAll(report, "\n", "\r\n")), EncodingGB18030},
		{"utf-8 CRLF", []byte(strings.ReplaceAll(report, "\n", "\r\n")), EncodingUTF8},
		{"utf-8 CR", []byte(strings.ReplaceAll(report, "\n", "\r")), EncodingUTF8},
		{"utf-16le CRLF", utf16LE(t, strings.ReplaceAll(report, "\n", "\r\n")), EncodingUTF16LE},
		{"blank lines of spaces", []byte("政府工作报告\n \t \n　　\n　　各位代表：\r\n\r\n现在，我代表国务院，向大会报告政府工作。"), EncodingUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "report.txt", tt.data)
			if doc.Format != FormatText || doc.Encoding != tt.wantEnc || doc.Title != "" {
				t.Errorf("Format, Encoding, Title = %q, %q, %q; want %q, %q, \"\"", doc.Format, doc.Encoding, doc.Title, FormatText, tt.wantEnc)
			}
			checkBlocks(t, doc.Blocks, want)
		})
	}
}

func TestExtractTextKeepsLines(t *testing.T) {
	// Lines are not joined or trimmed: a later stage rebuilds paragraphs.
	data := []byte("　　一、2023年工作回顾  \n过去一年，\n\t经济回升向好。\f第二页")
	doc := mustExtract(t, "a.txt", data)
	checkBlocks(t, doc.Blocks, []Block{b0("　　一、2023年工作回顾  "), b0("过去一年，"), b0("\t经济回升向好。"), b0("第二页")})
}

func TestExtractTextDropsControlCharacters(t *testing.T) {
	// A stray NUL in a long file is tolerated but not passed on.
	data := []byte(strings.Repeat("经济运行总体平稳。", 20) + "\x00\n结束")
	doc := mustExtract(t, "a.txt", data)
	if len(doc.Blocks) != 2 || strings.ContainsRune(doc.Blocks[0].Text, 0) {
		t.Errorf("blocks = %s", formatBlocks(doc.Blocks))
	}
}

func TestDetectFormat(t *testing.T) {
	html := []byte("<!DOCTYPE html><html><head><title>报告</title></head><body><p>正文内容。</p></body></html>")
	tests := []struct {
		name       string
		file       string
		data       []byte
		wantFormat string
	}{
		{"text", "a.txt", []byte("# 不是标题\n正文"), FormatText},
		{"markdown by extension", "a.md", []byte("# 标题\n正文"), FormatMarkdown},
		{"markdown upper-case extension", "A.MARKDOWN", []byte("# 标题\n正文"), FormatMarkdown},
		{"html by content", "a.html", html, FormatHTML},
		{"html saved as .doc", "report.doc", html, FormatHTML},
		{"html saved as .txt", "report.txt", html, FormatHTML},
		{"html without extension", "report", html, FormatHTML},
		{"html fragment", "a.txt", []byte("<p>第一段</p><p>第二段</p>"), FormatHTML},
		{"html fragment by extension", "a.htm", []byte("正文<br>第二行"), FormatHTML},
		{"html after comment", "a", []byte("<!-- saved from url -->\n<html><body>正文</body></html>"), FormatHTML},
		{"xhtml", "a", []byte(`<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>正文</p></body></html>`), FormatHTML},
		{"html fragment in markdown", "a.md", []byte("<p align=\"center\">标题</p>\n\n正文"), FormatMarkdown},
		{"html document named .md", "a.md", html, FormatHTML},
		{"docx by content", "report.bin", docxFile(t, para("", "正文"), "", ""), FormatDOCX},
		{"text named .docx", "report.docx", []byte("其实是文本"), FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, tt.file, tt.data)
			if doc.Format != tt.wantFormat {
				t.Errorf("Format = %q, want %q", doc.Format, tt.wantFormat)
			}
		})
	}
}

func TestExtractSkips(t *testing.T) {
	random := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	ole := append(append([]byte{}, magicOLE2...), make([]byte, 600)...)
	oleWord := append(append([]byte{}, ole...), utf16LEBytes("WordDocument")...)

	tests := []struct {
		name   string
		file   string
		data   []byte
		reason []string
	}{
		{"empty", "a.txt", nil, []string{"empty"}},
		{"whitespace only", "a.txt", []byte(" \r\n\t　\n"), []string{"no text"}},
		{"random binary", "a.txt", random, []string{"not text"}},
		{"random binary named .md", "a.md", random, []string{"not text"}},
		{"NUL bytes", "a.txt", make([]byte, 1000), []string{"control"}},
		{"mostly NUL", "a.txt", append([]byte("政府工作报告"), make([]byte, 200)...), []string{"control"}},
		{"png", "a.png", append([]byte("\x89PNG\r\n\x1a\n"), random[:100]...), []string{"PNG"}},
		{"jpeg named .txt", "a.txt", append([]byte("\xFF\xD8\xFF\xE0"), random[:100]...), []string{"JPEG"}},
		{"gzip", "a.gz", append([]byte("\x1f\x8b\x08"), random[:100]...), []string{"gzip"}},
		{"legacy doc", "report.doc", ole, []string{"Word", ".doc"}},
		{"legacy doc without extension", "report", oleWord, []string{"Word", ".doc"}},
		{"legacy xls", "data.xls", ole, []string{"Excel", ".xls"}},
		{"wps", "report.wps", ole, []string{"Word", ".wps"}},
		{"truncated rtf", "report.doc", []byte(`{\rtf1\ansi{\fonttbl{\f0 Arial;}}政府`), []string{"truncated RTF"}},
		{"xlsx", "data.xlsx", zipFiles(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>"), []string{"Excel", ".xlsx"}},
		{"plain zip", "a.zip", zipFiles(t, "a.txt", "hello"), []string{"zip"}},
		{"mhtml", "page.mht", []byte("MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n正文"), []string{"MHTML"}},
		{"invalid gbk", "a.txt", []byte("\x81\x20\x82\x20\x83\x20\xff\xfe\xfd\x20abc"), []string{"not text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantSkip(t, tt.file, tt.data, tt.reason...)
		})
	}
}

func TestExtractTooLarge(t *testing.T) {
	data := bytes.Repeat([]byte("a"), DefaultMaxFileSize+1)
	wantSkip(t, "huge.txt", data, "too large")
}

func TestSkipErrorWrapping(t *testing.T) {
	full := docxFile(t, para("", "正文"), "", "")
	_, err := Extract("cut.docx", full[:len(full)/2])
	var skip *SkipError
	if !errors.As(err, &skip) {
		t.Fatalf("err = %v, want *SkipError", err)
	}
	if skip.Err == nil || errors.Unwrap(skip) != skip.Err {
		t.Errorf("SkipError should wrap the zip error, got %#v", skip)
	}
	if msg := err.Error(); !strings.Contains(msg, "cut.docx") || !strings.Contains(msg, "skipped") {
		t.Errorf("Error() = %q, want file name and 'skipped'", msg)
	}
}
