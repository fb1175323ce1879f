// Command run is the end-to-end benchmark of reportsearch (issue 6; the
// method and the figures are in docs/benchmarks.md). In one run on one
// machine it:
//
//  1. builds the reportsearch binary (go build -o WORK/reportsearch);
//  2. indexes CORPUS into a new index WORK/index with `reportsearch index
//     --json` as a child process: wall time, paragraphs/s, MB/s, peak RSS
//     (the child's rusage maxrss), index size on disk;
//  3. times the fixed queries of bench/queries in-process (this process
//     opens the index with package bleveindex and calls Search: exact
//     total, top 10, highlights), before the server holds the index;
//  4. with -http: starts `reportsearch serve` on the index, times until
//     /readyz answers, times the same queries over HTTP, runs wrk with 1
//     and 8 connections, and samples the server's RSS throughout;
//  5. with -sqlite: builds and runs the SQLite FTS5 trigram baseline
//     (the separate module bench/sqlite) on the same corpus and queries;
//  6. when rg is installed: times ripgrep scanning the corpus per query;
//     with -groonga / -sphinx: runs Groonga and Sphinx on the same corpus
//     and queries (bench/peers, a module of its own), one after the other;
//  7. prints Markdown tables with the ratios and the targets of issue 6,
//     and writes them to WORK/results.md (and WORK/results.json).
//
// Run it from the module root:
//
//	go run ./bench/run -corpus /tmp/bench/corpus100k -work /tmp/bench/work100k -sqlite -http
//
// Steps run one after the other, never two heavy ones at once. The corpus
// and WORK must be outside the repository.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"reportsearch/bench/queries"
)

type config struct {
	corpus, work, label string
	root                string // module root
	bin                 string // the reportsearch binary
	sqlite, http, rg    bool
	groonga, sphinx     bool
	reuse               bool
	n, warm, rgRuns     int
	wrkDuration         time.Duration
	queries             []string
	indexDir            string
}

func main() {
	var c config
	flag.StringVar(&c.corpus, "corpus", "", "corpus folder: the shared corpus or one written by bench/gencorpus")
	flag.StringVar(&c.work, "work", "", "work folder for the binary, the index, the SQLite database and the results")
	flag.StringVar(&c.label, "label", "", "name of the corpus in the results (default: the corpus folder's name)")
	flag.BoolVar(&c.sqlite, "sqlite", false, "also run the SQLite FTS5 trigram baseline (bench/sqlite)")
	flag.BoolVar(&c.groonga, "groonga", false, "also run Groonga (apt-get install groonga-bin; bench/peers)")
	flag.BoolVar(&c.sphinx, "sphinx", false, "also run Sphinx (apt-get install sphinxsearch; bench/peers)")
	flag.BoolVar(&c.http, "http", false, "also start the server: start time, RSS, HTTP latency and wrk throughput")
	flag.BoolVar(&c.rg, "rg", true, "also time ripgrep when it is installed")
	flag.BoolVar(&c.reuse, "reuse", false, "reuse the index (and SQLite database) of an earlier run in WORK instead of building them")
	flag.IntVar(&c.n, "n", 50, "timed runs per query (in-process, HTTP, SQLite)")
	flag.IntVar(&c.warm, "warm", 5, "untimed warm-up runs per query")
	flag.IntVar(&c.rgRuns, "rg-runs", 5, "timed ripgrep runs per query")
	flag.DurationVar(&c.wrkDuration, "duration", 10*time.Second, "duration of each wrk run")
	flag.Parse()
	if c.corpus == "" || c.work == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/run -corpus DIR -work DIR [-sqlite] [-http] [-reuse]")
		os.Exit(2)
	}
	if err := run(&c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(c *config) error {
	var err error
	if c.corpus, err = filepath.Abs(c.corpus); err != nil {
		return err
	}
	if c.work, err = filepath.Abs(c.work); err != nil {
		return err
	}
	if c.label == "" {
		c.label = filepath.Base(c.corpus)
	}
	c.queries = queries.List
	c.indexDir = filepath.Join(c.work, "index")
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return fmt.Errorf("finding the module root (run from inside the repository): %w", err)
	}
	c.root = strings.TrimSpace(string(out))
	if strings.HasPrefix(c.work+"/", c.root+"/") || strings.HasPrefix(c.corpus+"/", c.root+"/") {
		return fmt.Errorf("keep the corpus and the work folder outside the repository (%s)", c.root)
	}

	res := &Results{Label: c.label, Corpus: c.corpus, Started: time.Now().UTC().Format(time.RFC3339),
		Machine: machineInfo(), Queries: c.queries, Runs: c.n, Warm: c.warm}
	logf("machine: %s, %d cores, %.1f GB, %s", res.Machine.CPU, res.Machine.Cores, res.Machine.MemGB, res.Machine.Go)

	c.bin = filepath.Join(c.work, "reportsearch")
	logf("building %s", c.bin)
	build := exec.Command("go", "build", "-o", c.bin, "./cmd/reportsearch")
	build.Dir, build.Stdout, build.Stderr = c.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}

	if res.CorpusFiles, res.CorpusBytes, err = corpusSize(c.corpus); err != nil {
		return err
	}
	if res.Index, err = indexStep(c); err != nil {
		return err
	}
	if res.Index.Files > 0 {
		res.CorpusFiles, res.CorpusBytes = res.Index.Files, res.Index.Bytes
	}
	if res.InProcess, err = inProcessStep(c); err != nil {
		return err
	}
	if c.http {
		if res.Server, err = serverStep(context.Background(), c); err != nil {
			return err
		}
	}
	if c.sqlite {
		if res.SQLite, err = sqliteStep(c); err != nil {
			return err
		}
	}
	if c.rg {
		if res.Ripgrep, err = rgStep(c); err != nil {
			return err
		}
	}
	for _, e := range []struct {
		on   bool
		name string
	}{{c.groonga, "groonga"}, {c.sphinx, "sphinx"}} {
		if !e.on {
			continue
		}
		pr, err := peerStep(c, e.name)
		if err != nil {
			return err
		}
		if res.Peers == nil {
			res.Peers = map[string]*PeerResult{}
		}
		res.Peers[e.name] = pr
	}
	res.Finished = time.Now().UTC().Format(time.RFC3339)
	md := report(res)
	fmt.Println(md)
	if err := os.WriteFile(filepath.Join(c.work, "results.md"), []byte(md), 0o644); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(c.work, "results.json"), js, 0o644); err != nil {
		return err
	}
	logf("wrote %s and results.json", filepath.Join(c.work, "results.md"))
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
