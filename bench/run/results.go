package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Results is everything one run measured; results.json is this value.
type Results struct {
	Label       string           `json:"label"`
	Corpus      string           `json:"corpus"`
	CorpusFiles int              `json:"corpus_files"`
	CorpusBytes int64            `json:"corpus_bytes"`
	Started     string           `json:"started"`
	Finished    string           `json:"finished"`
	Machine     Machine          `json:"machine"`
	Queries     []string         `json:"queries"`
	Runs        int              `json:"runs"` // timed runs per query
	Warm        int              `json:"warm"` // untimed runs first
	Index       *IndexResult     `json:"index"`
	InProcess   *QuerySet        `json:"in_process"`
	Server      *ServerResult    `json:"server,omitempty"`
	SQLite      *SQLiteResult    `json:"sqlite,omitempty"`
	Ripgrep     map[string]RgRun `json:"ripgrep,omitempty"`
	// Peers are Groonga and Sphinx (bench/peers), by engine.
	Peers map[string]*PeerResult `json:"peers,omitempty"`
}

// Machine describes where the run happened.
type Machine struct {
	CPU    string  `json:"cpu"`
	Cores  int     `json:"cores"`
	MemGB  float64 `json:"mem_gb"`
	Go     string  `json:"go"`
	Kernel string  `json:"kernel"`
}

// IndexResult is the indexing step.
type IndexResult struct {
	Reused          bool    `json:"reused,omitempty"`
	Paragraphs      int     `json:"paragraphs"`
	Reports         int     `json:"reports"`
	Skipped         int     `json:"skipped"`
	Files           int     `json:"files"`            // report files indexed
	Bytes           int64   `json:"bytes"`            // their size
	WallSeconds     float64 `json:"wall_seconds"`     // process start to exit
	IndexerSeconds  float64 `json:"indexer_seconds"`  // the summary's seconds (indexer.Run)
	UserSeconds     float64 `json:"user_seconds"`     // CPU time of the child
	SystemSeconds   float64 `json:"system_seconds"`   // kernel CPU time of the child
	PeakRSSBytes    int64   `json:"peak_rss_bytes"`   // rusage maxrss of the child
	IndexDiskBytes  int64   `json:"index_disk_bytes"` // du: allocated blocks
	IndexFileBytes  int64   `json:"index_file_bytes"` // du --apparent-size
	ParagraphsPerS  float64 `json:"paragraphs_per_s"` // end to end, per wall second
	MBPerS          float64 `json:"mb_per_s"`         // corpus MB per wall second
	IndexerParasPer float64 `json:"indexer_paragraphs_per_s"`
}

// QueryStat is one query's latencies.
type QueryStat struct {
	Query    string  `json:"query"`
	Total    uint64  `json:"total"`
	Hits     int     `json:"hits"`
	Stable   bool    `json:"stable"`
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
	MaxMS    float64 `json:"max_ms"`
}

// QuerySet is a set of queries timed the same way, with the figures over
// all their runs pooled.
type QuerySet struct {
	OpenSeconds float64     `json:"open_seconds,omitempty"`
	Queries     []QueryStat `json:"queries"`
	MedianMS    float64     `json:"median_ms"` // over all runs of all queries
	P95MS       float64     `json:"p95_ms"`
	WorstMedian float64     `json:"worst_median_ms"` // the slowest query's median
	WorstP95    float64     `json:"worst_p95_ms"`
	Short       struct {
		MedianMS float64 `json:"median_ms"` // 1–2 character queries only
		P95MS    float64 `json:"p95_ms"`
	} `json:"short"`
}

// ServerResult is the server step.
type ServerResult struct {
	ReadySeconds    float64   `json:"ready_seconds"` // exec to first /readyz 200
	ServerReadyMS   float64   `json:"server_ready_ms"`
	RSSReadyBytes   int64     `json:"rss_ready_bytes"`
	RSSWarmBytes    int64     `json:"rss_warm_bytes"` // after the HTTP query runs
	RSSLoadMaxBytes int64     `json:"rss_load_max_bytes"`
	HWMBytes        int64     `json:"hwm_bytes"`      // VmHWM at the end
	RSSAnonBytes    int64     `json:"rss_anon_bytes"` // at the end: heap and stacks
	RSSFileBytes    int64     `json:"rss_file_bytes"` // at the end: mapped files (index segments, binary)
	HTTP            *QuerySet `json:"http"`
	Wrk             []WrkRun  `json:"wrk"`
}

