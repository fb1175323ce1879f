package workbench

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	// Progress, when set, is told how far a long run is: the stage
	// ("read", "candidates", "count"), and paragraphs done of total.
	Progress func(stage string, done, total int) `json:"-"`
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
	progress := req.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	years := map[string]int{}
	type member struct{ focus, ref bool }
	members := map[string]member{}
	total := 0
	for i := range reports {
		r := &reports[i]
		years[r.ID] = r.Year
		// A report in both sets is counted in both, and read once.
		inFocus := req.Focus.Match(r)
		inRef := req.Rest && !inFocus || !req.Rest && req.Reference.Match(r)
		if !inFocus && !inRef {
			continue
		}
		members[r.ID] = member{inFocus, inRef}
		if inFocus {
			resp.FocusReports++
		}
		if inRef {
			resp.ReferenceReports++
		}
		if total += r.Paragraphs; total > MaxKeywordParagraphs {
			return nil, search.BadRequestf("the two sets have more than %d paragraphs: narrow them", MaxKeywordParagraphs)
		}
	}
	var focus, ref []string        // folded paragraph texts
	var focusYears, refYears []int // their reports' years
	add := func(m member, text string, year int) {
		if m.focus {
			focus, focusYears = append(focus, text), append(focusYears, year)
		}
		if m.ref {
			ref, refYears = append(ref, text), append(refYears, year)
		}
		if n := len(focus) + len(ref); n%50000 == 0 {
			progress("read", n, total)
		}
	}
	if sc, ok := idx.(search.FoldedScanner); ok {
		// The backend's folded text, without loading stored paragraphs.
		err := sc.ScanFolded(ctx, func(r *search.Report) bool { _, ok := members[r.ID]; return ok },
			func(r *search.Report, _ int, folded []byte) error {
				add(members[r.ID], string(folded), r.Year)
				return nil
			})
		if err != nil {
			return nil, err
		}
	} else {
		for i := range reports {
			m, ok := members[reports[i].ID]
			if !ok {
				continue
			}
			ps, err := idx.Paragraphs(ctx, reports[i].ID)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				add(m, analysis.FoldString(p.Text), reports[i].Year)
			}
		}
	}
	progress("read", len(focus)+len(ref), total)
	resp.FocusParagraphs, resp.ReferenceParagraphs = len(focus), len(ref)

	cands, err := phraseCandidates(ctx, focus, req.Min, func(done int) { progress("candidates", done, len(focus)) })
	if err != nil {
		return nil, err
	}
	fm := newMatcher(cands)
	fc, ffirst := fm.countParagraphs(ctx, focus, focusYears, nil)
	nf := float64(len(focus))
	// The reference counts, the costly scan: only of the candidates that
	// can still make the list (see countReference).
	keep, rc, rfirst, err := countReference(ctx, idx, req, cands, fm, fc, nf, ref, refYears, func(done int) { progress("count", done, len(ref)) })
	if err != nil {
		return nil, err
	}
	nr := float64(len(ref))
	cands, fc, ffirst = pick(cands, keep), pick(fc, keep), pick(ffirst, keep)
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
		if j := index[p.Phrase]; req.Rest && rfirst[j] >= 0 {
			// The two sets are the whole index: the scans saw every
			// paragraph, and each phrase's earliest year with it.
			p.FirstYear = earlier(ffirst[j], rfirst[j])
			continue
		}
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

// pruneSample is how many candidates per listed phrase are counted
// exactly to bound the list's lowest score.
const pruneSample = 8

// refSteps are the shares of the reference paragraphs scanned before each
// pruning step (1/50 of them, then up to 1/20, …, all): early steps are
// cheap bounds for many candidates, later ones count fewer.
var refSteps = []int{50, 20, 10, 5, 3, 2, 1}

