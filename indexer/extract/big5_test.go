package extract

import (
	"os"
	"path/filepath"
	"testing"

	"reportsearch/internal/corpusdir"
	"reportsearch/internal/fixtures"
)

// A Big5 text is recognised by plausibility, not by the first decoder that
// does not fail, and a GBK text stays GBK.
func TestBig5Text(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusdir.Dir(t), "congress", "01_廣州共產黨報告.txt"))
	if err != nil {
		t.Fatal(err)
	}
	trad := fixtures.Traditional(string(data))
	for _, tt := range []struct {
		name, text string
	}{
		{"report", trad},
		{"short", fixtures.Traditional("廣州共產黨的報告\n去年，這裡沒有任何組織。")},
		{"hkscs", "香港特別行政區\n啲嘢𡃁仔，佢哋喺度。"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "report.txt", fixtures.Big5(t, tt.text))
			if doc.Encoding != EncodingBig5 {
				t.Fatalf("Encoding = %q, want %q", doc.Encoding, EncodingBig5)
			}
			if got := joinBlocks(doc.Blocks); got != joinLines(tt.text) {
				t.Errorf("text differs:\n got %.200q\nwant %.200q", got, joinLines(tt.text))
			}
		})
	}
	for _, s := range []string{"政府工作报告\n过去一年", string(data)} {
		doc := mustExtract(t, "gbk.txt", gbk(t, s))
		if doc.Encoding != EncodingGB18030 {
			t.Errorf("GBK text read as %q", doc.Encoding)
		}
	}
}

func TestBig5HTML(t *testing.T) {
	body := fixtures.Traditional(`<body><div class="content"><h1>廣州共產黨的報告</h1><p>去年，這裡沒有任何組織，也不可能找到能在廣州做組織工作的人。我們回到廣州的時候，創辦了日報。</p></div></body></html>`)
	for _, tt := range []struct {
		name, head string
	}{
		{"declared big5", `<html><head><meta charset="big5"><title>報告</title></head>`},
		{"declared gb2312 but big5", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>`},
		{"undeclared", `<html><head></head>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "page.html", fixtures.Big5(t, tt.head+body))
			if doc.Encoding != EncodingBig5 {
				t.Errorf("Encoding = %q, want big5", doc.Encoding)
			}
			if len(doc.Blocks) < 2 || doc.Blocks[0].Text != fixtures.Traditional("廣州共產黨的報告") {
				t.Errorf("blocks: %s", formatBlocks(doc.Blocks))
			}
		})
	}
	// A GBK page declaring big5 is read as GBK.
	page := `<html><head><meta charset="big5"></head><body><p>过去一年，全省经济运行稳中向好，地区生产总值增长，城市更新行动扎实推进。</p></body></html>`
	if doc := mustExtract(t, "page.html", gbk(t, page)); doc.Encoding != EncodingGB18030 {
		t.Errorf("GBK page declaring big5: Encoding = %q", doc.Encoding)
	}
}

func joinBlocks(blocks []Block) string {
	s := ""
	for _, b := range blocks {
		s += b.Text + "\n"
	}
	return s
}

func joinLines(text string) string {
	s := ""
	for _, b := range lineBlocks(text) {
		s += b.Text + "\n"
	}
	return s
}
