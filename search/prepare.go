package search

import (
	"errors"

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
	// Marks are the strings to highlight: the positive terms of Eval.
	Marks []string
}

// ParseQuery parses q and prepares it for mode (ModeExact when empty).
// A malformed query is a *BadRequestError with the syntax error's code
// and messages.
func ParseQuery(q string, mode Mode) (*Query, error) {
	tree, err := query.Parse(q)
	if err != nil {
		var se *query.SyntaxError
		if errors.As(err, &se) {
			return nil, &BadRequestError{Msg: se.Error(), Code: se.Code, Zh: "检索式有误：" + se.Zh}
		}
		return nil, err
	}
	eval := query.Fold(tree, analysis.FoldString)
	switch mode {
	case ModeExact, "":
	case ModeLoose:
		if eval, err = query.Expand(eval, analysis.Words); err != nil {
			return nil, err
		}
	default:
		return nil, BadRequestf("mode must be %q or %q, not %q", ModeExact, ModeLoose, mode)
	}
	return &Query{Tree: tree, Eval: eval, Marks: query.Terms(eval)}, nil
}

// Match reports whether a paragraph's text is a hit of the query.
func (q *Query) Match(text string) bool {
	return query.Match(q.Eval, analysis.FoldString(text))
}
