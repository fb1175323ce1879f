package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/grams"
)

// The user dictionary and the rebuild of the word field.
//
// Files in the index folder:
//
//	dict/words.txt   the dictionary staff want: one folded word a line,
//	                 lines starting with # are comments; replaced atomically.
//	generation       the name of the folder holding the served index data
//	                 (bleve and grams), e.g. "gen-000002"; without it the
//	                 data is in the index folder itself (generation 0).
//	gen-NNNNNN/      index data of a generation.
//
// Each generation records, as a bleve internal value, the dictionary its
// word field was built with (dictKey). When the words of dict/words.txt
// differ from those of the served generation, a rebuild copies every
// report — metadata and stored paragraph text, read from one snapshot of
// the served index — into the next generation's folder, its word field
// segmented with the new dictionary; passes repeat to copy what was
// written meanwhile (a report is copied again when its metadata, which
// includes its file hash and paragraph count, differs); the last pass
// runs under the writer's lock, then the generation file is replaced
// (the commit point, one rename) and the index switches its bleve index,
// grams folder and snapshot to the new generation in one step under the
// snapshot lock. Searches never wait: until the switch they read the old
// generation, after it the new one; old snapshots in use keep the old
// files open until released, then the old generation is removed.
//
// Why a whole new generation rather than rewriting the word field in
// place: bleve cannot re-analyse one field of a document, so a document
// would have to be rewritten anyway, and in place the index would serve
// a mix of old and new words for the whole rebuild (rankings changing
// report by report); a crash would leave that mix on disk. A new
// generation costs the disk space of a second index during the rebuild
// and a full re-analysis (gse dominates, as when indexing), but the swap
// is atomic and a crash at any moment leaves the old generation serving:
// the rebuild starts again when the index is next opened by the server,
// and resumes from the reports the unfinished generation already holds
// when it was being built for the same dictionary. Exact matching does
// not change at all: the grams side holds characters, not words.

var dictKey = []byte("reportsearch/user_dict")

const (
	dictDir       = "dict"
	dictFile      = "words.txt"
	generationRef = "generation"
)

var genName = regexp.MustCompile(`^gen-([0-9]{6})$`)

// dictFields are the Index's fields for the user dictionary and the
// generations; they are kept here, away from the writer's code.
type dictFields struct {
	// root is the index folder; dir (on Index) is the data folder of
	// the served generation, the same for generation 0.
	root string
	// gen is the served generation's number; genMu is held for reading
	// while a batch is prepared (it writes a grams file into dir), and
	// for writing while the generation is switched.
	genMu sync.RWMutex
	gen   int
	// words is the dictionary the word field is analysed with (nil:
	// analysis' current one).
	words *analysis.Dict
	// yieldTo is the served index a rebuild's target gives way to: its
	// searches, not the target's (which has none), pause the analysis.
	yieldTo *Index
	// retiring counts the generations switched away from and not yet
	// closed and removed (they wait for their last searches); Close
	// waits for them, so nothing writes in the folder after it returns.
	retiring sync.WaitGroup
	// recent are the last searches, run on a new generation before it is
	// switched in (warm.go).
	recent recentQueries

	dictMu sync.Mutex // the dictionary file
	rb     rebuilder
	// genBuild is held while a new generation is built (here, or by
	// another process: generation.go), one at a time.
	genBuild generationBuild
}

// rebuilder runs at most one rebuild at a time.
type rebuilder struct {
	mu     sync.Mutex
	status search.DictRebuild
	cancel context.CancelFunc
	done   chan struct{}
}

// rebuildFault, when set (tests), is called after each batch a rebuild
// copies; an error stops the rebuild there as a crash would.
var rebuildFault func(copied int) error

// rebuildBatch is how many paragraphs a rebuild copies per write.
const rebuildBatch = 4000

var _ search.Dictionary = (*Index)(nil)

