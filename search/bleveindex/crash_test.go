package bleveindex_test

// Crash test: a child process (this test binary, re-executed) writes to
// an index without pause — new reports, replacements with different
// text, duplicate ids in one batch, deletes, and the segment merges they
// start — and is killed with SIGKILL at seeded random moments. After each
// kill the parent opens the index and checks that it is whole: every
// report is either in the state of the last completed write or in the
// state of the write that was in flight, its paragraphs are all of that
// one version, the exact side (grams) agrees with the stored text, and no
// stray files remain. The rounds reuse the same folder, so each child
// starts from a crashed index.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

const (
	crashDirEnv   = "REPORTSEARCH_CRASH_CHILD" // index folder of the child
	crashLogEnv   = "REPORTSEARCH_CRASH_LOG"   // the child's operation log
	crashRoundEnv = "REPORTSEARCH_CRASH_ROUND" // round number: seed and id range
	// crashCreateEnv makes the child only open (create) the index.
	crashCreateEnv = "REPORTSEARCH_CRASH_CREATE"
	crashReady     = "CRASHCHILD READY"
	// crashChildLimit stops a child that nobody kills (its parent died).
	crashChildLimit = 60 * time.Second
	// crashManifestKey is the bleve internal key of the grams manifest
	// (manifestKey in snapshot.go), read here to compare it with the
	// files in the grams folder.
	crashManifestKey = "reportsearch/grams_manifest"
)

var crashPhrases = []string{
	"推进国家治理体系和治理能力现代化",
	"坚持以人民为中心的发展思想",
	"加快建设现代化经济体系",
	"深化供给侧结构性改革",
	"全面推进乡村振兴",
	"持续改善生态环境质量",
	"稳步提高城乡居民收入水平",
	"扎实做好就业和社会保障工作",
	"加强交通水利等基础设施建设",
	"促进区域协调发展",
	"提升科技创新能力",
	"深化教育综合改革",
	"健全公共卫生服务体系",
	"推动文化事业和文化产业繁荣发展",
	"完善共建共治共享的社会治理格局",
	"坚决打好污染防治攻坚战",
	"一般公共预算收入增长百分之六点五",
	"地区生产总值突破一万亿元",
	"新增城镇就业十二万人",
	"优化营商环境",
	"加强政府自身建设",
	"防范化解重大风险",
}

// crashHash mixes the numbers of a paragraph (splitmix64 steps), so that
// the text of a version is a function of (report, version, paragraph).
func crashHash(vals ...int) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	for _, v := range vals {
		h ^= uint64(v)
		h += 0x9E3779B97F4A7C15
		h = (h ^ h>>30) * 0xBF58476D1CE4E5B9
		h = (h ^ h>>27) * 0x94D049BB133111EB
		h ^= h >> 31
	}
	return h
}

// crashParaCount is the number of paragraphs of version v of report id.
func crashParaCount(id, v int) int { return 20 + int(crashHash(id, v)%41) }

// crashText is paragraph n of version v of report id; it starts with a
// marker naming all three ("报告R12第3版第7段：").
func crashText(id, v, n int) string {
	h := crashHash(id, v, n)
	var b strings.Builder
	fmt.Fprintf(&b, "报告R%d第%d版第%d段：", id, v, n)
	for i := range 1 + int(h%3) {
		if i > 0 {
			b.WriteString("，")
		}
		b.WriteString(crashPhrases[int(h>>(8*(i+1))%uint64(len(crashPhrases)))])
	}
	b.WriteString("。")
	return b.String()
}

func crashID(id int) string { return "R" + strconv.Itoa(id) }

// crashReport is version v of report id, exactly as the child writes it.
func crashReport(id, v int) search.ReportData {
	rd := search.ReportData{Report: search.Report{
		ID: crashID(id), Title: fmt.Sprintf("R%d v%d", id, v), Path: fmt.Sprintf("r%d.txt", id), Year: 2000 + id%24,
	}}
	for n := 1; n <= crashParaCount(id, v); n++ {
		p := search.Paragraph{N: n, Text: crashText(id, v, n)}
		if n == 1 {
			p.Heading = true
		} else {
			p.Section = fmt.Sprintf("第%d版正文", v)
		}
		rd.Paragraphs = append(rd.Paragraphs, p)
	}
	return rd
}

