// Package query parses the reportsearch query syntax into a small tree and
// holds its semantics: the one Match that the index, the reader and the
// tests' oracle share, and the pure rewrites (Fold, Expand) that turn a
// parsed query into what is matched.
//
// Syntax (the same for the CLI, the API and the web page):
//
//	term            a paragraph must contain term verbatim (after folding)
//	a b             both a and b (terms are separated by white space)
//	"a b"           one term that contains a space
//	-term           the paragraph must not contain term
//	a | b           a or b; "|" binds tighter than the space: x a | b = x AND (a OR b)
//
// A Chinese keyboard's forms work like the ASCII ones: the full-width space
// separates terms, a standalone "｜" is "|", a leading "－" is "-", and
// “…” or 「…」 around a whole term (from the start of a word to its end)
// quote it like "…". Elsewhere these characters are part of a term, so a
// string copied from a report — “十四五”规划, 2020-2022年 — is searched as it
// is; inside quotes every character is literal ("｜" searches for ｜).
package query

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits that keep a single query cheap; exceeding them is a syntax error.
const (
	MaxQueryBytes = 1024
	MaxTerms      = 32
)

// Node is a node of the query tree.
type Node interface {
	// String renders the node back in query syntax.
	String() string
	node()
}

// Term is a literal string that must occur in a paragraph.
type Term struct {
	Text string
}

// And matches paragraphs matched by every positive child and by none of
// the Not children. It has at least one positive child.
type And struct {
	Children []Node
}

// Or matches paragraphs matched by any child. Parse makes Or of Terms;
// Expand may turn a child into an And.
type Or struct {
	Children []Node
}

// Not excludes paragraphs matched by its child; it only appears in an And.
type Not struct {
	Child Node
}

// Theme names a theme of the lexicon (theme:数字政府): it stands for the
// OR of the theme's expressions and must be replaced by them
// (ExpandThemes) before matching.
type Theme struct {
	Name string
}

// ThemePrefix starts a theme reference in a query.
const ThemePrefix = "theme:"

func (Theme) node()            {}
func (t Theme) String() string { return ThemePrefix + t.Name }

func (Term) node() {}
func (And) node()  {}
func (Or) node()   {}
func (Not) node()  {}

func (t Term) String() string {
	if t.Text == "" || isOr(t.Text) || strings.ContainsAny(t.Text, "\"") ||
		strings.IndexFunc(t.Text, unicode.IsSpace) >= 0 || len(t.Text) > 1 && isMinus(firstRune(t.Text)) ||
		openQuote(firstRune(t.Text)) != 0 || strings.HasPrefix(t.Text, ThemePrefix) {
		return `"` + t.Text + `"`
	}
	return t.Text
}

func (a And) String() string { return join(a.Children, " ") }
func (o Or) String() string  { return join(o.Children, " | ") }
func (n Not) String() string { return "-" + n.Child.String() }

func join(nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		if a, ok := n.(And); ok {
			// Only Expand nests an And: render it as the term its
			// words were split from.
			parts[i] = Term{Text: strings.Join(Terms(a), "")}.String()
		} else {
			parts[i] = n.String()
		}
	}
	return strings.Join(parts, sep)
}

// Codes of syntax errors: stable identifiers for API clients (the
// messages may change).
const (
	CodeEmpty             = "empty_query"
	CodeTooLong           = "query_too_long"
	CodeInvalidUTF8       = "query_not_utf8"
	CodeUnterminatedQuote = "unterminated_quote"
	CodeEmptyQuote        = "empty_quoted_term"
	CodeDanglingOr        = "dangling_or"
	CodeExcludedInOr      = "excluded_term_in_or"
	CodeEmptyExclusion    = "empty_excluded_term"
	CodeOnlyExcluded      = "only_excluded_terms"
	CodeTooManyTerms      = "too_many_terms"
	CodeEmptyTheme        = "empty_theme_name"
)

// SyntaxError describes a malformed query: a stable Code, the position of
// the problem in characters from 1 (0 when it concerns the whole query),
// and the message in English (Msg, for the API and logs) and in Chinese
// (Zh, for the pages).
type SyntaxError struct {
	Code string
	Pos  int
	Msg  string
	Zh   string
}

func (e *SyntaxError) Error() string { return "query: " + e.Msg }

// ErrEmpty is returned for a query without any term.
var ErrEmpty = &SyntaxError{Code: CodeEmpty, Msg: "empty query: type at least one term", Zh: "检索式为空：请输入至少一个检索词"}

// syntaxError builds an error at character pos (from 1; 0: no position),
// appending the position to both messages.
func syntaxError(code string, pos int, msg, zh string) error {
	if pos > 0 {
		msg = fmt.Sprintf("%s at character %d", msg, pos)
		zh = fmt.Sprintf("第 %d 个字符处%s", pos, zh)
	}
	return &SyntaxError{Code: code, Pos: pos, Msg: msg, Zh: zh}
}

