package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// The uploads folder holds the files staff uploaded, each with its
// metadata in a sidecar NAME.meta.json, and nothing else: every file in it
// is a report of the index, and every report of the index whose file is
// in it has its file there.
//
// Writes keep it so across crashes with a journal. An upload is received
// into a folder of its own under .staging/ (a file and its sidecar per
// upload file), synced, then its plan (plan.json: the names, whether each
// has a sidecar) is written and synced: from then on the upload is
// committed, and completing it is redone at the next start if the server
// dies. Completing indexes the staged files as if they were already in
// place (same path, same id), then renames each file that was indexed
// into the uploads folder, its sidecar beside it (or the old sidecar
// removed when the new upload has none), and removes the staged copy of a
// file the indexer skipped, which leaves the earlier upload of that name
// as it was. Every step can be redone: indexing an unchanged file does
// nothing, a renamed file is no longer staged. A deletion writes its plan
// (the ids, the names) first too, then deletes the reports and the files.
// A staging folder without a plan is an upload that never completed: it
// is removed.
//
// At start, ReconcileUploads completes or removes what is staged, indexes
// files that have no report (left by an older version, or copied in by
// hand; one the indexer skips is removed) and lists reports whose file is
// gone; the admin page shows what it did.

// The uploads folder's layout.
const (
	// StagingDir is the folder of staged writes, inside the uploads folder.
	StagingDir = ".staging"
	// SidecarExt ends the name of a file's metadata: NAME.meta.json.
	SidecarExt = ".meta.json"
	planFile   = "plan.json"
)

// plan is what a staged write is to do.
type plan struct {
	// Files are the staged upload's files, by their name in the uploads
	// folder.
	Files []plannedFile `json:"files,omitempty"`
	// Delete are reports to delete with their files.
	Delete []plannedDelete `json:"delete,omitempty"`
}

type plannedFile struct {
	Name string `json:"name"`
	// Sidecar: the upload has metadata, a staged NAME.meta.json that
	// replaces the old one; without, the old one is removed.
	Sidecar bool `json:"sidecar,omitempty"`
}

type plannedDelete struct {
	ID string `json:"id"`
	// Name is the report's file in the uploads folder, "" for a report
	// that is not an upload.
	Name string `json:"name,omitempty"`
}

// Uploads is an uploads folder and the writer of its index.
type Uploads struct {
	dir string
	w   *Writer
	log *slog.Logger
}

// NewUploads returns the uploads folder dir ("" for none: deletions then
// delete only reports) written through w; log (nil: none) hears of a
// write left staged to be completed at the next start.
func NewUploads(w *Writer, dir string, log *slog.Logger) *Uploads {
	if dir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Uploads{dir: dir, w: w, log: log}
}

// Dir is the uploads folder, absolute ("" for none).
func (u *Uploads) Dir() string { return u.dir }

func (u *Uploads) staging() string { return filepath.Join(u.dir, StagingDir) }

// stagingMu orders creating batches with removing the staging folder:
// uploads are received concurrently, and a write that completes removes
// the staging folder when it is empty, which could happen between
// another's creating the folder and its batch in it (found by
// bench/soak). Both are quick.
var stagingMu sync.Mutex

// newBatch creates a staging folder for one write.
func (u *Uploads) newBatch() (string, error) {
	stagingMu.Lock()
	defer stagingMu.Unlock()
	if err := os.MkdirAll(u.staging(), 0o755); err != nil {
		return "", fmt.Errorf("uploads folder: %w", err)
	}
	return os.MkdirTemp(u.staging(), "batch-")
}

// removeBatch removes a completed or abandoned staging folder, and the
// staging folder itself when it is empty.
func (u *Uploads) removeBatch(batch string) {
	os.Remove(filepath.Join(batch, planFile)) // first: the plan is done
	os.RemoveAll(batch)
	stagingMu.Lock()
	os.Remove(u.staging())
	stagingMu.Unlock()
}

// writePlan writes a batch's plan durably: written to a temporary file,
// synced, renamed, the folder synced.
func writePlan(batch string, p *plan) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	tmp := filepath.Join(batch, planFile+".tmp")
	if err := writeSynced(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(batch, planFile)); err != nil {
		return err
	}
	return syncDir(batch)
}

func readPlan(batch string) (*plan, error) {
	data, err := os.ReadFile(filepath.Join(batch, planFile))
	if err != nil {
		return nil, err
	}
	var p plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(batch, planFile), err)
	}
	return &p, nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// complete carries out a committed upload plan: the caller holds the