// TestCrashChild is the child process of the crash tests: it writes
// until killed (TestCrashDuringWritesLeavesAConsistentIndex) or only
// creates the index (TestCrashWhileCreatingTheIndex). Run normally, it
// does nothing.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return
	}
	if os.Getenv(crashCreateEnv) != "" {
		fmt.Println(crashReady)
		if _, err := bleveindex.Open(dir); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(3)
		}
		time.Sleep(crashChildLimit)
		os.Exit(0)
	}
	if err := crashChild(dir, os.Getenv(crashLogEnv), os.Getenv(crashRoundEnv)); err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// crashChild opens the index and writes until it is killed. Before each
// write it logs "B <op> P R1:2 R7:1" (reports and versions put, in order)
// or "B <op> D R3 R9" (reports deleted), and "E <op>" once the write has
// returned.
func crashChild(dir, logPath, roundS string) error {
	round, err := strconv.Atoi(roundS)
	if err != nil {
		return err
	}
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	ix, err := bleveindex.Open(dir)
	if err != nil {
		return err
	}
	reports, err := ix.Reports()
	if err != nil {
		return err
	}
	live := map[int]int{}
	for _, r := range reports {
		var id, v int
		if _, err := fmt.Sscanf(r.Title, "R%d v%d", &id, &v); err != nil {
			return fmt.Errorf("title %q: %v", r.Title, err)
		}
		live[id] = v
	}
	fmt.Println(crashReady)
	rng := rand.New(rand.NewPCG(uint64(round), 0xC7A5))
	nextID := round * 10000
	logLine := func(s string) error {
		_, err := lf.WriteString(s + "\n")
		return err
	}
	start := time.Now()
	for op := 0; time.Since(start) < crashChildLimit; op++ {
		ids := make([]int, 0, len(live))
		for id := range live {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		delPct, newPct := 10, 50
		switch {
		case len(live) > 120:
			delPct, newPct = 30, 5
		case len(live) > 40:
			newPct = 20
		}
		if len(ids) > 2 && rng.IntN(100) < delPct {
			k := 1 + rng.IntN(2)
			var del []string
			for _, i := range rng.Perm(len(ids))[:k] {
				del = append(del, crashID(ids[i]))
				delete(live, ids[i])
			}
			if err := logLine(fmt.Sprintf("B %d D %s", op, strings.Join(del, " "))); err != nil {
				return err
			}
			if err := ix.Delete(del...); err != nil {
				return err
			}
			if err := logLine(fmt.Sprintf("E %d", op)); err != nil {
				return err
			}
			continue
		}
		var batch []search.ReportData
		var entries []string
		add := func(id, v int) {
			batch = append(batch, crashReport(id, v))
			entries = append(entries, fmt.Sprintf("%s:%d", crashID(id), v))
			live[id] = v
		}
		for range 1 + rng.IntN(4) {
			if len(ids) == 0 || rng.IntN(100) < newPct {
				add(nextID, 1)
				nextID++
				continue
			}
			id := ids[rng.IntN(len(ids))]
			add(id, live[id]+1) // a second replacement in one batch counts up again
		}
		if rng.IntN(8) == 0 { // the first report again, newer, in the same batch
			var id, v int
			fmt.Sscanf(batch[0].Report.Title, "R%d v%d", &id, &v)
			add(id, live[id]+1)
		}
		if err := logLine(fmt.Sprintf("B %d P %s", op, strings.Join(entries, " "))); err != nil {
			return err
		}
		if err := ix.Put(batch...); err != nil {
			return err
		}
		if err := logLine(fmt.Sprintf("E %d", op)); err != nil {
			return err
		}
	}
	return nil
}

// crashLog is what a round's operation log says: the state after every
// completed write, and the effect of the write in flight when the child
// was killed (a version, or 0 for a delete), if any.
type crashLog struct {
	done     int            // completed writes
	pending  map[string]int // nil when no write was in flight
	lastLine string
}

// readCrashLog applies a round's log to model (report id -> version).
func readCrashLog(t *testing.T, path string, model map[string]int) crashLog {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	text := string(raw)
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		text = text[:i] // a line cut by the kill is dropped: its write had not started
	} else {
		text = ""
	}
	var out crashLog
	var cur map[string]int
	var order []string
	var curOp string
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		out.lastLine = line
		f := strings.Fields(line)
		switch {
		case f[0] == "B" && len(f) >= 3:
			if cur != nil {
				t.Fatalf("log: write %s begins while %s has not ended", f[1], curOp)
			}
			curOp, cur, order = f[1], map[string]int{}, nil
			for _, e := range f[3:] {
				if f[2] == "D" {
					cur[e] = 0
					order = append(order, e)
					continue
				}
				id, v, ok := strings.Cut(e, ":")
				n, err := strconv.Atoi(v)
				if !ok || err != nil {
					t.Fatalf("log: bad entry %q", line)
				}
				cur[id] = n // a later copy in one batch wins
				order = append(order, id)
			}
		case f[0] == "E" && len(f) == 2 && cur != nil && f[1] == curOp:
			for _, id := range order {
				if cur[id] == 0 {
					delete(model, id)
				} else {
					model[id] = cur[id]
				}
			}
			cur = nil
			out.done++
		default:
			t.Fatalf("log: unexpected line %q", line)
		}
	}
	out.pending = cur
	return out
}

func crashGramFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "grams"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

type crashPara struct{ id, folded string }

// crashVerify opens the index after a kill and checks it against model
// (the state after the last completed write) and the write in flight.
// It returns the state found, the number of paragraphs and of segments.
func crashVerify(t *testing.T, dir string, model map[string]int, lg crashLog, label string) (map[string]int, int, int) {
	t.Helper()
	ctx := context.Background()
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatalf("%s: Open after SIGKILL: %v", label, err)
	}
	defer func() {
		if ix != nil {
			ix.Close()
		}
	}()
	files := crashGramFiles(t, dir)
	for _, f := range files {
		if !strings.HasSuffix(f, ".seg") {
			t.Errorf("%s: file %s left in grams after Open", label, f)
		}
	}

	// Every report wholly in one allowed version.
	reports, err := ix.Reports()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	var paras []crashPara
	var nReports, nParas int
	for _, r := range reports {
		var id, v int
		if _, err := fmt.Sscanf(r.Title, "R%d v%d", &id, &v); err != nil || crashID(id) != r.ID {
			t.Errorf("%s: report %s has title %q", label, r.ID, r.Title)
			continue
		}
		if _, dup := found[r.ID]; dup {
			t.Errorf("%s: Reports lists %s twice", label, r.ID)
		}
		found[r.ID] = v
		want := crashReport(id, v)
		chars := 0
		for _, p := range want.Paragraphs {
			chars += utf8.RuneCountInString(p.Text)
		}
		if r.Paragraphs != len(want.Paragraphs) || r.Chars != chars || r.Year != want.Report.Year {
			t.Errorf("%s: %s v%d metadata: %d paragraphs, %d chars, year %d; want %d, %d, %d",
				label, r.ID, v, r.Paragraphs, r.Chars, r.Year, len(want.Paragraphs), chars, want.Report.Year)
		}
		ps, err := ix.Paragraphs(ctx, r.ID)
		if err != nil {
			t.Errorf("%s: paragraphs of %s v%d: %v", label, r.ID, v, err)
			continue
		}
		if len(ps) != len(want.Paragraphs) {
			t.Errorf("%s: %s v%d: %d paragraphs, want %d", label, r.ID, v, len(ps), len(want.Paragraphs))
		}
		for i, p := range ps {
			if i >= len(want.Paragraphs) || p != want.Paragraphs[i] {
				var w search.Paragraph
				if i < len(want.Paragraphs) {
					w = want.Paragraphs[i]
				}
				t.Errorf("%s: %s v%d paragraph %d is %+v, want %+v", label, r.ID, v, i+1, p, w)
				break
			}
		}
		nReports++
		nParas += len(ps)
		for _, p := range ps {
			paras = append(paras, crashPara{id: r.ID + "-" + strconv.Itoa(p.N), folded: analysis.FoldString(p.Text)})
		}
	}
	ids := map[string]bool{}
	for _, m := range []map[string]int{model, lg.pending, found} {
		for id := range m {
			ids[id] = true
		}
	}
	for id := range ids {
		got, allowed := found[id], []int{model[id]}
		if p, ok := lg.pending[id]; ok {
			allowed = append(allowed, p)
		}
		if !slices.Contains(allowed, got) {
			t.Errorf("%s: report %s is at version %d (0: absent); completed writes left %d, write in flight %v (last log line %q)",
				label, id, got, model[id], lg.pending, lg.lastLine)
		}
	}

	// The exact side agrees with the stored text.
	var queries []string
	for v := 1; v <= 4; v++ {
		queries = append(queries, fmt.Sprintf("第%d版", v))
	}
	queries = append(queries, "段：", "乡村振兴", "报", "第7段")
	var sortedIDs []string
	for id := range found {
		sortedIDs = append(sortedIDs, id)
	}
	sort.Strings(sortedIDs)
	for i := 0; i < len(sortedIDs) && i < 3; i++ {
		queries = append(queries, sortedIDs[i*len(sortedIDs)/3]+"第")
	}
	for _, q := range queries {
		fq := analysis.FoldString(q)
		var want []string
		for _, p := range paras {
			if strings.Contains(p.folded, fq) {
				want = append(want, p.id)
			}
		}
		sort.Strings(want)
		req := search.Request{Query: `"` + q + `"`}
		got, total, err := ix.MatchIDs(ctx, req)
		if err != nil {
			t.Errorf("%s: MatchIDs %q: %v", label, q, err)
			continue
		}
		sort.Strings(got)
		if !slices.Equal(got, want) || total != uint64(len(got)) {
			t.Errorf("%s: MatchIDs %q: %d ids (total %d), brute force over stored text %d; only in index %v, only in text %v",
				label, q, len(got), total, len(want), head(diff(got, want)), head(diff(want, got)))
		}
		req.Size = 20
		resp, err := ix.Search(ctx, req)
		if err != nil {
			t.Errorf("%s: Search %q: %v", label, q, err)
			continue
		}
		if resp.Total != uint64(len(want)) || len(resp.Hits) != min(20, len(want)) {
			t.Errorf("%s: Search %q: total %d with %d hits, want %d", label, q, resp.Total, len(resp.Hits), len(want))
		}
		for _, h := range resp.Hits {
			var id int
			fmt.Sscanf(h.DocID, "R%d", &id)
			if !strings.Contains(h.Text, q) || h.ID != h.DocID+"-"+strconv.Itoa(h.Paragraph) ||
				h.Text != crashText(id, found[h.DocID], h.Paragraph) {
				t.Errorf("%s: Search %q: hit %s (report at v%d) has text %q", label, q, h.ID, found[h.DocID], h.Text)
			}
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = nil

	// bleve holds exactly the paragraphs and report documents, and its
	// manifest names exactly the files in grams.
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatalf("%s: bleve.Open: %v", label, err)
	}
	docs, err := bi.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if docs != uint64(nParas+nReports) {
		t.Errorf("%s: bleve holds %d documents, want %d paragraphs + %d reports", label, docs, nParas, nReports)
	}
	raw, err := bi.GetInternal([]byte(crashManifestKey))
	if err != nil {
		t.Fatal(err)
	}
	bi.Close()
	var man struct {
		Segments []struct {
			File string `json:"file"`
		} `json:"segments"`
	}
	if err := json.Unmarshal(raw, &man); err != nil && len(reports) > 0 {
		t.Errorf("%s: manifest %q: %v", label, raw, err)
	}
	var named []string
	for _, s := range man.Segments {
		named = append(named, s.File)
	}
	sort.Strings(named)
	if !slices.Equal(named, files) {
		t.Errorf("%s: files in grams %v, manifest names %v", label, files, named)
	}

	// Opening again changes nothing.
	ix2, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatalf("%s: second Open: %v", label, err)
	}
	ix2.Close()
	if again := crashGramFiles(t, dir); !slices.Equal(again, files) {
		t.Errorf("%s: files in grams after a second Open %v, after the first %v", label, again, files)
	}
	return found, nParas, len(files)
}

