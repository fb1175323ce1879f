package highlight

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms []string
		want  string
	}{
		{"repeated", "治理网格化治理，再治理", []string{"治理"}, "<mark>治理</mark>网格化<mark>治理</mark>，再<mark>治理</mark>"},
		{"overlapping occurrences merge", "哈哈哈哈", []string{"哈哈哈"}, "<mark>哈哈哈哈</mark>"},
		{"adjacent occurrences stay separate", "abab", []string{"ab"}, "<mark>ab</mark><mark>ab</mark>"},
		{"cross-word occurrence", "推进网格化治理", []string{"化治"}, "推进网格<mark>化治</mark>理"},
		{"two terms overlapping", "城市更新行动", []string{"城市更新", "更新行动"}, "<mark>城市更新行动</mark>"},
		{"folded match keeps original text", "ＧＤＰ增长，gdp", []string{"GDP"}, "<mark>ＧＤＰ</mark>增长，<mark>gdp</mark>"},
		{"html escaped", `<script>alert("x")</script> & <img onerror=1>`, []string{"script"},
			`&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; &lt;img onerror=1&gt;`},
		{"no match", "民生", []string{"就业"}, "民生"},
		{"markup-like term", "a<b>c", []string{"<b>"}, "a<mark>&lt;b&gt;</mark>c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Highlight(tt.text, tt.terms)
			if got.HTML != tt.want {
				t.Errorf("HTML\n got %s\nwant %s", got.HTML, tt.want)
			}
			if got.Snippet != got.HTML {
				t.Errorf("short text: snippet %q differs from HTML", got.Snippet)
			}
		})
	}
}

// unmark removes the marks and unescapes, giving back the text.
func unmark(s string) string {
	r := strings.NewReplacer("<mark>", "", "</mark>", "", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'")
	return r.Replace(s)
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("前文", 150) + "网格化治理" + strings.Repeat("后文", 150) + "网格化治理"
	got := Highlight(long, []string{"网格化治理"})
	if got.Count != 2 {
		t.Errorf("Count = %d, want 2", got.Count)
	}
	if !utf8.ValidString(got.Snippet) {
		t.Fatal("snippet is not valid UTF-8")
	}
	if !strings.Contains(got.Snippet, "<mark>网格化治理</mark>") || !strings.HasPrefix(got.Snippet, "…") || !strings.HasSuffix(got.Snippet, "…") {
		t.Errorf("snippet = %s", got.Snippet)
	}
	if n := utf8.RuneCountInString(unmark(strings.Trim(got.Snippet, "…"))); n != SnippetChars {
		t.Errorf("snippet has %d characters, want %d", n, SnippetChars)
	}
	if !strings.Contains(long, unmark(strings.Trim(got.Snippet, "…"))) {
		t.Error("snippet text is not a substring of the paragraph")
	}
	if unmark(got.HTML) != long {
		t.Error("full highlight does not give back the text")
	}
	for _, text := range []string{long, "短文网格化治理"} {
		if s, want := Snippet(text, []string{"网格化治理"}), Highlight(text, []string{"网格化治理"}).Snippet; s != want {
			t.Errorf("Snippet = %s, want Highlight's %s", s, want)
		}
	}
	// A mark is never cut by the snippet's end.
	edge := strings.Repeat("甲", SnippetChars-2) + "乙丙丁" + strings.Repeat("戊", 50)
	g := Highlight(edge, []string{"甲乙丙丁"})
	if strings.Count(g.Snippet, "<mark>") != strings.Count(g.Snippet, "</mark>") || !strings.Contains(g.Snippet, "乙丙丁</mark>") {
		t.Errorf("mark cut: %s", g.Snippet)
	}
}

// Every occurrence found by strings.Index is inside a mark, and every mark
// covers only occurrences.
func TestMarksEqualOccurrences(t *testing.T) {
	text := "发展发展是第一要务，高质量发展，发展中国家；发"
	for _, term := range []string{"发展", "发", "展发", "量发展，发"} {
		h := Highlight(text, []string{term})
		covered := make([]bool, utf8.RuneCountInString(text))
		runes := []rune(text)
		tr := []rune(term)
		for i := 0; i+len(tr) <= len(runes); i++ {
			if string(runes[i:i+len(tr)]) == term {
				for j := i; j < i+len(tr); j++ {
					covered[j] = true
				}
			}
		}
		var got []bool
		in := false
		for s := h.HTML; s != ""; {
			switch {
			case strings.HasPrefix(s, "<mark>"):
				in, s = true, s[len("<mark>"):]
			case strings.HasPrefix(s, "</mark>"):
				in, s = false, s[len("</mark>"):]
			default:
				_, size := utf8.DecodeRuneInString(s)
				got, s = append(got, in), s[size:]
			}
		}
		for i := range covered {
			if covered[i] != got[i] {
				t.Errorf("term %q: character %d (%c) marked=%v, occurrence=%v: %s", term, i, runes[i], got[i], covered[i], h.HTML)
				break
			}
		}
	}
}

// markedTexts returns the (unescaped) contents of a snippet's marks.
func markedTexts(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "<mark>")
		if i < 0 {
			return out
		}
		s = s[i+len("<mark>"):]
		j := strings.Index(s, "</mark>")
		out = append(out, unmark(s[:j]))
		s = s[j:]
	}
}

