//go:build linux

package ingest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	"reportsearch/indexer"
	"reportsearch/internal/corpusdir"
	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

var _ Generations = (*bleveindex.Index)(nil)

// The test binary plays the rebuild's child process (childEnv holds its
// fault) and, for the kill test, a server (serverEnv holds its index).
const (
	childEnv  = "REPORTSEARCH_TEST_REBUILD_CHILD"
	serverEnv = "REPORTSEARCH_TEST_REBUILD_SERVER"
)

func TestMain(m *testing.M) {
	if fault, ok := os.LookupEnv(childEnv); ok {
		os.Exit(testChild(fault))
	}
	if dir := os.Getenv(serverEnv); dir != "" {
		os.Exit(testServer(dir))
	}
	code := m.Run()
	if corpusIndexDir != "" {
		os.RemoveAll(filepath.Dir(corpusIndexDir))
	}
	os.Exit(code)
}

// testChild is the child's main with a fault: "" none; "slow" pauses
// after each batch; "crash" exits after the first batch; "hang" stops
// after the first batch for ever.
func testChild(fault string) int {
	err := RunChild(context.Background(), os.Stdin, os.Stdout, func(dir string) (ChildStore, error) {
		ix, err := bleveindex.OpenGeneration(dir)
		if err != nil {
			return nil, err
		}
		return &faultStore{Index: ix, fault: fault}, nil
	}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// faultStore is the child's generation with a fault after each batch;
// it asks for small batches (a store serving searches gets them), so that
// a rebuild of the corpus makes several.
type faultStore struct {
	*bleveindex.Index
	fault string
}

func (f *faultStore) ReadsRunning() bool { return true }

func (f *faultStore) Put(rds ...search.ReportData) error {
	return f.Commit(must(f.Index.Prepare(rds...)))
}

func (f *faultStore) Commit(b search.PreparedBatch) error {
	err := f.Index.Commit(b)
	switch f.fault {
	case "slow":
		time.Sleep(300 * time.Millisecond)
	case "crash":
		fmt.Fprintln(os.Stderr, "crashing on purpose")
		os.Exit(3)
	case "hang":
		select {}
	}
	return err
}

// childConfig runs this test binary as the child with fault.
func childConfig(fault string, p Priority, timeout time.Duration) ChildConfig {
	return ChildConfig{Priority: p, Timeout: timeout, Command: func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"="+fault)
		return cmd
	}}
}

var (
	corpusIndexOnce sync.Once
	corpusIndexDir  string
	corpusIndexErr  error
)

