package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"
)

// External programs (pdftotext today; office converters and OCR later) are
// run through runTool, so that each of them costs bounded time and memory
// however it misbehaves: it runs in a process group of its own, which is
// killed as a whole (converters fork helpers that would outlive their
// parent) when the timeout expires, when ctx is cancelled, or when it writes
// more than the output limit; what it writes is kept up to that limit.

// toolWaitDelay is how long Wait waits for the output pipes to close after
// the process group was killed.
const toolWaitDelay = 2 * time.Second

// maxToolStderr is how much of a tool's standard error is kept for
// messages.
const maxToolStderr = 4096

// ToolError is a failed run of an external program.
type ToolError struct {
	Tool string // the program's name, as given to runTool
	// Timeout is set when the program was killed for running longer
	// than it; OutputLimit when it was killed for writing more than it.
	Timeout     time.Duration
	OutputLimit int64
	Stderr      string // the start of its standard error
	Err         error  // from os/exec: the exit status, or why it did not start
}

func (e *ToolError) Error() string {
	switch {
	case e.Timeout > 0:
		return fmt.Sprintf("%s killed after running longer than %s", e.Tool, e.Timeout)
	case e.OutputLimit > 0:
		return fmt.Sprintf("%s killed after writing more than %s", e.Tool, sizeString(e.OutputLimit))
	case e.Stderr != "":
		return fmt.Sprintf("%s: %v: %s", e.Tool, e.Err, errorLine(e.Stderr))
	}
	return fmt.Sprintf("%s: %v", e.Tool, e.Err)
}

func (e *ToolError) Unwrap() error { return e.Err }

// NotFound reports a program that is not installed (not on PATH, or no
// file at the path given).
func (e *ToolError) NotFound() bool {
	return errors.Is(e.Err, exec.ErrNotFound) || errors.Is(e.Err, fs.ErrNotExist)
}

// runTool runs the program name with args and returns its standard output.
// The program is killed with its whole process group when timeout expires,
// when ctx is cancelled, or once it has written more than maxOutput bytes to
// standard output; every failure is a *ToolError naming the program (and the
// timeout or limit), except a cancelled ctx, which gives ctx.Err().
func runTool(ctx context.Context, timeout time.Duration, maxOutput int64, name string, args ...string) ([]byte, error) {
	return runToolWith(ctx, toolRun{timeout: timeout, maxOutput: maxOutput}, name, args...)
}

// toolRun is how runToolWith runs a program.
type toolRun struct {
	timeout   time.Duration
	maxOutput int64
	// dir is the working folder and env the environment (nil: the
	// process's own).
	dir string
	env []string
	// killAfter kills the process group after a normal exit too: for
	// programs that leave helpers behind (LibreOffice's soffice.bin).
	killAfter bool
}

// runToolWith is runTool with a working folder, an environment and the
// group killed after a normal exit when asked.
func runToolWith(ctx context.Context, r toolRun, name string, args ...string) ([]byte, error) {
	timeout, maxOutput := r.timeout, r.maxOutput
	bin, err := exec.LookPath(name)
	if err != nil {
		return nil, &ToolError{Tool: name, Err: err}
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, bin, args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	setProcessGroup(cmd)
	cmd.Cancel = func() error { return killProcessGroup(cmd) }
	cmd.WaitDelay = toolWaitDelay
	stdout := &boundedBuffer{max: maxOutput, full: cancel}
	stderr := &boundedBuffer{max: maxToolStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	if r.killAfter {
		killProcessGroup(cmd)
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		// The program exited but left children holding its output
		// open: they are still in its group, so the group is theirs.
		killProcessGroup(cmd)
	}
	switch {
	case stdout.over:
		return nil, &ToolError{Tool: name, OutputLimit: maxOutput, Err: err}
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded):
		return nil, &ToolError{Tool: name, Timeout: timeout, Err: err}
	case err != nil:
		return nil, &ToolError{Tool: name, Stderr: stderr.buf.String(), Err: err}
	}
	return stdout.buf.Bytes(), nil
}

// boundedBuffer keeps the first max bytes written to it. Beyond them it
// discards the rest, or, when full is set, records the overflow and calls
// full (which stops the program).
type boundedBuffer struct {
	buf  bytes.Buffer
	max  int64
	full func()
	over bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	room := b.max - int64(b.buf.Len())
	if int64(len(p)) <= room {
		b.buf.Write(p)
		return len(p), nil
	}
	b.buf.Write(p[:max(room, 0)])
	if b.full != nil && !b.over {
		b.over = true
		b.full()
	}
	return len(p), nil
}

// errorLine picks the most useful line of a tool's standard error for a
// message: the first one that reports an error rather than a warning.
func errorLine(stderr string) string {
	first := ""
	for line := range strings.Lines(stderr) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.Contains(line, "Error") && !strings.Contains(line, "Warning"):
			return line
		case first == "":
			first = line
		}
	}
	if first == "" {
		return "no error message"
	}
	return first
}
