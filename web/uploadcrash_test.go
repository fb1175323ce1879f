package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"reportsearch/indexer/ingest"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
)

// The kill -9 test of uploads: a server in a child process takes uploads
// (new names, names again, names that clean alike, files the indexer
// skips) and deletions from several clients and is killed with SIGKILL at
// a random moment; the next server reconciles the uploads folder at start,
// and then every file in it has its report and every report of it its
// file, with nothing left staged. Before the journal, 4 of 6 such kills
// left files that were never indexed and never cleaned.

const uploadCrashEnv = "REPORTSEARCH_UPLOAD_CRASH_DIR"

// TestUploadCrashChild is the server, run by TestUploadsSurviveKill.
func TestUploadCrashChild(t *testing.T) {
	dir := os.Getenv(uploadCrashEnv)
	if dir == "" {
		t.Skip("the child of TestUploadsSurviveKill")
	}
	if err := uploadCrashChild(dir); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
}

func uploadCrashChild(dir string) error {
	ix, err := bleveindex.Open(filepath.Join(dir, "index"))
	if err != nil {
		return err
	}
	defer ix.Close()
	uploads := filepath.Join(dir, "uploads")
	w := ingest.NewWriter(ix)
	rep, err := ingest.ReconcileUploads(context.Background(), w, ix, uploads, discardLog())
	if err != nil {
		return err
	}
	e, err := New(ix, discardLog(), WithAdmin(AdminConfig{Writer: w, Token: testAdminToken, UploadsDir: uploads, Reconciled: rep}))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	data, _ := json.Marshal(rep)
	fmt.Printf("reconciled %s\nready %s\n", data, ln.Addr())
	return http.Serve(ln, e)
}

// uploadNames are the names the clients upload: replaced often, some
// cleaned alike, a device name.
var uploadNames = func() []string {
	var out []string
	for i := range 24 {
		out = append(out, fmt.Sprintf("%d_测试市_政府工作报告.txt", 2000+i))
	}
	return append(out, " .txt", "....txt", "CON.txt", "a?.txt", "a*.txt", "空白.txt")
}()

func TestUploadsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 5 times (about 20 s)")
	}
	dir := t.TempDir()
	uploads := filepath.Join(dir, "uploads")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 12))
	t.Logf("seed %d", seed)
	const rounds = 5
	var completed, discarded, okUploads, cutUploads atomic.Int64
	var statusMu sync.Mutex
	statuses := map[int]int{}
	for round := 0; round <= rounds; round++ {
		c := startUploadServer(t, dir)
		var rep ingest.UploadsReport
		json.Unmarshal([]byte(c.reconciled), &rep)
		completed.Add(int64(len(rep.Completed)))
		discarded.Add(int64(len(rep.Discarded)))
		if len(rep.Indexed)+len(rep.Removed) > 0 {
			t.Errorf("round %d: the start found files without a report: indexed %v, removed %v", round, rep.Indexed, rep.Removed)
		}
		checkUploadsConsistent(t, fmt.Sprint("round ", round), c.addr, uploads)
		if round == rounds {
			c.kill()
			break
		}
		// Clients upload and delete until the kill.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for client := range 4 {
			wg.Add(1)
			r := rand.New(rand.NewPCG(seed, uint64(round*10+client)))
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if client == 3 {
						crashDeleteOne(c.addr, r)
						time.Sleep(20 * time.Millisecond)
						continue
					}
					switch code := crashUpload(c.addr, r); code {
					case http.StatusOK:
						okUploads.Add(1)
					case 0:
						cutUploads.Add(1)
					default:
						statusMu.Lock()
						statuses[code]++
						statusMu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rng.IntN(1500)) * time.Millisecond)
		close(stop)
		c.kill()
		wg.Wait()
	}
	t.Logf("%d uploads answered, %d cut off by the kills; the starts completed %d staged files and discarded %d",
		okUploads.Load(), cutUploads.Load(), completed.Load(), discarded.Load())
	if okUploads.Load() == 0 {
		t.Error("no upload succeeded")
	}
	if len(statuses) > 0 {
		t.Errorf("uploads answered with other statuses: %v", statuses)
	}
}

