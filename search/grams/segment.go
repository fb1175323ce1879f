// Package grams is the exact-substring index that sits beside bleve: for
// every paragraph, its folded text and the postings of each pair of
// adjacent characters (see Key). It answers "which paragraphs
// contain this string, and how often" exactly, and counts hits by report
// without touching bleve — the work that dominated search time when the
// character pairs were a bleve phrase field (see docs/benchmarks.md).
//
// The design is the n-gram-plus-verification one of Elasticsearch's
// wildcard field and of zoekt: a string of one or two characters is
// answered from postings alone (a posting is exact: the pair occurs in the
// paragraph); a longer string intersects the postings of its rarest pairs
// and then checks each candidate's folded text.
//
// An index is a set of immutable segment files, each written once by a
// Builder (or by Merge). A segment's tables and postings are read through
// a memory mapping; its text, the largest section and the one read at
// random (verifying candidates, ranking and showing hits), is read with
// pread, so that it stays in the kernel's page cache and out of the
// serving process's resident memory (see docs/benchmarks.md). Which segments
// are live, and which of their reports were deleted or replaced since, is
// recorded by the caller (package bleveindex keeps it inside bleve's own
// atomic batches).
package grams

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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

// Key is a gram: an ordered pair of characters, the second of which may
// be End. Every character of a paragraph starts exactly one pair (the last
// one is paired with End), so the paragraphs containing a character are
// the union of the pairs it starts — a contiguous range of keys — and no
// postings of single characters are needed.
type Key uint64

// End follows the last character of every paragraph; it is not a valid
// rune, so no query contains it.
const End rune = 1<<21 - 1

// Bigram returns the key of a pair.
func Bigram(a, b rune) Key { return Key(uint64(uint32(a))<<21 | uint64(uint32(b))) }

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
	// data is the file from its start up to the text section, mapped.
	data  []byte
	unmap func() error
	// file is the open file when the segment was opened from one; text
	// reads the text section (from file, or from memory in tests).
	file    *os.File
	text    io.ReaderAt
	textLen int64

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
	ngrams     int
}

// textSection is the index of the text among the sections; it is the
// last one in the file, so the mapping ends where it begins.
const textSection = 10

// Open opens a segment file: it maps everything before the text and keeps
// the file open to read the text from.
func Open(path string) (*Segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("grams: %w", err)
	}
	s, err := openFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("grams: %s: %w", path, err)
	}
	return s, nil
}

func openFile(f *os.File) (*Segment, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	head := make([]byte, headerSize)
	if size < headerSize {
		return nil, errors.New("not a segment file (too short)")
	}
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	if string(head[:8]) != magic {
		return nil, errors.New("not a segment file (bad magic)")
	}
	off, n := le.Uint64(head[24+16*textSection:]), le.Uint64(head[32+16*textSection:])
	if off < headerSize || off > uint64(size) || n > uint64(size)-off {
		return nil, errors.New("corrupt segment (section offsets)")
	}
	data, unmap, err := mapFile(f, int(off))
	if err != nil {
		return nil, err
	}
	s, err := parseWith(data, io.NewSectionReader(f, int64(off), int64(n)), int64(n))
	if err != nil {
		unmap()
		return nil, err
	}
	s.unmap, s.file = unmap, f
	return s, nil
}

// Close unmaps the segment and closes its file. Nothing read from it may
// be used afterwards.
func (s *Segment) Close() error {
	var err error
	if s.unmap != nil {
		err = s.unmap()
		s.unmap = nil
	}
	if s.file != nil {
		err = errors.Join(err, s.file.Close())
		s.file = nil
	}
	return err
}

var le = binary.LittleEndian

// parse reads a whole segment file held in memory.
func parse(data []byte) (*Segment, error) {
	if len(data) < headerSize || string(data[:8]) != magic {
		return nil, errors.New("not a segment file (bad magic)")
	}
	off, n := le.Uint64(data[24+16*textSection:]), le.Uint64(data[32+16*textSection:])
	if off < headerSize || off > uint64(len(data)) || n > uint64(len(data))-off {
		return nil, errors.New("corrupt segment (section offsets)")
	}
	return parseWith(data[:off], bytes.NewReader(data[off:off+n]), int64(n))
}

