package extract

import (
	"strings"
	"testing"
)

// reportStyles mimics styles.xml of a Chinese Word document: built-in
// styles keep English names with numeric ids, WPS writes Chinese names, and
// custom styles inherit through basedOn or carry an outline level.
const reportStyles = `
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="30"><w:name w:val="标题 3"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="4"><w:name w:val="标题4"/></w:style>
<w:style w:type="paragraph" w:styleId="MyChapter"><w:name w:val="报告章标题"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="paragraph" w:styleId="Outline5"><w:name w:val="自定义"/><w:pPr><w:outlineLvl w:val="4"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Body9"><w:name w:val="正文文本"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="h8"><w:name w:val="heading 8"/></w:style>
<w:style w:type="character" w:styleId="1Char"><w:name w:val="标题 1 Char"/></w:style>
`

func TestDOCX(t *testing.T) {
	body := para("a3", "2024年", "政府工作报告") +
		para("", "　　各位代表：") +
		para("1", "一、2023年工作回顾") +
		`<w:p><w:r><w:t>过去一年</w:t></w:r><w:r><w:tab/><w:t>经济</w:t></w:r><w:r><w:br/><w:t>第二行</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t xml:space="preserve">保留 </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins></w:p>` +
		`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r><w:r><w:t>可见文字</w:t></w:r></w:p>` +
		para("2", "（一）稳增长") +
		para("30", "1.中文样式名三级") +
		para("4", "中文样式名四级") +
		para("MyChapter", "继承一级") +
		para("Outline5", "大纲五级") +
		para("Body9", "大纲正文") +
		para("h8", "八级截为六级") +
		`<w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>直接格式改为正文</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>直接大纲三级</w:t></w:r></w:p>` +
		`<w:tbl><w:tblPr/><w:tblGrid/>` +
		`<w:tr><w:tc>` + para("", "指标") + `</w:tc><w:tc>` + para("", "目标") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + para("", "GDP") + para("", "增速") + `</w:tc><w:tc>` + para("") + `</w:tc><w:tc>` + para("", "5%左右") + `</w:tc></w:tr>` +
		`<w:tr><w:tc><w:tbl><w:tr><w:tc>` + para("", "内") + `</w:tc><w:tc>` + para("", "表") + `</w:tc></w:tr></w:tbl></w:tc><w:tc>` + para("", "外") + `</w:tc></w:tr>` +
		`</w:tbl>` +
		`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>选择</w:t></mc:Choice><mc:Fallback><w:t>后备</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>结束</w:t></w:r></w:p>` +
		`<w:sectPr/>`

	doc := mustExtract(t, "report.docx", docxFile(t, body, reportStyles, ""))
	if doc.Format != FormatDOCX || doc.Encoding != "" {
		t.Errorf("Format, Encoding = %q, %q", doc.Format, doc.Encoding)
	}
	if want := "2024年政府工作报告"; doc.Title != want {
		t.Errorf("Title = %q, want %q (first Title/Heading 1 paragraph)", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, []Block{
		bh(1, "2024年政府工作报告"),
		b0("　　各位代表："),
		bh(1, "一、2023年工作回顾"),
		b0("过去一年\t经济"),
		b0("第二行"),
		b0("保留 插入的文字"),
		b0("可见文字"),
		bh(2, "（一）稳增长"),
		bh(3, "1.中文样式名三级"),
		bh(4, "中文样式名四级"),
		bh(1, "继承一级"),
		bh(5, "大纲五级"),
		b0("大纲正文"),
		bh(6, "八级截为六级"),
		b0("直接格式改为正文"),
		bh(3, "直接大纲三级"),
		b0("指标 | 目标"),
		b0("GDP 增速 | 5%左右"),
		b0("内 | 表 | 外"),
		b0("选择"),
		b0("结束"),
	})
}

func TestDOCXTitle(t *testing.T) {
	body := para("Heading1", "第一章") + para("", "正文")
	tests := []struct {
		name, coreTitle, want string
	}{
		{"core title", "2024年国务院政府工作报告", "2024年国务院政府工作报告"},
		{"converter title cleaned", "Microsoft Word - 政府工作报告.doc", "政府工作报告"},
		{"blank core title", "   ", "第一章"},
		{"no core part", "", "第一章"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// No styles part: the style id "Heading1" is read as a name.
			doc := mustExtract(t, "a.docx", docxFile(t, body, "", tt.coreTitle))
			if doc.Title != tt.want {
				t.Errorf("Title = %q, want %q", doc.Title, tt.want)
			}
			checkBlocks(t, doc.Blocks, []Block{bh(1, "第一章"), b0("正文")})
		})
	}
}

func TestDOCXStrictAndRenamedPart(t *testing.T) {
	// Strict OOXML namespace, main part found through _rels/.rels.
	const strictNS = `xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"`
	data := zipFiles(t,
		"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`,
		"word/main.xml", `<w:document `+strictNS+`><w:body><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>严格格式</w:t></w:r></w:p><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>`,
	)
	doc := mustExtract(t, "strict.docx", data)
	checkBlocks(t, doc.Blocks, []Block{bh(1, "严格格式"), b0("正文")})
}

func TestDOCXSkips(t *testing.T) {
	full := docxFile(t, strings.Repeat(para("", "政府工作报告正文内容。"), 200), reportStyles, "标题")
	corruptXML := docxFile(t, "<w:p><w:r><w:t>未闭合", "", "")
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"truncated zip", full[:len(full)/2], "truncated"},
		{"zip without central directory end", full[:len(full)-10], "truncated"},
		{"malformed document.xml", corruptXML, "corrupt DOCX"},
		{"no text", docxFile(t, para("")+para("1", "  "), reportStyles, ""), "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantSkip(t, "report.docx", tt.data, tt.reason)
		})
	}
}

func TestStyleNameLevel(t *testing.T) {
	tests := []struct {
		name  string
		level int
		ok    bool
	}{
		{"heading 1", 1, true},
		{"Heading 2", 2, true},
		{"heading1", 1, true},
		{"标题 3", 3, true},
		{"标题3", 3, true},
		{"Title", 1, true},
		{"标题", 1, true},
		{"Subtitle", 2, true},
		{"heading 9", 6, true},
		{"heading 1,H1,一级标题", 1, true},
		{"Normal", 0, false},
		{"heading", 0, false},
		{"heading 10", 0, false},
		{"toc 1", 0, false},
	}
	for _, tt := range tests {
		level, ok := styleNameLevel(tt.name)
		if level != tt.level || ok != tt.ok {
			t.Errorf("styleNameLevel(%q) = %d, %v; want %d, %v", tt.name, level, ok, tt.level, tt.ok)
		}
	}
}
