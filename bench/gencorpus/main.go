// Command gencorpus writes a deterministic synthetic corpus of Chinese
// reports for the benchmark (docs/benchmarks.md): the real sentences and
// headings of ../shared/corpus, recombined into reports with metadata.
//
//	go run ./bench/gencorpus -seed 1 -paragraphs 100000 -out /tmp/bench/corpus100k
//
// The output has the layout of the shared corpus, so that `reportsearch
// index` ingests it as it is:
//
//	<out>/<level>/<year>_<region>_<doctype>_<n>.txt   one report a file
//	<out>/manifest.csv                                 path,title,year,date,region,level,organization,doc_type,source_url
//
// A report is a title line, for government reports a dash subtitle, a
// salutation (各位代表：), then numbered sections (一、…), sub-sections
// ((一)…) and body paragraphs of 1–8 real sentences. Every paragraph is
// one line, with a blank line between paragraphs, and every body
// paragraph ends with sentence punctuation, so that the indexer's
// cleaning keeps one paragraph per line: the indexed paragraph count is
// the -paragraphs asked for (the command prints it with the byte count).
//
// The same -seed and -paragraphs give the same bytes on every machine
// (math/rand/v2's PCG is specified; the corpus files are read in sorted
// order). It uses only the standard library.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same corpus")
	paragraphs := flag.Int("paragraphs", 100000, "number of paragraphs (lines) to write in all")
	out := flag.String("out", "", "output folder (created; must be empty or absent)")
	corpus := flag.String("corpus", "", "folder of real reports to draw sentences from (default ../shared/corpus beside the module)")
	flag.Parse()
	if *out == "" || *paragraphs <= 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -seed N -paragraphs N -out DIR [-corpus DIR]")
		os.Exit(2)
	}
	if *corpus == "" {
		*corpus = defaultCorpus()
	}
	if err := run(*seed, *paragraphs, *out, *corpus); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// defaultCorpus finds ../shared/corpus beside the module root, as the
// tests do (internal/corpusdir), or $REPORTSEARCH_CORPUS.
func defaultCorpus() string {
	if d := os.Getenv("REPORTSEARCH_CORPUS"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "corpus")
		}
		if filepath.Dir(d) == d {
			return filepath.Join("..", "shared", "corpus")
		}
	}
}

func run(seed uint64, total int, out, corpus string) error {
	pool, err := readPool(corpus)
	if err != nil {
		return err
	}
	if len(pool.sentences) < 1000 || len(pool.h1) < 20 || len(pool.h2) < 20 {
		return fmt.Errorf("%s: too little text (%d sentences, %d/%d headings)", corpus, len(pool.sentences), len(pool.h1), len(pool.h2))
	}
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	mf, err := os.Create(filepath.Join(out, "manifest.csv"))
	if err != nil {
		return err
	}
	defer mf.Close()
	mw := csv.NewWriter(mf)
	_ = mw.Write([]string{"path", "title", "year", "date", "region", "level", "organization", "doc_type", "source_url"})

	g := &gen{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), pool: pool}
	written, files := 0, 0
	var bytes int64
	for written < total {
		m := g.meta(files + 1)
		n := g.reportSize(m.docType)
		if rest := total - written; n > rest || rest-n < 8 {
			n = rest // the last report takes what is left
		}
		lines := g.report(m, n)
		rel := filepath.ToSlash(filepath.Join(m.level, fmt.Sprintf("%d_%s_%s_%06d.txt", m.year, m.region, m.docType, files+1)))
		b, err := writeReport(filepath.Join(out, rel), lines)
		if err != nil {
			return err
		}
		bytes += b
		_ = mw.Write([]string{rel, m.title, fmt.Sprint(m.year), m.date, m.region, m.level, m.org, m.docType,
			fmt.Sprintf("https://reports.example.org/%s/%d/%06d.html", m.level, m.year, files+1)})
		written += len(lines)
		files++
	}
	mw.Flush()
	if err := mw.Error(); err != nil {
		return err
	}
	fmt.Printf("gencorpus: seed %d: %d reports, %d paragraphs, %d bytes of text (%.1f MB) in %s\n",
		seed, files, written, bytes, float64(bytes)/1e6, out)
	return nil
}

func writeReport(path string, lines []string) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	var n int64
	for i, l := range lines {
		if i > 0 {
			w.WriteString("\n")
			n++
		}
		k, _ := w.WriteString(l + "\n")
		n += int64(k)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return n, f.Close()
}

// pool is the text drawn from the real corpus.
type pool struct {
	sentences []string // body sentences, each with its final punctuation
	h1, h2    []string // section and sub-section titles, without their numbers
}

