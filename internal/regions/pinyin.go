package regions

// Pinyin order of region names. Sorting Chinese names by their code
// points (or UTF-8 bytes) orders nothing a reader expects (上海市 before
// 北京市 before 山东省 only because U+4E0A < U+5317 < U+5C71); a researcher
// looks a name up by its pinyin, as in a dictionary's index: 安徽省,
// 北京市, 重庆市 (chóng), 山东省, 上海市, ….
//
// pinyin.txt (embedded) is written by ./genpinyin from the npm package
// pinyin-data 1.0.0 (全拼数据.js; ISC licence; its tarball's SHA-256 on
// the first line): the usual reading of every Han character of the
// table's names and of 全国, and the words of its polyphone list that
// occur in them and read otherwise (重庆 chong2 qing4, 六安 lu4 an1, 蚌埠
// beng4 bu4). A line is the text, a tab, its syllables: letters (ü as v,
// which sorts after u) and a tone digit (1–4, 5 neutral).

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

//go:embed pinyin.txt
var pinyinTable string

var (
	charPinyin = map[rune]string{}
	wordPinyin = map[string][]string{}
	maxWordLen int
	pinyinSrc  string
)

func init() {
	for _, line := range strings.Split(pinyinTable, "\n") {
		if strings.HasPrefix(line, "# ") {
			if pinyinSrc == "" {
				pinyinSrc = strings.TrimPrefix(line, "# ")
			}
			continue
		}
		text, syl, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		syls := strings.Fields(syl)
		if n := utf8.RuneCountInString(text); n == 1 {
			r, _ := utf8.DecodeRuneInString(text)
			charPinyin[r] = syls[0]
		} else {
			wordPinyin[text] = syls
			maxWordLen = max(maxWordLen, n)
		}
	}
}

// PinyinSource names the data the pinyin table was made from.
func PinyinSource() string { return pinyinSrc }

// Pinyin returns the syllables of a name (zhong4 qing4 …, one per
// character): each word of the polyphone list read as listed, the longest
// first from the left, other Han characters by their usual reading. A
// character the table does not have (not of a region name) is returned
// as "~" and itself, which sorts after every syllable; other characters
// (Latin, digits) as themselves, lower-cased.
func Pinyin(name string) []string {
	rs := []rune(name)
	var out []string
	for i := 0; i < len(rs); {
		n := 0
		for l := min(maxWordLen, len(rs)-i); l >= 2; l-- {
			if syls, ok := wordPinyin[string(rs[i:i+l])]; ok {
				out = append(out, syls...)
				n = l
				break
			}
		}
		if n > 0 {
			i += n
			continue
		}
		if s, ok := charPinyin[rs[i]]; ok {
			out = append(out, s)
		} else if rs[i] < utf8.RuneSelf {
			out = append(out, strings.ToLower(string(rs[i])))
		} else {
			out = append(out, "~"+string(rs[i]))
		}
		i++
	}
	return out
}

// ComparePinyin orders names as a pinyin index does: syllable by syllable
// by their letters (an 安 before ang 昂; a name that is the start of
// another first: 山东省 before 山东省烟台市), then by the tones of the
// syllables, then by code point, so that the order is total.
func ComparePinyin(a, b string) int {
	if a == b {
		return 0
	}
	pa, pb := Pinyin(a), Pinyin(b)
	for i := range min(len(pa), len(pb)) {
		if c := strings.Compare(letters(pa[i]), letters(pb[i])); c != 0 {
			return c
		}
	}
	if len(pa) != len(pb) {
		if len(pa) < len(pb) {
			return -1
		}
		return 1
	}
	for i := range pa {
		if c := strings.Compare(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return strings.Compare(a, b)
}

// letters is a syllable without its tone digit.
func letters(s string) string {
	if n := len(s); n > 1 && s[n-1] >= '1' && s[n-1] <= '5' && !strings.HasPrefix(s, "~") {
		return s[:n-1]
	}
	return s
}