// countReference returns the candidates that can be listed (their
// indexes, in order) with their reference counts and earliest years.
//
// The reference paragraphs are scanned in steps, in an order that spreads
// every step over all of them (every 50th paragraph first, and so on), and
// each step counts the candidates still alive, with the automaton of the
// step before until fewer than half of its patterns are alive, then with
// a new one of just those (a smaller one is faster per character, but
// each costs a build). Two-character candidates are not scanned: their
// exact counts come from the index first (exactPairs). The counts so
// far are exact lower bounds of a candidate's reference count, and a
// phrase's G² falls as its reference count rises (as long as it is
// over-represented, which a listed one is), so a candidate whose score at
// its lower bound is below the floor — a lower bound of the list's last
// score — can never be listed and is dropped. The floor: after every
// step, the pruneSample×Size alive candidates with the best estimated
// scores (the counts so far, scaled) get exact reference counts from the
// index (search.Counter, one lookup each), and the Size-th best exact
// score among their distinct (focus, reference) count pairs — each such
// pair stands for at least one listable maximal phrase with that score —
// bounds the list's last score; the highest so far is the floor. A phrase inside a longer candidate with the same counts is
// in the same paragraphs, so it has the same lower bounds and is dropped
// with it: maximality is decided the same. The survivors were counted in
// every step: their counts are exact, and the list is the same as without
// pruning. Without a counter every candidate is counted in one scan.
func countReference(ctx context.Context, idx search.Index, req KeywordsRequest, cands []string, all *matcher, fc []uint64, nf float64,
	ref []string, refYears []int, progress func(done int)) ([]int, []uint64, []int, error) {
	nr := len(ref)
	alive := make([]int, len(cands))
	for i := range alive {
		alive[i] = i
	}
	counter, ok := idx.(search.Counter)
	if !ok || nr == 0 {
		rc, rfirst := all.countParagraphs(ctx, ref, refYears, progress)
		return alive, rc, rfirst, nil
	}
	// order: every 50th paragraph from 0, then from 1, …
	const stride = 50
	texts, years := make([]string, 0, nr), make([]int, 0, nr)
	for r := range stride {
		for i := r; i < nr; i += stride {
			texts, years = append(texts, ref[i]), append(years, refYears[i])
		}
	}
	rc, rfirst := make([]uint64, len(cands)), make([]int, len(cands))
	exact, err := exactPairs(ctx, counter, req, cands, fc, rc, rfirst)
	if err != nil {
		return nil, nil, nil, err
	}
	scanned := func(alive []int) []int {
		return slices.DeleteFunc(slices.Clone(alive), func(i int) bool { return exact[i] })
	}
	// m's patterns are the candidates in (their indexes), alive or not:
	// the scan's counts of a dead or exact one are not used.
	m, in := all, slices.Clone(alive)
	// Exact counts are final: a candidate that cannot be listed with
	// them is dropped now.
	alive = slices.DeleteFunc(alive, func(i int) bool { return exact[i] && upperScore(req, fc[i], rc[i], nf, float64(nr)) < 0 })
	floor := math.Inf(-1) // none yet: every candidate can be listed
	done := 0
	for _, div := range refSteps {
		hi := nr / div
		if hi <= done {
			continue
		}
		s := scanned(alive)
		if len(s) == 0 {
			break // the alive candidates' counts are all exact
		}
		if 2*len(s) < len(in) {
			m, in = newMatcher(pick(cands, s)), s
		}
		c, f := m.countParagraphs(ctx, texts[done:hi], years[done:hi], func(n int) { progress(done + n) })
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		for k, i := range in {
			if !exact[i] {
				rc[i] += c[k]
				rfirst[i] = earlier(rfirst[i], f[k])
			}
		}
		done = hi
		progress(done)
		if done == nr {
			break
		}
		// Each step's estimates are better than the last's: the floor is
		// the highest found so far (each is a lower bound).
		t, ok, err := keywordFloor(ctx, counter, req, cands, alive, exact, fc, rc, nf, float64(nr), float64(done))
		if err != nil {
			return nil, nil, nil, err
		}
		if ok && t > floor {
			floor = t
		}
		next := alive[:0]
		for _, i := range alive {
			if upperScore(req, fc[i], rc[i], nf, float64(nr)) >= floor {
				next = append(next, i)
			}
		}
		alive = next
	}
	return alive, pick(rc, alive), pick(rfirst, alive), nil
}

