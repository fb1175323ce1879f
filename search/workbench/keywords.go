package workbench

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// Limits of a keywords request.
const (
	DefaultKeywords = 50
	MaxKeywords     = 500
	// MaxPhraseChars is the longest phrase considered, in characters.
	MaxPhraseChars = 8
	// maxPhraseWords is the most gse words a phrase is made of.
	maxPhraseWords = 4
	// MaxKeywordParagraphs bounds the paragraphs of the two sets together.
	MaxKeywordParagraphs = 2000000
)

// KeywordsRequest compares a focus set of reports with a reference set.
type KeywordsRequest struct {
	Focus search.Filter
	// Reference selects the reference set; with Rest, it is every report
	// that is not in the focus set.
	Reference search.Filter
	Rest      bool
	// New lists only phrases absent from the reference set (新提法).
	New bool
	// Min is the least number of focus paragraphs a phrase must be in.
	Min  int
	Size int
}

// Validate fills defaults and checks limits.
func (r *KeywordsRequest) Validate() error {
	if r.Focus.IsZero() {
		return search.BadRequestf("give the focus set with f.year, f.region, f.level, f.organization or f.doc_type")
	}
	if err := r.Focus.Validate(); err != nil {
		return err
	}
	if err := r.Reference.Validate(); err != nil {
		return err
	}
	if r.Reference.IsZero() {
		r.Rest = true
	}
	if err := minAndSize(&r.Min, DefaultMinFreq, &r.Size, DefaultKeywords, MaxKeywords); err != nil {
		return err
	}
	return nil
}

// Phrase is one keyword of the focus set.
type Phrase struct {
	Phrase string `json:"phrase"`
	// Focus and Reference are the numbers of paragraphs of each set that
	// contain the phrase verbatim (the totals of a search for it in
	// quotes, filtered to the set).
	Focus     uint64  `json:"focus"`
	Reference uint64  `json:"reference"`
	Score     float64 `json:"score"`
	// FirstYear is the earliest year of a report of the index with the
	// phrase (0: only in reports without a year).
	FirstYear int `json:"first_year"`
}

// KeywordsResponse is the body of GET /api/keywords.
type KeywordsResponse struct {
	FocusReports        int      `json:"focus_reports"`
	FocusParagraphs     int      `json:"focus_paragraphs"`
	ReferenceReports    int      `json:"reference_reports"`
	ReferenceParagraphs int      `json:"reference_paragraphs"`
	Phrases             []Phrase `json:"phrases"`
	TookMS              float64  `json:"took_ms"`
}

// edgeChars are single characters a phrase does not start or end with:
// particles and prepositions that glue a phrase to its neighbours.
const edgeChars = "的了和与及等是在对把被将要也都并而以为于从向或这那其之着地得"

