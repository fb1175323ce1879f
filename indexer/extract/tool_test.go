//go:build unix

package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRunTool(t *testing.T) {
	ctx := context.Background()
	out, err := runTool(ctx, 5*time.Second, 100, "sh", "-c", "echo hello")
	if err != nil || string(out) != "hello\n" {
		t.Fatalf("echo: %q, %v", out, err)
	}

	_, err = runTool(ctx, 5*time.Second, 100, "sh", "-c", "echo 'Syntax Error: broken' >&2; exit 3")
	var te *ToolError
	if !errors.As(err, &te) || te.Tool != "sh" || !strings.Contains(err.Error(), "Syntax Error: broken") {
		t.Errorf("exit 3: %v", err)
	}

	_, err = runTool(ctx, 5*time.Second, 100, "/nonexistent/tool")
	if !errors.As(err, &te) || !te.NotFound() {
		t.Errorf("missing tool: %v", err)
	}

	start := time.Now()
	_, err = runTool(ctx, 5*time.Second, 1<<20, "yes")
	if !errors.As(err, &te) || te.OutputLimit != 1<<20 || !strings.Contains(err.Error(), "yes killed after writing more than 1 MiB") {
		t.Errorf("yes: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("yes was stopped after %s", d)
	}

	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := runTool(cctx, time.Minute, 100, "sleep", "30"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestRunToolTimeoutKillsGroup runs a shell that starts a child holding
// the output pipe, as converters do: on timeout both are killed and
// runTool returns at once.
func TestRunToolTimeoutKillsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	start := time.Now()
	_, err := runTool(context.Background(), 300*time.Millisecond, 100, "sh", "-c", "sleep 30 & echo $! > "+pidFile+"; wait")
	took := time.Since(start)
	var te *ToolError
	if !errors.As(err, &te) || te.Timeout != 300*time.Millisecond || !strings.Contains(err.Error(), "sh killed after running longer than 300ms") {
		t.Errorf("err = %v, want a timeout", err)
	}
	if took > 2*time.Second {
		t.Errorf("returned after %s", took)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	deadline := time.Now().Add(2 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("the child %d of the killed tool is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports a process that exists and is not a zombie.
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

func TestPDFToolLimits(t *testing.T) {
	// A pdftotext that hangs is killed after ToolTimeout.
	dir := t.TempDir()
	hang := filepath.Join(dir, "pdftotext")
	if err := os.WriteFile(hang, []byte("#!/bin/sh\nsleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	saved := pdftotextPath
	t.Cleanup(func() { pdftotextPath = saved })
	pdftotextPath = hang
	wantLimit(t, "hang.pdf", pdfFile("text"), Limits{ToolTimeout: 200 * time.Millisecond}, "ToolTimeout", 2*time.Second)
}
