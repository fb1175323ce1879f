package bleveindex

import (
	"bytes"
	"math"
	"unicode/utf8"

	"reportsearch/search/grams"
)

// aboutness is what the text of a paragraph says about whether it is
// about the query's theme, beyond counts. Stage two computes it for the
// paragraphs of its text window from their folded text (the grams
// segment's copy, no bleve lookup) and turns it into a factor of the
// score (aboutFactor); see docs/ranking.md.
type aboutness struct {
	// lead is whether the query (plan.in) stands in the paragraph's
	// title: its first sentence, when it has at most
	// leadChars characters and the paragraph goes on after it (a run-in
	// title such as 强化养老托育服务。… or （五）以创建…自由贸易试验区为牵引，…。…),
	// ramped by the length of the body after it (full from leadBody
	// characters): a heading with one generic lead sentence is a section
	// lead, not a treatment of the theme. A vocative opening (各位代表！)
	// is skipped: the sentence after it is the title.
	lead float64
	// early is how early the query first occurs: exp(-position/posChars)
	// in characters, ramped by the paragraph's length (full from leadBody
	// characters), so that a bare heading, whose theme is at position 0,
	// gains little.
	early float64
	// vocative: the paragraph opens with a short exclamation (各位代表！,
	// 同志们！), the form of closing exhortations.
	vocative bool
	// near, for a query of several required parts (a top-level And), is
	// how close their nearest occurrences are within one clause:
	// 1/(1 + gap/proxChars) for a gap of that many characters without
	// punctuation (粮食安全: 1), 0 when they never share a clause
	// (粮食、能源资源、重要产业链供应链安全). 0 for a single part.
	near float64
}

// aboutFactor is the multiplier of a windowed hit's score from its
// aboutness, exp(Σ weight·signal) over signals that are never negative,
// so never below 1: the window's scores stay above the stage-one scores
// of the hits below it, and the whole order's scores never increase.
func aboutFactor(a aboutness) float64 {
	x := leadWeight*a.lead + earlyWeight*a.early + nearWeight*a.near
	if !a.vocative {
		x += plainWeight
	}
	return math.Exp(x)
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

// earlyBytes bounds the position the early signal looks at: beyond 300
// characters (of at least 3 bytes) it is below exp(-15).
const earlyBytes = 900

// about computes the aboutness of paragraph ord of seg for the plan.
func (p *plan) about(seg *grams.Segment, ord uint32) aboutness {
	text := seg.Text(ord)
	chars := float64(seg.Chars(ord))
	needles := p.needleBytes()
	var a aboutness
	v := vocative(text)
	a.vocative = v > 0
	if title, n, more := firstSentence(text[v:], leadChars); more {
		if p.in(p.root, title) {
			a.lead = min(1, (chars-float64(n))/leadBody)
		}
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
	if first >= 0 && first < earlyBytes {
		a.early = math.Exp(-float64(utf8.RuneCount(text[:first]))/posChars) * min(1, chars/leadBody)
	}
	if len(parts) > 1 {
		a.near = p.near(text, parts)
	}
	return a
}

// near is the proximity of the required parts in text (see
// aboutness.near): for every pair of parts the smallest gap between their
// occurrences within one clause, the worst pair's.
func (p *plan) near(text []byte, parts [][]int) float64 {
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

// firstSentence returns the first sentence of a folded text (through its
// punctuation) if it has at most maxChars characters, with its length in
// characters and whether the text goes on after it; nil when the first
// sentence is longer.
func firstSentence(text []byte, maxChars int) ([]byte, int, bool) {
	n := 0
	for i := 0; i < len(text); n++ {
		if n >= maxChars {
			return nil, 0, false
		}
		c := text[i]
		switch {
		case c == '!' || c == '?' || c == ';':
			return text[:i+1], n + 1, i+1 < len(text)
		case c < utf8.RuneSelf:
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		if r == '。' {
			return text[:i+size], n + 1, i+size < len(text)
		}
		i += size
	}
	return text, n, false
}

// vocative returns the length in bytes of a short exclamation that opens
// a folded text — one to eight characters without punctuation, then ！
// (folded to !): 各位代表！, 同志们！ — or 0.
func vocative(text []byte) int {
	n := 0
	for i := 0; i < len(text) && n <= 8; n++ {
		r, size := utf8.DecodeRune(text[i:])
		if r == '!' {
			if n == 0 {
				return 0
			}
			return i + size
		}
		if clauseEnd(r) {
			return 0
		}
		i += size
	}
	return 0
}
