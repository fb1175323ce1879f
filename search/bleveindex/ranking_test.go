package bleveindex_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/testcorpus"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// judgment is one graded (query, paragraph) pair of testdata/judgments.
// Split is "tune" or "heldout": tuning code must only look at tune lines
// (see tuneOnly), so that the held-out mean stays an honest estimate.
type judgment struct {
	Query string `json:"query"`
	Path  string `json:"path"`
	Text  string `json:"text"`
	Grade int    `json:"grade"`
	Split string `json:"split"`
}

// The two parts of the judged set.
const (
	splitTune    = "tune"
	splitHeldout = "heldout"
)

// minNDCG is the floor for the mean nDCG@10 over the judged queries, and
// minSplitNDCG the floors of the tune and held-out means. The measured
// values are in docs/ranking.md (0.9517 overall, 0.9668 tune, 0.9221
// held-out); the floors are what is reached, rounded down, so that a
// ranking change that loses quality fails the test (without the vocab
// signal the means are 0.9445 / 0.9591 / 0.9158 and fail).
const minNDCG = 0.951

var minSplitNDCG = map[string]float64{splitTune: 0.966, splitHeldout: 0.922}

// Issue 17 asks that no topic fall below topicFloor. Four judged queries
// still do (docs/ranking.md: `数字 政府` 0.612, 数字政府 0.744, 人口老龄化
// 0.779, 新质生产力 0.797); maxBelowFloor keeps that from growing.
const (
	topicFloor    = 0.80
	maxBelowFloor = 4
)

// loadJudgments reads every judged query, tune and held-out; each
// query's lines share one split.
func loadJudgments(t *testing.T) map[string][]judgment {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "judgments", "judgments.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]judgment{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var j judgment
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			t.Fatalf("judgments line %d: %v", n, err)
		}
		if j.Split != splitTune && j.Split != splitHeldout {
			t.Fatalf("judgments line %d: split %q, want %q or %q", n, j.Split, splitTune, splitHeldout)
		}
		if prev := out[j.Query]; len(prev) > 0 && prev[0].Split != j.Split {
			t.Fatalf("judgments line %d: %s is split %q here and %q before", n, j.Query, j.Split, prev[0].Split)
		}
		out[j.Query] = append(out[j.Query], j)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 60 {
		t.Fatalf("only %d judged queries", len(out))
	}
	return out
}

// tuneOnly keeps the tune queries: what tuning may look at.
func tuneOnly(judged map[string][]judgment) map[string][]judgment {
	out := map[string][]judgment{}
	for q, js := range judged {
		if js[0].Split == splitTune {
			out[q] = js
		}
	}
	return out
}

func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// gradesByID resolves judged paragraphs to paragraph ids of the index.
func gradesByID(t *testing.T, ix *bleveindex.Index, js []judgment) map[string]int {
	t.Helper()
	out := map[string]int{}
	paras := map[string][]search.Paragraph{}
	for _, j := range js {
		id := indexer.ReportID(j.Path)
		ps, ok := paras[id]
		if !ok {
			var err error
			if ps, err = ix.Paragraphs(context.Background(), id); err != nil {
				t.Fatalf("%s: %v", j.Path, err)
			}
			paras[id] = ps
		}
		// Judged lines are raw lines of the file; cleaning may have
		// joined a line with its continuation, so a judged line maps
		// to the paragraph that contains it (the best grade wins).
		found := false
		for _, p := range ps {
			if strings.Contains(squash(p.Text), squash(j.Text)) {
				pid := fmt.Sprintf("%s-%d", id, p.N)
				out[pid] = max(out[pid], j.Grade)
				found = true
			}
		}
		if !found {
			t.Errorf("judged paragraph not in index: %s %.40q", j.Path, j.Text)
		}
	}
	return out
}

func ndcgAt(k int, ranked []string, grades map[string]int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i >= k {
			break
		}
		dcg += (math.Pow(2, float64(grades[id])) - 1) / math.Log2(float64(i)+2)
	}
	var ideal []int
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := 0.0
	for i, g := range ideal {
		if i >= k {
			break
		}
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i)+2)
	}
	if idcg == 0 {
		return 1
	}
	return dcg / idcg
}

