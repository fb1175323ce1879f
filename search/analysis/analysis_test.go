package analysis

import (
	"strings"
	"testing"
	"unicode"
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

// Folding is idempotent (every rune of the Basic Multilingual Plane and
// the planes above it folds to a rune that folds to itself), which lets
// TokensFolded take folded text as it is; and TokensFolded of a folded
// corpus line gives Tokens' terms and positions.
func TestFoldIsIdempotentAndTokensFolded(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if f := Fold(r); Fold(f) != f {
			t.Fatalf("Fold(%U) = %U, which folds to %U", r, f, Fold(f))
		}
	}
	lines := []string{"ＧＤＰ增长５．２％，推進高質量發展", "损坏的\xff字节网格化治理", "全面推进乡村振兴。"}
	for _, line := range lines {
		want, err := Tokens([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Current().TokensFolded([]byte(FoldString(line)))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%q: %d tokens folded, %d from the text", line, len(got), len(want))
		}
		for i := range got {
			if string(got[i].Term) != string(want[i].Term) || got[i].Position != want[i].Position {
				t.Errorf("%q: token %d is %q at %d, want %q at %d", line, i, got[i].Term, got[i].Position, want[i].Term, want[i].Position)
			}
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
