package workbench

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// Nearest spellings: what a search page offers when a query finds
// nothing. A term that occurs nowhere (网格化治里) is most often one Han
// character off a phrase the reports do use (网格化治理), so the
// candidates are the strings of the index one edit away from it — a Han
// character dropped, replaced, inserted, or two neighbours swapped — and
// each is offered only with the exact total of the search it links to.
//
// The replaced and inserted characters come from the index's own text,
// not from a dictionary (which would miss the reports' own phrases, and
// offer words they never use): for an edit at position i, the
// paragraphs containing both sides of it (t[:i] and t[i+1:]) are read,
// and every Han character found between the two sides is a candidate.
// The work is bounded: terms of at most maxSpellRunes characters, at most
// spellScanRows paragraphs read per edit position, at most
// spellCandidates candidates counted, and spellBudget for the whole
// request (what has been found by then is answered).

// Limits of a spellings request.
const (
	DefaultSpellings = 5
	MaxSpellings     = 20
	// maxSpellRunes: longer terms are not corrected (a long phrase that
	// occurs nowhere is rarely one typo away from one that does).
	maxSpellRunes = 12
	// spellScanRows is how many paragraphs are read, at most, to find
	// the characters of one edit position.
	spellScanRows = 400
	// spellCandidates is how many candidate strings (the most frequent
	// in the text read, drops and swaps first) get exact counts.
	spellCandidates = 24
	// spellBudget bounds the time of one request.
	spellBudget = 2 * time.Second
)

// SpellingsRequest asks for the queries near a query without hits.
type SpellingsRequest struct {
	Query  string
	Mode   search.Mode
	Filter search.Filter
	Themes search.Themes
	Size   int
	Parsed *search.Query
}

// Validate fills defaults, checks limits and parses the query.
func (r *SpellingsRequest) Validate() error {
	if r.Size == 0 {
		r.Size = DefaultSpellings
	}
	if r.Size < 1 || r.Size > MaxSpellings {
		return search.BadRequestf("size must be between 1 and %d", MaxSpellings)
	}
	sr := search.Request{Query: r.Query, Mode: r.Mode, Filter: r.Filter, Themes: r.Themes, Parsed: r.Parsed}
	if err := sr.Validate(); err != nil {
		return err
	}
	r.Mode, r.Parsed = sr.Mode, sr.Parsed
	return nil
}

// Spelling is a query near one without hits.
type Spelling struct {
	// Query is the whole query with one term changed or left out.
	Query string `json:"query"`
	// Term is the term of the original query that was changed.
	Term string `json:"term"`
	// Replacement is what replaces it; "" when the term is left out
	// (a query of several terms whose terms occur, but not together).
	Replacement string `json:"replacement"`
	// Total is the total of a search for Query with the request's mode
	// and filters: what the suggestion's link finds.
	Total uint64 `json:"total"`
}

// SpellingsResponse is the body of GET /api/spellings.
type SpellingsResponse struct {
	Query string `json:"query"`
	// Total is the original query's total; suggestions are made only
	// when it is 0.
	Total     uint64     `json:"total"`
	Spellings []Spelling `json:"spellings"`
	// Partial: the time budget ran out before every candidate was
	// looked at.
	Partial bool    `json:"partial,omitempty"`
	TookMS  float64 `json:"took_ms"`
}

// errEnough stops a scan that has read its rows.
var errEnough = errors.New("enough rows")

