package indexer

import (
	"fmt"
	"os"
	"path/filepath"
	"reportsearch/internal/golden"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"reportsearch/indexer/extract"
	"reportsearch/internal/corpusdir"
	"reportsearch/internal/fixtures"
)

// cleanedDoc is one input of the invariant tests, extracted and cleaned.
type cleanedDoc struct {
	name string
	doc  *extract.Document
	c    Cleaned
}

func cleanBytes(t testing.TB, name string, data []byte) cleanedDoc {
	t.Helper()
	doc, err := extract.Extract(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cleanedDoc{name, doc, Clean(docLines(doc))}
}

// corpusFiles returns the shared corpus's reports by their relative path.
func corpusFiles(t testing.TB) map[string][]byte {
	t.Helper()
	dir := corpusdir.Dir(t)
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".txt") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 90 {
		t.Fatalf("only %d corpus files in %s", len(files), dir)
	}
	return files
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fixtureBody is a report in the shapes the fixtures build: title,
// furniture, headings, body, a footer, a sentence after the footer.
var fixtureBody = []string{
	"2026年河北省政府工作报告",
	"一、2025年工作回顾",
	"过去一年，全省经济运行稳中向好，地区生产总值增长5.4%，城市更新行动扎实推进。",
	"本报告中出现的代码片段<script>alert(\"…\")</script>应当按原样显示为文字。",
	"PM2.5浓度>35微克的天数>10天",
	"（一）网格化治理成效明显。全面推行网格化治理，基层治理能力持续提升。",
	"二、2026年重点任务",
	"坚持以人民为中心，持续保障和改善民生，推动高质量发展取得新成效。",
}

// fixtureDocs are the invariant tests' inputs built with internal/fixtures:
// the same report as GBK and UTF-16 text, a web page, a docx, Markdown, and
// a PDF when pdftotext is installed.
func fixtureDocs(t *testing.T) []cleanedDoc {
	text := "下载 打印\n首页 > 新闻中心 > 要闻\n来源：河北日报\n" + strings.Join(fixtureBody, "\n") +
		"\n相关报道：\n河北省两会开幕\n测试追加段落，这是第二版本的附加内容。\n"
	var b strings.Builder
	for i, p := range fixtureBody {
		if i == 1 || i == 6 {
			b.WriteString("<h2>" + p + "</h2>")
		} else {
			b.WriteString("<p>" + strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(p) + "</p>")
		}
	}
	page := `<html><head><meta charset="gbk"><title>` + fixtureBody[0] + `</title></head><body>` +
		`<div class="crumb">当前位置：首页 &gt; 要闻</div><div class="TRS_Editor">` + b.String() +
		`</div><div class="footer">版权所有：河北省人民政府办公厅</div></body></html>`
	body := fixtures.DOCXPara("", fixtureBody[0])
	for _, p := range fixtureBody[1:] {
		body += fixtures.DOCXPara("", strings.NewReplacer("<", "&lt;", ">", "&gt;", "\"", "&quot;").Replace(p))
	}
	md := "# " + fixtureBody[0] + "\n\n" + strings.Join(fixtureBody[1:], "\n\n") + "\n"
	docs := []cleanedDoc{
		cleanBytes(t, "fixture/gbk.txt", fixtures.GBK(t, text)),
		cleanBytes(t, "fixture/utf16le.txt", fixtures.UTF16LE(t, text)),
		cleanBytes(t, "fixture/utf16be.txt", fixtures.UTF16BE(t, text)),
		cleanBytes(t, "fixture/page.html", fixtures.GBK(t, page)),
		cleanBytes(t, "fixture/report.docx", fixtures.DOCX(t, body, "", fixtureBody[0])),
		cleanBytes(t, "fixture/notes.md", []byte(md)),
	}
	if _, err := extract.Extract("x.pdf", fixtures.PDF("Government Work Report 2026")); err == nil {
		docs = append(docs, cleanBytes(t, "fixture/ascii.pdf", fixtures.PDF("Government Work Report 2026", "1", "GDP grew by 5.4 percent in 2025.")))
	}
	return docs
}

// allDocs is the shared corpus and the fixtures, cleaned.
func allDocs(t *testing.T) []cleanedDoc {
	files := corpusFiles(t)
	var docs []cleanedDoc
	for _, name := range sortedKeys(files) {
		docs = append(docs, cleanBytes(t, name, files[name]))
	}
	return append(docs, fixtureDocs(t)...)
}

// TestCleanConservation: every extracted line with at least four Han
// characters is in some paragraph (lines are joined, never cut) or is
// listed as dropped with its rule; and the list of dropped lines tells the
// truth (each entry is the line it names).
func TestCleanConservation(t *testing.T) {
	for _, d := range allDocs(t) {
		var all strings.Builder
		for _, p := range d.c.Paragraphs {
			all.WriteString(p.Text)
			all.WriteByte('\n')
		}
		text := all.String()
		dropped := map[int]DroppedLine{}
		for _, dl := range d.c.Dropped {
			if _, dup := dropped[dl.Line]; dup {
				t.Errorf("%s: line %d dropped twice", d.name, dl.Line)
			}
			dropped[dl.Line] = dl
		}
		for i, b := range d.doc.Blocks {
			line := cleanLine(b.Text)
			if dl, ok := dropped[i+1]; ok {
				if dl.Rule == "" || dl.Rule == RuleBlank && dl.Text != b.Text || dl.Rule != RuleBlank && dl.Text != line {
					t.Errorf("%s: line %d is %q, dropped as %+v", d.name, i+1, line, dl)
				}
				continue
			}
			if hanCount(line) >= 4 && !strings.Contains(text, line) {
				t.Errorf("%s: line %d %q is in no paragraph and not listed as dropped", d.name, i+1, line)
			}
		}
	}
}

// TestDroppedLinesAreNotSentences: a rule that is not about a footer made
// of sentences never drops a line with sentence punctuation (a colon only
// after a label: 来源：…); a repeated line's text is in the paragraphs.
func TestDroppedLinesAreNotSentences(t *testing.T) {
	for _, d := range allDocs(t) {
		for _, dl := range d.c.Dropped {
			if dl.Rule == RuleRepeated {
				var all strings.Builder
				for _, p := range d.c.Paragraphs {
					all.WriteString(p.Text)
				}
				if !strings.Contains(all.String(), dl.Text) {
					t.Errorf("%s: line %d %q dropped as repeated is not in the paragraphs", d.name, dl.Line, dl.Text)
				}
			}
			if ruleAllowsSentences(dl.Rule) {
				continue
			}
			s := dl.Text
			if i := strings.IndexAny(s, ":："); i >= 0 && utf8.RuneCountInString(s[:i]) <= 8 {
				s = s[:i] + s[i+utf8.RuneLen([]rune(s[i:])[0]):]
			}
			if strings.ContainsAny(s, "，。；：！？") {
				t.Errorf("%s: line %d %q with sentence punctuation dropped as %s", d.name, dl.Line, dl.Text, dl.Rule)
			}
		}
	}
}

// TestDroppedGolden keeps every line the cleaning drops from the corpus in
// one file, to be read: no body sentence belongs in it.
func TestDroppedGolden(t *testing.T) {
	files := corpusFiles(t)
	counts := map[string]int{}
	var b strings.Builder
	for _, name := range sortedKeys(files) {
		d := cleanBytes(t, name, files[name])
		if len(d.c.Dropped) == 0 {
			continue
		}
		fmt.Fprintf(&b, "== %s\n", name)
		for _, dl := range d.c.Dropped {
			counts[dl.Rule]++
			text := dl.Text
			if dl.Rule == RuleBlank {
				text = strconv.QuoteToASCII(text) // invisible characters
			}
			fmt.Fprintf(&b, "%5d %-15s ¦ %s\n", dl.Line, dl.Rule, text)
		}
	}
	var head strings.Builder
	head.WriteString("# Lines dropped from ../shared/corpus by the cleaning, by rule; regenerate with\n# go test ./indexer -run TestDroppedGolden -update\n")
	for _, rule := range sortedCountKeys(counts) {
		fmt.Fprintf(&head, "# %-15s %d\n", rule, counts[rule])
	}
	got := head.String() + b.String()
	golden.Check(t, filepath.Join("testdata", "clean", "dropped.golden"), []byte(got), "the dropped lines")
}

func sortedCountKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cleanText cleans a plain-text report.
func cleanText(t *testing.T, text string) Cleaned {
	t.Helper()
	return cleanBytes(t, "report.txt", []byte(text)).c
}

func paragraphTexts(c Cleaned) []string {
	var out []string
	for _, p := range c.Paragraphs {
		out = append(out, p.Text)
	}
	return out
}

// inParagraph reports whether s is in one paragraph of c.
func inParagraph(c Cleaned, s string) bool {
	for _, p := range c.Paragraphs {
		if strings.Contains(p.Text, s) {
			return true
		}
	}
	return false
}

// droppedAs returns the rule that dropped line s, or "".
func droppedAs(c Cleaned, s string) string {
	for _, d := range c.Dropped {
		if d.Text == s {
			return d.Rule
		}
	}
	return ""
}

// The lines of furniture a scraped page has before and after its report.
const (
	pageTop    = "下载\n打印\n【字号：\n加大\n还原\n减小\n】\n来源：河北日报\n时间：2026-02-09\n"
	reportHead = "2026年河北省政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作，请予审议。\n"
	reportBody = "过去一年，全省经济运行稳中向好，地区生产总值增长5.4%。\n" +
		"（一）网格化治理成效明显。全面推行网格化治理，基层治理能力持续提升。\n" +
		"坚持以人民为中心，持续保障和改善民生，推动高质量发展取得新成效。\n"
)

// TestCleanKeepsBodyLines: a line that is body text is kept wherever it
// is, whatever characters it holds; furniture of the same form is dropped
// only at the top or bottom of the text.
func TestCleanKeepsBodyLines(t *testing.T) {
	tests := []struct {
		name, text string
		kept       []string          // lines found in a paragraph
		dropped    map[string]string // line → rule
	}{
		{"markup in a sentence, third line of a .txt",
			"2026年某市政府工作报告\n各位代表：\n本报告中出现的代码片段<script>alert(\"…\")</script>应当按原样显示为文字。\n过去一年，全市经济运行稳中向好。\n",
			[]string{`本报告中出现的代码片段<script>alert("…")</script>应当按原样显示为文字。`}, nil},
		{"comparisons in a sentence",
			reportHead + "全年PM2.5浓度>35微克的天数>10天的城市减少了一半。\n" + reportBody,
			[]string{"全年PM2.5浓度>35微克的天数>10天的城市减少了一半。"}, nil},
		{"comparisons without punctuation, in the body",
			reportHead + "PM2.5浓度>35微克的天数>10天\n" + reportBody,
			[]string{"PM2.5浓度>35微克的天数>10天"}, nil},
		{"comparisons without punctuation, at the top",
			"PM2.5浓度>35微克的天数>10天\n" + reportHead + reportBody,
			[]string{"PM2.5浓度>35微克的天数>10天"}, nil},
		{"markup without punctuation, at the top",
			"2026年河北省政府工作报告\n<b>重点</b> > <i>任务</i> > 2026\n" + reportHead + reportBody,
			[]string{"<b>重点</b> > <i>任务</i> > 2026"}, nil},
		{"a trail between two sentences is text",
			reportHead + "首页 > 新闻中心 > 要闻\n" + reportBody,
			[]string{"首页 > 新闻中心 > 要闻"}, nil},
		{"a trail at the top",
			"首页 > 新闻中心 > 要闻\n" + reportHead + reportBody,
			nil, map[string]string{"首页 > 新闻中心 > 要闻": RuleBreadcrumb}},
		{"a chain of names at the top",
			"政务公开 » 工作报告 » 正文\n" + reportHead + reportBody,
			nil, map[string]string{"政务公开 » 工作报告 » 正文": RuleBreadcrumb}},
		{"widgets and bylines at the top, a widget word in the body",
			pageTop + reportHead + "大\n" + reportBody,
			[]string{"大"}, map[string]string{"下载": RuleWidget, "【字号：": RuleWidget, "来源：河北日报": RuleSourceLine, "时间：2026-02-09": RuleSourceLine}},
		{"a work, not a licence, near the end",
			reportHead + reportBody + reportBody + "本作品是我市首部反映脱贫攻坚的电视剧\n" + reportBody,
			[]string{"本作品是我市首部反映脱贫攻坚的电视剧"}, nil},
		{"a source note in the body",
			reportHead + "来源：国家统计局\n" + reportBody,
			[]string{"来源：国家统计局"}, nil},
		{"a byline with a sentence at the top",
			"来源：新华社，记者张三报道。\n" + reportHead + reportBody,
			[]string{"来源：新华社，记者张三报道。"}, nil},
		{"a date closing a speech",
			reportHead + reportBody + "2026年1月14日\n",
			nil, map[string]string{"2026年1月14日": RuleDateLine}},
		{"a wiki subscript and a footnote reference",
			"稳健的货币政策要松紧适度。\n\n广义货币M\n2\n预期增长12%左右。\n\n今年我们从共产国际得到的约有一万五千\n[\n2\n]\n，其中一千六百用在这次代表会议上。\n\n“\n十三五\n”实现了良好开局。\n",
			[]string{"广义货币M2预期增长12%左右。", "约有一万五千，其中一千六百", "“十三五”实现了良好开局。"},
			map[string]string{"[": RuleFootnoteRef, "]": RuleFootnoteRef}},
		{"section numbers on lines of their own",
			"\n凝心聚力开创政协工作新局面\n\n3\n\n真情为民谋福祉，履职奉献促和谐\n\n2022年，是十五届区政协履职的开局之年。\n",
			[]string{"真情为民谋福祉，履职奉献促和谐"}, map[string]string{"3": RuleLoneNumber}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cleanText(t, tt.text)
			for _, s := range tt.kept {
				if !inParagraph(c, s) {
					t.Errorf("%q not in a paragraph: %q (dropped %v)", s, paragraphTexts(c), c.Dropped)
				}
			}
			for s, rule := range tt.dropped {
				if got := droppedAs(c, s); got != rule {
					t.Errorf("%q dropped as %q, want %q (paragraphs %q)", s, got, rule, paragraphTexts(c))
				}
			}
		})
	}
}

