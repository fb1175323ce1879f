//go:build !unix

package grams

import "os"

// mapFile reads the first n bytes of a file where memory mapping is not
// available.
func mapFile(f *os.File, n int) ([]byte, func() error, error) {
	data := make([]byte, n)
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