// IsSyntaxError reports whether err is a query syntax error.
func IsSyntaxError(err error) bool {
	var se *SyntaxError
	return errors.As(err, &se)
}

// token is a lexical item: a word (possibly assembled from quoted parts), a
// standalone "|", with a leading "-" recorded separately; pos is its
// first character, from 1.
type token struct {
	text   string
	or     bool // the standalone "|" operator
	negate bool
	theme  bool // text is a theme's name (theme:NAME, unquoted)
	pos    int
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isOr(s string) bool  { return s == "|" || s == "｜" }
func isMinus(r rune) bool { return r == '-' || r == '－' }
func isSpaceAt(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// openQuote returns the closing quote of a full-width opening quote, or 0.
func openQuote(r rune) rune {
	switch r {
	case '“':
		return '”'
	case '「':
		return '」'
	case '『':
		return '』'
	}
	return 0
}

// lex splits a query into tokens. chars maps a byte offset to its
// character number, for positions in errors.
func lex(s string) ([]token, error) {
	var toks []token
	charAt := func(i int) int { return utf8.RuneCountInString(s[:i]) + 1 }
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		// Read one white-space-delimited word, honouring quotes.
		var b strings.Builder
		quotedAny := false
		start := i
		// A full-width minus sign before a quote or a word negates, like
		// "-"; note it and read the rest.
		negated := false
		if isMinus(r) && !isSpaceAt(s, i+size) {
			negated = true
			i += size
		}
		wordStart := i
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			if r == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, syntaxError(CodeUnterminatedQuote, charAt(i), "unterminated quote", "的引号没有配对的结束引号")
				}
				b.WriteString(s[i+1 : i+1+end])
				i += end + 2
				quotedAny = true
				continue
			}
			if closeQ := openQuote(r); closeQ != 0 && i == wordStart {
				// “…” quotes only when it spans to the end of a word:
				// “城市更新” is a quoted term, “十四五”规划 a literal.
				if end := strings.IndexRune(s[i+size:], closeQ); end >= 0 && isSpaceAt(s, i+size+end+utf8.RuneLen(closeQ)) {
					b.WriteString(s[i+size : i+size+end])
					i += size + end + utf8.RuneLen(closeQ)
					quotedAny = true
					continue
				}
			}
			b.WriteString(s[i : i+size])
			i += size
		}
		word := b.String()
		raw := s[start:i]
		theme := false
		if !quotedAny {
			if name, ok := strings.CutPrefix(word, ThemePrefix); ok {
				if name == "" {
					return nil, syntaxError(CodeEmptyTheme, charAt(start), `"theme:" needs a theme's name`, "的“theme:”后需要主题名称")
				}
				word, theme = name, true
			}
		}
		switch {
		case isOr(raw):
			toks = append(toks, token{or: true, pos: charAt(start)})
		case negated:
			if word == "" {
				if quotedAny {
					return nil, syntaxError(CodeEmptyQuote, charAt(start), "empty quoted term", "的引号中没有内容")
				}
				return nil, syntaxError(CodeEmptyExclusion, charAt(start), `empty term after "-"`, "的减号后没有要排除的词")
			}
			toks = append(toks, token{text: word, negate: true, theme: theme, pos: charAt(start)})
		default:
			if word == "" {
				return nil, syntaxError(CodeEmptyQuote, charAt(start), "empty quoted term", "的引号中没有内容")
			}
			toks = append(toks, token{text: word, theme: theme, pos: charAt(start)})
		}
	}
	return toks, nil
}

func (t token) node() Node {
	if t.theme {
		return Theme{Name: t.text}
	}
	return Term{Text: t.text}
}

// Parse parses a query string into a tree: an And of clauses, each a Term,
// an Or of Terms, or a Not of a Term. Errors are *SyntaxError.
func Parse(s string) (Node, error) {
	if len(s) > MaxQueryBytes {
		return nil, syntaxError(CodeTooLong, 0, fmt.Sprintf("query too long (%d bytes, limit %d)", len(s), MaxQueryBytes),
			fmt.Sprintf("检索式太长（%d 字节，上限 %d）", len(s), MaxQueryBytes))
	}
	if !utf8.ValidString(s) {
		return nil, syntaxError(CodeInvalidUTF8, 0, "query is not valid UTF-8", "检索式不是有效的 UTF-8 文本")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	dangling := func(t token) error {
		return syntaxError(CodeDanglingOr, t.pos, `"|" needs a term on each side`, "的“|”两边都需要检索词")
	}
	excludedInOr := func(t token) error {
		return syntaxError(CodeExcludedInOr, t.pos, fmt.Sprintf("an excluded term (-%s) cannot be part of an OR", t.text),
			fmt.Sprintf("的排除词（-%s）不能用在“|”（或）中", t.text))
	}
	var clauses []Node
	terms, positive := 0, 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.or {
			return nil, dangling(t)
		}
		terms++
		if t.negate {
			if i+1 < len(toks) && toks[i+1].or {
				return nil, excludedInOr(t)
			}
			clauses = append(clauses, Not{Child: t.node()})
			continue
		}
		alts := []Node{t.node()}
		for i+1 < len(toks) && toks[i+1].or {
			if i+2 >= len(toks) || toks[i+2].or {
				return nil, dangling(toks[i+1])
			}
			if toks[i+2].negate {
				return nil, excludedInOr(toks[i+2])
			}
			alts = append(alts, toks[i+2].node())
			terms++
			i += 2
		}
		positive++
		if len(alts) == 1 {
			clauses = append(clauses, alts[0])
		} else {
			clauses = append(clauses, Or{Children: alts})
		}
	}
	if terms > MaxTerms {
		return nil, syntaxError(CodeTooManyTerms, 0, fmt.Sprintf("too many terms (%d, limit %d)", terms, MaxTerms),
			fmt.Sprintf("检索词太多（%d 个，上限 %d 个）", terms, MaxTerms))
	}
	if terms == 0 {
		return nil, ErrEmpty
	}
	if positive == 0 {
		return nil, syntaxError(CodeOnlyExcluded, 0, "only excluded terms: add a term to search for", "只有排除词：请加上要检索的词")
	}
	return And{Children: clauses}, nil
}

