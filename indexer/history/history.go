// Package history keeps the log of every change to an index: each report
// added, updated, deleted or skipped, with who made the change, when, and
// why a file was skipped.
//
// # The log on disk
//
// The log is the file history.jsonl in the index folder: JSON Lines, one
// Entry per line, oldest first, appended to (O_APPEND, one write per
// batch of entries, so that lines from two writers never interleave).
// When it grows past MaxBytes it is renamed history.1.jsonl (the older
// ones shifting to history.2.jsonl …) and a new one is started; Keep
// rotated files are kept, older ones are removed. A line that cannot be
// parsed (a torn write at a crash) is ignored when reading.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"reportsearch/indexer"
)

// FileName is the log's name in the index folder.
const FileName = "history.jsonl"

// Rotation defaults.
const (
	DefaultMaxBytes = 10 << 20
	DefaultKeep     = 5
)

// Actions.
const (
	Added   = "added"
	Updated = "updated"
	Deleted = "deleted"
	Skipped = "skipped"
)

// Sources: who made a change.
const (
	SourceCLI     = "cli"     // reportsearch index / delete
	SourceUpload  = "upload"  // the admin page or API's uploads
	SourceWatcher = "watcher" // a watched folder
	SourceAddress = "address" // a web address fetched
	SourceRebuild = "rebuild" // a rebuild or reindex --changed-rules
	SourceAdmin   = "admin"   // a deletion from the admin page or API
)

// Entry is one change to the index.
type Entry struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Source string    `json:"source"`
	ID     string    `json:"id,omitempty"`
	Title  string    `json:"title,omitempty"`
	Path   string    `json:"path,omitempty"`
	Reason string    `json:"reason,omitempty"`
	// Dropped counts the lines the cleaning dropped, by rule.
	Dropped map[string]int `json:"dropped,omitempty"`
}

// Log is the history of one index. Its methods are safe for concurrent
// use; a nil *Log records nothing.
type Log struct {
	path     string
	MaxBytes int64
	Keep     int
	mu       sync.Mutex
	now      func() time.Time
}

// Open returns the log of the index in dir (created on the first entry).
func Open(dir string) *Log {
	return &Log{path: filepath.Join(dir, FileName), MaxBytes: DefaultMaxBytes, Keep: DefaultKeep, now: time.Now}
}

// Path is the current log file.
func (l *Log) Path() string { return l.path }

// Append writes entries, stamping those without a time.
func (l *Log) Append(entries ...Entry) error {
	if l == nil || len(entries) == 0 {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	now := l.now().UTC()
	for _, e := range entries {
		if e.Time.IsZero() {
			e.Time = now
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.rotate(); err != nil {
		return err
	}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	data := buf.Bytes()
	// A line torn by a crash is ended first, so that it spoils only itself.
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			data = append([]byte{'\n'}, data...)
		}
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

func (l *Log) rotated(n int) string {
	return strings.TrimSuffix(l.path, ".jsonl") + fmt.Sprintf(".%d.jsonl", n)
}

// rotate starts a new file when the current one is over MaxBytes.
func (l *Log) rotate() error {
	fi, err := os.Stat(l.path)
	if err != nil || fi.Size() < l.MaxBytes {
		return nil
	}
	keep := max(l.Keep, 0)
	os.Remove(l.rotated(keep + 1))
	if keep == 0 {
		return os.Remove(l.path)
	}
	os.Remove(l.rotated(keep))
	for n := keep - 1; n >= 1; n-- {
		if err := os.Rename(l.rotated(n), l.rotated(n+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("history: %w", err)
		}
	}
	if err := os.Rename(l.path, l.rotated(1)); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// Record appends the changes of an indexing run made by source: every
// file added, updated or skipped (unchanged files changed nothing).
func (l *Log) Record(source string, sum *indexer.Summary) error {
	if l == nil || sum == nil {
		return nil
	}
	var es []Entry
	for _, fr := range sum.Files {
		var action string
		switch fr.Status {
		case indexer.StatusAdded:
			action = Added
		case indexer.StatusUpdated:
			action = Updated
		case indexer.StatusSkipped:
			action = Skipped
		default:
			continue
		}
		es = append(es, Entry{Action: action, Source: source, ID: fr.ID, Title: fr.Title, Path: fr.Path,
			Reason: fr.Reason, Dropped: fr.Dropped})
	}
	return l.Append(es...)
}

// Query selects entries; zero fields select everything.
type Query struct {
	Action, Source string
	// Text is looked for (case-insensitively) in the id, title, path and
	// reason.
	Text string
	// Since and Until bound the time (Until excluded).
	Since, Until time.Time
	// From and Size page the answer (newest first); Size 0: all.
	From, Size int
}

func (q *Query) match(e *Entry) bool {
	switch {
	case q.Action != "" && e.Action != q.Action,
		q.Source != "" && e.Source != q.Source,
		!q.Since.IsZero() && e.Time.Before(q.Since),
		!q.Until.IsZero() && !e.Time.Before(q.Until):
		return false
	}
	if q.Text != "" {
		t := strings.ToLower(q.Text)
		return slices.ContainsFunc([]string{e.ID, e.Title, e.Path, e.Reason}, func(s string) bool {
			return strings.Contains(strings.ToLower(s), t)
		})
	}
	return true
}

// Read returns the entries q selects, newest first, and how many there
// are in all.
func (l *Log) Read(q Query) ([]Entry, int, error) {
	if l == nil {
		return nil, 0, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var all []Entry
	// Oldest file first, so that all is oldest first.
	files := []string{}
	for n := max(l.Keep, 0); n >= 1; n-- {
		files = append(files, l.rotated(n))
	}
	files = append(files, l.path)
	for _, p := range files {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("history: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			var e Entry
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue // a torn line
			}
			if q.match(&e) {
				all = append(all, e)
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("history: %s: %w", p, err)
		}
	}
	slices.Reverse(all)
	total := len(all)
	from := min(max(q.From, 0), total)
	end := total
	if q.Size > 0 {
		end = min(from+q.Size, total)
	}
	return all[from:end], total, nil
}
