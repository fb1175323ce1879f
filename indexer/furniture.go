package indexer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportsearch/indexer/extract"
	"reportsearch/indexer/furniture"
)

// This file decides which lines of a report file are page furniture, not
// report text, and why. The words and forms of web furniture (widgets,
// breadcrumbs, 来源/时间 labels, footers) are package furniture's, the
// vocabulary the HTML extractor shares; the positions are decided here. Every rule looks at a line's form and at its
// position, never at one character class alone (a sentence may well hold
// two ">"):
//
//   - Form: furniture is short and has no sentence punctuation (，。；！？;
//     a colon only after a label, 来源：). The only rules that drop
//     sentences are the footers that are known to hold them (a licence
//     text, a related-links list) and the repetition of text already kept.
//   - Position: web furniture (widgets, breadcrumbs, bylines) is dropped
//     only at the top of the text (before its first sentence), at the
//     bottom (after its last sentence) or next to other web furniture (a
//     page-like block between two pages). Footers start only in the last
//     40 % of the text, and a footer ends where the text is body again: at
//     its first sentence (a licence footer at the last line about the
//     licence), so a sentence after a footer is kept.
//   - Bare numbers (page and section numbers) and footnote brackets are
//     dropped anywhere they stand alone: they hold no words. Where they
//     are glued to the text around them (a wiki subscript: M + 2), they
//     are text.
//
// Nothing is dropped silently: each dropped line is returned with its rule
// (Cleaned.Dropped, index --json, index --explain).

// The rules that drop lines. The names are stable identifiers: they are
// the keys of index --json's counts and the labels of --explain.
const (
	// RuleBlank: a line of invisible characters only (zero-width spaces,
	// byte-order marks); it separates paragraphs like a blank line.
	RuleBlank = "blank"
	// RulePageNumber: a number standing alone (12, - 3 -, 第3页, 3/10,
	// Page 3) of up to four digits.
	RulePageNumber = "page-number"
	// RuleLoneNumber: a bare 1–2 digit number or 一…九十九 on a line of
	// its own, a page or section number; the next line is taken as a
	// heading.
	//
	// Numbers are dropped wherever they stand alone, but not where they
	// are glued to the text around them: inside a paragraph's block of a
	// text that separates paragraphs by blank lines, after a Latin letter
	// (M + 2 is M2, a wiki subscript) or an opening bracket, or before a
	// line that continues the sentence (十三五 + ”实现了良好开局).
	RuleLoneNumber = "lone-number"
	// RuleFootnoteRef: a footnote reference split onto lines of its own,
	// as wiki exports print them: a bracket alone ([, ]) and the number
	// between two, and the ↑ that links a footnote back to its reference.
	RuleFootnoteRef = "footnote-ref"
	// RuleWidget: a line made only of widget words (下载 打印 全屏 收藏
	// 【字号：大 中 小】 分享到 微信 ×, 打印本页, 关闭窗口, 扫一扫 …).
	RuleWidget = "widget"
	// RuleBreadcrumb: 当前位置：首页 > 要闻, 首页 > …, a chain of short
	// names separated by > » ›, and the parts of a trail split onto lines
	// after a bare 您的位置: label.
	RuleBreadcrumb = "breadcrumb"
	// RuleSourceLine: a byline (来源：…, 时间：…, 作者：…, 责任编辑：…,
	// 浏览次数：…), the value after a bare label, the names after 责任编辑.
	RuleSourceLine = "source-line"
	// RuleDateLine: a bare date or date and time (2026-02-03 09:02:33).
	RuleDateLine = "date-line"
	// RuleLinkID: a hexadecimal record id on a line of its own, as CMS
	// link lists print them.
	RuleLinkID = "link-id"
	// RuleRelatedLinks: a related-links footer (相关报道：, 相关新闻,
	// 相关链接>> …) and the link titles, dates and ids after it, up to the
	// first sentence.
	RuleRelatedLinks = "related-links"
	// RuleLicenceFooter: a licence or site footer (本作品…公有领域, 版权所有,
	// Copyright, Public domain …) up to its last line about the licence
	// (notes and footnotes in between included), then up to the first
	// sentence.
	RuleLicenceFooter = "licence-footer"
	// RuleRepeated: at or after a footer, a line of at least 8 characters
	// whose text the report already has (a page's teaser: the title and
	// first sentence again).
	RuleRepeated = "repeated"
	// RuleRunningHeader and RuleRunningFooter: a PDF line that repeats
	// (numbers aside) among the top or bottom lines of at least a third of the
	// pages, found by the PDF reader (extract.Block.Furniture); a page
	// number found so is RulePageNumber.
	RuleRunningHeader = extract.FurnitureRunningHeader
	RuleRunningFooter = extract.FurnitureRunningFooter
	// RuleMasthead: a newspaper's masthead printed once at the top of a
	// PDF's (or OFD's) first page, found by the reader from its edition
	// line (第N版, a date with its weekday, a serial number).
	RuleMasthead = extract.FurnitureMasthead
)

