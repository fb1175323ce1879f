package bleveindex

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// aboutness is what the text of a paragraph says about whether it is
// about the query's theme, beyond counts. Stage two computes it for the
// paragraphs of its text window from their folded text (the grams
// segment's copy, no bleve lookup) and turns it into a factor of the
// score (ranker.factor); see docs/ranking.md.
type aboutness struct {
	// lead is whether the query (plan.in) stands in the paragraph's
	// title: its first sentence, when it has at most
	// Ranking.LeadChars characters and the paragraph goes on after it (a run-in
	// title such as 强化养老托育服务。… or （五）以创建…自由贸易试验区为牵引，…。…),
	// ramped by the length of the body after it (full from LeadBody
	// characters): a heading with one generic lead sentence is a section
	// lead, not a treatment of the theme. A vocative opening (各位代表！)
	// is skipped: the sentence after it is the title.
	lead float64
	// early is how early the query first occurs: exp(-position/PosChars)
	// in characters (0 from earlyChars on), ramped by the paragraph's
	// length (full from LeadBody characters), so that a bare heading,
	// whose theme is at position 0, gains little.
	early float64
	// vocative: the paragraph opens with a short exclamation (各位代表！,
	// 同志们！), the form of closing exhortations.
	vocative bool
	// near, for a query of several required parts (a top-level And), is
	// how close their nearest occurrences are within one clause:
	// 1/(1 + gap/ProxChars) for a gap of that many characters without
	// punctuation (粮食安全: 1), 0 when they never share a clause
	// (粮食、能源资源、重要产业链供应链安全). 0 for a single part.
	near float64
	// overview: the paragraph opens a numbered section ((二)建设现代化产业体系。…,
	// 三、…) whose title — its first sentence, or its first 60 characters
	// when that is longer — does not name the query: a section lead that
	// goes over many themes and names the query's in passing (the
	// guidelines' "list-like paragraphs", 1s), not one whose title is the
	// theme ((三)全面推进乡村振兴。…, which lead rewards).
	overview bool
	// vocab is how much the paragraph comes back to the theme beyond
	// naming it: for a term that gse cuts into several words (粮食安全 →
	// 粮食 安全), the occurrences of its rarest word outside the term's
	// occurrences (粮食播种面积, 稳定粮食生产); for a query of several
	// required parts, the clauses naming all of them after the first
	// (防范化解金融风险…化解中小金融机构风险, not one 金融风险 in a
	// banking-reform paragraph that names 金融 eight times);
	// min(1, extra/VocabN), the larger of the two.
	vocab float64
}

// needleBytes returns the plan's folded terms as bytes, built once.
func (p *plan) needleBytes() [][]byte {
	if p.needles == nil {
		p.needles = make([][]byte, len(p.terms))
		for i, t := range p.terms {
			p.needles[i] = []byte(t)
		}
	}
	return p.needles
}

// in reports whether node n's positive terms match a span of text: a term
// when it occurs in the span, an Or when any child does, an And when every
// positive child does (negated children are ignored: the paragraph is a
// hit, so they are absent). A title that names only part of the query —
// 安全 of 粮食 安全, 数字 of 数字 政府 — does not count.
func (p *plan) in(n pnode, span []byte) bool {
	switch {
	case n.term >= 0:
		return bytes.Contains(span, p.needleBytes()[n.term])
	case n.or != nil:
		for _, c := range n.or {
			if p.in(c, span) {
				return true
			}
		}
		return false
	}
	for _, c := range n.must {
		if !p.in(c, span) {
			return false
		}
	}
	return true
}

// positive appends the terms under n that are not negated.
func positive(n pnode, out []int) []int {
	switch {
	case n.term >= 0:
		return append(out, n.term)
	case n.or != nil:
		for _, c := range n.or {
			out = positive(c, out)
		}
		return out
	}
	for _, c := range n.must {
		out = positive(c, out)
	}
	return out
}