// activeData returns the data folder of the index folder root: the one
// its generation file names, else root itself.
func activeData(root string) (string, int, error) {
	b, err := os.ReadFile(filepath.Join(root, generationRef))
	if errors.Is(err, os.ErrNotExist) {
		return root, 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("bleveindex: %w", err)
	}
	name := strings.TrimSpace(string(b))
	m := genName.FindStringSubmatch(name)
	if m == nil {
		return "", 0, fmt.Errorf("bleveindex: %s names %q, not a generation folder (the index is damaged)", filepath.Join(root, generationRef), name)
	}
	n, _ := strconv.Atoi(m[1])
	return filepath.Join(root, name), n, nil
}

// busy reports whether searches run on the index (or, for a rebuild's
// target, on the index it will replace).
func (ix *Index) busy() bool {
	return ix.reads.Load() > 0 || (ix.yieldTo != nil && ix.yieldTo.reads.Load() > 0)
}

// wordDict returns the dictionary the word field is analysed with: the
// index's own where it has one, else the process's current one (what the
// registered word analyzer uses).
func (ix *Index) wordDict() *analysis.Dict {
	// A served index without user words analyses as the mapping says (the
	// current dictionary is then the base one too); a rebuild's target
	// always with its own dictionary, which the served one does not use.
	if ix.words == nil || ix.yieldTo == nil && ix.words.Version() == "" {
		return analysis.Current()
	}
	return ix.words
}

// staleBatch re-prepares a batch prepared for a generation that has been
// switched out since (its grams file is in the old folder and its words
// are the old dictionary's); the caller holds writeMu.
func (ix *Index) staleBatch(p *prepared) (*prepared, error) {
	if p.gen == ix.gen {
		return p, nil
	}
	return ix.prepare(p.reports)
}

// appliedDict reads the dictionary a generation's word field was built
// with.
func appliedDict(idx bleve.Index) ([]string, error) {
	raw, err := idx.GetInternal(dictKey)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: reading the dictionary version: %w", err)
	}
	if raw == nil {
		return nil, nil
	}
	var words []string
	if err := json.Unmarshal(raw, &words); err != nil {
		return nil, fmt.Errorf("bleveindex: bad dictionary record: %w", err)
	}
	return words, nil
}

// openDict is the part of Open for the dictionary: it loads the served
// generation's dictionary (and makes it the process's current one, which
// query words are segmented with) and removes data an earlier switch of
// generations left behind.
func (ix *Index) openDict(root string, gen int) error {
	ix.root, ix.gen = root, gen
	words, err := appliedDict(ix.idx)
	if err != nil {
		return err
	}
	d, err := analysis.LoadDict(words)
	if err != nil {
		return err
	}
	ix.words = d
	analysis.Use(d)
	if gen > 0 {
		removeGen0(root)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if m := genName.FindStringSubmatch(e.Name()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n < gen {
				os.RemoveAll(filepath.Join(root, e.Name()))
			}
		}
	}
	return nil
}

// removeGen0 removes the data of generation 0 (bleve's files and the grams
// folder in the index folder itself), once another generation serves.
func removeGen0(root string) {
	for _, name := range []string{"index_meta.json", "store", gramsDir} {
		os.RemoveAll(filepath.Join(root, name))
	}
}

// wantedDict reads dict/words.txt (no file: no words).
func (ix *Index) wantedDict() ([]string, error) {
	f, err := os.Open(filepath.Join(ix.root, dictDir, dictFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	defer f.Close()
	words, err := analysis.ReadWords(f)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %s: %w", f.Name(), err)
	}
	return words, nil
}

// writeDict replaces dict/words.txt atomically.
func (ix *Index) writeDict(words []string) error {
	dir := filepath.Join(ix.root, dictDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	var b strings.Builder
	b.WriteString("# reportsearch user dictionary: one word a line (folded); changed by the admin page, the API or `reportsearch dict`\n")
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte('\n')
	}
	return writeFileAtomic(filepath.Join(dir, dictFile), []byte(b.String()))
}

// writeFileAtomic writes a file through a synced temporary file renamed
// over it, then syncs the folder.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err = tmp.Write(data); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		err = grams.SyncDir(filepath.Dir(path))
	}
	if err != nil {
		return fmt.Errorf("bleveindex: writing %s: %w", path, err)
	}
	return nil
}