// exactPairs gives the two-character candidates their exact reference
// counts when the reference is the rest of the index: the whole index's
// count (in the bleve backend a pair's document frequency in the grams
// dictionary, read without decoding a posting; in a segment with deleted
// or replaced reports, a word table) less the focus count. The
// scan then need not count them: they are the most frequent patterns of
// a scan, found in nearly every paragraph. Their earliest years are left
// unknown (-1). With a reference filter the counts would each decode the
// pair's postings and fill the term cache with tables of thousands of
// pairs, so the scan counts them. It returns which candidates are exact.
func exactPairs(ctx context.Context, counter search.Counter, req KeywordsRequest, cands []string, fc, rc []uint64, rfirst []int) ([]bool, error) {
	exact := make([]bool, len(cands))
	var two []int
	for i, c := range cands {
		if utf8.RuneCountInString(c) == 2 {
			two = append(two, i)
		}
	}
	if len(two) == 0 || !req.Rest {
		return exact, nil
	}
	counts, err := countOnCores(ctx, counter, search.Filter{}, pick(cands, two))
	if err != nil {
		return nil, err
	}
	for k, i := range two {
		rc[i], rfirst[i], exact[i] = counts[k]-min(counts[k], fc[i]), -1, true
	}
	return exact, nil
}

// upperScore is the highest score a candidate with focus count a and at
// least c reference paragraphs can be listed with, -1 if it cannot be.
func upperScore(req KeywordsRequest, a, c uint64, nf, nr float64) float64 {
	fa, fcr := float64(a), float64(c)
	if a < uint64(req.Min) || req.New && c > 0 || fa/nf <= fcr/nr {
		return -1
	}
	return G2(fa, nf-fa, fcr, nr-fcr)
}

// keywordFloor is a lower bound of the list's last score (see
// countReference), from the counts so far of the alive candidates in
// `done` of the nr reference paragraphs; false when there are too few
// listable candidates to bound it.
func keywordFloor(ctx context.Context, counter search.Counter, req KeywordsRequest, cands []string, alive []int, exact []bool,
	fc, partial []uint64, nf, nr, done float64) (float64, bool, error) {
	if len(alive) <= pruneSample*req.Size {
		return 0, false, nil
	}
	scored := make([]float64, len(cands))
	for _, i := range alive {
		// One more than seen, scaled: a phrase not seen yet is not taken
		// for one absent from the reference set.
		a, c := float64(fc[i]), float64(partial[i]+1)*nr/done
		if exact[i] {
			c = float64(partial[i])
		}
		if fc[i] < uint64(req.Min) || a/nf <= c/nr || req.New && partial[i] > 0 {
			scored[i] = -1
			continue
		}
		scored[i] = G2(a, nf-a, c, max(0, nr-c))
	}
	order := slices.Clone(alive)
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(scored[b], scored[a]), cmp.Compare(a, b)) })
	sample := order[:pruneSample*req.Size]
	strs := make([]string, len(sample))
	for k, i := range sample {
		strs[k] = cands[i]
	}
	f := req.Reference
	if req.Rest {
		f = search.Filter{} // the whole index, less the focus count
	}
	counts, err := countOnCores(ctx, counter, f, strs)
	if err != nil {
		return 0, false, err
	}
	type pair struct{ fc, rc uint64 }
	seen := map[pair]bool{}
	var scores []float64
	for k, i := range sample {
		rc := counts[k]
		if req.Rest {
			rc -= fc[i]
		}
		a, c := float64(fc[i]), float64(rc)
		p := pair{fc[i], rc}
		if seen[p] || fc[i] < uint64(req.Min) || req.New && rc > 0 || a/nf <= c/nr {
			continue
		}
		seen[p] = true
		scores = append(scores, G2(a, nf-a, c, nr-c))
	}
	if len(scores) < req.Size {
		return 0, false, nil
	}
	slices.Sort(scores)
	return scores[len(scores)-req.Size], true, nil
}

// pick returns the elements of xs at the indexes keep.
func pick[T any](xs []T, keep []int) []T {
	out := make([]T, len(keep))
	for k, i := range keep {
		out[k] = xs[i]
	}
	return out
}