// partTerms returns the positive terms of each required part of the plan
// — the children of a top-level And, or the whole query — computed once.
func (p *plan) partTerms() [][]int {
	if p.parts == nil {
		if p.root.term < 0 && p.root.or == nil && len(p.root.must) > 1 {
			for _, c := range p.root.must {
				p.parts = append(p.parts, positive(c, nil))
			}
		} else {
			p.parts = [][]int{positive(p.root, nil)}
		}
	}
	return p.parts
}

// earlyChars bounds the position the early signal looks at: from 120
// characters on (exp(-6) with PosChars 20) it is 0.
const earlyChars = 120

// aboutText computes the aboutness of a folded text of chars characters.
func (r *ranker) aboutText(p *plan, text []byte, chars float64) aboutness {
	needles := p.needleBytes()
	var a aboutness
	v := vocative(text)
	a.vocative = v > 0
	if t, n := title(text[v:], r.LeadChars); t != nil && p.in(p.root, t) {
		a.lead = min(1, (chars-float64(n))/r.LeadBody)
	}
	parts := p.partTerms()
	first := -1
	for _, ts := range parts {
		for _, t := range ts {
			if k := index(text, needles[t]); k >= 0 && (first < 0 || k < first) {
				first = k
			}
		}
	}
	if first >= 0 {
		if pos := charsBefore(text, first, earlyChars); pos < earlyChars {
			a.early = math.Exp(-float64(pos)/r.PosChars) * min(1, chars/r.LeadBody)
		}
	}
	if len(parts) > 1 {
		near, together := p.near(text, parts, r.ProxChars)
		a.near = near
		a.vocab = min(1, float64(max(0, together-1))/r.VocabN)
	}
	if len(p.vocab) > 0 && r.Vocab > 0 {
		extra := 0
		for _, v := range p.vocab {
			extra = max(extra, v.extra(text, needles[v.term], int(math.Ceil(r.VocabN))))
		}
		a.vocab = max(a.vocab, min(1, float64(extra)/r.VocabN))
	}
	if numbered(text) > 0 {
		end, _, _ := sentence(text, overviewChars)
		if end < 0 {
			end = prefixChars(text, overviewChars)
		}
		a.overview = !p.in(p.root, text[:end])
	}
	return a
}

// overviewChars bounds the title of a numbered section's opening
// paragraph (aboutness.overview).
const overviewChars = 60

