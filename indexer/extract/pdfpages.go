package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules for lines that the PDF reader finds to be page furniture. They are
// set on Block.Furniture; the cleaning stage drops such a line under that
// rule name and reports it with the others (index --explain).
const (
	// FurnitureRunningHeader: a line among the first lines of a page whose
	// text (digits aside) is at the top of many pages.
	FurnitureRunningHeader = "running-header"
	// FurnitureRunningFooter: the same at the bottom of pages.
	FurnitureRunningFooter = "running-footer"
	// FurniturePageNumber: a running header or footer that is only a page
	// number (— 3 —, - 3 -, 第3页, 3/20).
	FurniturePageNumber = "page-number"
)

// edgeLines is how many lines at the top and at the bottom of a page may
// be running headers or footers (a masthead has two or three).
const edgeLines = 4

// maxFurnitureRunes is the longest running header or footer.
const maxFurnitureRunes = 60

// markPageFurniture returns, for each line of each page, the furniture
// rule it falls under, or "". A line is a running header (footer) when it
// is among the edgeLines highest (lowest) lines of its page and its text,
// with numbers masked (page numbers vary), is among the highest (lowest)
// lines of at least a third of the pages, and of two at least. Repetition, not
// wording, decides: a header may say anything, and a line of body text
// does not stand at the same edge of a third of the pages.
func markPageFurniture(pages [][]pageLine) [][]string {
	rules := make([][]string, len(pages))
	type edge struct{ top, bottom []int }
	edges := make([]edge, len(pages))
	topCount, bottomCount := map[string]int{}, map[string]int{}
	nonEmpty := 0
	for p, lines := range pages {
		rules[p] = make([]string, len(lines))
		if len(lines) == 0 {
			continue
		}
		nonEmpty++
		order := make([]int, len(lines))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return lines[order[a]].y < lines[order[b]].y })
		n := min(edgeLines, len(lines))
		edges[p].top = order[:n]
		edges[p].bottom = order[len(order)-n:]
		seenTop, seenBottom := map[string]bool{}, map[string]bool{}
		for _, i := range edges[p].top {
			if k := furnitureKey(lines[i].text); k != "" && !seenTop[k] {
				seenTop[k] = true
				topCount[k]++
			}
		}
		for _, i := range edges[p].bottom {
			if k := furnitureKey(lines[i].text); k != "" && !seenBottom[k] {
				seenBottom[k] = true
				bottomCount[k]++
			}
		}
	}
	// A third, not a half: odd and even pages may have headers of their
	// own, and a title page none.
	repeated := func(n int) bool { return n >= 2 && n*3 >= nonEmpty }
	for p, lines := range pages {
		for _, i := range edges[p].top {
			if k := furnitureKey(lines[i].text); k != "" && repeated(topCount[k]) {
				rules[p][i] = furnitureRule(k, FurnitureRunningHeader)
			}
		}
		for _, i := range edges[p].bottom {
			if k := furnitureKey(lines[i].text); k != "" && repeated(bottomCount[k]) && rules[p][i] == "" {
				rules[p][i] = furnitureRule(k, FurnitureRunningFooter)
			}
		}
	}
	return rules
}

// furnitureKey is a line's text as running headers are compared: without
// spaces, every run of digits (or Chinese numerals) as one #; "" for a
// line too long to be one.
func furnitureKey(s string) string {
	if utf8.RuneCountInString(s) > maxFurnitureRunes {
		return ""
	}
	var sb strings.Builder
	num := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case unicode.IsDigit(r) || strings.ContainsRune("〇零一二三四五六七八九十百", r):
			if !num {
				sb.WriteByte('#')
			}
			num = true
			continue
		}
		num = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// furnitureRule is the rule for a repeated line: page-number when its key
// is a number with at most dashes, 第…页 or Page around it.
func furnitureRule(key, rule string) string {
	rest := strings.NewReplacer("#", "", "-", "", "—", "", "–", "", "－", "", "·", "", "•", "", "第", "", "页", "",
		"共", "", "/", "", "／", "", "Page", "", "page", "", "of", "", "，", "", ",", "").Replace(key)
	if rest == "" && strings.Contains(key, "#") {
		return FurniturePageNumber
	}
	return rule
}
