package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/internal/corpusdir"
)

// linesAt makes a page of lines, one every 20 points from the top, each
// 14 points high.
func linesAt(texts ...string) []pageLine {
	var ls []pageLine
	for i, t := range texts {
		y := 20 * float64(i)
		ls = append(ls, pageLine{text: t, y: y, bottom: y + 14})
	}
	return ls
}

func TestMasthead(t *testing.T) {
	for _, tt := range []struct {
		name  string
		page  []pageLine
		dropN int // the first dropN lines are the masthead
	}{
		{"name above the edition line", linesAt("某某日报", "2024年3月6日 星期三 第1版", "关于加快发展的报告", "过去一年，我们砥砺前行。"), 2},
		{"edition strip above the name and publisher", linesAt("第1版 要闻", "某某日报", "中共某某省委机关报", "国内统一连续出版物号 CN 13-0001", "政府工作报告", "各位代表：现在，我代表省人民政府作报告。"), 4},
		{"weekday in brackets", linesAt("2025年1月20日（星期一）", "某某市人民政府公报", "一、总体要求"), 1},
		{"a report's own date line stays", linesAt("政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上", "国务院总理 李强", "各位代表："), 0},
		{"a document number stays", linesAt("某某省人民政府文件", "某政发〔2024〕3号", "关于印发实施方案的通知"), 0},
		{"after the first sentence nothing is a masthead", linesAt("报告", "各位代表：现在，我代表政府向大会报告工作。", "第1版"), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rules := markPageFurniture([][]pageLine{nil, tt.page})
			for i, l := range tt.page {
				want := ""
				if i < tt.dropN {
					want = FurnitureMasthead
				}
				if rules[1][i] != want {
					t.Errorf("%q: rule %q, want %q", l.text, rules[1][i], want)
				}
			}
		})
	}
	// Level with the edition line counts as above it: the name printed
	// large on the left of the date.
	page := []pageLine{
		{text: "某某日报", y: 0, bottom: 48},
		{text: "2024年3月6日 星期三", y: 20, bottom: 30},
		{text: "政府工作报告", y: 60, bottom: 80},
	}
	if rules := markPageFurniture([][]pageLine{page}); rules[0][0] != FurnitureMasthead || rules[0][2] != "" {
		t.Errorf("rules %q", rules[0])
	}
	// Only the first page: a later page's top lines are a running header's
	// business.
	if rules := markPageFurniture([][]pageLine{linesAt("标题", "正文。"), linesAt("某某日报", "2024年3月6日 星期三")}); rules[1][0] != "" {
		t.Errorf("second page: rules %q", rules[1])
	}
}

// No line of a real report is an edition line: across the whole corpus
// the masthead rule never drops a report's title, date line or opening.
func TestMastheadNotInReports(t *testing.T) {
	dir := corpusdir.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if len(files) < 50 {
		t.Fatalf("%d corpus files", len(files))
	}
	lines := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				texts = append(texts, l)
				if isEditionLine(l) {
					t.Errorf("%s: %q is an edition line", filepath.Base(f), l)
				}
			}
		}
		lines += len(texts)
		if rules := markPageFurniture([][]pageLine{linesAt(texts[:min(len(texts), 20)]...)}); strings.Join(rules[0], "") != "" {
			t.Errorf("%s: rules %q", filepath.Base(f), rules[0])
		}
	}
	t.Logf("%d lines of %d reports", lines, len(files))
}
