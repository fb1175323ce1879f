package extract

import (
	"strings"
	"testing"

	"reportsearch/internal/fixtures"
)

func TestDOCXNotes(t *testing.T) {
	r := rtfReport
	r.Paras = append(append([]fixtures.Para(nil), r.Paras...), fixtures.Para{Text: "第二段。", Note: "尾注的内容。"})
	doc := mustExtract(t, "notes.docx", fixtures.DOCXReport(t, r, fixtures.DOCXOptions{Header: "页眉文字", Footer: "页脚文字"}))
	checkBlocks(t, doc.Blocks, []Block{
		bh(1, "2026年政府工作报告"),
		bh(2, "一、过去一年的工作"),
		b0("过去一年，地区生产总值增长5.4%，城市更新{行动}扎实推进。"),
		b0("指标 | 目标"),
		b0("GDP增长 | 5%左右"),
		b0("（一）网格化治理成效明显。"),
		b0("第二段。"),
		bh(1, NotesHeading),
		b0("数据来源：省统计局。"),
		b0("尾注的内容。"),
	})
	for _, b := range doc.Blocks {
		if strings.Contains(b.Text, "页眉") || strings.Contains(b.Text, "页脚") {
			t.Errorf("header or footer read: %q", b.Text)
		}
	}
}
