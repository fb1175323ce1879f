package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
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
	read    func() ([]byte, error)
}

// Read returns the file's content.
func (s Source) Read() ([]byte, error) { return s.read() }

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
	seen := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("indexer: %s: %w", p, err)
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("indexer: %w", err)
		}
		man := global
		if man == nil && info.IsDir() {
			for _, name := range manifestNames {
				mp := filepath.Join(abs, name)
				if _, err := os.Stat(mp); err == nil {
					if man, err = LoadManifest(mp); err != nil {
						return nil, err
					}
					break
				}
			}
		}
		add := func(file string) {
			if seen[file] {
				return
			}
			seen[file] = true
			src := Source{Path: file, Key: file, read: func() ([]byte, error) { return os.ReadFile(file) }}
			if man != nil {
				if rel, ok := man.relative(file); ok {
					src.Key = rel
					src.Meta = man.Entries[rel]
				}
			}
			if side, err := sidecar(file); err != nil {
				src.metaErr = err
			} else if side != nil {
				src.Meta = MergeEntry(src.Meta, side)
			}
			out = append(out, src)
		}
		if !info.IsDir() {
			add(abs)
			continue
		}
		err = filepath.WalkDir(abs, func(file string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && file != abs {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || isManifest(file) || isDocFile(file) {
				return nil
			}
			add(file)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("indexer: walking %s: %w", p, err)
		}
	}
	return out, nil
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
			read: func() ([]byte, error) { return fs.ReadFile(fsys, p) }}
		if man != nil {
			src.Meta = man.Entries[p]
		}
		out = append(out, src)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// sidecar reads the metadata file beside a report: "report.docx.meta.json"
// or "report.meta.json", with the keys of a manifest entry.
func sidecar(file string) (*ManifestEntry, error) {
	for _, name := range []string{file + ".meta.json", strings.TrimSuffix(file, filepath.Ext(file)) + ".meta.json"} {
		data, err := os.ReadFile(name)
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