// crashProc is a running child process.
type crashProc struct {
	cmd    *exec.Cmd
	stderr *strings.Builder
	ready  chan bool  // true once the child has printed crashReady
	exited chan error // its end, after ready
	done   bool
}

// startCrashChild runs TestCrashChild in a new process of this test
// binary with the given environment; the test's cleanup kills it.
func startCrashChild(t *testing.T, env ...string) *crashProc {
	t.Helper()
	c := &crashProc{stderr: new(strings.Builder), ready: make(chan bool, 1), exited: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stderr = c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !c.done {
			c.cmd.Process.Kill()
			<-c.exited
		}
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := false
		for sc.Scan() {
			if !ok && sc.Text() == crashReady {
				ok = true
				c.ready <- true
			}
		}
		if !ok {
			c.ready <- false
		}
		c.exited <- c.cmd.Wait()
	}()
	return c
}

// wait returns how the child ended and what it wrote to stderr.
func (c *crashProc) wait() (string, error) {
	err := <-c.exited
	c.done = true
	return c.stderr.String(), err
}

// waitReady waits until the child is about to write (or to open the
// index, in create mode).
func (c *crashProc) waitReady(t *testing.T, label string) {
	t.Helper()
	select {
	case ok := <-c.ready:
		if !ok {
			stderr, err := c.wait()
			t.Fatalf("%s: child exited before it was ready: %v\n%s", label, err, stderr)
		}
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		stderr, _ := c.wait()
		t.Fatalf("%s: child not ready after 30s\n%s", label, stderr)
	}
}

