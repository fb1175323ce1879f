package extract

import (
	"strings"
	"testing"

	"reportsearch/internal/fixtures"
)

var ofdReport = fixtures.Report{
	Title: "2026年政府工作报告",
	Paras: []fixtures.Para{
		{Text: "2026年政府工作报告", Level: 1},
		{Text: "一、过去一年的工作", Level: 2},
		{Text: "过去一年，地区生产总值增长5.4%，城市更新行动扎实推进，GDP grew by 5.4 percent in 2025，全年经济社会发展主要目标任务圆满完成，高质量发展扎实推进，社会大局保持稳定。"},
		{Text: "（一）网格化治理成效明显。全面推行网格化治理，基层治理能力持续提升，群众获得感、幸福感、安全感不断增强，平安建设取得新进展。"},
	},
}

func TestOFD(t *testing.T) {
	var body []string
	for _, p := range ofdReport.Paras {
		body = append(body, p.Text)
	}
	for _, tt := range []struct {
		name string
		o    fixtures.OFDOptions
	}{
		{"per line", fixtures.OFDOptions{Header: "某某省人民政府文件", PageNumbers: true, Stamp: "某某省人民政府印章"}},
		{"per character", fixtures.OFDOptions{PerChar: true, Header: "某某省人民政府文件", PageNumbers: true}},
		{"per character with CTM", fixtures.OFDOptions{PerChar: true, CTM: true, Stamp: "印章"}},
		{"per line with CTM", fixtures.OFDOptions{CTM: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "report.ofd", fixtures.OFD(t, ofdReport, tt.o))
			if doc.Format != FormatOFD || doc.Title != ofdReport.Title {
				t.Errorf("Format, Title = %q, %q", doc.Format, doc.Title)
			}
			var text strings.Builder
			indented := 0
			for _, b := range doc.Blocks {
				line := strings.TrimPrefix(b.Text, "  ")
				if strings.HasPrefix(line, "—") {
					continue // page numbers are left to the cleaning stage
				}
				if line != b.Text {
					indented++
				}
				text.WriteString(line)
			}
			if want := strings.Join(body, ""); text.String() != want {
				t.Errorf("text:\n got %q\nwant %q\nblocks: %s", text.String(), want, formatBlocks(doc.Blocks))
			}
			// The title (centred), the heading and the paragraphs' first lines are indented.
			if indented != 4 {
				t.Errorf("%d indented lines: %s", indented, formatBlocks(doc.Blocks))
			}
			for _, furniture := range []string{"文件", "印章"} {
				if strings.Contains(text.String(), furniture) {
					t.Errorf("%q (template or seal) was read", furniture)
				}
			}
		})
	}
}

func TestOFDDeltas(t *testing.T) {
	got := ofdDeltas("1 g 3 2.5 4 g x")
	want := []float64{1, 2.5, 2.5, 2.5, 4}
	if len(got) != len(want) {
		t.Fatalf("ofdDeltas = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ofdDeltas = %v, want %v", got, want)
		}
	}
}

func TestOFDSkips(t *testing.T) {
	good := fixtures.OFD(t, ofdReport, fixtures.OFDOptions{})
	wantSkip(t, "cut.ofd", good[:len(good)/2], "corrupt")
	wantSkip(t, "noroot.ofd", zipFiles(t, "OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`), "not found")
	wantSkip(t, "scan.ofd", zipFiles(t,
		"OFD.xml", `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
		"Doc_0/Document.xml", `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`,
		"Doc_0/Pages/Page_0/Content.xml", `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:ImageObject ResourceID="9" Boundary="0 0 210 297"/></ofd:Layer></ofd:Content></ofd:Page>`),
		"OCR")
}
