//go:build !linux

package watch

import "errors"

// notifier: other systems than Linux poll only (Options.Poll).
type notifier struct{ changed chan struct{} }

func newNotifier() (*notifier, error) {
	return nil, errors.New("file system notifications are implemented for Linux only")
}

func (n *notifier) add(string) error { return nil }
func (n *notifier) close()           {}

const notifyName = "poll"
