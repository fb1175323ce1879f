// Command peers runs the benchmark's peer engines, Groonga and Sphinx, on
// the same corpus and queries as reportsearch (see docs/benchmarks.md). It
// is a module of its own so that the product does not depend on a MySQL
// driver (SphinxQL speaks the MySQL protocol); bench/run builds and runs
// it with -groonga / -sphinx.
//
//	go run . -engine groonga -corpus /tmp/bench/corpus100k -work /tmp/bench/work100k -queries 民生,网格化治理
//
// Both engines answer each query the way a reportsearch search does: the
// exact number of matching paragraphs and the top 10 by the engine's own
// relevance, with their text.
//
//   - Groonga 13 (Debian groonga-bin): `groonga -s --protocol http` on a
//     new database; a table of paragraphs with a LongText column, loaded
//     over HTTP in chunks, then a TokenBigram/NormalizerAuto lexicon with
//     a positional index built statically; queries are phrases
//     (`query="…"` on `text`), sorted by -_score.
//   - Sphinx 2.2 (Debian sphinxsearch): `indexer` builds a plain index
//     from a TSV pipe with ngram_len=1 over CJK (each Han character a
//     token) and the text kept as a string attribute; `searchd` answers
//     SphinxQL: MATCH('"…"') (a phrase of characters, i.e. the exact
//     substring for Han text) with total_found from SHOW META.
//
// Paragraphs are those of bench/sqlite: every non-empty trimmed line of
// every .txt file (on the generated corpus, one paragraph per line). It
// prints one JSON object on stdout.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	_ "github.com/go-sql-driver/mysql"
)

type queryResult struct {
	Query    string  `json:"query"`
	Total    int64   `json:"total"`
	Top      int     `json:"top"`
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
	Runs     int     `json:"runs"`
}

type result struct {
	Engine       string  `json:"engine"`
	Version      string  `json:"version"`
	Paragraphs   int64   `json:"paragraphs"`
	BuildSeconds float64 `json:"build_seconds"`
	// BuildPeakRSS is the largest resident set of the processes that
	// built the index; ServerRSS the server's after the queries.
	BuildPeakRSS int64         `json:"build_peak_rss_bytes"`
	ServerRSS    int64         `json:"server_rss_bytes"`
	IndexBytes   int64         `json:"index_bytes"`
	Queries      []queryResult `json:"queries"`
	MedianMS     float64       `json:"median_ms"`
	P95MS        float64       `json:"p95_ms"`
	// The same runs with the engine's result cache off, for an engine
	// that has one (Groonga caches the output of a repeated select by
	// default, so its figures above are those of a cache hit).
	NoCacheMedianMS float64 `json:"nocache_median_ms,omitempty"`
	NoCacheP95MS    float64 `json:"nocache_p95_ms,omitempty"`
}

func main() {
	engine := flag.String("engine", "", "groonga or sphinx")
	corpus := flag.String("corpus", "", "corpus folder (.txt files)")
	work := flag.String("work", "", "work folder (the engine's files go in WORK/ENGINE)")
	qs := flag.String("queries", "", "comma-separated queries")
	n := flag.Int("n", 50, "timed runs per query")
	warm := flag.Int("warm", 3, "warm-up runs per query")
	flag.Parse()
	if *corpus == "" || *work == "" || *qs == "" {
		fmt.Fprintln(os.Stderr, "usage: peers -engine groonga|sphinx -corpus DIR -work DIR -queries q1,q2")
		os.Exit(2)
	}
	var queries []string
	for _, q := range strings.Split(*qs, ",") {
		if q = strings.TrimSpace(q); q != "" {
			queries = append(queries, q)
		}
	}
	dir := filepath.Join(*work, *engine)
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	var e peer
	switch *engine {
	case "groonga":
		e = &groonga{dir: dir}
	case "sphinx":
		e = &sphinx{dir: dir}
	default:
		fail(fmt.Errorf("unknown engine %q", *engine))
	}
	res, err := run(e, *corpus, queries, *n, *warm)
	e.stop()
	if err != nil {
		fail(err)
	}
	res.Engine = *engine
	res.IndexBytes = dirSize(dir)
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "peers:", err)
	os.Exit(1)
}

