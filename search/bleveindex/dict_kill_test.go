package bleveindex

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

const dictKillEnv = "REPORTSEARCH_DICT_KILL_DIR"

// killReports are synthetic reports of a few paragraphs each, enough for
// several rebuild batches.
func killReports() []search.ReportData {
	var rds []search.ReportData
	words := []string{"新质生产力", "一网通办", "网格化治理", "城市更新", "乡村振兴", "营商环境"}
	for r := range 120 {
		rd := search.ReportData{Report: search.Report{ID: fmt.Sprintf("k%03d", r), Title: fmt.Sprint("报告", r), Path: fmt.Sprintf("k%03d.txt", r), Year: 2000 + r%25}}
		for n := range 80 {
			rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{Text: fmt.Sprintf("第%d段：加快发展%s，推进%s，深化%s改革，第%d号。", n, words[(r+n)%6], words[(r*7+n)%6], words[n%6], r*n)})
		}
		rds = append(rds, rd)
	}
	return rds
}

// TestDictKillChild is the child of TestRebuildKilled: it rebuilds the
// word field of the index in $REPORTSEARCH_DICT_KILL_DIR, printing a line
// after each batch and pausing so that the parent kills it mid-rebuild.
// Run normally, it does nothing.
func TestDictKillChild(t *testing.T) {
	dir := os.Getenv(dictKillEnv)
	if dir == "" {
		return
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rebuildFault = func(copied int) error {
		fmt.Println("copied", copied)
		time.Sleep(2 * time.Second)
		return nil
	}
	if _, err := ix.RebuildWords(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	fmt.Println("finished")
}

// A process killed (SIGKILL) in the middle of a rebuild leaves the old
// generation serving with the old dictionary and the same exact totals;
// the next rebuild resumes from what the killed one copied and swaps.
func TestRebuildKilled(t *testing.T) {
	if os.Getenv(dictKillEnv) != "" {
		return
	}
	defer analysis.Use(nil)
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rds := killReports()
	if err := ix.Put(rds...); err != nil {
		t.Fatal(err)
	}
	queries := []string{"新质生产力", "生产力", "一网通办", "网格化治理", "化治理", "第1", "改革，第"}
	want := map[string]uint64{}
	for _, q := range queries {
		want[q] = oracle(rds, q)
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Fatalf("%q: %d, brute force %d", q, got, want[q])
		}
	}
	if err := ix.SetUserDictWords(search.DictChange{Add: []string{"新质生产力", "网格化治理"}}); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestDictKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), dictKillEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	copied := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "copied ") {
			copied = true
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !copied {
		t.Fatalf("the child copied nothing: %s", stderr.String())
	}

	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	u := ix.UserDict()
	if u.Applied != "" || u.Version == "" {
		t.Fatalf("after the kill: %+v", u)
	}
	if ws, _ := analysis.Words("新质生产力"); len(ws) < 2 {
		t.Errorf("the old dictionary does not serve: %q", ws)
	}
	for _, q := range queries {
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Errorf("after the kill: %q: %d, brute force %d", q, got, want[q])
		}
	}
	st, err := ix.RebuildWords(context.Background(), nil)
	if err != nil || st.Resumed == 0 || st.Paragraphs != st.Total {
		t.Fatalf("the rebuild after the kill: %+v %v", st, err)
	}
	if u := ix.UserDict(); u.Applied != u.Version {
		t.Fatalf("after the resumed rebuild: %+v", u)
	}
	if ws, _ := analysis.Words("新质生产力"); len(ws) != 1 {
		t.Errorf("the new dictionary does not serve: %q", ws)
	}
	for _, q := range queries {
		if got := total(t, ix, q, search.ModeExact); got != want[q] {
			t.Errorf("after the rebuild: %q: %d, brute force %d", q, got, want[q])
		}
	}
}