type uploadServer struct {
	cmd        *exec.Cmd
	addr       string
	reconciled string
	exited     chan error
}

func startUploadServer(t *testing.T, dir string) *uploadServer {
	t.Helper()
	c := &uploadServer{exited: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestUploadCrashChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), uploadCrashEnv+"="+dir)
	var stderr strings.Builder
	c.cmd.Stderr = &stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.kill)
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		ok := false
		for sc.Scan() {
			line := sc.Text()
			if s, found := strings.CutPrefix(line, "reconciled "); found {
				c.reconciled = s
			}
			if s, found := strings.CutPrefix(line, "ready "); found && !ok {
				c.addr, ok = s, true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
		io.Copy(io.Discard, stdout)
		c.exited <- c.cmd.Wait()
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("the server did not start: %v\n%s", <-c.exited, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not start within 60 s")
	}
	return c
}

// kill sends SIGKILL (once) and waits for the process to end.
func (c *uploadServer) kill() {
	if c.cmd.ProcessState != nil || c.exited == nil {
		return
	}
	c.cmd.Process.Kill()
	<-c.exited
	c.exited = nil
}

var crashClient = &http.Client{Timeout: 30 * time.Second}

// crashUpload uploads 1–8 files, some of them empty (skipped by the
// indexer), and returns the status of the answer (0: none).
func crashUpload(addr string, r *rand.Rand) int {
	var files [][2]string
	seen := map[string]bool{}
	for range 1 + r.IntN(8) {
		name := uploadNames[r.IntN(len(uploadNames))]
		if clean, _ := ingest.SafeFileName(name); seen[clean] {
			continue
		} else {
			seen[clean] = true
		}
		text := ""
		if r.IntN(10) > 0 {
			text = fmt.Sprintf("%s\n第%d次上传的测试段落，崩溃测试。\n", strings.TrimSuffix(name, ".txt")+"测试报告", r.IntN(1000000))
		}
		files = append(files, [2]string{name, text})
	}
	fields := map[string]string{}
	if r.IntN(2) == 0 {
		fields["region"] = "测试区"
	}
	ctype, body := multipartBody(nopTB{}, files, fields)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/documents", body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := crashClient.Do(req)
	if err != nil {
		return 0
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// crashDeleteOne deletes a random uploaded report.
func crashDeleteOne(addr string, r *rand.Rand) {
	list, err := crashReports(addr)
	if err != nil {
		return
	}
	var ids []string
	for _, rep := range list {
		if !strings.HasPrefix(rep.Path, "sample/") {
			ids = append(ids, rep.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	req, _ := http.NewRequest(http.MethodDelete, "http://"+addr+"/api/documents/"+ids[r.IntN(len(ids))], nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if resp, err := crashClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// crashReports lists the reports with their absolute paths.
func crashReports(addr string) ([]search.Report, error) {
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/documents", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := crashClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list search.ReportList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, err
	}
	return list.Reports, nil
}

// checkUploadsConsistent checks the uploads folder's invariant
// (ingest.Inconsistencies) against the reports a server lists.
func checkUploadsConsistent(t *testing.T, label, addr, uploads string) {
	t.Helper()
	reports, err := crashReports(addr)
	if err != nil {
		t.Fatalf("%s: listing reports: %v", label, err)
	}
	for _, b := range ingest.Inconsistencies(uploads, reports) {
		if strings.HasPrefix(b, "staging folder") {
			b += fmt.Sprintf(": %v", listDir(filepath.Join(uploads, ingest.StagingDir)))
		}
		t.Errorf("%s: %s", label, b)
	}
}

func listDir(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if len(out) < 10 {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// nopTB is a testing.TB for helpers used outside a test's goroutine.
type nopTB struct{ testing.TB }

func (nopTB) Helper()               {}
func (nopTB) Fatal(args ...any)     { panic(fmt.Sprint(args...)) }
func (nopTB) Errorf(string, ...any) {}
