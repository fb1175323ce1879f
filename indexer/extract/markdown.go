package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// extractMarkdown reads Markdown as the text a reader sees when it is
// rendered: headings (ATX "# " and setext) with their level, paragraphs with
// their hard-wrapped lines joined, list items, table rows and code lines,
// without markup (emphasis, links, images, HTML tags). It is a pragmatic
// subset of CommonMark/GFM, enough for reports written or converted to
// Markdown; nested structure (lists in quotes, indented code) is flattened.
func extractMarkdown(data []byte, lim *Limits) (*Document, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	lines, err := mdLines(normalizeNewlines(d.text), lim.MaxParagraphs)
	if err != nil {
		return nil, err
	}
	p := mdParser{maxBlocks: lim.MaxParagraphs}
	p.parse(lines)
	if p.full {
		return nil, tooManyParagraphs(p.maxBlocks)
	}
	title := p.title
	if title == "" {
		for _, b := range p.blocks {
			if b.Heading == 1 {
				title = b.Text
				break
			}
		}
	}
	return &Document{Format: FormatMarkdown, Encoding: d.enc, Title: title, Blocks: p.blocks, ReplacedBytes: d.replaced}, nil
}

// mdLines splits text into lines, keeping one blank line of each run of
// them (the parser treats one like many), so that the slice is bounded by
// the non-blank lines: more than max of them is an error naming
// MaxParagraphs.
func mdLines(text string, max int) ([]string, error) {
	var lines []string
	nonBlank := 0
	blank := false
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Trim(line, " \t") == "" { // as blank as the parser sees it
			if !blank {
				lines = append(lines, line)
			}
			blank = true
			continue
		}
		if nonBlank++; nonBlank > max {
			return nil, tooManyParagraphs(max)
		}
		lines = append(lines, line)
		blank = false
	}
	return lines, nil
}

// normalizeNewlines converts CRLF and CR line ends to LF.
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

var (
	atxHeadingRE   = regexp.MustCompile(`^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRE       = regexp.MustCompile(`^(=+|-+)[ \t]*$`)
	thematicRE     = regexp.MustCompile(`^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	listItemRE     = regexp.MustCompile(`^(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)`)
	taskRE         = regexp.MustCompile(`^\[[ xX]\][ \t]+`)
	fenceRE        = regexp.MustCompile("^(`{3,}|~{3,})")
	linkDefRE      = regexp.MustCompile(`^\[[^\]^][^\]]*\]:[ \t]*\S`)
	footnoteDefRE  = regexp.MustCompile(`^\[\^[^\]]+\]:[ \t]*`)
	tableDelimRE   = regexp.MustCompile(`^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	imageRE        = regexp.MustCompile(`!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])`)
	inlineLinkRE   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	refLinkRE      = regexp.MustCompile(`\[([^\]^][^\]]*)\]\[[^\]]*\]`)
	footnoteRefRE  = regexp.MustCompile(`\[\^[^\]]+\]`)
	autolinkRE     = regexp.MustCompile(`<((?:https?|ftp|mailto):[^>\s]+|[^>\s@]+@[^>\s]+)>`)
	brTagRE        = regexp.MustCompile(`(?i)<br\s*/?>`)
	htmlTagRE      = regexp.MustCompile(`<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?/?>`)
	starEmphasisRE = regexp.MustCompile(`\*([^*\s](?:[^*]*[^*\s])?)\*`)
	underEmphRE    = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_([^_\s](?:[^_]*[^_\s])?)_($|[^\p{L}\p{N}_])`)
)

// mdParser turns Markdown lines into blocks.
type mdParser struct {
	blocks    []Block
	maxBlocks int // more blocks set full and end parsing
	full      bool
	para      []string // lines of the paragraph or list item being read
	item      bool     // para is a list item
	title     string   // from front matter
}

