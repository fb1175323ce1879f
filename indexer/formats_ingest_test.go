package indexer_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
)

// A batch with a good and a broken file of every format of the second
// wave: the broken ones are skipped with their reasons, the others are
// indexed and found, with the metadata inferred from their titles.
func TestIndexNewFormats(t *testing.T) {
	r := fixtures.Report{Title: reportBody[0]}
	for i, p := range reportBody {
		level := 0
		switch i {
		case 0:
			level = 1
		case 1, 4:
			level = 2
		}
		r.Paras = append(r.Paras, fixtures.Para{Text: p, Level: level})
	}
	r.Paras[2].Note = "数据来源：河北省统计局。"
	trad := traditionalReport(r)
	rtf := fixtures.RTF(t, r, fixtures.RTFOptions{CodePage: 936, Unicode: true, Header: furnitureHeader})
	odt := fixtures.ODT(t, r, fixtures.ODTOptions{Header: furnitureHeader})
	ofd := fixtures.OFD(t, r, fixtures.OFDOptions{PerChar: true, Header: furnitureHeader, PageNumbers: true, Stamp: furnitureStamp})
	docx := fixtures.DOCXReport(t, r, fixtures.DOCXOptions{Header: furnitureHeader})
	files := map[string][]byte{
		"2026_河北省_政府工作报告.rtf": rtf,
		"report.odt":          odt,
		"report.ofd":          ofd,
		"notes.docx":          docx,
		"big5.txt":            fixtures.Big5(t, strings.Join(trad.Texts(), "\n")),
		"cut.rtf":             rtf[:len(rtf)/2],
		"cut.odt":             odt[:len(odt)/2],
		"cut.ofd":             ofd[:len(ofd)/2],
		"broken.doc":          append(append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00")...),
	}
	_, officeErr := exec.LookPath("soffice")
	if officeErr == nil {
		files["report.doc"] = fixtures.DOC(t, docx)
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	ix, sum := indexFolder(t, dir)
	byName := map[string]indexer.FileResult{}
	for _, f := range sum.Files {
		byName[filepath.Base(f.Path)] = f
	}
	good := []string{"2026_河北省_政府工作报告.rtf", "report.odt", "report.ofd", "notes.docx", "big5.txt"}
	if officeErr == nil {
		good = append(good, "report.doc")
	}
	for _, name := range good {
		if r := byName[name]; r.Status != indexer.StatusAdded {
			t.Errorf("%s: %+v, want added", name, r)
		}
	}
	for name, reason := range map[string]string{"cut.rtf": "truncated RTF", "cut.odt": "corrupt", "cut.ofd": "corrupt", "broken.doc": "OLE2"} {
		if r := byName[name]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, reason) {
			t.Errorf("%s: %+v, want skipped with %q", name, r, reason)
		}
	}
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
		if h.Year != 2026 || h.Region != "河北省" {
			t.Errorf("%s: year %d, region %q", filepath.Base(h.Path), h.Year, h.Region)
		}
	}
	for _, name := range good {
		if !carriers[name] {
			t.Errorf("sentence not found in %s (found in %v)", name, carriers)
		}
	}
	for _, f := range []string{furnitureHeader, furnitureStamp} {
		if n := search1(f).Total; n != 0 {
			t.Errorf("furniture %q found %d times", f, n)
		}
	}
	// The note is a paragraph of its own, in the 注释 section (plain text
	// has no notes: there it is just a paragraph).
	// The OFD fixture lays the note out as an ordinary paragraph after
	// the one that cites it (OFD has no notes): it must be a paragraph of
	// its own, in any section.
	for _, h := range search1("河北省统计局").Hits {
		if filepath.Ext(h.Path) == ".txt" {
			continue
		}
		if h.Text != "数据来源：河北省统计局。" || h.Section != "注释" && filepath.Ext(h.Path) != ".ofd" {
			t.Errorf("%s: note paragraph %q in section %q", filepath.Base(h.Path), h.Text, h.Section)
		}
	}
}