// UserDict implements search.Dictionary.
func (ix *Index) UserDict() search.UserDict {
	ix.dictMu.Lock()
	words, err := ix.wantedDict()
	ix.dictMu.Unlock()
	ix.genMu.RLock()
	applied := ix.words
	ix.genMu.RUnlock()
	u := search.UserDict{Words: words, Version: analysis.DictVersion(words),
		Applied: applied.Version(), AppliedWords: len(applied.Terms()), Rebuild: ix.RebuildStatus()}
	if u.Words == nil {
		u.Words = []string{}
	}
	if err != nil && u.Rebuild.Error == "" {
		u.Rebuild.Error = err.Error()
	}
	return u
}

// ChangeUserDict implements search.Dictionary: it stores the changed
// dictionary and starts the rebuild in the background (StartRebuild).
func (ix *Index) ChangeUserDict(c search.DictChange) (search.UserDict, error) {
	if err := ix.changeDict(c); err != nil {
		return search.UserDict{}, err
	}
	ix.StartRebuild()
	return ix.UserDict(), nil
}

// SetUserDictWords stores a change of the dictionary without rebuilding
// (the CLI rebuilds in the foreground with RebuildWords).
func (ix *Index) SetUserDictWords(c search.DictChange) error { return ix.changeDict(c) }

func (ix *Index) changeDict(c search.DictChange) error {
	add, err := analysis.NormalizeWords(c.Add)
	if err != nil {
		return search.BadRequestf("%v", err)
	}
	ix.dictMu.Lock()
	defer ix.dictMu.Unlock()
	words, err := ix.wantedDict()
	if err != nil && !c.Replace {
		return err
	}
	if c.Replace {
		words = nil
	}
	words = append(words, add...)
	for _, r := range c.Remove {
		n, err := analysis.NormalizeWord(r)
		if err != nil {
			n = r
		}
		words = slices.DeleteFunc(words, func(w string) bool { return w == n })
	}
	if words, err = analysis.NormalizeWords(words); err != nil {
		return search.BadRequestf("%v", err)
	}
	return ix.writeDict(words)
}

// RebuildStatus returns the progress of the latest rebuild.
func (ix *Index) RebuildStatus() search.DictRebuild {
	ix.rb.mu.Lock()
	defer ix.rb.mu.Unlock()
	s := ix.rb.status
	if s.State == "" {
		s.State = search.RebuildIdle
	}
	return s
}

func (ix *Index) setStatus(f func(s *search.DictRebuild)) {
	ix.rb.mu.Lock()
	f(&ix.rb.status)
	ix.rb.mu.Unlock()
}

// StartRebuild starts rebuilding the word field in the background when
// the stored dictionary differs from the served one, stopping a rebuild
// for an older change first. A server calls it when it starts, so that a
// rebuild a crash interrupted runs again.
func (ix *Index) StartRebuild() {
	ix.stopRebuild()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	ix.rb.mu.Lock()
	ix.rb.cancel, ix.rb.done = cancel, done
	ix.rb.mu.Unlock()
	go func() {
		defer close(done)
		defer cancel()
		ix.RebuildWords(ctx, nil) // the outcome is in the status
	}()
}

// WaitRebuild waits for the background rebuild to end (tests, the CLI).
func (ix *Index) WaitRebuild() search.DictRebuild {
	ix.rb.mu.Lock()
	done := ix.rb.done
	ix.rb.mu.Unlock()
	if done != nil {
		<-done
	}
	return ix.RebuildStatus()
}

