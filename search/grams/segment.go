// Package grams is the exact-substring index that sits beside bleve: for
// every paragraph, its folded text and the postings of each of its
// characters and adjacent character pairs. It answers "which paragraphs
// contain this string, and how often" exactly, and counts hits by report
// without touching bleve — the work that dominated search time when the
// character pairs were a bleve phrase field (see docs/benchmarks.md).
//
// The design is the n-gram-plus-verification one of Elasticsearch's
// wildcard field and of zoekt: a string of one or two characters is
// answered from its postings alone (a posting is exact: the pair occurs
// in the paragraph); a longer string intersects the postings of its
// rarest pairs and then checks each candidate's folded text.
//
// An index is a set of immutable segment files, each written once by a
// Builder (or by Merge) and read through a memory mapping. Which segments
// are live, and which of their reports were deleted or replaced since, is
// recorded by the caller (package bleveindex keeps it inside bleve's own
// atomic batches).
package grams

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
)

// Para is one paragraph given to a Builder.
type Para struct {
	// Folded is the paragraph's text after analysis.Fold, the form that
	// queries are matched against.
	Folded string
	// Report is the index of the paragraph's report in the builder's
	// reports; N is the paragraph's number in the report.
	Report  uint32
	N       uint32
	Heading bool
}

// Report is one report of a segment: its id, its metadata (opaque to this
// package) and its paragraphs, which are contiguous in the segment.
type Report struct {
	ID    string
	Meta  []byte
	First uint32 // ordinal of its first paragraph in the segment
	Count uint32 // number of paragraphs
}

// Key is a gram: one character, or an ordered pair of characters.
type Key uint64

const pairBit = 1 << 63

// Unigram and Bigram return the keys of one character and of a pair.
func Unigram(r rune) Key     { return Key(uint32(r)) }
func Bigram(a, b rune) Key   { return Key(pairBit | uint64(uint32(a))<<21 | uint64(uint32(b))) }
func (k Key) IsPair() bool   { return k&pairBit != 0 }
func (k Key) String() string { return fmt.Sprintf("%#x", uint64(k)) }

const (
	magic       = "RSGRAMS1"
	headerSize  = 8 + 4*4 + 16*numSections
	numSections = 11
	// maxSegmentBytes keeps every offset of a segment within uint32.
	maxSegmentBytes = 1<<32 - 1
)

// ErrTooLarge is returned when a segment would exceed 4 GB.
var ErrTooLarge = errors.New("grams: segment would exceed 4 GB")

// Segment is an open, immutable segment file.
type Segment struct {
	data  []byte
	unmap func() error

	n       int // paragraphs
	reports []Report

	textOffs   []byte // (n+1) × u32
	paraReport []byte // n × u32
	paraN      []byte // n × u32
	paraChars  []byte // n × u32
	flags      []byte // n × u8
	keys       []byte // g × u64, sorted
	postOffs   []byte // (g+1) × u32
	dfs        []byte // g × u32
	post       []byte
	text       []byte
	ngrams     int
}

// Open maps a segment file.
func Open(path string) (*Segment, error) {
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("grams: %w", err)
	}
	s, err := parse(data)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("grams: %s: %w", path, err)
	}
	s.unmap = unmap
	return s, nil
}

// Close unmaps the segment. Nothing read from it may be used afterwards.
func (s *Segment) Close() error {
	if s.unmap == nil {
		return nil
	}
	err := s.unmap()
	s.unmap = nil
	return err
}

var le = binary.LittleEndian

func parse(data []byte) (*Segment, error) {
	if len(data) < headerSize || string(data[:8]) != magic {
		return nil, errors.New("not a segment file (bad magic)")
	}
	h := data[8:]
	n, nr, g := int(le.Uint32(h)), int(le.Uint32(h[4:])), int(le.Uint32(h[8:]))
	var secs [numSections][]byte
	for i := range secs {
		off, n := le.Uint64(h[16+16*i:]), le.Uint64(h[24+16*i:])
		if off > uint64(len(data)) || n > uint64(len(data))-off {
			return nil, errors.New("corrupt segment (section offsets)")
		}
		secs[i] = data[off : off+n]
	}
	sec := func(i int) []byte { return secs[i] }
	s := &Segment{data: data, n: n, ngrams: g,
		textOffs: sec(0), paraReport: sec(1), paraN: sec(2), paraChars: sec(3), flags: sec(4),
		keys: sec(6), postOffs: sec(7), dfs: sec(8), post: sec(9), text: sec(10)}
	if len(s.textOffs) != 4*(n+1) || len(s.paraReport) != 4*n || len(s.paraN) != 4*n ||
		len(s.paraChars) != 4*n || len(s.flags) < n || len(s.keys) != 8*g ||
		len(s.postOffs) != 4*(g+1) || len(s.dfs) != 4*g {
		return nil, errors.New("corrupt segment (section sizes)")
	}
	rb := sec(5)
	s.reports = make([]Report, 0, nr)
	for range nr {
		if len(rb) < 16 {
			return nil, errors.New("corrupt segment (reports)")
		}
		r := Report{First: le.Uint32(rb), Count: le.Uint32(rb[4:])}
		il, ml := int(le.Uint32(rb[8:])), int(le.Uint32(rb[12:]))
		rb = rb[16:]
		if len(rb) < il+ml {
			return nil, errors.New("corrupt segment (reports)")
		}
		r.ID, r.Meta = string(rb[:il]), rb[il:il+ml]
		rb = rb[il+ml:]
		s.reports = append(s.reports, r)
	}
	return s, nil
}

