package analysis

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"ＧＤＰ　增长": "gdp 增长",
		"5G":     "5g",
		"（一）":    "(一)",
		"Ä":      "ä",
		"网格化":    "网格化",
	} {
		if got := FoldString(in); got != want {
			t.Errorf("FoldString(%q) = %q, want %q", in, got, want)
		}
		if len([]rune(FoldString(in))) != len([]rune(in)) {
			t.Errorf("FoldString(%q) changed the number of characters", in)
		}
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"网格化治理":  "网格 化 治理",
		"城市更新":   "城市 更新",
		"文旅产业融合": "文 旅 产业 融合",
		"国资监管":   "国资 监管",
		"我国资源":   "我国 资源",
		"，":      "",
	} {
		got, err := Words(in)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}
