//go:build linux

package watch

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// notifier tells that something changed in the watched folders, through
// Linux inotify. Events are not parsed: any of them only makes the
// watcher scan sooner (see Watcher), so a lost or merged event (a queue
// overflow) costs nothing but time until the next scan.
type notifier struct {
	f       *os.File
	fd      int
	changed chan struct{}
}

const notifyMask = unix.IN_CREATE | unix.IN_CLOSE_WRITE | unix.IN_MODIFY | unix.IN_DELETE |
	unix.IN_MOVED_FROM | unix.IN_MOVED_TO | unix.IN_ATTRIB | unix.IN_DELETE_SELF | unix.IN_MOVE_SELF

func newNotifier() (*notifier, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify: %w", err)
	}
	// A non-blocking descriptor goes to Go's poller: Read waits without a
	// thread, and Close wakes it.
	n := &notifier{f: os.NewFile(uintptr(fd), "inotify"), fd: fd, changed: make(chan struct{}, 1)}
	go n.read()
	return n, nil
}

func (n *notifier) read() {
	buf := make([]byte, 64<<10)
	for {
		if _, err := n.f.Read(buf); err != nil {
			return
		}
		select {
		case n.changed <- struct{}{}:
		default:
		}
	}
}

// add watches a folder (again: a no-op). Folders that go away lose their
// watch by themselves.
func (n *notifier) add(dir string) error {
	_, err := unix.InotifyAddWatch(n.fd, dir, notifyMask)
	return err
}

func (n *notifier) close() { n.f.Close() }

const notifyName = "inotify"
