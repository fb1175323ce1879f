package indexer

import (
	"math"
	"os"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync"
)

// Indexing makes garbage fast and keeps little of it: at Go's default
// GOGC of 100 a server's small heap is collected several times per
// batch, and every collection takes CPU from searches (the collector's
// workers, and assists charged to the searches that allocate meanwhile).
// While a Run writes, collections are made rarer (writeGCPercent), under
// a soft memory ceiling so that the heap stays bounded; both as they
// were when the last Run ends. GOGC or GOMEMLIMIT in the environment,
// or a program that set its own (the index command), take precedence.
const (
	writeGCPercent = 400
	// writeMemoryFloor is the least soft ceiling set; it is at least
	// three times the heap in use when the write starts.
	writeMemoryFloor = 1200 << 20
)

var gcWrites struct {
	sync.Mutex
	n                int
	percent, limit   int64
	setPct, setLimit bool
}

// relaxGC makes collections rarer for a write; the returned func undoes
// it when the last write running ends.
func relaxGC() func() {
	g := &gcWrites
	g.Lock()
	defer g.Unlock()
	if g.n == 0 {
		g.setPct, g.setLimit = false, false
		if os.Getenv("GOGC") == "" {
			if p := debug.SetGCPercent(writeGCPercent); p < writeGCPercent && p >= 0 {
				g.percent, g.setPct = int64(p), true
			} else {
				debug.SetGCPercent(p)
			}
		}
		if os.Getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) == math.MaxInt64 {
			s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			rtmetrics.Read(s)
			g.limit, g.setLimit = math.MaxInt64, true
			debug.SetMemoryLimit(max(writeMemoryFloor, 3*int64(s[0].Value.Uint64())))
		}
	}
	g.n++
	return func() {
		g.Lock()
		defer g.Unlock()
		if g.n--; g.n > 0 {
			return
		}
		if g.setPct {
			debug.SetGCPercent(int(g.percent))
		}
		if g.setLimit {
			debug.SetMemoryLimit(g.limit)
		}
	}
}
