package extract

import "testing"

const markdownReport = "---\n" +
	"title: \"2024年政府工作报告\"\n" +
	"date: 2024-03-05\n" +
	"---\n" +
	"\n" +
	"# 政府工作报告 #\n" +
	"\n" +
	"——2024年3月5日在第十四届全国人民代表大会第二次会议上\n" +
	"\n" +
	"## 一、2023年工作回顾\n" +
	"\n" +
	"过去一年，**经济**回升\n" +
	"向好，*高质量发展*扎实推进。\n" +
	"The economy grew\n" +
	"by 5.2 percent.\n" +
	"\n" +
	"- 国内生产总值超过126万亿元\n" +
	"- [x] 城镇新增就业1244万人，\n" +
	"  调查失业率平均5.2%\n" +
	"1. 见[统计公报](https://www.stats.gov.cn/ \"公报\")\n" +
	"2) 图片![图表](chart.png)已删除\n" +
	"\n" +
	"> 引用的一段话\n" +
	"\n" +
	"| 指标 | 目标 |\n" +
	"|:-----|-----:|\n" +
	"| GDP  | 5%左右 |\n" +
	"| `CPI` | 3%左右 |\n" +
	"\n" +
	"```go\n" +
	"fmt.Println(\"**不处理**\")\n" +
	"\n" +
	"```\n" +
	"\n" +
	"三级标题\n" +
	"--------\n" +
	"\n" +
	"***\n" +
	"\n" +
	"转义\\*星号\\*、snake_case_name、__下划线__、~~删除线~~与<b>标签</b>&amp;实体[^1]。\n" +
	"\n" +
	"[^1]: 脚注内容\n" +
	"[ref]: https://example.com\n" +
	"\n" +
	"<!--\n" +
	"多行注释\n" +
	"-->\n" +
	"###### 六级\n" +
	"####### 不是标题\n"

func TestMarkdown(t *testing.T) {
	doc := mustExtract(t, "report.md", []byte(markdownReport))
	if doc.Format != FormatMarkdown || doc.Encoding != EncodingUTF8 {
		t.Errorf("Format, Encoding = %q, %q", doc.Format, doc.Encoding)
	}
	if want := "2024年政府工作报告"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, []Block{
		bh(1, "政府工作报告"),
		b0("——2024年3月5日在第十四届全国人民代表大会第二次会议上"),
		bh(2, "一、2023年工作回顾"),
		b0("过去一年，经济回升向好，高质量发展扎实推进。 The economy grew by 5.2 percent."),
		b0("国内生产总值超过126万亿元"),
		b0("城镇新增就业1244万人，调查失业率平均5.2%"),
		b0("见统计公报"),
		b0("图片已删除"),
		b0("引用的一段话"),
		b0("指标 | 目标"),
		b0("GDP | 5%左右"),
		b0("CPI | 3%左右"),
		b0(`fmt.Println("**不处理**")`),
		bh(2, "三级标题"),
		b0("转义*星号*、snake_case_name、下划线、删除线与标签&实体。"),
		b0("脚注内容"),
		bh(6, "六级"),
		b0("####### 不是标题"),
	})
}

func TestMarkdownTitleAndEncoding(t *testing.T) {
	doc := mustExtract(t, "a.markdown", gbk(t, "正文在前\n\n# 第一个一级标题\n\n## 二级\n"))
	if doc.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q, want gb18030", doc.Encoding)
	}
	if want := "第一个一级标题"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, []Block{b0("正文在前"), bh(1, "第一个一级标题"), bh(2, "二级")})
}

func TestJoinWrapped(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"中文", "继续"}, "中文继续"},
		{[]string{"句号。", "下一句"}, "句号。下一句"},
		{[]string{"Latin", "words"}, "Latin words"},
		{[]string{"增长", "5%"}, "增长 5%"},
		{[]string{"他说：“", "我们"}, "他说：“我们"},
	}
	for _, tt := range tests {
		if got := joinWrapped(tt.lines); got != tt.want {
			t.Errorf("joinWrapped(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}
