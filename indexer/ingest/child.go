package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"reportsearch/indexer"
	"reportsearch/search"
)

// A full rebuild in a child process.
//
// Re-reading every report costs seconds to minutes of CPU on every core
// the machine has: extraction, gse, bleve's segment building, persister
// and merger, the Go collector. Run in the serving process, that work
// queues searches behind it however the writer is throttled (measured:
// p99 ×5 on two cores, docs/benchmarks.md), because bleve's own
// goroutines and the collector cannot be made to yield. So when the
// writer has a ChildConfig and its index can build generations
// (Generations), Rebuild runs the indexer in a child process — this
// program's hidden subcommand, which calls RunChild — at idle CPU
// priority (Linux: SCHED_IDLE, or nice 19, for all its threads), writing
// a new generation beside the served one. The server goes on serving the
// old generation and switches once the child has finished:
//
//  1. Begin the generation (it remembers the served reports of this
//     moment) and list the reports to re-read.
//  2. Without the lock: the child re-reads every listed report into the
//     generation and exits; its progress (a JSON line per file) is the
//     rebuild's status. Uploads, deletions and the watcher write to the
//     served index meanwhile, as at any time.
//  3. Holding the writer's lock: the generation catches up — every report
//     written since step 1 and every one the child did not write (file
//     gone or now skipped: kept as indexed) is copied from the served
//     index, deleted ones are deleted — and the index switches to it.
//
// Writes made during the rebuild are thus replayed onto the new
// generation from the served index rather than made to wait for the
// rebuild (which, at idle priority under load, can take long): nothing
// written is lost, and a write waits at most for step 3's copy.
//
// The child is started in its own process group and killed with it on
// timeout or when the writer stops (server shutdown); it dies with the
// server too (Linux: the parent-death signal; everywhere: it stops when
// its standard input, which the server holds open, ends). A child that
// fails or is killed leaves the served generation as it was, the rebuild
// status saying why; a server killed mid-rebuild leaves it too, and the
// unfinished folder is removed by the next rebuild.

// Generations is implemented by an index whose data can be rebuilt by
// another process into a new generation beside the served one and then
// switched to (bleveindex.Index; see its generation.go).
type Generations interface {
	// BeginGeneration creates the empty folder of a new generation and
	// remembers the served reports; it waits while another generation is
	// being built, giving up when ctx is done.
	BeginGeneration(ctx context.Context) (string, error)
	// CommitGeneration catches the generation up with the writes made
	// since it began and serves it; on error it is removed.
	CommitGeneration(dir string) error
	// AbortGeneration removes it.
	AbortGeneration(dir string)
}

// Priority is the CPU priority of the rebuild's child process.
type Priority string

const (
	// PriorityIdle (Linux SCHED_IDLE) runs the child only on CPU time no
	// other process wants.
	PriorityIdle Priority = "idle"
	// PriorityNice runs it at nice 19.
	PriorityNice Priority = "nice"
	// PriorityNormal runs it at the server's priority.
	PriorityNormal Priority = "normal"
)

// ParsePriority checks a priority's name.
func ParsePriority(s string) (Priority, error) {
	switch p := Priority(s); p {
	case PriorityIdle, PriorityNice, PriorityNormal:
		return p, nil
	}
	return "", fmt.Errorf("rebuild priority %q: want idle, nice or normal", s)
}

// DefaultChildTimeout bounds a rebuild's child process: a rebuild of a
// million paragraphs takes minutes on two cores, longer at idle priority
// while searches keep the cores busy.
const DefaultChildTimeout = 6 * time.Hour

// ChildConfig makes Rebuild run in a child process (see the top of this
// file).
type ChildConfig struct {
	// Command returns a new command running this program's subcommand
	// that calls RunChild.
	Command func() *exec.Cmd
	// Priority is the child's CPU priority ("": PriorityIdle).
	Priority Priority
	// Timeout bounds the child (0: DefaultChildTimeout).
	Timeout time.Duration
	// Context ends a running child when done (the server's lifetime;
	// nil: only StopRebuild does).
	Context context.Context
}

