package grams

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// Match is the paragraphs of one segment that contain a string, in
// ordinal order, with the string's number of occurrences in each.
type Match struct {
	Ords []uint32
	TFs  []uint32
}

// Len is the number of paragraphs matched.
func (m Match) Len() int { return len(m.Ords) }

// verifyRatio: a pair's postings are intersected with the candidates only
// while they are at most this many times longer than the candidate list;
// beyond that, checking each candidate's text is cheaper than decoding.
const verifyRatio = 8

// Find returns the paragraphs whose folded text contains term, which must
// be folded (analysis.FoldString) and non-empty. One or two characters are
// answered from their postings; a longer term from the intersection of
// its rarest pairs, each candidate then checked against its text.
func (s *Segment) Find(term string) Match {
	var rs [3]rune
	n := 0
	for _, r := range term {
		if n < len(rs) {
			rs[n] = r
		}
		n++
	}
	switch n {
	case 0:
		return Match{}
	case 1:
		return s.findChar(rs[0])
	case 2:
		ords, tfs := s.Postings(Bigram(rs[0], rs[1]), nil, nil)
		out := Match{Ords: ords, TFs: make([]uint32, len(tfs))}
		for i, tf := range tfs {
			out.TFs[i] = uint32(tf)
		}
		return out
	}
	return s.findLong(term)
}

// findChar returns the union of the pairs that r starts (see Key), which
// are contiguous in the dictionary, summing their frequencies.
func (s *Segment) findChar(r rune) Match {
	lo := s.search(Bigram(r, 0))
	hi := s.search(Bigram(r, End) + 1)
	if lo == hi {
		return Match{}
	}
	counts := make([]uint32, s.n)
	var ords []uint32
	var tfs []uint8
	for i := lo; i < hi; i++ {
		ords, tfs = s.postingsAt(i, ords[:0], tfs[:0])
		for j, o := range ords {
			counts[o] += uint32(tfs[j])
		}
	}
	var out Match
	for o, c := range counts {
		if c > 0 {
			out.Ords = append(out.Ords, uint32(o))
			out.TFs = append(out.TFs, c)
		}
	}
	return out
}

func (s *Segment) findLong(term string) Match {
	type gram struct{ i, df int }
	var grams []gram
	prev := rune(-1)
	for _, r := range term {
		if prev >= 0 {
			i := s.find(Bigram(prev, r))
			if i < 0 {
				return Match{}
			}
			if !slices.ContainsFunc(grams, func(g gram) bool { return g.i == i }) {
				grams = append(grams, gram{i, int(le.Uint32(s.dfs[4*i:]))})
			}
		}
		prev = r
	}
	slices.SortFunc(grams, func(a, b gram) int { return a.df - b.df })
	cands, _ := s.postingsAt(grams[0].i, nil, nil)
	var other []uint32
	for _, g := range grams[1:] {
		if len(cands) == 0 || g.df > verifyRatio*len(cands) {
			break
		}
		other, _ = s.postingsAt(g.i, other[:0], nil)
		cands = intersect(cands, other)
	}
	needle := []byte(term)
	out := Match{Ords: cands[:0]}
	for _, o := range cands {
		if c := bytes.Count(s.Text(o), needle); c > 0 {
			out.Ords = append(out.Ords, o)
			out.TFs = append(out.TFs, uint32(c))
		}
	}
	return out
}

// intersect returns the elements of sorted a that are in sorted b, in a's
// backing array.
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == x {
			out = append(out, x)
		}
	}
	return out
}

// Contains reports whether folded text contains folded term: what Find
// computes, for one paragraph (tests compare the two).
func Contains(text, term string) bool {
	return utf8.ValidString(term) && term != "" && bytes.Contains([]byte(text), []byte(term))
}
