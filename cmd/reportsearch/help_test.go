package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// TestHelpIsNotAnError: --help and -h end in flag.ErrHelp, which main
// exits 0 on without an error line; --size 0 is a usage error like -5.
func TestHelpIsNotAnError(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		if err := runSearch(context.Background(), []string{arg}, io.Discard); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("search %s: %v", arg, err)
		}
	}
	for _, size := range []string{"0", "-5"} {
		err := runSearch(context.Background(), []string{"--index", t.TempDir(), "--size", size, "x"}, io.Discard)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--size must be between 1 and") {
			t.Errorf("--size %s: %v", size, err)
		}
	}
}