// corpusIndex returns a new copy of an index of the shared corpus (built
// once) in a folder of the test's.
func corpusIndex(t *testing.T) string {
	t.Helper()
	corpus := corpusdir.Dir(t)
	corpusIndexOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "rebuildprio-")
		if err != nil {
			corpusIndexErr = err
			return
		}
		dir := filepath.Join(tmp, "index")
		ix, err := bleveindex.Open(dir)
		if err != nil {
			corpusIndexErr = err
			return
		}
		defer ix.Close()
		srcs, err := indexer.FileSources([]string{corpus}, "")
		if err == nil {
			_, err = indexer.Run(context.Background(), ix, srcs, indexer.Options{})
		}
		corpusIndexDir, corpusIndexErr = dir, err
	})
	if corpusIndexErr != nil {
		t.Fatal(corpusIndexErr)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if err := os.CopyFS(dir, os.DirFS(corpusIndexDir)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// served is every paragraph an index serves, by report id.
func served(t *testing.T, ix *bleveindex.Index) map[string][]search.Paragraph {
	t.Helper()
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]search.Paragraph{}
	for _, r := range reports {
		ps, err := ix.Paragraphs(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[r.ID] = ps
	}
	return out
}

// sampleQueries picks n runs of 2 to 4 Han characters from the
// paragraphs, the same for the same paragraphs.
func sampleQueries(paras map[string][]search.Paragraph, n int) []string {
	ids := make([]string, 0, len(paras))
	for id := range paras {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rng := rand.New(rand.NewPCG(12, 0))
	var qs []string
	for len(qs) < n {
		ps := paras[ids[rng.IntN(len(ids))]]
		if len(ps) == 0 {
			continue
		}
		rs := []rune(ps[rng.IntN(len(ps))].Text)
		if len(rs) < 4 {
			continue
		}
		i, k := rng.IntN(len(rs)-3), 2+rng.IntN(3)
		q := rs[i : i+k]
		if !allHan(q) {
			continue
		}
		qs = append(qs, string(q))
	}
	return qs
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// bruteForce counts the paragraphs containing q (folded).
func bruteForce(paras map[string][]search.Paragraph, q string) uint64 {
	fq := analysis.FoldString(q)
	var n uint64
	for _, ps := range paras {
		for _, p := range ps {
			if strings.Contains(analysis.FoldString(p.Text), fq) {
				n++
			}
		}
	}
	return n
}

func exactTotal(ix search.Searcher, q string) (uint64, error) {
	res, err := ix.Search(context.Background(), search.Request{Query: `"` + q + `"`, Mode: search.ModeExact, Size: 1})
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

// checkTotals compares every query's exact total with brute force.
func checkTotals(t *testing.T, label string, ix *bleveindex.Index, paras map[string][]search.Paragraph, qs []string) {
	t.Helper()
	for _, q := range qs {
		got, err := exactTotal(ix, q)
		if err != nil {
			t.Fatalf("%s: %q: %v", label, q, err)
		}
		if want := bruteForce(paras, q); got != want {
			t.Errorf("%s: %q: %d hits, brute force %d", label, q, got, want)
		}
	}
}

// waitStatus polls the writer's rebuild status until ok says so.
func waitStatus(t *testing.T, w *Writer, ok func(RebuildStatus) bool) RebuildStatus {
	t.Helper()
	for range 4800 { // 2 minutes: a race-detector child on a loaded machine starts slowly
		if s := w.RebuildStatus(); ok(s) {
			return s
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("rebuild status never as wanted: %+v", w.RebuildStatus())
	return RebuildStatus{}
}

// indexFile indexes one file through w.
func indexFile(t *testing.T, w *Writer, path string) {
	t.Helper()
	srcs, err := indexer.FileSources([]string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Index(context.Background(), srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
}

// A full rebuild in the child process re-reads every report of the
// corpus into a new generation while the old one serves: exact totals
// equal brute force over the served paragraphs before, during and after
// it, searches running throughout never fail, and writes made during the
// rebuild (a report added, one replaced, one deleted) are all in the
// rebuilt index; every other report is re-read to the same paragraphs.
func TestChildRebuildKeepsWrites(t *testing.T) {
	dir := corpusIndex(t)
	extra := t.TempDir()
	replacedPath := filepath.Join(extra, "替换.txt")
	os.WriteFile(replacedPath, []byte("2025年替换测试报告\n替换前的段落：旧版本的内容。\n"), 0o644)
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	w := NewWriter(ix)
	indexFile(t, w, replacedPath)
	// At normal priority: on a shared machine an idle child waits for
	// every other process (TestChildPriority checks the priorities).
	w.SetRebuildChild(childConfig("slow", PriorityNormal, 10*time.Minute))
	before := served(t, ix)
	qs := append(sampleQueries(before, 12), "替换前", "替换后", "重建期间新增")
	checkTotals(t, "before", ix, before, qs)

	stop := make(chan struct{})
	searchErr := make(chan error, 1)
	go func() {
		defer close(searchErr)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := exactTotal(ix, qs[i%len(qs)]); err != nil {
				searchErr <- err
				return
			}
		}
	}()
	type result struct {
		sum *indexer.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := Rebuild(context.Background(), w, ix, nil)
		done <- result{sum, err}
	}()
	st := waitStatus(t, w, func(s RebuildStatus) bool { return s.Files > 0 })
	if st.State != search.RebuildRunning || st.PID == 0 || st.Total != len(before) {
		t.Errorf("status while running: %+v (%d reports)", st, len(before))
	}
	checkTotals(t, "during, before the writes", ix, before, qs)
	// Writes while the child rebuilds.
	addedPath := filepath.Join(extra, "新增.txt")
	os.WriteFile(addedPath, []byte("2026年新增测试报告\n重建期间新增的段落。\n"), 0o644)
	indexFile(t, w, addedPath)
	os.WriteFile(replacedPath, []byte("2025年替换测试报告\n替换后的段落：新版本的内容。\n"), 0o644)
	indexFile(t, w, replacedPath)
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range before {
			if !yield(id) {
				return
			}
		}
	})
	deleted := ids[len(ids)/2]
	if err := w.Delete(deleted); err != nil {
		t.Fatal(err)
	}
	written := served(t, ix)
	if w.RebuildStatus().State != search.RebuildRunning {
		t.Fatal("the rebuild ended before the writes: make the child slower")
	}
	checkTotals(t, "during, after the writes", ix, written, qs)
	res := <-done
	close(stop)
	if err := <-searchErr; err != nil {
		t.Errorf("a search during the rebuild: %v", err)
	}
	if res.err != nil {
		t.Fatal(res.err)
	}
	if st := w.RebuildStatus(); st.State != search.RebuildDone || st.Files != st.Total || st.Error != "" {
		t.Errorf("status after: %+v", st)
	}
	if res.sum.Updated+res.sum.Skipped != len(before) || res.sum.Added != 0 {
		t.Errorf("summary: updated %d, skipped %d, added %d; %d reports", res.sum.Updated, res.sum.Skipped, res.sum.Added, len(before))
	}
	after := served(t, ix)
	checkTotals(t, "after", ix, after, qs)
	if len(after) != len(written) {
		t.Errorf("%d reports after the rebuild, %d before it ended", len(after), len(written))
	}
	for id, ps := range written {
		if !slices.Equal(paraTexts(after[id]), paraTexts(ps)) {
			t.Errorf("report %s: paragraphs differ after the rebuild", id)
		}
	}
	if _, ok := after[deleted]; ok {
		t.Errorf("report %s deleted during the rebuild is back", deleted)
	}
	for _, q := range []string{"重建期间新增", "替换后"} {
		if n, _ := exactTotal(ix, q); n != 1 {
			t.Errorf("%q written during the rebuild: %d hits after it", q, n)
		}
	}
	// The switch is on disk: reopened, the folder serves the same.
	ix.Close()
	if ix, err = bleveindex.Open(dir); err != nil {
		t.Fatal(err)
	}
	checkTotals(t, "reopened", ix, after, qs)
	if gens, _ := filepath.Glob(filepath.Join(dir, "gen-*")); len(gens) != 1 {
		t.Errorf("generation folders after the rebuild: %v", gens)
	}
}

func paraTexts(ps []search.Paragraph) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Text)
	}
	return out
}

// smallIndex is an index of a few reports in files of the test's.
func smallIndex(t *testing.T) (*bleveindex.Index, *Writer, map[string][]search.Paragraph) {
	t.Helper()
	files := t.TempDir()
	for i := range 6 {
		var b strings.Builder
		fmt.Fprintf(&b, "20%02d年第%d号测试报告\n", 20+i, i)
		for n := range 40 {
			fmt.Fprintf(&b, "第%d段：推进网格化治理，深化一网通办，第%d号。\n", n, i*n)
		}
		os.WriteFile(filepath.Join(files, fmt.Sprintf("r%d.txt", i)), []byte(b.String()), 0o644)
	}
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	w := NewWriter(ix)
	indexFile(t, w, files)
	return ix, w, served(t, ix)
}

// A child that crashes, hangs past its timeout or is stopped leaves the
// served index as it was, no generation folder behind, no process
// running, and the rebuild status failed with an error saying why.
func TestChildRebuildFails(t *testing.T) {
	for _, c := range []struct {
		fault, want string
		stop        bool
	}{
		{fault: "crash", want: "crashing on purpose"},
		{fault: "hang", want: "timed out"},
		{fault: "hang", want: "was stopped", stop: true},
	} {
		t.Run(c.want, func(t *testing.T) {
			ix, w, before := smallIndex(t)
			qs := []string{"网格化治理", "第1", "一网通办，第"}
			timeout := 2 * time.Minute
			if c.fault == "hang" && !c.stop {
				timeout = 3 * time.Second
			}
			w.SetRebuildChild(childConfig(c.fault, PriorityIdle, timeout))
			var pid int
			if c.stop {
				go func() {
					pid = waitStatus(t, w, func(s RebuildStatus) bool { return s.PID != 0 && s.Files > 0 }).PID
					w.StopRebuild()
				}()
			}
			_, err := Rebuild(context.Background(), w, ix, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "unchanged") {
				t.Fatalf("error %v, want one saying %q and that the index is unchanged", err, c.want)
			}
			st := w.RebuildStatus()
			if st.State != search.RebuildFailed || st.Error != err.Error() {
				t.Errorf("status: %+v", st)
			}
			if pid == 0 {
				pid = st.PID
			}
			if syscall.Kill(pid, 0) == nil {
				t.Errorf("child %d still running", pid)
			}
			checkTotals(t, "after the failure", ix, before, qs)
			if gens, _ := filepath.Glob(filepath.Join(ix.Dir(), "gen-*")); len(gens) != 0 {
				t.Errorf("generation folders left: %v", gens)
			}
		})
	}
}

// The child and every thread it starts run at the priority asked for:
// SCHED_IDLE, or nice 19 (Linux).
func TestChildPriority(t *testing.T) {
	for _, c := range []struct {
		p            Priority
		policy, nice int
	}{{PriorityIdle, 5, 0}, {PriorityNice, 0, 19}} {
		t.Run(string(c.p), func(t *testing.T) {
			ix, w, _ := smallIndex(t)
			w.SetRebuildChild(childConfig("hang", c.p, time.Minute))
			done := make(chan error, 1)
			go func() {
				_, err := Rebuild(context.Background(), w, ix, nil)
				done <- err
			}()
			st := waitStatus(t, w, func(s RebuildStatus) bool { return s.PID != 0 && s.Files > 0 })
			tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", st.PID))
			if len(tasks) < 2 {
				t.Errorf("child %d has %d threads", st.PID, len(tasks))
			}
			for _, task := range tasks {
				policy, nice := schedOf(t, task)
				if policy != c.policy || nice != c.nice {
					t.Errorf("%s: policy %d nice %d, want %d and %d", task, policy, nice, c.policy, c.nice)
				}
			}
			// This process's threads keep their priority, but for the one
			// that started the child and waits for it.
			if n := lowered(t); n != 1 {
				t.Errorf("%d threads of this process run lowered while the child runs, want 1", n)
			}
			w.StopRebuild()
			if err := <-done; err == nil {
				t.Error("stopped rebuild succeeded")
			}
			for range 100 {
				if lowered(t) == 0 {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			t.Errorf("%d threads of this process still run lowered after the rebuild", lowered(t))
		})
	}
}

// lowered counts this process's threads with a lowered priority.
func lowered(t *testing.T) int {
	n := 0
	for _, task := range must(filepath.Glob("/proc/self/task/*/stat")) {
		if policy, nice := schedOf(t, task); policy != 0 || nice != 0 {
			n++
		}
	}
	return n
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// schedOf reads a thread's nice value and scheduling policy from its
// /proc stat line (fields 19 and 41; the name, field 2, is in brackets).
func schedOf(t *testing.T, stat string) (policy, nice int) {
	t.Helper()
	b, err := os.ReadFile(stat)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	nice, _ = strconv.Atoi(f[19-3])
	policy, _ = strconv.Atoi(f[41-3])
	return policy, nice
}

// testServer is the server of TestServerKilledMidRebuild: it opens the
// index in dir, starts a full rebuild through a slow child and prints the
// child's pid once the child has written a batch, then waits to be
// killed.
func testServer(dir string) int {
	ix, err := bleveindex.Open(dir)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	w := NewWriter(ix)
	w.SetRebuildChild(childConfig("slow", PriorityNormal, 10*time.Minute))
	go Rebuild(context.Background(), w, ix, nil)
	for {
		s := w.RebuildStatus()
		if s.Files > 0 && s.PID != 0 {
			fmt.Println("child", s.PID)
			break
		}
		if s.State == search.RebuildFailed {
			fmt.Println("error", s.Error)
			return 1
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {}
}

// A server killed (SIGKILL) in the middle of a full rebuild loses
// nothing: its child dies with it, the folder reopens serving the old
// generation with the same exact totals, and the next rebuild succeeds
// in place of the unfinished one.
func TestServerKilledMidRebuild(t *testing.T) {
	dir := corpusIndex(t)
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref := served(t, ix)
	ix.Close()
	for round := range 2 {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), serverEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		var child int
		if _, err := fmt.Sscanf(line, "child %d", &child); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: server said %q", round, line)
		}
		cmd.Process.Kill()
		cmd.Wait()
		gone := false
		for range 200 {
			if syscall.Kill(child, 0) != nil {
				gone = true
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		if !gone {
			syscall.Kill(-child, syscall.SIGKILL)
			t.Fatalf("round %d: child %d outlived the killed server", round, child)
		}
	}
	if ix, err = bleveindex.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	before := served(t, ix)
	if len(before) != len(ref) {
		t.Errorf("%d reports after the kills, %d before", len(before), len(ref))
	}
	for id, ps := range ref {
		if !slices.Equal(paraTexts(before[id]), paraTexts(ps)) {
			t.Errorf("report %s: paragraphs differ after the kills", id)
		}
	}
	qs := sampleQueries(ref, 12)
	checkTotals(t, "after the kills", ix, ref, qs)
	w := NewWriter(ix)
	w.SetRebuildChild(childConfig("", PriorityNormal, 10*time.Minute))
	if _, err := Rebuild(context.Background(), w, ix, nil); err != nil {
		t.Fatal(err)
	}
	after := served(t, ix)
	checkTotals(t, "rebuilt after the kills", ix, after, qs)
	for id, ps := range ref {
		if !slices.Equal(paraTexts(after[id]), paraTexts(ps)) {
			t.Errorf("report %s: paragraphs differ after the rebuild", id)
		}
	}
	if gens, _ := filepath.Glob(filepath.Join(dir, "gen-*")); len(gens) != 1 {
		t.Errorf("generation folders after the rebuild: %v", gens)
	}
}