// Spellings returns, for a query without hits, the queries one edit away
// that have hits (see the comment at the top of this file), most hits
// first, then the query without one of its terms where that has hits; a
// query with hits gets none.
func Spellings(ctx context.Context, idx search.Index, req SpellingsRequest) (*SpellingsResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	resp := &SpellingsResponse{Query: req.Query, Spellings: []Spelling{}}
	_, total, err := idx.CountByReport(ctx, search.Request{Query: req.Query, Mode: req.Mode, Filter: req.Filter, Parsed: req.Parsed})
	if err != nil {
		return nil, err
	}
	resp.Total = total
	if total > 0 {
		resp.TookMS = search.TookMS(start)
		return resp, nil
	}
	bctx, cancel := context.WithTimeout(ctx, spellBudget)
	defer cancel()
	out, err := spellings(bctx, idx, req)
	if err != nil && bctx.Err() != nil && ctx.Err() == nil {
		err, resp.Partial = nil, true
	}
	if err != nil {
		return nil, err
	}
	if req.Mode == search.ModeExact {
		out = withoutSubsumed(out)
	}
	// Corrections first, then the queries with a term left out; each by
	// hits, most first.
	slices.SortFunc(out, func(a, b Spelling) int {
		if c := cmp.Compare(dropped(a), dropped(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return strings.Compare(a.Query, b.Query)
	})
	resp.Spellings = out[:min(len(out), req.Size)]
	resp.TookMS = search.TookMS(start)
	return resp, nil
}

// spellings collects the suggestions; on a timeout it returns what it
// has with the context's error.
func spellings(ctx context.Context, idx search.Index, req SpellingsRequest) ([]Spelling, error) {
	var out []Spelling
	seen := map[string]bool{req.Parsed.Tree.String(): true}
	try := func(tree query.Node, term, repl string) error {
		q := tree.String()
		if seen[q] {
			return nil
		}
		seen[q] = true
		_, n, err := idx.CountByReport(ctx, search.Request{Query: q, Mode: req.Mode, Filter: req.Filter, Themes: req.Themes})
		if err != nil {
			if search.IsBadRequest(err) {
				return nil // e.g. only excluded terms left
			}
			return err
		}
		if n > 0 {
			out = append(out, Spelling{Query: q, Term: term, Replacement: repl, Total: n})
		}
		return nil
	}
	tree := req.Parsed.Tree
	leaves := positiveTerms(tree)
	for k, leaf := range leaves {
		folded := analysis.FoldString(leaf)
		if n, err := countContaining(ctx, idx, folded, req.Filter); err != nil {
			return out, err
		} else if n > 0 {
			continue // this term occurs: the others are what is missing
		}
		cands, err := spellCandidatesOf(ctx, idx, req.Filter, folded)
		if err != nil {
			return out, err
		}
		counts, err := countMany(ctx, idx, req.Filter, cands)
		if err != nil {
			return out, err
		}
		for i, c := range cands {
			if counts[i] == 0 {
				continue
			}
			if err := try(replaceTerm(tree, k, c), leaf, c); err != nil {
				return out, err
			}
		}
	}
	// Terms that occur, but not together: the query without one of them.
	if a, ok := tree.(query.And); ok {
		var pos []int
		for i, c := range a.Children {
			if _, not := c.(query.Not); !not {
				pos = append(pos, i)
			}
		}
		for _, i := range pos {
			if len(pos) < 2 {
				break
			}
			rest := query.And{Children: slices.Delete(slices.Clone(a.Children), i, i+1)}
			if err := try(rest, a.Children[i].String(), ""); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// positiveTerms are the texts of the terms a paragraph must contain (or
// may, in an Or), in the order replaceTerm numbers them; excluded terms
// and themes are not corrected.
func positiveTerms(n query.Node) []string {
	var out []string
	var walk func(n query.Node)
	walk = func(n query.Node) {
		switch n := n.(type) {
		case query.Term:
			out = append(out, n.Text)
		case query.And:
			for _, c := range n.Children {
				walk(c)
			}
		case query.Or:
			for _, c := range n.Children {
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

// replaceTerm returns n with its k-th positive term (positiveTerms' order)
// replaced by text.
func replaceTerm(n query.Node, k int, text string) query.Node {
	i := 0
	var walk func(n query.Node) query.Node
	walk = func(n query.Node) query.Node {
		switch n := n.(type) {
		case query.Term:
			if i == k {
				n.Text = text
			}
			i++
			return n
		case query.And:
			return query.And{Children: mapNodes(n.Children, walk)}
		case query.Or:
			return query.Or{Children: mapNodes(n.Children, walk)}
		}
		return n
	}
	return walk(n)
}

func mapNodes(ns []query.Node, f func(query.Node) query.Node) []query.Node {
	out := make([]query.Node, len(ns))
	for i, n := range ns {
		out[i] = f(n)
	}
	return out
}

// spellCandidatesOf returns the strings one Han-character edit away from
// the folded term t (itself absent from the index): drops and swaps of
// neighbours, then replacements and insertions found in the text, the
// most frequent first, at most spellCandidates in all.
func spellCandidatesOf(ctx context.Context, idx search.Index, f search.Filter, t string) ([]string, error) {
	r := []rune(t)
	if len(r) < 2 || len(r) > maxSpellRunes {
		return nil, nil
	}
	han := func(c rune) bool { return unicode.Is(unicode.Han, c) }
	var fixed []string
	add := func(s string) {
		if s != t && len([]rune(s)) >= 2 && !slices.Contains(fixed, s) {
			fixed = append(fixed, s)
		}
	}
	for i := range r {
		if han(r[i]) {
			add(string(r[:i]) + string(r[i+1:]))
		}
		if i+1 < len(r) && han(r[i]) && han(r[i+1]) && r[i] != r[i+1] {
			s := slices.Clone(r)
			s[i], s[i+1] = s[i+1], s[i]
			add(string(s))
		}
	}
	found := map[string]int{}
	// Replacement of r[i]: t[:i] X t[i+1:]; insertion before r[i]:
	// t[:i] X t[i:].
	for i := range r {
		if han(r[i]) {
			if err := scanBetween(ctx, idx, f, string(r[:i]), string(r[i+1:]), found); err != nil {
				return nil, err
			}
		}
		if i > 0 {
			if err := scanBetween(ctx, idx, f, string(r[:i]), string(r[i:]), found); err != nil {
				return nil, err
			}
		}
	}
	delete(found, t)
	scanned := make([]string, 0, len(found))
	for s := range found {
		if !slices.Contains(fixed, s) {
			scanned = append(scanned, s)
		}
	}
	slices.SortFunc(scanned, func(a, b string) int {
		if c := cmp.Compare(found[b], found[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	out := append(fixed, scanned...)
	return out[:min(len(out), spellCandidates)], nil
}

// scanBetween reads up to spellScanRows paragraphs that contain both left
// and right (folded, either may be empty but not both) and counts in found
// every left+X+right where X is one Han character.
func scanBetween(ctx context.Context, idx search.Index, f search.Filter, left, right string, found map[string]int) error {
	var children []query.Node
	for _, s := range []string{left, right} {
		if s != "" {
			children = append(children, query.Term{Text: s})
		}
	}
	tree := query.And{Children: children}
	q := &search.Query{Tree: tree, Eval: tree, Marks: query.Terms(tree)}
	rows := 0
	err := idx.Export(ctx, search.Request{Query: tree.String(), Filter: f, Sort: search.SortYear, Parsed: q}, func(row search.Row) error {
		text := analysis.FoldString(row.Text)
		for off := 0; off < len(text); {
			// The occurrences of left, or of the character before right
			// when left is empty.
			var at int
			if left != "" {
				j := strings.Index(text[off:], left)
				if j < 0 {
					break
				}
				at = off + j + len(left)
				off = off + j + 1
			} else {
				j := strings.Index(text[off:], right)
				if j < 0 {
					break
				}
				x, size := utf8.DecodeLastRuneInString(text[:off+j])
				if size > 0 && unicode.Is(unicode.Han, x) {
					found[string(x)+right]++
				}
				off = off + j + 1
				continue
			}
			x, size := utf8.DecodeRuneInString(text[at:])
			if size > 0 && unicode.Is(unicode.Han, x) && strings.HasPrefix(text[at+size:], right) {
				found[left+string(x)+right]++
			}
		}
		if rows++; rows >= spellScanRows {
			return errEnough
		}
		return nil
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

func dropped(s Spelling) int {
	if s.Replacement == "" {
		return 1
	}
	return 0
}

// withoutSubsumed leaves out a correction whose replacement is inside
// another correction's of the same term with the same total: every
// paragraph with the longer one has the shorter, so equal totals mean the
// same paragraphs, and the longer (网格化治理, not its start 网格化治) is
// the one nearer to what was typed. (In exact mode only: in loose mode
// the words of a part are not the words of the whole.)
func withoutSubsumed(sps []Spelling) []Spelling {
	var out []Spelling
	for i, a := range sps {
		subsumed := a.Replacement != "" && slices.ContainsFunc(sps, func(b Spelling) bool {
			return b.Term == a.Term && b.Total == a.Total && len(b.Replacement) > len(a.Replacement) &&
				strings.Contains(b.Replacement, a.Replacement)
		})
		if !subsumed {
			out = append(out, sps[i])
		}
	}
	return out
}
