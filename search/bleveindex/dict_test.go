package bleveindex

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/searchtest"
)

// dictQueries draws query terms from the corpus text: substrings of 2–6
// characters at random places (across word boundaries too), plus the
// dictionary's own words, so that the oracle covers what a dictionary
// could plausibly disturb.
func dictQueries(rds []search.ReportData, dict []string, n int, seed uint64) []string {
	rnd := rand.New(rand.NewPCG(seed, 1))
	var texts []string
	for _, rd := range rds {
		for _, p := range rd.Paragraphs {
			texts = append(texts, p.Text)
		}
	}
	qs := slices.Clone(dict)
	for len(qs) < n+len(dict) {
		r := []rune(texts[rnd.IntN(len(texts))])
		l := 2 + rnd.IntN(5)
		if len(r) < l {
			continue
		}
		i := rnd.IntN(len(r) - l + 1)
		q := string(r[i : i+l])
		if strings.ContainsAny(q, "\"|()-: \t\u3000") || !unicode.Is(unicode.Han, r[i]) {
			continue
		}
		qs = append(qs, q)
	}
	return qs
}

// randomDict draws words for a dictionary the same way: frequent-looking
// and nonsensical sequences alike (化治理, 展新质), which is what "any
// dictionary" means for the exactness property.
func randomDict(rds []search.ReportData, n int, seed uint64) []string {
	var ok []string
	for _, w := range dictQueries(rds, nil, n, seed) {
		if _, err := analysis.NormalizeWord(w); err == nil {
			ok = append(ok, w)
		}
	}
	ws, _ := analysis.NormalizeWords(ok)
	return ws
}

// oracle counts the paragraphs whose folded text contains the folded term.
func oracle(rds []search.ReportData, q string) uint64 {
	fq := analysis.FoldString(q)
	var n uint64
	for _, rd := range rds {
		for _, p := range rd.Paragraphs {
			if strings.Contains(analysis.FoldString(p.Text), fq) {
				n++
			}
		}
	}
	return n
}

func total(t testing.TB, ix *Index, q string, mode search.Mode) uint64 {
	t.Helper()
	res, err := ix.Search(context.Background(), search.Request{Query: `"` + q + `"`, Mode: mode, Size: 1})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res.Total
}

