package grams

import "slices"

// Source is a segment to merge and which of its reports to drop.
type Source struct {
	Seg  *Segment
	Dead func(report uint32) bool
}

// Merge writes to path one segment holding the live reports of srcs, in
// order, with their postings copied (not recomputed from the text). It
// returns the number of paragraphs written.
func Merge(path string, srcs []Source) (int, error) {
	var (
		reports []Report
		paras   []Para
		chars   []uint32
		offs    = []uint32{0}
		text    []byte
	)
	remap := make([][]int32, len(srcs))
	var ords []uint32
	for si, src := range srcs {
		s := src.Seg
		m := make([]int32, s.n)
		for i := range m {
			m[i] = -1
		}
		for ri, r := range s.reports {
			if src.Dead != nil && src.Dead(uint32(ri)) {
				continue
			}
			nr := Report{ID: r.ID, Meta: r.Meta, First: uint32(len(paras)), Count: r.Count}
			reports = append(reports, nr)
			ords = ords[:0]
			for o := r.First; o < r.First+r.Count; o++ {
				ords = append(ords, o)
			}
			err := s.EachText(ords, func(_ int, t []byte) error {
				text = append(text, t...)
				if len(text) > maxSegmentBytes/2 {
					return ErrTooLarge
				}
				offs = append(offs, uint32(len(text)))
				return nil
			})
			if err != nil {
				return 0, err
			}
			for _, o := range ords {
				m[o] = int32(len(paras))
				paras = append(paras, Para{Report: uint32(len(reports) - 1), N: s.N(o), Heading: s.Heading(o)})
				chars = append(chars, s.Chars(o))
			}
		}
		remap[si] = m
	}

	var all []Key
	for _, src := range srcs {
		for i := range src.Seg.ngrams {
			all = append(all, src.Seg.keyAt(i))
		}
	}
	slices.Sort(all)
	all = slices.Compact(all)

	cursor := make([]int, len(srcs))
	var (
		keys     []Key
		dfs      []uint32
		postOffs []uint32
		post     []byte
		tfs      []uint8
	)
	for _, k := range all {
		start := len(post)
		var df uint32
		var prev uint32
		for si, src := range srcs {
			s := src.Seg
			c := cursor[si]
			for c < s.ngrams && s.keyAt(c) < k {
				c++
			}
			cursor[si] = c
			if c == s.ngrams || s.keyAt(c) != k {
				continue
			}
			ords, tfs = s.postingsAt(c, ords[:0], tfs[:0])
			for j, o := range ords {
				no := remap[si][o]
				if no < 0 {
					continue
				}
				post = appendPosting(post, uint32(no)-prev, tfs[j])
				prev = uint32(no)
				df++
			}
		}
		if df == 0 {
			continue
		}
		keys = append(keys, k)
		dfs = append(dfs, df)
		postOffs = append(postOffs, uint32(start))
	}
	postOffs = append(postOffs, uint32(len(post)))
	if err := writeSegment(path, reports, paras, chars, offs, text, keys, dfs, postOffs, post); err != nil {
		return 0, err
	}
	return len(paras), nil
}
