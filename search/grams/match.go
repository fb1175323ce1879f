package grams

import (
	"bytes"
	"slices"
)

// Match is the paragraphs of one segment that contain a string, in
// ordinal order, with the string's number of occurrences in each.
type Match struct {
	Ords []uint32
	TFs  []uint8 // capped at 255
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
// its rarest pairs, each candidate then checked against its text (whose
// reading is the only step that can fail).
func (s *Segment) Find(term string) (Match, error) {
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
		return Match{}, nil
	case 1:
		return s.findChar(rs[0]), nil
	case 2:
		ords, tfs := s.Postings(Bigram(rs[0], rs[1]), nil, nil)
		return Match{Ords: ords, TFs: tfs}, nil
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
			out.TFs = append(out.TFs, uint8(min(c, 255)))
		}
	}
	return out
}

func (s *Segment) findLong(term string) (Match, error) {
	type gram struct{ i, df int }
	var grams []gram
	prev := rune(-1)
	for _, r := range term {
		if prev >= 0 {
			i := s.find(Bigram(prev, r))
			if i < 0 {
				return Match{}, nil
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
	out := Match{Ords: make([]uint32, 0, len(cands)), TFs: make([]uint8, 0, len(cands))}
	err := s.EachText(cands, func(i int, text []byte) error {
		if c := Count(text, needle); c > 0 {
			out.Ords = append(out.Ords, cands[i])
			out.TFs = append(out.TFs, uint8(min(c, 255)))
		}
		return nil
	})
	if err != nil {
		return Match{}, err
	}
	return out, nil
}

// Count returns the number of non-overlapping occurrences of needle (not
// empty) in text. It looks for the needle's last byte first:
// in Chinese UTF-8 that is a continuation byte, one of 64 values, where
// the first byte is one of a handful of lead bytes found every few bytes,
// which made bytes.Count the largest cost of long queries.
func Count(text, needle []byte) int {
	n := len(needle)
	last := needle[n-1]
	c := 0
	for i := n - 1; i < len(text); {
		j := bytes.IndexByte(text[i:], last)
		if j < 0 {
			break
		}
		i += j
		if bytes.Equal(text[i-n+1:i+1], needle) {
			c++
			i += n
		} else {
			i++
		}
	}
	return c
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
