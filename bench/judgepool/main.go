// Command judgepool lists the paragraphs to grade for relevance queries
// (testdata/judgments, docs/ranking.md): for a query with few matching
// paragraphs every one of them, otherwise the pool of the top -depth
// paragraphs of four rankers, so that no ranker is judged only on its own
// hits:
//
//   - product: reportsearch's own ranking (package bleveindex, relevance
//     sort), on an index of the corpus built into a temporary folder with
//     package indexer;
//   - bm25: Okapi BM25 (k1 1.2, b 0.75) over the gse words of
//     analysis.Tokens, by brute force over every paragraph;
//   - density: occurrences of the query terms per 100 characters;
//   - lead: the theme in the paragraph's first sentence or run-in title
//     (up to the first 。！？； within 80 characters): such paragraphs
//     first, longer ones before shorter ones, then the rest by how early
//     every term has occurred.
//
// Paragraphs are those of testdata/judgments/README.md: one non-empty
// trimmed line of a file (lines of ASCII digits only are skipped), not the
// product's cleaned paragraphs, so that the judgments do not depend on the
// cleaning. A query is one or more terms separated by white space; a
// paragraph matches when it contains every term verbatim. The product's
// hits are mapped back to lines by the containment of their texts with
// white space removed (a cleaned paragraph may join lines); a hit that maps
// to no matching line is counted as unmapped.
//
// Usage, from the module root:
//
//	go run ./bench/judgepool -corpus ../shared/corpus 对外开放 "城市更新 老旧小区"
//	go run ./bench/judgepool -corpus ../shared/corpus -queries list.txt > pool.jsonl
//
// It writes one JSON object per paragraph to grade, in the order of the
// judgments file (query, path, line), and a summary per query on stderr.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportsearch/indexer"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

// para is one paragraph of the judgments' model.
type para struct {
	path  string
	line  int // 1-based line number in the file
	text  string
	chars int
	words map[string]int // gse words and their counts
	nword int
}

// candidate is one paragraph to grade and the rank (from 1) each ranker
// gave it, where it was within -depth.
type candidate struct {
	Query   string         `json:"query"`
	Path    string         `json:"path"`
	Line    int            `json:"line"`
	Text    string         `json:"text"`
	Pooled  bool           `json:"pooled"`
	Rankers map[string]int `json:"rankers,omitempty"`
	idx     int
}

var rankerNames = []string{"product", "bm25", "density", "lead"}

