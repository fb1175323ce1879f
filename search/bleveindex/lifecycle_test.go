package bleveindex

// Segment lifecycle tests: many small writes (adds, replacements, deletes,
// duplicate ids in one batch) against a brute-force model, with the
// merges they trigger; reopening, and the removal of unnamed files at
// Open; replaced reports never showing their old text; searches running
// while segments are merged and retired. They are internal tests so that
// they can check the manifest, the merge policy and bleve's document
// count directly, and replay a search's steps around a write.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"reportsearch/internal/corpusdir"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/query"
)

// lcCorpus returns the non-empty lines of every report of the shared
// corpus, one slice per file, in a fixed order.
func lcCorpus(t testing.TB) [][]string {
	t.Helper()
	var files [][]string
	err := filepath.WalkDir(corpusdir.Dir(t), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) >= 30 {
			files = append(files, lines)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("only %d corpus files with 30 lines or more", len(files))
	}
	return files
}

// lcReport builds a report of 2–maxParas consecutive real paragraphs of a
// random corpus file; extra paragraphs, when given, are added after them.
func lcReport(rng *rand.Rand, files [][]string, id string, version, maxParas int, extra ...string) search.ReportData {
	f := files[rng.Intn(len(files))]
	n := min(2+rng.Intn(maxParas-1), len(f))
	start := rng.Intn(len(f) - n + 1)
	lines := append(slices.Clone(f[start:start+n]), extra...)
	rd := search.ReportData{Report: search.Report{
		ID: id, Title: fmt.Sprintf("%s v%d", id, version), Path: id + ".txt", Year: 2000 + rng.Intn(24),
	}}
	section := ""
	for i, l := range lines {
		heading := utf8.RuneCountInString(l) < 20
		if heading {
			section = l
		}
		rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: l, Heading: heading, Section: section})
	}
	return rd
}

// lcModel is the brute-force model of an index: its live reports, the
// ids it deleted, and the folded text of every paragraph that was
// replaced or deleted (queries drawn from it must match only what the
// live reports contain).
type lcModel struct {
	reports map[string]search.ReportData
	deleted map[string]bool
	gone    []string
}

func newLCModel() *lcModel {
	return &lcModel{reports: map[string]search.ReportData{}, deleted: map[string]bool{}}
}

func (m *lcModel) bury(id string) {
	if old, ok := m.reports[id]; ok {
		for _, p := range old.Paragraphs {
			m.gone = append(m.gone, analysis.FoldString(p.Text))
		}
	}
}

// put applies a Put of rds in order (a later version of an id wins).
func (m *lcModel) put(rds ...search.ReportData) {
	for _, rd := range rds {
		m.bury(rd.Report.ID)
		m.reports[rd.Report.ID] = rd
		delete(m.deleted, rd.Report.ID)
	}
}

func (m *lcModel) del(ids ...string) {
	for _, id := range ids {
		m.bury(id)
		delete(m.reports, id)
		m.deleted[id] = true
	}
}

