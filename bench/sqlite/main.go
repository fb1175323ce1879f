// Command sqlite is the SQLite FTS5 baseline of the benchmark (see
// docs/benchmarks.md). It is a separate Go module so that the product
// does not depend on a SQLite driver; bench/run builds and runs it.
//
//	go run . -corpus /tmp/bench/corpus100k -db /tmp/bench/work100k/fts.db -queries 民生,网格化治理
//
// It loads every paragraph of the corpus into an FTS5 table with the
// trigram tokenizer, then times each query: the exact count and the top
// 10 with highlights, the same work as a reportsearch search. It prints
// one JSON object on stdout.
//
// Paragraphs: every non-empty line of every .txt file, trimmed of spaces
// (the generated corpus has one paragraph per line). This is not
// reportsearch's cleaning: it keeps page furniture and footers, does not
// re-join broken sentences, and does not fold traditional characters or
// full-width letters, so on the raw shared corpus its counts differ a
// little from reportsearch's; on the generated corpus lines and
// paragraphs coincide.
//
// Queries: FTS5 `MATCH '"q"'` (a phrase of trigrams, which is an exact
// substring match) ranked by bm25 with highlight(), for queries of 3
// characters or more. A trigram index cannot answer a 1–2 character
// query: those use `text LIKE '%q%'`, which SQLite answers by scanning
// every row, unranked, with the highlight computed in Go.
package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	_ "modernc.org/sqlite"
)

type queryResult struct {
	Query    string  `json:"query"`
	Method   string  `json:"method"` // "match" (trigram index) or "like" (scan)
	Total    int64   `json:"total"`
	Hits     int     `json:"hits"`
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
	Stable   bool    `json:"stable"` // the same total on every run
	Runs     int     `json:"runs"`   // timed runs
}

type result struct {
	SQLiteVersion string        `json:"sqlite_version"`
	Built         bool          `json:"built"`
	BuildSeconds  float64       `json:"build_seconds,omitempty"`
	Paragraphs    int64         `json:"paragraphs"`
	Bytes         int64         `json:"bytes,omitempty"`
	DBBytes       int64         `json:"db_bytes"`
	MedianMS      float64       `json:"median_ms"` // over all runs of all queries
	P95MS         float64       `json:"p95_ms"`
	Queries       []queryResult `json:"queries"`
}

func main() {
	corpus := flag.String("corpus", "", "corpus folder (.txt files, one paragraph per line)")
	dbPath := flag.String("db", "", "database file (rebuilt unless -build=false)")
	qs := flag.String("queries", "", "comma-separated queries")
	build := flag.Bool("build", true, "(re)build the database from the corpus")
	n := flag.Int("n", 50, "timed runs per query")
	warm := flag.Int("warm", 5, "untimed runs per query first")
	scanN := flag.Int("scan-n", 10, "timed runs of a query answered by a scan (LIKE), after one warm-up: a scan of 1M rows takes seconds")
	flag.Parse()
	if *dbPath == "" || (*build && *corpus == "") {
		fmt.Fprintln(os.Stderr, "usage: sqlite -corpus DIR -db FILE -queries q1,q2 [-build=false] [-n 50]")
		os.Exit(2)
	}
	res, err := run(*corpus, *dbPath, splitQueries(*qs), *build, *n, *warm, *scanN)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlite:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(res)
}

func splitQueries(s string) []string {
	var out []string
	for _, q := range strings.Split(s, ",") {
		if q = strings.TrimSpace(q); q != "" {
			out = append(out, q)
		}
	}
	return out
}

func run(corpus, dbPath string, queries []string, build bool, n, warm, scanN int) (*result, error) {
	res := &result{Built: build}
	if build {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(dbPath + suffix); err != nil && !os.IsNotExist(err) {
				return nil, err
			}
		}
	} else if _, err := os.Stat(dbPath); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := db.QueryRow("select sqlite_version()").Scan(&res.SQLiteVersion); err != nil {
		return nil, err
	}
	for _, p := range []string{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536"} {
		if _, err := db.Exec(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	if build {
		start := time.Now()
		if res.Paragraphs, res.Bytes, err = load(db, corpus); err != nil {
			return nil, err
		}
		res.BuildSeconds = time.Since(start).Seconds()
	} else if err := db.QueryRow("SELECT count(*) FROM para").Scan(&res.Paragraphs); err != nil {
		return nil, err
	}
	if res.DBBytes, err = fileSize(dbPath); err != nil {
		return nil, err
	}
	var all []time.Duration
	for _, q := range queries {
		qn, qwarm := n, warm
		if utf8.RuneCountInString(q) < 3 {
			qn, qwarm = min(n, scanN), min(warm, 1)
		}
		qr, ds, err := timeQuery(db, q, qn, qwarm)
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", q, err)
		}
		res.Queries = append(res.Queries, qr)
		all = append(all, ds...)
	}
	if len(all) > 0 {
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		res.MedianMS, res.P95MS = ms(percentile(all, 50)), ms(percentile(all, 95))
	}
	return res, nil
}