// Len is the number of paragraphs in the segment.
func (s *Segment) Len() int { return s.n }

// Reports returns the segment's reports, in ordinal order.
func (s *Segment) Reports() []Report { return s.reports }

// Text returns the folded text of paragraph ord.
func (s *Segment) Text(ord uint32) []byte {
	return s.text[le.Uint32(s.textOffs[4*ord:]):le.Uint32(s.textOffs[4*ord+4:])]
}

// ReportOf returns the index in Reports of paragraph ord's report.
func (s *Segment) ReportOf(ord uint32) uint32 { return le.Uint32(s.paraReport[4*ord:]) }

// N returns paragraph ord's number in its report.
func (s *Segment) N(ord uint32) uint32 { return le.Uint32(s.paraN[4*ord:]) }

// Chars returns paragraph ord's length in characters.
func (s *Segment) Chars(ord uint32) uint32 { return le.Uint32(s.paraChars[4*ord:]) }

// Heading reports whether paragraph ord is a heading line.
func (s *Segment) Heading(ord uint32) bool { return s.flags[ord]&1 != 0 }

// find returns the dictionary index of k, or -1.
func (s *Segment) find(k Key) int {
	lo, hi := 0, s.ngrams
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if Key(le.Uint64(s.keys[8*m:])) < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < s.ngrams && Key(le.Uint64(s.keys[8*lo:])) == k {
		return lo
	}
	return -1
}

// DF returns the number of paragraphs containing gram k.
func (s *Segment) DF(k Key) int {
	i := s.find(k)
	if i < 0 {
		return 0
	}
	return int(le.Uint32(s.dfs[4*i:]))
}

// Postings appends to ords and tfs the paragraphs containing gram k, in
// ordinal order, and how often k occurs in each (capped at 255).
func (s *Segment) Postings(k Key, ords []uint32, tfs []uint8) ([]uint32, []uint8) {
	i := s.find(k)
	if i < 0 {
		return ords, tfs
	}
	return s.postingsAt(i, ords, tfs)
}

func (s *Segment) postingsAt(i int, ords []uint32, tfs []uint8) ([]uint32, []uint8) {
	df := int(le.Uint32(s.dfs[4*i:]))
	p := s.post[le.Uint32(s.postOffs[4*i:]):le.Uint32(s.postOffs[4*i+4:])]
	ords = slices.Grow(ords, df)
	var prev uint32
	for range df {
		var d uint32
		var shift uint
		for {
			b := p[0]
			p = p[1:]
			d |= uint32(b&0x7f) << shift
			if b < 0x80 {
				break
			}
			shift += 7
		}
		prev += d
		ords = append(ords, prev)
	}
	return ords, append(tfs, p[:df]...)
}

// keyAt returns the i-th key of the dictionary.
func (s *Segment) keyAt(i int) Key { return Key(le.Uint64(s.keys[8*i:])) }

// Builder collects paragraphs and writes a segment.
type Builder struct {
	reports []Report
	paras   []Para
	chars   []uint32
	text    []byte
	offs    []uint32

	uni   [1 << 16]int32 // BMP character → index+1 in lists
	index map[Key]int32  // other grams → index in lists
	lists []plist
}

type plist struct {
	key  Key
	ords []uint32
	tfs  []uint8
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{index: map[Key]int32{}, offs: []uint32{0}}
}

// Len is the number of paragraphs added so far.
func (b *Builder) Len() int { return len(b.paras) }

// TextBytes is the size of the folded text added so far.
func (b *Builder) TextBytes() int { return len(b.text) }

// AddReport starts a report; the paragraphs added until the next AddReport
// belong to it. It returns the report's index.
func (b *Builder) AddReport(id string, meta []byte) uint32 {
	b.reports = append(b.reports, Report{ID: id, Meta: meta, First: uint32(len(b.paras))})
	return uint32(len(b.reports) - 1)
}