// writer's lock. It returns the indexer's summary of the staged files.
// An error of the index leaves the plan staged (the files it reported
// indexed are moved into place), to be completed at the next start.
func (u *Uploads) complete(ctx context.Context, store search.Store, batch string, p *plan) (*indexer.Summary, error) {
	var srcs []indexer.Source
	for _, f := range p.Files {
		staged := filepath.Join(batch, f.Name)
		if !exists(staged) {
			continue // moved into place before a crash
		}
		ss, err := indexer.FileSources([]string{staged}, "")
		if err != nil || len(ss) != 1 {
			return nil, fmt.Errorf("uploads: listing %s: %v", staged, err)
		}
		// Indexed as the file it will be once in place: the same path,
		// the same id; read from the staged copy, with its sidecar.
		final := filepath.Join(u.dir, f.Name)
		ss[0].Path, ss[0].Key = final, final
		srcs = append(srcs, ss[0])
	}
	sum := &indexer.Summary{Files: []indexer.FileResult{}}
	var runErr error
	if len(srcs) > 0 {
		// A committed upload is completed even if its client goes away.
		var s *indexer.Summary
		s, runErr = indexer.Run(context.WithoutCancel(ctx), store, srcs, indexer.Options{})
		if s != nil {
			sum = s
		}
	}
	indexed := map[string]bool{}
	skipped := map[string]bool{}
	for _, fr := range sum.Files {
		if fr.Status == indexer.StatusSkipped {
			skipped[fr.Path] = true
		} else {
			indexed[fr.Path] = true
		}
	}
	for _, f := range p.Files {
		staged := filepath.Join(batch, f.Name)
		final := filepath.Join(u.dir, f.Name)
		switch {
		case !exists(staged):
			// Moved before a crash: only the sidecar may be left to do.
		case indexed[final]:
			if err := os.Rename(staged, final); err != nil {
				return sum, fmt.Errorf("uploads: %w", err)
			}
		case skipped[final]:
			// Not kept; an earlier upload of the name stays as it was.
			os.Remove(staged + SidecarExt)
			os.Remove(staged)
			continue
		default:
			continue // not reached by a failed run: left staged
		}
		if f.Sidecar {
			if exists(staged + SidecarExt) {
				if err := os.Rename(staged+SidecarExt, final+SidecarExt); err != nil {
					return sum, fmt.Errorf("uploads: %w", err)
				}
			}
		} else if err := os.Remove(final + SidecarExt); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return sum, fmt.Errorf("uploads: %w", err)
		}
	}
	if runErr != nil {
		u.log.Error("upload left staged, to be completed at the next start", "batch", batch, "err", runErr)
		return sum, runErr
	}
	if err := syncDir(u.dir); err != nil {
		return sum, err
	}
	u.removeBatch(batch)
	return sum, nil
}

// deleteReports deletes reports and, for uploads, their files, after
// writing the plan to do so: the caller holds the writer's lock.
// Unknown ids are not an error here (a redone plan meets them).
func (u *Uploads) deleteReports(store search.Store, batch string, p *plan) error {
	var ids []string
	for _, d := range p.Delete {
		ids = append(ids, d.ID)
	}
	if err := store.Delete(ids...); err != nil && !errors.Is(err, search.ErrNotFound) {
		return err
	}
	for _, d := range p.Delete {
		if d.Name == "" {
			continue
		}
		final := filepath.Join(u.dir, d.Name)
		for _, path := range []string{final, final + SidecarExt} {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("uploads: %w", err)
			}
		}
	}
	u.removeBatch(batch)
	return nil
}

// uploadName returns the name of a report's file in the uploads folder,
// "" when it is not there.
func (u *Uploads) uploadName(path string) string {
	if u == nil || u.dir == "" || !filepath.IsAbs(path) || filepath.Dir(path) != u.dir {
		return ""
	}
	return filepath.Base(path)
}