// TestFooters: a footer is dropped with its rule up to the first sentence
// after it, which is kept.
func TestFooters(t *testing.T) {
	const after = "测试追加段落，这是第二版本的附加内容。"
	tests := []struct {
		name, footer string
		rule         string
	}{
		{"related links", "相关报道：\n", RuleRelatedLinks},
		{"related link titles", "相关新闻\n河北省两会开幕\n2026-02-09\n解读政府工作报告：在服务大局中担难担重前行\n", RuleRelatedLinks},
		{"related links with ids", "相关链接>>\nabcd39f1fb7f426d9dfb6bd0fa1f2146:\n四川干部群众热议政府工作报告 以奋勇争先之姿，乘势而为\n打印本页\n关闭窗口\n", RuleRelatedLinks},
		{"site licence", "版权所有：河北省人民政府办公厅\n冀ICP备05003245号\n", RuleLicenceFooter},
		{"wiki licence", "\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议，及其官方正式译文。根据《\n中华人民共和国著作权法\n》第五条第一项，本作品不适用于该法，属于\n公有领域\n。\n\n注：中文维基文库社群认为，中华人民共和国公务演讲，不总是具有立法性质的文件。\n\nPublic domain\nPublic domain\nfalse\nfalse\n", RuleLicenceFooter},
	}
	body := reportHead + strings.Repeat(reportBody, 3)
	for _, tt := range tests {
		for _, sep := range []string{"\n", "\n\n"} {
			t.Run(tt.name+fmt.Sprintf("/%q", sep), func(t *testing.T) {
				footerLines := strings.Split(strings.TrimSpace(tt.footer), "\n")
				base := cleanText(t, body+tt.footer)
				c := cleanText(t, body+tt.footer+sep+after+"\n")
				if !inParagraph(c, after) {
					t.Fatalf("the sentence after the footer is lost: %q", paragraphTexts(c))
				}
				if len(c.Paragraphs) != len(base.Paragraphs)+1 {
					t.Errorf("%d paragraphs, want %d", len(c.Paragraphs), len(base.Paragraphs)+1)
				}
				if rule := droppedAs(c, footerLines[0]); rule != tt.rule {
					t.Errorf("footer %q dropped as %q, want %q", footerLines[0], rule, tt.rule)
				}
				for _, l := range footerLines {
					if l != "" && inParagraph(c, l) && !strings.Contains(body, l) {
						t.Errorf("footer line %q kept", l)
					}
				}
			})
		}
	}
}