var (
	h1Re = regexp.MustCompile(`^[一二三四五六七八九十]{1,3}[、．.]\s*(.+)$`)
	h2Re = regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[)）]\s*(.+)$`)
	// headStart is how a numbered heading or list item starts; a sentence
	// starting so would change the document's structure.
	headStart = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}[、．.]|第[一二三四五六七八九十百零〇0-9]+(?:部分|章|篇|编)|[0-9]{1,2}[.．、])`)
	// noise marks sentences of page furniture, footers and wiki text
	// rather than report text (see indexer/clean.go).
	noise = regexp.MustCompile(`公有领域|本作品|這部作品|这部作品|Wikisource|维基|維基|http|www\.|来源[:：]|时间[:：]|版权|字号|打印|全屏|收藏|责任编辑|相关报道|相关新闻|相关链接|扫一扫|发布时间|浏览次数|Copyright|\x{FFFD}`)
)

// trim removes spaces, ideographic spaces and zero-width characters at
// the ends of a line.
func trim(s string) string {
	s = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "").Replace(s)
	return strings.TrimFunc(s, unicode.IsSpace)
}

func readPool(dir string) (*pool, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	p := &pool{}
	seen := map[string]bool{}
	add := func(list *[]string, s string) {
		if !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = trim(line)
			if line == "" || noise.MatchString(line) {
				continue
			}
			if m := h1Re.FindStringSubmatch(line); m != nil {
				if t := headingText(m[1]); t != "" {
					add(&p.h1, t)
				}
				continue
			}
			if m := h2Re.FindStringSubmatch(line); m != nil {
				// A run-in title: （一）经济增长迈出坚实步伐。…
				t := m[1]
				if i := strings.IndexAny(t, "。："); i >= 0 {
					t = t[:i]
				}
				if t := headingText(t); t != "" {
					add(&p.h2, t)
				}
				line = strings.TrimPrefix(m[1], t)
			}
			if utf8.RuneCountInString(line) < 20 {
				continue
			}
			for _, s := range splitSentences(line) {
				if goodSentence(s) {
					add(&p.sentences, s)
				}
			}
		}
	}
	return p, nil
}

// headingText keeps a title that the indexer recognises as a heading: 4–30
// characters, no sentence punctuation, no spaces.
func headingText(t string) string {
	t = trim(t)
	n := utf8.RuneCountInString(t)
	if n < 4 || n > 30 || strings.ContainsAny(t, "。；！？;!?：:，,、 　\t") || !balanced(t) {
		return ""
	}
	return t
}

// balanced reports whether quotes and brackets are closed: a title cut
// inside 《…》 would end with an opener, which the indexer joins with the
// next line.
func balanced(s string) bool {
	for _, pair := range []string{"“”", "‘’", "（）", "《》", "【】", "「」", "()"} {
		r := []rune(pair)
		if strings.Count(s, string(r[0])) != strings.Count(s, string(r[1])) {
			return false
		}
	}
	return true
}

// splitSentences splits after 。！？；, keeping the punctuation (and a
// closing quote right after it).
func splitSentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '；':
			end := i + 1
			for end < len(rs) && strings.ContainsRune("”’」』）", rs[end]) {
				end++
			}
			out = append(out, string(rs[start:end]))
			start, i = end, end-1
		}
	}
	return out
}

// goodSentence keeps sentences that read as report text and cannot change
// the paragraph structure: 8–200 characters, starting with a Han
// character (not punctuation that continues a line, not a number that
// starts a heading), balanced quotes.
func goodSentence(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 8 || n > 200 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.Is(unicode.Han, r) || headStart.MatchString(s) {
		return false
	}
	return balanced(s)
}

// Metadata lists.
var (
	provinces = []string{"北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
		"上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
		"广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
		"宁夏回族自治区", "新疆维吾尔自治区"}
	districts = []string{"芝罘区", "莱山区", "海淀区", "朝阳区", "浦东新区", "徐汇区", "天河区", "越秀区", "南山区", "福田区",
		"武侯区", "锦江区", "西湖区", "上城区", "鼓楼区", "玄武区", "历下区", "市南区", "江北区", "渝中区", "雁塔区",
		"碑林区", "和平区", "南开区", "洪山区", "江汉区", "岳麓区", "芙蓉区", "思明区", "五华区", "新城区", "城关区"}
	docTypes = []struct {
		name   string
		weight int
	}{{"政府工作报告", 40}, {"政协工作报告", 15}, {"常委会工作报告", 15}, {"党代会报告", 10}, {"决议", 20}}
	ordinals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
		"十五", "十六", "十七", "十八", "十九", "二十"}
	// sentencesPerPara weighs 1..8 sentences per body paragraph; the mean
	// (about 2.3) makes ~250 MB per million paragraphs.
	sentencesPerPara = []int{40, 27, 14, 8, 5, 3, 2, 1}
)

type meta struct {
	year                                     int
	date, region, level, org, docType, title string
}