func (p *mdParser) parse(lines []string) {
	i := p.frontMatter(lines)
	for i < len(lines) && !p.full {
		line := strings.TrimRight(lines[i], " \t")
		i++
		trimmed := strings.TrimLeft(line, " \t")
		// Block quotes are read as their content.
		for strings.HasPrefix(trimmed, ">") {
			trimmed = strings.TrimLeft(trimmed[1:], " \t")
		}
		indented := len(line)-len(strings.TrimLeft(line, " ")) >= 4

		switch {
		case trimmed == "":
			p.flush()
		case strings.HasPrefix(trimmed, "<!--") && !strings.Contains(trimmed, "-->"):
			// multi-line HTML comment
			p.flush()
			for i < len(lines) && !strings.Contains(lines[i], "-->") {
				i++
			}
			i++
		case fenceRE.MatchString(trimmed) && !indented:
			p.flush()
			i = p.codeFence(lines, i, fenceRE.FindString(trimmed))
		case atxHeadingRE.MatchString(trimmed) && !indented:
			p.flush()
			m := atxHeadingRE.FindStringSubmatch(trimmed)
			p.add(mdInline(m[2]), len(m[1]))
		case len(p.para) > 0 && !indented && setextRE.MatchString(trimmed) && !p.item:
			level := 1
			if trimmed[0] == '-' {
				level = 2
			}
			text := p.joined()
			p.para = nil
			p.add(text, level)
		case thematicRE.MatchString(trimmed):
			p.flush()
		case i < len(lines) && strings.Contains(trimmed, "|") && isTableDelimiter(lines[i]):
			p.flush()
			i = p.table(lines, i-1)
		case linkDefRE.MatchString(trimmed):
			p.flush()
		case footnoteDefRE.MatchString(trimmed):
			p.flush()
			p.para = []string{footnoteDefRE.ReplaceAllString(trimmed, "")}
		case listItemRE.MatchString(trimmed):
			p.flush()
			item := listItemRE.ReplaceAllString(trimmed, "")
			p.para = []string{taskRE.ReplaceAllString(item, "")}
			p.item = true
		default:
			p.para = append(p.para, strings.TrimSuffix(trimmed, "\\"))
		}
	}
	p.flush()
}

// frontMatter skips a leading YAML front matter block, keeping its title,
// and returns the index of the first line after it.
func (p *mdParser) frontMatter(lines []string) int {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return 0
	}
	for j := 1; j < len(lines); j++ {
		switch t := strings.TrimSpace(lines[j]); {
		case t == "---" || t == "...":
			return j + 1
		case strings.HasPrefix(t, "title:") && p.title == "":
			p.title = strings.Trim(strings.TrimSpace(strings.TrimPrefix(t, "title:")), `"'`)
		}
	}
	p.title = "" // no closing line: not front matter
	return 0
}

// codeFence emits the lines of a fenced code block verbatim, one block per
// non-blank line, and returns the index after the closing fence.
func (p *mdParser) codeFence(lines []string, i int, fence string) int {
	for ; i < len(lines) && !p.full; i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
			return i + 1
		}
		p.add(strings.TrimRight(lines[i], " \t"), 0)
	}
	return i
}

func isTableDelimiter(line string) bool {
	t := strings.TrimSpace(line)
	return strings.Contains(t, "-") && tableDelimRE.MatchString(t) &&
		(strings.Contains(t, "|") || strings.Contains(t, ":"))
}

// table emits the header row at lines[i] and the body rows after the
// delimiter row, and returns the index after the table.
func (p *mdParser) table(lines []string, i int) int {
	p.add(tableRow(lines[i]), 0)
	for i += 2; i < len(lines) && !p.full; i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || !strings.Contains(t, "|") {
			break
		}
		p.add(tableRow(t), 0)
	}
	return i
}

// tableRow converts "| a | b |" to "a | b", dropping empty cells.
func tableRow(line string) string {
	t := strings.TrimSpace(line)
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, `\|`) {
		t = t[:len(t)-1]
	}
	var cells []string
	start := 0
	for j := 0; j < len(t); j++ {
		switch t[j] {
		case '\\':
			j++
		case '|':
			cells = appendCell(cells, t[start:j])
			start = j + 1
		}
	}
	cells = appendCell(cells, t[start:])
	return strings.Join(cells, " | ")
}