// TestFooterThenBody: on every corpus report, a sentence appended after
// the end (after its footer, if it has one) is indexed, and the report's
// paragraphs stay as they were: the count only grows.
func TestFooterThenBody(t *testing.T) {
	const after = "测试追加段落，这是第二版本的附加内容。"
	files := corpusFiles(t)
	for _, name := range sortedKeys(files) {
		for _, sep := range []string{"\n\n", "\n"} {
			base := cleanBytes(t, name, files[name]).c
			c := cleanBytes(t, name, append(append([]byte{}, files[name]...), sep+after+"\n"...)).c
			if !inParagraph(c, after) {
				t.Errorf("%s + %q: the appended sentence is lost", name, sep)
				continue
			}
			if len(c.Paragraphs) < len(base.Paragraphs) {
				t.Errorf("%s + %q: %d paragraphs, %d before", name, sep, len(c.Paragraphs), len(base.Paragraphs))
				continue
			}
			for i, p := range base.Paragraphs[:len(base.Paragraphs)-1] {
				if c.Paragraphs[i].Text != p.Text {
					t.Errorf("%s + %q: paragraph %d changed:\n%s\n%s", name, sep, i+1, p.Text, c.Paragraphs[i].Text)
					break
				}
			}
		}
	}
}

// TestBrokenSentenceJoined: a sentence broken by a page break after a
// comma is one paragraph, not a heading and its text.
func TestBrokenSentenceJoined(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusdir.Dir(t), "district", "2022_芝罘区政协_常委会工作报告.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := cleanBytes(t, "district.txt", data).c
	if !inParagraph(c, "全面贯彻落实中共二十大精神") {
		t.Error("全面贯彻落实中共二十大精神 is in no paragraph")
	}
	for _, p := range c.Paragraphs {
		if p.Heading && strings.HasPrefix(p.Text, "2023年") {
			t.Errorf("heading %q", p.Text)
		}
	}
	// The same shape in a made-up text; real headings with commas stay.
	c = cleanText(t, "一、工作回顾\n\n坚持强化政治引领，在筑牢思想根基中坚守政协初心\n\n始终坚持把学习贯彻新思想作为首要政治任务。\n\n2027年，是深入推进\n\n改革发展的关键之年，任务艰巨。\n")
	want := []string{"一、工作回顾", "坚持强化政治引领，在筑牢思想根基中坚守政协初心", "始终坚持把学习贯彻新思想作为首要政治任务。", "2027年，是深入推进改革发展的关键之年，任务艰巨。"}
	if got := paragraphTexts(c); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !c.Paragraphs[1].Heading || c.Paragraphs[3].Heading {
		t.Errorf("headings: %+v", c.Paragraphs)
	}
}
