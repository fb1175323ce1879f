package indexer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"reportsearch/indexer/extract"
)

// Source is one input file.
type Source struct {
	// Path is how the file is shown to people (a file system path).
	Path string
	// Key identifies the report: the path relative to its manifest's
	// folder when a manifest describes it, else the absolute path. The
	// report id is derived from it, so indexing the same file again
	// replaces the same report.
	Key string
	// Meta is the manifest entry for the file, if any, completed by a
	// sidecar NAME.meta.json.
	Meta    *ManifestEntry
	metaErr error // a sidecar that could not be read: the file is skipped
	// read returns at most max bytes of the file; a larger file, or one
	// that must not be read, gives an *extract.SkipError.
	read func(max int64) ([]byte, error)
}

// Read returns the file's content, at most the default
// extract.Limits.MaxFileSize bytes: a larger file, or one that is not a
// regular file, gives an *extract.SkipError saying why.
func (s Source) Read() ([]byte, error) { return s.read(extract.DefaultMaxFileSize) }

// manifestNames are the manifest files looked for in an indexed folder.
var manifestNames = []string{"manifest.csv", "manifest.jsonl"}

// isManifest reports whether a file is metadata rather than a report.
func isManifest(name string) bool {
	base := path.Base(filepath.ToSlash(name))
	for _, m := range manifestNames {
		if base == m {
			return true
		}
	}
	return strings.HasSuffix(base, ".meta.json")
}

// FileSources lists the files under paths (files or folders, recursively,
// hidden files and folders skipped). manifestPath, when set, applies to
// every file; otherwise a manifest.csv or manifest.jsonl at the top of an
// indexed folder applies to the files below it.
//
// Only regular files are read. In a folder, a symbolic link to a regular
// file is followed when the file is inside the folder (and listed once,
// under the link's name only if the file itself is not listed), a link to
// a folder is not followed; a link leading outside, a broken link, a link
// loop and a device, named pipe or socket are listed as sources that are
// skipped with that reason, without opening them. A path given in paths
// may be a link to a file or folder anywhere.
func FileSources(paths []string, manifestPath string) ([]Source, error) {
	var global *Manifest
	if manifestPath != "" {
		m, err := LoadManifest(manifestPath)
		if err != nil {
			return nil, err
		}
		global = m
	}
	var out []Source
	seen := map[string]bool{} // real paths listed
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("indexer: %s: %w", p, err)
		}
		info, err := os.Stat(abs)
		if err != nil {
			if errors.Is(err, syscall.ELOOP) {
				out = append(out, skippedSource(abs, "symbolic link loop"))
				continue
			}
			return nil, fmt.Errorf("indexer: %w", err)
		}
		man := global
		if man == nil && info.IsDir() {
			for _, name := range manifestNames {
				mp := filepath.Join(abs, name)
				if _, err := os.Lstat(mp); err == nil {
					if man, err = LoadManifest(mp); err != nil {
						return nil, err
					}
					break
				}
			}
		}
		// add lists the file at path, read from real (the same file with
		// links resolved), which must still be the file described by info
		// when it is read.
		add := func(path, real string, info fs.FileInfo) {
			if seen[real] {
				return
			}
			seen[real] = true
			src := Source{Path: path, Key: path, read: func(max int64) ([]byte, error) {
				return readRegular(real, info, max)
			}}
			if man != nil {
				if rel, ok := man.relative(path); ok {
					src.Key = rel
					src.Meta = man.Entries[rel]
				}
			}
			if side, err := sidecar(path); err != nil {
				src.metaErr = err
			} else if side != nil {
				src.Meta = MergeEntry(src.Meta, side)
			}
			out = append(out, src)
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				out = append(out, skippedSource(abs, notRegular(info.Mode())))
				continue
			}
			real, err := filepath.EvalSymlinks(abs)
			if err != nil {
				real = abs
			}
			add(abs, real, info)
			continue
		}
		root, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("indexer: %w", err)
		}
		// The walk is over the folder with links resolved (so that a
		// folder given as a link is walked), files shown under abs.
		var links []string // followed after the walk, so that files come first
		err = filepath.WalkDir(root, func(real string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && real != root {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			rel, _ := filepath.Rel(root, real)
			file := filepath.Join(abs, rel)
			if d.IsDir() || isManifest(file) || isDocFile(file) {
				return nil
			}
			switch t := d.Type(); {
			case t.IsRegular():
				info, err := d.Info()
				if err != nil {
					out = append(out, skippedSource(file, "cannot read: "+err.Error()))
					return nil
				}
				add(file, real, info)
			case t&fs.ModeSymlink != 0:
				links = append(links, file)
			default:
				out = append(out, skippedSource(file, notRegular(t)))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("indexer: walking %s: %w", p, err)
		}
		for _, link := range links {
			real, info, reason := followLink(link, root)
			switch {
			case reason != "":
				out = append(out, skippedSource(link, reason))
			case info != nil && !isManifest(real) && !isDocFile(real):
				add(link, real, info)
			}
		}
	}
	return out, nil
}

// followLink resolves a symbolic link found in the folder root (a path with
// links resolved). It returns the regular file it leads to and its info,
// or the reason it is skipped, or neither for a link to a folder (not
// followed: its files inside root are listed anyway).
func followLink(link, root string) (real string, info fs.FileInfo, reason string) {
	info, err := os.Stat(link)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "", nil, "symbolic link loop"
	case errors.Is(err, fs.ErrNotExist):
		return "", nil, "broken symbolic link: its target does not exist"
	case err != nil:
		return "", nil, "cannot read: " + err.Error()
	}
	real, err = filepath.EvalSymlinks(link)
	if err != nil {
		return "", nil, "cannot read: " + err.Error()
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", nil, "symbolic link leading outside the indexed folder (not followed)"
	}
	switch {
	case info.IsDir():
		return "", nil, ""
	case !info.Mode().IsRegular():
		return "", nil, "symbolic link to " + strings.TrimPrefix(notRegular(info.Mode()), "not a regular file: ")
	}
	return real, info, ""
}

