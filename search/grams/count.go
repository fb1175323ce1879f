package grams

// CountContaining is Find(term).Len() without building the match where the
// postings alone decide it: a two-character term is in exactly the
// paragraphs of its pair, so its count is the pair's document frequency,
// read from the dictionary without decoding a posting. Batched counts of
// candidate words (package workbench's collocates) are mostly such words.
func (s *Segment) CountContaining(term string) (int, error) {
	n, rs := 0, [2]rune{}
	for _, r := range term {
		if n < len(rs) {
			rs[n] = r
		}
		n++
	}
	if n != 2 {
		m, err := s.Find(term)
		return m.Len(), err
	}
	i := s.find(Bigram(rs[0], rs[1]))
	if i < 0 {
		return 0, nil
	}
	return int(le.Uint32(s.dfs[4*i:])), nil
}
