package bleveindex

import (
	"fmt"
	"math"
)

// Ranking is one setting of the ranking parameters, an option of the
// index (Options.Ranking): the default is tuned on the judged set
// (docs/ranking.md, TestTune), and tuning opens the index with others
// instead of changing package state, so two indexes — or two settings
// under test — never share a mutable ranking.
type Ranking struct {
	// Window is stage two's text window: how many top hits of stage one
	// are rescored with their aboutness (factor), like Elasticsearch's
	// rescore window_size. A fixed number whatever page is asked for, so
	// that a query has one order; each windowed paragraph costs about a
	// microsecond.
	Window int
	// WordWindow is how many of the text window's first hits are then
	// rescored with bleve's word field (each paragraph costs a bleve
	// lookup per query word).
	WordWindow int
	// WordBoost weighs the word-field score of a hit (its query words
	// standing as whole gse words) against its stage-one score.
	WordBoost float64
	// Paragraphs shorter than ShortChars characters are scaled down by
	// (chars/ShortChars)^ShortExp: the length norm favours short lines,
	// but a short line rarely says much about a theme.
	ShortChars, ShortExp float64
	// HeadingFactor scales the score of heading lines, so that a bare
	// heading does not outrank the paragraphs it introduces.
	HeadingFactor float64

	// The weights of the aboutness signals (see aboutness, factor):
	// the theme in the paragraph's title, early in it, the query's parts
	// close together in one clause, not opening with a vocative
	// (各位代表！).
	Lead, Early, Near, Plain float64
	// Focus is added for a paragraph that is not a numbered section's
	// overview naming the query in passing (aboutness.overview).
	Focus float64
	// Vocab weighs the theme's own vocabulary beyond the query
	// (aboutness.vocab), full from VocabN extra occurrences.
	Vocab, VocabN float64
	// A title has at most LeadChars characters; the lead and early
	// signals are full for paragraphs with LeadBody characters of body.
	LeadChars int
	LeadBody  float64
	// PosChars is the position, in characters, at which the early signal
	// has fallen to 1/e.
	PosChars float64
	// ProxChars is the gap, in characters, at which the proximity of two
	// query parts is one half.
	ProxChars float64
}

// DefaultRanking is the ranking chosen on the judged set's tune queries
// (docs/ranking.md).
func DefaultRanking() Ranking {
	return Ranking{
		Window: 75, WordWindow: 30, WordBoost: 0.25,
		ShortChars: 240, ShortExp: 0.5, HeadingFactor: 0.5,
		Lead: 1.0, Early: 0.2, Near: 0.4, Plain: 0.5, Focus: 0.1,
		LeadChars: 40, LeadBody: 200, PosChars: 20, ProxChars: 4,
		Vocab: 0.4, VocabN: 2,
	}
}

func (r Ranking) String() string {
	return fmt.Sprintf("word=%.2f short=%.0f^%.2f heading=%.2f window=%d/%d lead=%.2f(%d,%.0f) early=%.2f(%.0f) near=%.2f(%.0f) plain=%.2f focus=%.2f vocab=%.2f(%.0f)",
		r.WordBoost, r.ShortChars, r.ShortExp, r.HeadingFactor, r.Window, r.WordWindow,
		r.Lead, r.LeadChars, r.LeadBody, r.Early, r.PosChars, r.Near, r.ProxChars, r.Plain, r.Focus, r.Vocab, r.VocabN)
}

// validate refuses settings that would break the order's promises: the
// factor must stay at least 1 (weights never negative) and the windows
// and scales positive.
func (r Ranking) validate() error {
	switch {
	case r.Window < 0 || r.WordWindow < 0:
		return fmt.Errorf("bleveindex: ranking windows must not be negative (%d, %d)", r.Window, r.WordWindow)
	case r.WordBoost < 0 || r.Lead < 0 || r.Early < 0 || r.Near < 0 || r.Plain < 0 || r.Focus < 0 || r.Vocab < 0:
		return fmt.Errorf("bleveindex: ranking weights must not be negative: %s", r)
	case r.ShortChars <= 0 || r.HeadingFactor <= 0 || r.LeadChars <= 0 || r.LeadBody <= 0 || r.PosChars <= 0 || r.ProxChars <= 0 || r.VocabN <= 0:
		return fmt.Errorf("bleveindex: ranking scales must be positive: %s", r)
	}
	return nil
}

// ranker is a Ranking ready for use: its stage-one priors tabulated.
type ranker struct {
	Ranking
	// priors holds paragraphPrior of lengths below priorTableSize, for
	// body lines and then for headings.
	priors [2 * priorTableSize]float32
}

func newRanker(r Ranking) *ranker {
	k := &ranker{Ranking: r}
	for h := range 2 {
		for c := range priorTableSize {
			cc := math.Max(float64(c), 1)
			k.priors[h*priorTableSize+c] = float32(k.prior(int(cc), h == 1) / math.Sqrt(cc))
		}
	}
	return k
}

// prior is the paragraph prior of stage one without the length norm.
func (r *ranker) prior(chars int, heading bool) float64 {
	p := 1.0
	if c := float64(chars); c < r.ShortChars {
		p = math.Pow(math.Max(c, 1)/r.ShortChars, r.ShortExp)
	}
	if heading {
		p *= r.HeadingFactor
	}
	return p
}

// paragraphPrior is the length normalisation and the priors of stage one:
// 1/√chars, scaled down further for lines shorter than ShortChars and for
// headings. It is computed for every hit, so common lengths come from a
// table (math.Pow per hit was a third of a large query's time), and the
// rest is outlined so that the table lookup inlines into the hit loop.
func (r *ranker) paragraphPrior(chars uint32, heading bool) float32 {
	if chars < priorTableSize {
		if heading {
			chars += priorTableSize
		}
		return r.priors[chars]
	}
	return r.longPrior(chars, heading)
}

//go:noinline
func (r *ranker) longPrior(chars uint32, heading bool) float32 {
	c := float64(chars)
	return float32(r.prior(int(c), heading) / math.Sqrt(c))
}

const priorTableSize = 1024

// factor is the multiplier of a windowed hit's score from its aboutness,
// exp(Σ weight·signal) over signals that are never negative, so never
// below 1: the window's scores stay above the stage-one scores of the
// hits below it, and the whole order's scores never increase.
func (r *ranker) factor(a aboutness) float64 {
	x := r.Lead*a.lead + r.Early*a.early + r.Near*a.near + r.Vocab*a.vocab
	if !a.vocative {
		x += r.Plain
	}
	if !a.overview {
		x += r.Focus
	}
	return math.Exp(x)
}
