package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/search"
)

// The CLI's local endpoints: a running server holds its index, so
// `reportsearch index`, `delete` and the staff commands hand their work to
// it here (authorised by the token it leaves in the index folder) instead
// of waiting for the writer's lock. The work is package ingest's.

// IngestRequest asks a running server to index files from its own disk.
// It is what `reportsearch index` sends when the server holds the index:
// one process writes an index at a time, so the CLI hands the work to the
// writer instead of waiting for the lock.
type IngestRequest struct {
	Paths    []string `json:"paths"`
	Manifest string   `json:"manifest,omitempty"`
	Force    bool     `json:"force,omitempty"`
}

// DeleteRequest asks a running server to delete reports.
type DeleteRequest struct {
	IDs []string `json:"ids"`
}

// LocalIngestConfig configures the CLI's local endpoints (see
// WithLocalIngest).
type LocalIngestConfig struct {
	// Writer is the server's one writer (the admin endpoints' too).
	Writer *ingest.Writer
	// Token authorises the requests; the server writes it into the index
	// folder, readable only by users who may write the index anyway.
	Token string
	// Roots are the folders whose files may be indexed. None: the folders
	// of the reports already in the index, and the server's working
	// directory unless it is the root of the file system. The root "/"
	// given explicitly allows everything.
	Roots []string
}

// WithLocalIngest adds POST /api/local/index and /api/local/delete,
// authorised by cfg.Token.
func WithLocalIngest(cfg LocalIngestConfig) Option {
	return func(s *Server) {
		in := &ingester{w: cfg.Writer, token: cfg.Token, srv: s}
		for _, r := range cfg.Roots {
			if abs, err := filepath.Abs(r); err == nil {
				in.roots = append(in.roots, abs)
			}
		}
		s.local = in
	}
}

// maxLocalBody bounds the body of a local request.
const maxLocalBody = 1 << 20

// ingester serves the CLI's local endpoints; its writes go through the
// server's one Writer.
type ingester struct {
	w     *ingest.Writer
	token string
	roots []string
	srv   *Server
}

func (in *ingester) register(e *echo.Echo) {
	g := e.Group("/api/local", in.srv.requireBearer(tokenRealm{name: "reportsearch local", what: "local token",
		accept:  []func(string) bool{in.tokenOK},
		missing: errLocalToken, wrong: errLocalToken,
		// A list of paths or ids: a MiB is plenty.
		maxBody: maxLocalBody}))
	g.POST("/index", in.index)
	g.POST("/delete", in.delete)
	in.registerStaff(g)
}

// errLocalToken answers a request to the local endpoints without the
// token of the index folder.
var errLocalToken = echo.NewHTTPError(http.StatusUnauthorized, "missing or wrong local token")

// allowedRoots are the folders files may be indexed from (resolved, so
// that a symbolic link cannot lead out of them).
func (in *ingester) allowedRoots() ([]string, error) {
	roots := in.roots
	if len(roots) == 0 {
		reports, err := in.srv.index.Reports()
		if err != nil {
			return nil, err
		}
		for _, r := range reports {
			if filepath.IsAbs(r.Path) {
				roots = append(roots, filepath.Dir(r.Path))
			}
		}
		if wd, err := os.Getwd(); err == nil {
			roots = append(roots, wd)
		}
		roots = slices.DeleteFunc(roots, isFSRoot)
	}
	// Watched folders are allowed too: their files are indexed anyway.
	roots = append(slices.Clone(roots), in.srv.watchedDirs()...)
	var out []string
	for _, r := range roots {
		if real, err := filepath.EvalSymlinks(r); err == nil {
			r = real
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out, nil
}

// isFSRoot reports a file system root (/, C:\), never a default root.
func isFSRoot(dir string) bool { return filepath.Dir(dir) == dir }

// checkPath refuses a path outside the allowed roots with 403. The path
// is resolved first: a link inside a root to a file outside is outside.
func (in *ingester) checkPath(p string, roots []string) error {
	abs, err := filepath.Abs(p)
	if err != nil {
		return search.BadRequestf("%s: %v", p, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return search.BadRequestf("%v", err)
	}
	if slices.ContainsFunc(roots, func(r string) bool { return ingest.Within(real, r) }) {
		return nil
	}
	return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf(
		"%s is outside the folders this server may index (%s): start `reportsearch serve` with --allow-index-root DIR to allow a folder",
		p, strings.Join(roots, ", ")))
}

func (in *ingester) index(c echo.Context) error {
	var req IngestRequest
	if err := c.Bind(&req); err != nil {
		return search.BadRequestf("bad request body: %v", err)
	}
	if len(req.Paths) == 0 {
		return search.BadRequestf("paths is empty")
	}
	roots, err := in.allowedRoots()
	if err != nil {
		return err
	}
	check := slices.Clone(req.Paths)
	if req.Manifest != "" {
		check = append(check, req.Manifest)
	}
	for _, p := range check {
		if err := in.checkPath(p, roots); err != nil {
			return err
		}
	}
	srcs, err := indexer.FileSources(req.Paths, req.Manifest)
	if err != nil {
		return search.BadRequestf("%v", err)
	}
	for _, s := range srcs {
		if err := in.checkPath(s.Path, roots); err != nil {
			return err
		}
	}
	sum, err := in.w.Index(c.Request().Context(), srcs, indexer.Options{Force: req.Force})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

func (in *ingester) delete(c echo.Context) error {
	var req DeleteRequest
	if err := c.Bind(&req); err != nil {
		return search.BadRequestf("bad request body: %v", err)
	}
	// An uploaded report goes with its file, as from the admin page.
	uploads := ingest.NewUploads(in.w, in.srv.admin.uploads.Dir(), in.srv.log)
	if _, _, err := uploads.Delete(history.SourceCLI, req.IDs...); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"deleted": len(req.IDs)})
}
