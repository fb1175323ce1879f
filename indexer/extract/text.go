package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// extractText handles plain text: every non-blank line is one block. Lines
// are not joined here, and nothing is trimmed, because the paragraph
// structure of text files varies (one line per paragraph, hard-wrapped
// lines, 　　-indented paragraphs) and is reconstructed by a later stage.
func extractText(data []byte) (*Document, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	return &Document{Format: FormatText, Encoding: enc, Blocks: lineBlocks(text)}, nil
}

// lineBlocks splits text into one block per non-blank line. CRLF, CR and
// form feed (page breaks in pdftotext output) all end a line. A block
// after one or more blank lines has AfterBlank set: plain text separates
// paragraphs that way, and the cleaning stage needs to know.
func lineBlocks(text string) []Block {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var blocks []Block
	blank := false
	for line := range strings.SplitSeq(text, "\n") {
		for part := range strings.FieldsFuncSeq(line, isLineBreak) {
			if strings.TrimFunc(part, unicode.IsSpace) == "" {
				blank = true
				continue
			}
			blocks = append(blocks, Block{Text: part, AfterBlank: blank && len(blocks) > 0})
			blank = false
		}
		if strings.TrimFunc(line, unicode.IsSpace) == "" {
			blank = true
		}
	}
	return blocks
}

// decodeText converts data to UTF-8, detecting its encoding: a BOM (UTF-8,
// UTF-16 LE/BE) is authoritative; otherwise valid UTF-8 is UTF-8; otherwise
// the data is decoded as GB18030 (a superset of GBK and GB2312, the legacy
// encodings of mainland documents) or Big5, whichever decoding is clean and
// most plausible (big5.go). Content that is not text in any of these encodings gives a
// *SkipError. The returned text has no BOM.
func decodeText(data []byte) (text, enc string, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text, enc = strings.ToValidUTF8(string(data[len(bomUTF8):]), "\uFFFD"), EncodingUTF8BOM
	case bytes.HasPrefix(data, bomUTF16LE):
		text, enc = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), data[2:]), EncodingUTF16LE
	case bytes.HasPrefix(data, bomUTF16BE):
		text, enc = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), data[2:]), EncodingUTF16BE
	case utf8.Valid(data):
		text, enc = string(data), EncodingUTF8
	default:
		// GB18030 or Big5, whichever decodes cleanly and reads as real
		// text (see decodeLegacy).
		text, enc, ok := decodeLegacy(data)
		if !ok {
			return "", "", skipf("unsupported format: %s (not text in UTF-8, UTF-16 with BOM, GB18030 or Big5)", binaryKind(data))
		}
		return text, enc, nil
	}
	q := measure(text)
	if q.controls*100 > q.total || q.invalid*100 > q.total {
		return "", "", skipf("unsupported format: %s (too many control bytes or invalid sequences for %s text)", binaryKind(data), enc)
	}
	return text, enc, nil
}

// decodeWith decodes data with enc. The x/text decoders used here never fail:
// invalid input becomes U+FFFD, which measure counts.
func decodeWith(enc encoding.Encoding, data []byte) string {
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// textQuality counts what tells text from binary data.
type textQuality struct {
	total    int // runes
	controls int // control characters other than tab and line breaks
	invalid  int // U+FFFD replacement characters
}

func measure(s string) textQuality {
	var q textQuality
	for _, r := range s {
		q.total++
		switch {
		case r == utf8.RuneError:
			q.invalid++
		case isControl(r) && r != 0xfeff:
			q.controls++
		}
	}
	return q
}