func main() {
	corpus := flag.String("corpus", defaultCorpus(), "corpus folder (with manifest.csv)")
	queriesFile := flag.String("queries", "", "file of queries, one a line (instead of arguments)")
	depth := flag.Int("depth", 20, "paragraphs taken from each ranker")
	maxAll := flag.Int("max-exhaustive", 60, "queries with at most this many matching paragraphs are listed in full")
	indexDir := flag.String("index", "", "an existing index of the corpus to use (default: build one in a temporary folder)")
	flag.Parse()
	qs := flag.Args()
	if *queriesFile != "" {
		b, err := os.ReadFile(*queriesFile)
		if err != nil {
			fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				qs = append(qs, l)
			}
		}
	}
	if len(qs) == 0 {
		fatal(fmt.Errorf("no queries: give them as arguments or with -queries"))
	}
	if *depth < 1 || *depth > search.MaxSize {
		fatal(fmt.Errorf("-depth must be between 1 and %d", search.MaxSize))
	}

	paras, err := loadParagraphs(*corpus)
	if err != nil {
		fatal(err)
	}
	df, avgdl, err := analyse(paras)
	if err != nil {
		fatal(err)
	}
	ix, cleanup, err := openIndex(*corpus, *indexDir)
	if err != nil {
		fatal(err)
	}
	defer cleanup()

	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, q := range qs {
		terms := strings.Fields(q)
		q = strings.Join(terms, " ")
		var hits []int
		for i, p := range paras {
			if containsAll(p.text, terms) {
				hits = append(hits, i)
			}
		}
		ranks := map[string][]int{}
		var unmapped int
		var total uint64
		ranks["product"], unmapped, total, err = productRanking(ix, q, paras, hits, *depth)
		if err != nil {
			fatal(err)
		}
		ranks["bm25"], err = bm25Ranking(terms, paras, hits, df, avgdl)
		if err != nil {
			fatal(err)
		}
		ranks["density"] = densityRanking(terms, paras, hits)
		ranks["lead"] = leadRanking(terms, paras, hits)

		pooled := len(hits) > *maxAll
		cands := map[int]*candidate{}
		add := func(i int) *candidate {
			c := cands[i]
			if c == nil {
				p := paras[i]
				c = &candidate{Query: q, Path: p.path, Line: p.line, Text: p.text, Pooled: pooled, Rankers: map[string]int{}, idx: i}
				cands[i] = c
			}
			return c
		}
		if !pooled {
			for _, i := range hits {
				add(i)
			}
		}
		own := map[string]int{}
		for _, name := range rankerNames {
			for r, i := range ranks[name] {
				if r >= *depth {
					break
				}
				add(i).Rankers[name] = r + 1
			}
		}
		list := make([]*candidate, 0, len(cands))
		for _, c := range cands {
			list = append(list, c)
			if len(c.Rankers) == 1 {
				for name := range c.Rankers {
					own[name]++
				}
			}
		}
		sort.Slice(list, func(a, b int) bool { return list[a].idx < list[b].idx })
		for _, c := range list {
			if len(c.Rankers) == 0 {
				c.Rankers = nil
			}
			b, err := marshal(c)
			if err != nil {
				fatal(err)
			}
			out.Write(b)
			out.WriteByte('\n')
		}
		detail := "exhaustive"
		if pooled {
			// paragraphs in the pool because of one ranker only
			detail = fmt.Sprintf("pooled, only from product %d bm25 %d density %d lead %d",
				own["product"], own["bm25"], own["density"], own["lead"])
		}
		fmt.Fprintf(os.Stderr, "%s\tmatching %d\tto grade %d\t%s\tproduct total %d, hits unmapped %d\n",
			q, len(hits), len(list), detail, total, unmapped)
	}
}

func defaultCorpus() string {
	if d := os.Getenv("REPORTSEARCH_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "corpus")
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "judgepool:", err)
	os.Exit(1)
}

