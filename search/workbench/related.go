package workbench

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// Limits of a collocates request.
const (
	DefaultRelated = 30
	MaxRelated     = 200
	DefaultMinFreq = 3
	// MaxWindow bounds the window of collocates, in characters.
	MaxWindow = 100
	// relatedCandidates is how many candidate words (the most frequent
	// gse words of the matching paragraphs) get exact counts; each costs
	// a count over the filtered index.
	relatedCandidates = 300
	// candidateParagraphs is how many matching paragraphs, at most, are
	// segmented to find the candidates (gse is most of a request's work:
	// about 0.1 ms a paragraph). The candidates are the words most
	// frequent in them; a word in fewer than about one in a thousand of
	// the matching paragraphs is rarely among the strongest collocates.
	candidateParagraphs = 1000
)

// RelatedRequest asks for the collocates of a query.
type RelatedRequest struct {
	Query  string
	Mode   search.Mode
	Filter search.Filter
	// Window 0 takes the words of the whole matching paragraphs; N > 0
	// the words within N characters of an occurrence of a query term.
	Window int
	// Min is the least fg a word needs to be listed.
	Min  int
	Size int
	// Themes resolves theme:NAME in Query.
	Themes search.Themes
	// Parsed is Query parsed by Validate.
	Parsed *search.Query
}

// Validate fills defaults, checks limits and parses the query.
func (r *RelatedRequest) Validate() error {
	if r.Window < 0 || r.Window > MaxWindow {
		return search.BadRequestf("window must be paragraph or between 1 and %d characters", MaxWindow)
	}
	if err := minAndSize(&r.Min, DefaultMinFreq, &r.Size, DefaultRelated, MaxRelated); err != nil {
		return err
	}
	sr := search.Request{Query: r.Query, Mode: r.Mode, Filter: r.Filter, Themes: r.Themes, Parsed: r.Parsed}
	if err := sr.Validate(); err != nil {
		return err
	}
	r.Mode, r.Parsed = sr.Mode, sr.Parsed
	return nil
}

// minAndSize fills the defaults of a list request's min (the least count
// of an item) and size, and checks them.
func minAndSize(min *int, defMin int, size *int, defSize, maxSize int) error {
	if *min == 0 {
		*min = defMin
	}
	if *min < 1 {
		return search.BadRequestf("min must be at least 1")
	}
	if *size == 0 {
		*size = defSize
	}
	if *size < 1 || *size > maxSize {
		return search.BadRequestf("size must be between 1 and %d", maxSize)
	}
	return nil
}

// RelatedWord is one collocate.
type RelatedWord struct {
	Word string `json:"word"`
	// FG is the number of matching paragraphs that contain the word
	// verbatim (with a window: within the window of an occurrence); BG the
	// number of paragraphs of the filtered index that contain it — the
	// total of a search for "word" with the same filters.
	FG    uint64  `json:"fg"`
	BG    uint64  `json:"bg"`
	Score float64 `json:"score"`
}

// RelatedResponse is the body of GET /api/related.
type RelatedResponse struct {
	Query string `json:"query"`
	// Paragraphs matched the query; IndexParagraphs are those of the
	// filtered index (the two sizes of the comparison).
	Paragraphs      int           `json:"paragraphs"`
	IndexParagraphs int           `json:"index_paragraphs"`
	Window          int           `json:"window"`
	Words           []RelatedWord `json:"words"`
	TookMS          float64       `json:"took_ms"`
}

// stopWords are function words left out of collocates and keywords
// (single characters are left out anyway).
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`我们 你们 他们 它们 这个 这些 那些 那个 一个 一些 以及 并且 而且 因此 所以 但是 如果
		通过 进行 其中 没有 可以 已经 不断 方面 以上 以下 之一 之后 之前 同时 为了 对于 关于 由于 还是 或者 就是 不是 这样 那样
		这种 各种 有关 相关 及其 等等 之间 其他 其它 主要 一切 什么 怎么 如何 每年 今年 去年 明年 全年 当前 目前`) {
		stopWords[w] = true
	}
}

// candidateWord reports whether a gse word may be a collocate or start a
// keyword: two characters or more, with a letter, not a function word.
func candidateWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 || stopWords[w] {
		return false
	}
	return strings.IndexFunc(w, unicode.IsLetter) >= 0
}