// deleteIDs deletes reports, their uploaded files too. ErrNotFound (after
// the known ones are deleted) when an id is unknown.
func (u *Uploads) deleteIDs(store search.Store, source string, ids ...string) (deleted []search.Report, removedFiles map[string]bool, err error) {
	defer func() {
		if err == nil || errors.Is(err, search.ErrNotFound) {
			u.w.RecordDeleted(source, deleted)
		}
	}()
	p := &plan{}
	var unknown []string
	removedFiles = map[string]bool{}
	for _, id := range ids {
		r, err := store.Report(id)
		if errors.Is(err, search.ErrNotFound) {
			unknown = append(unknown, id)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		deleted = append(deleted, *r)
		name := u.uploadName(r.Path)
		p.Delete = append(p.Delete, plannedDelete{ID: id, Name: name})
		if name != "" && exists(r.Path) {
			removedFiles[id] = true
		}
	}
	if len(p.Delete) > 0 {
		if u.dir == "" {
			err = store.Delete(ids...)
		} else {
			var batch string
			if batch, err = u.newBatch(); err == nil {
				if err = writePlan(batch, p); err == nil {
					err = u.deleteReports(store, batch, p)
				} else {
					u.removeBatch(batch)
				}
			}
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if len(unknown) > 0 {
		return deleted, removedFiles, fmt.Errorf("no report %s: %w", strings.Join(unknown, ", "), search.ErrNotFound)
	}
	return deleted, removedFiles, nil
}

// Delete deletes reports through the writer as the admin API does: a
// report whose file is in the uploads folder goes with its file and
// sidecar, after the plan to do so is written (a file left behind would
// be indexed again by the next server's start). It returns the reports
// deleted and, by id, those whose file was removed; ErrNotFound (after
// the known ones are deleted) for unknown ids. The deletions go to the
// history as source's.
func (u *Uploads) Delete(source string, ids ...string) (deleted []search.Report, removedFiles map[string]bool, err error) {
	err = u.w.Locked(func(store search.Store) error {
		var err error
		deleted, removedFiles, err = u.deleteIDs(store, source, ids...)
		return err
	})
	u.w.Observe("delete", nil, err)
	return deleted, removedFiles, err
}

// UploadsReport is what ReconcileUploads did, shown on the admin page.
type UploadsReport struct {
	Dir  string    `json:"dir"`
	Time time.Time `json:"time"`
	// Completed are the files of uploads (and deletions) that were
	// committed but not finished when the server stopped, now finished.
	Completed []string `json:"completed,omitempty"`
	// Discarded are staged files of uploads that never completed, and
	// temporary files, removed.
	Discarded []string `json:"discarded,omitempty"`
	// Indexed are files that had no report, now indexed; Removed those of
	// them the indexer skipped (with the reason), removed.
	Indexed []indexer.FileResult `json:"indexed,omitempty"`
	Removed []indexer.FileResult `json:"removed,omitempty"`
	// Missing are reports of the uploads folder whose file is gone: they
	// are kept as indexed (delete them to remove them).
	Missing []search.Report `json:"missing,omitempty"`
	// Err is the error that stopped the reconciliation, if any.
	Err string `json:"error,omitempty"`
}

// Clean reports whether there was nothing to do.
func (r *UploadsReport) Clean() bool {
	return r == nil || len(r.Completed)+len(r.Discarded)+len(r.Indexed)+len(r.Removed)+len(r.Missing) == 0 && r.Err == ""
}

// ReconcileUploads makes the uploads folder dir and the index agree (see
// the top of this file), through the writer w. A folder that does not
// exist has nothing to reconcile.
func ReconcileUploads(ctx context.Context, w *Writer, ix search.ReportReader, dir string, log *slog.Logger) (*UploadsReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	u := NewUploads(w, abs, log)
	rep := &UploadsReport{Dir: abs, Time: time.Now()}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return rep, nil
	}
	err = w.Locked(func(store search.Store) error { return u.reconcile(ctx, store, ix, rep) })
	if err != nil {
		rep.Err = err.Error()
	}
	reconciled := &indexer.Summary{Files: append(slices.Clone(rep.Indexed), rep.Removed...)}
	w.Observe("reconcile", reconciled, err)
	w.Record(history.SourceUpload, reconciled)
	for _, f := range rep.Completed {
		u.log.Warn("uploads: completed an interrupted write", "file", f)
	}
	for _, f := range rep.Discarded {
		u.log.Warn("uploads: removed an unfinished upload", "file", f)
	}
	for _, f := range rep.Indexed {
		u.log.Warn("uploads: indexed a file that had no report", "file", f.Path)
	}
	for _, f := range rep.Removed {
		u.log.Warn("uploads: removed a file that had no report and cannot be indexed", "file", f.Path, "reason", f.Reason)
	}
	for _, r := range rep.Missing {
		u.log.Warn("uploads: a report's file is missing", "id", r.ID, "file", r.Path)
	}
	return rep, err
}

func (u *Uploads) reconcile(ctx context.Context, store search.Store, ix search.ReportReader, rep *UploadsReport) error {
	// Staged writes: complete those with a plan, remove the others.
	batches, _ := os.ReadDir(u.staging())
	for _, b := range batches {
		batch := filepath.Join(u.staging(), b.Name())
		p, err := readPlan(batch)
		if errors.Is(err, fs.ErrNotExist) || !b.IsDir() {
			names, _ := os.ReadDir(batch)
			for _, n := range names {
				rep.Discarded = append(rep.Discarded, filepath.Join(StagingDir, b.Name(), n.Name()))
			}
			u.removeBatch(batch)
			continue
		}
		if err != nil {
			return err
		}
		if len(p.Delete) > 0 {
			for _, d := range p.Delete {
				rep.Completed = append(rep.Completed, "delete "+d.ID+" "+d.Name)
			}
			if err := u.deleteReports(store, batch, p); err != nil {
				return err
			}
			continue
		}
		for _, f := range p.Files {
			rep.Completed = append(rep.Completed, f.Name)
		}
		if _, err := u.complete(ctx, store, batch, p); err != nil {
			return err
		}
	}
	os.Remove(u.staging())
	// The folder: temporary files of older versions go; files without a
	// report are indexed.
	entries, err := os.ReadDir(u.dir)
	if err != nil {
		return err
	}
	reports, err := ix.Reports()
	if err != nil {
		return err
	}
	byPath := map[string]bool{}
	for _, r := range reports {
		byPath[r.Path] = true
	}
	var orphans []string
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(u.dir, e.Name())
		switch {
		case name == StagingDir:
		case strings.HasPrefix(name, ".upload-") || strings.HasPrefix(name, ".replaced-"):
			os.RemoveAll(path)
			rep.Discarded = append(rep.Discarded, name)
		case strings.HasSuffix(name, SidecarExt):
			if base := strings.TrimSuffix(path, SidecarExt); !exists(base) {
				os.Remove(path)
				rep.Discarded = append(rep.Discarded, name)
			}
		case strings.HasPrefix(name, ".") || !e.Type().IsRegular():
		case !byPath[path]:
			orphans = append(orphans, path)
		}
	}
	if len(orphans) > 0 {
		srcs, err := indexer.FileSources(orphans, "")
		if err != nil {
			return err
		}
		sum, err := indexer.Run(context.WithoutCancel(ctx), store, srcs, indexer.Options{})
		if sum != nil {
			for _, fr := range sum.Files {
				if fr.Status == indexer.StatusSkipped {
					os.Remove(fr.Path + SidecarExt)
					os.Remove(fr.Path)
					rep.Removed = append(rep.Removed, fr)
				} else {
					rep.Indexed = append(rep.Indexed, fr)
				}
			}
		}
		if err != nil {
			return err
		}
	}
	// Reports of the folder whose file is gone.
	reports, err = ix.Reports()
	if err != nil {
		return err
	}
	for _, r := range reports {
		if u.uploadName(r.Path) != "" && !exists(r.Path) {
			rep.Missing = append(rep.Missing, r)
		}
	}
	return nil
}

// Inconsistencies lists what breaks the invariant of an uploads folder
// given the index's reports: every file has a report at its path and
// every report of the folder its file (but for the names in missingOK),
// nothing is staged, sidecars sit beside their files. The crash and
// reconcile tests of this package and of web check it after every step;
// empty means consistent.
func Inconsistencies(uploads string, reports []search.Report, missingOK ...string) []string {
	var out []string
	byPath := map[string]bool{}
	for _, r := range reports {
		if filepath.Dir(r.Path) == uploads {
			byPath[r.Path] = true
			if !exists(r.Path) && !slices.Contains(missingOK, filepath.Base(r.Path)) {
				out = append(out, fmt.Sprintf("report %s has no file %s", r.ID, filepath.Base(r.Path)))
			}
		}
	}
	entries, _ := os.ReadDir(uploads)
	for _, e := range entries {
		path := filepath.Join(uploads, e.Name())
		switch {
		case e.Name() == StagingDir:
			out = append(out, "staging folder left")
		case strings.HasSuffix(e.Name(), SidecarExt):
			if !exists(strings.TrimSuffix(path, SidecarExt)) {
				out = append(out, fmt.Sprintf("sidecar %s without its file", e.Name()))
			}
		case !byPath[path]:
			out = append(out, fmt.Sprintf("file %s has no report", e.Name()))
		}
	}
	return out
}