func TestSnippetFragments(t *testing.T) {
	filler := func(n int) string { return strings.Repeat("前", n) }
	for _, tt := range []struct {
		name      string
		text      string
		terms     []string
		fragments int
	}{
		{"both terms in one window", filler(200) + "城市更新和乡村振兴" + filler(200), []string{"城市更新", "乡村振兴"}, 1},
		{"far apart: two fragments", filler(10) + "城市更新" + filler(300) + "乡村振兴" + filler(50), []string{"城市更新", "乡村振兴"}, 2},
		{"three far apart", "城市更新" + filler(300) + "乡村振兴" + filler(300) + "共同富裕" + filler(300), []string{"城市更新", "乡村振兴", "共同富裕"}, 3},
		{"a term absent from the text needs no fragment", filler(10) + "城市更新" + filler(300), []string{"城市更新", "乡村振兴"}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Snippet(tt.text, tt.terms)
			for _, term := range tt.terms {
				if strings.Contains(tt.text, term) && !strings.Contains(got, "<mark>"+term+"</mark>") {
					t.Errorf("%s not marked in %s", term, got)
				}
			}
			// Fragments are separated by "…" between text, plus the ends.
			if n := len(strings.Split(strings.Trim(got, "…"), "…")); n != tt.fragments {
				t.Errorf("%d fragments, want %d: %s", n, tt.fragments, got)
			}
			if n := utf8.RuneCountInString(unmark(got)); n > FragmentsChars+2*MaxFragments {
				t.Errorf("snippet of %d characters", n)
			}
		})
	}
}

// TestSnippetShowsEveryTerm: a property over random long paragraphs of up
// to MaxFragments distinct terms placed anywhere: every term that occurs
// is inside a mark of the snippet, each fragment is a piece of the text
// in order, and the snippet stays within its budget.
func TestSnippetShowsEveryTerm(t *testing.T) {
	words := []string{"城市更新", "乡村振兴", "共同富裕", "网格化治理", "GDP", "数字经济"}
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	for i := 0; i < 2000; i++ {
		var terms []string
		for n, try := 1+rnd(MaxFragments), 0; len(terms) < n && try < 50; try++ {
			if w := words[rnd(len(words))]; !slices.Contains(terms, w) {
				terms = append(terms, w)
			}
		}
		var b strings.Builder
		for b.Len() < 3*(200+rnd(600)) {
			if rnd(40) == 0 {
				b.WriteString(terms[rnd(len(terms))])
			} else {
				b.WriteString([]string{"文", "字", "，", "。", "治", "理"}[rnd(6)])
			}
		}
		text := b.String()
		got := Snippet(text, terms)
		marked := strings.Join(markedTexts(got), "|")
		for _, term := range terms {
			if strings.Contains(text, term) && !strings.Contains(marked, term) {
				t.Fatalf("case %d: %s occurs but is not marked in %s", i, term, got)
			}
		}
		pos := 0
		for _, frag := range strings.Split(strings.Trim(got, "…"), "…") {
			j := strings.Index(text[pos:], unmark(frag))
			if j < 0 {
				t.Fatalf("case %d: fragment %q is not the text's, in order", i, frag)
			}
			pos += j + len(unmark(frag))
		}
		if n := utf8.RuneCountInString(unmark(got)); utf8.RuneCountInString(text) > SnippetChars && n > FragmentsChars+2*MaxFragments+12 {
			t.Fatalf("case %d: snippet of %d characters", i, n)
		}
	}
}
