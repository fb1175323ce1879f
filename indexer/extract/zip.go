package extract

// Zip archives (DOCX, and the other OOXML/ODF formats) read within Limits.
//
// A zip bomb is a small archive whose members expand to gigabytes; its
// headers may state the true size or lie about it. So every member that is
// read is checked twice: its header (declared uncompressed size and
// compression ratio) before anything is decompressed, and the bytes
// actually produced while reading, against the compressed bytes actually
// consumed. The number of members is read from the end-of-central-directory
// record before archive/zip parses the directory, since every entry costs
// memory.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"sync"
)

// zipArchive is an opened zip file with the byte budget of its reads.
type zipArchive struct {
	zr  *zip.Reader
	lim *Limits
	// read is the uncompressed bytes read so far from all members.
	read int64
	// xml is the element budget shared by the XML parts read.
	xml xmlBudget
}

// openZip opens a zip archive held in data.
func openZip(data []byte, lim *Limits) (*zipArchive, error) {
	if n, ok := zipDirectoryEntries(data); ok && n > uint64(lim.MaxZipMembers) {
		return nil, tooManyMembers(n, lim.MaxZipMembers)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) > lim.MaxZipMembers {
		return nil, tooManyMembers(uint64(len(zr.File)), lim.MaxZipMembers)
	}
	return &zipArchive{zr: zr, lim: lim, xml: xmlBudget{lim: lim}}, nil
}

func tooManyMembers(n uint64, max int) *limitError {
	return overLimit("MaxZipMembers", "zip archive has %d members, more than %d", n, max)
}

// zipDirectoryEntries reads the number of entries from the end of central
// directory record (or its zip64 version); ok is false if there is none.
func zipDirectoryEntries(data []byte) (n uint64, ok bool) {
	const eocdLen, eocdSig = 22, 0x06054b50
	// The record is followed by a comment of at most 65,535 bytes.
	lo := max(0, len(data)-eocdLen-0xffff)
	i := len(data) - eocdLen
	for ; i >= lo; i-- {
		if binary.LittleEndian.Uint32(data[i:]) == eocdSig {
			break
		}
	}
	if i < lo {
		return 0, false
	}
	n = uint64(binary.LittleEndian.Uint16(data[i+10:]))
	if n != 0xffff {
		return n, true
	}
	// zip64: a locator just before the record points to the zip64 record.
	const locLen, locSig, z64Sig = 20, 0x07064b50, 0x06064b50
	if i < locLen || binary.LittleEndian.Uint32(data[i-locLen:]) != locSig {
		return n, true
	}
	off := binary.LittleEndian.Uint64(data[i-locLen+8:])
	if len(data) < 56 || off > uint64(len(data)-56) || binary.LittleEndian.Uint32(data[off:]) != z64Sig {
		return n, true
	}
	return binary.LittleEndian.Uint64(data[off+32:]), true
}

// open returns a reader of member f's uncompressed bytes that fails with a
// *limitError as soon as a limit is exceeded.
func (a *zipArchive) open(f *zip.File) (io.ReadCloser, error) {
	lim := a.lim
	size := f.UncompressedSize64
	switch {
	case size > uint64(lim.MaxZipMemberSize):
		return nil, memberTooLarge(f.Name, lim.MaxZipMemberSize)
	case uint64(a.read)+size > uint64(lim.MaxZipTotalSize):
		return nil, archiveTooLarge(lim.MaxZipTotalSize)
	case size >= zipRatioFloor && size/uint64(lim.MaxZipRatio) >= max(f.CompressedSize64, 1):
		return nil, ratioTooHigh(f.Name, lim.MaxZipRatio)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	m := &zipMember{a: a, f: f, raw: &countingReader{r: raw}}
	switch f.Method {
	case zip.Store:
		m.dec = m.raw
	case zip.Deflate:
		// flate reads through a bufio.Reader it is given (as a ByteReader),
		// so that the compressed bytes consumed are known exactly.
		m.buf = bufioPool.Get().(*bufio.Reader)
		m.buf.Reset(m.raw)
		m.flate = newFlateReader(m.buf)
		m.dec = m.flate
	default:
		return nil, zip.ErrAlgorithm
	}
	if f.CRC32 != 0 {
		m.crc = crc32.NewIEEE()
	}
	return m, nil
}

func memberTooLarge(name string, max int64) *limitError {
	return overLimit("MaxZipMemberSize", "zip member %s is over %s uncompressed", name, sizeString(max))
}

func archiveTooLarge(max int64) *limitError {
	return overLimit("MaxZipTotalSize", "zip members read are over %s uncompressed", sizeString(max))
}

func ratioTooHigh(name string, max int) *limitError {
	return overLimit("MaxZipRatio", "zip member %s expands more than %d times (a zip bomb?)", name, max)
}

// zipMember reads one member, counting what goes in and comes out.
type zipMember struct {
	a     *zipArchive
	f     *zip.File
	raw   *countingReader // compressed bytes
	buf   *bufio.Reader   // over raw, for flate; nil when stored
	flate io.ReadCloser
	dec   io.Reader // uncompressed bytes
	crc   hash.Hash32
	out   int64 // uncompressed bytes produced
}

func (m *zipMember) Read(p []byte) (int, error) {
	lim := m.a.lim
	// Never produce more than one byte past a limit.
	room := min(lim.MaxZipMemberSize-m.out, lim.MaxZipTotalSize-m.a.read) + 1
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := m.dec.Read(p)
	m.out += int64(n)
	m.a.read += int64(n)
	if m.crc != nil {
		m.crc.Write(p[:n])
	}
	in := m.raw.n
	if m.buf != nil {
		in -= int64(m.buf.Buffered())
	}
	// A limit error comes alone, without the bytes read with it: a
	// decoder would otherwise report the cut they end with instead.
	switch {
	case m.out > lim.MaxZipMemberSize:
		return 0, memberTooLarge(m.f.Name, lim.MaxZipMemberSize)
	case m.a.read > lim.MaxZipTotalSize:
		return 0, archiveTooLarge(lim.MaxZipTotalSize)
	case m.out >= zipRatioFloor && m.out > max(in, 1)*int64(lim.MaxZipRatio):
		return 0, ratioTooHigh(m.f.Name, lim.MaxZipRatio)
	case uint64(m.out) > m.f.UncompressedSize64:
		return 0, errors.New("zip: member " + m.f.Name + " is larger than its header says")
	}
	if err == io.EOF {
		if uint64(m.out) != m.f.UncompressedSize64 {
			return n, io.ErrUnexpectedEOF
		}
		if m.crc != nil && m.crc.Sum32() != m.f.CRC32 {
			return n, zip.ErrChecksum
		}
	}
	return n, err
}

func (m *zipMember) Close() error {
	if m.flate == nil {
		return nil
	}
	err := m.flate.Close()
	flatePool.Put(m.flate)
	m.buf.Reset(nil)
	bufioPool.Put(m.buf)
	m.flate, m.buf = nil, nil
	return err
}

// Decompressors and their input buffers are reused, as archive/zip does:
// a flate reader holds a 32 KB window, and a DOCX has several parts.
var (
	flatePool sync.Pool
	bufioPool = sync.Pool{New: func() any { return bufio.NewReader(nil) }}
)

func newFlateReader(r io.Reader) io.ReadCloser {
	if fr, ok := flatePool.Get().(io.ReadCloser); ok {
		fr.(flate.Resetter).Reset(r, nil)
		return fr
	}
	return flate.NewReader(r)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