// meanNDCG runs every judged query and returns the mean nDCG@10, the
// per-query values and, per query, how many of the top 10 hits are not
// judged (they count as grade 0). For a pooled query (testdata/judgments)
// a ranking change can bring unjudged paragraphs into the top 10: rerun
// bench/judgepool and grade them before trusting the figure.
func meanNDCG(t *testing.T, ix *bleveindex.Index, judged map[string][]judgment, grades map[string]map[string]int) (float64, map[string]float64, map[string]int) {
	per := map[string]float64{}
	unjudged := map[string]int{}
	sum := 0.0
	for q := range judged {
		resp, err := ix.Search(context.Background(), search.Request{Query: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range resp.Hits {
			ids = append(ids, h.ID)
			if _, ok := grades[q][h.ID]; !ok {
				unjudged[q]++
			}
		}
		per[q] = ndcgAt(10, ids, grades[q])
		sum += per[q]
	}
	return sum / float64(len(judged)), per, unjudged
}

func TestRankingNDCG(t *testing.T) {
	ix := testcorpus.Index(t)
	judged := loadJudgments(t)
	grades := map[string]map[string]int{}
	for q, js := range judged {
		grades[q] = gradesByID(t, ix, js)
	}
	mean, per, unjudged := meanNDCG(t, ix, judged, grades)
	var qs []string
	for q := range per {
		qs = append(qs, q)
	}
	sort.Strings(qs)
	sums, counts := map[string]float64{}, map[string]int{}
	totalUnjudged := 0
	for _, q := range qs {
		split := judged[q][0].Split
		sums[split] += per[q]
		counts[split]++
		totalUnjudged += unjudged[q]
		note := ""
		if unjudged[q] > 0 {
			note = fmt.Sprintf("  (%d of the top 10 unjudged)", unjudged[q])
		}
		t.Logf("%-12s %-7s nDCG@10 %.3f%s", q, split, per[q], note)
	}
	t.Logf("unjudged hits in the top 10, all queries: %d", totalUnjudged)
	var below []string
	for _, q := range qs {
		if per[q] < topicFloor {
			below = append(below, fmt.Sprintf("%s %.3f", q, per[q]))
		}
	}
	t.Logf("queries below %.2f: %d (%s)", topicFloor, len(below), strings.Join(below, ", "))
	if len(below) > maxBelowFloor {
		t.Errorf("%d queries below nDCG@10 %.2f, at most %d: %s", len(below), topicFloor, maxBelowFloor, strings.Join(below, ", "))
	}
	for _, split := range []string{splitTune, splitHeldout} {
		if counts[split] == 0 {
			t.Fatalf("no %s queries", split)
		}
		m := sums[split] / float64(counts[split])
		t.Logf("mean nDCG@10 over %d %s queries: %.4f", counts[split], split, m)
		if m < minSplitNDCG[split] {
			t.Errorf("mean nDCG@10 of the %s queries %.4f below the floor %.3f", split, m, minSplitNDCG[split])
		}
	}
	t.Logf("mean nDCG@10 over %d queries: %.4f", len(per), mean)
	if mean < minNDCG {
		t.Errorf("mean nDCG@10 %.4f below the floor %.3f", mean, minNDCG)
	}
}

var tune = flag.Bool("tune", false, "TestTune: grid-search the ranking parameters on the judged set")

// TestTune prints mean nDCG@10 over a grid of ranking parameters. It is a
// tool, run by hand: go test ./search/bleveindex -run TestTune -tune -v
// Each setting opens its own index of the corpus with that ranking
// (bleveindex.OpenWith): a ranking is an option of an index, not state
// that tuning changes under it.
func TestTune(t *testing.T) {
	if !*tune {
		t.Skip("tuning tool; run with -tune")
	}
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := indexer.FileSources([]string{testcorpus.Dir(t)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	judged := tuneOnly(loadJudgments(t)) // never the held-out queries
	grades := map[string]map[string]int{}
	for q, js := range judged {
		grades[q] = gradesByID(t, ix, js)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("tuning on the %d tune queries; per setting, the queries that move against the default ranking", len(judged))
	var base map[string]float64
	for _, r := range bleveindex.TuningGrid() {
		ix, err := bleveindex.OpenWith(dir, bleveindex.Options{Ranking: r})
		if err != nil {
			t.Fatal(err)
		}
		mean, per, unjudged := meanNDCG(t, ix, judged, grades)
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, u := range unjudged {
			n += u
		}
		if r == bleveindex.DefaultRanking() {
			base = per
		}
		var moved []string
		for q, v := range per {
			if b, ok := base[q]; ok && math.Abs(v-b) > 0.0005 {
				moved = append(moved, fmt.Sprintf("%s %+.3f", q, v-b))
			}
		}
		sort.Strings(moved)
		t.Logf("%s mean nDCG@10 (tune) %.4f, unjudged in the top 10 %d; %s", r, mean, n, strings.Join(moved, ", "))
	}
}

// A bare heading must not outrank the body paragraphs it introduces: for
// every judged query whose hits include both headings and body
// paragraphs, the first hit is body text.
func TestHeadingsDoNotLead(t *testing.T) {
	ix := testcorpus.Index(t)
	checked := 0
	for q := range loadJudgments(t) {
		resp, err := ix.Search(context.Background(), search.Request{Query: q, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		headings, body := 0, 0
		for _, h := range resp.Hits {
			if isHeading(h.Text) {
				headings++
			} else {
				body++
			}
		}
		if headings == 0 || body == 0 {
			continue
		}
		checked++
		if isHeading(resp.Hits[0].Text) {
			t.Errorf("%s: first hit is a heading: %q", q, resp.Hits[0].Text)
		}
	}
	// Four: 人民公社 was a fifth while the cleaner took the broken sentence
	// 农村人民公社工作条例（试行草案） + 在经过试行以后… for a heading.
	if checked < 4 {
		t.Fatalf("only %d queries had both headings and body hits", checked)
	}
}

// isHeading: a short line without sentence punctuation.
func isHeading(s string) bool {
	return len([]rune(s)) <= 40 && !strings.ContainsAny(s, "。；！？")
}
