package indexer

import (
	"math"
	"runtime/debug"
	"testing"
)

// A write relaxes the collector (GOGC 400 under a soft ceiling) and the
// last write to end restores both; a program's own higher GOGC and its
// own ceiling are left alone.
func TestRelaxGCDuringWrites(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	pct := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	defer func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}()
	state := func() (int, int64) {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1)
	}
	end1 := relaxGC()
	end2 := relaxGC() // a second write at the same time
	if p, l := state(); p != writeGCPercent || l < writeMemoryFloor || l == math.MaxInt64 {
		t.Fatalf("during writes: GOGC %d, limit %d", p, l)
	}
	end1()
	if p, _ := state(); p != writeGCPercent {
		t.Fatalf("restored while a write still runs: GOGC %d", p)
	}
	end2()
	if p, l := state(); p != 100 || l != math.MaxInt64 {
		t.Fatalf("after the writes: GOGC %d, limit %d, want 100 and none", p, l)
	}

	// The index command's own settings stay.
	debug.SetGCPercent(800)
	debug.SetMemoryLimit(900 << 20)
	end := relaxGC()
	if p, l := state(); p != 800 || l != 900<<20 {
		t.Fatalf("a program's settings changed: GOGC %d, limit %d", p, l)
	}
	end()
	if p, l := state(); p != 800 || l != 900<<20 {
		t.Fatalf("after the write: GOGC %d, limit %d, want 800 and 900 MiB", p, l)
	}
}