func appendCell(cells []string, cell string) []string {
	if c := mdInline(strings.ReplaceAll(cell, `\|`, "|")); c != "" {
		return append(cells, c)
	}
	return cells
}

// add appends a block if it has text.
func (p *mdParser) add(text string, heading int) {
	if strings.TrimSpace(text) == "" {
		return
	}
	if len(p.blocks) == p.maxBlocks {
		p.full = true
		return
	}
	p.blocks = append(p.blocks, Block{Text: text, Heading: heading})
}

// flush emits the pending paragraph or list item.
func (p *mdParser) flush() {
	if len(p.para) > 0 {
		p.add(p.joined(), 0)
	}
	p.para, p.item = nil, false
}

// joined renders the pending lines as one paragraph.
func (p *mdParser) joined() string {
	lines := make([]string, 0, len(p.para))
	for _, l := range p.para {
		if l = mdInline(l); l != "" {
			lines = append(lines, l)
		}
	}
	return joinWrapped(lines)
}

// joinWrapped joins the lines of a hard-wrapped paragraph as a browser
// renders them (CSS Text segment-break rules): nothing between two East
// Asian wide characters, a space otherwise.
func joinWrapped(lines []string) string {
	var sb strings.Builder
	for i, l := range lines {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(sb.String())
			first, _ := utf8.DecodeRuneInString(l)
			if !isWide(last) || !isWide(first) {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(l)
	}
	return sb.String()
}

// isWide reports CJK characters and punctuation, between which a line break
// is not a word space.
func isWide(r rune) bool {
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo):
		return true
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0x2018 && r <= 0x201F, // curly quotes, as used in Chinese text
		r == 0x2014, r == 0x2026:   // em dash, ellipsis
		return true
	}
	return false
}

// mdInline removes inline Markdown markup from s: code span delimiters
// (their content is kept verbatim), images, link syntax (the link text is
// kept), emphasis markers, HTML tags and escapes; entities are decoded.
func mdInline(s string) string {
	var sb strings.Builder
	for s != "" {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			sb.WriteString(mdMarkup(s))
			break
		}
		n := start
		for n < len(s) && s[n] == '`' {
			n++
		}
		ticks := s[start:n]
		end := strings.Index(s[n:], ticks)
		if end < 0 {
			sb.WriteString(mdMarkup(s))
			break
		}
		sb.WriteString(mdMarkup(s[:start]))
		code := s[n : n+end]
		if len(code) > 1 && code[0] == ' ' && code[len(code)-1] == ' ' {
			code = code[1 : len(code)-1]
		}
		sb.WriteString(code)
		s = s[n+end+len(ticks):]
	}
	return strings.TrimSpace(sb.String())
}

// escapeBase maps escaped ASCII punctuation to private-use characters while
// the markup is removed, so that \* or \[ survive as literal text.
const escapeBase = 0xF0000

func mdMarkup(s string) string {
	if strings.IndexByte(s, '\\') >= 0 {
		var sb strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
				sb.WriteRune(escapeBase + rune(s[i+1]))
				i++
				continue
			}
			sb.WriteByte(s[i])
		}
		s = sb.String()
	}
	s = imageRE.ReplaceAllString(s, "")
	s = inlineLinkRE.ReplaceAllString(s, "$1")
	s = refLinkRE.ReplaceAllString(s, "$1")
	s = footnoteRefRE.ReplaceAllString(s, "")
	s = autolinkRE.ReplaceAllString(s, "$1")
	s = brTagRE.ReplaceAllString(s, " ")
	s = htmlTagRE.ReplaceAllString(s, "")
	s = strings.NewReplacer("**", "", "__", "", "~~", "").Replace(s)
	s = starEmphasisRE.ReplaceAllString(s, "$1")
	s = underEmphRE.ReplaceAllString(s, "$1$2$3")
	s = html.UnescapeString(s)
	return strings.Map(func(r rune) rune {
		if r > escapeBase && r < escapeBase+0x80 {
			return r - escapeBase
		}
		return r
	}, s)
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