// Keywords lists the phrases — gse words and sequences of up to four
// adjacent words, 2 to 8 characters — that are over-represented in the
// focus set against the reference set, scored by G² on paragraph counts,
// strongest first. Only maximal phrases are listed: a phrase inside a
// longer candidate with the same counts in both sets is left out.
func Keywords(ctx context.Context, idx search.Index, req KeywordsRequest) (*KeywordsResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	reports, err := idx.Reports()
	if err != nil {
		return nil, err
	}
	resp := &KeywordsResponse{Phrases: []Phrase{}}
	var focus, ref []string // folded paragraph texts
	years := map[string]int{}
	for i := range reports {
		r := &reports[i]
		years[r.ID] = r.Year
		// A report in both sets is counted in both, and read once.
		inFocus := req.Focus.Match(r)
		inRef := req.Rest && !inFocus || !req.Rest && req.Reference.Match(r)
		if !inFocus && !inRef {
			continue
		}
		if len(focus)+len(ref)+r.Paragraphs > MaxKeywordParagraphs {
			return nil, search.BadRequestf("the two sets have more than %d paragraphs: narrow them", MaxKeywordParagraphs)
		}
		ps, err := idx.Paragraphs(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		texts := make([]string, len(ps))
		for j, p := range ps {
			texts[j] = analysis.FoldString(p.Text)
		}
		if inFocus {
			resp.FocusReports++
			focus = append(focus, texts...)
		}
		if inRef {
			resp.ReferenceReports++
			ref = append(ref, texts...)
		}
	}
	resp.FocusParagraphs, resp.ReferenceParagraphs = len(focus), len(ref)

	cands, err := phraseCandidates(focus, req.Min)
	if err != nil {
		return nil, err
	}
	m := newMatcher(cands)
	fc, rc := m.countParagraphs(ctx, focus), m.countParagraphs(ctx, ref)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Maximality: a candidate inside a longer one with the same counts.
	index := map[string]int{}
	for i, c := range cands {
		index[c] = i
	}
	dominated := make([]bool, len(cands))
	for i, c := range cands {
		rs := []rune(c)
		for a := 0; a < len(rs); a++ {
			for b := a + 1; b <= len(rs); b++ {
				if a == 0 && b == len(rs) {
					continue
				}
				if j, ok := index[string(rs[a:b])]; ok && fc[j] == fc[i] && rc[j] == rc[i] {
					dominated[j] = true
				}
			}
		}
	}
	nf, nr := float64(len(focus)), float64(len(ref))
	for i, c := range cands {
		if dominated[i] || fc[i] < uint64(req.Min) || req.New && rc[i] > 0 {
			continue
		}
		a, cc := float64(fc[i]), float64(rc[i])
		if nr > 0 && a/nf <= cc/nr {
			continue
		}
		resp.Phrases = append(resp.Phrases, Phrase{Phrase: c, Focus: fc[i], Reference: rc[i], Score: round(G2(a, nf-a, cc, nr-cc))})
	}
	slices.SortFunc(resp.Phrases, func(a, b Phrase) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Phrase, b.Phrase))
	})
	resp.Phrases = resp.Phrases[:min(len(resp.Phrases), req.Size)]
	for i := range resp.Phrases {
		p := &resp.Phrases[i]
		q := literal(p.Phrase)
		counts, _, err := idx.CountByReport(ctx, search.Request{Query: q.Tree.String(), Parsed: q})
		if err != nil {
			return nil, err
		}
		for id := range counts {
			if y := years[id]; y > 0 && (p.FirstYear == 0 || y < p.FirstYear) {
				p.FirstYear = y
			}
		}
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// phraseCandidates returns the phrases made of 1–4 adjacent gse words
// (2–8 characters, with a letter, not starting or ending with a function
// word or particle) that are such a sequence in at least min of the
// paragraphs, sorted.
func phraseCandidates(paras []string, min int) ([]string, error) {
	freq := map[string]int{}
	seen := map[string]int{}
	for pi, text := range paras {
		toks, err := analysis.Tokens([]byte(text))
		if err != nil {
			return nil, err
		}
		for i := range toks {
			chars := 0
			for j := i; j < len(toks) && j < i+maxPhraseWords; j++ {
				if j > i && toks[j].Start != toks[j-1].End {
					break // not adjacent in the text
				}
				chars += utf8.RuneCount(toks[j].Term)
				if chars > MaxPhraseChars {
					break
				}
				p := text[toks[i].Start:toks[j].End]
				if !phraseShape(p, string(toks[i].Term), string(toks[j].Term)) || seen[p] == pi+1 {
					continue
				}
				seen[p] = pi + 1
				freq[p]++
			}
		}
	}
	var out []string
	for p, n := range freq {
		if n >= min {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out, nil
}

func phraseShape(p, first, last string) bool {
	if utf8.RuneCountInString(p) < 2 || stopWords[first] || stopWords[last] || !candidateWordish(p) {
		return false
	}
	for _, w := range []string{first, last} {
		if utf8.RuneCountInString(w) == 1 && strings.Contains(edgeChars, w) {
			return false
		}
	}
	return true
}

// candidateWordish: the phrase has a letter (Han characters are letters)
// and is not only digits and units.
func candidateWordish(p string) bool {
	letters := 0
	for _, r := range p {
		if r > 0x2E80 || 'a' <= r && r <= 'z' {
			letters++
		}
	}
	return letters >= 2
}

// matcher finds many phrases at once in folded text: an Aho–Corasick
// automaton over runes.
type matcher struct {
	next map[edge]int32
	fail []int32
	term []int32 // pattern ending at the node, or -1
	dict []int32 // nearest node on the fail chain that ends a pattern, or -1
	n    int
}

type edge struct {
	node int32
	r    rune
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{next: map[edge]int32{}, fail: []int32{0}, term: []int32{-1}, dict: []int32{-1}, n: len(patterns)}
	for pi, p := range patterns {
		s := int32(0)
		for _, r := range p {
			t, ok := m.next[edge{s, r}]
			if !ok {
				t = int32(len(m.term))
				m.next[edge{s, r}] = t
				m.fail, m.term, m.dict = append(m.fail, 0), append(m.term, -1), append(m.dict, -1)
			}
			s = t
		}
		m.term[s] = int32(pi)
	}
	// Breadth first: children of each node, by the edges' order of depth.
	children := make([][]edge, len(m.term))
	for e, t := range m.next {
		children[e.node] = append(children[e.node], edge{t, e.r})
	}
	queue := []int32{}
	for _, c := range children[0] {
		queue = append(queue, c.node)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, c := range children[s] {
			t, r := c.node, c.r
			f := m.fail[s]
			for {
				if u, ok := m.next[edge{f, r}]; ok && u != t {
					m.fail[t] = u
					break
				}
				if f == 0 {
					m.fail[t] = 0
					break
				}
				f = m.fail[f]
			}
			if m.term[m.fail[t]] >= 0 {
				m.dict[t] = m.fail[t]
			} else {
				m.dict[t] = m.dict[m.fail[t]]
			}
			queue = append(queue, t)
		}
	}
	return m
}

func (m *matcher) step(s int32, r rune) int32 {
	for {
		if t, ok := m.next[edge{s, r}]; ok {
			return t
		}
		if s == 0 {
			return 0
		}
		s = m.fail[s]
	}
}

// countParagraphs returns, for each pattern, the number of texts that
// contain it.
func (m *matcher) countParagraphs(ctx context.Context, texts []string) []uint64 {
	counts := make([]uint64, m.n)
	last := make([]int32, m.n)
	for i := range last {
		last[i] = -1
	}
	for ti, text := range texts {
		if ti%4096 == 0 && ctx.Err() != nil {
			return counts
		}
		s := int32(0)
		for _, r := range text {
			s = m.step(s, r)
			for u := s; u >= 0; u = m.dict[u] {
				if p := m.term[u]; p >= 0 && last[p] != int32(ti) {
					last[p] = int32(ti)
					counts[p]++
				}
				if u == 0 {
					break
				}
			}
		}
	}
	return counts
}
