package indexer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
)

// This file turns the raw lines of a report into clean paragraphs. The
// rules are general, drawn from how reports really arrive (PDF text broken
// at line and page ends, web pages with widgets and footers, wiki exports
// with links split onto lines of their own); none names a file.
//
//  1. Each line is trimmed (spaces, ideographic-space indents, zero-width
//     characters removed at the ends and inside).
//  2. Page furniture is dropped (furniture.go): page numbers, lone
//     section numbers (kept as a hint that the next line is a heading),
//     and at the top or bottom of the text web widgets (下载 打印 【字号：
//     大 中 小】 分享到 …), breadcrumbs, source/time lines.
//  3. Footers are dropped (furniture.go): from a footer marker (相关报道：,
//     本作品…公有领域, 打印本页, 版权所有 …) in the last part of the text
//     to the first sentence after it, which is kept.
//
// Every dropped line is returned with the rule that dropped it.
//
//  4. Lines are grouped into paragraphs: where the text separates
//     paragraphs by blank lines, the lines of one block are joined (wiki
//     and PDF exports break lines inside paragraphs); blocks, or lines of
//     a text without blank lines, are then re-joined where a sentence was
//     broken (a long line without final punctuation, or a next line that
//     starts with punctuation that cannot start a sentence), never when
//     the first is a heading.
//  5. Headings are recognised (format headings, 一、, （一）, 第X部分, 1.,
//     short unpunctuated lines) and every paragraph gets its section path.

// Line is one line of extracted text. Empty Text is a blank line. Level is
// a heading level given by the format (docx styles, HTML h1–h6, Markdown
// #), 0 when the format says nothing.
type Line struct {
	Text  string
	Level int
	// Furniture is the rule under which the extractor found the line to
	// be page furniture (a PDF's running header: extract.Block.Furniture);
	// the line is dropped and reported under it.
	Furniture string

	indent bool // the raw line started with an indent (two spaces, U+3000, tab)
}

// indented reports a raw line that starts with an indent.
func indented(s string) bool {
	return strings.HasPrefix(s, "  ") || strings.HasPrefix(s, "\t") || strings.HasPrefix(s, "\u3000")
}

// zeroWidth are removed everywhere: they are invisible and break matching.
var zeroWidth = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "", "\u00ad", "")

