// Package furniture is the one vocabulary of web-page furniture: the
// words and forms of widgets (print, share, font size), breadcrumbs,
// source and time labels (来源：, 时间：), previous/next links, related
// links, site footers and licence notices. Both places that drop
// furniture read it: the HTML extractor (indexer/extract/html.go, which
// drops short furniture blocks inside the article, where a block made of
// widget words is dropped only when one of them names a control) and the
// cleaner (indexer/furniture.go, which drops a line of these forms only
// at the top or bottom of a text or next to other furniture).
//
// Each list says what its words are; a predicate per form decides a line
// by its wording alone. Where a line stands is the caller's rule.
// testdata/vocabulary.golden shows every predicate on a set of lines.
package furniture

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// widgetWords are the words of widget lines: true for an anchor, a word
// that names a control by itself (打印, 分享到), false for one that only
// accompanies one (大 中 小 of a font-size control; a table cell could be
// 大). Lower case: lines are compared lower-cased.
var widgetWords = map[string]bool{
	"下载": true, "打印": true, "打印本页": true, "打印此页": true, "打印文章": true, "全屏": true,
	"收藏": true, "字号": true, "字体": true, "关闭": true, "关闭窗口": true, "关闭本页": true,
	"分享": true, "分享到": true, "微信": true, "微博": true, "朋友圈": true, "qq空间": true, "qq": true,
	"返回顶部": true, "扫一扫": true, "手机版": true, "复制链接": true, "纠错": true, "我要纠错": true,
	"视力保护色": true, "无障碍": true, "首页": true, "上一篇": true, "下一篇": true, "上一条": true, "下一条": true,
	"大": false, "中": false, "小": false, "大中小": false, "默认": false, "超大": false, "本页": false,
	"t": false, "加大": false, "还原": false, "减小": false, "放大": false, "缩小": false, "返回": false,
}

// widgetMarks are the characters a widget line may be made of besides
// its words (a line of them alone is a widget without an anchor: the
// "】" or "|" left on its own line by a font-size control).
const widgetMarks = "【】[]：:|｜/、>＞»›× 　"

// MaxWidgetRunes bounds a widget line, in characters.
const MaxWidgetRunes = 40

// Widget reports whether s is a widget line: at most MaxWidgetRunes
// characters made only of widget words (separated by anything that is not
// a letter or a digit, or run together as in 下载打印全屏) or only of
// widget marks; anchored when one of its words is an anchor.
func Widget(s string) (widget, anchored bool) {
	if s == "" || utf8.RuneCountInString(s) > MaxWidgetRunes {
		return false, false
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return strings.Trim(s, widgetMarks) == "", false
	}
	for _, w := range words {
		if a, ok := widgetWords[w]; ok {
			anchored = anchored || a
			continue
		}
		// A run of widget words without separators: 下载打印全屏 (words
		// of one character are not split off: 大会 is not 大 + 会).
		for w != "" {
			n := runPrefix(w)
			if n == 0 {
				return false, false
			}
			anchored = anchored || widgetWords[w[:n]]
			w = w[n:]
		}
	}
	return true, anchored
}

// runPrefix is the length of the longest widget word of two characters
// or more that w starts with, 0 if none.
func runPrefix(w string) int {
	best := 0
	for ww := range widgetWords {
		if len(ww) > best && utf8.RuneCountInString(ww) > 1 && strings.HasPrefix(w, ww) {
			best = len(ww)
		}
	}
	return best
}

// Labels, joined into the patterns below.
var (
	// breadcrumbLabels open a breadcrumb trail (当前位置：首页 > 要闻);
	// the prefixes before 位置 are optional.
	breadcrumbLabel = `(?:(?:(?:您|你)(?:现在|当前|目前)?(?:所在)?的?|当前(?:所在)?的?|现在(?:所在)?的?|所在)?位置\s*(?:是\s*)?[:：])`
	// sourceLabels open a byline: where a page's text comes from, when
	// and by whom it was published, how often it was read.
	sourceLabels = []string{"来源", "来源于", "信息来源", "稿源", "时间", "发布时间", "发布日期", "更新时间", "日期",
		"作者", "撰稿", "编辑", "责任编辑", "审核", "校对", "浏览次数", "点击数", "阅读数", "访问量", "字号", "字体"}
	// valueLabels are the labels whose value may follow on lines of its
	// own (来源： then 新华社).
	valueLabels = []string{"来源", "来源于", "信息来源", "稿源", "时间", "发布时间", "作者", "编辑", "责任编辑",
		"当前位置", "您的位置", "你的位置", "您现在的位置", "所在位置"}
	// metaWords mark a short line as a byline anywhere in it ("2024-03-05
	// 18:00 来源：新华社", "发布时间：… 浏览次数：…").
	metaWords = []string{"来源：", "来源:", "发布时间", "发布日期", "浏览次数", "点击数", "责任编辑", "【字号", "【字体"}
	// prevNextWords open a link to the previous or next article.
	prevNextWords = []string{"上一篇", "下一篇", "上一条", "下一条"}
	// relatedWords open a list of related links at the end of a page.
	relatedWords = []string{"相关报道", "相关新闻", "相关链接", "相关阅读", "相关文档", "相关附件", "相关文章", "延伸阅读", "推荐阅读"}
	// widgetMarkerWords open the widget footer of a page.
	widgetMarkerWords = []string{"打印本页", "关闭窗口", "【关闭窗口】", "返回顶部", "扫一扫"}
	// siteFooterWords are a site's copyright and registration notices.
	siteFooterWords = []string{"版权所有", "ICP备", "ICP证", "公网安备", "(?i:copyright)"}
	// licenceWords mark a line about a licence or a site's ownership
	// (compared case-insensitively).
	licenceWords = []string{"著作权", "著作權", "版权", "版權", "公有领域", "公有領域", "维基", "維基", "wikisource", "wikipedia",
		"public domain", "copyright", "©", "知识共享", "creative commons",
		"icp备", "icp证", "公网安备", "网站标识码", "主办单位", "承办单位", "retrieved from"}
	// licenceMarker opens a licence footer; it may be a sentence
	// (本作品来自…。).
	licenceMarker = `^(?:版权所有|Copyright|©|[本这這]部?作品(?:是|来自|來自|在|已)|Public domain|Retrieved from)`
)

