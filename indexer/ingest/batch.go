package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"reportsearch/indexer"
	"reportsearch/indexer/fetch"
	"reportsearch/indexer/history"
	"reportsearch/search"
)

// Batch is one upload being staged in the uploads folder (see the top of
// uploads.go): files are added to its staging folder, then Commit writes
// the plan and completes it. Close removes what was staged unless it was
// committed (then the staging folder is the journal of a write to
// complete, not to be removed).
type Batch struct {
	u     *Uploads
	dir   string
	files []stagedFile
	keep  bool
}

type stagedFile struct {
	name string // the file's name in the uploads folder
	tmp  string // where it was received
}

// NewBatch starts staging an upload.
func (u *Uploads) NewBatch() (*Batch, error) {
	dir, err := u.newBatch()
	if err != nil {
		return nil, err
	}
	return &Batch{u: u, dir: dir}, nil
}

// Len is the number of files staged.
func (b *Batch) Len() int { return len(b.files) }

// Close removes the staged files of a batch that was not committed.
func (b *Batch) Close() {
	if b != nil && b.dir != "" && !b.keep {
		b.u.removeBatch(b.dir)
	}
}

// Add stages a file named name (a name from SafeFileName, not yet in the
// batch), copying at most limit+1 bytes of r and syncing them. It returns
// the bytes copied: more than limit means the file is over the limit (the
// caller refuses the upload). An error of r is returned as it is (the
// HTTP layer tells a request over its size by it).
func (b *Batch) Add(name string, r io.Reader, limit int64) (int64, error) {
	path := filepath.Join(b.dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	b.files = append(b.files, stagedFile{name: name, tmp: path})
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// Fetch fetches a web address into the batch, as its one file, and
// returns the address it was read from (after redirects), to be kept as
// the report's source_url. A batch with files already, an address that
// is refused or cannot be read is a bad request.
func (b *Batch) Fetch(ctx context.Context, raw string, opt fetch.Options) (string, error) {
	if len(b.files) > 0 {
		return "", search.BadRequestf("give files or a web address (url), not both")
	}
	res, err := fetch.Fetch(ctx, raw, opt)
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return "", search.BadRequestf("%v", fe)
	}
	if err != nil {
		return "", err
	}
	name, err := SafeFileName(res.Name)
	if err != nil {
		return "", err
	}
	path := filepath.Join(b.dir, name)
	if err := writeSynced(path, res.Data); err != nil {
		return "", err
	}
	b.files = append(b.files, stagedFile{name: name, tmp: path})
	return res.URL, nil
}

// UploadFields are the metadata fields an upload may carry, applied to
// every file of it (as a sidecar NAME.meta.json).
var UploadFields = []string{"title", "year", "date", "region", "level", "organization", "doc_type", "source_url"}

// sidecarFor builds the sidecar of an upload's metadata fields, nil when
// none is set; a year that is not a year is a bad request.
func sidecarFor(fields map[string]string) (map[string]any, error) {
	side := map[string]any{}
	for _, k := range UploadFields {
		v := fields[k]
		if v == "" {
			continue
		}
		if k == "year" {
			y, err := strconv.Atoi(v)
			if err != nil || y < search.MinYear || y > search.MaxYear {
				return nil, search.BadRequestf("year must be a year like 2022, not %q", v)
			}
			side[k] = y
			continue
		}
		side[k] = v
	}
	if len(side) == 0 {
		return nil, nil
	}
	return side, nil
}

// Commit commits the batch: each file gets a sidecar of the metadata
// fields (UploadFields; others are ignored), the plan is written (from
// then on the upload completes even across a crash), then, holding the
// writer's lock, the files are indexed and moved into the uploads folder.
// A file with the name of an earlier upload replaces it (the same report,
// updated); a file that the indexer skips is not kept, and the earlier
// one, if any, stays. The changes go to the history as source's.
func (b *Batch) Commit(ctx context.Context, fields map[string]string, source string) (*indexer.Summary, error) {
	side, err := sidecarFor(fields)
	if err != nil {
		return nil, err
	}
	p := &plan{}
	for _, f := range b.files {
		if side != nil {
			data, _ := json.MarshalIndent(side, "", "  ")
			if err := writeSynced(f.tmp+SidecarExt, data); err != nil {
				return nil, err
			}
		}
		p.Files = append(p.Files, plannedFile{Name: f.name, Sidecar: side != nil})
	}
	if err := writePlan(b.dir, p); err != nil {
		return nil, err
	}
	b.keep = true
	var sum *indexer.Summary
	w := b.u.w
	err = w.Locked(func(store search.Store) error {
		var err error
		sum, err = b.u.complete(ctx, store, b.dir, p)
		return err
	})
	w.Observe("upload", sum, err)
	w.Record(source, sum)
	return sum, err
}

// IngestAddress fetches a web address into the uploads folder and
// indexes it, as an upload of one file with source_url in its sidecar:
// `reportsearch index https://…` without a server, and the server's
// local endpoint. The change goes to the history as an address's.
func (u *Uploads) IngestAddress(ctx context.Context, raw string, opt fetch.Options) (*indexer.Summary, error) {
	if u.dir == "" {
		return nil, errors.New("no uploads folder to keep the fetched file in")
	}
	b, err := u.NewBatch()
	if err != nil {
		return nil, err
	}
	defer b.Close()
	url, err := b.Fetch(ctx, raw, opt)
	if err != nil {
		return nil, err
	}
	return b.Commit(ctx, map[string]string{"source_url": url}, history.SourceAddress)
}
