//go:build unix

package indexer_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"reportsearch/indexer"
	"reportsearch/indexer/extract"
	"reportsearch/internal/fixtures"
	"reportsearch/search"
)

// runWithin lists and indexes paths, failing the test if that takes longer
// than d: a special file must be skipped, never read or waited for.
func runWithin(t *testing.T, d time.Duration, store search.Store, paths []string, opt indexer.Options) map[string]indexer.FileResult {
	t.Helper()
	type result struct {
		sum *indexer.Summary
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		srcs, err := indexer.FileSources(paths, "")
		if err != nil {
			done <- result{nil, err}
			return
		}
		sum, err := indexer.Run(context.Background(), store, srcs, opt)
		done <- result{sum, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		t.Logf("indexed in %s", time.Since(start))
		byName := map[string]indexer.FileResult{}
		for _, f := range r.sum.Files {
			byName[filepath.Base(f.Path)] = f
		}
		return byName
	case <-time.After(d):
		t.Fatalf("indexing did not end within %s: a file is being read or waited for", d)
		return nil
	}
}

const goodReport = "2026年某市政府工作报告\n一、2025年工作回顾\n过去一年，全市经济运行稳中向好，城市更新行动扎实推进。\n"

func TestSpecialFilesSkipped(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write := func(dir, name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	write(root, "good.txt", goodReport)
	write(root, "sub/real.txt", strings.Replace(goodReport, "某市", "某县", 1))
	secret := write(outside, "secret.txt", "不应被索引的外部文件内容。")
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("/dev/zero", "zero.txt")
	link("/dev/urandom", "urandom.txt")
	link("loop.txt", "loop.txt")
	link("loop-b.txt", "loop-a.txt")
	link("loop-a.txt", "loop-b.txt")
	link(secret, "outside.txt")
	link("sub/real.txt", "alias.txt") // the same file as sub/real.txt
	link(filepath.Join(root, "good.txt"), "absolute-alias.txt")
	link("missing.txt", "broken.txt")
	link("sub", "subdir-link")
	if l, err := net.Listen("unix", filepath.Join(root, "socket.txt")); err == nil {
		defer l.Close()
	} else {
		t.Logf("no socket: %v", err)
	}

	got := runWithin(t, 10*time.Second, &memStore{}, []string{root}, indexer.Options{})
	wantSkipped := map[string]string{
		"fifo.txt":    "named pipe",
		"zero.txt":    "outside the indexed folder",
		"urandom.txt": "outside the indexed folder",
		"loop.txt":    "loop",
		"loop-a.txt":  "loop",
		"loop-b.txt":  "loop",
		"outside.txt": "outside the indexed folder",
		"broken.txt":  "does not exist",
		"socket.txt":  "socket",
	}
	for name, reason := range wantSkipped {
		r, ok := got[name]
		if name == "socket.txt" && !ok {
			continue
		}
		if r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, reason) {
			t.Errorf("%s: %+v, want skipped: %s", name, r, reason)
		}
	}
	for _, name := range []string{"good.txt", "real.txt"} {
		if r := got[name]; r.Status != indexer.StatusAdded {
			t.Errorf("%s: %+v, want added", name, r)
		}
	}
	// A link to a file that is indexed anyway is not indexed twice; a
	// link to a folder is not followed.
	for _, name := range []string{"alias.txt", "absolute-alias.txt", "subdir-link"} {
		if r, ok := got[name]; ok {
			t.Errorf("%s listed: %+v", name, r)
		}
	}
	if len(got) != 2+len(wantSkipped)-boolInt(got["socket.txt"].Path == "") {
		t.Errorf("files: %v", got)
	}

	// Given by name, a link to a file anywhere is read; one to a device
	// is not.
	got = runWithin(t, 10*time.Second, &memStore{}, []string{filepath.Join(root, "outside.txt"), filepath.Join(root, "zero.txt"), filepath.Join(root, "fifo.txt")}, indexer.Options{})
	if r := got["outside.txt"]; r.Status != indexer.StatusAdded {
		t.Errorf("outside.txt given by name: %+v", r)
	}
	if r := got["zero.txt"]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, "character device") {
		t.Errorf("zero.txt given by name: %+v", r)
	}
	if r := got["fifo.txt"]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, "named pipe") {
		t.Errorf("fifo.txt given by name: %+v", r)
	}

	// A folder given as a link is walked, its files shown under the link.
	folderLink := filepath.Join(outside, "reports")
	if err := os.Symlink(root, folderLink); err != nil {
		t.Fatal(err)
	}
	got = runWithin(t, 10*time.Second, &memStore{}, []string{folderLink}, indexer.Options{})
	if r := got["good.txt"]; r.Status != indexer.StatusAdded || r.Path != filepath.Join(folderLink, "good.txt") {
		t.Errorf("good.txt in a folder given as a link: %+v", r)
	}
	if r := got["outside.txt"]; r.Status != indexer.StatusSkipped {
		t.Errorf("outside.txt in a folder given as a link: %+v", r)
	}

	// A link loop given by name is a skip, not a failure of the run.
	got = runWithin(t, 10*time.Second, &memStore{}, []string{filepath.Join(root, "loop.txt")}, indexer.Options{})
	if r := got["loop.txt"]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, "loop") {
		t.Errorf("loop.txt given by name: %+v", r)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSidecarFIFO(t *testing.T) {
	// The metadata beside a report is read like a report: a named pipe
	// there skips the report instead of blocking.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(goodReport), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "a.meta.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := runWithin(t, 10*time.Second, &memStore{}, []string{dir}, indexer.Options{})
	if r := got["a.txt"]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, "named pipe") {
		t.Errorf("a.txt: %+v", r)
	}
}