// waitWrites waits until the child's log records n completed writes.
func (c *crashProc) waitWrites(t *testing.T, label, logPath string, n int) {
	t.Helper()
	deadline := time.Now().Add(crashChildLimit)
	for {
		raw, _ := os.ReadFile(logPath)
		if strings.Count("\n"+string(raw), "\nE ") >= n {
			return
		}
		select {
		case err := <-c.exited:
			c.done = true
			t.Fatalf("%s: child exited after fewer than %d writes: %v\n%s", label, n, err, c.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: fewer than %d writes completed in %v", label, n, crashChildLimit)
		}
	}
}

// killAfter sends SIGKILL to the child after delay, and checks that the
// child was still running and dies of it.
func (c *crashProc) killAfter(t *testing.T, label string, delay time.Duration) {
	t.Helper()
	select {
	case err := <-c.exited:
		c.done = true
		t.Fatalf("%s: child exited by itself: %v\n%s", label, err, c.stderr.String())
	case <-time.After(delay):
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	stderr, err := c.wait()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("%s: child ended with %v, not by SIGKILL\n%s", label, err, stderr)
	}
	if strings.Contains(stderr, "crash child:") {
		t.Fatalf("%s: child failed: %s", label, stderr)
	}
}

// A SIGKILL at any moment of a stream of writes and merges leaves an index
// that opens, with every report wholly in its old or its new state, and
// searches that agree with the stored text.
func TestCrashDuringWritesLeavesAConsistentIndex(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		return
	}
	base := t.TempDir()
	dir := filepath.Join(base, "index")
	rng := rand.New(rand.NewPCG(20240611, 7))
	const rounds = 7
	model := map[string]int{}
	var writes, inFlight int
	for round := 1; round <= rounds; round++ {
		label := fmt.Sprintf("round %d", round)
		logPath := filepath.Join(base, fmt.Sprintf("ops-%d.log", round))
		c := startCrashChild(t, crashDirEnv+"="+dir, crashLogEnv+"="+logPath, crashRoundEnv+"="+strconv.Itoa(round))
		// Round 4 kills the child while it opens the index (removing
		// the files the last crash left); the others while it writes.
		// The write rounds kill after a number of completed writes, not
		// after a time, so a slow machine crashes as many writes as a
		// fast one; the short extra delay lands inside the next write.
		var delay time.Duration
		if round == 4 {
			delay = time.Duration(rng.IntN(700)) * time.Millisecond
		} else {
			c.waitReady(t, label)
			c.waitWrites(t, label, logPath, 7+rng.IntN(10))
			delay = time.Duration(rng.IntN(40)) * time.Millisecond
		}
		c.killAfter(t, label, delay)

		lg := readCrashLog(t, logPath, model)
		found, paras, segs := crashVerify(t, dir, model, lg, label)
		writes += lg.done
		if lg.pending != nil {
			inFlight++
		}
		t.Logf("%s: killed %v after the start (round 4) or the last awaited write; %d writes completed, write in flight: %v; index has %d reports, %d paragraphs, %d segments",
			label, delay, lg.done, lg.pending != nil, len(found), paras, segs)
		if t.Failed() {
			t.FailNow()
		}
		model = found
	}
	// The test must have crashed real writes, and enough of them for
	// merges (ten segments of similar size are merged).
	if writes < 40 || inFlight < rounds/2 {
		t.Errorf("only %d writes completed and %d kills hit a write in flight", writes, inFlight)
	}
}

// A SIGKILL during the first Open of a new folder — while bleve creates
// the index and the mapping version is stored — leaves a folder that
// opens. The child is killed 0–19 ms after it starts opening.
func TestCrashWhileCreatingTheIndex(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		return
	}
	base := t.TempDir()
	const tries = 20
	var failures []string
	for i := range tries {
		label := fmt.Sprintf("kill %d ms into creation", i)
		dir := filepath.Join(base, strconv.Itoa(i), "index")
		c := startCrashChild(t, crashDirEnv+"="+dir, crashCreateEnv+"=1")
		c.waitReady(t, label)
		c.killAfter(t, label, time.Duration(i)*time.Millisecond)
		ix, err := bleveindex.Open(dir)
		if err != nil {
			var names []string
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				names = append(names, e.Name())
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			failures = append(failures, fmt.Sprintf("%s: folder holds %v; Open: %s", label, names, first))
			continue
		}
		ix.Close()
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d kills during the creation of a new index left a folder that Open refuses:\n%s",
			len(failures), tries, strings.Join(failures, "\n"))
	}
}
