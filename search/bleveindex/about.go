package bleveindex

import (
	"bytes"
	"math"
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
			if k := bytes.Index(text, needles[t]); k >= 0 && (first < 0 || k < first) {
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
		a.near = p.near(text, parts, r.ProxChars)
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
// occurrences within one clause, the worst pair's.
func (p *plan) near(text []byte, parts [][]int, proxChars float64) float64 {
	needles := p.needleBytes()
	type occ struct{ start, end int }
	occs := make([][]occ, len(parts))
	for pi, ts := range parts {
		for _, t := range ts {
			n := needles[t]
			if len(n) == 0 {
				continue
			}
			for off := 0; ; {
				i := bytes.Index(text[off:], n)
				if i < 0 {
					break
				}
				occs[pi] = append(occs[pi], occ{off + i, off + i + len(n)})
				off += i + len(n)
			}
		}
	}
	const far = 1 << 30
	worst := 0
	for i := range occs {
		for j := i + 1; j < len(occs); j++ {
			best := far
			for _, x := range occs[i] {
				for _, y := range occs[j] {
					g := 0 // overlapping
					switch {
					case x.end <= y.start:
						g = gap(text[x.end:y.start])
					case y.end <= x.start:
						g = gap(text[y.end:x.start])
					}
					best = min(best, g)
				}
			}
			worst = max(worst, best)
		}
	}
	if worst == far {
		return 0
	}
	return 1 / (1 + float64(worst)/proxChars)
}

// gap is the number of characters of b, the text between occurrences of
// two query parts, or 1<<30 when b crosses clause punctuation.
func gap(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if clauseEnd(r) {
			return 1 << 30
		}
		n++
	}
	return n
}

// sentenceEnd reports the folded sentence punctuation: 。！？；
// (full-width forms fold to ASCII).
func sentenceEnd(r rune) bool {
	return r == '。' || r == '!' || r == '?' || r == ';'
}

// clauseEnd reports the punctuation that bounds a clause.
func clauseEnd(r rune) bool {
	return sentenceEnd(r) || r == '、' || r == ',' || r == ':' || r == '(' || r == ')' || r == '"'
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
// up to limit.
func charsBefore(text []byte, i, limit int) int {
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
