package extract

import (
	"regexp"
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
	// FurnitureMasthead: a newspaper's or bulletin's masthead printed once,
	// at the top of the first page: an edition line (see isEditionLine)
	// among its top lines and every line above or level with it (the
	// paper's name beside or above its date and 第N版).
	FurnitureMasthead = "masthead"
)

// pageBlocks turns the lines of laid-out pages (PDF, OCR, OFD) into
// blocks, with the furniture rule each line falls under.
func pageBlocks(pages [][]pageLine, lim *Limits) ([]Block, error) {
	rules := markPageFurniture(pages)
	var blocks []Block
	for p, lines := range pages {
		for i, l := range lines {
			if len(blocks) == lim.MaxParagraphs {
				return nil, tooManyParagraphs(lim.MaxParagraphs)
			}
			blocks = append(blocks, Block{Text: l.text, AfterBlank: l.blank, Furniture: rules[p][i]})
		}
	}
	return blocks, nil
}

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
	markMasthead(pages, rules)
	return rules
}

// mastheadLines is how many of the first page's top lines a masthead may
// take.
const mastheadLines = 6

// markMasthead marks the masthead of the first page with text: the lowest
// of its mastheadLines top lines that is an edition line, and every line
// whose middle is above that line's bottom (the name printed large beside
// or above it, a slogan, the date on the other side; font boxes are taller
// than the glyphs, so the box of the title under the masthead may overlap
// the edition line's). Only lines above the first sentence of body text
// are looked at, and a running header already found keeps its rule. The
// report's title, below the masthead, stays: the rule looks for the
// edition line's form, not for the size or wording of a title. Every line
// marked is dropped and listed under the rule by the cleaning stage.
func markMasthead(pages [][]pageLine, rules [][]string) {
	for p, lines := range pages {
		if len(lines) == 0 {
			continue
		}
		order := make([]int, len(lines))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return lines[order[a]].y < lines[order[b]].y })
		edition := -1
		for k, i := range order[:min(mastheadLines, len(order))] {
			t := strings.TrimSpace(lines[i].text)
			if isSentence(t) {
				break
			}
			if isEditionLine(t) {
				edition = k
			}
		}
		if edition >= 0 {
			bottom := lines[order[edition]].bottom
			for _, i := range order {
				if (lines[i].y+lines[i].bottom)/2 < bottom && rules[p][i] == "" && !isSentence(strings.TrimSpace(lines[i].text)) {
					rules[p][i] = FurnitureMasthead
				}
			}
		}
		return // the first page with text only
	}
}

// isSentence reports a line of body text: longer than furniture can be,
// or with a sentence's punctuation.
func isSentence(s string) bool {
	return utf8.RuneCountInString(s) > maxFurnitureRunes || strings.ContainsAny(s, "。；！？")
}

// editionRe matches, in a line's furnitureKey (numbers masked as #),
// the forms that only a masthead's edition line has: the page (第#版), a
// date followed by its weekday (#月#日 星期三), the lunar date (农历), a
// periodical's serial numbers (国内统一连续出版物号, CN #-#, 邮发代号,
// ISSN, 总第#期), the publisher's line (…机关报).
var editionRe = regexp.MustCompile(`第#版|#月#日[（(]?(星期[#日天]|周[#日])|农历|出版物号|CN#-#|邮发代号|ISSN|总第#[期号]|机关报`)

// isEditionLine reports a masthead's edition line.
func isEditionLine(s string) bool {
	k := furnitureKey(s)
	return k != "" && editionRe.MatchString(k)
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