// WrkRun is one wrk run.
type WrkRun struct {
	Connections int     `json:"connections"`
	Threads     int     `json:"threads"`
	Seconds     float64 `json:"seconds"`
	Requests    int64   `json:"requests"`
	RPS         float64 `json:"rps"`
	P50MS       float64 `json:"p50_ms"`
	P90MS       float64 `json:"p90_ms"`
	P99MS       float64 `json:"p99_ms"`
	Non2xx      int64   `json:"non_2xx"`
	Errors      int64   `json:"socket_errors"`
}

// SQLiteResult is the output of bench/sqlite plus the process's figures.
type SQLiteResult struct {
	SQLiteVersion string  `json:"sqlite_version"`
	Built         bool    `json:"built"`
	BuildSeconds  float64 `json:"build_seconds"`
	Paragraphs    int64   `json:"paragraphs"`
	DBBytes       int64   `json:"db_bytes"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	MedianMS      float64 `json:"median_ms"` // over all runs of all queries
	P95MS         float64 `json:"p95_ms"`
	Queries       []struct {
		Query    string  `json:"query"`
		Method   string  `json:"method"`
		Total    int64   `json:"total"`
		Hits     int     `json:"hits"`
		MedianMS float64 `json:"median_ms"`
		P95MS    float64 `json:"p95_ms"`
		Stable   bool    `json:"stable"`
		Runs     int     `json:"runs"`
	} `json:"queries"`
}

// RgRun is ripgrep on one query.
type RgRun struct {
	Lines    int64   `json:"lines"`
	MedianMS float64 `json:"median_ms"`
}

// percentile returns the nearest-rank percentile p (0–100) of sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	k := (len(ds)*p + 99) / 100
	return ds[max(k, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func sortDurations(ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
}

// summarize fills the pooled figures of a query set from each query's runs.
func summarize(set *QuerySet, runs map[string][]time.Duration) {
	var all, short []time.Duration
	for i := range set.Queries {
		q := &set.Queries[i]
		ds := append([]time.Duration(nil), runs[q.Query]...)
		sortDurations(ds)
		q.MedianMS, q.P95MS, q.MaxMS = ms(percentile(ds, 50)), ms(percentile(ds, 95)), ms(ds[len(ds)-1])
		set.WorstMedian = max(set.WorstMedian, q.MedianMS)
		set.WorstP95 = max(set.WorstP95, q.P95MS)
		all = append(all, ds...)
		if len([]rune(q.Query)) <= 2 {
			short = append(short, ds...)
		}
	}
	sortDurations(all)
	sortDurations(short)
	set.MedianMS, set.P95MS = ms(percentile(all, 50)), ms(percentile(all, 95))
	set.Short.MedianMS, set.Short.P95MS = ms(percentile(short, 50)), ms(percentile(short, 95))
}

func machineInfo() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if kb := procField("/proc/meminfo", "MemTotal"); kb > 0 {
		m.MemGB = float64(kb) / (1 << 20)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// procField reads a "Name:   123 kB" field of a /proc file, in kB.
func procField(path, name string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == name {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// corpusSize counts the files of a corpus and their bytes (the manifest
// is metadata, not text); the index step then counts what was indexed.
func corpusSize(dir string) (files int, bytes int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), "manifest.") || strings.HasSuffix(d.Name(), ".meta.json") {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		files++
		bytes += fi.Size()
		return nil
	})
	return files, bytes, err
}

// dirSize is du's figure (allocated blocks) and the apparent size.
func dirSize(dir string) (disk, apparent int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		apparent += fi.Size()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			disk += st.Blocks * 512
		} else {
			disk += fi.Size()
		}
		return nil
	})
	return disk, apparent, err
}