// Add adds a paragraph of the current report and indexes its grams.
func (b *Builder) Add(p Para) error {
	if len(b.reports) == 0 {
		return errors.New("grams: paragraph added before any report")
	}
	if len(b.text)+len(p.Folded) > maxSegmentBytes/2 {
		return ErrTooLarge
	}
	ord := uint32(len(b.paras))
	p.Report = uint32(len(b.reports) - 1)
	b.reports[p.Report].Count++
	b.paras = append(b.paras, p)
	b.text = append(b.text, p.Folded...)
	b.offs = append(b.offs, uint32(len(b.text)))
	chars := 0
	prev := rune(-1)
	for _, r := range p.Folded {
		chars++
		b.post(Unigram(r), r, ord)
		if prev >= 0 {
			b.post(Bigram(prev, r), -1, ord)
		}
		prev = r
	}
	b.chars = append(b.chars, uint32(chars))
	return nil
}

func (b *Builder) post(k Key, r rune, ord uint32) {
	var i int32
	if r >= 0 && r < 1<<16 {
		i = b.uni[r] - 1
		if i < 0 {
			i = int32(len(b.lists))
			b.uni[r] = i + 1
			b.lists = append(b.lists, plist{key: k})
		}
	} else {
		var ok bool
		if i, ok = b.index[k]; !ok {
			i = int32(len(b.lists))
			b.index[k] = i
			b.lists = append(b.lists, plist{key: k})
		}
	}
	l := &b.lists[i]
	if n := len(l.ords); n > 0 && l.ords[n-1] == ord {
		if l.tfs[n-1] < 255 {
			l.tfs[n-1]++
		}
		return
	}
	l.ords = append(l.ords, ord)
	l.tfs = append(l.tfs, 1)
}

// WriteFile writes the segment to path (through a temporary file, synced
// before it is renamed, so that path is either absent or complete).
func (b *Builder) WriteFile(path string) error {
	slices.SortFunc(b.lists, func(x, y plist) int {
		switch {
		case x.key < y.key:
			return -1
		case x.key > y.key:
			return 1
		}
		return 0
	})
	var post []byte
	postOffs := make([]uint32, 0, len(b.lists)+1)
	for _, l := range b.lists {
		postOffs = append(postOffs, uint32(len(post)))
		var prev uint32
		for _, o := range l.ords {
			post = binary.AppendUvarint(post, uint64(o-prev))
			prev = o
		}
		post = append(post, l.tfs...)
	}
	postOffs = append(postOffs, uint32(len(post)))
	keys := make([]Key, len(b.lists))
	dfs := make([]uint32, len(b.lists))
	for i, l := range b.lists {
		keys[i], dfs[i] = l.key, uint32(len(l.ords))
	}
	return writeSegment(path, b.reports, b.paras, b.chars, b.offs, b.text, keys, dfs, postOffs, post)
}

func writeSegment(path string, reports []Report, paras []Para, chars, offs []uint32, text []byte,
	gramKeys []Key, gramDFs []uint32, postOffs []uint32, post []byte) error {
	n := len(paras)
	var buf []byte
	u32s := func(vs []uint32) []byte {
		out := make([]byte, 0, 4*len(vs))
		for _, v := range vs {
			out = le.AppendUint32(out, v)
		}
		return out
	}
	paraReport, paraN := make([]uint32, n), make([]uint32, n)
	flags := make([]byte, n)
	for i, p := range paras {
		paraReport[i], paraN[i] = p.Report, p.N
		if p.Heading {
			flags[i] = 1
		}
	}
	var rb []byte
	for _, r := range reports {
		rb = le.AppendUint32(rb, r.First)
		rb = le.AppendUint32(rb, r.Count)
		rb = le.AppendUint32(rb, uint32(len(r.ID)))
		rb = le.AppendUint32(rb, uint32(len(r.Meta)))
		rb = append(rb, r.ID...)
		rb = append(rb, r.Meta...)
	}
	keys := make([]byte, 0, 8*len(gramKeys))
	for _, k := range gramKeys {
		keys = le.AppendUint64(keys, uint64(k))
	}
	sections := [][]byte{u32s(offs), u32s(paraReport), u32s(paraN), u32s(chars), flags, rb,
		keys, u32s(postOffs), u32s(gramDFs), post, text}
	total := headerSize
	for _, s := range sections {
		total += len(s) + 8
	}
	if total > maxSegmentBytes {
		return ErrTooLarge
	}
	buf = make([]byte, 0, total)
	buf = append(buf, magic...)
	buf = le.AppendUint32(buf, uint32(n))
	buf = le.AppendUint32(buf, uint32(len(reports)))
	buf = le.AppendUint32(buf, uint32(len(gramKeys)))
	buf = le.AppendUint32(buf, 0)
	// The header gives each section's offset and length; sections are
	// 8-byte aligned.
	pos := uint64(headerSize)
	for _, s := range sections {
		buf = le.AppendUint64(buf, pos)
		buf = le.AppendUint64(buf, uint64(len(s)))
		pos += uint64(len(s)+7) &^ 7
	}
	for _, s := range sections {
		buf = append(buf, s...)
		buf = append(buf, make([]byte, (len(s)+7)&^7-len(s))...)
	}
	return writeAtomic(path, buf)
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("grams: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("grams: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("grams: syncing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("grams: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("grams: %w", err)
	}
	return nil
}