// ruleAllowsSentences reports the rules that may drop a line with
// sentence punctuation: the footers that are made of sentences or titles,
// and repetitions (the text is kept where it first occurs).
func ruleAllowsSentences(rule string) bool {
	return rule == RuleLicenceFooter || rule == RuleRelatedLinks || rule == RuleRepeated
}

// sentencePunct is punctuation that only running text has. A colon is not
// in it: labels have one (来源：).
const sentencePunct = "，。；！？;!?"

// sentenceEnds end a sentence.
const sentenceEnds = "。！？；!?;…"

// hanCount counts the Han characters of s.
func hanCount(s string) int { return hanAtLeast(s, len(s)) }

// hanAtLeast counts the Han characters of s up to max.
func hanAtLeast(s string, max int) int {
	n := 0
	for _, r := range s {
		if r >= 0x2e80 && unicode.Is(unicode.Han, r) {
			if n++; n == max {
				break
			}
		}
	}
	return n
}

// isSentence reports a line that reads as running text: a sentence end
// after at least four Han characters, or a long line (40 characters or
// more) with clause punctuation. Titles, names, labels and link titles are
// not sentences.
func isSentence(s string) bool {
	if strings.ContainsAny(s, sentenceEnds) && hanAtLeast(s, 4) == 4 {
		return true
	}
	return len(s) >= 40 && utf8.RuneCountInString(s) >= 40 && strings.ContainsAny(s, "，、,")
}

