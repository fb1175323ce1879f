package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"reportsearch/indexer/extract"
	"reportsearch/search"
)

// Status of one file after indexing.
const (
	StatusAdded     = "added"
	StatusUpdated   = "updated"
	StatusUnchanged = "unchanged"
	StatusSkipped   = "skipped"
	// StatusExplained: extracted and cleaned by Explain, nothing written.
	StatusExplained = "explained"
)

// FileResult is what happened to one file.
type FileResult struct {
	Path       string   `json:"path"`
	ID         string   `json:"id,omitempty"`
	Title      string   `json:"title,omitempty"`
	Status     string   `json:"status"`
	Reason     string   `json:"reason,omitempty"`
	Paragraphs int      `json:"paragraphs,omitempty"`
	Inferred   []string `json:"inferred,omitempty"`
	// Dropped counts the lines the cleaning left out of the paragraphs,
	// by rule (the Rule constants), for a file that was cleaned.
	Dropped map[string]int `json:"dropped,omitempty"`
	// DroppedLines are those lines themselves, filled by Explain only.
	DroppedLines []DroppedLine `json:"dropped_lines,omitempty"`
	// ReplacedBytes counts the damaged bytes replaced by U+FFFD (see
	// extract.Document.ReplacedBytes).
	ReplacedBytes int `json:"replaced_bytes,omitempty"`
}

// Summary is the report of one indexing run.
type Summary struct {
	Added      int `json:"added"`
	Updated    int `json:"updated"`
	Unchanged  int `json:"unchanged"`
	Skipped    int `json:"skipped"`
	Paragraphs int `json:"paragraphs"`
	// Dropped counts the lines the cleaning dropped from the files
	// indexed (or explained) in this run, by rule.
	Dropped map[string]int `json:"dropped,omitempty"`
	Seconds float64        `json:"seconds"`
	Files   []FileResult   `json:"files"`
}

// Add adds the counts, dropped lines, time and files of another run to s
// (a command or a rebuild that makes several runs reports one summary).
func (s *Summary) Add(o *Summary) {
	s.Added += o.Added
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.Skipped += o.Skipped
	s.Paragraphs += o.Paragraphs
	for rule, n := range o.Dropped {
		if s.Dropped == nil {
			s.Dropped = map[string]int{}
		}
		s.Dropped[rule] += n
	}
	s.Seconds += o.Seconds
	s.Files = append(s.Files, o.Files...)
}

// Options tune a run.
type Options struct {
	// Force re-indexes files whose hash is unchanged.
	Force bool
	// BatchParagraphs is how many paragraphs are written per batch
	// (reports are never split across batches).
	BatchParagraphs int
	// Progress, when set, is called after each file.
	Progress func(done, total int, r FileResult)
	// Limits bound the work per file (zero fields: the defaults).
	Limits extract.Limits
}

// ReportID derives a report's id from its key.
func ReportID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// prepareWorkers is how many files are parsed at once ahead of the writer,
// and parseAhead how many parsed files may wait for it.
var prepareWorkers = min(4, runtime.NumCPU())

const parseAhead = 256

type prepared struct {
	rd *search.ReportData
	fr FileResult
}

