package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"reportsearch/indexer"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
	"reportsearch/search/memindex"
)

// memTarget writes to an in-memory index, as the server's writer does to
// its index, counting the runs.
type memTarget struct {
	mu   sync.Mutex
	ix   *memindex.Index
	runs int
}

func (t *memTarget) Index(ctx context.Context, srcs []indexer.Source) (*indexer.Summary, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.runs++
	return indexer.Run(ctx, t.ix, srcs, indexer.Options{})
}

func (t *memTarget) DeletePaths(ctx context.Context, paths []string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	rs, err := t.ix.Reports()
	if err != nil {
		return err
	}
	var ids []string
	for _, r := range rs {
		for _, p := range paths {
			if r.Path == p {
				ids = append(ids, r.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return t.ix.Delete(ids...)
}

func (t *memTarget) Paths(dir string) ([]string, error) {
	rs, err := t.ix.Reports()
	var out []string
	for _, r := range rs {
		if strings.HasPrefix(r.Path, dir+string(filepath.Separator)) {
			out = append(out, r.Path)
		}
	}
	return out, err
}

func (t *memTarget) byPath() map[string]search.Report {
	rs, _ := t.ix.Reports()
	m := map[string]search.Report{}
	for _, r := range rs {
		m[r.Path] = r
	}
	return m
}

func newTarget(t *testing.T) *memTarget {
	ix, err := memindex.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return &memTarget{ix: ix}
}

// testOptions: small windows, so that the tests are quick; a rescan
// rarely, so that the notifications (or the poll) do the work.
func testOptions() Options {
	return Options{Stable: 300 * time.Millisecond, Debounce: 50 * time.Millisecond, Rescan: time.Hour, Poll: 100 * time.Millisecond}
}

// eventually polls cond for up to 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func report(title, body string) string {
	return title + "\n\n" + body + "。这是报告的正文，说明今年的工作。\n"
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, dir string, tg Target, opt Options) *Watcher {
	w, err := Start(context.Background(), dir, tg, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return w
}

func TestWatchCreateModifyRenameDelete(t *testing.T) {
	for _, mode := range []string{"notify", "poll"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			tg := newTarget(t)
			old := filepath.Join(dir, "old.txt")
			write(t, old, report("二〇二三年政府工作报告", "已有的报告"))
			past := time.Now().Add(-time.Hour)
			os.Chtimes(old, past, past)
			opt := testOptions()
			opt.NoNotify = mode == "poll"
			start(t, dir, tg, opt)
			eventually(t, "the file already there", func() bool { return tg.byPath()[old].ID != "" })

			a := filepath.Join(dir, "sub", "a.txt")
			os.MkdirAll(filepath.Dir(a), 0o755)
			write(t, a, report("二〇二四年政府工作报告", "新的报告"))
			eventually(t, "a new file in a new folder", func() bool { return tg.byPath()[a].Title == "二〇二四年政府工作报告" })

			write(t, a, report("二〇二四年政府工作报告（修订）", "改过的报告"))
			eventually(t, "the change", func() bool { return tg.byPath()[a].Title == "二〇二四年政府工作报告（修订）" })

			b := filepath.Join(dir, "b.txt")
			if err := os.Rename(a, b); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the rename", func() bool {
				m := tg.byPath()
				_, hasA := m[a]
				return !hasA && m[b].Title == "二〇二四年政府工作报告（修订）"
			})

			os.Remove(b)
			eventually(t, "the deletion", func() bool { _, ok := tg.byPath()[b]; return !ok })
			if _, ok := tg.byPath()[old]; !ok {
				t.Error("an untouched report was deleted")
			}
		})
	}
}

