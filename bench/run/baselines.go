package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sqliteStep builds the SQLite baseline (the separate module bench/sqlite)
// and runs it on the corpus and the queries.
func sqliteStep(c *config) (*SQLiteResult, error) {
	bin := filepath.Join(c.work, "sqlitebench")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Stdout, build.Stderr = filepath.Join(c.root, "bench", "sqlite"), os.Stderr, os.Stderr
	logf("SQLite: building bench/sqlite")
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building bench/sqlite: %w", err)
	}
	db := filepath.Join(c.work, "fts5.db")
	saved := filepath.Join(c.work, "sqlite-build.json")
	reuse := false
	var prev SQLiteResult
	if c.reuse {
		if b, err := os.ReadFile(saved); err == nil && json.Unmarshal(b, &prev) == nil {
			if _, err := os.Stat(db); err == nil {
				reuse = true
			}
		}
	}
	cmd := exec.Command(bin, "-corpus", c.corpus, "-db", db, "-queries", strings.Join(c.queries, ","),
		"-n", strconv.Itoa(c.n), "-warm", strconv.Itoa(c.warm), "-build="+strconv.FormatBool(!reuse))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	logf("SQLite: %s", strings.Join(cmd.Args, " "))
	start := time.Now()
	done := make(chan struct{})
	go progress(done, start, "sqlite")
	err := cmd.Run()
	close(done)
	if err != nil {
		return nil, fmt.Errorf("bench/sqlite: %w", err)
	}
	r := &SQLiteResult{}
	if err := json.Unmarshal(out.Bytes(), r); err != nil {
		return nil, fmt.Errorf("reading bench/sqlite's output: %w", err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSSBytes = ru.Maxrss * 1024
	}
	if reuse {
		r.BuildSeconds, r.PeakRSSBytes = prev.BuildSeconds, max(r.PeakRSSBytes, prev.PeakRSSBytes)
		logf("SQLite: reused %s (build figures of the run that built it)", db)
	} else {
		js, _ := json.MarshalIndent(r, "", "  ")
		if err := os.WriteFile(saved, js, 0o644); err != nil {
			return nil, err
		}
	}
	logf("SQLite: %d paragraphs, built in %.1fs, %s on disk", r.Paragraphs, r.BuildSeconds, mb(r.DBBytes))
	return r, nil
}

// rgStep times `rg -c --fixed-strings Q CORPUS` per query: a scan of
// every file, counting matching lines, with the files in the page cache
// after the first run.
func rgStep(c *config) (map[string]RgRun, error) {
	if _, err := exec.LookPath("rg"); err != nil {
		logf("ripgrep is not installed (apt-get install ripgrep): no scan baseline")
		return nil, nil
	}
	logf("ripgrep: %d queries × (1 warm-up + %d timed)", len(c.queries), c.rgRuns)
	out := map[string]RgRun{}
	for _, q := range c.queries {
		var ds []time.Duration
		var lines int64
		for i := 0; i < 1+c.rgRuns; i++ {
			cmd := exec.Command("rg", "-c", "--fixed-strings", "--no-messages", "--glob", "*.txt", "--", q, c.corpus)
			t0 := time.Now()
			b, err := cmd.Output()
			d := time.Since(t0)
			if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
				err = nil // no match
			}
			if err != nil {
				return nil, fmt.Errorf("rg %q: %w", q, err)
			}
			lines = 0
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if i := strings.LastIndexByte(l, ':'); i >= 0 {
					n, _ := strconv.ParseInt(l[i+1:], 10, 64)
					lines += n
				}
			}
			if i > 0 {
				ds = append(ds, d)
			}
		}
		sortDurations(ds)
		out[q] = RgRun{Lines: lines, MedianMS: ms(percentile(ds, 50))}
	}
	return out, nil
}
