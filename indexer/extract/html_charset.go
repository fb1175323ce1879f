package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The charset of an HTML page: the one it declares (a meta tag, an XML
// declaration, a Content-Type) when the text it gives is plausible, else
// sniffed like plain text (see text.go).

// decodeHTML converts an HTML file to UTF-8. A BOM wins; then bytes that are
// valid UTF-8 and not plain ASCII are UTF-8 whatever the page declares
// (GBK text is practically never valid UTF-8, while pages re-saved as UTF-8
// often keep their old gb2312 declaration); then a declared GBK/GB2312/
// GB18030 or Big5 charset is honoured if the text it gives is plausible
// (decodeDeclared); anything else (no declaration, one this package does
// not support, a wrong one, or damaged bytes) falls back to sniffing as
// for plain text, where damaged bytes are replaced (see decodeText).
func decodeHTML(data []byte) (decoded, error) {
	if bytes.HasPrefix(data, bomUTF8) || bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return decode(data)
	}
	if hasNonASCII(data) && (utf8.Valid(data) || damagedUTF8(data)) {
		return decode(data)
	}
	if text, enc, ok := decodeDeclared(data, declaredCharset(data)); ok {
		return decoded{text: text, enc: enc}, nil
	}
	return decode(data)
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// isGBLabel reports the charset labels of the GB family, all decoded with
// GB18030, their common superset.
func isGBLabel(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "gbk", "gb2312", "gb_2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "ms936",
		"windows-936", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280":
		return true
	}
	return false
}

var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']`)

// declaredCharset finds the charset declared by an XML declaration or a
// <meta charset> / <meta http-equiv="Content-Type"> tag before <body>. The
// tokenizer can run on the raw bytes because the GB encodings never use
// ASCII bytes inside multi-byte characters where it matters (<, >, quotes).
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 16<<10)]
	if m := xmlEncodingRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
				var charset, httpEquiv, content string
				for hasAttr {
					var key, val []byte
					key, val, hasAttr = z.TagAttr()
					switch string(key) {
					case "charset":
						charset = string(val)
					case "http-equiv":
						httpEquiv = string(val)
					case "content":
						content = string(val)
					}
				}
				if charset != "" {
					return charset
				}
				if strings.EqualFold(strings.TrimSpace(httpEquiv), "content-type") {
					if cs := charsetFromContentType(content); cs != "" {
						return cs
					}
				}
			}
		}
	}
}

// charsetFromContentType extracts charset=... from "text/html; charset=gbk".
func charsetFromContentType(ct string) string {
	lower := strings.ToLower(ct)
	i := strings.Index(lower, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(lower[i+len("charset"):], " \t")
	rest, ok := strings.CutPrefix(rest, "=")
	if !ok {
		return ""
	}
	rest = strings.Trim(rest, " \t\"'")
	if end := strings.IndexAny(rest, " \t;\"'"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}
