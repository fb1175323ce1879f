package regions

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestPinyinCoversTheTable: every Han character of every division's name
// (and of 全国) has a reading, so no name falls back to code-point order;
// every syllable is letters and a tone digit.
func TestPinyinCoversTheTable(t *testing.T) {
	names := []string{"全国"}
	for _, r := range byCode {
		names = append(names, r.Name, r.FullName())
	}
	for _, n := range names {
		p := Pinyin(n)
		if len(p) != len([]rune(n)) {
			t.Fatalf("%s: %d syllables for %d characters", n, len(p), len([]rune(n)))
		}
		for i, s := range p {
			r := []rune(n)[i]
			if !unicode.Is(unicode.Han, r) {
				continue
			}
			l := letters(s)
			if strings.HasPrefix(s, "~") || l == s || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Errorf("%s: %c reads %q", n, r, s)
			}
		}
	}
	if !strings.Contains(PinyinSource(), "pinyin-data 1.0.0") {
		t.Errorf("source %q", PinyinSource())
	}
}

// TestComparePinyin: the order is a total order consistent with the
// syllables: sorting by it and sorting by the syllables' letters (then
// tones, then code points) agree over every name of the table, and the
// polyphone words are read as listed (重庆 under c, not z).
func TestComparePinyin(t *testing.T) {
	var names []string
	for _, r := range byCode {
		names = append(names, r.FullName())
	}
	names = append(names, "全国", "", "GDP", "山东省", "山东省烟台市")
	slices.Sort(names)
	names = slices.Compact(names)
	got := slices.Clone(names)
	slices.SortFunc(got, ComparePinyin)
	// The oracle: each name as a key of letter syllables separated by
	// a byte below every letter, then its tones, then itself.
	key := func(n string) string {
		var ls, ts []string
		for _, s := range Pinyin(n) {
			ls = append(ls, letters(s))
			ts = append(ts, s)
		}
		return strings.Join(ls, "\x01") + "\x00" + strings.Join(ts, "\x01") + "\x00" + n
	}
	want := slices.Clone(names)
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(key(a), key(b)) })
	if !slices.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("at %d: %q, the key order has %q", i, got[i], want[i])
			}
		}
	}
	for i := 1; i < len(got); i++ {
		if ComparePinyin(got[i-1], got[i]) >= 0 || ComparePinyin(got[i], got[i-1]) <= 0 {
			t.Fatalf("%q and %q do not compare strictly", got[i-1], got[i])
		}
	}
	if p := strings.Join(Pinyin("重庆市"), " "); p != "chong2 qing4 shi4" {
		t.Errorf("重庆市 reads %s", p)
	}
	if ComparePinyin("重庆市", "北京市") <= 0 || ComparePinyin("重庆市", "大连市") >= 0 {
		t.Error("重庆市 is not between 北京市 and 大连市")
	}
	if ComparePinyin("山东省", "山东省烟台市") >= 0 || ComparePinyin("西安市", "咸阳市") >= 0 {
		t.Error("a name before its extension, xi an before xian yang")
	}
}
