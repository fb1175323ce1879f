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
	var key Key
	switch n {
	case 0:
		return Match{}
	case 1:
		key = Unigram(rs[0])
	case 2:
		key = Bigram(rs[0], rs[1])
	default:
		return s.findLong(term)
	}
	ords, tfs := s.Postings(key, nil, nil)
	out := Match{Ords: ords, TFs: make([]uint32, len(tfs))}
	for i, tf := range tfs {
		out.TFs[i] = uint32(tf)
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
