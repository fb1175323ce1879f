package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// A new generation built by another process.
//
// A full rebuild (every report re-read from its file) competes with
// searches for the CPU however its writer is throttled: bleve's persister
// and merger goroutines and the Go collector of the serving process run
// at the serving process's priority. So the rebuild runs in a child
// process at idle priority (see package ingest), writing a new generation
// folder beside the served one — the same folders, generation file and
// switch as a rebuild of the word field (dict.go) — while this process
// goes on serving the old generation:
//
//  1. BeginGeneration (here) creates the empty folder gen-NNNNNN of the
//     next generation, recording the served generation's dictionary in
//     it, and holds the index's one-new-generation-at-a-time lock (a
//     rebuild of the word field waits for it).
//  2. The child opens it with OpenGeneration, writes every report and
//     closes it (bleve's batches are durable when Put returns).
//  3. CommitGeneration (here), under the write lock: reports written to
//     the served index since step 1 (added, or replaced by a version with
//     other metadata: the metadata holds the file's hash, the rules'
//     versions and the counts) and reports the child did not write (their
//     file is gone or now skipped: kept as they were indexed, as a rebuild
//     in place keeps them) are copied from the served index, reports the
//     served index no longer has are deleted, then the generation file is
//     renamed (the commit point) and the index switches to the new
//     generation (switchTo). A report rewritten meanwhile with the same
//     metadata is the same text: the child's reading of it stands.
//
// Until the rename the served generation is untouched: a child that
// fails or is killed, or this process killed at any moment, leaves it
// serving; AbortGeneration (or the next BeginGeneration) removes the
// unfinished folder.

// generationBuild is the state of the new generation being built.
type generationBuild struct {
	// mu is held from BeginGeneration to CommitGeneration or
	// AbortGeneration, and by a rebuild of the word field.
	mu sync.Mutex
	// base is the served index's reports when the generation began, by
	// id: what the child re-reads; changes since are caught up.
	base map[string]*search.Report
}

// lockGeneration takes the one-new-generation-at-a-time lock, giving up
// when ctx is done: two new generations would have the same number.
func (ix *Index) lockGeneration(ctx context.Context) error {
	for !ix.genBuild.mu.TryLock() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// BeginGeneration creates the empty folder of the next generation, for
// another process to fill (OpenGeneration), and returns it. The caller
// must end it with CommitGeneration or AbortGeneration; until then no
// other new generation begins (it waits, or gives up when ctx is done).
func (ix *Index) BeginGeneration(ctx context.Context) (string, error) {
	if err := ix.lockGeneration(ctx); err != nil {
		return "", err
	}
	s := ix.acquire()
	base := make(map[string]*search.Report, len(s.reports))
	for _, r := range s.reports {
		base[r.ID] = r
	}
	s.release()
	ix.genBuild.base = base
	dir, err := ix.beginGeneration()
	if err != nil {
		ix.genBuild.mu.Unlock()
		return "", err
	}
	return dir, nil
}

func (ix *Index) beginGeneration() (string, error) {
	ix.genMu.RLock()
	gen, words := ix.gen, ix.words
	ix.genMu.RUnlock()
	dir := filepath.Join(ix.root, fmt.Sprintf("gen-%06d", gen+1))
	// What an earlier rebuild left there (killed, or failed before its
	// abort) is of no use: this one re-reads every file.
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("bleveindex: %w", err)
	}
	if err := create(dir); err != nil {
		return "", err
	}
	t, err := openData(dir, ix.rank)
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	raw, _ := json.Marshal(words.Terms())
	err = t.idx.SetInternal(dictKey, raw)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("bleveindex: %w", err)
	}
	return dir, nil
}

