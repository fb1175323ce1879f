// Command genpinyin writes the pinyin table of package regions
// (pinyin.txt) from the npm package pinyin-data, read from its tarball as
// `npm pack` downloads it:
//
//	npm pack pinyin-data@1.0.0
//	go run ./internal/regions/genpinyin -tgz pinyin-data-1.0.0.tgz
//
// It reads package/package.json (the version) and package/全拼数据.js,
// whose two objects are JSON inside Object.freeze(…): 带音调拼音, each
// character's readings with tone marks, the usual one first (重:
// "zhòng,chóng"), and 多音字词表, words whose polyphonic characters are
// read otherwise (重庆: "chóng,qìng", 六安: "lù,ān", 蚌埠: "bèng,bù"). The
// table keeps what region names need: the first reading of every Han
// character of the names in table.txt (and of -extra, the values the
// indexer writes that are not divisions, such as 全国), and the words of
// 多音字词表 that occur in those names. Readings are written as letters
// (ü as v, which sorts after u as dictionaries do) and a tone digit.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"reportsearch/internal/regions/npmpack"
)

func main() {
	tgz := flag.String("tgz", "", "the pinyin-data tarball (npm pack pinyin-data@1.0.0)")
	table := flag.String("table", "internal/regions/table.txt", "the region table whose names are covered")
	extra := flag.String("extra", "全国", "more names to cover, comma-separated")
	out := flag.String("o", "internal/regions/pinyin.txt", "the table to write")
	flag.Parse()
	if err := run(*tgz, *table, *extra, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genpinyin:", err)
		os.Exit(1)
	}
}

var freeze = regexp.MustCompile(`(?s)const\s+(\S+)\s*=\s*Object\.freeze\((\{.*?\})\);`)

func run(tgz, tablePath, extra, out string) error {
	if tgz == "" {
		return fmt.Errorf("give -tgz: the tarball of `npm pack pinyin-data@1.0.0`")
	}
	pkg, err := npmpack.Read(tgz, "package/全拼数据.js")
	if err != nil {
		return err
	}
	files := pkg.Files
	objs := map[string]map[string]string{}
	for _, m := range freeze.FindAllSubmatch(files["package/全拼数据.js"], -1) {
		var o map[string]string
		if err := json.Unmarshal(m[2], &o); err != nil {
			return fmt.Errorf("全拼数据.js: %s: %w", m[1], err)
		}
		objs[string(m[1])] = o
	}
	chars, words := objs["带音调拼音"], objs["多音字词表"]
	if len(chars) < 10000 || len(words) < 100 {
		return fmt.Errorf("全拼数据.js: %d characters, %d words: not the expected layout", len(chars), len(words))
	}
	names, err := regionNames(tablePath)
	if err != nil {
		return err
	}
	for _, e := range strings.Split(extra, ",") {
		if e = strings.TrimSpace(e); e != "" {
			names = append(names, e)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s %s (npm), 全拼数据.js; tarball sha256 %s\n", pkg.Name, pkg.Version, pkg.SHA256)
	fmt.Fprintf(&b, "# text, tab, its syllables (letters, ü as v, tone 1-4, 5 neutral): the Han characters of the region names and the\n")
	fmt.Fprintf(&b, "# words read otherwise in them; written by internal/regions/genpinyin, do not edit\n")
	need := map[rune]bool{}
	for _, n := range names {
		for _, r := range n {
			if unicode.Is(unicode.Han, r) {
				need[r] = true
			}
		}
	}
	missing := 0
	for _, r := range slices.Sorted(func(yield func(rune) bool) {
		for r := range need {
			if !yield(r) {
				return
			}
		}
	}) {
		readings, ok := chars[string(r)]
		if !ok {
			missing++
			continue
		}
		syl, ok := syllable(strings.Split(readings, ",")[0])
		if !ok {
			return fmt.Errorf("%c: reading %q", r, readings)
		}
		fmt.Fprintf(&b, "%c\t%s\n", r, syl)
	}
	var kept []string
	for w := range words {
		if len([]rune(w)) > 1 && slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, w) }) {
			kept = append(kept, w)
		}
	}
	slices.Sort(kept)
	for _, w := range kept {
		parts := strings.Split(words[w], ",")
		if len(parts) != len([]rune(w)) {
			continue // a malformed entry (readings not one per character)
		}
		var syls []string
		for _, p := range parts {
			s, ok := syllable(strings.TrimSpace(p))
			if !ok {
				return fmt.Errorf("%s: reading %q", w, words[w])
			}
			syls = append(syls, s)
		}
		fmt.Fprintf(&b, "%s\t%s\n", w, strings.Join(syls, " "))
	}
	if missing > 0 {
		fmt.Fprintf(os.Stderr, "genpinyin: %d characters of region names have no reading (they sort after the others)\n", missing)
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// toneMarks maps a marked vowel to its plain letter and tone.
var toneMarks = map[rune]struct {
	base rune
	tone byte
}{
	'ā': {'a', '1'}, 'á': {'a', '2'}, 'ǎ': {'a', '3'}, 'à': {'a', '4'},
	'ē': {'e', '1'}, 'é': {'e', '2'}, 'ě': {'e', '3'}, 'è': {'e', '4'},
	'ī': {'i', '1'}, 'í': {'i', '2'}, 'ǐ': {'i', '3'}, 'ì': {'i', '4'},
	'ō': {'o', '1'}, 'ó': {'o', '2'}, 'ǒ': {'o', '3'}, 'ò': {'o', '4'},
	'ū': {'u', '1'}, 'ú': {'u', '2'}, 'ǔ': {'u', '3'}, 'ù': {'u', '4'},
	'ǖ': {'v', '1'}, 'ǘ': {'v', '2'}, 'ǚ': {'v', '3'}, 'ǜ': {'v', '4'}, 'ü': {'v', '5'},
	'ń': {'n', '2'}, 'ň': {'n', '3'}, 'ǹ': {'n', '4'}, 'ḿ': {'m', '2'},
}

// syllable turns a marked reading (zhòng) into letters and a tone digit
// (zhong4); a reading without a mark is the neutral tone, 5.
func syllable(s string) (string, bool) {
	var out []rune
	tone := byte('5')
	for _, r := range s {
		if m, ok := toneMarks[r]; ok {
			out = append(out, m.base)
			if m.tone != '5' {
				tone = m.tone
			}
			continue
		}
		if r < 'a' || r > 'z' {
			return "", false
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return "", false
	}
	return string(out) + string(tone), true
}

// regionNames are the names of the region table (code, space, name).
func regionNames(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if _, name, ok := strings.Cut(line, " "); ok {
			out = append(out, name)
		}
	}
	return out, sc.Err()
}
