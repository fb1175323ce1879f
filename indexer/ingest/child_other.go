//go:build !linux

package ingest

import "os/exec"

// setChildProcess: outside Linux the child has no process group of its
// own and no parent-death signal; it stops when its standard input ends.
func setChildProcess(cmd *exec.Cmd) {}

// killChild kills the child.
func killChild(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

// lowerThreadPriority does nothing outside Linux, where the priority of
// one thread cannot be lowered (setpriority would lower the whole
// server): the child runs at the server's priority.
func lowerThreadPriority(p Priority) error { return nil }

// onMainThread: the priority is not lowered outside Linux, so the thread
// does not matter.
func onMainThread() bool { return false }