// Terms returns the positive terms of the tree, in order, without
// duplicates: the strings to highlight.
func Terms(n Node) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case Term:
			if !seen[n.Text] {
				seen[n.Text] = true
				out = append(out, n.Text)
			}
		case And:
			for _, c := range n.Children {
				walk(c)
			}
		case Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

// Fold returns the tree with fold applied to every term: the form that
// Match compares with folded text.
func Fold(n Node, fold func(string) string) Node {
	out, _ := Rewrite(n, func(l Node) (Node, error) {
		if t, ok := l.(Term); ok {
			return Term{Text: fold(t.Text)}, nil
		}
		return l, nil
	})
	return out
}

// Expand returns the tree of loose mode: every term that words splits into
// several words becomes the And of those words (a paragraph must contain
// each, in any order); excluded terms too. A term of one word or none
// stays as it is.
func Expand(n Node, words func(string) ([]string, error)) (Node, error) {
	return Rewrite(n, func(l Node) (Node, error) {
		t, ok := l.(Term)
		if !ok {
			return l, nil
		}
		ws, err := words(t.Text)
		if err != nil || len(ws) < 2 {
			return l, err
		}
		out := And{Children: make([]Node, len(ws))}
		for i, w := range ws {
			out.Children[i] = Term{Text: w}
		}
		return out, nil
	})
}

// Rewrite returns the tree with every leaf (Term or Theme) replaced by
// leaf's answer, the structure above kept: the one walk that Fold, Expand
// and ExpandThemes share. The first error stops nothing but is returned.
func Rewrite(n Node, leaf func(Node) (Node, error)) (Node, error) {
	var first error
	var walk func(Node) Node
	walk = func(n Node) Node {
		switch n := n.(type) {
		case Not:
			return Not{Child: walk(n.Child)}
		case And:
			return And{Children: mapChildren(n.Children, walk)}
		case Or:
			return Or{Children: mapChildren(n.Children, walk)}
		}
		out, err := leaf(n)
		if err != nil && first == nil {
			first = err
		}
		return out
	}
	out := walk(n)
	if first != nil {
		return nil, first
	}
	return out, nil
}

func mapChildren(ns []Node, f func(Node) Node) []Node {
	out := make([]Node, len(ns))
	for i, c := range ns {
		out[i] = f(c)
	}
	return out
}

// Match reports whether a text matches the tree: a Term when the text
// contains it, an And when every positive child matches and no Not child
// does, an Or when any child matches. Both sides must be folded alike
// (see Fold); it is the definition of a hit that the index implements
// faster, the reader applies per paragraph and the tests use as oracle.
func Match(n Node, text string) bool {
	switch n := n.(type) {
	case Term:
		return strings.Contains(text, n.Text)
	case Not:
		return !Match(n.Child, text)
	case And:
		for _, c := range n.Children {
			if !Match(c, text) {
				return false
			}
		}
		return len(n.Children) > 0
	case Or:
		for _, c := range n.Children {
			if Match(c, text) {
				return true
			}
		}
	}
	return false
}

// Themes returns the names of the themes the tree refers to, in order,
// without duplicates.
func Themes(n Node) []string {
	var out []string
	var walk func(Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case Theme:
			if !slices.Contains(out, n.Name) {
				out = append(out, n.Name)
			}
		case Not:
			walk(n.Child)
		case And:
			for _, c := range n.Children {
				walk(c)
			}
		case Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

// ExpandThemes returns the tree with every Theme replaced by lookup's
// tree for it (the OR of the theme's expressions).
func ExpandThemes(n Node, lookup func(name string) (Node, error)) (Node, error) {
	return Rewrite(n, func(l Node) (Node, error) {
		if t, ok := l.(Theme); ok {
			return lookup(t.Name)
		}
		return l, nil
	})
}