func alternation(words []string) string { return "(?:" + strings.Join(words, "|") + ")" }

var (
	breadcrumbRe    = regexp.MustCompile(`^\s*(?:` + breadcrumbLabel + `|首页\s*(?:[>»＞›→/]|$))`)
	sourceLineRe    = regexp.MustCompile(`^` + alternation(sourceLabels) + `\s*[:：]`)
	labelOnlyRe     = regexp.MustCompile(`^` + alternation(valueLabels) + `\s*[:：]$`)
	prevNextRe      = regexp.MustCompile(`^\s*[【\[]?\s*` + alternation(prevNextWords))
	relatedMarkerRe = regexp.MustCompile(`^` + alternation(relatedWords))
	widgetMarkerRe  = regexp.MustCompile(`^` + alternation(widgetMarkerWords))
	siteFooterRe    = regexp.MustCompile(alternation(siteFooterWords))
	licenceMarkerRe = regexp.MustCompile(licenceMarker)
	// inlineWidgetRe matches font-size and bracketed print/close controls
	// that share a line with real text (e.g. a date line).
	inlineWidgetRe = regexp.MustCompile(`[【\[]?\s*字号\s*[:：]\s*(?:[大中小]|默认|超大|\s|[|｜/])+[】\]]?|[【\[]\s*(?:打印|关闭|打印本页|打印此页|关闭窗口|收藏|分享)\s*[】\]]`)
)

// Breadcrumb reports a labelled breadcrumb trail (当前位置：…, 您现在的
// 位置是：…) or one from the home page (首页 > …, 首页 alone).
func Breadcrumb(s string) bool { return breadcrumbRe.MatchString(s) }

// CrumbChain reports a breadcrumb trail without a label: at least three
// short names separated by > ＞ » ›, none of the later ones starting with a
// digit or a sign (PM2.5浓度>35微克的天数>10天 compares numbers).
func CrumbChain(s string) bool {
	if !strings.ContainsAny(s, ">＞»›") || utf8.RuneCountInString(s) > 60 {
		return false
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(">＞»›", r) })
	if len(parts) < 3 {
		return false
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || utf8.RuneCountInString(p) > 12 {
			return false
		}
		if r, _ := utf8.DecodeRuneInString(p); i > 0 && (unicode.IsDigit(r) || strings.ContainsRune("+-=<>＋－＝%.", r)) {
			return false
		}
	}
	return true
}

// SourceLine reports a line opened by a source, time or byline label and
// its colon (来源：新华社, 发布时间：2024-03-05).
func SourceLine(s string) bool { return sourceLineRe.MatchString(s) }

// LabelOnly reports a bare label whose value follows on lines of its own
// (来源：).
func LabelOnly(s string) bool { return labelOnlyRe.MatchString(s) }

// HasMetaWord reports a byline word anywhere in s; callers look only at
// short lines.
func HasMetaWord(s string) bool {
	for _, w := range metaWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// PrevNext reports a link to the previous or next article (上一篇：…).
func PrevNext(s string) bool { return prevNextRe.MatchString(s) }

// SiteFooter reports a site's copyright or registration notice
// (版权所有, 京ICP备…).
func SiteFooter(s string) bool { return siteFooterRe.MatchString(s) }

// AboutLicence reports a line about a licence or a site's ownership.
func AboutLicence(s string) bool {
	l := strings.ToLower(s)
	for _, w := range licenceWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// RelatedMarker, WidgetMarker, BylineMarker and LicenceMarker report the
// line that opens a page's footer of that kind, at its start.
func RelatedMarker(s string) bool { return relatedMarkerRe.MatchString(s) }
func WidgetMarker(s string) bool  { return widgetMarkerRe.MatchString(s) }
func BylineMarker(s string) bool  { return strings.HasPrefix(s, "责任编辑") }
func LicenceMarker(s string) bool { return licenceMarkerRe.MatchString(s) }

// maxInlineWidgetLine is the longest line, in bytes, searched for inline
// widgets.
const maxInlineWidgetLine = 1000

// StripInlineWidgets removes font-size and bracketed print/close controls
// that share a line with real text (2024-03-05 【字号：大 中 小】 → the
// date). The pattern runs at a few MB/s, so it is tried only on short
// lines with 字号 or a bracket, as every match has.
func StripInlineWidgets(s string) string {
	if len(s) > maxInlineWidgetLine || !strings.Contains(s, "字号") && !strings.ContainsAny(s, "【[") {
		return s
	}
	return strings.Trim(inlineWidgetRe.ReplaceAllString(s, ""), " ")
}