// parseWith reads a segment whose file up to its text section is data
// and whose text (textLen bytes) is read from text.
func parseWith(data []byte, text io.ReaderAt, textLen int64) (*Segment, error) {
	if len(data) < headerSize || string(data[:8]) != magic {
		return nil, errors.New("not a segment file (bad magic)")
	}
	h := data[8:]
	n, nr, g := int(le.Uint32(h)), int(le.Uint32(h[4:])), int(le.Uint32(h[8:]))
	var secs [numSections][]byte
	for i := range secs {
		if i == textSection {
			continue
		}
		off, n := le.Uint64(h[16+16*i:]), le.Uint64(h[24+16*i:])
		if off > uint64(len(data)) || n > uint64(len(data))-off {
			return nil, errors.New("corrupt segment (section offsets)")
		}
		secs[i] = data[off : off+n]
	}
	sec := func(i int) []byte { return secs[i] }
	s := &Segment{data: data, text: text, textLen: textLen, n: n, ngrams: g,
		textOffs: sec(0), paraReport: sec(1), paraN: sec(2), paraChars: sec(3), flags: sec(4),
		keys: sec(6), postOffs: sec(7), dfs: sec(8), post: sec(9)}
	if len(s.textOffs) != 4*(n+1) || len(s.paraReport) != 4*n || len(s.paraN) != 4*n ||
		len(s.paraChars) != 4*n || len(s.flags) < n || len(s.keys) != 8*g ||
		len(s.postOffs) != 4*(g+1) || len(s.dfs) != 4*g {
		return nil, errors.New("corrupt segment (section sizes)")
	}
	rb := sec(5)
	if nr > len(rb)/16 {
		return nil, errors.New("corrupt segment (report count)")
	}
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
		if uint64(r.First)+uint64(r.Count) > uint64(n) {
			return nil, errors.New("corrupt segment (report range)")
		}
		s.reports = append(s.reports, r)
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// validate checks what reading trusts without checking: offsets that
// slice the text and the postings, and paragraphs' report numbers. It
// reads only the offset tables (a few MB at a million paragraphs), so that
// a damaged file is refused when opened rather than failing searches.
func (s *Segment) validate() error {
	var prev uint32
	for i := 0; i <= s.n; i++ {
		o := le.Uint32(s.textOffs[4*i:])
		if o < prev || int64(o) > s.textLen {
			return errors.New("corrupt segment (text offsets)")
		}
		prev = o
	}
	prev = 0
	for i := 0; i <= s.ngrams; i++ {
		o := le.Uint32(s.postOffs[4*i:])
		if o < prev || int(o) > len(s.post) {
			return errors.New("corrupt segment (postings offsets)")
		}
		// Every posting takes at least a byte.
		if i > 0 {
			if df := le.Uint32(s.dfs[4*(i-1):]); int(df) > s.n || df > o-prev {
				return errors.New("corrupt segment (document frequencies)")
			}
		}
		prev = o
	}
	for i := range s.n {
		if int(le.Uint32(s.paraReport[4*i:])) >= len(s.reports) {
			return errors.New("corrupt segment (paragraph reports)")
		}
	}
	return nil
}

// Len is the number of paragraphs in the segment.
func (s *Segment) Len() int { return s.n }

// Reports returns the segment's reports, in ordinal order.
func (s *Segment) Reports() []Report { return s.reports }

// textSpan is where paragraph ord's text lies in the text section.
func (s *Segment) textSpan(ord uint32) (lo, hi uint32) {
	return le.Uint32(s.textOffs[4*ord:]), le.Uint32(s.textOffs[4*ord+4:])
}

// AppendText appends the folded text of paragraph ord to dst.
func (s *Segment) AppendText(dst []byte, ord uint32) ([]byte, error) {
	lo, hi := s.textSpan(ord)
	dst = slices.Grow(dst, int(hi-lo))
	b := dst[len(dst) : len(dst)+int(hi-lo)]
	if err := s.readText(b, lo); err != nil {
		return dst, err
	}
	return dst[:len(dst)+len(b)], nil
}

// readText fills b from the text section at off.
func (s *Segment) readText(b []byte, off uint32) error {
	if len(b) == 0 {
		return nil
	}
	n, err := s.text.ReadAt(b, int64(off))
	if n == len(b) {
		return nil // io.ReaderAt may report io.EOF with a full read
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("grams: reading paragraphs' text: %w", err)
}

// Text returns the folded text of paragraph ord in a new slice.
func (s *Segment) Text(ord uint32) ([]byte, error) { return s.AppendText(nil, ord) }

// Reading the texts of many paragraphs: one read covers a run of them
// when the bytes between two of them (read and thrown away) are fewer
// than textGap, up to textRun bytes a read. On this project's VM a read
// of a few hundred bytes from the page cache costs about what one of 16
// KB does (the system call, not the copy, dominates).
const (
	textGap = 16 << 10
	textRun = 256 << 10
)

// EachText calls fn with the folded text of each of ords, in their order
// (ascending ords are read in few reads). The text is valid only during
// the call; fn's error stops the reading and is returned.
func (s *Segment) EachText(ords []uint32, fn func(i int, text []byte) error) error {
	var buf []byte
	for i := 0; i < len(ords); {
		lo, hi := s.textSpan(ords[i])
		j := i + 1
		for ; j < len(ords); j++ {
			l, h := s.textSpan(ords[j])
			if l < hi || l-hi > textGap || h-lo > textRun {
				break
			}
			hi = h
		}
		buf = slices.Grow(buf[:0], int(hi-lo))[:hi-lo]
		if err := s.readText(buf, lo); err != nil {
			return err
		}
		for k := i; k < j; k++ {
			l, h := s.textSpan(ords[k])
			if err := fn(k, buf[l-lo:h-lo]); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
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
	if i := s.search(k); i < s.ngrams && s.keyAt(i) == k {
		return i
	}
	return -1
}

// search returns the index of the first key >= k.
func (s *Segment) search(k Key) int {
	lo, hi := 0, s.ngrams
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if Key(le.Uint64(s.keys[8*m:])) < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
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
	tfs = slices.Grow(tfs, df)
	var prev uint32
	for range df {
		v := uvarint(&p)
		prev += v >> 1
		if prev >= uint32(s.n) {
			break // damaged: see validate
		}
		ords = append(ords, prev)
		tf := uint8(1)
		if v&1 != 0 {
			tf = uint8(uvarint(&p)) + 2
		}
		tfs = append(tfs, tf)
	}
	return ords, tfs
}

// A posting is a varint of the ordinal's delta from the previous one,
// shifted left by one, whose low bit says that the term frequency is above
// one; it is then followed by a varint of tf-2. Most frequencies are one,
// so most postings of frequent grams take one byte.
func appendPosting(b []byte, delta uint32, tf uint8) []byte {
	if tf <= 1 {
		return binary.AppendUvarint(b, uint64(delta)<<1)
	}
	b = binary.AppendUvarint(b, uint64(delta)<<1|1)
	return binary.AppendUvarint(b, uint64(tf-2))
}

func uvarint(p *[]byte) uint32 {
	b := *p
	var v uint32
	var shift uint
	for i, c := range b {
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			*p = b[i+1:]
			return v
		}
		shift += 7
	}
	*p = nil
	return v
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

	// The grams seen so far, numbered in order of appearance, in an
	// open-addressing table (Go maps cost a third of building time).
	slots    []uint64 // key+1, 0 for an empty slot
	slotGram []int32
	keys     []Key
	// last[g] is the index in events of gram g's latest posting.
	last []int32
	// events are the postings in order of appearance: gram, paragraph,
	// frequency; WriteFile groups them by gram.
	evGram []int32
	evOrd  []uint32
	evTF   []uint8
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{offs: []uint32{0}, slots: make([]uint64, 1<<16), slotGram: make([]int32, 1<<16)}
}

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
		if prev >= 0 {
			b.post(Bigram(prev, r), ord)
		}
		prev = r
	}
	if prev >= 0 {
		b.post(Bigram(prev, End), ord)
	}
	b.chars = append(b.chars, uint32(chars))
	return nil
}

func (b *Builder) post(k Key, ord uint32) {
	g := b.gram(k)
	if e := b.last[g]; e >= 0 && b.evOrd[e] == ord {
		if b.evTF[e] < 255 {
			b.evTF[e]++
		}
		return
	}
	b.last[g] = int32(len(b.evGram))
	b.evGram = append(b.evGram, g)
	b.evOrd = append(b.evOrd, ord)
	b.evTF = append(b.evTF, 1)
}

// gram returns the number of k, adding it when new.
func (b *Builder) gram(k Key) int32 {
	mask := uint64(len(b.slots) - 1)
	for i := (uint64(k) * 0x9E3779B97F4A7C15 >> 20) & mask; ; i = (i + 1) & mask {
		switch b.slots[i] {
		case uint64(k) + 1:
			return b.slotGram[i]
		case 0:
			g := int32(len(b.keys))
			b.slots[i], b.slotGram[i] = uint64(k)+1, g
			b.keys = append(b.keys, k)
			b.last = append(b.last, -1)
			if 2*len(b.keys) > len(b.slots) {
				b.grow()
			}
			return g
		}
	}
}

func (b *Builder) grow() {
	slots, grams := b.slots, b.slotGram
	b.slots, b.slotGram = make([]uint64, 2*len(slots)), make([]int32, 2*len(slots))
	mask := uint64(len(b.slots) - 1)
	for j, v := range slots {
		if v == 0 {
			continue
		}
		i := ((v - 1) * 0x9E3779B97F4A7C15 >> 20) & mask
		for b.slots[i] != 0 {
			i = (i + 1) & mask
		}
		b.slots[i], b.slotGram[i] = v, grams[j]
	}
}

// WriteFile writes the segment to path (through a temporary file, synced
// before it is renamed, so that path is either absent or complete).
func (b *Builder) WriteFile(path string) error {
	// Group the events by gram (a counting sort keeps each gram's
	// postings in paragraph order), then write the grams in key order.
	start := make([]int32, len(b.keys)+1)
	for _, g := range b.evGram {
		start[g+1]++
	}
	for g := range b.keys {
		start[g+1] += start[g]
	}
	dfs := make([]uint32, len(b.keys))
	for g := range b.keys {
		dfs[g] = uint32(start[g+1] - start[g])
	}
	byGram := make([]int32, len(b.evGram))
	fill := slices.Clone(start[:len(b.keys)])
	for e, g := range b.evGram {
		byGram[fill[g]] = int32(e)
		fill[g]++
	}
	order := make([]int32, len(b.keys))
	for g := range order {
		order[g] = int32(g)
	}
	slices.SortFunc(order, func(x, y int32) int {
		switch {
		case b.keys[x] < b.keys[y]:
			return -1
		case b.keys[x] > b.keys[y]:
			return 1
		}
		return 0
	})
	post := make([]byte, 0, len(b.evGram)+len(b.evGram)/4)
	postOffs := make([]uint32, 0, len(order)+1)
	keys := make([]Key, len(order))
	sortedDFs := make([]uint32, len(order))
	for i, g := range order {
		keys[i], sortedDFs[i] = b.keys[g], dfs[g]
		postOffs = append(postOffs, uint32(len(post)))
		var prev uint32
		for _, e := range byGram[start[g]:start[g+1]] {
			o := b.evOrd[e]
			post = appendPosting(post, o-prev, b.evTF[e])
			prev = o
		}
	}
	postOffs = append(postOffs, uint32(len(post)))
	return writeSegment(path, b.reports, b.paras, b.chars, b.offs, b.text, keys, sortedDFs, postOffs, post)
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
	return SyncDir(filepath.Dir(path))
}

// SyncDir flushes a folder's entries (a rename into it) to disk. Where
// folders cannot be synced (Windows), it does nothing.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("grams: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("grams: syncing %s: %w", dir, err)
	}
	return nil
}
