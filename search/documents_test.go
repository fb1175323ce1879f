package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fakeReports is a ReportReader over fixed reports.
type fakeReports map[string][]Paragraph

func (f fakeReports) Report(id string) (*Report, error) {
	ps, ok := f[id]
	if !ok {
		return nil, fmt.Errorf("report %s: %w", id, ErrNotFound)
	}
	return &Report{ID: id, Title: "T" + id, Year: len(id), Paragraphs: len(ps)}, nil
}

func (f fakeReports) Reports() ([]Report, error) {
	var out []Report
	for id := range f {
		r, _ := f.Report(id)
		out = append(out, *r)
	}
	return out, nil
}

func (f fakeReports) Paragraphs(_ context.Context, id string) ([]Paragraph, error) {
	if _, err := f.Report(id); err != nil {
		return nil, err
	}
	return f[id], nil
}

// doc builds paragraphs from lines "H text|section" (H: heading).
func doc(lines ...string) []Paragraph {
	var ps []Paragraph
	for i, l := range lines {
		p := Paragraph{N: i + 1}
		l, p.Section, _ = strings.Cut(l, "|")
		if t, ok := strings.CutPrefix(l, "H "); ok {
			p.Heading, l = true, t
		}
		p.Text = l
		ps = append(ps, p)
	}
	return ps
}

func outlineString(es []OutlineEntry) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%d:%s@%d", e.Paragraph, e.Heading, e.Level))
	}
	return strings.Join(parts, " ")
}

func TestOutlineAndPath(t *testing.T) {
	rr := fakeReports{
		// Sections recorded by the indexer, joined with " > ".
		"sections": doc("标题", "H 一、总体要求", "正文一|一、总体要求", "H （一）目标|一、总体要求",
			"正文二|一、总体要求 > （一）目标", "H 二、重点任务", "正文三|二、重点任务"),
		// As the indexer writes them: " › ", a heading's path ends with
		// itself, a run-in title (not a heading paragraph) in the path.
		"indexer": doc("H 政府工作报告", "H 一、回顾|一、回顾", "（一）经济增长。正文|一、回顾 › （一）经济增长",
			"H 二、任务|二、任务", "H （一）扩大内需|二、任务 › （一）扩大内需", "正文|二、任务 › （一）扩大内需 › 1. 消费"),
		// No sections at all: body paragraphs sit under the heading before them.
		"flat": doc("H 报告", "正文一", "H 第二部分", "正文二", "正文三"),
	}
	ctx := context.Background()
	for _, tc := range []struct {
		id, outline string
		n           int
		path        string
	}{
		{"sections", "2:一、总体要求@1 4:（一）目标@2 6:二、重点任务@1", 5, "一、总体要求 > （一）目标"},
		{"sections", "", 3, "一、总体要求"},
		{"sections", "", 1, ""},
		{"sections", "", 4, "一、总体要求"},
		{"indexer", "1:政府工作报告@1 2:一、回顾@1 3:（一）经济增长@2 4:二、任务@1 5:（一）扩大内需@2", 6, "二、任务 > （一）扩大内需"},
		{"indexer", "", 3, "一、回顾"},
		{"indexer", "", 5, "二、任务"},
		{"indexer", "", 2, ""},
		{"flat", "1:报告@1 3:第二部分@1", 5, "第二部分"},
		{"flat", "", 3, ""},
	} {
		d, err := LoadDocument(ctx, rr, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if tc.outline != "" && outlineString(d.Outline) != tc.outline {
			t.Errorf("%s outline %s, want %s", tc.id, outlineString(d.Outline), tc.outline)
		}
		pc, err := LoadParagraph(ctx, rr, tc.id, tc.n, 1)
		if err != nil {
			t.Fatal(err)
		}
		var path []string
		for _, e := range pc.Path {
			path = append(path, e.Heading)
		}
		if got := strings.Join(path, " > "); got != tc.path {
			t.Errorf("%s ¶%d path %q, want %q", tc.id, tc.n, got, tc.path)
		}
	}
	if _, err := LoadDocument(ctx, rr, "none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown report: %v", err)
	}
	for _, n := range []int{0, 8, 100} {
		if _, err := LoadParagraph(ctx, rr, "sections", n, 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("paragraph %d: %v", n, err)
		}
	}
	if _, err := LoadParagraph(ctx, rr, "sections", 1, MaxContext+1); !IsBadRequest(err) {
		t.Errorf("context too large: %v", err)
	}
}

func TestParagraphContextClips(t *testing.T) {
	rr := fakeReports{"r": doc("1", "2", "3", "4", "5")}
	for _, tc := range []struct{ n, context, before, after int }{
		{1, 2, 0, 2}, {3, 2, 2, 2}, {5, 2, 2, 0}, {3, 0, 0, 0}, {2, 10, 1, 3},
	} {
		pc, err := LoadParagraph(context.Background(), rr, "r", tc.n, tc.context)
		if err != nil {
			t.Fatal(err)
		}
		if len(pc.Before) != tc.before || len(pc.After) != tc.after || pc.Paragraph.N != tc.n {
			t.Errorf("¶%d ±%d: %d before, %d after", tc.n, tc.context, len(pc.Before), len(pc.After))
		}
	}
}

func TestListReports(t *testing.T) {
	rr := fakeReports{"a": nil, "bbb": nil, "cc": nil}
	list, err := ListReports(rr, Filter{Years: []YearRange{{From: 2}}}, SortYearDesc)
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 2 || list.Reports[0].ID != "bbb" || list.Reports[1].ID != "cc" {
		t.Errorf("list %+v", list)
	}
	if _, err := ListReports(rr, Filter{}, SortRelevance); !IsBadRequest(err) {
		t.Errorf("relevance has no meaning for a list: %v", err)
	}
}
