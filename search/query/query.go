// Package query parses the reportsearch query syntax into a small tree.
//
// Syntax (the same for the CLI, the API and the web page):
//
//	term            a paragraph must contain term verbatim (after folding)
//	a b             both a and b (terms are separated by white space)
//	"a b"           one term that contains a space
//	-term           the paragraph must not contain term
//	a | b           a or b; "|" binds tighter than the space: x a | b = x AND (a OR b)
//
// Only ASCII '"', a standalone '|' and a leading '-' are syntax; every other
// character, Chinese quotes and brackets included, is part of a term, so a
// string copied from a report can be searched as it is. A lone "-" is a
// literal term.
package query

import (
	"errors"
	"fmt"
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

// Or matches paragraphs matched by any child; children are Terms.
type Or struct {
	Children []Node
}

// Not excludes paragraphs matched by its child; it only appears in an And.
type Not struct {
	Child Node
}

func (Term) node() {}
func (And) node()  {}
func (Or) node()   {}
func (Not) node()  {}

func (t Term) String() string {
	if t.Text == "" || t.Text == "|" || strings.ContainsAny(t.Text, "\" \t\n") ||
		strings.HasPrefix(t.Text, "-") && t.Text != "-" || strings.IndexFunc(t.Text, unicode.IsSpace) >= 0 {
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
		parts[i] = n.String()
	}
	return strings.Join(parts, sep)
}

// SyntaxError describes a malformed query; its message is meant for the
// person who typed the query.
type SyntaxError struct {
	Msg string
}

func (e *SyntaxError) Error() string { return "query: " + e.Msg }

// ErrEmpty is returned for a query without any term.
var ErrEmpty = &SyntaxError{Msg: "empty query: type at least one term"}

func syntaxErrorf(format string, args ...any) error {
	return &SyntaxError{Msg: fmt.Sprintf(format, args...)}
}

// IsSyntaxError reports whether err is a query syntax error.
func IsSyntaxError(err error) bool {
	var se *SyntaxError
	return errors.As(err, &se)
}

// token is a lexical item: a word (possibly assembled from quoted parts), a
// standalone "|", with a leading "-" recorded separately.
type token struct {
	text   string
	or     bool // the standalone "|" operator
	negate bool
}

func lex(s string) ([]token, error) {
	var toks []token
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
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			if r == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, syntaxErrorf("unterminated quote at byte %d", i)
				}
				b.WriteString(s[i+1 : i+1+end])
				i += end + 2
				quotedAny = true
				continue
			}
			b.WriteString(s[i : i+size])
			i += size
		}
		word := b.String()
		raw := s[start:i]
		switch {
		case raw == "|":
			toks = append(toks, token{or: true})
		case !quotedAny && len(word) > 1 && word[0] == '-':
			toks = append(toks, token{text: word[1:], negate: true})
		case strings.HasPrefix(raw, `-"`):
			// -"a b": the quote started after the minus sign.
			toks = append(toks, token{text: word[1:], negate: true})
		default:
			if word == "" {
				return nil, syntaxErrorf("empty quoted term")
			}
			toks = append(toks, token{text: word})
		}
	}
	return toks, nil
}

// Parse parses a query string into a tree: an And of clauses, each a Term,
// an Or of Terms, or a Not of a Term.
func Parse(s string) (Node, error) {
	if len(s) > MaxQueryBytes {
		return nil, syntaxErrorf("query too long (%d bytes, limit %d)", len(s), MaxQueryBytes)
	}
	if !utf8.ValidString(s) {
		return nil, syntaxErrorf("query is not valid UTF-8")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	var clauses []Node
	terms, positive := 0, 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.or {
			return nil, syntaxErrorf(`"|" needs a term on each side`)
		}
		if t.text == "" {
			return nil, syntaxErrorf("empty term after \"-\"")
		}
		terms++
		if t.negate {
			if i+1 < len(toks) && toks[i+1].or {
				return nil, syntaxErrorf("an excluded term (-%s) cannot be part of an OR", t.text)
			}
			clauses = append(clauses, Not{Child: Term{Text: t.text}})
			continue
		}
		alts := []Node{Term{Text: t.text}}
		for i+1 < len(toks) && toks[i+1].or {
			if i+2 >= len(toks) || toks[i+2].or {
				return nil, syntaxErrorf(`"|" needs a term on each side`)
			}
			if toks[i+2].negate {
				return nil, syntaxErrorf("an excluded term (-%s) cannot be part of an OR", toks[i+2].text)
			}
			alts = append(alts, Term{Text: toks[i+2].text})
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
		return nil, syntaxErrorf("too many terms (%d, limit %d)", terms, MaxTerms)
	}
	if terms == 0 {
		return nil, ErrEmpty
	}
	if positive == 0 {
		return nil, syntaxErrorf("only excluded terms: add a term to search for")
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
