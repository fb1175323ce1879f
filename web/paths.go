package web

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer/ingest"
	"reportsearch/search"
)

// Where a report's file is on the server is the staff's business: paths
// shown to anonymous users (hits, groups, exports, the report list and
// the documents API) are relative to the folder the report was indexed
// from, as far as the server knows it: the longest of the folders it may
// index from (--allow-index-root), its working directory and the uploads
// folder that holds the file; a file outside them all shows as its name.
// Paths that are already relative (the bundled sample's) are kept. A
// request with the admin token or the local hand-off token (the CLI) sees
// absolute paths.

// pathShower makes paths relative for anonymous users.
type pathShower struct {
	roots []string // longest first
	// extra lists roots that change while the server runs (the watched
	// folders).
	extra func() []string
}

func newPathShower(roots ...string) *pathShower {
	p := &pathShower{}
	for _, r := range roots {
		if r == "" {
			continue
		}
		if abs, err := filepath.Abs(r); err == nil && !isFSRoot(abs) && !slices.Contains(p.roots, abs) {
			p.roots = append(p.roots, abs)
		}
	}
	slices.SortFunc(p.roots, func(a, b string) int { return len(b) - len(a) })
	return p
}

// show returns the path an anonymous user sees.
func (p *pathShower) show(path string) string {
	if !filepath.IsAbs(path) {
		return path
	}
	roots := p.roots
	if p.extra != nil {
		if extra := p.extra(); len(extra) > 0 {
			roots = append(slices.Clone(roots), extra...)
			slices.SortFunc(roots, func(a, b string) int { return len(b) - len(a) })
		}
	}
	for _, r := range roots {
		if ingest.Within(path, r) {
			if rel, err := filepath.Rel(r, path); err == nil && rel != "." {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.Base(path)
}

// showPaths reports whether the request may see absolute paths: it
// carries the admin token or the local token. A wrong token is an error
// (counted by the login rate limit), so that the public API cannot be
// used to guess tokens.
func (s *Server) showPaths(c echo.Context) (func(string) string, error) {
	got, ok := bearerToken(c)
	if !ok {
		return s.paths.show, nil
	}
	ok, err := s.checkToken(c, got, "token on a public endpoint", s.admin.tokenOK, s.local.tokenOK)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errWrongToken
	}
	return func(p string) string { return p }, nil
}

// defaultPathRoots are the folders paths are shown relative to besides
// the configured roots: the working directory and the uploads folder.
func defaultPathRoots(uploads string) []string {
	roots := []string{uploads}
	if wd, err := os.Getwd(); err == nil {
		roots = append(roots, wd)
	}
	return roots
}

// showHits rewrites the paths of a search answer.
func showHits(resp *search.Response, show func(string) string) {
	for i := range resp.Hits {
		resp.Hits[i].Path = show(resp.Hits[i].Path)
	}
	for i := range resp.Groups {
		g := &resp.Groups[i]
		g.Path = show(g.Path)
		for j := range g.Hits {
			g.Hits[j].Path = show(g.Hits[j].Path)
		}
	}
}
