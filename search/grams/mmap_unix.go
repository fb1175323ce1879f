//go:build unix

package grams

import (
	"os"
	"syscall"
)

// mapFile maps the first n bytes of a file read-only: the kernel pages
// them in and out as searches touch them, so a large index does not have
// to fit in memory.
func mapFile(f *os.File, n int) ([]byte, func() error, error) {
	if n == 0 {
		return nil, func() error { return nil }, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, n, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