// prefixChars returns the length in bytes of the first n characters of
// text (all of it when shorter).
func prefixChars(text []byte, n int) int {
	for i, c := range text {
		if c&0xC0 != 0x80 {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return len(text)
}

// numbered returns the length in bytes of a section number opening a
// folded text — (一) to (十九) (full-width brackets fold to ASCII) or 一、
// to 十九、 — or 0.
func numbered(text []byte) int {
	i := 0
	open := len(text) > 0 && text[0] == '('
	if open {
		i = 1
	}
	k := 0
	for i < len(text) && k < 3 {
		r, size := utf8.DecodeRune(text[i:])
		if !strings.ContainsRune("一二三四五六七八九十", r) {
			break
		}
		i += size
		k++
	}
	switch {
	case k == 0:
		return 0
	case open && i < len(text) && text[i] == ')':
		return i + 1
	case !open && bytes.HasPrefix(text[i:], []byte("、")):
		return i + len("、")
	}
	return 0
}

// near is the proximity of the required parts in text (see
// aboutness.near): for every pair of parts the smallest gap between their
// occurrences within one clause, the worst pair's; and together, the
// number of clauses that hold an occurrence of every part (see
// aboutness.vocab). An occurrence's clause is found from the clause
// boundaries (clauseStarts, one byte scan), so gaps are only counted
// between occurrences of one clause.
func (p *plan) near(text []byte, parts [][]int, proxChars float64) (near float64, together int) {
	needles := p.needleBytes()
	starts := clauseStarts(text)
	clause := func(i int) int { // the number of clause starts at or before i
		k, _ := slices.BinarySearch(starts, i+1)
		return k
	}
	type occ struct{ start, end, clause int }
	occs := make([][]occ, len(parts))
	for pi, ts := range parts {
		for _, t := range ts {
			n := needles[t]
			if len(n) == 0 {
				continue
			}
			for off := 0; ; {
				i := index(text[off:], n)
				if i < 0 {
					break
				}
				o := occ{off + i, off + i + len(n), clause(off + i)}
				if clause(o.end-1) != o.clause {
					o.clause = -1 // a term with clause punctuation in it
				}
				occs[pi] = append(occs[pi], o)
				off += i + len(n)
			}
		}
		if len(ts) > 1 { // an Or part: its terms' occurrences in text order
			slices.SortFunc(occs[pi], func(a, b occ) int { return a.start - b.start })
		}
	}
	const far = 1 << 30
	worst := 0
	for i := range occs {
		for j := i + 1; j < len(occs); j++ {
			best := far
			for _, x := range occs[i] {
				for _, y := range occs[j] {
					switch {
					case x.end <= y.start:
						if clause(x.end) == clause(y.start) {
							best = min(best, utf8.RuneCount(text[x.end:y.start]))
						}
					case y.end <= x.start:
						if clause(y.end) == clause(x.start) {
							best = min(best, utf8.RuneCount(text[y.end:x.start]))
						}
					default:
						best = 0 // overlapping
					}
				}
			}
			worst = max(worst, best)
		}
	}
	if worst < far {
		near = 1 / (1 + float64(worst)/proxChars)
	}
	// The clauses holding every part: those of the first part's
	// occurrences (in text order, so a clause's come together) that each
	// other part also has.
	prev := -1
	for _, x := range occs[0] {
		if x.clause < 0 || x.clause == prev {
			continue
		}
		all := true
		for _, os := range occs[1:] {
			if !slices.ContainsFunc(os, func(y occ) bool { return y.clause == x.clause }) {
				all = false
				break
			}
		}
		if all {
			together++
			prev = x.clause
		}
	}
	return near, together
}

// clauseStarts returns the byte offsets just after each clause
// punctuation mark of text, in order: 。！？；、，：（）" (the full-width
// forms folded to ASCII, “” to "). A byte scan like sentence's: the ASCII
// marks are single bytes, 。 and 、 are E3 80 82 and E3 80 81.
func clauseStarts(text []byte) []int {
	var out []int
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '!' || c == '?' || c == ';' || c == ',' || c == ':' || c == '(' || c == ')' || c == '"':
			out = append(out, i+1)
		case c == 0xE3 && i+2 < len(text) && text[i+1] == 0x80 && (text[i+2] == 0x81 || text[i+2] == 0x82):
			out = append(out, i+3)
			i += 2
		}
	}
	return out
}

// sentence scans the sentence that opens text, up to maxChars
// characters: end is the byte index just after its punctuation (。！？；,
// the full-width forms folded to ASCII), or -1 when it is longer or has no
// punctuation; chars its length in characters with the punctuation; clause
// whether it holds clause punctuation (、，：（）") before its end. A byte
// scan: the text is UTF-8, 。 is E3 80 82 and 、 E3 80 81.
func sentence(text []byte, maxChars int) (end, chars int, clause bool) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c&0xC0 == 0x80 {
			continue // inside a character
		}
		if chars++; chars > maxChars {
			return -1, chars, clause
		}
		switch {
		case c == '!' || c == '?' || c == ';':
			return i + 1, chars, clause
		case c == ',' || c == ':' || c == '(' || c == ')' || c == '"':
			clause = true
		case c == 0xE3 && i+2 < len(text) && text[i+1] == 0x80:
			switch text[i+2] {
			case 0x82:
				return i + 3, chars, clause
			case 0x81:
				clause = true
			}
		}
	}
	return -1, chars, clause
}

// vocative returns the length in bytes of a short exclamation that opens
// a folded text — one to eight characters without punctuation, then ！
// (folded to !): 各位代表！, 同志们！ — or 0.
func vocative(text []byte) int {
	end, chars, clause := sentence(text, 9)
	if end < 0 || clause || chars < 2 || text[end-1] != '!' {
		return 0
	}
	return end
}

