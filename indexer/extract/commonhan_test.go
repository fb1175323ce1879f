package extract

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"reportsearch/internal/corpusdir"
	"reportsearch/search/analysis"
)

var updateCommon = flag.Bool("update-common", false, "TestCommonHanTable: rewrite commonhan.txt from the corpus")

// commonHanSize is how many of the corpus's commonest characters the table
// keeps.
const commonHanSize = 3000

// buildCommonHan derives the table of common characters from the corpus:
// the commonHanSize most frequent Han characters (folded to simplified, so
// that the traditional report counts with the rest), by frequency, then on
// a second line the traditional characters that fold to one of them.
func buildCommonHan(t *testing.T) string {
	counts := map[rune]int{}
	err := filepath.WalkDir(corpusdir.Dir(t), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, r := range string(data) {
			if unicode.Is(unicode.Han, r) {
				counts[analysis.Fold(r)]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	chars := make([]rune, 0, len(counts))
	for r := range counts {
		chars = append(chars, r)
	}
	sort.Slice(chars, func(i, j int) bool {
		if counts[chars[i]] != counts[chars[j]] {
			return counts[chars[i]] > counts[chars[j]]
		}
		return chars[i] < chars[j]
	})
	chars = chars[:min(len(chars), commonHanSize)]
	keep := map[rune]bool{}
	for _, r := range chars {
		keep[r] = true
	}
	var trad []rune
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		if s := analysis.Fold(r); s != r && keep[s] && unicode.Is(unicode.Han, r) {
			trad = append(trad, r)
		}
	}
	return string(chars) + "\n" + string(trad) + "\n"
}

// TestCommonHanTable keeps the embedded table in step with the corpus it
// is derived from (go test ./indexer/extract -run CommonHan -update-common
// rewrites it), and checks that it covers the corpus's text.
func TestCommonHanTable(t *testing.T) {
	want := buildCommonHan(t)
	if *updateCommon {
		if err := os.WriteFile("commonhan.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if commonHanText != want {
		t.Fatal("commonhan.txt is not what the corpus gives: run go test ./indexer/extract -run CommonHan -update-common")
	}
	if n := len(commonHan); n < commonHanSize {
		t.Errorf("%d characters in the table", n)
	}
}
