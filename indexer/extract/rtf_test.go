package extract

import (
	"testing"

	"reportsearch/internal/fixtures"
)

var rtfReport = fixtures.Report{
	Title: "2026年政府工作报告",
	Paras: []fixtures.Para{
		{Text: "2026年政府工作报告", Level: 1},
		{Text: "一、过去一年的工作", Level: 2},
		{Text: "过去一年，地区生产总值增长5.4%，城市更新{行动}扎实推进。", Note: "数据来源：省统计局。"},
		{Cells: []string{"指标", "目标"}},
		{Cells: []string{"GDP增长", "5%左右"}},
		{Text: "（一）网格化治理成效明显。"},
	},
}

func TestRTF(t *testing.T) {
	want := []Block{
		bh(1, "2026年政府工作报告"),
		bh(2, "一、过去一年的工作"),
		b0("过去一年，地区生产总值增长5.4%，城市更新{行动}扎实推进。"),
		b0("指标 | 目标"),
		b0("GDP增长 | 5%左右"),
		b0("（一）网格化治理成效明显。"),
		bh(1, NotesHeading),
		b0("数据来源：省统计局。"),
	}
	for _, tt := range []struct {
		name string
		o    fixtures.RTFOptions
	}{
		{"936 unicode", fixtures.RTFOptions{CodePage: 936, Unicode: true, Header: "某某省人民政府", Footer: "第页"}},
		{"936 bytes", fixtures.RTFOptions{CodePage: 936, Header: "某某省人民政府"}},
		{"950 bytes", fixtures.RTFOptions{CodePage: 950}},
		{"1252 unicode", fixtures.RTFOptions{CodePage: 1252, Unicode: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := rtfReport
			w := want
			if tt.o.CodePage == 950 {
				// Big5 lacks the simplified forms: write traditional text.
				r.Paras = nil
				for _, p := range rtfReport.Paras {
					p.Text, p.Note = fixtures.Traditional(p.Text), fixtures.Traditional(p.Note)
					for i := range p.Cells {
						p.Cells = append([]string(nil), p.Cells...)
						p.Cells[i] = fixtures.Traditional(p.Cells[i])
					}
					r.Paras = append(r.Paras, p)
				}
				w = nil
				for _, b := range want {
					if b.Text != NotesHeading {
						b.Text = fixtures.Traditional(b.Text)
					}
					w = append(w, b)
				}
			}
			doc := mustExtract(t, "report.rtf", fixtures.RTF(t, r, tt.o))
			if doc.Format != FormatRTF {
				t.Errorf("Format = %q", doc.Format)
			}
			if doc.Title != r.Title {
				t.Errorf("Title = %q, want %q", doc.Title, r.Title)
			}
			checkBlocks(t, doc.Blocks, w)
		})
	}
}

func TestRTFControls(t *testing.T) {
	tests := []struct {
		name, rtf string
		want      []Block
	}{
		{"uc skip counts", `{\rtf1\ansi\ansicpg936{\uc2\u20013\'d6\'d0\u25991\'ce\'c4}\uc1\u22269?\'41\par}`,
			[]Block{b0("中文国A")}},
		{"uc0 and surrogates", `{\rtf1\uc0\u-10179\u-8704 a\par}`, []Block{b0("😀a")}},
		{"upr ud", `{\rtf1\ansi\ansicpg936{\upr{\'d6\'d0ANSI}{\*\ud{\u20013?}}}\par}`, []Block{b0("中")}},
		{"hidden, fields, bookmarks", `{\rtf1 a{\v hidden}b{\field{\*\fldinst HYPERLINK "x"}{\fldrslt link}}{\*\bkmkstart k}c\par}`,
			[]Block{b0("ablinkc")}},
		{"line and specials", `{\rtf1 one\line two\tab\ldblquote x\rdblquote\emdash\par}`, []Block{b0("one"), b0("two\t“x”—")}},
		{"font charset over ansicpg", `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fnil\fcharset134 SimSun;}}\f0 caf\'e9 \f1\'d6\'d0\'ce\'c4\par}`,
			[]Block{b0("café 中文")}},
		{"raw gbk bytes", "{\\rtf1\\ansi\\ansicpg936 \xd6\xd0\xce\xc4\\par}", []Block{b0("中文")}},
		{"outline level direct", `{\rtf1\pard\outlinelevel0 Title\par\pard\outlinelevel2 Sub\par\pard Body\par}`,
			[]Block{bh(1, "Title"), bh(3, "Sub"), b0("Body")}},
		{"style named in Chinese", `{\rtf1\ansi\ansicpg936{\stylesheet{\s3 \'b1\'ea\'cc\'e2 2;}}\pard\s3 H\par\pard x\par}`,
			[]Block{bh(2, "H"), b0("x")}},
		{"nested cell", `{\rtf1\pard\intbl a\nestcell b\nestcell{\*\nesttableprops\trowd\nestrow}c\cell d\cell\row}`,
			[]Block{b0("a b c | d")}},
		{"note keeps the citing heading", `{\rtf1\pard\outlinelevel0 Title{\footnote\pard\plain note\par} end\par\pard\intbl a{\footnote\pard n2}b\cell c\cell\row}`,
			[]Block{bh(1, "Title end"), b0("ab | c"), bh(1, NotesHeading), b0("note"), b0("n2")}},
		{"bin", `{\rtf1 a{\pict\bin4 }}}}}b\par}`, []Block{b0("ab")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "a.rtf", []byte(tt.rtf))
			checkBlocks(t, doc.Blocks, tt.want)
		})
	}
}

func TestRTFSkips(t *testing.T) {
	good := fixtures.RTF(t, rtfReport, fixtures.RTFOptions{CodePage: 936, Unicode: true})
	wantSkip(t, "cut.rtf", good[:len(good)/2], "truncated RTF")
	wantSkip(t, "junk.rtf", append([]byte(`{\rtf1 `), append(make([]byte, 400), '}')...), "binary data")
	wantSkip(t, "empty.rtf", []byte(`{\rtf1{\fonttbl{\f0 Arial;}}{\header x\par}}`), "no text content")
}
