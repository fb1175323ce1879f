package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// extractText handles plain text: every non-blank line is one block. Lines
// are not joined here, and nothing is trimmed, because the paragraph
// structure of text files varies (one line per paragraph, hard-wrapped
// lines, 　　-indented paragraphs) and is reconstructed by a later stage.
func extractText(data []byte, lim *Limits) (*Document, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	blocks, err := lineBlocks(d.text, lim.MaxParagraphs)
	if err != nil {
		return nil, err
	}
	return &Document{Format: FormatText, Encoding: d.enc, Blocks: blocks, ReplacedBytes: d.replaced}, nil
}

// lineBlocks splits text into one block per non-blank line. CRLF, CR and
// form feed (page breaks in pdftotext output) all end a line. A block
// after one or more blank lines has AfterBlank set: plain text separates
// paragraphs that way, and the cleaning stage needs to know. More than max
// blocks is an error naming MaxParagraphs, found before they are all
// collected.
func lineBlocks(text string, max int) ([]Block, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var blocks []Block
	blank := false
	for line := range strings.SplitSeq(text, "\n") {
		for part := range strings.FieldsFuncSeq(line, isLineBreak) {
			if strings.TrimFunc(part, unicode.IsSpace) == "" {
				blank = true
				continue
			}
			if len(blocks) == max {
				return nil, tooManyParagraphs(max)
			}
			blocks = append(blocks, Block{Text: part, AfterBlank: blank && len(blocks) > 0})
			blank = false
		}
		if strings.TrimFunc(line, unicode.IsSpace) == "" {
			blank = true
		}
	}
	return blocks, nil
}

// tooManyParagraphs is the error for a file with more than max blocks.
func tooManyParagraphs(max int) *limitError {
	return overLimit("MaxParagraphs", "more than %d paragraphs or lines", max)
}

// decoded is text converted to UTF-8.
type decoded struct {
	text string
	enc  string // one of the Encoding* constants
	// replaced counts the bytes that were not valid in enc: each run of
	// them became one U+FFFD, so that a damaged byte costs one character.
	replaced int
}

// binaryPercent is the share of a file's bytes, in percent, that may be
// invalid in its encoding or control characters (other than tab, line
// and page breaks) for it to still be text. Damaged text has a handful of
// such bytes; binary data decoded as GB18030 (which accepts most byte
// pairs) a fifth or more. One such byte is tolerated in any file.
const binaryPercent = 10

// decodeText converts data to UTF-8, detecting its encoding: a BOM (UTF-8,
// UTF-16 LE/BE) is authoritative; otherwise valid UTF-8 is UTF-8, and so
// is UTF-8 with a few damaged bytes (far fewer invalid bytes than valid
// multi-byte characters); otherwise the data is decoded as GB18030 (a
// superset of GBK and GB2312, the legacy encodings of mainland documents)
// or Big5, whichever decoding is clean and most plausible (big5.go), and
// when neither is clean, as GB18030 with its damaged bytes replaced.
// Invalid bytes are replaced, one U+FFFD per run. Data of which more than
// binaryPercent of the bytes are invalid or control characters is not text
// and gives a *SkipError. The returned text has no BOM.
func decodeText(data []byte) (text, enc string, err error) {
	d, err := decode(data)
	return d.text, d.enc, err
}

// decode is decodeText with the count of replaced bytes.
func decode(data []byte) (decoded, error) {
	var d decoded
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		d.enc = EncodingUTF8BOM
		d.text, d.replaced = decodeUTF8(data[len(bomUTF8):])
	case bytes.HasPrefix(data, bomUTF16LE):
		d.enc = EncodingUTF16LE
		d.text, d.replaced = decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, bomUTF16BE):
		d.enc = EncodingUTF16BE
		d.text, d.replaced = decodeUTF16(data[2:], true)
	case utf8.Valid(data):
		d.text, d.enc = string(data), EncodingUTF8
	case damagedUTF8(data):
		d.enc = EncodingUTF8
		d.text, d.replaced = decodeUTF8(data)
	default:
		// GB18030 or Big5, whichever decodes cleanly and reads as real
		// text (see decodeLegacy); else GB18030, damaged bytes replaced.
		if text, enc, ok := decodeLegacy(data); ok {
			d.text, d.enc = text, enc
			d.replaced = strings.Count(text, "\uFFFD")
			break
		}
		d.enc = EncodingGB18030
		d.text, d.replaced = decodeGB18030(data)
	}
	if err := checkText(data, d); err != nil {
		return decoded{}, err
	}
	return d, nil
}

// checkText refuses decoded data that is mostly not text.
func checkText(data []byte, d decoded) error {
	bad := d.replaced + countControls(d.text)
	if bad <= 1 || bad*100 <= len(data)*binaryPercent {
		return nil
	}
	return skipf("unsupported format: %s (not text: %d%% of the bytes are control characters or invalid in %s; text has at most %d%%)",
		binaryKind(data), bad*100/max(len(data), 1), d.enc, binaryPercent)
}