// skippedSource is a file listed only to be reported as skipped.
func skippedSource(path, reason string) Source {
	return Source{Path: path, Key: path, read: func(int64) ([]byte, error) {
		return nil, &extract.SkipError{Name: path, Reason: reason}
	}}
}

// notRegular names what a file is that is not a regular file.
func notRegular(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "not a regular file: a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "not a regular file: a socket"
	case mode&fs.ModeCharDevice != 0:
		return "not a regular file: a character device"
	case mode&fs.ModeDevice != 0:
		return "not a regular file: a block device"
	case mode&fs.ModeSymlink != 0:
		return "not a regular file: a symbolic link"
	case mode.IsDir():
		return "not a regular file: a folder"
	}
	return "not a regular file"
}

// readRegular reads at most max bytes of the regular file at path, which
// must be the file described by want (when given): a file replaced since it
// was listed, by a link or anything else, is not read. It opens without
// blocking (a named pipe put in its place cannot hang the read) and checks
// what it opened before reading. Errors that are properties of the file are
// *extract.SkipError.
func readRegular(path string, want fs.FileInfo, max int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, &extract.SkipError{Name: path, Reason: "symbolic link loop"}
		}
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !info.Mode().IsRegular():
		return nil, &extract.SkipError{Name: path, Reason: notRegular(info.Mode())}
	case want != nil && !os.SameFile(info, want):
		return nil, &extract.SkipError{Name: path, Reason: "the file was replaced while being indexed"}
	case info.Size() > max:
		return nil, extract.TooLarge(path, extract.Limits{MaxFileSize: max})
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + 512)
	// A file may grow after Stat: read one byte more than allowed.
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > max {
		return nil, extract.TooLarge(path, extract.Limits{MaxFileSize: max})
	}
	return buf.Bytes(), nil
}

// isDocFile reports files that describe a folder rather than being a
// report (a README beside a manifest).
func isDocFile(file string) bool {
	base := strings.ToLower(filepath.Base(file))
	return base == "readme.md" || base == "readme.txt" || base == "readme"
}

// FSSources lists the files of fsys (the embedded sample), keyed
// "prefix/relative/path", with the manifest at its root if present.
func FSSources(fsys fs.FS, prefix string) ([]Source, error) {
	var man *Manifest
	for _, name := range manifestNames {
		data, err := fs.ReadFile(fsys, name)
		if err == nil {
			if man, err = parseManifest(name, data, ""); err != nil {
				return nil, err
			}
			break
		}
	}
	var out []Source
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || isManifest(p) || isDocFile(p) {
			return nil
		}
		src := Source{Path: prefix + "/" + p, Key: prefix + "/" + p,
			read: func(max int64) ([]byte, error) { return readFS(fsys, p, max) }}
		if man != nil {
			src.Meta = man.Entries[p]
		}
		out = append(out, src)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// readFS reads at most max bytes of the file p of fsys.
func readFS(fsys fs.FS, p string, max int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, extract.TooLarge(p, extract.Limits{MaxFileSize: max})
	}
	return data, nil
}

// maxMetadataFile bounds a sidecar (and maxManifestFile a manifest): they
// are read whole, and are small.
const (
	maxMetadataFile = 1 << 20
	maxManifestFile = 64 << 20
)

// readMetadataFile reads a sidecar or manifest: a regular file of at most
// max bytes, else an error saying what it is.
func readMetadataFile(path string, max int64) ([]byte, error) {
	data, err := readRegular(path, nil, max)
	var skip *extract.SkipError
	if errors.As(err, &skip) {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New(skip.Reason)}
	}
	return data, err
}

// sidecar reads the metadata file beside a report: "report.docx.meta.json"
// or "report.meta.json", with the keys of a manifest entry.
func sidecar(file string) (*ManifestEntry, error) {
	for _, name := range []string{file + ".meta.json", strings.TrimSuffix(file, filepath.Ext(file)) + ".meta.json"} {
		data, err := readMetadataFile(name, maxMetadataFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("sidecar %s: %w", filepath.Base(name), err)
		}
		if _, ok := raw["path"]; !ok {
			raw["path"] = filepath.Base(file)
		}
		e, err := entryFromMap(raw)
		if err != nil {
			return nil, fmt.Errorf("sidecar %s: %w", filepath.Base(name), err)
		}
		return e, nil
	}
	return nil, nil
}

// MergeEntry fills the empty fields of base from over, over winning where
// both are set (a sidecar is more specific than a manifest).
func MergeEntry(base, over *ManifestEntry) *ManifestEntry {
	if base == nil {
		return over
	}
	m := *base
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.ID, over.ID)
	set(&m.Title, over.Title)
	set(&m.Date, over.Date)
	set(&m.Region, over.Region)
	set(&m.Level, over.Level)
	set(&m.Organization, over.Organization)
	set(&m.DocType, over.DocType)
	set(&m.SourceURL, over.SourceURL)
	if over.Year != 0 {
		m.Year = over.Year
	}
	return &m
}