// A file written in parts, slower than the stability window allows, is
// indexed once, whole.
func TestWatchHalfWrittenFile(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	var mu sync.Mutex
	var indexed []indexer.FileResult
	opt := testOptions()
	opt.Stable = 600 * time.Millisecond
	opt.OnScan = func(_ string, sum *indexer.Summary, _ []string) {
		mu.Lock()
		defer mu.Unlock()
		if sum != nil {
			indexed = append(indexed, sum.Files...)
		}
	}
	start(t, dir, tg, opt)
	p := filepath.Join(dir, "growing.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("二〇二五年政府工作报告\n\n")
	for i := range 6 {
		fmt.Fprintf(f, "第%d部分：今年的工作稳步推进，各项任务顺利完成。\n\n", i+1)
		f.Sync()
		time.Sleep(200 * time.Millisecond) // a slow copy: each part within the window
	}
	f.Close()
	eventually(t, "the whole file", func() bool { return tg.byPath()[p].Paragraphs > 0 })
	mu.Lock()
	defer mu.Unlock()
	if len(indexed) != 1 {
		t.Fatalf("indexed %d times: %+v", len(indexed), indexed)
	}
	if r := tg.byPath()[p]; r.Paragraphs < 6 {
		t.Errorf("indexed half: %d paragraphs", r.Paragraphs)
	}
}

// A burst of files is indexed in a few runs, not one per file. The burst
// arrives as one folder moved in, so that how fast this machine writes 200
// files does not decide how many scans see a part of them.
func TestWatchBurst(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	start(t, dir, tg, testOptions())
	eventually(t, "the first scan", func() bool { tg.mu.Lock(); defer tg.mu.Unlock(); return true })
	staging := filepath.Join(t.TempDir(), "burst")
	if err := os.Mkdir(staging, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		write(t, filepath.Join(staging, fmt.Sprintf("r%03d.txt", i)), report(fmt.Sprintf("第%d号报告", i), fmt.Sprintf("编号%d的内容", i)))
	}
	if err := os.Rename(staging, filepath.Join(dir, "burst")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "200 reports", func() bool { return len(tg.byPath()) == 200 })
	tg.mu.Lock()
	runs := tg.runs
	tg.mu.Unlock()
	t.Logf("200 files indexed in %d runs", runs)
	if runs > 5 {
		t.Errorf("200 files in %d runs: not batched", runs)
	}
}

// A bad file is skipped with its reason, not retried while it stays the
// same (even touched), and indexed once fixed.
func TestWatchBadFileFixedLater(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	var mu sync.Mutex
	tries := 0
	opt := testOptions()
	opt.OnScan = func(_ string, sum *indexer.Summary, _ []string) {
		mu.Lock()
		defer mu.Unlock()
		if sum != nil {
			tries += len(sum.Files)
		}
	}
	w := start(t, dir, tg, opt)
	p := filepath.Join(dir, "scan.png")
	write(t, p, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	eventually(t, "the failure", func() bool { return len(w.Status().Failures) == 1 })
	if r := w.Status().Failures[0].Reason; !strings.Contains(r, "unsupported") && !strings.Contains(r, "image") {
		t.Errorf("reason %q", r)
	}
	// Touched, not changed: not retried.
	later := time.Now().Add(time.Second)
	os.Chtimes(p, later, later)
	time.Sleep(3 * opt.Stable)
	mu.Lock()
	if tries != 1 {
		t.Errorf("tried %d times before the fix", tries)
	}
	mu.Unlock()
	write(t, p, report("二〇二二年政府工作报告", "改正后的文件"))
	eventually(t, "the fixed file", func() bool { return tg.byPath()[p].Title == "二〇二二年政府工作报告" })
	if n := len(w.Status().Failures); n != 0 {
		t.Errorf("%d failures left", n)
	}
}

// Reports of files deleted while the folder was not watched go at the
// first scan; a sidecar's change re-indexes its file.
func TestWatchStartAndSidecar(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	gone := filepath.Join(dir, "gone.txt")
	write(t, gone, report("旧报告", "已删除"))
	kept := filepath.Join(dir, "kept.txt")
	write(t, kept, report("保留的报告", "仍在"))
	srcs, _ := indexer.FileSources([]string{dir}, "")
	if _, err := tg.Index(context.Background(), srcs); err != nil {
		t.Fatal(err)
	}
	os.Remove(gone)
	start(t, dir, tg, testOptions())
	eventually(t, "the report of the deleted file deleted", func() bool { _, ok := tg.byPath()[gone]; return !ok })
	write(t, kept+".meta.json", `{"title": "由附注命名的报告", "year": 2021}`)
	eventually(t, "the sidecar applied", func() bool { return tg.byPath()[kept].Title == "由附注命名的报告" })
}

func TestManagerPersists(t *testing.T) {
	indexDir, a, b := t.TempDir(), t.TempDir(), t.TempDir()
	tg := newTarget(t)
	m := NewManager(context.Background(), tg, indexDir, testOptions())
	if err := m.Start([]string{a}); err != nil {
		t.Fatal(err)
	}
	if err := m.Add(b); err != nil {
		t.Fatal(err)
	}
	if got := m.Dirs(); len(got) != 2 {
		t.Fatalf("dirs %v", got)
	}
	m.Close()
	m2 := NewManager(context.Background(), tg, indexDir, testOptions())
	if err := m2.Start(nil); err != nil {
		t.Fatal(err)
	}
	if got := m2.Dirs(); len(got) != 1 || got[0] != b {
		t.Errorf("after a restart: %v, want only the added %s", got, b)
	}
	if err := m2.Remove(b); err != nil {
		t.Fatal(err)
	}
	m2.Close()
	m3 := NewManager(context.Background(), tg, indexDir, testOptions())
	m3.Start(nil)
	defer m3.Close()
	if got := m3.Dirs(); len(got) != 0 {
		t.Errorf("removed folder still watched: %v", got)
	}
}

// A PDF whose copy stalls longer than the stability window is not
// indexed half: it has no %%EOF yet.
func TestWatchStalledPDFCopy(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	var mu sync.Mutex
	runs := 0
	opt := testOptions()
	opt.OnScan = func(_ string, sum *indexer.Summary, _ []string) {
		mu.Lock()
		defer mu.Unlock()
		if sum != nil {
			runs++
		}
	}
	start(t, dir, tg, opt)
	pdf := fixtures.PDF("二〇二五年政府工作报告", "今年经济运行总体平稳，稳中有进。", "明年继续推进高质量发展。")
	half := len(pdf) / 2
	p := filepath.Join(dir, "report.pdf")
	write(t, p, string(pdf[:half]))
	time.Sleep(4 * opt.Stable) // the copy stalls
	mu.Lock()
	if runs != 0 {
		t.Errorf("a half-copied PDF was indexed (%d runs)", runs)
	}
	mu.Unlock()
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(pdf[half:])
	f.Close()
	eventually(t, "the whole PDF", func() bool { return tg.byPath()[p].Paragraphs > 0 })
	// As the whole file indexed by itself.
	whole := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(whole, pdf, 0o644)
	ref := newTarget(t)
	srcs, _ := indexer.FileSources([]string{whole}, "")
	ref.Index(context.Background(), srcs)
	if got, want := tg.byPath()[p], ref.byPath()[whole]; got.Chars != want.Chars || got.Chars == 0 {
		t.Errorf("indexed %d characters, the whole file has %d", got.Chars, want.Chars)
	}
}

// A rename is applied in one scan: the new name indexed without waiting
// for stability (the file is complete), the old report deleted.
func TestWatchRenameInOneScan(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	type scan struct {
		indexed []string
		deleted []string
	}
	scans := make(chan scan, 10)
	opt := testOptions()
	opt.OnScan = func(_ string, sum *indexer.Summary, deleted []string) {
		var sc scan
		if sum != nil {
			for _, f := range sum.Files {
				sc.indexed = append(sc.indexed, f.Path)
			}
		}
		sc.deleted = deleted
		scans <- sc
	}
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	write(t, a, report("改名前的报告", "内容"))
	start(t, dir, tg, opt)
	if sc := <-scans; len(sc.indexed) != 1 {
		t.Fatalf("first scan %+v", sc)
	}
	if err := os.Rename(a, b); err != nil {
		t.Fatal(err)
	}
	select {
	case sc := <-scans:
		if len(sc.deleted) != 1 || sc.deleted[0] != a || len(sc.indexed) != 1 || sc.indexed[0] != b {
			t.Errorf("the rename in one scan: %+v", sc)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the rename was not applied")
	}
}