// The user dictionary never changes exact matching: for dictionaries of
// random corpus sequences, every exact total equals the brute-force count
// before, during and after the rebuild, searches running throughout give
// no error, and the rebuild swaps in the new word field (each dictionary
// word is then one word of the query analysis and of loose mode). A
// failure injected in the middle of a rebuild leaves the old generation
// serving, on disk too; the next rebuild resumes from what the unfinished
// generation holds, and writes made during a rebuild are in the result.
func TestUserDictRebuild(t *testing.T) {
	rds := searchtest.Corpus(t)
	root := filepath.Join(t.TempDir(), "index")
	ix, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close(); analysis.Use(nil) }()
	if err := ix.Put(searchtest.Clone(rds)...); err != nil {
		t.Fatal(err)
	}
	dictA, _ := analysis.NormalizeWords(append(randomDict(rds, 30, 7), "网格化治理", "新质生产力", "一网通办"))
	queries := dictQueries(rds, dictA, 60, 11)
	want := map[string]uint64{}
	for _, q := range queries {
		want[q] = oracle(rds, q)
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Fatalf("before any dictionary: %q: %d, brute force %d", q, got, want[q])
		}
	}

	// A write during the rebuild: one report's text changes (the copy
	// must pick it up), another is deleted.
	changed := searchtest.Clone(rds[:1])[0]
	changed.Paragraphs = append(changed.Paragraphs, search.Paragraph{Text: "推进一网通办改革，加快发展新质生产力。"})
	changed.Report.Hash = "changed"
	gone := rds[len(rds)-1].Report.ID
	mid := searchtest.Clone(rds)
	mid[0] = changed
	live := mid[:len(mid)-1]
	// What a search may answer: before the write, between its two
	// batches, after it; once the write has returned, only the last.
	var states [3]map[string]uint64
	for i, c := range [][]search.ReportData{rds, mid, live} {
		states[i] = map[string]uint64{}
		for _, q := range queries {
			states[i][q] = oracle(c, q)
		}
	}
	want = states[2]
	var written atomic.Bool
	var once sync.Once
	rebuildFault = func(int) error {
		once.Do(func() {
			if err := ix.Put(changed); err != nil {
				t.Error(err)
			}
			if err := ix.Delete(gone); err != nil {
				t.Error(err)
			}
			written.Store(true)
		})
		return nil
	}
	defer func() { rebuildFault = nil }()

	// Searches run during the whole rebuild; each must succeed with a
	// brute-force total.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searches atomic.Int64
	errs := make(chan error, 100)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i += 2 {
				// Writes pause while searches run (yieldToReads): leave
				// the rebuild some time between searches.
				time.Sleep(3 * time.Millisecond)
				select {
				case <-stop:
					return
				default:
				}
				q := queries[i%len(queries)]
				after := written.Load()
				res, err := ix.Search(context.Background(), search.Request{Query: `"` + q + `"`, Size: 5})
				if err == nil {
					ok := res.Total == states[2][q]
					if !after {
						ok = ok || res.Total == states[0][q] || res.Total == states[1][q]
					}
					if !ok {
						err = fmt.Errorf("%q: total %d during the rebuild, brute force %d (write done: %v)", q, res.Total, states[2][q], after)
					}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
				searches.Add(1)
			}
		}()
	}
	if _, err := ix.ChangeUserDict(search.DictChange{Add: dictA}); err != nil {
		t.Fatal(err)
	}
	st := ix.WaitRebuild()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a search during the rebuild: %v", err)
	}
	if st.State != search.RebuildDone || st.Paragraphs != st.Total || st.Total != paragraphsOf(live) {
		t.Fatalf("rebuild: %+v (%d paragraphs)", st, paragraphsOf(live))
	}
	if searches.Load() == 0 {
		t.Fatal("no search ran during the rebuild")
	}
	t.Logf("%d searches during a rebuild of %d paragraphs in %d passes", searches.Load(), st.Total, st.Passes)
	u := ix.UserDict()
	if u.Applied != analysis.DictVersion(dictA) || u.Version != u.Applied || u.AppliedWords != len(u.Words) {
		t.Fatalf("after the rebuild: %+v; want %s %q", u, analysis.DictVersion(dictA), dictA)
	}
	for _, q := range queries {
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Errorf("with dictionary A: %q: %d, brute force %d", q, got, want[q])
		}
	}
	if _, err := ix.Report(gone); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("the report deleted during the rebuild is back: %v", err)
	}
	if r, err := ix.Report(changed.Report.ID); err != nil || r.Hash != "changed" {
		t.Errorf("the report changed during the rebuild is old: %+v %v", r, err)
	}
	for _, w := range dictA {
		ws, err := analysis.Words(w)
		if err != nil || len(ws) != 1 || ws[0] != w {
			t.Errorf("dictionary word %q is analysed as %q (%v)", w, ws, err)
		}
		// One word: loose mode is the exact substring.
		if got := total(t, ix, w, search.ModeLoose); got != want[w] {
			t.Errorf("loose %q: %d, brute force %d", w, got, want[w])
		}
	}
	// The old generation goes once its last search ends; none runs now.
	ix.retiring.Wait()
	if _, err := os.Stat(filepath.Join(root, "store")); !os.IsNotExist(err) {
		t.Errorf("generation 0 was not removed: %v", err)
	}

	// Dictionary B fails half-way, as a crash would.
	dictB := randomDict(rds, 40, 99)
	copiedAtFault := 0
	rebuildFault = func(copied int) error {
		if copied >= st.Total/3 {
			copiedAtFault = copied
			return errors.New("injected failure")
		}
		return nil
	}
	if _, err := ix.ChangeUserDict(search.DictChange{Add: dictB, Replace: true}); err != nil {
		t.Fatal(err)
	}
	if st := ix.WaitRebuild(); st.State != search.RebuildFailed || !strings.Contains(st.Error, "injected") {
		t.Fatalf("rebuild with a failure: %+v", st)
	}
	rebuildFault = nil
	if u := ix.UserDict(); u.Applied != analysis.DictVersion(dictA) || u.Version != analysis.DictVersion(dictB) {
		t.Fatalf("after the failure: %+v", u)
	}
	// The process dies: the old generation is what opens.
	ix.Close()
	if ix, err = Open(root); err != nil {
		t.Fatal(err)
	}
	if u := ix.UserDict(); u.Applied != analysis.DictVersion(dictA) {
		t.Fatalf("reopened after the failure: %+v", u)
	}
	for _, q := range queries {
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Errorf("reopened: %q: %d, brute force %d", q, got, want[q])
		}
	}
	st, err = ix.RebuildWords(context.Background(), nil)
	if err != nil || st.Resumed < copiedAtFault || st.Resumed == 0 || st.Paragraphs != st.Total {
		t.Fatalf("resumed rebuild: %+v %v (%d paragraphs were copied before the failure)", st, err, copiedAtFault)
	}
	if u := ix.UserDict(); u.Applied != analysis.DictVersion(dictB) {
		t.Fatalf("after the resumed rebuild: %+v", u)
	}
	queriesB := dictQueries(live, dictB, 30, 5)
	for _, q := range append(queries, queriesB...) {
		if got, w := total(t, ix, q, search.ModeExact), oracle(live, q); got != w {
			t.Errorf("with dictionary B: %q: %d, brute force %d", q, got, w)
		}
	}
	// Reopened, the new generation serves with its dictionary.
	ix.Close()
	if ix, err = Open(root); err != nil {
		t.Fatal(err)
	}
	if u := ix.UserDict(); u.Applied != analysis.DictVersion(dictB) || analysis.Current().Version() != u.Applied {
		t.Fatalf("reopened after the rebuild: %+v", u)
	}
	gens, _ := filepath.Glob(filepath.Join(root, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("generation folders left: %v", gens)
	}
}