// stopRebuild cancels a background rebuild and waits for it to stop.
func (ix *Index) stopRebuild() {
	ix.rb.mu.Lock()
	cancel, done := ix.rb.cancel, ix.rb.done
	ix.rb.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// RebuildWords rebuilds the word field with the stored dictionary when
// it differs from the served one, and switches to it; see the top of
// this file. progress, when not nil, is called after each batch. It
// returns the final status (its error too).
func (ix *Index) RebuildWords(ctx context.Context, progress func(search.DictRebuild)) (search.DictRebuild, error) {
	ix.dictMu.Lock()
	words, err := ix.wantedDict()
	ix.dictMu.Unlock()
	ix.genMu.RLock()
	applied := ix.words.Version()
	ix.genMu.RUnlock()
	if err == nil && analysis.DictVersion(words) == applied {
		return ix.RebuildStatus(), nil // nothing to rebuild
	}
	now := time.Now()
	ix.setStatus(func(s *search.DictRebuild) {
		*s = search.DictRebuild{State: search.RebuildRunning, Version: analysis.DictVersion(words), Started: &now}
	})
	if err == nil {
		err = ix.rebuild(ctx, words, progress)
	}
	end := time.Now()
	ix.setStatus(func(s *search.DictRebuild) {
		s.Finished = &end
		s.State = search.RebuildDone
		if err != nil {
			s.State, s.Error = search.RebuildFailed, err.Error()
		}
	})
	return ix.RebuildStatus(), err
}

func (ix *Index) rebuild(ctx context.Context, words []string, progress func(search.DictRebuild)) error {
	ix.genMu.RLock()
	applied, gen := ix.words.Version(), ix.gen
	ix.genMu.RUnlock()
	if analysis.DictVersion(words) == applied {
		return nil
	}
	if err := ix.lockGeneration(ctx); err != nil {
		return err
	}
	defer ix.genBuild.mu.Unlock()
	ix.genMu.RLock()
	gen = ix.gen // a full rebuild may have switched meanwhile
	ix.genMu.RUnlock()
	d, err := analysis.LoadDict(words)
	if err != nil {
		return err
	}
	t, err := ix.openTarget(gen+1, d)
	if err != nil {
		return err
	}
	swapped := false
	defer func() {
		if !swapped {
			t.Close()
		}
	}()
	resumed := true
	report := func(f func(s *search.DictRebuild)) {
		ix.setStatus(f)
		if progress != nil {
			progress(ix.RebuildStatus())
		}
	}
	copied := 0
	// Passes without the lock until one finds nothing to copy (at most
	// a few, should writes never stop), then one under it.
	for pass := 1; ; pass++ {
		final := pass > 4
		if final {
			ix.writeMu.Lock()
		}
		n, err := ix.copyTo(ctx, t, func(done, total int) {
			report(func(s *search.DictRebuild) {
				if resumed {
					s.Resumed, resumed = done, false
				}
				s.Paragraphs, s.Total, s.Passes = done, total, pass
			})
		}, &copied)
		if err == nil && final {
			err = ix.switchTo(t, d)
			swapped = err == nil
		}
		if final {
			ix.writeMu.Unlock()
		}
		if err != nil || final {
			return err
		}
		if n == 0 {
			pass = 4 // the next pass is the final one
		}
	}
}

// openTarget opens (or creates) the folder of generation gen for a
// rebuild with d: an unfinished one built for the same dictionary is
// resumed, anything else in its place is removed first.
func (ix *Index) openTarget(gen int, d *analysis.Dict) (*Index, error) {
	dir := filepath.Join(ix.root, fmt.Sprintf("gen-%06d", gen))
	if exists(dir) {
		t, err := openData(dir, ix.rank)
		if err == nil {
			if words, err := appliedDict(t.idx); err == nil && analysis.DictVersion(words) == d.Version() {
				t.words, t.yieldTo = d, ix
				return t, nil
			}
			t.Close()
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("bleveindex: %w", err)
		}
	}
	if err := create(dir); err != nil {
		return nil, err
	}
	t, err := openData(dir, ix.rank)
	if err != nil {
		return nil, err
	}
	raw, _ := json.Marshal(d.Terms())
	if err := t.idx.SetInternal(dictKey, raw); err != nil {
		t.Close()
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	t.words, t.yieldTo = d, ix
	return t, nil
}

// openData opens one generation's data folder (no dictionary handling),
// ranking as rank (the served index's, so that the generation, once
// swapped in, ranks as before).
func openData(dir string, rank *ranker) (*Index, error) {
	idx, err := bleve.OpenUsing(dir, openConfig())
	if err != nil {
		return nil, fmt.Errorf("bleveindex: opening %s: %w", dir, err)
	}
	if v, err := idx.GetInternal(versionKey); err != nil || string(v) != MappingVersion {
		idx.Close()
		return nil, fmt.Errorf("bleveindex: %s: not an index of version %s", dir, MappingVersion)
	}
	t := &Index{idx: idx, dir: dir, rank: rank}
	t.root = dir
	if err := t.loadSnapshot(); err != nil {
		idx.Close()
		return nil, err
	}
	return t, nil
}

// copyTo copies into t every report of the served index that t does not
// hold in the same version, and deletes from t the reports the served
// index no longer has. It reports the paragraphs t holds in the current
// version after each batch, and returns how many reports it wrote.
func (ix *Index) copyTo(ctx context.Context, t *Index, progress func(done, total int), copied *int) (int, error) {
	src := ix.acquire()
	defer src.release()
	dst := t.acquire()
	var todo []*search.Report
	done := 0
	for _, r := range src.reports {
		if loc, ok := dst.byID[r.ID]; ok && sameMeta(r, dst.reports[loc.global]) {
			done += r.Paragraphs
			continue
		}
		todo = append(todo, r)
	}
	var gone []string
	for id := range dst.byID {
		if _, ok := src.byID[id]; !ok {
			gone = append(gone, id)
		}
	}
	dst.release()
	progress(done, src.paras)
	if len(gone) > 0 {
		slices.Sort(gone)
		if err := t.Delete(gone...); err != nil {
			return 0, err
		}
	}
	written := len(gone)
	for len(todo) > 0 {
		var batch []search.ReportData
		paras := 0
		for len(todo) > 0 && (paras == 0 || paras+todo[0].Paragraphs <= rebuildBatch) {
			r := todo[0]
			todo = todo[1:]
			if err := ctx.Err(); err != nil {
				return written, err
			}
			rd, err := src.reportData(r)
			if err != nil {
				return written, err
			}
			batch = append(batch, rd)
			paras += r.Paragraphs
		}
		if err := t.Put(batch...); err != nil {
			return written, err
		}
		written += len(batch)
		done += paras
		*copied += paras
		progress(done, src.paras)
		if rebuildFault != nil {
			if err := rebuildFault(*copied); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// sameMeta reports whether two versions of a report are the same: the
// metadata includes the file's hash, the rules' versions and the
// paragraph and character counts.
func sameMeta(a, b *search.Report) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// reportData reads a report's metadata and paragraphs from the snapshot.
func (s *snapshot) reportData(r *search.Report) (search.ReportData, error) {
	rd := search.ReportData{Report: *r, Paragraphs: make([]search.Paragraph, 0, r.Paragraphs)}
	for n := 1; n <= r.Paragraphs; n++ {
		f, err := s.stored(paragraphID(r.ID, n))
		if err != nil {
			return rd, err
		}
		if f == nil {
			return rd, fmt.Errorf("bleveindex: paragraph %d of %s is missing (the index is damaged: index the report again)", n, r.ID)
		}
		rd.Paragraphs = append(rd.Paragraphs, search.Paragraph{N: n, Text: f.text, Section: f.section, Heading: f.heading})
	}
	return rd, nil
}

// switchTo makes t's generation the served one; the caller holds writeMu
// and t holds exactly what ix does.
func (ix *Index) switchTo(t *Index, d *analysis.Dict) error {
	name := filepath.Base(t.dir)
	// The commit point: from here on, opening the folder opens t's data.
	if err := writeFileAtomic(filepath.Join(ix.root, generationRef), []byte(name+"\n")); err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(name, "gen-"))
	old := ix.acquire()
	oldIdx, oldDir := ix.idx, ix.dir
	ix.genMu.Lock()
	s := t.acquire()
	t.snap.release() // t's reference passes to ix
	ix.idx, ix.dir, ix.gen, ix.words = t.idx, t.dir, n, d
	ix.fileSeq.Store(t.fileSeq.Load())
	ix.install(s)
	analysis.Use(d)
	ix.genMu.Unlock()
	root := ix.root
	ix.retiring.Add(1)
	go func() {
		defer ix.retiring.Done()
		// Searches that began before the switch still read the old
		// generation; close and remove it once the last one ends.
		for old.refs.Load() > 1 {
			time.Sleep(20 * time.Millisecond)
		}
		old.release()
		oldIdx.Close()
		if oldDir == root {
			removeGen0(root)
		} else {
			os.RemoveAll(oldDir)
		}
	}()
	return nil
}