// marshal writes JSON without HTML escaping, as the judgments file is.
func marshal(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// trim is the judgments' trimming: Go's white space plus U+200B and U+FEFF.
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' })
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// loadParagraphs reads the files of the corpus's manifest.
func loadParagraphs(dir string) ([]*para, error) {
	f, err := os.Open(filepath.Join(dir, "manifest.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := -1
	for i, h := range head {
		if h == "path" {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("manifest.csv has no path column")
	}
	var paths []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		paths = append(paths, rec[col])
	}
	sort.Strings(paths)
	var out []*para
	for _, p := range paths {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(b) {
			return nil, fmt.Errorf("%s: not UTF-8", p)
		}
		for n, l := range strings.Split(string(b), "\n") {
			t := trim(l)
			if t == "" || digitsOnly(t) {
				continue
			}
			out = append(out, &para{path: p, line: n + 1, text: t, chars: utf8.RuneCountInString(t)})
		}
	}
	return out, nil
}

// analyse segments every paragraph and returns the document frequency of
// each word and the mean paragraph length in words.
func analyse(paras []*para) (map[string]int, float64, error) {
	df := map[string]int{}
	total := 0
	for _, p := range paras {
		toks, err := analysis.Tokens([]byte(p.text))
		if err != nil {
			return nil, 0, err
		}
		p.words = map[string]int{}
		for _, t := range toks {
			p.words[string(t.Term)]++
		}
		p.nword = len(toks)
		total += len(toks)
		for w := range p.words {
			df[w]++
		}
	}
	return df, float64(total) / float64(len(paras)), nil
}

func openIndex(corpus, dir string) (*bleveindex.Index, func(), error) {
	if dir != "" {
		ix, err := bleveindex.Open(dir)
		if err != nil {
			return nil, nil, err
		}
		return ix, func() { ix.Close() }, nil
	}
	tmp, err := os.MkdirTemp("", "judgepool-")
	if err != nil {
		return nil, nil, err
	}
	ix, err := bleveindex.Open(filepath.Join(tmp, "index"))
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	cleanup := func() { ix.Close(); os.RemoveAll(tmp) }
	srcs, err := indexer.FileSources([]string{corpus}, "")
	if err == nil {
		_, err = indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return ix, cleanup, nil
}

func containsAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// squash removes white space (and the zero-width characters the trimming
// knows), to compare a line with a cleaned paragraph.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
}

// productRanking maps the product's top depth hits to matching lines, in
// the product's order; it also returns how many hits did not map and the
// product's total (it matches after folding, so it can differ from the
// number of lines that contain the terms verbatim).
func productRanking(ix *bleveindex.Index, q string, paras []*para, hits []int, depth int) ([]int, int, uint64, error) {
	resp, err := ix.Search(context.Background(), search.Request{Query: q, Size: depth, Sort: search.SortRelevance})
	if err != nil {
		return nil, 0, 0, err
	}
	byDoc := map[string][]int{}
	for _, i := range hits {
		id := indexer.ReportID(paras[i].path)
		byDoc[id] = append(byDoc[id], i)
	}
	var out []int
	seen := map[int]bool{}
	unmapped := 0
	for _, h := range resp.Hits {
		ht := squash(h.Text)
		found := false
		for _, i := range byDoc[h.DocID] {
			lt := squash(paras[i].text)
			if strings.Contains(ht, lt) || strings.Contains(lt, ht) {
				found = true
				if !seen[i] {
					seen[i] = true
					out = append(out, i)
				}
			}
		}
		if !found {
			unmapped++
		}
	}
	return out, unmapped, resp.Total, nil
}

// rankBy orders the hits by score, highest first; ties in corpus order.
func rankBy(hits []int, score func(i int) float64) []int {
	out := append([]int(nil), hits...)
	s := make(map[int]float64, len(out))
	for _, i := range out {
		s[i] = score(i)
	}
	sort.SliceStable(out, func(a, b int) bool { return s[out[a]] > s[out[b]] })
	return out
}

func bm25Ranking(terms []string, paras []*para, hits []int, df map[string]int, avgdl float64) ([]int, error) {
	const k1, b = 1.2, 0.75
	n := float64(len(paras))
	seen := map[string]bool{}
	var words []string
	for _, t := range terms {
		ws, err := analysis.Words(t)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return rankBy(hits, func(i int) float64 {
		p := paras[i]
		s := 0.0
		for _, w := range words {
			tf := float64(p.words[w])
			if tf == 0 {
				continue
			}
			d := float64(df[w])
			idf := math.Log(1 + (n-d+0.5)/(d+0.5))
			s += idf * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(p.nword)/avgdl))
		}
		return s
	}), nil
}

func occurrences(s string, terms []string) int {
	n := 0
	for _, t := range terms {
		n += strings.Count(s, t)
	}
	return n
}

// densityRanking: occurrences per 100 characters; ties, longer first.
func densityRanking(terms []string, paras []*para, hits []int) []int {
	return rankBy(hits, func(i int) float64 {
		p := paras[i]
		return 100*float64(occurrences(p.text, terms))/float64(p.chars) + float64(p.chars)*1e-9
	})
}

// lead returns the first sentence of s: up to and including the first
// 。！？； within 80 characters, else the first 80 characters.
func lead(s string) string {
	n := 0
	for i, r := range s {
		if n == 80 {
			return s[:i]
		}
		n++
		if strings.ContainsRune("。！？；", r) {
			return s[:i+utf8.RuneLen(r)]
		}
	}
	return s
}

// leadRanking: paragraphs whose first sentence contains every term first,
// longer ones first; then the rest by the position (in characters) by
// which every term has occurred, earliest first.
func leadRanking(terms []string, paras []*para, hits []int) []int {
	return rankBy(hits, func(i int) float64 {
		p := paras[i]
		if containsAll(lead(p.text), terms) {
			return 1e6 + float64(p.chars)
		}
		last := 0
		for _, t := range terms {
			at := utf8.RuneCountInString(p.text[:strings.Index(p.text, t)])
			last = max(last, at)
		}
		return -float64(last)
	})
}