// peer is an engine under test.
type peer interface {
	version() string
	// build indexes the paragraphs and starts the server.
	build(paras []string, res *result) error
	// search returns the exact total and the number of top hits returned
	// (with their text).
	search(q string) (total int64, top int, err error)
	serverPID() int
	stop()
}

// cacher is a peer with a result cache that can be turned off.
type cacher interface{ setCache(on bool) }

func run(e peer, corpus string, queries []string, n, warm int) (*result, error) {
	paras, err := readParagraphs(corpus)
	if err != nil {
		return nil, err
	}
	res := &result{Version: e.version(), Paragraphs: int64(len(paras))}
	start := time.Now()
	if err := e.build(paras, res); err != nil {
		return nil, err
	}
	res.BuildSeconds = time.Since(start).Seconds()
	paras = nil
	var all []time.Duration
	for _, q := range queries {
		var total int64
		var top int
		for range warm {
			if total, top, err = e.search(q); err != nil {
				return nil, fmt.Errorf("query %q: %w", q, err)
			}
		}
		ds := make([]time.Duration, 0, n)
		for range n {
			t := time.Now()
			if total, top, err = e.search(q); err != nil {
				return nil, fmt.Errorf("query %q: %w", q, err)
			}
			ds = append(ds, time.Since(t))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		res.Queries = append(res.Queries, queryResult{Query: q, Total: total, Top: top, Runs: n,
			MedianMS: ms(percentile(ds, 50)), P95MS: ms(percentile(ds, 95))})
		all = append(all, ds...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		res.MedianMS, res.P95MS = ms(percentile(all, 50)), ms(percentile(all, 95))
	}
	res.ServerRSS = rss(e.serverPID())
	if c, ok := e.(cacher); ok {
		c.setCache(false)
		var nc []time.Duration
		for _, q := range queries {
			for range n {
				t := time.Now()
				if _, _, err := e.search(q); err != nil {
					return nil, fmt.Errorf("query %q without the cache: %w", q, err)
				}
				nc = append(nc, time.Since(t))
			}
		}
		c.setCache(true)
		sort.Slice(nc, func(i, j int) bool { return nc[i] < nc[j] })
		if len(nc) > 0 {
			res.NoCacheMedianMS, res.NoCacheP95MS = ms(percentile(nc, 50)), ms(percentile(nc, 95))
		}
	}
	return res, nil
}

// readParagraphs returns every non-empty trimmed line of every .txt file,
// tabs and control characters replaced by spaces (the TSV of Sphinx).
func readParagraphs(corpus string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimFunc(line, unicode.IsSpace)
			if line == "" {
				continue
			}
			out = append(out, strings.Map(func(r rune) rune {
				if unicode.IsControl(r) {
					return ' '
				}
				return r
			}, line))
		}
	}
	return out, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(port int, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on port %d after %s", port, d)
}

// rss is a process's resident set in bytes (VmRSS), 0 when unknown.
func rss(pid int) int64 {
	return procStatus(pid, "VmRSS:")
}

// peakRSS is a process's peak resident set (VmHWM).
func peakRSS(pid int) int64 {
	return procStatus(pid, "VmHWM:")
}

func procStatus(pid int, key string) int64 {
	if pid <= 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".tsv") && !strings.HasSuffix(p, ".log") {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, (len(ds)*p+99)/100-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ---- Groonga ----

type groonga struct {
	dir     string
	port    int
	cmd     *exec.Cmd
	base    string
	http    *http.Client
	noCache bool
}

// setCache turns Groonga's query cache on (its default) or off (cache=no
// on each select).
func (g *groonga) setCache(on bool) { g.noCache = !on }

func (g *groonga) version() string {
	out, _ := exec.Command("groonga", "--version").Output()
	return strings.TrimSpace(strings.SplitN(string(out), "[", 2)[0])
}

func (g *groonga) serverPID() int {
	if g.cmd == nil || g.cmd.Process == nil {
		return 0
	}
	return g.cmd.Process.Pid
}

func (g *groonga) stop() {
	if g.cmd != nil && g.cmd.Process != nil {
		g.cmd.Process.Signal(syscall.SIGTERM)
		g.cmd.Wait()
	}
}

func (g *groonga) call(path string, v url.Values, body []byte) ([]byte, error) {
	u := g.base + path + "?" + v.Encode()
	var resp *http.Response
	var err error
	if body != nil {
		resp, err = g.http.Post(u, "application/json", bytes.NewReader(body))
	} else {
		resp, err = g.http.Get(u)
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("groonga %s: %s: %s", path, resp.Status, data)
	}
	return data, nil
}

func (g *groonga) build(paras []string, res *result) error {
	db := filepath.Join(g.dir, "db")
	if out, err := exec.Command("groonga", "-n", db, "status").CombinedOutput(); err != nil {
		return fmt.Errorf("groonga -n: %v: %s", err, out)
	}
	var err error
	if g.port, err = freePort(); err != nil {
		return err
	}
	g.cmd = exec.Command("groonga", "-s", "--protocol", "http", "--port", strconv.Itoa(g.port), "--bind-address", "127.0.0.1", db)
	g.cmd.Stdout, g.cmd.Stderr = os.Stderr, os.Stderr
	if err := g.cmd.Start(); err != nil {
		return err
	}
	if err := waitPort(g.port, 30*time.Second); err != nil {
		return err
	}
	g.base = "http://127.0.0.1:" + strconv.Itoa(g.port)
	g.http = &http.Client{Timeout: 10 * time.Minute}
	for _, c := range []url.Values{
		{"name": {"Paras"}, "flags": {"TABLE_NO_KEY"}},
	} {
		if _, err := g.call("/d/table_create", c, nil); err != nil {
			return err
		}
	}
	if _, err := g.call("/d/column_create", url.Values{"table": {"Paras"}, "name": {"text"}, "flags": {"COLUMN_SCALAR"}, "type": {"LongText"}}, nil); err != nil {
		return err
	}
	for i := 0; i < len(paras); i += 10000 {
		var buf bytes.Buffer
		buf.WriteByte('[')
		for j, p := range paras[i:min(len(paras), i+10000)] {
			if j > 0 {
				buf.WriteByte(',')
			}
			b, _ := json.Marshal(map[string]string{"text": p})
			buf.Write(b)
		}
		buf.WriteByte(']')
		if _, err := g.call("/d/load", url.Values{"table": {"Paras"}}, buf.Bytes()); err != nil {
			return err
		}
	}
	// The index after the load: Groonga builds it statically, faster.
	if _, err := g.call("/d/table_create", url.Values{"name": {"Terms"}, "flags": {"TABLE_PAT_KEY"}, "key_type": {"ShortText"},
		"default_tokenizer": {"TokenBigram"}, "normalizer": {"NormalizerAuto"}}, nil); err != nil {
		return err
	}
	if _, err := g.call("/d/column_create", url.Values{"table": {"Terms"}, "name": {"paras_text"},
		"flags": {"COLUMN_INDEX|WITH_POSITION"}, "type": {"Paras"}, "source": {"text"}}, nil); err != nil {
		return err
	}
	res.BuildPeakRSS = peakRSS(g.serverPID())
	return nil
}

func (g *groonga) search(q string) (int64, int, error) {
	v := url.Values{"table": {"Paras"}, "match_columns": {"text"},
		"query":          {`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(q) + `"`},
		"output_columns": {"_id,_score,text"}, "sort_keys": {"-_score"}, "limit": {"10"}}
	if g.noCache {
		v.Set("cache", "no")
	}
	data, err := g.call("/d/select", v, nil)
	if err != nil {
		return 0, 0, err
	}
	// [[status, start, elapsed], [[[total], [columns…], row, row…]]]
	var body []json.RawMessage
	if err := json.Unmarshal(data, &body); err != nil || len(body) < 2 {
		return 0, 0, fmt.Errorf("groonga select: %s", data)
	}
	var sets [][]json.RawMessage
	if err := json.Unmarshal(body[1], &sets); err != nil || len(sets) == 0 || len(sets[0]) < 2 {
		return 0, 0, fmt.Errorf("groonga select: %s", data)
	}
	var total []int64
	if err := json.Unmarshal(sets[0][0], &total); err != nil || len(total) == 0 {
		return 0, 0, fmt.Errorf("groonga select: %s", data)
	}
	return total[0], len(sets[0]) - 2, nil
}

// ---- Sphinx ----

type sphinx struct {
	dir  string
	cmd  *exec.Cmd
	db   *sql.DB
	conn *sql.Conn
}

func (s *sphinx) version() string {
	out, _ := exec.Command("searchd", "--help").CombinedOutput()
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

func (s *sphinx) serverPID() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func (s *sphinx) stop() {
	if s.conn != nil {
		s.conn.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
	}
}

const sphinxConf = `source paras
{
	type = tsvpipe
	tsvpipe_command = cat {{DIR}}/paras.tsv
	tsvpipe_field_string = text
}

index paras
{
	source = paras
	path = {{DIR}}/paras
	ngram_len = 1
	ngram_chars = U+3000..U+2FA1F
	charset_table = 0..9, A..Z->a..z, _, a..z, U+FF10..U+FF19->0..9, U+FF21..U+FF3A->a..z, U+FF41..U+FF5A->a..z
	min_word_len = 1
}

indexer
{
	mem_limit = 512M
}

searchd
{
	listen = 127.0.0.1:{{PORT}}:mysql41
	log = {{DIR}}/searchd.log
	query_log = {{DIR}}/query.log
	pid_file = {{DIR}}/searchd.pid
	binlog_path =
	workers = threads
}
`

func (s *sphinx) build(paras []string, res *result) error {
	tsv := filepath.Join(s.dir, "paras.tsv")
	f, err := os.Create(tsv)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i, p := range paras {
		fmt.Fprintf(w, "%d\t%s\n", i+1, p)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	f.Close()
	port, err := freePort()
	if err != nil {
		return err
	}
	conf := filepath.Join(s.dir, "sphinx.conf")
	text := strings.NewReplacer("{{DIR}}", s.dir, "{{PORT}}", strconv.Itoa(port)).Replace(sphinxConf)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return err
	}
	ix := exec.Command("indexer", "--config", conf, "--all")
	var out bytes.Buffer
	ix.Stdout, ix.Stderr = &out, &out
	if err := ix.Run(); err != nil {
		return fmt.Errorf("sphinx indexer: %v: %s", err, out.String())
	}
	if ru, ok := ix.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.BuildPeakRSS = ru.Maxrss * 1024
	}
	s.cmd = exec.Command("searchd", "--config", conf, "--nodetach")
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, os.Stderr
	if err := s.cmd.Start(); err != nil {
		return err
	}
	if err := waitPort(port, 60*time.Second); err != nil {
		return err
	}
	if s.db, err = sql.Open("mysql", fmt.Sprintf("tcp(127.0.0.1:%d)/?interpolateParams=true", port)); err != nil {
		return err
	}
	s.db.SetMaxOpenConns(1)
	s.conn, err = s.db.Conn(context.Background())
	return err
}

// sphinxEscape escapes the query syntax characters of SphinxQL MATCH.
var sphinxEscape = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, `|`, `\|`, `-`, `\-`, `!`, `\!`, `@`, `\@`,
	`~`, `\~`, `"`, `\"`, `&`, `\&`, `/`, `\/`, `^`, `\^`, `$`, `\$`, `=`, `\=`, `<`, `\<`, `'`, `\'`)

func (s *sphinx) search(q string) (int64, int, error) {
	ctx := context.Background()
	rows, err := s.conn.QueryContext(ctx, "SELECT id, text FROM paras WHERE MATCH(?) LIMIT 10 OPTION max_matches=10", `"`+sphinxEscape.Replace(q)+`"`)
	if err != nil {
		return 0, 0, err
	}
	top := 0
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return 0, 0, err
		}
		top++
	}
	rows.Close()
	meta, err := s.conn.QueryContext(ctx, "SHOW META")
	if err != nil {
		return 0, 0, err
	}
	defer meta.Close()
	var total int64 = -1
	for meta.Next() {
		var k, v string
		if err := meta.Scan(&k, &v); err != nil {
			return 0, 0, err
		}
		if k == "total_found" {
			total, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if total < 0 {
		return 0, 0, errors.New("sphinx: no total_found in SHOW META")
	}
	return total, top, nil
}