// Run indexes sources into store. A file that cannot be used is recorded
// as skipped with its reason; only a failure of the store stops the run.
func Run(ctx context.Context, store search.Store, sources []Source, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.BatchParagraphs <= 0 {
		opt.BatchParagraphs = 20000
	}
	sum := &Summary{Files: []FileResult{}}
	defer relaxGC()()
	var pending []search.ReportData
	var pendingResults []FileResult
	pendingParas := 0
	// A store that can prepare batches (bleveindex) gets the next batch
	// prepared while the previous one commits; committing is waited for
	// before the next commit and before Run returns.
	bp, twoPhase := store.(search.BatchPreparer)
	var committing chan error
	var committingResults []FileResult
	wait := func() error {
		if committing == nil {
			return nil
		}
		err := <-committing
		committing = nil
		if err == nil {
			for _, fr := range committingResults {
				sum.add(fr)
			}
		}
		return err
	}
	defer wait()
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		batch, results := pending, pendingResults
		pending, pendingResults, pendingParas = nil, nil, 0
		if !twoPhase {
			if err := store.Put(batch...); err != nil {
				return err
			}
			for _, fr := range results {
				sum.add(fr)
			}
			return nil
		}
		p, err := bp.Prepare(batch...)
		if err != nil {
			return err
		}
		if err := wait(); err != nil {
			return err
		}
		ch := make(chan error, 1)
		committing, committingResults = ch, results
		go func() { ch <- bp.Commit(p) }()
		return nil
	}
	done := 0
	report := func(fr FileResult) {
		done++
		if opt.Progress != nil {
			opt.Progress(done, len(sources), fr)
		}
	}
	// Files are read and parsed by a few workers ahead of the writer, so
	// that parsing overlaps with the store's work on the previous batch;
	// results are taken in source order, so batches and progress do not
	// depend on timing.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Parsing runs up to parseAhead files ahead, so that it goes on
	// while the writer waits for a commit.
	futures := make(chan chan prepared, parseAhead)
	go func() {
		defer close(futures)
		sem := make(chan struct{}, prepareWorkers)
		for _, src := range sources {
			f := make(chan prepared, 1)
			select {
			case futures <- f:
			case <-ctx.Done():
				return
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				if y, ok := store.(readYielder); ok {
					y.YieldToReads()
				}
				rd, fr := prepare(ctx, store, src, opt.Force, opt.Limits)
				f <- prepared{rd, fr}
			}()
		}
	}()
	for f := range futures {
		p := <-f
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		rd, fr := p.rd, p.fr
		if rd == nil {
			sum.add(fr)
			report(fr)
			continue
		}
		pending = append(pending, *rd)
		pendingResults = append(pendingResults, fr)
		pendingParas += len(rd.Paragraphs)
		if pendingParas >= opt.BatchParagraphs || (pendingParas >= servingBatch && servesReads(store)) {
			if err := flush(); err != nil {
				return sum, err
			}
		}
		report(fr)
	}
	if err := flush(); err != nil {
		return sum, err
	}
	if err := wait(); err != nil {
		return sum, err
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

func (s *Summary) add(fr FileResult) {
	switch fr.Status {
	case StatusAdded:
		s.Added++
	case StatusUpdated:
		s.Updated++
	case StatusUnchanged:
		s.Unchanged++
	case StatusSkipped:
		s.Skipped++
	}
	if fr.Status == StatusAdded || fr.Status == StatusUpdated || fr.Status == StatusExplained {
		s.Paragraphs += fr.Paragraphs
		for rule, n := range fr.Dropped {
			if s.Dropped == nil {
				s.Dropped = map[string]int{}
			}
			s.Dropped[rule] += n
		}
	}
	s.Files = append(s.Files, fr)
}

// readYielder is a store that serves searches while it is written: the
// parsing ahead of the writer pauses (briefly, boundedly) while searches
// run, and batches are cut at servingBatch paragraphs instead of
// BatchParagraphs while they do, so that writes do not starve reads (the
// store's commit of a batch is work that cannot pause; a smaller one
// leaves the searches waiting for less).
type readYielder interface {
	YieldToReads()
	ReadsRunning() bool
}

// servingBatch is the batch size while searches run: small enough that a
// commit is tens of milliseconds, large enough that the segments it makes
// stay few (the store merges them).
const servingBatch = 1000

func servesReads(store search.Store) bool {
	y, ok := store.(readYielder)
	return ok && y.ReadsRunning()
}

// prepare reads and parses one source. It returns nil data for a file that
// is skipped or unchanged.
func prepare(ctx context.Context, store search.Store, src Source, force bool, lim extract.Limits) (*search.ReportData, FileResult) {
	lim = lim.WithDefaults()
	fr := FileResult{Path: src.Path}
	skip := func(format string, args ...any) (*search.ReportData, FileResult) {
		fr.Status, fr.Reason = StatusSkipped, fmt.Sprintf(format, args...)
		return nil, fr
	}
	if src.metaErr != nil {
		return skip("%v", src.metaErr)
	}
	data, err := src.read(lim.MaxFileSize)
	var se *extract.SkipError
	if errors.As(err, &se) {
		return skip("%s", se.Reason)
	} else if err != nil {
		return skip("cannot read: %v", err)
	}
	id := ReportID(src.Key)
	if src.Meta != nil && src.Meta.ID != "" {
		id = src.Meta.ID
	}
	fr.ID = id
	hash := contentHash(data, src.Meta)
	old, err := store.Report(id)
	if err != nil && !errors.Is(err, search.ErrNotFound) {
		return skip("index: %v", err)
	}
	if old != nil && old.Hash == hash && !force {
		fr.Status, fr.Title, fr.Paragraphs = StatusUnchanged, old.Title, old.Paragraphs
		return nil, fr
	}
	doc, cleaned, reason := extractAndClean(ctx, src.Path, data, lim)
	if reason != "" {
		return skip("%s", reason)
	}
	fr.Dropped = cleaned.DroppedCounts()
	fr.ReplacedBytes = doc.ReplacedBytes
	paras, err := limitParagraphs(cleaned.Paragraphs, lim)
	if err != nil {
		return skip("%v", err)
	}
	if len(paras) == 0 {
		return skip("%s", noTextLeft)
	}
	r := search.Report{ID: id, Path: src.Path, Hash: hash, Format: doc.Format, Encoding: doc.Encoding, OCR: doc.OCR,
		ExtractVersion: extract.Version, CleanVersion: CleanVersion}
	fillMetadata(&r, src.Meta, doc.Title, paras, src.Path)
	fr.Title, fr.Paragraphs, fr.Inferred = r.Title, len(paras), r.Inferred
	fr.Status = StatusAdded
	if old != nil {
		fr.Status = StatusUpdated
	}
	return &search.ReportData{Report: r, Paragraphs: paras}, fr
}

// noTextLeft is the reason a file whose every line is furniture is
// skipped.
const noTextLeft = "no text left after removing page furniture"

// extractAndClean extracts and cleans a file's content, or returns why it
// cannot be used.
func extractAndClean(ctx context.Context, path string, data []byte, lim extract.Limits) (*extract.Document, Cleaned, string) {
	doc, err := extract.ExtractWith(ctx, path, data, lim)
	if err != nil {
		var se *extract.SkipError
		if errors.As(err, &se) {
			return nil, Cleaned{}, se.Reason
		}
		return nil, Cleaned{}, err.Error()
	}
	return doc, Clean(docLines(doc)), ""
}

// Explain extracts and cleans sources without writing anything: for each
// file, its number of paragraphs and every line the cleaning dropped with
// its rule (index --explain), so that staff can audit a report's cleaning.
func Explain(sources []Source) *Summary {
	start := time.Now()
	sum := &Summary{Files: []FileResult{}}
	for _, src := range sources {
		fr := FileResult{Path: src.Path, Status: StatusExplained}
		data, err := src.Read()
		if err != nil {
			fr.Status, fr.Reason = StatusSkipped, fmt.Sprintf("cannot read: %v", err)
			sum.add(fr)
			continue
		}
		_, cleaned, reason := extractAndClean(context.Background(), src.Path, data, extract.DefaultLimits())
		fr.Paragraphs, fr.Dropped, fr.DroppedLines = len(cleaned.Paragraphs), cleaned.DroppedCounts(), cleaned.Dropped
		switch {
		case reason != "":
			fr.Status, fr.Reason = StatusSkipped, reason
		case len(cleaned.Paragraphs) == 0:
			fr.Status, fr.Reason = StatusSkipped, noTextLeft
		}
		sum.add(fr)
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum
}

// contentHash covers the file and the metadata given for it, so that a
// manifest change re-indexes the file.
func contentHash(data []byte, meta *ManifestEntry) string {
	h := sha256.New()
	h.Write(data)
	if meta != nil {
		m, _ := json.Marshal(meta)
		h.Write(m)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// docLines turns extracted blocks into lines for cleaning, with a blank
// line where the source had one.
func docLines(doc *extract.Document) []Line {
	lines := make([]Line, 0, len(doc.Blocks)*3/2)
	for _, b := range doc.Blocks {
		if b.AfterBlank {
			lines = append(lines, Line{})
		}
		lines = append(lines, Line{Text: b.Text, Level: b.Heading, Furniture: b.Furniture})
	}
	return lines
}

// PrintSummary writes a human-readable summary.
func PrintSummary(w io.Writer, s *Summary) {
	for _, f := range s.Files {
		if f.Status == StatusSkipped {
			fmt.Fprintf(w, "skipped %s: %s\n", f.Path, f.Reason)
		}
	}
	for _, f := range s.Files {
		if f.ReplacedBytes > 0 && (f.Status == StatusAdded || f.Status == StatusUpdated) {
			fmt.Fprintf(w, "damaged %s: %d invalid bytes replaced by U+FFFD\n", f.Path, f.ReplacedBytes)
		}
	}
	for _, f := range s.Files {
		if len(f.Inferred) > 0 && (f.Status == StatusAdded || f.Status == StatusUpdated) {
			fmt.Fprintf(w, "inferred %s for %s (%q)\n", strings.Join(f.Inferred, ", "), f.Path, f.Title)
		}
	}
	if len(s.Dropped) > 0 {
		fmt.Fprintf(w, "dropped as furniture: %s (index --explain FILE lists them)\n", formatCounts(s.Dropped))
	}
	fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d skipped; %d paragraphs in %.1fs\n",
		s.Added, s.Updated, s.Unchanged, s.Skipped, s.Paragraphs, s.Seconds)
}

// PrintExplain writes Explain's report: each file's dropped lines with
// their rule and line number.
func PrintExplain(w io.Writer, s *Summary) {
	for _, f := range s.Files {
		if f.Status == StatusSkipped {
			fmt.Fprintf(w, "skipped %s: %s\n", f.Path, f.Reason)
			if len(f.DroppedLines) == 0 {
				continue
			}
		}
		fmt.Fprintf(w, "%s: %d paragraphs, %d lines dropped", f.Path, f.Paragraphs, len(f.DroppedLines))
		if len(f.Dropped) > 0 {
			fmt.Fprintf(w, " (%s)", formatCounts(f.Dropped))
		}
		fmt.Fprintln(w)
		for _, d := range f.DroppedLines {
			text := d.Text
			if d.Rule == RuleBlank {
				text = strconv.QuoteToASCII(text)
			}
			fmt.Fprintf(w, "%6d  %-15s %s\n", d.Line, d.Rule, text)
		}
	}
	total := 0
	for _, n := range s.Dropped {
		total += n
	}
	fmt.Fprintf(w, "%d files, %d paragraphs, %d lines dropped", len(s.Files), s.Paragraphs, total)
	if total > 0 {
		fmt.Fprintf(w, " (%s)", formatCounts(s.Dropped))
	}
	fmt.Fprintln(w, "; nothing written to the index")
}

// formatCounts writes counts by rule, largest first: "widget 82,
// source-line 19".
func formatCounts(m map[string]int) string {
	rules := make([]string, 0, len(m))
	for r := range m {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if m[rules[i]] != m[rules[j]] {
			return m[rules[i]] > m[rules[j]]
		}
		return rules[i] < rules[j]
	})
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = fmt.Sprintf("%s %d", r, m[r])
	}
	return strings.Join(parts, ", ")
}

// FormatCounts writes counts by rule, largest first: "widget 82,
// source-line 19".
func FormatCounts(m map[string]int) string { return formatCounts(m) }