func (m *lcModel) ids() []string {
	var ids []string
	for id := range m.reports {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

type lcPara struct {
	id     string
	folded string
}

func (m *lcModel) paras() []lcPara {
	var out []lcPara
	for _, id := range m.ids() {
		for i, p := range m.reports[id].Paragraphs {
			out = append(out, lcPara{id: paragraphID(id, i+1), folded: analysis.FoldString(p.Text)})
		}
	}
	return out
}

// lcPut writes rds to the index and the model.
func lcPut(t *testing.T, ix *Index, m *lcModel, rds ...search.ReportData) {
	t.Helper()
	// Put may rewrite the Report fields of its arguments: give it a copy.
	if err := ix.Put(slices.Clone(rds)...); err != nil {
		t.Fatalf("put: %v", err)
	}
	m.put(rds...)
}

// lcOracle evaluates a parsed query on a folded paragraph by brute force.
func lcOracle(t *testing.T, n query.Node, folded string) bool {
	switch n := n.(type) {
	case query.Term:
		return strings.Contains(folded, analysis.FoldString(n.Text))
	case query.Or:
		for _, c := range n.Children {
			if lcOracle(t, c, folded) {
				return true
			}
		}
		return false
	case query.Not:
		return !lcOracle(t, n.Child, folded)
	case query.And:
		for _, c := range n.Children {
			if !lcOracle(t, c, folded) {
				return false
			}
		}
		return true
	}
	t.Fatalf("unexpected query node %T", n)
	return false
}

// lcQuery checks MatchIDs and the total of q against the model and
// returns the number of hits.
func lcQuery(t *testing.T, ix *Index, paras []lcPara, q, label string) int {
	t.Helper()
	tree, err := query.Parse(q)
	if err != nil {
		t.Fatalf("%s: parse %q: %v", label, q, err)
	}
	var want []string
	for _, p := range paras {
		if lcOracle(t, tree, p.folded) {
			want = append(want, p.id)
		}
	}
	got, total, err := ix.MatchIDs(context.Background(), search.Request{Query: q, Mode: search.ModeExact})
	if err != nil {
		t.Fatalf("%s: %q: %v", label, q, err)
	}
	if total != uint64(len(got)) {
		t.Errorf("%s: %q: total %d but %d ids", label, q, total, len(got))
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(want, got) {
		t.Errorf("%s: %q: %d hits, model %d; missing %v; extra %v",
			label, q, len(got), len(want), lcHead(lcDiff(want, got)), lcHead(lcDiff(got, want)))
	}
	return len(want)
}

func lcDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func lcHead(s []string) []string { return s[:min(len(s), 5)] }

// lcTerm draws a quotable substring of 1–maxLen characters of one of
// texts, or "" when the draw is unusable.
func lcTerm(rng *rand.Rand, texts []string, maxLen int) string {
	if len(texts) == 0 {
		return ""
	}
	runes := []rune(texts[rng.Intn(len(texts))])
	l := 1 + rng.Intn(maxLen)
	if len(runes) < l {
		return ""
	}
	i := rng.Intn(len(runes) - l + 1)
	s := string(runes[i : i+l])
	if strings.Contains(s, `"`) || strings.TrimSpace(s) != s || s == "" {
		return ""
	}
	return s
}

// lcQueries returns queries for a check: substrings of live paragraphs
// (1–6 characters), of replaced or deleted paragraphs (2–6), and OR, AND
// and NOT combinations of them.
func lcQueries(rng *rand.Rand, m *lcModel, paras []lcPara) []string {
	live := make([]string, len(paras))
	for i, p := range paras {
		live[i] = p.folded
	}
	draw := func(texts []string, maxLen int) string {
		for range 100 {
			if s := lcTerm(rng, texts, maxLen); s != "" {
				return s
			}
		}
		return "的"
	}
	var qs []string
	for range 14 {
		qs = append(qs, `"`+draw(live, 6)+`"`)
	}
	for range 6 {
		if len(m.gone) > 0 {
			qs = append(qs, `"`+draw(m.gone, 6)+`"`)
		}
	}
	for range 2 {
		a, b, c := draw(live, 3), draw(live, 2), draw(m.gone, 5)
		qs = append(qs,
			fmt.Sprintf(`"%s" | "%s"`, a, c),
			fmt.Sprintf(`"%s" -"%s"`, a, b),
			fmt.Sprintf(`"%s" "%s"`, b, a),
			fmt.Sprintf(`"%s" | "%s" -"%s"`, c, b, a),
		)
	}
	return qs
}

// lcFiles returns the names of the files in the index's grams folder.
func lcFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, gramsDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// lcCheckSegments checks the exact side's files: no temporary files, the
// files on disk are exactly those the manifest names (once each), and the
// merge policy has nothing left to do. It returns the number of segments.
func lcCheckSegments(t *testing.T, ix *Index, label string) int {
	t.Helper()
	files := lcFiles(t, ix.dir)
	for _, f := range files {
		if strings.HasSuffix(f, ".tmp") {
			t.Errorf("%s: temporary file %s left in %s", label, f, gramsDir)
		}
	}
	s := ix.acquire()
	defer s.release()
	var named []string
	for _, e := range s.man.Segments {
		named = append(named, e.File)
	}
	sort.Strings(named)
	if len(slices.Compact(slices.Clone(named))) != len(named) {
		t.Errorf("%s: manifest names a file twice: %v", label, named)
	}
	sort.Strings(files)
	if !slices.Equal(files, named) {
		t.Errorf("%s: files in %s %v, manifest names %v", label, gramsDir, files, named)
	}
	// Segments whose every report is dead leave the manifest, and one
	// with more dead than live paragraphs is rewritten.
	for i, v := range s.segs {
		live, liveReports := 0, 0
		for ri, r := range v.file.seg.Reports() {
			if v.global[ri] >= 0 {
				live += int(r.Count)
				liveReports++
			}
		}
		if liveReports == 0 || 2*live < v.file.seg.Len() {
			t.Errorf("%s: segment %s has %d live reports, %d live paragraphs of %d", label, s.man.Segments[i].File, liveReports, live, v.file.seg.Len())
		}
	}
	if p := mergePlan(s); p != nil {
		t.Errorf("%s: merge policy still wants to merge segments %v after the write", label, p)
	}
	return len(s.segs)
}

// lcCheck compares everything observable about the index with the model.
func lcCheck(t *testing.T, ix *Index, m *lcModel, rng *rand.Rand, label string) {
	t.Helper()
	ctx := context.Background()
	// Metadata: Reports, Report, Stats.
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	var stats Stats
	seen := map[string]bool{}
	for _, r := range reports {
		if seen[r.ID] {
			t.Errorf("%s: Reports lists %s twice", label, r.ID)
		}
		seen[r.ID] = true
		rd, ok := m.reports[r.ID]
		if !ok {
			t.Errorf("%s: Reports lists %s, which the model does not have", label, r.ID)
			continue
		}
		want := rd.Report
		want.Paragraphs, want.Chars = len(rd.Paragraphs), 0
		for _, p := range rd.Paragraphs {
			want.Chars += utf8.RuneCountInString(p.Text)
		}
		if r.ID != want.ID || r.Title != want.Title || r.Year != want.Year || r.Paragraphs != want.Paragraphs || r.Chars != want.Chars {
			t.Errorf("%s: report %+v, want %+v", label, r, want)
		}
		stats.Reports++
		stats.Paragraphs += want.Paragraphs
		stats.Chars += want.Chars
	}
	if len(seen) != len(m.reports) {
		t.Errorf("%s: Reports has %d reports, model %d", label, len(seen), len(m.reports))
	}
	if st, err := ix.Stats(); err != nil || st != stats {
		t.Errorf("%s: Stats %+v %v, want %+v", label, st, err, stats)
	}
	for id := range m.deleted {
		if _, err := ix.Report(id); !errors.Is(err, search.ErrNotFound) {
			t.Errorf("%s: deleted report %s: %v, want ErrNotFound", label, id, err)
		}
	}
	// Stored paragraphs: Paragraphs returns each report's current text,
	// and bleve holds no stale paragraph documents.
	for _, id := range m.ids() {
		ps, err := ix.Paragraphs(ctx, id)
		if err != nil {
			t.Fatalf("%s: paragraphs of %s: %v", label, id, err)
		}
		wantPs := m.reports[id].Paragraphs
		if !slices.Equal(ps, wantPs) {
			t.Errorf("%s: paragraphs of %s: got %d, want %d (first difference at %d)", label, id, len(ps), len(wantPs),
				lcFirstDiff(ps, wantPs))
		}
	}
	docs, err := ix.idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if docs != uint64(stats.Paragraphs+stats.Reports) {
		t.Errorf("%s: bleve holds %d documents, want %d paragraphs + %d reports", label, docs, stats.Paragraphs, stats.Reports)
	}
	// Exact search against brute force.
	paras := m.paras()
	for _, q := range lcQueries(rng, m, paras) {
		lcQuery(t, ix, paras, q, label)
	}
	// Per-report counts of one query.
	q := `"` + lcShortTerm(rng, paras) + `"`
	counts, total, err := ix.CountByReport(ctx, search.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := query.Parse(q)
	wantCounts := map[string]uint64{}
	var wantTotal uint64
	for _, p := range paras {
		if lcOracle(t, tree, p.folded) {
			wantCounts[p.id[:strings.LastIndexByte(p.id, '-')]]++
			wantTotal++
		}
	}
	if total != wantTotal || fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
		t.Errorf("%s: CountByReport %q: %v total %d, want %v total %d", label, q, counts, total, wantCounts, wantTotal)
	}
	lcCheckSegments(t, ix, label)
}

func lcShortTerm(rng *rand.Rand, paras []lcPara) string {
	texts := make([]string, len(paras))
	for i, p := range paras {
		texts[i] = p.folded
	}
	for range 100 {
		if s := lcTerm(rng, texts, 2); s != "" {
			return s
		}
	}
	return "的"
}

func lcFirstDiff(a, b []search.Paragraph) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func lcOpen(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// Many small writes — adds, replacements with different text, deletes,
// duplicate ids in one batch — keep the index equal to a brute-force
// model while merges run; reopening keeps it, removes files the manifest
// does not name, and later writes go on from there.
func TestLifecycleManyWritesMergeAndReopen(t *testing.T) {
	files := lcCorpus(t)
	rng := rand.New(rand.NewSource(20260611))
	dir := filepath.Join(t.TempDir(), "index")
	ix := lcOpen(t, dir)
	defer func() { ix.Close() }()
	m := newLCModel()

	next := 0
	newID := func() string { next++; return fmt.Sprintf("rep%03d", next) }
	version := 0
	pick := func(k int) []string {
		ids := m.ids()
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		return ids[:min(k, len(ids))]
	}
	var puts, replaces, deletes, dups, missing, empty int
	write := func(step int) {
		t.Helper()
		version++
		switch k := rng.Intn(20); {
		case k < 10 || len(m.reports) < 4: // new reports, now and then one without paragraphs
			var rds []search.ReportData
			for range 1 + rng.Intn(4) {
				rd := lcReport(rng, files, newID(), version, 25)
				if rng.Intn(12) == 0 {
					rd.Paragraphs = nil
					empty++
				}
				rds = append(rds, rd)
			}
			lcPut(t, ix, m, rds...)
			puts++
		case k < 14: // replace reports with different text, maybe with a new one
			var rds []search.ReportData
			for _, id := range pick(1 + rng.Intn(2)) {
				rds = append(rds, lcReport(rng, files, id, version, 25))
			}
			if rng.Intn(2) == 0 {
				rds = append(rds, lcReport(rng, files, newID(), version, 25))
			}
			lcPut(t, ix, m, rds...)
			puts++
			replaces++
		case k < 16: // the same id twice in one batch, new or existing
			id := newID()
			if rng.Intn(2) == 0 {
				id = pick(1)[0]
			}
			other := lcReport(rng, files, newID(), version, 10)
			lcPut(t, ix, m, lcReport(rng, files, id, version, 25), other, lcReport(rng, files, id, version+1000, 25))
			puts++
			dups++
		default: // delete, sometimes with an unknown id
			ids := pick(1 + rng.Intn(2))
			m.del(ids...)
			if rng.Intn(3) == 0 {
				ids = append(ids, ids[0])
			}
			if rng.Intn(3) == 0 {
				ids = append(ids, "no-such-report")
				missing++
				if err := ix.Delete(ids...); !errors.Is(err, search.ErrNotFound) {
					t.Fatalf("step %d: deleting %v: %v, want ErrNotFound", step, ids, err)
				}
			} else if err := ix.Delete(ids...); err != nil {
				t.Fatalf("step %d: deleting %v: %v", step, ids, err)
			}
			deletes++
		}
	}

	const steps = 60
	maxSegs := 0
	for step := 1; step <= steps; step++ {
		write(step)
		maxSegs = max(maxSegs, lcCheckSegments(t, ix, fmt.Sprintf("after write %d", step)))
		if step%6 == 0 {
			lcCheck(t, ix, m, rng, fmt.Sprintf("after write %d", step))
		}
		if step == 3 {
			// Reopen before any merge, while the first segment files are
			// live: later writes must not reuse their names.
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			ix = lcOpen(t, dir)
			lcCheck(t, ix, m, rng, "after reopening early")
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d puts (%d replacing, %d with a duplicate id, %d reports without paragraphs), %d deletes (%d with an unknown id); %d reports, %d paragraphs; %d paragraphs replaced or deleted",
		puts, replaces, dups, empty, deletes, missing, len(m.reports), len(m.paras()), len(m.gone))
	if replaces == 0 || deletes == 0 || dups == 0 || missing == 0 || empty == 0 {
		t.Fatalf("the write mix lacks a kind of write: %d replaces, %d deletes, %d duplicates, %d unknown deletes, %d empty reports",
			replaces, deletes, dups, missing, empty)
	}

	// A Put of nothing writes no segment.
	s := ix.acquire()
	nextBefore := s.man.Next
	s.release()
	lcPut(t, ix, m)
	lcCheck(t, ix, m, rng, "after an empty put")

	// Merges happened: many more segment files were written than are
	// live, and the live ones stay few.
	s = ix.acquire()
	written, live := s.man.Next, len(s.segs)
	s.release()
	if written != nextBefore {
		t.Errorf("an empty put wrote a segment file (next %d, was %d)", written, nextBefore)
	}
	t.Logf("segments: %d written, %d live, at most %d live after a write", written, live, maxSegs)
	if written <= puts {
		t.Errorf("%d segment files written for %d puts: no merge ran", written, puts)
	}
	if maxSegs >= mergeFactor || live > puts/4 {
		t.Errorf("%d live segments (at most %d after a write) for %d puts: merges do not bound the segment count", live, maxSegs, puts)
	}

	// Reopen with stray files in the grams folder: they are removed at
	// Open, and everything else holds.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	before := lcFiles(t, dir)
	stray := []string{"99999999.seg", "x.seg.tmp"}
	for _, f := range stray {
		if err := os.WriteFile(filepath.Join(dir, gramsDir, f), []byte("RSGRAMS1 stray"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix = lcOpen(t, dir)
	after := lcFiles(t, dir)
	for _, f := range stray {
		if slices.Contains(after, f) {
			t.Errorf("stray file %s not removed at Open", f)
		}
	}
	if !slices.Equal(before, after) {
		t.Errorf("files after reopening %v, before %v", after, before)
	}
	lcCheck(t, ix, m, rng, "after reopening")

	// Writes after reopening number their segments after the existing ones.
	for step := steps + 1; step <= steps+12; step++ {
		write(step)
		lcCheckSegments(t, ix, fmt.Sprintf("after write %d (reopened)", step))
		if step%4 == 0 {
			lcCheck(t, ix, m, rng, fmt.Sprintf("after write %d (reopened)", step))
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = lcOpen(t, dir)
	lcCheck(t, ix, m, rng, "after reopening twice")
}

// A replaced report never shows its old text: not in hits, totals or
// per-report counts, not through Paragraphs, and not after the segment
// holding the old version is merged or the index reopened — whether the
// old version was in the newest segment or in a merged one.
func TestLifecycleReplacedReportNeverShowsOldText(t *testing.T) {
	files := lcCorpus(t)
	const oldMark, newMark = "旧稿独有标记", "新稿独有标记"
	for _, tc := range []struct {
		name          string
		before, after int // Puts of other reports before and after the replacement
	}{
		{"replaced in the newest segment", 0, 0},
		{"replaced in a merged segment", mergeFactor - 1, 0},
		{"replaced, then merged", 0, mergeFactor + 1},
		{"replaced in a merged segment, then merged", mergeFactor - 1, mergeFactor + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(7 + tc.before*100 + tc.after)))
			dir := filepath.Join(t.TempDir(), "index")
			ix := lcOpen(t, dir)
			defer func() { ix.Close() }()
			m := newLCModel()
			ctx := context.Background()

			old := lcReport(rng, files, "R", 1, 12, "第一处"+oldMark+"。", "第二处"+oldMark+"，以及"+oldMark+"。")
			old.Paragraphs = append(old.Paragraphs, search.Paragraph{N: len(old.Paragraphs) + 1, Text: "结尾段落"})
			lcPut(t, ix, m, old)
			for i := range tc.before {
				lcPut(t, ix, m, lcReport(rng, files, fmt.Sprintf("b%d", i), 1, 20))
			}
			if got := lcQuery(t, ix, m.paras(), oldMark, "before replacing"); got != 2 {
				t.Fatalf("the old version's marker is in %d paragraphs, want 2", got)
			}
			// The new version is shorter, so some old paragraph numbers
			// no longer exist.
			nu := search.ReportData{Report: search.Report{ID: "R", Title: "R v2", Path: "R.txt", Year: 2024}, Paragraphs: []search.Paragraph{
				{N: 1, Text: "改写后的" + newMark + "段落。"},
				{N: 2, Text: "第二段没有标记。"},
			}}
			lcPut(t, ix, m, nu)
			for i := range tc.after {
				lcPut(t, ix, m, lcReport(rng, files, fmt.Sprintf("a%d", i), 1, 20))
			}

			check := func(label string) {
				t.Helper()
				paras := m.paras()
				if n := lcQuery(t, ix, paras, oldMark, label); n != 0 {
					t.Fatalf("%s: model error: marker in %d live paragraphs", label, n)
				}
				lcQuery(t, ix, paras, `"`+oldMark+`" | 结尾段落`, label)
				if n := lcQuery(t, ix, paras, newMark, label); n != 1 {
					t.Errorf("%s: new marker in %d paragraphs, want 1", label, n)
				}
				resp, err := ix.Search(ctx, search.Request{Query: oldMark})
				if err != nil {
					t.Fatal(err)
				}
				if resp.Total != 0 || len(resp.Hits) != 0 {
					t.Errorf("%s: search for the old marker: total %d, hits %+v", label, resp.Total, resp.Hits)
				}
				resp, err = ix.Search(ctx, search.Request{Query: newMark + " | 第二段没有标记"})
				if err != nil {
					t.Fatal(err)
				}
				if resp.Total != 2 || len(resp.Hits) != 2 {
					t.Fatalf("%s: search for the new text: total %d, %d hits, want 2", label, resp.Total, len(resp.Hits))
				}
				for _, h := range resp.Hits {
					if h.DocID != "R" || h.Title != "R v2" || h.Year != 2024 || h.Text != nu.Paragraphs[h.Paragraph-1].Text {
						t.Errorf("%s: hit %+v is not the new version's paragraph", label, h)
					}
				}
				counts, total, err := ix.CountByReport(ctx, search.Request{Query: oldMark})
				if err != nil || total != 0 || len(counts) != 0 {
					t.Errorf("%s: CountByReport of the old marker: %v %d %v", label, counts, total, err)
				}
				if r, err := ix.Report("R"); err != nil || r.Paragraphs != 2 || r.Title != "R v2" {
					t.Errorf("%s: report R: %+v %v", label, r, err)
				}
				ps, err := ix.Paragraphs(ctx, "R")
				if err != nil || !slices.Equal(ps, nu.Paragraphs) {
					t.Errorf("%s: paragraphs of R: %+v %v, want %+v", label, ps, err, nu.Paragraphs)
				}
				// No paragraph document of the old version is left in
				// bleve under the numbers the new one does not use.
				var ids []string
				for n := len(nu.Paragraphs) + 1; n <= len(old.Paragraphs); n++ {
					ids = append(ids, paragraphID("R", n))
				}
				sr, err := ix.idx.Search(bleve.NewSearchRequest(bleve.NewDocIDQuery(ids)))
				if err != nil {
					t.Fatal(err)
				}
				if sr.Total != 0 {
					t.Errorf("%s: %d old paragraph documents of R left in bleve", label, sr.Total)
				}
				lcCheck(t, ix, m, rng, label)
			}
			check("after replacing")
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			ix = lcOpen(t, dir)
			check("after reopening")
		})
	}
}

// Duplicate ids in one Put: the last version wins, on the exact side as
// in bleve — the earlier versions' paragraphs are not searchable, even
// where the last one is shorter, before and after the batch's segment is
// rewritten by a merge.
func TestLifecycleDuplicateIDInOnePut(t *testing.T) {
	files := lcCorpus(t)
	marks := []string{"甲版本标记", "乙版本标记", "丙版本标记"}
	const priorMark = "原有版本标记"
	for _, tc := range []struct {
		name     string
		prior    int   // paragraphs of a version written before, 0 for none
		versions []int // paragraphs of each version in the one Put
	}{
		{"longer then shorter", 0, []int{5, 2}},
		{"shorter then longer", 0, []int{2, 5}},
		{"over an existing report", 7, []int{3, 1}},
		{"three versions over an existing report", 2, []int{6, 1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(len(tc.versions)*10 + tc.prior)))
			dir := filepath.Join(t.TempDir(), "index")
			ix := lcOpen(t, dir)
			defer func() { ix.Close() }()
			m := newLCModel()
			version := func(n int, mark string) search.ReportData {
				rd := search.ReportData{Report: search.Report{ID: "A", Title: "A " + mark, Path: "A.txt", Year: 2010 + n}}
				for i := range n {
					rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: i + 1, Text: fmt.Sprintf("%s第%d段，%s", mark, i+1, files[i][i])})
				}
				return rd
			}
			if tc.prior > 0 {
				lcPut(t, ix, m, version(tc.prior, priorMark))
			}
			var batch []search.ReportData
			for i, n := range tc.versions {
				batch = append(batch, version(n, marks[i]))
				if i == 0 {
					batch = append(batch, lcReport(rng, files, "B", 1, 8))
				}
			}
			lcPut(t, ix, m, batch...)
			last := batch[len(batch)-1]

			check := func(label string) {
				t.Helper()
				paras := m.paras()
				lcQuery(t, ix, paras, priorMark, label)
				for i, mark := range marks[:len(tc.versions)] {
					want := 0
					if i == len(tc.versions)-1 {
						want = tc.versions[i]
					}
					if got := lcQuery(t, ix, paras, mark, label); got != want {
						t.Fatalf("%s: model error: %s in %d paragraphs, want %d", label, mark, got, want)
					}
				}
				lcQuery(t, ix, paras, "段 -"+marks[len(tc.versions)-1], label)
				r, err := ix.Report("A")
				if err != nil || r.Paragraphs != len(last.Paragraphs) || r.Title != last.Report.Title {
					t.Errorf("%s: report A: %+v %v, want %d paragraphs, title %q", label, r, err, len(last.Paragraphs), last.Report.Title)
				}
				lcCheck(t, ix, m, rng, label)
			}
			check("after the put")
			// Enough further writes to merge the batch's segment.
			for i := range mergeFactor {
				lcPut(t, ix, m, lcReport(rng, files, fmt.Sprintf("c%d", i), 1, 6))
			}
			check("after merging")
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			ix = lcOpen(t, dir)
			check("after reopening")
		})
	}
}

// Searches running while writes replace reports and merges retire (and
// unmap) segment files always see every report exactly once, in one
// version: the total, ids and per-report counts of a term that each
// version holds in exactly one paragraph stay constant. (The hits shown
// are checked by TestLifecycleHitsShowTheMatchedVersion.)
func TestLifecycleSearchesDuringMerges(t *testing.T) {
	files := lcCorpus(t)
	rng := rand.New(rand.NewSource(42))
	const mark, reports = "恒常标记", 6
	version := func(id string, v int) search.ReportData {
		rd := lcReport(rng, files, id, v, 15)
		i := rng.Intn(len(rd.Paragraphs) + 1)
		p := search.Paragraph{Text: fmt.Sprintf("第%d版%s。", v, mark)}
		rd.Paragraphs = slices.Insert(rd.Paragraphs, i, p)
		for j := range rd.Paragraphs {
			rd.Paragraphs[j].N = j + 1
		}
		return rd
	}
	ix := lcOpen(t, filepath.Join(t.TempDir(), "index"))
	defer ix.Close()
	var all []search.ReportData
	for i := range reports {
		all = append(all, version(fmt.Sprintf("s%d", i), 0))
	}
	if err := ix.Put(all...); err != nil {
		t.Fatal(err)
	}

	done := make(chan struct{})
	errs := make(chan error, 1)
	searches := 0
	go func() {
		defer close(errs)
		ctx := context.Background()
		fail := func(format string, args ...any) {
			errs <- fmt.Errorf("search %d: "+format, append([]any{searches}, args...)...)
		}
		for {
			select {
			case <-done:
				return
			default:
			}
			searches++
			ids, total, err := ix.MatchIDs(ctx, search.Request{Query: mark})
			if err != nil {
				fail("MatchIDs: %v", err)
				return
			}
			byReport := map[string]int{}
			for _, id := range ids {
				byReport[id[:strings.LastIndexByte(id, '-')]]++
			}
			if total != reports || len(ids) != reports || len(byReport) != reports {
				fail("MatchIDs: total %d, ids %v", total, ids)
				return
			}
			counts, total, err := ix.CountByReport(ctx, search.Request{Query: mark})
			if err != nil || total != reports || len(counts) != reports {
				fail("CountByReport: %v total %d %v", counts, total, err)
				return
			}
			resp, err := ix.Search(ctx, search.Request{Query: mark})
			if err != nil || resp.Total != reports {
				fail("Search: total %v %v", resp, err)
				return
			}
		}
	}()
	writes := 0
	for range 40 {
		i := rng.Intn(reports)
		writes++
		all[i] = version(all[i].Report.ID, writes)
		// A report without the term keeps each segment alive, so that
		// segments pile up and merge.
		filler := lcReport(rng, files, fmt.Sprintf("f%d", writes), writes, 10)
		if err := ix.Put(all[i], filler); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	s := ix.acquire()
	written := s.man.Next
	s.release()
	if written <= writes+1 {
		t.Errorf("%d segment files written for %d puts: no merge ran while searching", written, writes+1)
	}
	if searches < 10 {
		t.Errorf("only %d searches ran during the writes", searches)
	}
	t.Logf("%d searches during %d writes (%d segment files written)", searches, writes, written)
}

// The hits of a search show the version of the paragraph that matched.
// A search takes a snapshot of the exact side and then loads the hits'
// text from bleve; a replacement committed in between (bleve's batch is
// visible before the new snapshot is installed, and stays so while it
// is synced) must not change what the page shows. This replays that
// interleaving step by step: Search's own steps on a snapshot taken
// before the replacement.
func TestLifecycleHitsShowTheMatchedVersion(t *testing.T) {
	const mark = "匹配版本标记"
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		v1, v2 []string
	}{
		// v1's matching paragraph 1 now holds v2's unrelated text.
		{"paragraph number reused", []string{"第一版" + mark + "。", "第一版其他内容。"}, []string{"第二版其他内容。", "第二版" + mark + "。"}},
		// v1's matching paragraph 3 no longer exists.
		{"paragraph number gone", []string{"第一版其他内容。", "第一版其他内容二。", "第一版" + mark + "。"}, []string{"第二版" + mark + "。"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := lcOpen(t, filepath.Join(t.TempDir(), "index"))
			defer ix.Close()
			rd := func(texts []string) search.ReportData {
				r := search.ReportData{Report: search.Report{ID: "A", Title: "A", Path: "A.txt", Year: 2020}}
				for i, s := range texts {
					r.Paragraphs = append(r.Paragraphs, search.Paragraph{N: i + 1, Text: s})
				}
				return r
			}
			if err := ix.Put(rd(tc.v1)); err != nil {
				t.Fatal(err)
			}
			req := search.Request{Query: mark}
			if err := req.Validate(); err != nil {
				t.Fatal(err)
			}
			snap := ix.acquire() // Search has taken its snapshot ...
			defer snap.release()
			if err := ix.Put(rd(tc.v2)); err != nil { // ... when a replacement commits
				t.Fatal(err)
			}
			p, res, err := ix.run(ctx, snap, &req)
			if err != nil {
				t.Fatal(err)
			}
			hits, err := ix.page(ctx, p, res, req)
			if err != nil {
				t.Fatal(err)
			}
			if res.total != 1 || len(hits) != 1 {
				t.Fatalf("total %d from the snapshot, but %d hits shown: %+v", res.total, len(hits), hits)
			}
			if h := hits[0]; !strings.Contains(h.Text, mark) || h.Text != tc.v1[h.Paragraph-1] {
				t.Errorf("hit %s (matched in v1: %q) shows %q", h.ID, tc.v1[h.Paragraph-1], h.Text)
			}
		})
	}
}