// Related returns the words that occur unusually often in the paragraphs
// a query matches (or near its occurrences) compared with the rest of the
// filtered index, scored by log-likelihood (G², Dunning 1993), most
// strongly associated first. Only positive associations are listed; the
// query's own terms and the words inside them are left out.
func Related(ctx context.Context, idx search.Index, req RelatedRequest) (*RelatedResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var fg []string // folded texts of the matching paragraphs
	var windows [][]string
	marks := req.Parsed.Marks
	add := func(f string) error {
		if len(fg) >= MaxParagraphs {
			return tooMany()
		}
		fg = append(fg, f)
		if req.Window > 0 {
			windows = append(windows, contextWindows(f, marks, req.Window))
		}
		return nil
	}
	sreq := search.Request{Query: req.Query, Mode: req.Mode, Filter: req.Filter, Sort: search.SortYear, Parsed: req.Parsed}
	var err error
	if fe, ok := idx.(search.FoldedExporter); ok {
		// The backend's folded text: no stored paragraph is loaded.
		err = fe.ExportFolded(ctx, sreq, func(_ *search.Report, _ int, folded []byte) error { return add(string(folded)) })
	} else {
		err = idx.Export(ctx, sreq, func(row search.Row) error { return add(analysis.FoldString(row.Text)) })
	}
	if err != nil {
		return nil, err
	}
	reports, err := idx.Reports()
	if err != nil {
		return nil, err
	}
	nIndex := 0
	for i := range reports {
		if req.Filter.Match(&reports[i]) {
			nIndex += reports[i].Paragraphs
		}
	}
	resp := &RelatedResponse{Query: req.Query, Paragraphs: len(fg), IndexParagraphs: nIndex, Window: req.Window, Words: []RelatedWord{}}

	// Candidates: gse words of the paragraphs (or windows), by the
	// number of paragraphs they are a word of.
	// Segmenting is the costly part: the candidates come from at most
	// candidateParagraphs of the matching paragraphs, evenly spread over
	// them (their counts below are exact over all of them), segmented on
	// every core, each into a map of its own.
	sample := make([]int, min(len(fg), candidateParagraphs))
	for k := range sample {
		sample[k] = k * len(fg) / len(sample)
	}
	workers := max(1, min(runtime.NumCPU(), len(sample)/64))
	freqs := make([]map[string]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			freq, seen := map[string]int{}, map[string]int{}
			for _, i := range sample[wk*len(sample)/workers : (wk+1)*len(sample)/workers] {
				texts := []string{fg[i]}
				if req.Window > 0 {
					texts = windows[i]
				}
				for _, text := range texts {
					toks, err := analysis.Tokens([]byte(text))
					if err != nil {
						errs[wk] = err
						return
					}
					for _, tk := range toks {
						w := string(tk.Term)
						if !candidateWord(w) || overlapsAny(w, marks) || seen[w] == i+1 {
							continue
						}
						seen[w] = i + 1
						freq[w]++
					}
				}
			}
			freqs[wk] = freq
		}()
	}
	wg.Wait()
	freq, err := sumCounts(freqs, errs)
	if err != nil {
		return nil, err
	}
	type cand struct {
		w string
		n int
	}
	var cands []cand
	for w, n := range freq {
		if n >= req.Min {
			cands = append(cands, cand{w, n})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.w, b.w)) })
	cands = cands[:min(len(cands), relatedCandidates)]

	words := make([]string, len(cands))
	for i, c := range cands {
		words[i] = c.w
	}
	bgs, err := countMany(ctx, idx, req.Filter, words)
	if err != nil {
		return nil, err
	}
	nf, nrest := float64(len(fg)), float64(nIndex-len(fg))
	// The matching paragraphs that contain each candidate: one scan of
	// them for all the candidates (an Aho–Corasick automaton).
	inFGs, _ := newMatcher(words).countParagraphs(ctx, fg, nil, nil)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for ci, c := range cands {
		inFG := inFGs[ci] // anywhere in the matching paragraphs
		a := inFG         // with a window: within the window of an occurrence
		if req.Window > 0 {
			a = 0
			for i, f := range fg {
				if strings.Contains(f, c.w) && slices.ContainsFunc(windows[i], func(s string) bool { return strings.Contains(s, c.w) }) {
					a++
				}
			}
		}
		if a < uint64(req.Min) {
			continue
		}
		bg := bgs[ci]
		rest := float64(bg - min(bg, inFG))
		if nrest <= 0 || float64(a)/nf <= rest/nrest {
			continue
		}
		resp.Words = append(resp.Words, RelatedWord{Word: c.w, FG: a, BG: bg,
			Score: round(G2(float64(a), nf-float64(a), rest, nrest-rest))})
	}
	slices.SortFunc(resp.Words, func(a, b RelatedWord) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Word, b.Word))
	})
	resp.Words = resp.Words[:min(len(resp.Words), req.Size)]
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// contextWindows returns, for every occurrence of every term in folded,
// the n characters before it and the n after it (the match itself left
// out), each clipped at the paragraph.
func contextWindows(folded string, terms []string, n int) []string {
	runes := []rune(folded)
	var out []string
	for _, t := range terms {
		tl := utf8.RuneCountInString(t)
		for _, at := range occurrences(folded, t) {
			s := utf8.RuneCountInString(folded[:at])
			out = append(out, string(runes[max(0, s-n):s]), string(runes[s+tl:min(len(runes), s+tl+n)]))
		}
	}
	return out
}