func cleanLine(s string) string {
	s = zeroWidth.Replace(s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.TrimFunc(s, unicode.IsSpace)
}

// terminators end a sentence; a line ending with one is not continued.
const terminators = "。！？；!?;…」』”’\"）)】〕》："

// continuations cannot start a sentence: a line starting with one
// continues the previous line.
const continuations = "，、。；：！？）》」』”’】〕,.;:!?)%"

// openers cannot end a sentence: a line ending with one is continued.
const openers = "，、《“‘（「『【〔(,"

// blankSeparated reports a text that separates its paragraphs by blank
// lines: it has at least three blocks of consecutive lines, and they are
// at least a tenth of its lines. A text with a line per paragraph and a
// blank line or two (a sentence appended after a blank line at the end)
// is not one: joining the lines of its blocks would make the whole report
// one paragraph.
func blankSeparated(lines []Line) bool {
	blocks, nonBlank := 0, 0
	prevBlank := true
	for _, l := range lines {
		if l.Text == "" {
			prevBlank = true
			continue
		}
		nonBlank++
		if prevBlank {
			blocks++
		}
		prevBlank = false
	}
	return blocks >= 3 && blocks*10 >= nonBlank
}

// para is a paragraph being assembled.
type para struct {
	text     string
	level    int  // heading level from the format, 0 if none
	heading  bool // recognised as a heading
	numbered bool // announced as a heading by a lone section number before it
}

// byShape reports a heading recognised by its shape alone: no format
// level, no numbering, no section number before it.
func (p *para) byShape() bool {
	return p.heading && p.level == 0 && !p.numbered && numberedRank(p.text) == 0
}

// DroppedLine is an extracted line that is in no paragraph, with the rule
// that dropped it.
type DroppedLine struct {
	// Line is the line's number among the extracted lines, from 1 (for a
	// text file, among its non-blank lines).
	Line int `json:"line"`
	// Rule is one of the Rule constants.
	Rule string `json:"rule"`
	// Text is the line as cleaned (trimmed), or as extracted for RuleBlank.
	Text string `json:"text"`
}

// Cleaned is a report after cleaning: its paragraphs, and every extracted
// line that is in none of them with the reason.
type Cleaned struct {
	Paragraphs []search.Paragraph
	Dropped    []DroppedLine
}

// DroppedCounts returns the number of dropped lines by rule, nil when none
// is dropped.
func (c *Cleaned) DroppedCounts() map[string]int {
	if len(c.Dropped) == 0 {
		return nil
	}
	m := map[string]int{}
	for _, d := range c.Dropped {
		m[d.Rule]++
	}
	return m
}

// srcLine is one extracted line on its way through the cleaning.
type srcLine struct {
	Line            // cleaned text, format level, indent
	raw      string // as extracted
	n        int    // number among the extracted lines, from 1; 0 for a blank-line mark
	rule     string // why the line is dropped; "" when it is kept
	sentence bool   // reads as running text (isSentence)
	marker   bool   // opens or continues a footer by its own words
}

// CleanParagraphs turns extracted lines into clean paragraphs with
// headings and section paths.
func CleanParagraphs(raw []Line) []search.Paragraph { return Clean(raw).Paragraphs }

// Clean turns extracted lines into clean paragraphs with headings and
// section paths, and lists the lines it dropped.
func Clean(raw []Line) Cleaned {
	// 1–3: clean lines, mark furniture and footers.
	ls := make([]srcLine, 0, len(raw))
	n := 0
	for _, l := range raw {
		if l.Text == "" {
			ls = append(ls, srcLine{})
			continue
		}
		n++
		sl := srcLine{Line: Line{Text: cleanLine(l.Text), Level: l.Level, indent: indented(l.Text)}, raw: l.Text, n: n}
		switch {
		case sl.Text == "":
			sl.rule = RuleBlank
		case l.Furniture != "":
			sl.rule = l.Furniture
		}
		ls = append(ls, sl)
	}
	hasBlank := markFurniture(ls)

	var out Cleaned
	var lines []Line
	numberedNext := map[int]bool{} // index in lines of a line after a lone number
	pendingNumber := false
	for _, l := range ls {
		switch {
		case l.n == 0 || l.rule == RuleBlank:
			// A blank line, kept as a mark (a line of invisible
			// characters separates paragraphs as well).
			if l.n > 0 {
				out.Dropped = append(out.Dropped, DroppedLine{Line: l.n, Rule: l.rule, Text: l.raw})
			}
			lines = append(lines, Line{})
			continue
		case l.rule != "":
			out.Dropped = append(out.Dropped, DroppedLine{Line: l.n, Rule: l.rule, Text: l.Text})
			// A bare number, page or section number: a section number
			// announces a heading.
			pendingNumber = pendingNumber || l.rule == RuleLoneNumber
			continue
		}
		if pendingNumber {
			numberedNext[len(lines)] = true
			pendingNumber = false
		}
		lines = append(lines, l.Line)
	}

	// 4a: blocks of consecutive non-blank lines (a text without blank
	// lines has one line per block); in wrapped text (PDF), a full line
	// is continued by the next one.
	wrap := wrapWidth(lines)
	hasIndent := countIndented(lines)*20 >= len(lines)
	var paras []para
	var cur *para
	var last Line // the last line added to cur
	prevBlank := true
	for i, l := range lines {
		if l.Text == "" {
			prevBlank = true
			continue
		}
		blankBefore := prevBlank
		startsBlock := prevBlank || !hasBlank
		prevBlank = false
		if wrap > 0 {
			// Wrapped text: the line width, not blank lines, tells
			// where paragraphs end.
			if cur != nil && cur.level == 0 && l.Level == 0 && wrapContinues(last, l, wrap, hasIndent, blankBefore) {
				cur.text = joinText(cur.text, l.Text)
				cur.heading = false
				last = l
				continue
			}
			startsBlock = true
		}
		last = l
		h := l.Level > 0 || numberedNext[i] || looksLikeHeading(l.Text)
		if cur != nil && !startsBlock && (!cur.heading || cur.byShape()) && l.Level == 0 && cur.level == 0 {
			// Inside a block: lines of one paragraph. A heading by its
			// shape alone does not share a block with text: where blank
			// lines separate paragraphs, a heading has its own.
			cur.text = joinText(cur.text, l.Text)
			cur.heading = false
			continue
		}
		if cur != nil && !startsBlock && cur.heading && continuesLine(l.Text) {
			cur.text = joinText(cur.text, l.Text)
			cur.heading = looksLikeHeading(cur.text)
			continue
		}
		if cur != nil && cur.heading && !startsBlock && isLeadIn(cur.text) {
			// 二是 / 一、 on its own line, then its text.
			cur.text = joinText(cur.text, l.Text)
			cur.heading = h
			continue
		}
		paras = append(paras, para{text: l.Text, level: l.Level, heading: h, numbered: numberedNext[i]})
		cur = &paras[len(paras)-1]
	}
	// 4b: re-join sentences broken across blocks.
	var joined []para
	for _, p := range paras {
		if n := len(joined); n > 0 && continues(joined[n-1], p) {
			// A heading cut at an opener (三、关于《 + 规划纲要》的说明)
			// stays one if the whole looks like one.
			j := &joined[n-1]
			j.text = joinText(j.text, p.text)
			j.heading = j.heading && looksLikeHeading(j.text)
			continue
		}
		joined = append(joined, p)
	}
	out.Paragraphs = sections(joined)
	return out
}

// wrapWidth returns the width in characters of a text whose paragraphs
// are wrapped into lines (PDF text: many lines of about the same, full
// width), or 0 when lines are paragraphs.
func wrapWidth(lines []Line) int {
	var ls []int
	for _, l := range lines {
		if l.Text != "" {
			ls = append(ls, utf8.RuneCountInString(l.Text))
		}
	}
	if len(ls) < 10 {
		return 0
	}
	sort.Ints(ls)
	w := ls[len(ls)*9/10]
	if w < 10 || w > 150 {
		return 0
	}
	full := 0
	for _, n := range ls {
		if n*5 >= w*4 && n <= w+3 {
			full++
		}
	}
	if full*10 < len(ls)*3 {
		return 0
	}
	return w
}

func countIndented(lines []Line) int {
	n := 0
	for _, l := range lines {
		if l.indent {
			n++
		}
	}
	return n
}

// wrapContinues reports whether line b continues the paragraph whose
// last line is a, in wrapped text: a is a full line and b does not start
// a new paragraph (by its indent where the text indents paragraphs, else
// because a ends without final punctuation) or a heading.
func wrapContinues(a, b Line, wrap int, hasIndent, blankBetween bool) bool {
	if headingStart(b.Text) || utf8.RuneCountInString(a.Text)*5 < wrap*4 {
		return continuesLine(b.Text)
	}
	if hasIndent {
		return !b.indent && !(blankBetween && endsWithAny(a.Text, terminators))
	}
	return !endsWithAny(a.Text, terminators)
}

// isLeadIn reports a short run-in label that the next line completes:
// 一、 二是 第一， （三）.
func isLeadIn(s string) bool {
	return utf8.RuneCountInString(s) <= 4 && (strings.HasSuffix(s, "、") || strings.HasSuffix(s, "是") ||
		strings.HasSuffix(s, "，") || strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")"))
}

