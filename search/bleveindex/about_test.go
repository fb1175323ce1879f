package bleveindex

import (
	"bytes"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/internal/corpusdir"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

func TestTitleAndVocative(t *testing.T) {
	for _, c := range []struct {
		text, title string
		vocative    string
	}{
		{"强化养老托育服务。着力优化居家为基础的服务体系。", "强化养老托育服务。", ""},
		{"进一步扩大对外开放。", "", ""}, // a bare heading: nothing after it
		{"（五）以创建自由贸易试验区为牵引，打造向北开放重要桥头堡。一要做强开放平台。", "(五)以创建自由贸易试验区为牵引,打造向北开放重要桥头堡。", ""},
		{"今年，要千方百计争取农业有个好收成，努力增加农民收入，推进社会主义新农村建设，突出抓好三件事。一是…", "", ""}, // first sentence over 40 characters
		{"各位代表！这里我要强调一下减轻农民负担问题。去年农民收入增长较快。", "各位代表!", "各位代表!"},
		{"同志们！", "", "同志们!"},                    // a vocative, and no title: nothing after it
		{"注意！全体起立。", "注意!", "注意!"},              // any short exclamation counts
		{"第一，减轻农民负担！维护农村稳定。", "第一,减轻农民负担!", ""}, // punctuation before ！: not a vocative
		{"没有标点的一行", "", ""},
	} {
		text := []byte(analysis.FoldString(c.text))
		got, n := title(text, 40)
		if string(got) != c.title {
			t.Errorf("title(%q) = %q, want %q", c.text, got, c.title)
		}
		if got != nil && n != len([]rune(string(got))) {
			t.Errorf("title(%q): %d characters, want %d", c.text, n, len([]rune(string(got))))
		}
		if v := vocative(text); string(text[:v]) != c.vocative {
			t.Errorf("vocative(%q) = %q, want %q", c.text, text[:v], c.vocative)
		}
	}
}

func TestCharsBefore(t *testing.T) {
	text := []byte("ab粮食安全cd")
	if got := charsBefore(text, 8, 100); got != 4 { // before 安
		t.Errorf("charsBefore = %d, want 4", got)
	}
	if got := charsBefore(text, 8, 3); got != 3 {
		t.Errorf("charsBefore with limit 3 = %d, want 3", got)
	}
	for _, l := range corpusLines(t) {
		b := []byte(l)
		for _, i := range []int{0, len(b) / 3, len(b) / 2, len(b)} {
			for i > 0 && i < len(b) && b[i]&0xC0 == 0x80 {
				i-- // a character boundary
			}
			if got, want := charsBefore(b, i, earlyChars), min(earlyChars, len([]rune(string(b[:i])))); got != want {
				t.Fatalf("charsBefore(%q, %d) = %d, want %d", l, i, got, want)
			}
		}
	}
}

// about on real plans: the title must name every part of the query, and
// the parts are near only within one clause.
func TestAboutSignals(t *testing.T) {
	mk := func(q string) *plan {
		t.Helper()
		pq, err := search.ParseQuery(q, search.ModeExact)
		if err != nil {
			t.Fatal(err)
		}
		p, err := compile(pq)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	fold := func(s string) []byte { return []byte(analysis.FoldString(s)) }
	two := mk("粮食 安全")
	if !two.in(two.root, fold("保障粮食安全。")) || two.in(two.root, fold("加强重点领域安全能力建设。")) {
		t.Errorf("a title must name every part of 粮食 安全")
	}
	for _, c := range []struct {
		text string
		near float64
	}{
		{"保障粮食安全和主要农产品供给。", 1},
		{"确保粮食、能源资源、重要产业链供应链安全。", 0},
		{"稳定粮食生产。保障公共安全。", 0},
		{"粮食生产的安全", 1 / (1 + 3/DefaultRanking().ProxChars)},
	} {
		if got, _ := two.near(fold(c.text), two.partTerms(), DefaultRanking().ProxChars); got != c.near {
			t.Errorf("near(%q) = %v, want %v", c.text, got, c.near)
		}
	}
	for _, c := range []struct {
		text string
		n    int
	}{
		{"保障粮食安全和主要农产品供给。", 1},
		{"稳定粮食生产，保障粮食安全；确保粮食安全、能源安全。", 2},
		{"确保粮食、能源资源、重要产业链供应链安全。", 0},
		{"粮食安全", 1},
		{"", 0},
	} {
		if _, got := two.near(fold(c.text), two.partTerms(), DefaultRanking().ProxChars); got != c.n {
			t.Errorf("near(%q): %d clauses with both parts, want %d", c.text, got, c.n)
		}
	}
	// An Or part's occurrences of different terms in one clause count it
	// once: 能源 comes before 粮食 in the text, after it in the plan.
	orPart := mk("粮食 | 能源 安全")
	if _, got := orPart.near(fold("能源安全和粮食安全，粮食安全。"), orPart.partTerms(), DefaultRanking().ProxChars); got != 2 {
		t.Errorf("near with an Or part: %d clauses with both parts, want 2", got)
	}
	or := mk("托育 | 养老")
	if !or.in(or.root, fold("发展托育服务。")) || len(or.partTerms()) != 1 {
		t.Errorf("an Or is in a span when one of its terms is, and is one part")
	}
	not := mk("改革 -开放")
	if !not.in(not.root, fold("深化改革。")) {
		t.Errorf("negated terms do not count in a title")
	}
}

// near's proximity and its count of clauses holding every part, against
// their definitions computed the slow way — splitting the text into
// clauses at every clause mark, and measuring each pair of occurrences'
// gap in characters — over every paragraph of the corpus that has the
// parts of a few several-part queries.
func TestNearAgainstClauses(t *testing.T) {
	const marks = "。!?;、,:()\""
	slowNear := func(p *plan, text string, prox float64) (float64, int) {
		parts := p.partTerms()
		together := 0
		for _, c := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(marks, r) }) {
			if p.in(p.root, []byte(c)) {
				together++
			}
		}
		worst := -1
		for i := range parts {
			for j := i + 1; j < len(parts); j++ {
				best := -1
				for _, ti := range parts[i] {
					for _, tj := range parts[j] {
						for _, x := range allIndex(text, p.terms[ti]) {
							for _, y := range allIndex(text, p.terms[tj]) {
								a, b := x+len(p.terms[ti]), y
								if y < x {
									a, b = y+len(p.terms[tj]), x
								}
								g := 0
								if a < b {
									if strings.ContainsAny(text[a:b], marks) {
										continue
									}
									g = len([]rune(text[a:b]))
								}
								if best < 0 || g < best {
									best = g
								}
							}
						}
					}
				}
				if best < 0 {
					return 0, together
				}
				worst = max(worst, best)
			}
		}
		return 1 / (1 + float64(worst)/prox), together
	}
	lines := corpusLines(t)
	prox := DefaultRanking().ProxChars
	checked := 0
	for _, q := range []string{"粮食 安全", "金融 风险", "数字 政府", "养老 托育", "国有企业 改革", "改革 开放 发展", "粮食 | 能源 安全"} {
		pq, err := search.ParseQuery(q, search.ModeExact)
		if err != nil {
			t.Fatal(err)
		}
		p, err := compile(pq)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if !p.in(p.root, []byte(l)) {
				continue
			}
			checked++
			near, together := p.near([]byte(l), p.partTerms(), prox)
			wantNear, wantTogether := slowNear(p, l, prox)
			if math.Abs(near-wantNear) > 1e-12 || together != wantTogether {
				t.Fatalf("%s: near %v, %d clauses; want %v, %d: %q", q, near, together, wantNear, wantTogether, l)
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d paragraphs checked", checked)
	}
}

// index agrees with bytes.Index on every corpus line for needles of one
// to several characters, ASCII and CJK, present and absent.
func TestIndex(t *testing.T) {
	lines := corpusLines(t)
	for _, n := range []string{"粮食", "粮食安全", "安全", "的", "5G", "G", "。", ",", "数字政府2.0", "不存在的词语", ""} {
		for _, l := range append(lines, "", "粮", "食粮食") {
			if got, want := index([]byte(l), []byte(n)), bytes.Index([]byte(l), []byte(n)); got != want {
				t.Fatalf("index(%q, %q) = %d, want %d", l, n, got, want)
			}
		}
	}
}

// corpusLines returns every line of the corpus's text files, folded.
func corpusLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(corpusdir.Dir(t), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			lines = append(lines, analysis.FoldString(strings.TrimSpace(l)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func allIndex(s, sub string) []int {
	var out []int
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + len(sub)
	}
}

func TestNumberedAndOverview(t *testing.T) {
	fold := func(s string) []byte { return []byte(analysis.FoldString(s)) }
	for _, c := range []struct {
		text string
		n    string
	}{
		{"（二）建设现代化产业体系。坚持把…", "(二)"},
		{"（十二）加强政府自身建设。", "(十二)"},
		{"三、2026年重点工作", "三、"},
		{"十一、继续促进人类和平与发展的崇高事业", "十一、"},
		{"一是聚力在发展新质生产力上取得新突破。", ""}, // 一是 is not a section number
		{"（五年来）", ""},
		{"二〇二五年", ""},
		{"", ""},
	} {
		text := fold(c.text)
		if got := numbered(text); string(text[:got]) != c.n {
			t.Errorf("numbered(%q) = %q, want %q", c.text, text[:got], c.n)
		}
	}
	pq, err := search.ParseQuery("数字经济", search.ModeExact)
	if err != nil {
		t.Fatal(err)
	}
	p, err := compile(pq)
	if err != nil {
		t.Fatal(err)
	}
	r := newRanker(DefaultRanking())
	for _, c := range []struct {
		text     string
		overview bool
	}{
		{"（二）建设现代化产业体系。坚持把发展经济的着力点放在实体经济上，加快发展数字经济。", true},
		{"（二）加快发展数字经济。推进数字产业化。", false},
		{"（二）坚持把发展经济的着力点放在实体经济上推进新型工业化加快建设制造强国质量强国航天强国交通强国网络强国数字中国，发展数字经济。", true}, // the name after 60 characters
		{"加快发展数字经济。推进数字产业化。", false},                                               // not numbered
		{"各位代表！我们要加快发展数字经济。", false},
	} {
		text := fold(c.text)
		if got := r.aboutText(p, text, float64(len([]rune(string(text))))).overview; got != c.overview {
			t.Errorf("overview(%q) = %v, want %v", c.text, got, c.overview)
		}
	}
}

// The vocabulary signal counts the term's rarest word outside the term:
// a grain-production paragraph that says 粮食 again and again, not a
// security list that names 粮食安全 once among other 安全s.
func TestVocab(t *testing.T) {
	dfs := map[string]uint64{"粮食": 120, "安全": 900, "新": 5000}
	df := func(w string) (uint64, error) { return dfs[w], nil }
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"粮食", "安全"}, "粮食"},
		{[]string{"安全", "粮食"}, "粮食"},
		{[]string{"新", "质", "安全"}, "安全"}, // one-character words never
		{[]string{"人口老龄化"}, ""},          // one word: its recurrence is tf
		{[]string{"粮食", "未知"}, "粮食"},     // a word no paragraph has
	} {
		if got, _ := rarestWord(c.words, df); got != c.want {
			t.Errorf("rarestWord(%q) = %q, want %q", c.words, got, c.want)
		}
	}
	pq, err := search.ParseQuery("粮食安全", search.ModeExact)
	if err != nil {
		t.Fatal(err)
	}
	p, err := compile(pq)
	if err != nil {
		t.Fatal(err)
	}
	p.vocab, p.vocabDone = []vocabWord{{term: 0, word: []byte("粮食"), per: 1, at: 0}}, true
	r := newRanker(DefaultRanking())
	for _, c := range []struct {
		text  string
		extra float64 // occurrences of 粮食 outside 粮食安全
	}{
		{"提高粮食和重要农产品供给保障能力。保障粮食安全的要害是种子和耕地。稳定粮食播种面积。", 2},
		{"加快粮食生产。保障粮食安全。", 1},
		{"加强重点领域安全能力建设。全方位夯实粮食安全根基。强化能源资源安全保障。", 0},
	} {
		text := []byte(analysis.FoldString(c.text))
		want := min(1, c.extra/r.VocabN)
		if got := r.aboutText(p, text, float64(len([]rune(c.text)))).vocab; got != want {
			t.Errorf("vocab(%q) = %v, want %v", c.text, got, want)
		}
	}
}

func TestAboutFactorAtLeastOne(t *testing.T) {
	for _, a := range []aboutness{{}, {vocative: true}, {overview: true}, {lead: 1, early: 1, near: 1, vocab: 1}} {
		if f := newRanker(DefaultRanking()).factor(a); f < 1 {
			t.Errorf("factor(%+v) = %v < 1", a, f)
		}
	}
}

// A ranking whose factor could fall below 1, or whose scales would divide
// by zero, is refused when the index is opened.
func TestRankingValidate(t *testing.T) {
	if err := DefaultRanking().validate(); err != nil {
		t.Fatalf("the default ranking is refused: %v", err)
	}
	for name, f := range map[string]func(r *Ranking){
		"negative lead":    func(r *Ranking) { r.Lead = -1 },
		"negative focus":   func(r *Ranking) { r.Focus = -0.1 },
		"negative vocab":   func(r *Ranking) { r.Vocab = -0.4 },
		"zero vocab n":     func(r *Ranking) { r.VocabN = 0 },
		"negative boost":   func(r *Ranking) { r.WordBoost = -0.25 },
		"negative window":  func(r *Ranking) { r.Window = -1 },
		"zero short chars": func(r *Ranking) { r.ShortChars = 0 },
		"zero prox chars":  func(r *Ranking) { r.ProxChars = 0 },
	} {
		r := DefaultRanking()
		f(&r)
		if err := r.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if ix, err := OpenWith(filepath.Join(t.TempDir(), "index"), Options{Ranking: r}); err == nil {
			ix.Close()
			t.Errorf("%s: OpenWith accepted it", name)
		}
	}
}
