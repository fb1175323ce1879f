package extract

import (
	"testing"
)

func TestHTMLCharsets(t *testing.T) {
	const body = `<body><p>政府工作报告</p><p>过去一年，经济回升向好。</p></body></html>`
	want := []Block{b0("政府工作报告"), b0("过去一年，经济回升向好。")}
	tests := []struct {
		name    string
		data    []byte
		wantEnc string
	}{
		{"meta charset gb2312", gbk(t, `<html><head><meta charset="gb2312"><title>报告</title></head>`+body), EncodingGB18030},
		{"meta charset GBK upper case", gbk(t, `<html><head><META CHARSET=GBK></head>`+body), EncodingGB18030},
		{"http-equiv gb18030", gbk(t, `<html><head><meta content="text/html; charset=GB18030" http-equiv="Content-Type"></head>`+body), EncodingGB18030},
		{"xml declaration", gbk(t, `<?xml version="1.0" encoding="gb2312"?><html><head></head>`+body), EncodingGB18030},
		{"undeclared gbk", gbk(t, `<html><head></head>`+body), EncodingGB18030},
		{"declared utf-8 but gbk", gbk(t, `<html><head><meta charset="utf-8"></head>`+body), EncodingGB18030},
		{"declared windows-1252 but gbk", gbk(t, `<html><head><meta charset="iso-8859-1"></head>`+body), EncodingGB18030},
		{"utf-8", []byte(`<html><head><meta charset="utf-8"></head>` + body), EncodingUTF8},
		{"declared gb2312 but utf-8", []byte(`<html><head><meta charset="gb2312"></head>` + body), EncodingUTF8},
		{"utf-8 BOM", append([]byte("\xEF\xBB\xBF"), `<html><head></head>`+body...), EncodingUTF8BOM},
		{"utf-16le BOM", utf16LE(t, `<html><head><meta charset="utf-16"></head>`+body), EncodingUTF16LE},
		{"utf-16be BOM", utf16BE(t, `<html><head></head>`+body), EncodingUTF16BE},
		{"entities", []byte(`<html><head></head><body><p>&#25919;&#24220;&#24037;&#20316;&#25253;&#21578;</p><p>过去一年，经济回升向好。</p></body></html>`), EncodingUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "page.html", tt.data)
			if doc.Format != FormatHTML || doc.Encoding != tt.wantEnc {
				t.Errorf("Format, Encoding = %q, %q; want html, %q", doc.Format, doc.Encoding, tt.wantEnc)
			}
			checkBlocks(t, doc.Blocks, want)
		})
	}
}

func TestCharsetFromContentType(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=gb2312":     "gb2312",
		"text/html;charset=\"GBK\"":     "gbk",
		"text/html; Charset = utf-8; x": "utf-8",
		"text/html":                     "",
	}
	for in, want := range tests {
		if got := charsetFromContentType(in); got != want {
			t.Errorf("charsetFromContentType(%q) = %q, want %q", in, got, want)
		}
	}
}