// continues reports whether paragraph b continues the sentence a was cut
// in.
func continues(a, b para) bool {
	if a.level > 0 || b.level > 0 {
		return false
	}
	if continuesLine(b.text) {
		return true
	}
	if endsWithAny(a.text, terminators) || headingStart(b.text) {
		return false
	}
	if endsWithAny(a.text, openers) {
		return true
	}
	// A long line that stops without punctuation was cut at a line or
	// page end; a heading is short.
	if utf8.RuneCountInString(a.text) >= 40 {
		return strings.ContainsAny(a.text, "，。；、,")
	}
	// A short one that is not a heading and has begun a sentence (a
	// clause mark after its last sentence end: 2023年，是全面贯彻落实) is
	// continued by the next paragraph unless that is a heading.
	last := a.text[strings.LastIndexAny(a.text, sentenceEnds)+1:]
	return !a.heading && !b.heading && numberedRank(a.text) == 0 && strings.ContainsAny(last, "，、,")
}

// continuesLine reports a line that cannot start a sentence: it starts
// with punctuation that continues one, or with the particle 的 (not 的确).
func continuesLine(s string) bool {
	return startsWithAny(s, continuations) || strings.HasPrefix(s, "的") && !strings.HasPrefix(s, "的确")
}

func startsWithAny(s, set string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune(set, r)
}

func endsWithAny(s, set string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(set, r)
}

// joinText joins two pieces of one paragraph: directly (Chinese text has
// no spaces; PM + 2.5 is PM2.5), with a space only between two Latin
// letters (an English word wrapped at a line end).
func joinText(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if isLatin(ra) && isLatin(rb) {
		return a + " " + b
	}
	return a + b
}

func isLatin(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }
