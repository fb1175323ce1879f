package extract

import (
	"testing"

	"reportsearch/internal/fixtures"
)

func TestODT(t *testing.T) {
	r := rtfReport
	r.Paras = append(append([]fixtures.Para(nil), r.Paras...),
		fixtures.Para{Text: "第一项  两个空格\t一个制表符", List: true},
		fixtures.Para{Text: "第二项", List: true},
		fixtures.Para{Text: "<结束> & 完"})
	doc := mustExtract(t, "report.odt", fixtures.ODT(t, r, fixtures.ODTOptions{Header: "某某省人民政府", Footer: "页脚文字"}))
	if doc.Format != FormatODT || doc.Title != r.Title {
		t.Errorf("Format, Title = %q, %q", doc.Format, doc.Title)
	}
	checkBlocks(t, doc.Blocks, []Block{
		bh(1, "2026年政府工作报告"),
		bh(2, "一、过去一年的工作"),
		b0("过去一年，地区生产总值增长5.4%，城市更新{行动}扎实推进。"),
		b0("指标 | 目标"),
		b0("GDP增长 | 5%左右"),
		b0("（一）网格化治理成效明显。"),
		b0("第一项  两个空格\t一个制表符"),
		b0("第二项"),
		b0("<结束> & 完"),
		bh(1, NotesHeading),
		b0("数据来源：省统计局。"),
	})
}

func TestODTElements(t *testing.T) {
	content := func(body string) []byte {
		return zipFiles(t, "mimetype", "application/vnd.oasis.opendocument.text",
			"content.xml", `<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb" xmlns:draw="d" xmlns:svg="s"><office:body><office:text>`+body+`</office:text></office:body></office:document-content>`)
	}
	tests := []struct {
		name, body string
		want       []Block
	}{
		{"line break", `<text:p>一<text:line-break/>二</text:p>`, []Block{b0("一"), b0("二")}},
		{"collapsed white space", "<text:p>a \n  b<text:s/>c</text:p>", []Block{b0("a b c")}},
		{"tracked deletion and comment", `<text:tracked-changes><text:changed-region><text:deletion><text:p>删掉</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>留<office:annotation><text:p>批注</text:p></office:annotation>下</text:p>`,
			[]Block{b0("留下")}},
		{"table of contents", `<text:table-of-content><text:index-body><text:p>一、目录 3</text:p></text:index-body></text:table-of-content><text:h text:outline-level="2">一、目录</text:h>`,
			[]Block{bh(2, "一、目录")}},
		{"text box", `<text:p>正文<draw:frame><svg:title>图</svg:title><draw:text-box><text:p>框内</text:p></draw:text-box></draw:frame>续</text:p>`,
			[]Block{b0("框内"), b0("正文续")}},
		{"nested table", `<table:table><table:table-row><table:table-cell><table:table><table:table-row><table:table-cell><text:p>内</text:p></table:table-cell><table:table-cell><text:p>格</text:p></table:table-cell></table:table-row></table:table></table:table-cell><table:table-cell><text:p>外</text:p></table:table-cell></table:table-row></table:table>`,
			[]Block{b0("内 | 格 | 外")}},
		{"heading without level", `<text:h>标题</text:h>`, []Block{bh(1, "标题")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBlocks(t, mustExtract(t, "a.odt", content(tt.body)).Blocks, tt.want)
		})
	}
}

func TestODTSkips(t *testing.T) {
	good := fixtures.ODT(t, rtfReport, fixtures.ODTOptions{})
	wantSkip(t, "cut.odt", good[:len(good)/2], "corrupt")
	broken := zipFiles(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office:document-content><office:body><office:text><text:p>未完")
	wantSkip(t, "broken.odt", broken, "corrupt ODT")
	sheet := zipFiles(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>")
	wantSkip(t, "a.ods", sheet, "spreadsheet")
}