// countControls counts the control characters of s other than tab, line
// breaks and BOMs.
func countControls(s string) int {
	n := 0
	for _, r := range s {
		if isControl(r) && r != 0xfeff {
			n++
		}
	}
	return n
}

// damagedUTF8 reports data that is UTF-8 with some invalid bytes: at
// least four valid multi-byte characters per invalid byte. GBK text read
// as UTF-8 has many invalid bytes per accidental multi-byte character.
func damagedUTF8(data []byte) bool {
	invalid, multi := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		i += size
	}
	return invalid*4 <= multi
}

// decodeUTF8 replaces each run of invalid bytes in data with one U+FFFD
// and returns the text and the number of bytes replaced.
func decodeUTF8(data []byte) (string, int) {
	if utf8.Valid(data) {
		return string(data), 0
	}
	var sb strings.Builder
	sb.Grow(len(data) + 16)
	replaced := 0
	inRun := false
	start := 0 // of the valid bytes not yet written
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			inRun = false
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || size != 1 {
			i += size
			inRun = false
			continue
		}
		sb.Write(data[start:i])
		if !inRun {
			sb.WriteString("\uFFFD")
		}
		inRun = true
		replaced++
		i++
		start = i
	}
	sb.Write(data[start:])
	return sb.String(), replaced
}

// decodeUTF16 decodes UTF-16 (big-endian if be), replacing each run of
// unpaired surrogates (and an odd last byte) with one U+FFFD.
func decodeUTF16(data []byte, be bool) (string, int) {
	unit := func(i int) rune {
		if be {
			return rune(data[i])<<8 | rune(data[i+1])
		}
		return rune(data[i+1])<<8 | rune(data[i])
	}
	var sb strings.Builder
	sb.Grow(len(data) * 3 / 2)
	replaced := 0
	inRun := false
	bad := func(n int) {
		if !inRun {
			sb.WriteString("\uFFFD")
		}
		inRun = true
		replaced += n
	}
	i := 0
	for ; i+1 < len(data); i += 2 {
		r := unit(i)
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00 && i+3 < len(data) && unit(i+2) >= 0xdc00 && unit(i+2) < 0xe000:
			sb.WriteRune(utf16.DecodeRune(r, unit(i+2)))
			i += 2
			inRun = false
		case utf16.IsSurrogate(r):
			bad(2)
		default:
			sb.WriteRune(r)
			inRun = false
		}
	}
	if i < len(data) {
		bad(1)
	}
	return sb.String(), replaced
}

// decodeGB18030 decodes GB18030 (and so GBK and GB2312), replacing each
// run of bytes that do not form a GB18030 sequence with one U+FFFD. The
// runs between are decoded by x/text, which only sees well-formed
// sequences; gbSequence mirrors its rules so that they agree on where
// every sequence starts.
func decodeGB18030(data []byte) (string, int) {
	var sb strings.Builder
	sb.Grow(len(data) * 3 / 2)
	replaced := 0
	inRun := false
	start := 0 // of the well-formed bytes not yet decoded
	for i := 0; i < len(data); {
		if n := gbSequence(data[i:]); n > 0 {
			i += n
			continue
		}
		if i > start {
			sb.WriteString(decodeWith(simplifiedchinese.GB18030, data[start:i]))
			inRun = false
		}
		if !inRun {
			sb.WriteString("\uFFFD")
		}
		inRun = true
		replaced++
		i++
		start = i
	}
	if start < len(data) {
		sb.WriteString(decodeWith(simplifiedchinese.GB18030, data[start:]))
	}
	return sb.String(), replaced
}

// gbSequence returns the length of the GB18030 sequence at the start of b
// (1, 2 or 4), or 0 if b does not start with one. It follows x/text's
// decoder: 0x80 is the euro sign, a lead byte 0x81-0xFE takes a trail byte
// 0x40-0x7E or 0x80-0xFE, or three more bytes (digit, 0x81-0xFE, digit)
// naming a code point in range.
func gbSequence(b []byte) int {
	c0 := b[0]
	switch {
	case c0 <= 0x80:
		return 1
	case c0 == 0xff || len(b) < 2:
		return 0
	}
	switch c1 := b[1]; {
	case 0x40 <= c1 && c1 < 0x7f, 0x80 <= c1 && c1 < 0xff:
		return 2
	case 0x30 <= c1 && c1 < 0x3a:
		if len(b) < 4 || b[2] < 0x81 || b[2] == 0xff || b[3] < 0x30 || b[3] >= 0x3a {
			return 0
		}
		r := ((rune(c0-0x81)*10+rune(c1-0x30))*126+rune(b[2]-0x81))*10 + rune(b[3]-0x30)
		if r < 39420 || (r >= 189000 && r-189000 < 0x100000) {
			return 4
		}
	}
	return 0
}

// decodeWith decodes data with enc. The x/text decoders used here never fail:
// invalid input becomes U+FFFD.
func decodeWith(enc encoding.Encoding, data []byte) string {
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}