// phraseCandidates returns the phrases made of 1–4 adjacent gse words
// (2–8 characters, with a letter, not starting or ending with a function
// word or particle) that are such a sequence in at least `least` of the
// paragraphs, sorted.
func phraseCandidates(ctx context.Context, paras []string, least int, progress func(done int)) ([]string, error) {
	// The paragraphs are cut into one chunk per core, each counted into a
	// map of its own, then the maps are added up.
	workers := max(1, min(runtime.NumCPU(), len(paras)/256))
	freqs := make([]map[string]int, workers)
	errs := make([]error, workers)
	var done atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			freq := map[string]int{}
			var mine []string // the paragraph's phrases, each counted once
			lo, hi := w*len(paras)/workers, (w+1)*len(paras)/workers
			for pi := lo; pi < hi; pi++ {
				if (pi-lo)%1024 == 1023 {
					if errs[w] = ctx.Err(); errs[w] != nil {
						return
					}
					progress(int(done.Add(1024)))
				}
				text := paras[pi]
				toks, err := analysis.Tokens([]byte(text))
				if err != nil {
					errs[w] = err
					return
				}
				mine = mine[:0]
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
						// The text is folded already: a word's term is its
						// span of the text (no copy).
						if p := text[toks[i].Start:toks[j].End]; phraseShape(p, text[toks[i].Start:toks[i].End], text[toks[j].Start:toks[j].End]) {
							mine = append(mine, p)
						}
					}
				}
				slices.Sort(mine)
				for _, p := range slices.Compact(mine) {
					freq[p]++
				}
			}
			freqs[w] = freq
		}()
	}
	wg.Wait()
	freq, err := sumCounts(freqs, errs)
	if err != nil {
		return nil, err
	}
	progress(len(paras))
	var out []string
	for p, n := range freq {
		if n >= least {
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
	// root is the root's transitions for the runes below rootRunes (Han
	// characters included), where most steps of a scan end: a table
	// lookup instead of a map's.
	root []int32
	// edges is next frozen into an open-addressing table for the scan.
	edges edgeTable
	next  map[edge]int32
	// nodes are what a scan reads of each node, side by side: one cache
	// line per step instead of one per array (the scan's misses are most
	// of its time with 100,000 patterns and more).
	nodes []acNode
	n     int
}

type acNode struct {
	fail int32
	term int32 // pattern ending at the node, or -1
	dict int32 // nearest node on the fail chain that ends a pattern, or -1
}

type edge struct {
	node int32
	r    rune
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{next: map[edge]int32{}, nodes: []acNode{{0, -1, -1}}, n: len(patterns)}
	nodes := m.nodes
	for pi, p := range patterns {
		s := int32(0)
		for _, r := range p {
			t, ok := m.next[edge{s, r}]
			if !ok {
				t = int32(len(nodes))
				m.next[edge{s, r}] = t
				nodes = append(nodes, acNode{0, -1, -1})
			}
			s = t
		}
		nodes[s].term = int32(pi)
	}
	m.nodes = nodes
	// Breadth first: children of each node, by the edges' order of depth.
	children := make([][]edge, len(nodes))
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
			f := nodes[s].fail
			for {
				if u, ok := m.next[edge{f, r}]; ok && u != t {
					nodes[t].fail = u
					break
				}
				if f == 0 {
					nodes[t].fail = 0
					break
				}
				f = nodes[f].fail
			}
			if ft := nodes[t].fail; nodes[ft].term >= 0 {
				nodes[t].dict = ft
			} else {
				nodes[t].dict = nodes[ft].dict
			}
			queue = append(queue, t)
		}
	}
	m.edges = newEdgeTable(m.next)
	m.root = make([]int32, rootRunes)
	for _, c := range children[0] {
		if c.r < rootRunes {
			m.root[c.r] = c.node
		}
	}
	return m
}

const rootRunes = 0x10000

// edgeTable maps (node, rune) to the node it leads to: linear probing
// over a power-of-two table of packed keys, several times faster than a
// Go map with a struct key on the scan's hot path.
type edgeTable struct {
	keys  []uint64
	vals  []int32
	shift uint
}

