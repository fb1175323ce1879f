package indexer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/extract"
	"reportsearch/internal/corpusdir"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
)

// recallFloor is the clause recall every format must reach on its
// fixtures (docs/formats.md has the figures).
const recallFloor = 0.98

// Furniture written into the fixtures' headers, footers, templates and
// seals; none of it may be indexed.
const (
	furnitureHeader = "某某省人民政府办公厅文件"
	furnitureFooter = "内部资料注意保存"
	furnitureStamp  = "某某省人民政府电子印章"
)

// Notes cited in the fixtures that have notes.
var fixtureNotes = []string{
	"本报告中的经济数据为初步核算数，以统计部门最终公布的数据为准。",
	"参见《国务院关于印发“十四五”规划的通知》",
}

// sourceReport reads a corpus report into a fixture Report, with a table
// and two footnotes added (formats without them leave them as text).
func sourceReport(t *testing.T, rel string) fixtures.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusdir.Dir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	r := fixtures.ReportFromText(string(data))
	if len(r.Paras) < 40 {
		t.Fatalf("%s: only %d paragraphs", rel, len(r.Paras))
	}
	var paras []fixtures.Para
	for i, p := range r.Paras {
		switch i {
		case 10:
			p.Note = fixtureNotes[0]
		case 25:
			p.Note = fixtureNotes[1]
		}
		paras = append(paras, p)
		if i == 15 {
			paras = append(paras,
				fixtures.Para{Cells: []string{"主要指标", "2025年目标", "完成情况"}},
				fixtures.Para{Cells: []string{"地区生产总值增长", "5%左右", "增长5.2%"}})
		}
	}
	r.Paras = paras
	return r
}

// extractClean runs a file through extraction and cleaning, as indexing
// does.
func extractClean(t *testing.T, name string, data []byte) []search.Paragraph {
	t.Helper()
	doc, err := extract.Extract(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var lines []indexer.Line
	for _, b := range doc.Blocks {
		if b.AfterBlank {
			lines = append(lines, indexer.Line{})
		}
		lines = append(lines, indexer.Line{Text: b.Text, Level: b.Heading, Furniture: b.Furniture})
	}
	return indexer.CleanParagraphs(lines)
}

// checkFormat measures a format's clause recall on a fixture and checks
// that furniture is not indexed and notes are paragraphs of their own.
func checkFormat(t *testing.T, name string, data []byte, r fixtures.Report, notes bool) float64 {
	t.Helper()
	paras := extractClean(t, name, data)
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = p.Text
	}
	recall, missed := fixtures.ClauseRecall(r.Texts(), texts)
	t.Logf("%s: clause recall %.4f, %d paragraphs from %d", name, recall, len(paras), len(r.Paras))
	for i, m := range missed {
		if i == 5 {
			break
		}
		t.Logf("  missed: %s", m)
	}
	if recall < recallFloor {
		t.Errorf("%s: clause recall %.4f, want at least %.2f", name, recall, recallFloor)
	}
	all := strings.Join(texts, "\n")
	for _, f := range []string{furnitureHeader, furnitureFooter, furnitureStamp} {
		if strings.Contains(all, f) {
			t.Errorf("%s: furniture %q indexed", name, f)
		}
	}
	if notes {
		for _, n := range fixtureNotes {
			own := false
			for _, p := range texts {
				if p == n {
					own = true
				}
			}
			if !own {
				t.Errorf("%s: note %q is not a paragraph of its own", name, n)
			}
		}
	}
	return recall
}

var formatSources = []string{"national/2024_国务院_政府工作报告.txt", "congress/20_高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗.txt"}

func TestFormatRecall(t *testing.T) {
	for _, src := range formatSources {
		r := sourceReport(t, src)
		trad := traditionalReport(r)
		t.Run(filepath.Base(src), func(t *testing.T) {
			checkFormat(t, "report.rtf", fixtures.RTF(t, r, fixtures.RTFOptions{CodePage: 936, Unicode: true, Header: furnitureHeader, Footer: furnitureFooter}), r, true)
			checkFormat(t, "gbk.rtf", fixtures.RTF(t, r, fixtures.RTFOptions{CodePage: 936, Header: furnitureHeader}), r, true)
			checkFormat(t, "big5.rtf", fixtures.RTF(t, trad, fixtures.RTFOptions{CodePage: 950, Header: furnitureHeader}), trad, false)
			checkFormat(t, "report.odt", fixtures.ODT(t, r, fixtures.ODTOptions{Header: furnitureHeader, Footer: furnitureFooter}), r, true)
			checkFormat(t, "notes.docx", fixtures.DOCXReport(t, r, fixtures.DOCXOptions{Header: furnitureHeader, Footer: furnitureFooter}), r, true)
			ofd := fixtures.OFDOptions{Header: furnitureHeader, PageNumbers: true, Stamp: furnitureStamp}
			checkFormat(t, "lines.ofd", fixtures.OFD(t, r, ofd), r, false)
			ofd.PerChar, ofd.CTM = true, true
			checkFormat(t, "chars.ofd", fixtures.OFD(t, r, ofd), r, false)
			ofd.Columns = 2
			checkFormat(t, "columns-chars.ofd", fixtures.OFD(t, r, ofd), r, false)
			ofd.PerChar, ofd.CTM = false, false
			checkFormat(t, "columns.ofd", fixtures.OFD(t, r, ofd), r, false)
			checkFormat(t, "big5.txt", fixtures.Big5(t, strings.Join(trad.Texts(), "\n")), trad, false)
			checkFormat(t, "big5.html", fixtures.Big5(t, big5Page(trad)), trad, false)
		})
		t.Run(filepath.Base(src)+"/doc", func(t *testing.T) {
			doc := fixtures.DOC(t, fixtures.DOCXReport(t, r, fixtures.DOCXOptions{Header: furnitureHeader, Footer: furnitureFooter}))
			checkFormat(t, "report.doc", doc, r, true)
			checkFormat(t, "report.wps", doc, r, true)
		})
	}
}

// traditionalReport writes a report in traditional characters (as far as
// Big5 has them).
func traditionalReport(r fixtures.Report) fixtures.Report {
	out := fixtures.Report{Title: fixtures.Traditional(r.Title)}
	for _, p := range r.Paras {
		p.Text, p.Note = fixtures.Traditional(p.Text), fixtures.Traditional(p.Note)
		if p.Cells != nil {
			cells := make([]string, len(p.Cells))
			for i, c := range p.Cells {
				cells[i] = fixtures.Traditional(c)
			}
			p.Cells = cells
		}
		out.Paras = append(out.Paras, p)
	}
	return out
}

func big5Page(r fixtures.Report) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="big5"><title>` + r.Title + `</title></head><body><div class="nav">首頁 政務公開</div><div class="content">`)
	for _, text := range r.Texts() {
		b.WriteString("<p>" + strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(text) + "</p>\n")
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}