func overlapsAny(w string, terms []string) bool {
	for _, t := range terms {
		if strings.Contains(t, w) || strings.Contains(w, t) {
			return true
		}
	}
	return false
}

// countMany counts the paragraphs passing f that contain each of words:
// in one call when the backend is a search.Counter, else one exact count
// each.
func countMany(ctx context.Context, idx search.Index, f search.Filter, words []string) ([]uint64, error) {
	if c, ok := idx.(search.Counter); ok {
		return countOnCores(ctx, c, f, words)
	}
	out := make([]uint64, len(words))
	for i, w := range words {
		n, err := countContaining(ctx, idx, w, f)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// onCores cuts [0, n) into one part per core, each of at least minPart
// items (one part when n is small), runs f(part, lo, hi) on each part in
// its own goroutine and waits for them all; it returns the number of
// parts, at most runtime.NumCPU().
func onCores(n, minPart int, f func(part, lo, hi int)) int {
	parts := max(1, min(runtime.NumCPU(), n/minPart))
	var wg sync.WaitGroup
	for w := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, w*n/parts, (w+1)*n/parts)
		}()
	}
	wg.Wait()
	return parts
}

// countOnCores is c.CountContaining, one call per core, each for a share
// of the words (each word's count is one index lookup, independent of the
// others).
func countOnCores(ctx context.Context, c search.Counter, f search.Filter, words []string) ([]uint64, error) {
	out := make([]uint64, len(words))
	errs := make([]error, runtime.NumCPU())
	onCores(len(words), 32, func(w, lo, hi int) {
		var counts []uint64
		if counts, errs[w] = c.CountContaining(ctx, f, words[lo:hi]); errs[w] == nil {
			copy(out[lo:hi], counts)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countContaining is the number of paragraphs passing f whose folded text
// contains the folded word w: the total of an exact search for "w".
func countContaining(ctx context.Context, idx search.Index, w string, f search.Filter) (uint64, error) {
	q := literal(w)
	_, total, err := idx.CountByReport(ctx, search.Request{Query: q.Tree.String(), Filter: f, Parsed: q})
	return total, err
}

// literal is the prepared query of one verbatim string.
func literal(s string) *search.Query {
	tree := query.And{Children: []query.Node{query.Term{Text: s}}}
	eval := query.Fold(tree, analysis.FoldString)
	return &search.Query{Tree: tree, Eval: eval, Marks: query.Terms(eval)}
}

// G2 is Dunning's log-likelihood ratio of a 2×2 table: a and b are the
// focus set's counts with and without the item, c and d the reference's.
func G2(a, b, c, d float64) float64 {
	n := a + b + c + d
	term := func(o, row, col float64) float64 {
		if o <= 0 {
			return 0
		}
		return o * math.Log(o*n/(row*col))
	}
	return 2 * (term(a, a+b, a+c) + term(b, a+b, b+d) + term(c, c+d, a+c) + term(d, c+d, b+d))
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// sumCounts adds up the counts of parallel workers, or returns the first
// worker's error.
func sumCounts(freqs []map[string]int, errs []error) (map[string]int, error) {
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	freq := freqs[0]
	for _, f := range freqs[1:] {
		for k, n := range f {
			freq[k] += n
		}
	}
	return freq, nil
}