var (
	pageNumberRe  = regexp.MustCompile(`^(?:[-—–－·•\s]*[0-9０-９]{1,4}[-—–－·•\s]*|第\s*[0-9０-９一二三四五六七八九十百]+\s*页(?:\s*[/／,，]?\s*共\s*[0-9０-９]+\s*页)?|[0-9]{1,4}\s*[/／]\s*[0-9]{1,4}|[Pp]age\s*[0-9]+(?:\s*of\s*[0-9]+)?)$`)
	loneNumeralRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]|十[一二三四五六七八九]|[二三四五六七八九]十[一二三四五六七八九]?|[0-9]{1,2}[.．]?)$`)
	dateOnlyRe    = regexp.MustCompile(`^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?(?:\s*\d{1,2}[:时]\d{1,2}分?(?::\d{1,2}|\d{1,2}秒)?)?$`)
	hexIDRe       = regexp.MustCompile(`^[0-9a-f]{24,40}:?$`)
)

// isWidget reports a widget line of the furniture vocabulary; the
// position rules make an anchor unnecessary here (the 大 left alone on a
// line by a font-size control is dropped at the top of a page).
func isWidget(s string) bool {
	w, _ := furniture.Widget(s)
	return w
}

// lineForm returns the furniture rule whose form a line has, or "".
//
// Every line of every file passes here, and Go's backtracking matcher costs
// time in proportion to the line even when a pattern fails at its first
// character, so each pattern is tried only on lines that could match it:
// page numbers, dates and ids are short and start like one; bylines and
// "当前位置：" have their colon near the start.
func lineForm(s string) string {
	short := len(s) <= 160
	if !short {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(s)
	// Page numbers, dates and ids start with a digit, a dash, a dot, a
	// space, 第 or Page.
	numeric := first < utf8.RuneSelf || strings.ContainsRune("—–－·•　０１２３４５６７８９第", first)
	switch {
	case s == "[" || s == "]" || s == "↑":
		return RuleFootnoteRef
	case len(s) <= 9 && loneNumeralRe.MatchString(s):
		return RuleLoneNumber
	case numeric && pageNumberRe.MatchString(s):
		return RulePageNumber
	case strings.ContainsAny(s, sentencePunct):
		// Web furniture has no sentence punctuation.
		return ""
	case numeric && dateOnlyRe.MatchString(s):
		return RuleDateLine
	case numeric && hexIDRe.MatchString(s):
		return RuleLinkID
	case isWidget(s):
		return RuleWidget
	}
	colon := strings.ContainsAny(s[:min(len(s), 48)], ":：")
	switch {
	case (colon || strings.HasPrefix(s, "首页")) && furniture.Breadcrumb(s), furniture.CrumbChain(s):
		return RuleBreadcrumb
	case colon && furniture.SourceLine(s):
		return RuleSourceLine
	}
	if utf8.RuneCountInString(s) <= 40 && furniture.HasMetaWord(s) {
		return RuleSourceLine
	}
	return ""
}

// webForm reports the forms that are dropped by position (the numbers and
// brackets, which hold no words, are dropped anywhere).
func webForm(rule string) bool {
	return rule != "" && rule != RuleLoneNumber && rule != RulePageNumber && rule != RuleFootnoteRef
}

// gluedNumber reports a bare number on line i that is part of the text
// around it (see RuleLoneNumber).
func gluedNumber(ls []srcLine, i int, blankSep bool) bool {
	prev, next := "", ""
	prevBlank, nextBlank := true, true
	for j := i - 1; j >= 0; j-- {
		if ls[j].n == 0 || ls[j].rule == RuleBlank {
			prevBlank = true
			break
		}
		if ls[j].rule == "" {
			prev, prevBlank = ls[j].Text, false
			break
		}
	}
	for j := i + 1; j < len(ls); j++ {
		if ls[j].n == 0 || ls[j].rule == RuleBlank {
			nextBlank = true
			break
		}
		if ls[j].rule == "" {
			next, nextBlank = ls[j].Text, false
			break
		}
	}
	if blankSep && !prevBlank && !nextBlank {
		return true // inside a block: M + 2 + 预期增长
	}
	r, _ := utf8.DecodeLastRuneInString(prev)
	return prev != "" && (isLatin(r) || strings.ContainsRune(openers, r)) || next != "" && continuesLine(next)
}

// blankSeparatedSource reports whether the file separates its paragraphs
// by blank lines (blankSeparated), judged on all its lines: the format of
// the file, furniture and footers included.
func blankSeparatedSource(ls []srcLine) bool {
	lines := make([]Line, len(ls))
	for i, l := range ls {
		if l.n > 0 && l.rule != RuleBlank {
			lines[i] = l.Line
		}
	}
	return blankSeparated(lines)
}

// footerMarker returns the rule of a footer that line l opens, or "".
func footerMarker(l *srcLine) string {
	t := l.Text
	if t == "" {
		return ""
	}
	if furniture.LicenceMarker(t) {
		return RuleLicenceFooter
	}
	if l.sentence || utf8.RuneCountInString(t) > 40 {
		return ""
	}
	switch {
	case furniture.RelatedMarker(t):
		return RuleRelatedLinks
	case furniture.WidgetMarker(t):
		return RuleWidget
	case furniture.BylineMarker(t):
		return RuleSourceLine
	}
	return ""
}

// licenceWindow is how far after a licence marker its footer may go on
// (lines, blank-line marks included).
const licenceWindow = 60

// licenceLines answers, for each line, whether it is about a licence
// (furniture.AboutLicence), computed once and only for the lines asked about.
type licenceLines struct {
	ls    []srcLine
	about []int8 // 0 not computed, 1 yes, -1 no
}

func (c *licenceLines) is(j int) bool {
	if c.about[j] == 0 {
		c.about[j] = -1
		if furniture.AboutLicence(c.ls[j].Text) {
			c.about[j] = 1
		}
	}
	return c.about[j] > 0
}

// last returns the index of the last line about the licence in the window
// from line i on, or -1 when there is none.
func (c *licenceLines) last(i int) int {
	last := -1
	for j := i; j < min(len(c.ls), i+licenceWindow); j++ {
		if c.is(j) {
			last = j
		}
	}
	return last
}

// footerSearchStart returns the first line where a footer may start: the
// line from which on the rest of the text is at most 40 % of its
// characters, and never one of the first five lines. Characters, not
// lines: a link list is many short lines, a report's body few long ones.
func footerSearchStart(ls []srcLine) int {
	total := 0
	for _, l := range ls {
		total += len(l.Text)
	}
	rest := total
	for i, l := range ls {
		if rest*10 <= total*4 {
			return max(5, i)
		}
		rest -= len(l.Text)
	}
	return len(ls)
}

// markFooters marks the footers of the text and returns the index of the
// first footer line (len(ls) when there is none). A footer starts at a
// marker in the last 40 % of the text (footerSearchStart) and
// goes on over the lines that are not sentences (link titles, dates, ids,
// names, more markers); a licence footer first goes on to its last line
// about the licence. It ends at the first sentence after that: body text
// after a footer is kept.
func markFooters(ls []srcLine) int {
	first := len(ls)
	licence := &licenceLines{ls: ls, about: make([]int8, len(ls))}
	for i := footerSearchStart(ls); i < len(ls); i++ {
		rule := footerMarker(&ls[i])
		if rule == "" {
			continue
		}
		licenceEnd := -1
		if rule == RuleLicenceFooter {
			if licenceEnd = licence.last(i); licenceEnd < 0 {
				continue // 本作品… in a sentence that is not about a licence
			}
		}
		first = min(first, i)
		j := i
		for ; j < len(ls); j++ {
			l := &ls[j]
			if l.n == 0 || l.rule == RuleBlank {
				continue
			}
			if m := footerMarker(l); m != "" && (m != RuleLicenceFooter || licence.last(j) >= 0) {
				rule, l.marker = m, true
				if m == RuleLicenceFooter {
					licenceEnd = max(licenceEnd, licence.last(j))
				}
			} else if l.sentence && j > licenceEnd {
				break
			}
			l.rule = rule
		}
		i = j - 1
	}
	return first
}

// markFurniture sets the rule of every line that is not report text, and
// reports whether the text separates paragraphs by blank lines.
func markFurniture(ls []srcLine) (blankSep bool) {
	for i := range ls {
		if ls[i].n > 0 {
			ls[i].sentence = isSentence(ls[i].Text)
		}
	}
	footer := markFooters(ls)

	// Positions: the top of the text ends at its first sentence, the
	// bottom starts after the last sentence before the footer.
	firstSentence, lastSentence := len(ls), -1
	for i := range ls {
		if ls[i].sentence && ls[i].rule == "" && i < footer {
			firstSentence = min(firstSentence, i)
			lastSentence = i
		}
	}
	edge := func(i int) bool { return i < firstSentence || i > lastSentence }

	forms := make([]string, len(ls))
	for i := range ls {
		if l := &ls[i]; l.n > 0 && l.rule == "" {
			forms[i] = lineForm(l.Text)
		}
	}
	blankSep = blankSeparatedSource(ls)
	for i := range forms {
		switch {
		case forms[i] != RuleLoneNumber && forms[i] != RulePageNumber:
		case i > 0 && i+1 < len(ls) && ls[i-1].Text == "[" && ls[i+1].Text == "]":
			// [ 2 ]: the number is the reference's, not a section number.
			forms[i] = RuleFootnoteRef
		case gluedNumber(ls, i, blankSep):
			forms[i] = ""
		}
	}
	// neighbourForm reports web furniture on the nearest line before
	// (step -1) or after (step 1) line i.
	neighbourForm := func(i, step int) bool {
		for j := i + step; j >= 0 && j < len(ls); j += step {
			if ls[j].n > 0 && ls[j].rule != RuleBlank {
				return webForm(forms[j])
			}
		}
		return false
	}
	// values: after a bare label at an edge (来源: / 您的位置:), its value
	// follows on short lines of its own (四川日报; 首页 > 要闻).
	values, valueRule := 0, ""
	for i := range ls {
		l := &ls[i]
		if l.n == 0 || l.rule != "" {
			continue
		}
		if furniture.LabelOnly(l.Text) && edge(i) {
			valueRule, values = RuleSourceLine, 1
			if strings.Contains(l.Text, "位置") {
				valueRule, values = RuleBreadcrumb, 6 // a trail: several parts
			}
			l.rule = valueRule
			continue
		}
		if values > 0 {
			values--
			limit := 12 // a value: 四川日报
			if values > 0 {
				limit = 8 // a trail's part: 首页, 要闻, but not a title with a year
			}
			if utf8.RuneCountInString(l.Text) <= limit && !strings.ContainsAny(l.Text, "。，；！？0123456789") {
				l.rule = valueRule
				continue
			}
			values = 0
		}
		switch f := forms[i]; {
		case f == "":
		case !webForm(f), edge(i), neighbourForm(i, -1), neighbourForm(i, 1):
			l.rule = f
		}
	}

	// At or after a footer, a line that repeats text the report already
	// has is a page's teaser (a licence's lines are not).
	var teaser []int
	for i := footer; i < len(ls); i++ {
		if l := &ls[i]; l.n > 0 && !l.marker && l.rule != RuleBlank && l.rule != RuleLicenceFooter && utf8.RuneCountInString(l.Text) >= 8 {
			teaser = append(teaser, i)
		}
	}
	if len(teaser) > 0 {
		var kept strings.Builder
		for i := 0; i < footer; i++ {
			if ls[i].n > 0 && ls[i].rule == "" {
				kept.WriteString(ls[i].Text)
			}
		}
		body := kept.String()
		for _, i := range teaser {
			if strings.Contains(body, ls[i].Text) {
				ls[i].rule = RuleRepeated
			}
		}
	}
	return blankSep
}