type gen struct {
	r    *rand.Rand
	pool *pool
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) weighted(w []int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	k := g.r.IntN(sum)
	for i, x := range w {
		if k < x {
			return i
		}
		k -= x
	}
	return len(w) - 1
}

func (g *gen) meta(n int) meta {
	m := meta{year: 1990 + g.r.IntN(37)}
	switch k := g.r.IntN(100); {
	case k < 10:
		m.region, m.level = "全国", "national"
	case k < 70:
		m.region, m.level = g.pick(provinces), "provincial"
	default:
		m.region, m.level = g.pick(districts), "district"
	}
	w := make([]int, len(docTypes))
	for i, d := range docTypes {
		w[i] = d.weight
	}
	m.docType = docTypes[g.weighted(w)].name
	if g.r.IntN(10) < 6 {
		m.date = fmt.Sprintf("%d-%02d-%02d", m.year, 1+g.r.IntN(3), 1+g.r.IntN(28))
	}
	congress := ordinals[g.r.IntN(len(ordinals))]
	session := ordinals[g.r.IntN(5)]
	national := m.level == "national"
	switch m.docType {
	case "政府工作报告":
		m.org, m.title = m.region+"人民政府", fmt.Sprintf("%d年%s政府工作报告", m.year, m.region)
		if national {
			m.org, m.title = "国务院", fmt.Sprintf("%d年国务院政府工作报告", m.year)
		}
	case "政协工作报告":
		m.org, m.title = "政协"+m.region+"委员会", fmt.Sprintf("%d年政协%s委员会工作报告", m.year, m.region)
		if national {
			m.org, m.title = "全国政协", fmt.Sprintf("%d年全国政协常务委员会工作报告", m.year)
		}
	case "常委会工作报告":
		m.org, m.title = m.region+"人大常委会", fmt.Sprintf("%d年%s人民代表大会常务委员会工作报告", m.year, m.region)
		if national {
			m.org, m.title = "全国人大常委会", fmt.Sprintf("%d年全国人民代表大会常务委员会工作报告", m.year)
		}
	case "党代会报告":
		m.org, m.title = "中共"+m.region+"委员会", fmt.Sprintf("在中国共产党%s第%s次代表大会上的报告", m.region, congress)
		if national {
			m.org, m.title = "中国共产党", fmt.Sprintf("在中国共产党第%s次全国代表大会上的报告", congress)
		}
	case "决议":
		m.org, m.title = m.region+"人民代表大会", fmt.Sprintf("%s第%s届人民代表大会第%s次会议关于政府工作报告的决议", m.region, congress, session)
		if national {
			m.org, m.title = "全国人民代表大会", fmt.Sprintf("第%s届全国人民代表大会第%s次会议关于政府工作报告的决议", congress, session)
		}
	}
	return m
}

// reportSize is the number of paragraphs of a report: resolutions are
// short, reports 80–250 paragraphs.
func (g *gen) reportSize(docType string) int {
	if docType == "决议" {
		return 8 + g.r.IntN(13)
	}
	return 80 + g.r.IntN(171)
}

// report returns exactly n paragraphs.
func (g *gen) report(m meta, n int) []string {
	lines := []string{m.title}
	if m.docType != "决议" && n > 10 {
		lines = append(lines, fmt.Sprintf("——%d年%d月%d日在%s第%s届人民代表大会第%s次会议上",
			m.year, 1+g.r.IntN(3), 1+g.r.IntN(28), m.region, ordinals[g.r.IntN(20)], ordinals[g.r.IntN(5)]))
		lines = append(lines, g.pick([]string{"各位代表：", "各位委员：", "同志们："}))
	}
	s1, s2 := 0, 0
	for len(lines) < n {
		rest := n - len(lines)
		switch {
		case rest > 6 && (s1 == 0 || g.r.IntN(40) == 0) && s1 < len(ordinals):
			lines = append(lines, ordinals[s1]+"、"+g.pick(g.pool.h1))
			s1, s2 = s1+1, 0
		case rest > 3 && s1 > 0 && g.r.IntN(8) == 0 && s2 < len(ordinals):
			lines = append(lines, "（"+ordinals[s2]+"）"+g.pick(g.pool.h2))
			s2++
		default:
			lines = append(lines, g.body())
		}
	}
	return lines
}

// body is a paragraph of 1–8 real sentences, ending with 。 or ！ or ？.
func (g *gen) body() string {
	k := 1 + g.weighted(sentencesPerPara)
	var b strings.Builder
	for i := 0; i < k; i++ {
		b.WriteString(g.pick(g.pool.sentences))
	}
	s := b.String()
	if strings.HasSuffix(s, "；") {
		s = strings.TrimSuffix(s, "；") + "。"
	}
	return s
}
