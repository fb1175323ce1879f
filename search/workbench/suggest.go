package workbench

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// New-word suggestions: character sequences that occur often, stand
// freely between varying neighbours, and that gse does not know as one
// word — candidates for the user dictionary (新质生产力, 一网通办).
//
// Definitions, used by the test's brute-force oracle:
//   - candidates are sequences of 2 to 6 Han characters of the folded
//     text of the filtered paragraphs;
//   - a sequence's Paragraphs is the number of filtered paragraphs whose
//     folded text contains it (strings.Contains): the total of an exact
//     search for it in quotes with the same filters;
//   - its occurrences are every position it starts at (overlapping ones
//     too); the left (right) neighbour of an occurrence is the character
//     before (after) it, or a boundary when that is not a Han character
//     or the paragraph ends; the left (right) entropy is the Shannon
//     entropy, in bits, of the neighbours, each boundary counted as a
//     neighbour of its own (an edge is as free as can be);
//   - a suggestion is a candidate in at least Min paragraphs that
//     analysis.Words splits into more than one word, that does not start
//     or end with a particle (edgeChars), whose both entropies are at
//     least MinBoundaryEntropy, and that is not inside a longer
//     suggestion with the same Paragraphs;
//   - Score = Paragraphs × min(left, right entropy); highest first, ties
//     by the sequence.

// Limits and defaults of suggestions.
const (
	DefaultSuggestMin  = 5
	DefaultSuggestions = 50
	MaxSuggestions     = 500
	MinSuggestChars    = 2
	MaxSuggestChars    = 6
	// MinBoundaryEntropy is the least left and right entropy (bits) of a
	// suggestion: below it the sequence mostly comes with a fixed
	// neighbour, so it is a fragment of something longer.
	MinBoundaryEntropy = 1.0
	// MaxSuggestParagraphs bounds the filtered paragraphs read.
	MaxSuggestParagraphs = 300000
	// suggestExamples is the number of example paragraphs per suggestion.
	suggestExamples = 2
)

// SuggestRequest asks for the new-word suggestions of a set of reports.
type SuggestRequest struct {
	Filter search.Filter
	// Min is the least number of paragraphs a suggestion is in.
	Min  int
	Size int
}

// Validate fills defaults and checks limits.
func (r *SuggestRequest) Validate() error {
	if err := minAndSize(&r.Min, DefaultSuggestMin, &r.Size, DefaultSuggestions, MaxSuggestions); err != nil {
		return err
	}
	return r.Filter.Validate()
}

// Suggestion is one candidate word.
type Suggestion struct {
	Text string `json:"text"`
	// Paragraphs is the number of filtered paragraphs that contain Text.
	Paragraphs   uint64  `json:"paragraphs"`
	Occurrences  int     `json:"occurrences"`
	LeftEntropy  float64 `json:"left_entropy"`
	RightEntropy float64 `json:"right_entropy"`
	Score        float64 `json:"score"`
	// Words are the pieces gse splits Text into.
	Words    []string  `json:"words"`
	Examples []Example `json:"examples"`
}

// Example is a paragraph that contains a suggestion.
type Example struct {
	DocID     string `json:"doc_id"`
	Title     string `json:"title"`
	Year      int    `json:"year"`
	Paragraph int    `json:"paragraph"`
	Text      string `json:"text"`
	// Reader is the reader page of the paragraph, the sequence marked.
	Reader string `json:"reader"`
}

// SuggestResponse is the body of GET /api/suggestions.
type SuggestResponse struct {
	Reports     int          `json:"reports"`
	Paragraphs  int          `json:"paragraphs"`
	Suggestions []Suggestion `json:"suggestions"`
	TookMS      float64      `json:"took_ms"`
}

// suggestPara is a filtered paragraph: where it is and its folded text.
type suggestPara struct {
	report *search.Report
	n      int
	text   string
	folded string
}

