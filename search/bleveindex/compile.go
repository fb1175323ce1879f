package bleveindex

import (
	"fmt"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// compiled is a query tree turned into a bleve query, with the strings to
// highlight.
type compiled struct {
	q     bq.Query
	marks []string
}

// compile turns a parsed query into a bleve query: the match part (which
// decides the hit set exactly) as Must/MustNot, and a Should part on the
// word field that only adds to the score of paragraphs where a term stands
// as whole gse words.
func compile(tree query.Node, mode search.Mode) (*compiled, error) {
	c := &compiled{}
	match, err := c.node(tree, mode)
	if err != nil {
		return nil, err
	}
	var should []bq.Query
	for _, t := range query.Terms(tree) {
		words, err := analysis.Words(t)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			tq := bleve.NewTermQuery(w)
			tq.SetField(fWord)
			tq.SetBoost(wordBoost)
			should = append(should, tq)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(match)
	if len(should) > 0 {
		b.AddShould(should...)
	}
	c.q = b
	return c, nil
}

// wordBoost weighs whole-word matches on the word field against the
// character-pair score of the match part; tuned on the judged set in
// testdata/judgments (see docs/ranking.md).
var wordBoost = 1.0

func (c *compiled) node(n query.Node, mode search.Mode) (bq.Query, error) {
	switch n := n.(type) {
	case query.Term:
		return c.term(n.Text, mode)
	case query.Or:
		var qs []bq.Query
		for _, ch := range n.Children {
			q, err := c.node(ch, mode)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return bleve.NewDisjunctionQuery(qs...), nil
	case query.And:
		var must, not []bq.Query
		for _, ch := range n.Children {
			if nn, ok := ch.(query.Not); ok {
				// Excluded terms are not highlighted: compile them
				// with a throwaway collector.
				q, err := (&compiled{}).node(nn.Child, mode)
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := c.node(ch, mode)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		if len(must) == 1 && len(not) == 0 {
			return must[0], nil
		}
		b := bleve.NewBooleanQuery()
		b.AddMust(must...)
		if len(not) > 0 {
			b.AddMustNot(not...)
		}
		return b, nil
	}
	return nil, fmt.Errorf("bleveindex: unexpected query node %T", n)
}

// term compiles one term. Exact mode: the term's character pairs as a
// phrase on the bigram field (a single character: the character field).
// Loose mode: every gse word of the term, each matched exactly, in any
// order.
func (c *compiled) term(text string, mode search.Mode) (bq.Query, error) {
	if mode == search.ModeLoose {
		words, err := analysis.Words(text)
		if err != nil {
			return nil, err
		}
		if len(words) > 1 {
			var qs []bq.Query
			for _, w := range words {
				qs = append(qs, c.exact(w))
			}
			return bleve.NewConjunctionQuery(qs...), nil
		}
	}
	return c.exact(text), nil
}

func (c *compiled) exact(text string) bq.Query {
	c.marks = append(c.marks, text)
	runes := analysis.FoldRunes(text)
	switch len(runes) {
	case 1:
		q := bleve.NewTermQuery(string(runes))
		q.SetField(fChar)
		return q
	case 2:
		q := bleve.NewTermQuery(string(runes))
		q.SetField(fBigram)
		return q
	}
	terms := make([]string, len(runes)-1)
	buf := make([]byte, 0, 8)
	for i := range terms {
		buf = utf8.AppendRune(buf[:0], runes[i])
		buf = utf8.AppendRune(buf, runes[i+1])
		terms[i] = string(buf)
	}
	return bleve.NewPhraseQuery(terms, fBigram)
}
