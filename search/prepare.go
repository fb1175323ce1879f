package search

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// Query is a request's query parsed, checked and rewritten once, at the
// edge (Request.Validate): backends, the reader and the tests take it as
// it is and never parse the string again.
type Query struct {
	// Tree is the query as parsed.
	Tree query.Node
	// Eval is what a paragraph is matched against: Tree with its terms
	// folded (analysis.FoldString) and, in loose mode, each term expanded
	// into the And of its gse words. A paragraph is a hit exactly when
	// query.Match(Eval, analysis.FoldString(text)).
	Eval query.Node
	// Marks are the strings to highlight: the positive terms of Eval; in
	// loose mode, the positive terms as written and their words of two
	// characters or more (see looseMarks).
	Marks []string
}

// Themes resolves the names of theme:NAME references to the theme's
// expressions (package search/themes keeps them with the index).
type Themes interface {
	Expressions(name string) ([]string, bool)
}

// ParseQuery parses q and prepares it for mode (ModeExact when empty),
// without themes. A malformed query is a *BadRequestError with the syntax
// error's code and messages.
func ParseQuery(q string, mode Mode) (*Query, error) { return ParseQueryWith(q, mode, nil) }

func syntaxBadRequest(err error, prefix, zhPrefix string) error {
	var se *query.SyntaxError
	if errors.As(err, &se) {
		return &BadRequestError{Msg: prefix + se.Error(), Code: se.Code, Zh: "检索式有误：" + zhPrefix + se.Zh}
	}
	return err
}

// ParseQueryWith is ParseQuery resolving theme:NAME with themes: a theme
// stands for the OR of its expressions, each parsed like a query.
func ParseQueryWith(q string, mode Mode, themes Themes) (*Query, error) {
	tree, err := query.Parse(q)
	if err != nil {
		return nil, syntaxBadRequest(err, "", "")
	}
	expanded := tree
	if names := query.Themes(tree); len(names) > 0 {
		if expanded, err = query.ExpandThemes(tree, func(name string) (query.Node, error) {
			return ThemeTree(name, themes)
		}); err != nil {
			return nil, err
		}
	}
	eval := query.Fold(expanded, analysis.FoldString)
	folded := eval
	switch mode {
	case ModeExact, "":
	case ModeLoose:
		if eval, err = query.Expand(eval, analysis.Words); err != nil {
			return nil, err
		}
		return &Query{Tree: tree, Eval: eval, Marks: looseMarks(folded)}, nil
	default:
		return nil, BadRequestf("mode must be %q or %q, not %q", ModeExact, ModeLoose, mode)
	}
	return &Query{Tree: tree, Eval: eval, Marks: query.Terms(eval)}, nil
}

// looseMarks are the marks of a loose query: each positive term as
// written (so 网格化治理 is marked whole where it occurs) and its gse
// words of two characters or more (网格, 治理, wherever they occur), but
// not its one-character words (化 would be marked in 深化, 的 everywhere),
// unless the term has no longer word (a term 化 is marked).
func looseMarks(folded query.Node) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, t := range query.Terms(folded) {
		add(t)
		ws, err := analysis.Words(t)
		if err != nil {
			continue
		}
		long := false
		for _, w := range ws {
			if utf8.RuneCountInString(w) > 1 {
				long = true
				add(w)
			}
		}
		if !long {
			for _, w := range ws {
				add(w)
			}
		}
	}
	return out
}

// Match reports whether a paragraph's text is a hit of the query.
func (q *Query) Match(text string) bool {
	return query.Match(q.Eval, analysis.FoldString(text))
}

// ThemeTree returns the tree a theme stands for: the OR of its parsed
// expressions. An unknown theme, a malformed expression or a theme inside
// a theme is a bad request.
func ThemeTree(name string, themes Themes) (query.Node, error) {
	var exprs []string
	ok := false
	if themes != nil {
		exprs, ok = themes.Expressions(name)
	}
	if !ok {
		return nil, &BadRequestError{Code: "unknown_theme", Msg: fmt.Sprintf("unknown theme %q", name),
			Zh: fmt.Sprintf("没有名为“%s”的主题", name)}
	}
	if len(exprs) == 0 {
		return nil, &BadRequestError{Code: "empty_theme", Msg: fmt.Sprintf("theme %q has no expressions", name),
			Zh: fmt.Sprintf("主题“%s”没有检索式", name)}
	}
	or := query.Or{}
	for i, e := range exprs {
		t, err := query.Parse(e)
		if err != nil {
			return nil, syntaxBadRequest(err, fmt.Sprintf("theme %q, expression %d: ", name, i+1), fmt.Sprintf("主题“%s”的第 %d 个检索式：", name, i+1))
		}
		if len(query.Themes(t)) > 0 {
			return nil, &BadRequestError{Code: "nested_theme", Msg: fmt.Sprintf("theme %q, expression %d: a theme cannot refer to a theme", name, i+1),
				Zh: fmt.Sprintf("主题“%s”的第 %d 个检索式引用了另一个主题", name, i+1)}
		}
		or.Children = append(or.Children, t)
	}
	if len(or.Children) == 1 {
		return or.Children[0], nil
	}
	return or, nil
}