// title returns the paragraph's title — its first sentence, when it has
// at most maxChars characters and the text goes on after it — with its
// length in characters, or nil.
func title(text []byte, maxChars int) ([]byte, int) {
	end, chars, _ := sentence(text, maxChars)
	if end < 0 || end == len(text) {
		return nil, 0
	}
	return text[:end], chars
}

// charsBefore is the number of characters in text before byte i, counted
// up to limit. A character takes at most four bytes, so from 4·limit
// bytes on the answer is limit without counting: the first occurrence is
// usually further into the paragraph than the early signal looks.
func charsBefore(text []byte, i, limit int) int {
	if i >= 4*limit {
		return limit
	}
	n := 0
	for _, c := range text[:i] {
		if c&0xC0 != 0x80 {
			if n++; n >= limit {
				return limit
			}
		}
	}
	return n
}

// vocabWord is the rarest gse word of a query term that gse cuts into
// several words, how many times it occurs inside the term and, when once,
// where.
type vocabWord struct {
	term int
	word []byte
	per  int
	at   int
}

// extra counts the occurrences of the word in text outside the
// occurrences of its term, up to limit: one scan over the word's
// occurrences, each checked against the term around it, that stops at
// limit (two Counts when the word occurs in the term more than once).
func (v vocabWord) extra(text, term []byte, limit int) int {
	if v.per != 1 {
		return bytes.Count(text, v.word) - v.per*bytes.Count(text, term)
	}
	n := 0
	for off := 0; n < limit; {
		i := index(text[off:], v.word)
		if i < 0 {
			return n
		}
		k := off + i
		if k < v.at || !bytes.HasPrefix(text[k-v.at:], term) {
			n++
		}
		off = k + len(v.word)
	}
	return n
}

// prepareVocab finds the rarest word of each of the plan's compound
// terms (rarestWord) by the word field's document frequencies, the
// snapshot's cached ones. Once per query, before the text window; the
// words are compile's, so no segmentation runs here.
func (p *plan) prepareVocab(ctx context.Context, s *snapshot) error {
	if p.vocabDone {
		return nil
	}
	p.vocabDone = true
	df := func(w string) (uint64, error) { return s.wordDF(ctx, w) }
	for _, c := range p.compounds {
		w, err := rarestWord(c.words, df)
		if err != nil {
			return err
		}
		if w != "" {
			t := p.terms[c.term]
			p.vocab = append(p.vocab, vocabWord{term: c.term, word: []byte(w), per: strings.Count(t, w), at: strings.Index(t, w)})
		}
	}
	return nil
}

// rarestWord returns, of a term's gse words, the one of two or more
// characters with the fewest paragraphs (df > 0), or "" when the term is
// one word: 粮食 of 粮食安全, not 安全; 民营 of 民营经济. Its recurrence says
// that a paragraph is about the term's theme (aboutness.vocab), where the
// common half would reward the national-security lists that repeat 安全.
func rarestWord(words []string, df func(string) (uint64, error)) (string, error) {
	if len(words) < 2 {
		return "", nil
	}
	best, bestDF := "", uint64(0)
	for _, w := range words {
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		n, err := df(w)
		if err != nil {
			return "", err
		}
		if n > 0 && (best == "" || n < bestDF) {
			best, bestDF = w, n
		}
	}
	return best, nil
}

// index is bytes.Index for the window's scans: it looks for the needle's
// last byte with bytes.IndexByte and checks the bytes before it. In folded
// Chinese text a needle's first byte is the lead byte of one character in
// five or so (E4–E9), which defeats bytes.Index's first-byte scan, while
// its last byte, a continuation byte, stands about once in a hundred
// bytes: three to four times faster over the corpus's paragraphs.
func index(s, sep []byte) int {
	n := len(sep)
	if n == 0 {
		return 0
	}
	last := sep[n-1]
	for off := n - 1; off < len(s); {
		i := bytes.IndexByte(s[off:], last)
		if i < 0 {
			return -1
		}
		e := off + i + 1
		if bytes.Equal(s[e-n:e], sep) {
			return e - n
		}
		off = e
	}
	return -1
}