func edgeKey(node int32, r rune) uint64 { return uint64(uint32(node))<<32 | uint64(uint32(r)) | 1<<63 }

func newEdgeTable(next map[edge]int32) edgeTable {
	bits := uint(4)
	for 1<<bits < 2*len(next) {
		bits++
	}
	t := edgeTable{keys: make([]uint64, 1<<bits), vals: make([]int32, 1<<bits), shift: 64 - bits}
	for e, v := range next {
		k := edgeKey(e.node, e.r)
		i := (k * 0x9E3779B97F4A7C15) >> t.shift
		for t.keys[i] != 0 {
			i = (i + 1) & (1<<bits - 1)
		}
		t.keys[i], t.vals[i] = k, v
	}
	return t
}

// get returns the node (node, r) leads to, or -1.
func (t *edgeTable) get(node int32, r rune) int32 {
	k := edgeKey(node, r)
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9E3779B97F4A7C15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i]
		case 0:
			return -1
		}
	}
}

func (m *matcher) step(s int32, r rune) int32 {
	for s != 0 {
		if t := m.edges.get(s, r); t >= 0 {
			return t
		}
		s = m.nodes[s].fail
	}
	if r >= 0 && r < rootRunes {
		return m.root[r]
	}
	return m.next[edge{0, r}] // 0 when absent: the root
}

// countParagraphs returns, for each pattern, the number of texts that
// contain it and the earliest year (years[i] is text i's; 0 unknown)
// among them, 0 if none: the texts are cut into one chunk per core, each
// counted apart, the counts added up. progress (may be nil) is told the
// texts done.
func (m *matcher) countParagraphs(ctx context.Context, texts []string, years []int, progress func(done int)) ([]uint64, []int) {
	parts := make([][]uint64, runtime.NumCPU())
	firsts := make([][]int, runtime.NumCPU())
	var done atomic.Int64
	n := onCores(len(texts), 256, func(w, lo, hi int) {
		var ys []int
		if years != nil {
			ys = years[lo:hi]
		}
		parts[w], firsts[w] = m.count(ctx, texts[lo:hi], ys, func(n int) {
			if progress != nil {
				progress(int(done.Add(int64(n))))
			}
		})
	})
	counts, first := parts[0], firsts[0]
	for w, p := range parts[1:n] {
		for i, n := range p {
			counts[i] += n
			first[i] = earlier(first[i], firsts[w+1][i])
		}
	}
	return counts, first
}

// earlier returns the earlier of two years, 0 standing for none.
func earlier(a, b int) int {
	if a == 0 || b > 0 && b < a {
		return b
	}
	return a
}

// count is countParagraphs of one chunk, on one goroutine.
func (m *matcher) count(ctx context.Context, texts []string, years []int, progress func(n int)) ([]uint64, []int) {
	// A pattern's state side by side (one cache line per match).
	type state struct {
		last  int32 // the last text it was found in
		first int32 // the earliest year among them, 0 none
		n     uint32
	}
	st := make([]state, m.n)
	for i := range st {
		st[i].last = -1
	}
	nodes := m.nodes
	for ti, text := range texts {
		if ti%4096 == 4095 {
			if ctx.Err() != nil {
				break
			}
			progress(4096)
		}
		year := int32(0)
		if years != nil {
			year = int32(years[ti])
		}
		s := int32(0)
		for _, r := range text {
			s = m.step(s, r)
			for u := s; u >= 0; {
				nd := &nodes[u]
				if p := nd.term; p >= 0 && st[p].last != int32(ti) {
					ps := &st[p]
					ps.last = int32(ti)
					ps.n++
					if year > 0 && (ps.first == 0 || year < ps.first) {
						ps.first = year
					}
				}
				if u == 0 {
					break
				}
				u = nd.dict
			}
		}
	}
	counts := make([]uint64, m.n)
	first := make([]int, m.n)
	for i, ps := range st {
		counts[i], first[i] = uint64(ps.n), int(ps.first)
	}
	return counts, first
}