// OpenGeneration opens a folder made by BeginGeneration for writing, in
// the process that fills it: its word field is analysed with the
// dictionary recorded in it (the served generation's).
func OpenGeneration(dir string) (*Index, error) {
	if !genName.MatchString(filepath.Base(dir)) {
		return nil, fmt.Errorf("bleveindex: %s is not a generation folder", dir)
	}
	if _, err := analysis.Segmenter(); err != nil {
		return nil, err
	}
	t, err := openData(dir, newRanker(DefaultRanking()))
	if err != nil {
		return nil, err
	}
	d, err := generationDict(t)
	if err != nil {
		t.Close()
		return nil, err
	}
	t.words = d
	return t, nil
}

// generationDict loads the dictionary a generation's word field is built
// with.
func generationDict(t *Index) (*analysis.Dict, error) {
	words, err := appliedDict(t.idx)
	if err != nil {
		return nil, err
	}
	return analysis.LoadDict(words)
}

// CommitGeneration makes the generation in dir (from BeginGeneration,
// filled by another process, closed) the served one, caught up with the
// writes made since BeginGeneration; see the top of this file. A caller
// whose writes take several steps (a report and its file) keeps them out
// meanwhile; the index's write lock is held for the catching up and the
// switch. On error the served generation stays and dir is removed.
func (ix *Index) CommitGeneration(dir string) error {
	defer ix.genBuild.mu.Unlock()
	base := ix.genBuild.base
	ix.genBuild.base = nil
	err := ix.commitGeneration(dir, base)
	if err != nil {
		os.RemoveAll(dir)
	}
	return err
}

func (ix *Index) commitGeneration(dir string, base map[string]*search.Report) error {
	ix.genMu.RLock()
	want := filepath.Join(ix.root, fmt.Sprintf("gen-%06d", ix.gen+1))
	ix.genMu.RUnlock()
	if filepath.Clean(dir) != want {
		return fmt.Errorf("bleveindex: %s is not the next generation (%s)", dir, want)
	}
	t, err := openData(dir, ix.rank)
	if err != nil {
		return err
	}
	d, err := generationDict(t)
	if err == nil && d.Version() != ix.words.Version() {
		err = errors.New("bleveindex: the new generation was built with another dictionary than the served one")
	}
	if err != nil {
		t.Close()
		return err
	}
	t.words = d
	// Warmed before the write lock: writes go on meanwhile, and the few
	// segments the catching up adds are small.
	ix.warm(t)
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if err := ix.catchUp(t, base); err != nil {
		t.Close()
		return err
	}
	if err := ix.switchTo(t, d); err != nil {
		t.Close()
		return err
	}
	return nil
}

// catchUp makes t hold exactly the served index's reports: those not in
// base as they are served now (added or changed since), and those t
// lacks, are copied from the served index; those the served index lacks
// are deleted from t. The caller holds writeMu.
func (ix *Index) catchUp(t *Index, base map[string]*search.Report) error {
	src := ix.acquire()
	defer src.release()
	dst := t.acquire()
	var gone []string
	for id := range dst.byID {
		if _, ok := src.byID[id]; !ok {
			gone = append(gone, id)
		}
	}
	copyIDs := map[string]bool{}
	for id, loc := range src.byID {
		_, child := dst.byID[id]
		if b, ok := base[id]; !child || !ok || !sameMeta(b, src.reports[loc.global]) {
			copyIDs[id] = true
		}
	}
	dst.release()
	if len(gone) > 0 {
		slices.Sort(gone)
		if err := t.Delete(gone...); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(copyIDs))
	for id := range copyIDs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var batch []search.ReportData
	paras := 0
	flush := func() error {
		err := t.Put(batch...)
		batch, paras = nil, 0
		return err
	}
	for _, id := range ids {
		r := src.reports[src.byID[id].global]
		rd, err := src.reportData(r)
		if err != nil {
			return err
		}
		batch = append(batch, rd)
		if paras += r.Paragraphs; paras >= rebuildBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

// AbortGeneration removes the unfinished generation in dir (from
// BeginGeneration) and lets another begin; the served one is untouched.
func (ix *Index) AbortGeneration(dir string) {
	ix.genBuild.base = nil
	os.RemoveAll(dir)
	ix.genBuild.mu.Unlock()
}
