package indexer

import (
	"regexp"
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
//  2. Page furniture is dropped: page numbers, lone section numbers (kept
//     as a hint that the next line is a heading), web widgets (下载 打印
//     【字号：大 中 小】 分享到 …), breadcrumbs, source/time lines.
//  3. Footers are cut: from a footer marker (相关报道：, 本作品…公有领域,
//     打印本页, 版权所有 …) in the last part of the text to the end.
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

var (
	pageNumberRe  = regexp.MustCompile(`^(?:[-—–－·•\s]*[0-9０-９]{1,4}[-—–－·•\s]*|第\s*[0-9０-９一二三四五六七八九十百]+\s*页(?:\s*[/／,，]?\s*共\s*[0-9０-９]+\s*页)?|[0-9]{1,4}\s*[/／]\s*[0-9]{1,4}|[Pp]age\s*[0-9]+(?:\s*of\s*[0-9]+)?)$`)
	loneNumeralRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}、?|[（(][一二三四五六七八九十0-9]{1,3}[)）]|[0-9]{1,2}[.．、]?)$`)
	breadcrumbRe  = regexp.MustCompile(`^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]|^首页\s*(?:[>＞»›/]|$)`)
	// crumbChainRe is tried only on lines with a breadcrumb separator:
	// unanchored, it is the costliest test of a body line.
	crumbChainRe   = regexp.MustCompile(`(?:\S+\s*[>＞»›]\s*){2,}\S*$`)
	metaLineRe     = regexp.MustCompile(`^(?:来源|来源于|信息来源|稿源|时间|发布时间|发布日期|更新时间|日期|作者|撰稿|编辑|责任编辑|审核|校对|浏览次数|点击数|阅读数|访问量|字号|字体)\s*[:：]`)
	dateOnlyRe     = regexp.MustCompile(`^\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?(?:\s*\d{1,2}[:时]\d{1,2}分?(?::\d{1,2}|\d{1,2}秒)?)?$`)
	hexIDRe        = regexp.MustCompile(`^[0-9a-f]{24,40}:?$`)
	footerMarkerRe = regexp.MustCompile(`^(?:相关报道|相关新闻|相关链接|相关阅读|相关文档|相关附件|相关文章|延伸阅读|推荐阅读|责任编辑|打印本页|关闭窗口|【关闭窗口】|返回顶部|扫一扫|版权所有|Copyright|©|主办单位|网站地图|[本这這]部?作品(?:是|来自|來自|在|已)|Public domain|Retrieved from)`)
	labelOnlyRe    = regexp.MustCompile(`^(?:来源|来源于|信息来源|稿源|时间|发布时间|作者|编辑|责任编辑|当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[:：]$`)
)

// widgetWords are the words of web-page widgets (print, share, font size);
// a short line made only of them (and brackets/punctuation) is dropped.
var widgetWords = []string{
	"下载", "打印", "全屏", "收藏", "字号", "字体", "加大", "还原", "减小", "放大", "缩小", "默认", "大", "中", "小",
	"分享到", "分享", "微信", "微博", "朋友圈", "QQ空间", "QQ", "关闭", "关闭窗口", "打印本页", "返回顶部", "返回",
	"扫一扫", "手机版", "复制链接", "×", "纠错", "我要纠错", "视力保护色", "无障碍", "首页", "上一篇", "下一篇",
}

func isWidgetLine(s string) bool {
	if utf8.RuneCountInString(s) > 24 {
		return false
	}
	rest := s
	for _, sep := range []string{"【", "】", "[", "]", "：", ":", "|", "｜", "/", "、", " ", "　", ">", "＞", "»", "›"} {
		rest = strings.ReplaceAll(rest, sep, " ")
	}
	words := strings.Fields(rest)
	if len(words) == 0 {
		return strings.TrimSpace(rest) == "" && s != ""
	}
	for _, w := range words {
		ok := false
		for _, ww := range widgetWords {
			if w == ww {
				ok = true
				break
			}
		}
		if !ok {
			// A run of widget words without separators: 下载打印全屏.
			left := w
			for left != "" {
				matched := false
				for _, ww := range widgetWords {
					if utf8.RuneCountInString(ww) > 1 && strings.HasPrefix(left, ww) {
						left, matched = left[len(ww):], true
						break
					}
				}
				if !matched {
					return false
				}
			}
		}
	}
	return true
}

// metaWords mark a short line as a page's byline ("2024-03-05 18:00
// 来源：新华社", "发布时间：… 浏览次数：…").
var metaWords = []string{"来源：", "来源:", "发布时间", "发布日期", "浏览次数", "点击数", "责任编辑", "【字号", "【字体"}

// furniture reports lines that are not report text.
//
// Every line of every file passes here, and Go's backtracking matcher costs
// time in proportion to the line even when a pattern fails at its first
// character, so each pattern is tried only on lines that could match it:
// page numbers, dates and ids are short; bylines and "当前位置：" have their
// colon near the start.
func furniture(s string) bool {
	short := len(s) <= 160
	first, _ := utf8.DecodeRuneInString(s)
	// Page numbers, dates and ids start with a digit, a dash, a dot, a
	// space, 第 or Page.
	numeric := first < utf8.RuneSelf || strings.ContainsRune("—–－·•　０１２３４５６７８９第", first)
	colon := strings.ContainsAny(s[:min(len(s), 48)], ":：")
	if short && numeric && (pageNumberRe.MatchString(s) || dateOnlyRe.MatchString(s) || hexIDRe.MatchString(s)) ||
		short && isWidgetLine(s) ||
		(colon || strings.HasPrefix(s, "首页")) && breadcrumbRe.MatchString(s) ||
		colon && metaLineRe.MatchString(s) ||
		strings.ContainsAny(s, ">＞»›") && crumbChainRe.MatchString(s) {
		return true
	}
	if utf8.RuneCountInString(s) <= 40 {
		for _, w := range metaWords {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

// cutFooter returns the index of the first footer line, looking only in
// the last 40% of the lines (and never before line 5), or len(lines).
func cutFooter(lines []Line) int {
	start := max(5, len(lines)*6/10)
	for i := start; i < len(lines); i++ {
		if footerMarkerRe.MatchString(lines[i].Text) {
			return i
		}
	}
	return len(lines)
}

// para is a paragraph being assembled.
type para struct {
	text    string
	level   int  // heading level from the format, 0 if none
	heading bool // recognised as a heading
}

// CleanParagraphs turns extracted lines into clean paragraphs with
// headings and section paths.
func CleanParagraphs(raw []Line) []search.Paragraph {
	// 1–2: clean lines, drop furniture; blank lines are kept as markers.
	var lines []Line
	hasBlank := false
	numberedNext := map[int]bool{} // index in lines of a line after a lone number
	pendingNumber := false
	// dropShort: after a label without its value (来源: / 您的位置:), the
	// value follows on short lines of its own (四川日报; 首页 > 要闻).
	dropShort := 0
	for _, l := range raw {
		t := cleanLine(l.Text)
		if t == "" {
			hasBlank = hasBlank || len(lines) > 0
			lines = append(lines, Line{})
			continue
		}
		if labelOnlyRe.MatchString(t) {
			dropShort = 1
			if !strings.HasPrefix(t, "来") && !strings.HasPrefix(t, "信") && !strings.HasPrefix(t, "稿") && !strings.HasPrefix(t, "时") && !strings.HasPrefix(t, "发") && !strings.HasPrefix(t, "作") && !strings.HasPrefix(t, "编") && !strings.HasPrefix(t, "责") {
				dropShort = 6 // a breadcrumb: several parts
			}
			continue
		}
		if dropShort > 0 {
			dropShort--
			limit := 12 // a value: 四川日报
			if dropShort > 0 {
				limit = 8 // a breadcrumb part: 首页, 要闻, but not a title with a year
			}
			if utf8.RuneCountInString(t) <= limit && !strings.ContainsAny(t, "。，；！？0123456789") {
				continue
			}
			dropShort = 0
		}
		if loneNumeralRe.MatchString(t) && !strings.ContainsAny(t, "、（(") {
			// A bare number: a page number or a section number. Either
			// way not text, but a section number announces a heading.
			pendingNumber = true
			continue
		}
		if furniture(t) {
			continue
		}
		if pendingNumber {
			numberedNext[len(lines)] = true
			pendingNumber = false
		}
		lines = append(lines, Line{Text: t, Level: l.Level, indent: indented(l.Text)})
	}
	// 3: footers, then a byline left just before them (an editor's name).
	cut := cutFooter(lines)
	footer := cut < len(lines)
	lines = lines[:cut]
	for footer && len(lines) > 0 {
		t := lines[len(lines)-1].Text
		if t == "" || utf8.RuneCountInString(t) <= 6 && !strings.ContainsAny(t, "。！？!?") {
			lines = lines[:len(lines)-1]
			continue
		}
		break
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
		if cur != nil && !startsBlock && !cur.heading && l.Level == 0 && cur.level == 0 {
			// Inside a block: lines of one paragraph.
			cur.text = joinText(cur.text, l.Text)
			continue
		}
		if cur != nil && !startsBlock && cur.heading && startsWithAny(l.Text, continuations) {
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
		paras = append(paras, para{text: l.Text, level: l.Level, heading: h})
		cur = &paras[len(paras)-1]
	}
	// 4b: re-join sentences broken across blocks.
	var joined []para
	for _, p := range paras {
		if n := len(joined); n > 0 && continues(joined[n-1], p) {
			joined[n-1].text = joinText(joined[n-1].text, p.text)
			joined[n-1].heading = false
			continue
		}
		joined = append(joined, p)
	}
	return sections(joined)
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
	if w < 15 || w > 150 {
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
		return startsWithAny(b.Text, continuations)
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
	if startsWithAny(b.text, continuations) {
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
	return utf8.RuneCountInString(a.text) >= 40 && strings.ContainsAny(a.text, "，。；、,")
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