// A batch prepared before the generation switches is committed to the
// new generation (prepared again), not lost in the old folder.
func TestUserDictPreparedAcrossSwitch(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close(); analysis.Use(nil) }()
	para := func(id, text string) search.ReportData {
		return search.ReportData{Report: search.Report{ID: id, Title: id, Path: id + ".txt"}, Paragraphs: []search.Paragraph{{Text: text}}}
	}
	if err := ix.Put(para("a", "推进网格化治理。")); err != nil {
		t.Fatal(err)
	}
	p, err := ix.Prepare(para("b", "加快发展新质生产力。"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.SetUserDictWords(search.DictChange{Add: []string{"新质生产力"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.RebuildWords(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(p); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]uint64{"新质生产力": 1, "网格化治理": 1, "发展": 1} {
		if got := total(t, ix, q, search.ModeExact); got != want {
			t.Errorf("%q: %d, want %d", q, got, want)
		}
	}
	paras, err := ix.Paragraphs(context.Background(), "b")
	if err != nil || len(paras) != 1 {
		t.Fatalf("report b: %v %v", paras, err)
	}
}

// Bad words are refused with a reason; the file keeps its words.
func TestUserDictBadWords(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close(); analysis.Use(nil) }()
	if err := ix.SetUserDictWords(search.DictChange{Add: []string{"一网通办", "一網通辦"}}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "网", "a b", "制度，依法", "12", strings.Repeat("网", 21), "\x00x"} {
		err := ix.SetUserDictWords(search.DictChange{Add: []string{bad}})
		var be *search.BadRequestError
		if !errors.As(err, &be) {
			t.Errorf("%q: %v, want a bad request", bad, err)
		}
	}
	if u := ix.UserDict(); !slices.Equal(u.Words, []string{"一网通办"}) {
		t.Errorf("words = %q (traditional folded to one word)", u.Words)
	}
	if err := ix.SetUserDictWords(search.DictChange{Remove: []string{"一網通辦"}}); err != nil {
		t.Fatal(err)
	}
	if u := ix.UserDict(); len(u.Words) != 0 {
		t.Errorf("after removing: %q", u.Words)
	}
}

func paragraphsOf(rds []search.ReportData) int {
	n := 0
	for _, rd := range rds {
		n += len(rd.Paragraphs)
	}
	return n
}
