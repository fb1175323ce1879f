package query

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// dump renders a tree with explicit structure, to compare in tests.
func dump(n Node) string {
	switch n := n.(type) {
	case Term:
		return fmt.Sprintf("%q", n.Text)
	case Not:
		return "NOT(" + dump(n.Child) + ")"
	case Or:
		parts := make([]string, len(n.Children))
		for i, c := range n.Children {
			parts[i] = dump(c)
		}
		return "OR(" + strings.Join(parts, " ") + ")"
	case And:
		parts := make([]string, len(n.Children))
		for i, c := range n.Children {
			parts[i] = dump(c)
		}
		return "AND(" + strings.Join(parts, " ") + ")"
	}
	return "?"
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"网格化治理", `AND("网格化治理")`},
		{"  网格化治理　城市更新 ", `AND("网格化治理" "城市更新")`},
		{`"GDP 增长" 5G`, `AND("GDP 增长" "5G")`},
		{"乡村振兴 -脱贫", `AND("乡村振兴" NOT("脱贫"))`},
		{`乡村振兴 -"脱贫 攻坚"`, `AND("乡村振兴" NOT("脱贫 攻坚"))`},
		{"城市更新 | 旧城改造", `AND(OR("城市更新" "旧城改造"))`},
		{"x a | b | c y", `AND("x" OR("a" "b" "c") "y")`},
		{"2020-2022年", `AND("2020-2022年")`},
		{"a|b", `AND("a|b")`},
		{"- 民生", `AND("-" "民生")`},
		{`"-5%"`, `AND("-5%")`},
		{"“十四五”（一）", `AND("“十四五”（一）")`},
		{`ab"c d"e`, `AND("abc de")`},
		{"罘", `AND("罘")`},
		// A Chinese keyboard's operators.
		{"城市更新 ｜ 乡村振兴", `AND(OR("城市更新" "乡村振兴"))`},
		{"“城市更新”", `AND("城市更新")`},
		{"「城市更新」 －棚户区", `AND("城市更新" NOT("棚户区"))`},
		{"－“脱贫 攻坚” 乡村", `AND(NOT("脱贫 攻坚") "乡村")`},
		{"“GDP 增长”", `AND("GDP 增长")`},
		{"网格化治理　城市更新", `AND("网格化治理" "城市更新")`},
		{`"｜" a`, `AND("｜" "a")`},
		{"“十四五”规划", `AND("“十四五”规划")`},
		{"“十四五", `AND("“十四五")`},
		{"－", `AND("－")`},
		{"2020－2022年", `AND("2020－2022年")`},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if d := dump(got); d != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, d, tt.want)
		}
		// String renders a query that parses to the same tree.
		again, err := Parse(got.String())
		if err != nil || dump(again) != tt.want {
			t.Errorf("Parse(String(%q)) = %v, %v", tt.in, dump(again), err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"", "   ", `"unterminated`, `""`, "| a", "a |", "a | | b", "-a", "-a -b", "a -b | c", "a | -b",
		strings.Repeat("字", MaxQueryBytes), strings.Repeat("a ", MaxTerms+1), "\xff\xfe",
	} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q): no error", in)
			continue
		}
		if !IsSyntaxError(err) {
			t.Errorf("Parse(%q): error %v is not a SyntaxError", in, err)
		}
	}
}

func TestParseErrorPositions(t *testing.T) {
	tests := []struct {
		in   string
		code string
		pos  int
	}{
		{`"GDP`, CodeUnterminatedQuote, 1},
		{`网格化 "GDP`, CodeUnterminatedQuote, 5},
		{"城市 | ", CodeDanglingOr, 4},
		{"| 城市", CodeDanglingOr, 1},
		{"城市 | -农村", CodeExcludedInOr, 6},
		{`城市 ""`, CodeEmptyQuote, 4},
		{"-城市", CodeOnlyExcluded, 0},
		{"", CodeEmpty, 0},
		{"\xff", CodeInvalidUTF8, 0},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a SyntaxError", tt.in, err)
			continue
		}
		if se.Code != tt.code || se.Pos != tt.pos {
			t.Errorf("Parse(%q): code %s at %d, want %s at %d", tt.in, se.Code, se.Pos, tt.code, tt.pos)
		}
		if se.Zh == "" || se.Msg == "" {
			t.Errorf("Parse(%q): messages missing: %+v", tt.in, se)
		}
		if tt.pos > 0 && !strings.Contains(se.Msg, fmt.Sprintf("character %d", tt.pos)) {
			t.Errorf("Parse(%q): message %q does not give the position", tt.in, se.Msg)
		}
	}
}

func TestMatch(t *testing.T) {
	words := func(s string) ([]string, error) {
		if s == "城市更新" {
			return []string{"城市", "更新"}, nil
		}
		return []string{s}, nil
	}
	tests := []struct {
		q, text string
		loose   bool
		want    bool
	}{
		{"城市更新", "推进城市更新行动", false, true},
		{"城市更新", "更新城市面貌", false, false},
		{"城市更新", "更新城市面貌", true, true},
		{"城市 -更新", "更新城市面貌", false, false},
		{"城市 -城市更新", "更新城市面貌", true, false},
		{"农村 | 城市", "城市", false, true},
		{"农村 | 城市 面貌", "城市", false, false},
		{"gdp", "gdp增长", false, true},
	}
	for _, tt := range tests {
		n, err := Parse(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if tt.loose {
			if n, err = Expand(n, words); err != nil {
				t.Fatal(err)
			}
		}
		if got := Match(n, tt.text); got != tt.want {
			t.Errorf("Match(%q, %q, loose=%v) = %v", tt.q, tt.text, tt.loose, got)
		}
	}
	n, _ := Parse("ＧＤＰ -Ａ")
	if got := Fold(n, strings.ToLower).String(); got != "ｇｄｐ -ａ" {
		t.Errorf("Fold = %q", got)
	}
}

func TestTerms(t *testing.T) {
	n, err := Parse("a b | c -d a")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(Terms(n), ","); got != "a,b,c" {
		t.Errorf("Terms = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"网格化治理 城市更新", `"a b" -c | d`, "-", "|", `"`, "a|b -", "５Ｇ", "“城市更新” ｜ 「乡村」 －棚户区", "“"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if !IsSyntaxError(err) {
				t.Fatalf("Parse(%q): non-syntax error %v", s, err)
			}
			return
		}
		if !utf8.ValidString(n.String()) {
			t.Fatalf("String() not UTF-8 for %q", s)
		}
		if len(Terms(n)) == 0 {
			t.Fatalf("Parse(%q) accepted a query without positive terms", s)
		}
		for _, term := range Terms(n) {
			if term == "" {
				t.Fatalf("Parse(%q) produced an empty term", s)
			}
		}
	})
}