// hanRuns calls fn with the byte offsets of the runes of each maximal run
// of Han characters in s (offs has one more entry: the run's end).
func hanRuns(s string, fn func(offs []int)) {
	var offs []int
	flush := func(end int) {
		if len(offs) > 0 {
			fn(append(offs, end))
			offs = offs[:0]
		}
	}
	for i, r := range s {
		if unicode.Is(unicode.Han, r) {
			offs = append(offs, i)
		} else {
			flush(i)
		}
	}
	flush(len(s))
}

type gramStat struct {
	df   int
	last int32 // the last paragraph counted, +1
}

// Suggest returns the new-word suggestions of the filtered paragraphs.
func Suggest(ctx context.Context, idx search.Index, req SuggestRequest) (*SuggestResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	reports, err := idx.Reports()
	if err != nil {
		return nil, err
	}
	resp := &SuggestResponse{Suggestions: []Suggestion{}}
	var paras []suggestPara
	for i := range reports {
		r := &reports[i]
		if !req.Filter.Match(r) {
			continue
		}
		if len(paras)+r.Paragraphs > MaxSuggestParagraphs {
			return nil, search.BadRequestf("the reports have more than %d paragraphs: add filters", MaxSuggestParagraphs)
		}
		ps, err := idx.Paragraphs(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		resp.Reports++
		for _, p := range ps {
			paras = append(paras, suggestPara{report: r, n: p.N, text: p.Text, folded: analysis.FoldString(p.Text)})
		}
	}
	resp.Paragraphs = len(paras)

	// Paragraph counts, one length at a time: a sequence is counted only
	// where both its shorter parts are frequent (a longer one is in no
	// more paragraphs than its parts). alive[n][pi] lists the byte offsets
	// in paragraph pi where a frequent sequence of n characters starts,
	// so each length looks only where the one before left something.
	stats := map[string]*gramStat{}
	count := func(pi int, g string) {
		st := stats[g]
		if st == nil {
			st = &gramStat{}
			stats[g] = st
		}
		if st.last != int32(pi+1) {
			st.last = int32(pi + 1)
			st.df++
		}
	}
	frequent := func(s string) bool { st := stats[s]; return st != nil && st.df >= req.Min }
	alive := make([][][]int32, MaxSuggestChars+1)
	alive[MinSuggestChars] = make([][]int32, len(paras))
	// The shortest: every position of every run of Han characters.
	for pass := 0; pass < 2; pass++ {
		for pi := range paras {
			if pi%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			f := paras[pi].folded
			hanRuns(f, func(offs []int) {
				for i := 0; i+MinSuggestChars < len(offs); i++ {
					g := f[offs[i]:offs[i+MinSuggestChars]]
					if pass == 0 {
						count(pi, g)
					} else if frequent(g) {
						alive[MinSuggestChars][pi] = append(alive[MinSuggestChars][pi], int32(offs[i]))
					}
				}
			})
		}
	}
	// gramEnd is the end of the n characters from o in f.
	gramEnd := func(f string, o int32, n int) int32 {
		for range n {
			_, size := utf8.DecodeRuneInString(f[o:])
			o += int32(size)
		}
		return o
	}
	for n := MinSuggestChars + 1; n <= MaxSuggestChars; n++ {
		alive[n] = make([][]int32, len(paras))
		for pass := 0; pass < 2; pass++ {
			for pi := range paras {
				if pi%1024 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
				f, prev := paras[pi].folded, alive[n-1][pi]
				for k := 0; k+1 < len(prev); k++ {
					// The prefix starts at prev[k]; the suffix must start
					// one character later, at prev[k+1].
					o := prev[k]
					if _, size := utf8.DecodeRuneInString(f[o:]); prev[k+1] != o+int32(size) {
						continue
					}
					g := f[o:gramEnd(f, o, n)]
					if pass == 0 {
						count(pi, g)
					} else if frequent(g) {
						alive[n][pi] = append(alive[n][pi], o)
					}
				}
			}
		}
	}
	// Candidates: frequent, split by gse, not glued by a particle.
	type cand struct {
		text        string
		df          int
		words       []string
		left, right map[string]int
		// leftEdges and rightEdges count the occurrences at an edge:
		// each is a neighbour of its own.
		leftEdges, rightEdges int
		occ                   int
	}
	cands := map[string]*cand{}
	for g, st := range stats {
		if st.df < req.Min {
			continue
		}
		first, _ := utf8.DecodeRuneInString(g)
		last, _ := utf8.DecodeLastRuneInString(g)
		if strings.ContainsRune(edgeChars, first) || strings.ContainsRune(edgeChars, last) {
			continue
		}
		ws, err := analysis.Words(g)
		if err != nil {
			return nil, err
		}
		if len(ws) < 2 {
			continue
		}
		cands[g] = &cand{text: g, df: st.df, words: ws, left: map[string]int{}, right: map[string]int{}}
	}
	stats = nil
	// Neighbours of every occurrence of a candidate: candidates are
	// frequent, so their occurrences are among the alive offsets.
	for n := MinSuggestChars; n <= MaxSuggestChars; n++ {
		for pi := range paras {
			if pi%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			f := paras[pi].folded
			for _, o := range alive[n][pi] {
				end := gramEnd(f, o, n)
				c := cands[f[o:end]]
				if c == nil {
					continue
				}
				c.occ++
				if r, size := utf8.DecodeLastRuneInString(f[:o]); size == 0 || !unicode.Is(unicode.Han, r) {
					c.leftEdges++
				} else {
					c.left[f[o-int32(size):o]]++
				}
				if r, size := utf8.DecodeRuneInString(f[end:]); size == 0 || !unicode.Is(unicode.Han, r) {
					c.rightEdges++
				} else {
					c.right[f[end:end+int32(size)]]++
				}
			}
		}
		alive[n] = nil
	}
	var out []Suggestion
	for _, c := range cands {
		le, re := entropy(c.left, c.leftEdges), entropy(c.right, c.rightEdges)
		if le < MinBoundaryEntropy || re < MinBoundaryEntropy {
			continue
		}
		out = append(out, Suggestion{Text: c.text, Paragraphs: uint64(c.df), Occurrences: c.occ,
			LeftEntropy: round(le), RightEntropy: round(re), Score: round(float64(c.df) * min(le, re)), Words: c.words})
	}
	// Maximality: a suggestion inside a longer one with the same count.
	listed := map[string]uint64{}
	for _, s := range out {
		listed[s.Text] = s.Paragraphs
	}
	dominated := map[string]bool{}
	for _, s := range out {
		rs := []rune(s.Text)
		for a := 0; a < len(rs); a++ {
			for b := a + MinSuggestChars; b <= len(rs); b++ {
				if sub := string(rs[a:b]); sub != s.Text && listed[sub] == s.Paragraphs {
					dominated[sub] = true
				}
			}
		}
	}
	out = slices.DeleteFunc(out, func(s Suggestion) bool { return dominated[s.Text] })
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Text, b.Text))
	})
	out = out[:min(len(out), req.Size)]
	// Examples: the first paragraphs (in the index's report order) with it.
	for i := range out {
		s := &out[i]
		s.Examples = []Example{}
		for _, p := range paras {
			if len(s.Examples) == suggestExamples {
				break
			}
			if strings.Contains(p.folded, s.Text) {
				s.Examples = append(s.Examples, Example{DocID: p.report.ID, Title: p.report.Title, Year: p.report.Year,
					Paragraph: p.n, Text: p.text, Reader: ReaderLink(p.report.ID, `"`+s.Text+`"`, p.n)})
			}
		}
	}
	resp.Suggestions = append(resp.Suggestions, out...)
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// Entropy is the Shannon entropy in bits of a distribution of counts.
func Entropy(counts map[string]int) float64 { return entropy(counts, 0) }

// entropy is Entropy with unique more outcomes of count 1 each.
func entropy(counts map[string]int, unique int) float64 {
	total := unique
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return 0
	}
	h := 0.0
	for _, n := range counts {
		if n > 0 {
			p := float64(n) / float64(total)
			h -= p * math.Log2(p)
		}
	}
	if unique > 0 {
		h += float64(unique) / float64(total) * math.Log2(float64(total))
	}
	return h
}
