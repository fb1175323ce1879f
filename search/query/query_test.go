package query

import (
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
	for _, s := range []string{"网格化治理 城市更新", `"a b" -c | d`, "-", "|", `"`, "a|b -", "５Ｇ"} {
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
