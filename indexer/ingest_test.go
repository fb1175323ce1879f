package indexer_test

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// reportBody is a report in the shape they really have: title, headings,
// body paragraphs. Every format below carries it.
var reportBody = []string{
	"2026年河北省政府工作报告",
	"一、2025年工作回顾",
	"过去一年，全省经济运行稳中向好，地区生产总值增长5.4%，城市更新行动扎实推进。",
	"（一）网格化治理成效明显。全面推行网格化治理，基层治理能力持续提升。",
	"二、2026年重点任务",
	"坚持以人民为中心，持续保障和改善民生，推动高质量发展取得新成效。",
}

const htmlTemplate = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>%TITLE%_河北省人民政府网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zw">政务公开</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 工作报告</div>
<div class="TRS_Editor">%BODY%</div>
<div class="share">分享到：微信 微博</div><div class="print">【打印本页】【关闭窗口】</div>
<div class="footer">版权所有：河北省人民政府办公厅 冀ICP备05003245号</div></body></html>`

func htmlPage(t *testing.T) []byte {
	var b strings.Builder
	for i, p := range reportBody {
		if i == 1 || i == 4 {
			b.WriteString("<h2>" + p + "</h2>")
		} else {
			b.WriteString("<p>　　" + p + "</p>")
		}
	}
	page := strings.NewReplacer("%TITLE%", reportBody[0], "%BODY%", b.String()).Replace(htmlTemplate)
	return fixtures.GBK(t, page)
}

func docx(t *testing.T) []byte {
	styles := `<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="T"><w:name w:val="Title"/></w:style>`
	body := fixtures.DOCXPara("T", reportBody[0])
	for i, p := range reportBody[1:] {
		style := ""
		if i == 0 || i == 3 {
			style = "1"
		}
		body += fixtures.DOCXPara(style, p)
	}
	body += `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>目标</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	return fixtures.DOCX(t, body, styles, reportBody[0])
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// indexFolder indexes the files of dir into a new bleve index (closed when
// the test ends) and returns the index and the run's summary.
func indexFolder(t *testing.T, dir string) (*bleveindex.Index, *indexer.Summary) {
	t.Helper()
	ix, err := bleveindex.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srcs, err := indexer.FileSources([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix, sum
}

func TestIndexEveryFormat(t *testing.T) {
	dir := t.TempDir()
	text := strings.Join(reportBody, "\n")
	junk := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(junk)
	good := fixtures.DOCX(t, fixtures.DOCXPara("", "内容"), "", "")
	files := map[string][]byte{
		"utf8.txt":       []byte(text),
		"bom.txt":        append([]byte("\xef\xbb\xbf"), text...),
		"gbk.txt":        fixtures.GBK(t, text),
		"utf16le.txt":    fixtures.UTF16LE(t, text),
		"utf16be.txt":    fixtures.UTF16BE(t, text),
		"page.html":      htmlPage(t),
		"report.docx":    docx(t),
		"notes.md":       []byte("# " + reportBody[0] + "\n\n## " + reportBody[1] + "\n\n" + reportBody[2] + "\n" + reportBody[3] + "\n"),
		"broken.docx":    good[:len(good)/2],
		"empty.txt":      {},
		"junk.bin":       junk,
		"side.txt":       []byte("凝心聚力开创政协工作新局面\n2023年，政协工作取得新进展。"),
		"side.meta.json": []byte(`{"title": "某区政协常委会工作报告", "year": 2023, "region": "某区", "level": "district", "doc_type": "政协工作报告"}`),
	}
	_, pdfErr := exec.LookPath("pdftotext")
	files["ascii.pdf"] = fixtures.PDF("Government Work Report 2026", "GDP grew by 5.4 percent in 2025.")
	writeFiles(t, dir, files)

	ix, sum := indexFolder(t, dir)
	byName := map[string]indexer.FileResult{}
	for _, f := range sum.Files {
		byName[filepath.Base(f.Path)] = f
	}
	wantAdded := []string{"utf8.txt", "bom.txt", "gbk.txt", "utf16le.txt", "utf16be.txt", "page.html", "report.docx", "notes.md", "side.txt"}
	if pdfErr == nil {
		wantAdded = append(wantAdded, "ascii.pdf")
	} else if r := byName["ascii.pdf"]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, "poppler-utils") {
		t.Errorf("ascii.pdf without pdftotext: %+v, want skipped naming poppler-utils", r)
	}
	for _, name := range wantAdded {
		if r := byName[name]; r.Status != indexer.StatusAdded {
			t.Errorf("%s: %+v, want added", name, r)
		}
	}
	for _, name := range []string{"broken.docx", "empty.txt", "junk.bin"} {
		if r := byName[name]; r.Status != indexer.StatusSkipped || r.Reason == "" {
			t.Errorf("%s: %+v, want skipped with a reason", name, r)
		}
	}
	if _, ok := byName["side.meta.json"]; ok {
		t.Error("the sidecar was indexed as a report")
	}

	// Every format's text is found by exact search: sentences from the
	// body, in each of the files that carry them.
	search1 := func(q string) *search.Response {
		resp, err := ix.Search(context.Background(), search.Request{Query: q, Size: 100})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return resp
	}
	carriers := map[string]bool{}
	for _, h := range search1(`"全面推行网格化治理，基层治理能力持续提升。"`).Hits {
		carriers[filepath.Base(h.Path)] = true
	}
	for _, name := range []string{"utf8.txt", "bom.txt", "gbk.txt", "utf16le.txt", "utf16be.txt", "page.html", "report.docx", "notes.md"} {
		if !carriers[name] {
			t.Errorf("sentence not found in %s (found in %v)", name, carriers)
		}
	}
	if pdfErr == nil && search1(`"GDP grew by 5.4 percent"`).Total != 1 {
		t.Error("PDF text not found")
	}
	// Widgets, breadcrumbs and footers are not indexed.
	for _, q := range []string{"当前位置", "分享到", "版权所有", "ICP备", "关闭窗口", "政务公开"} {
		if n := search1(q).Total; n != 0 {
			t.Errorf("page furniture %q found %d times", q, n)
		}
	}
	// Headings from the format and from the wording give sections.
	for _, h := range search1("基层治理能力").Hits {
		if !strings.Contains(h.Section, "一、2025年工作回顾") {
			t.Errorf("%s: section %q", filepath.Base(h.Path), h.Section)
		}
	}
	// Metadata: inferred from the title, or from the sidecar.
	for _, h := range search1("政协工作取得新进展").Hits {
		if h.Title != "某区政协常委会工作报告" || h.Year != 2023 || h.Level != "district" {
			t.Errorf("sidecar metadata not used: %+v", h)
		}
	}
	for _, h := range search1("城市更新行动").Hits {
		if h.Year != 2026 || h.Region != "河北省" {
			t.Errorf("%s: inferred year %d region %q", filepath.Base(h.Path), h.Year, h.Region)
		}
	}

	// Running again changes nothing.
	srcs, err := indexer.FileSources([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	again, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Added+again.Updated != 0 || again.Unchanged != len(wantAdded) {
		t.Errorf("second run: %+v", again)
	}
	// A changed file is updated in place.
	os.WriteFile(filepath.Join(dir, "utf8.txt"), []byte(text+"\n新增一段关于低空经济的内容。"), 0o644)
	third, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if third.Updated != 1 || search1("低空经济").Total != 1 {
		t.Errorf("third run: %+v", third)
	}
}
