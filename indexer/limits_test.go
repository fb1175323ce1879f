package indexer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"reportsearch/indexer/extract"
	"reportsearch/search"
)

func TestLimitParagraphs(t *testing.T) {
	// Cleaning joins lines, each under the extractor's limit, into
	// paragraphs that may be over it: they are split again, keeping
	// their section, and renumbered.
	long := strings.Repeat("城市更新行动扎实推进，民生保障持续加强。", 120) // 2,400 characters
	paras := []search.Paragraph{
		{N: 1, Text: "一、工作回顾", Heading: true, Section: "一、工作回顾"},
		{N: 2, Text: long, Section: "一、工作回顾"},
		{N: 3, Text: "结语。", Section: "一、工作回顾"},
	}
	lim := extract.Limits{MaxParagraphChars: 1000}.WithDefaults()
	got, err := limitParagraphs(paras, lim)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d paragraphs, want 5", len(got))
	}
	var joined strings.Builder
	for i, p := range got {
		if n := utf8.RuneCountInString(p.Text); n > 1000 {
			t.Errorf("paragraph %d of %d characters", i+1, n)
		}
		if p.N != i+1 || p.Section != "一、工作回顾" || p.Heading != (i == 0) {
			t.Errorf("paragraph %d: %+v", i+1, p)
		}
		if i >= 1 && i <= 3 {
			joined.WriteString(p.Text)
		}
	}
	if joined.String() != long {
		t.Error("text changed by splitting")
	}

	lim.MaxParagraphs = 3
	if _, err := limitParagraphs(make([]search.Paragraph, 4), lim); err == nil || !strings.Contains(err.Error(), "limit MaxParagraphs") {
		t.Errorf("4 paragraphs over a limit of 3: %v", err)
	}
}