// load fills the FTS5 table in transactions of 2,000 paragraphs (the
// batch size of reportsearch's indexer), then merges the index segments
// ('optimize') and checkpoints the WAL: the build time includes both.
func load(db *sql.DB, corpus string) (paras, bytes int64, err error) {
	if _, err := db.Exec(`CREATE VIRTUAL TABLE para USING fts5(text, path UNINDEXED, n UNINDEXED, tokenize='trigram')`); err != nil {
		return 0, 0, err
	}
	var files []string
	err = filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	sort.Strings(files)
	tx, err := db.Begin()
	if err != nil {
		return 0, 0, err
	}
	stmt, err := tx.Prepare("INSERT INTO para(text, path, n) VALUES(?, ?, ?)")
	if err != nil {
		return 0, 0, err
	}
	inTx := 0
	for _, f := range files {
		rel, _ := filepath.Rel(corpus, f)
		fh, err := os.Open(f)
		if err != nil {
			return 0, 0, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		k := 0
		for sc.Scan() {
			bytes += int64(len(sc.Bytes())) + 1
			line := strings.TrimFunc(sc.Text(), unicode.IsSpace)
			if line == "" {
				continue
			}
			k++
			if _, err := stmt.Exec(line, rel, k); err != nil {
				fh.Close()
				return 0, 0, err
			}
			paras++
			if inTx++; inTx == 2000 {
				if err := tx.Commit(); err != nil {
					fh.Close()
					return 0, 0, err
				}
				if tx, err = db.Begin(); err != nil {
					fh.Close()
					return 0, 0, err
				}
				if stmt, err = tx.Prepare("INSERT INTO para(text, path, n) VALUES(?, ?, ?)"); err != nil {
					fh.Close()
					return 0, 0, err
				}
				inTx = 0
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", f, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	for _, s := range []string{"INSERT INTO para(para) VALUES('optimize')", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.Exec(s); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	return paras, bytes, nil
}

func fileSize(p string) (int64, error) {
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		fi, err := os.Stat(p + suffix)
		if err != nil {
			if os.IsNotExist(err) && suffix != "" {
				continue
			}
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

// search is one query's work: the exact count and the top 10 with
// highlights.
func search(db *sql.DB, q string) (int64, int, error) {
	var total int64
	var rows *sql.Rows
	var err error
	like := utf8.RuneCountInString(q) < 3
	if like {
		pat := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
		if err := db.QueryRow(`SELECT count(*) FROM para WHERE text LIKE ? ESCAPE '\'`, pat).Scan(&total); err != nil {
			return 0, 0, err
		}
		rows, err = db.Query(`SELECT path, n, text FROM para WHERE text LIKE ? ESCAPE '\' LIMIT 10`, pat)
	} else {
		phrase := `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
		if err := db.QueryRow("SELECT count(*) FROM para WHERE para MATCH ?", phrase).Scan(&total); err != nil {
			return 0, 0, err
		}
		rows, err = db.Query("SELECT path, n, highlight(para, 0, '<mark>', '</mark>') FROM para WHERE para MATCH ? ORDER BY rank LIMIT 10", phrase)
	}
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	hits := 0
	for rows.Next() {
		var path, text string
		var n int
		if err := rows.Scan(&path, &n, &text); err != nil {
			return 0, 0, err
		}
		if like {
			text = strings.ReplaceAll(html.EscapeString(text), html.EscapeString(q), "<mark>"+html.EscapeString(q)+"</mark>")
		}
		if !strings.Contains(text, "<mark>") {
			return 0, 0, fmt.Errorf("hit %s:%d has no highlight", path, n)
		}
		hits++
	}
	return total, hits, rows.Err()
}

func timeQuery(db *sql.DB, q string, n, warm int) (queryResult, []time.Duration, error) {
	qr := queryResult{Query: q, Method: "match", Stable: true}
	if utf8.RuneCountInString(q) < 3 {
		qr.Method = "like"
	}
	var ds []time.Duration
	for i := 0; i < warm+n; i++ {
		start := time.Now()
		total, hits, err := search(db, q)
		d := time.Since(start)
		if err != nil {
			return qr, nil, err
		}
		if i == 0 {
			qr.Total, qr.Hits = total, hits
		} else if total != qr.Total {
			qr.Stable = false
		}
		if i >= warm {
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	qr.Runs = len(ds)
	qr.MedianMS, qr.P95MS = ms(percentile(ds, 50)), ms(percentile(ds, 95))
	return qr, ds, nil
}

// percentile is the nearest-rank percentile p (0–100) of sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	k := (len(ds)*p + 99) / 100
	return ds[max(k, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