func TestHostileBatch(t *testing.T) {
	// One folder with good reports and one of every hostile kind: the
	// good ones are indexed, each hostile one skipped at once with its
	// reason, or indexed within the limits.
	dir := t.TempDir()
	damaged := []byte(strings.Repeat("过去一年，全市经济运行稳中向好，城市更新行动扎实推进，民生保障持续加强。\n", 120))
	for _, off := range []int{300, 3001, 6002, 9003, 12004} {
		damaged[off] = 0xfe
	}
	sentence := "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。"
	oneLine := "<html><body><p>" + strings.Repeat(sentence, (2<<20)/len(sentence)) + "</p></body></html>"
	writeFiles(t, dir, map[string][]byte{
		"good.txt":      []byte(goodReport),
		"good.docx":     docx(t),
		"damaged.txt":   damaged,
		"bomb.docx":     fixtures.DOCXBomb(t, 500<<20, 13_000_000),
		"one-line.html": []byte(oneLine),
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt")); err != nil {
		t.Fatal(err)
	}
	huge, err := os.Create(filepath.Join(dir, "huge.txt")) // sparse: costs nothing
	if err != nil {
		t.Fatal(err)
	}
	huge.Truncate(extract.DefaultMaxFileSize + 1)
	huge.Close()

	store := &memStore{}
	got := runWithin(t, 60*time.Second, store, []string{dir}, indexer.Options{})
	for _, name := range []string{"good.txt", "good.docx", "damaged.txt", "one-line.html"} {
		if r := got[name]; r.Status != indexer.StatusAdded {
			t.Errorf("%s: %+v, want added", name, r)
		}
	}
	for name, reason := range map[string]string{
		"bomb.docx": "limit MaxZip",
		"fifo.txt":  "named pipe",
		"zero.txt":  "outside the indexed folder",
		"huge.txt":  "over 50 MiB (limit MaxFileSize)",
	} {
		if r := got[name]; r.Status != indexer.StatusSkipped || !strings.Contains(r.Reason, reason) {
			t.Errorf("%s: %+v, want skipped: %s", name, r, reason)
		}
	}

	// The damaged report lost five characters (TestDamagedReportIndexed).
	if r := got["damaged.txt"]; r.ReplacedBytes != 15 {
		t.Errorf("damaged.txt: %d bytes replaced, want 15", r.ReplacedBytes)
	}
	var fffd int
	for _, rd := range store.reports {
		for _, p := range rd.Paragraphs {
			if n := utf8.RuneCountInString(p.Text); n > extract.DefaultMaxParagraphChars {
				t.Errorf("%s: paragraph %d of %d characters", rd.Report.Path, p.N, n)
			}
			if rd.Report.Path == filepath.Join(dir, "damaged.txt") {
				fffd += strings.Count(p.Text, "\uFFFD")
			}
		}
		for i, p := range rd.Paragraphs {
			if p.N != i+1 {
				t.Errorf("%s: paragraph %d numbered %d", rd.Report.Path, i+1, p.N)
				break
			}
		}
	}
	if fffd != 5 {
		t.Errorf("damaged.txt indexed with %d U+FFFD, want 5", fffd)
	}
}

func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(strings.Repeat(goodReport, 100)), 0o644)
	got := runWithin(t, 10*time.Second, &memStore{}, []string{dir}, indexer.Options{Limits: extract.Limits{MaxFileSize: 1000}})
	if r := got["a.txt"]; r.Status != indexer.StatusSkipped || r.Reason != "file too large: over 1000 bytes (limit MaxFileSize)" {
		t.Errorf("a.txt: %+v", r)
	}
}
