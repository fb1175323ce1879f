package ingest

import (
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// setChildProcess makes the child the leader of a new process group (so
// that it is killed with every process it starts) that is killed when
// the thread that started it ends (see startLowered).
func setChildProcess(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killChild kills the child's process group with SIGKILL.
func killChild(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// lowerThreadPriority lowers the calling OS thread's CPU priority (on
// Linux, SCHED_IDLE and nice values belong to threads).
func lowerThreadPriority(p Priority) error {
	switch p {
	case PriorityIdle:
		return unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_IDLE}, 0)
	case PriorityNice:
		return unix.Setpriority(unix.PRIO_PROCESS, 0, 19)
	}
	return nil
}

// onMainThread reports whether the calling goroutine runs on the
// process's main thread.
func onMainThread() bool { return unix.Gettid() == os.Getpid() }