// RebuildStatus is the progress of the latest full rebuild.
type RebuildStatus struct {
	// State is one of search's rebuild states (search.RebuildIdle, …),
	// shared with the dictionary's rebuild.
	State    string     `json:"state"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	// Files of Total (the reports whose source is there) have been read,
	// Paragraphs written.
	Files      int `json:"files"`
	Total      int `json:"total"`
	Paragraphs int `json:"paragraphs"`
	// PID is the child's process id, Priority its CPU priority (empty for
	// a rebuild in the serving process).
	PID      int      `json:"pid,omitempty"`
	Priority Priority `json:"priority,omitempty"`
	// Error says why the rebuild failed; the served index is then as it
	// was before it.
	Error string `json:"error,omitempty"`
}

// rebuildState is the writer's side of full rebuilds.
type rebuildState struct {
	// run is held by a full rebuild: one at a time; running counts the
	// rebuilds started or waiting (StopRebuild waits for them).
	run     sync.Mutex
	running sync.WaitGroup
	child   *ChildConfig
	// stopCtx is cancelled by StopRebuild (and when the config's context
	// is done).
	stopCtx context.Context
	stop    context.CancelFunc

	mu     sync.Mutex
	status RebuildStatus
}

// SetRebuildChild makes the writer's full rebuilds run in a child
// process (when its store implements Generations).
func (w *Writer) SetRebuildChild(c ChildConfig) {
	if c.Priority == "" {
		c.Priority = PriorityIdle
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultChildTimeout
	}
	parent := c.Context
	if parent == nil {
		parent = context.Background()
	}
	w.rb.child = &c
	w.rb.stopCtx, w.rb.stop = context.WithCancel(parent)
}

// StopRebuild kills a running rebuild's child process and waits for the
// rebuild to end (the served index stays as it was); the writer's later
// rebuilds fail at once. The server calls it before closing the index.
func (w *Writer) StopRebuild() {
	if w.rb.stop != nil {
		w.rb.stop()
	}
	w.rb.running.Wait()
}

// RebuildStatus returns the progress of the latest full rebuild.
func (w *Writer) RebuildStatus() RebuildStatus {
	w.rb.mu.Lock()
	defer w.rb.mu.Unlock()
	s := w.rb.status
	if s.State == "" {
		s.State = search.RebuildIdle
	}
	return s
}

func (w *Writer) setRebuildStatus(f func(s *RebuildStatus)) {
	w.rb.mu.Lock()
	f(&w.rb.status)
	w.rb.mu.Unlock()
}

// rebuildInChild is Rebuild through a child process.
func (w *Writer) rebuildInChild(g Generations, ix search.ReportReader) (*indexer.Summary, error) {
	w.rb.running.Add(1)
	defer w.rb.running.Done()
	w.rb.run.Lock()
	defer w.rb.run.Unlock()
	return w.trackRebuild(w.rb.child.Priority, func(progress func(childProgress)) (*indexer.Summary, error) {
		return w.childRebuild(g, ix, progress)
	})
}

// trackRebuild runs a rebuild, keeping its status.
func (w *Writer) trackRebuild(p Priority, run func(progress func(childProgress)) (*indexer.Summary, error)) (*indexer.Summary, error) {
	now := time.Now()
	w.setRebuildStatus(func(s *RebuildStatus) {
		*s = RebuildStatus{State: search.RebuildRunning, Started: &now, Priority: p}
	})
	sum, err := run(func(p childProgress) {
		w.setRebuildStatus(func(s *RebuildStatus) { s.Files, s.Total, s.Paragraphs = p.Done, p.Total, p.Paragraphs })
	})
	end := time.Now()
	w.setRebuildStatus(func(s *RebuildStatus) {
		s.Finished, s.State = &end, search.RebuildDone
		if err != nil {
			s.State, s.Error = search.RebuildFailed, err.Error()
		}
	})
	return sum, err
}

func (w *Writer) childRebuild(g Generations, ix search.ReportReader, progress func(childProgress)) (*indexer.Summary, error) {
	ctx := w.rb.stopCtx
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("rebuild: the server is stopping: %w", err)
	}
	// Writes go on while the generation begins and the reports are
	// listed: whatever they change is caught up at the commit, which
	// compares the served reports with those of the beginning.
	dir, err := g.BeginGeneration(ctx)
	if err != nil {
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	job := childJob{Dir: dir}
	if job.Reports, err = ix.Reports(); err != nil {
		g.AbortGeneration(dir)
		return nil, fmt.Errorf("rebuild: %w", err)
	}
	sum, err := runChild(ctx, w.rb.child, job, func(pid int) {
		w.setRebuildStatus(func(s *RebuildStatus) { s.PID = pid })
	}, progress)
	if err == nil {
		err = ctx.Err() // stopped after the child finished: do not switch now
	}
	if err != nil {
		g.AbortGeneration(job.Dir)
		return nil, fmt.Errorf("rebuild: %w (the index is unchanged)", err)
	}
	if err := w.Locked(func(search.Store) error { return g.CommitGeneration(job.Dir) }); err != nil {
		return nil, fmt.Errorf("rebuild: switching to the rebuilt index: %w (the index is unchanged)", err)
	}
	return sum, nil
}

// childJob is what the child is told, as JSON on its standard input.
type childJob struct {
	// Dir is the new generation's folder.
	Dir string `json:"dir"`
	// Reports are the reports to re-read.
	Reports []search.Report `json:"reports"`
}

// childLine is a line the child writes on its standard output: its
// progress after each file, then its summary.
type childLine struct {
	Progress *childProgress   `json:"progress,omitempty"`
	Summary  *indexer.Summary `json:"summary,omitempty"`
}

type childProgress struct {
	Done       int `json:"done"`
	Total      int `json:"total"`
	Paragraphs int `json:"paragraphs"`
}

// stderrTail is how much of the child's standard error an error quotes.
const stderrTail = 2048

// runChild runs the child for job: started (see startLowered) with its
// pid reported to started, killed with its process group when ctx is
// done or its timeout passes. It returns the child's summary.
func runChild(ctx context.Context, cfg *ChildConfig, job childJob, started func(pid int), progress func(childProgress)) (*indexer.Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	cmd := cfg.Command()
	setChildProcess(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	errTail := &tailBuffer{max: stderrTail}
	cmd.Stderr = errTail
	read := make(chan struct{})
	exited := make(chan error, 1)
	if err := startLowered(cmd, cfg.Priority, read, exited); err != nil {
		return nil, fmt.Errorf("starting the rebuilding process: %w", err)
	}
	started(cmd.Process.Pid)
	stopKill := context.AfterFunc(ctx, func() { killChild(cmd) })
	defer stopKill()
	// stdin stays open until the child exits: its end tells the child
	// that this process is gone.
	if err := json.NewEncoder(stdin).Encode(job); err != nil {
		killChild(cmd)
	}
	var sum *indexer.Summary
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<30)
	for sc.Scan() {
		var l childLine
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		if l.Progress != nil {
			progress(*l.Progress)
		}
		if l.Summary != nil {
			sum = l.Summary
		}
	}
	io.Copy(io.Discard, stdout)
	close(read)
	werr := <-exited
	pid := cmd.Process.Pid
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("the rebuilding process (pid %d) timed out after %v and was killed", pid, cfg.Timeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("the rebuilding process (pid %d) was stopped", pid)
	case werr != nil:
		return nil, fmt.Errorf("the rebuilding process (pid %d) failed: %v%s", pid, werr, errTail.quote())
	case sum == nil:
		return nil, fmt.Errorf("the rebuilding process (pid %d) ended without its summary%s", pid, errTail.quote())
	}
	return sum, nil
}

// startLowered starts cmd from an OS thread of its own whose CPU priority
// is lowered to p first: a new process inherits its creating thread's
// scheduling policy and nice value and keeps them across exec, so every
// thread the child's runtime ever starts runs at p from its first
// instruction (lowering the child's threads from inside would miss those
// started before). The thread stays locked and is never unlocked, so that
// no other goroutine ever runs on it and it ends with the goroutine; that
// goroutine waits for the child (after read is closed: its output must be
// read before Wait) and sends Wait's result to exited, keeping the thread
// — whose end sends the child the parent-death signal — alive as long as
// the child. Go starts new threads of a locked one from a clean template
// thread, so the lowered priority spreads nowhere else in this process.
func startLowered(cmd *exec.Cmd, p Priority, read <-chan struct{}, exited chan<- error) error {
	started := make(chan error, 1)
	var run func()
	run = func() {
		runtime.LockOSThread()
		if onMainThread() {
			// Go never ends the main thread (it parks it when a locked
			// goroutine exits on it), so lowered it would stay lowered:
			// hold it while another goroutine, which then cannot run on
			// it, does the work, and give it back untouched.
			done := make(chan struct{})
			go func() {
				defer close(done)
				run()
			}()
			<-done
			runtime.UnlockOSThread()
			return
		}
		if err := lowerThreadPriority(p); err != nil {
			started <- fmt.Errorf("lowering the priority to %s: %w", p, err)
			return
		}
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		<-read
		exited <- cmd.Wait()
	}
	go run()
	return <-started
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// quote is the tail for an error message ("" when empty).
func (t *tailBuffer) quote() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.b) == 0 {
		return ""
	}
	return fmt.Sprintf(": %q", string(t.b))
}

// ChildStore is the new generation as the child writes it.
type ChildStore interface {
	search.Store
	Close() error
}

// RunChild is the child's side (this program's hidden subcommand): it
// reads the job from in, opens the generation folder with open, re-reads
// every report of the job into it, forced, writing a progress line after
// each file to out, closes it and writes the summary. It stops when in
// ends before it has finished (the server is gone) or ctx is done.
// builtin lists the bundled sample's sources (may be nil).
func RunChild(ctx context.Context, in io.Reader, out io.Writer, open func(dir string) (ChildStore, error), builtin Builtin) error {
	dec := json.NewDecoder(in)
	var job childJob
	if err := dec.Decode(&job); err != nil {
		return fmt.Errorf("rebuild: reading the job: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		io.Copy(io.Discard, io.MultiReader(dec.Buffered(), in))
		cancel()
	}()
	store, err := open(job.Dir)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	paras := 0
	sum, err := reread(ctx, store, job.Reports, builtin, func(done, total int, r indexer.FileResult) {
		paras += r.Paragraphs
		enc.Encode(childLine{Progress: &childProgress{Done: done, Total: total, Paragraphs: paras}})
	})
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// Every report of the job is in the served index: re-read, it is
	// updated there, not added (the new generation started empty).
	for i := range sum.Files {
		if sum.Files[i].Status == indexer.StatusAdded {
			sum.Files[i].Status = indexer.StatusUpdated
		}
	}
	sum.Updated += sum.Added
	sum.Added = 0
	return enc.Encode(childLine{Summary: sum})
}
