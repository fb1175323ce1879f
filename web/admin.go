package web

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/indexer/fetch"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/indexer/watch"
	"reportsearch/search"
)

// Admin: staff upload reports, delete them and rebuild the index.
//
//	POST   /api/documents        multipart: files + optional metadata → indexer.Summary
//	DELETE /api/documents/{id}   delete a report (and its uploaded file)
//	POST   /api/reindex          re-index every report from its file → indexer.Summary
//	GET    /api/reindex          the latest full rebuild's progress → ingest.RebuildStatus
//	GET    /admin                the admin page (login form, upload, list, rebuild)
//	POST   /admin/login, /admin/logout, /admin/upload, /admin/delete, /admin/reindex
//
// The API takes `Authorization: Bearer TOKEN` (401 without it, 403 with a
// wrong one); the page a login form that trades the token for a session
// cookie (HttpOnly, SameSite=Strict, a random id held in memory) and a
// per-session CSRF token that every admin form posts back. With no token
// configured, every admin endpoint answers 403: admin is disabled, never
// open (auth.go). All writes go through the server's one ingest.Writer:
// this file translates requests into calls of package ingest (uploads,
// deletions, rebuilds) and their results into answers.

// Upload limits.
const (
	// DefaultMaxFileBytes bounds each uploaded file.
	DefaultMaxFileBytes = 50 << 20
	// DefaultMaxRequestBytes bounds a whole upload request.
	DefaultMaxRequestBytes = 200 << 20
	// maxUploadFiles bounds the files of one upload.
	maxUploadFiles = 100
	// maxFieldBytes bounds a metadata field.
	maxFieldBytes = 4 << 10
)

// AdminConfig configures the admin endpoints (see WithAdmin).
type AdminConfig struct {
	// Writer is the server's one writer; nil disables admin.
	Writer *ingest.Writer
	// Token is the admin token; "" disables admin.
	Token string
	// UploadsDir keeps the uploaded files (created on first upload).
	UploadsDir string
	// MaxFileBytes bounds each uploaded file, MaxRequestBytes a whole
	// upload; 0 means DefaultMaxFileBytes and DefaultMaxRequestBytes.
	MaxFileBytes, MaxRequestBytes int64
	// Builtin lists the sources of reports that have no file on disk (the
	// bundled sample), so that a rebuild can re-read them too.
	Builtin ingest.Builtin
	// Reconciled is what ingest.ReconcileUploads did when the server
	// started, shown on the admin page.
	Reconciled *ingest.UploadsReport
	// Watch runs the watched folders (nil: none, and none can be added).
	Watch *watch.Manager
	// Fetch bounds the reading of web addresses (MaxBytes 0: MaxFileBytes).
	Fetch fetch.Options
}

// WithAdmin enables the admin endpoints when cfg has a token and a writer.
func WithAdmin(cfg AdminConfig) Option {
	return func(s *Server) { s.admin = newAdmin(cfg) }
}

type admin struct {
	cfg       AdminConfig
	tokenHash [32]byte
	srv       *Server
	// uploads is the uploads folder (set by New, with the server's log).
	uploads *ingest.Uploads

	mu       sync.Mutex
	sessions map[string]*session
	// reindex is the background reindex --changed-rules (see staff.go).
	reindex reindexState
}

// adminResult is what an admin action did, for the page.
type adminResult struct {
	Action  string
	Summary *indexer.Summary
	Message string
}

func newAdmin(cfg AdminConfig) *admin {
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = DefaultMaxFileBytes
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if cfg.UploadsDir != "" {
		if abs, err := filepath.Abs(cfg.UploadsDir); err == nil {
			cfg.UploadsDir = abs
		}
	}
	return &admin{cfg: cfg, tokenHash: sha256.Sum256([]byte(cfg.Token)), sessions: map[string]*session{}}
}

func (a *admin) enabled() bool {
	return a.cfg.Token != "" && a.cfg.Writer != nil && a.cfg.UploadsDir != ""
}

func (a *admin) registerAPI(e *echo.Echo) {
	e.POST("/api/documents", a.apiUpload, a.bearer)
	e.DELETE("/api/documents/:id", a.apiDelete, a.bearer)
	e.POST("/api/reindex", a.apiReindex, a.bearer)
	e.GET("/api/reindex", a.apiReindexStatus, a.bearer)
	a.registerStaffAPI(e)
}

func (a *admin) registerPages(e *echo.Echo) {
	e.GET("/admin", a.page, noStore)
	e.POST("/admin/login", a.login, noStore, a.sameOrigin)
	e.POST("/admin/logout", a.logout, noStore, a.sameOrigin)
	e.POST("/admin/upload", a.pageUpload, noStore, a.sameOrigin)
	e.POST("/admin/delete", a.pageDelete, noStore, a.sameOrigin)
	e.POST("/admin/reindex", a.pageReindex, noStore, a.sameOrigin)
	a.registerThemePages(e)
	a.registerStaffPages(e)
}

// API handlers.

func (a *admin) apiUpload(c echo.Context) error {
	up, err := a.receive(c)
	if err != nil {
		return err
	}
	defer up.batch.Close()
	sum, err := a.ingest(c, up)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// deleteResult is the body of DELETE /api/documents/{id}.
type deleteResult struct {
	Deleted     string `json:"deleted"`
	Title       string `json:"title"`
	FileRemoved bool   `json:"file_removed"`
}

func (a *admin) apiDelete(c echo.Context) error {
	res, err := a.delete(c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (a *admin) apiReindex(c echo.Context) error {
	sum, err := ingest.Rebuild(c.Request().Context(), a.cfg.Writer, a.srv.index, a.cfg.Builtin)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// apiReindexStatus answers the progress of the running (or latest) full
// rebuild: POST /api/reindex answers only when it has finished.
func (a *admin) apiReindexStatus(c echo.Context) error {
	return c.JSON(http.StatusOK, a.cfg.Writer.RebuildStatus())
}

// Uploads.

// upload is a received upload: its files staged in the uploads folder,
// its form fields.
type upload struct {
	batch  *ingest.Batch
	fields map[string]string
}

// receive streams a multipart upload into a staging folder of its own
// (an ingest.Batch): 413 for a file or a request over the limits, 400 for
// a request that is not multipart, has no file, a bad name or an unknown
// field.
func (a *admin) receive(c echo.Context) (up *upload, err error) {
	up = &upload{fields: map[string]string{}}
	defer func() {
		if err != nil {
			up.batch.Close()
		}
	}()
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, a.cfg.MaxRequestBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, search.BadRequestf("an upload must be multipart/form-data with one or more files: %v", err)
	}
	if up.batch, err = a.uploads.NewBatch(); err != nil {
		return up, err
	}
	tooLarge := func(err error) bool {
		var mbe *http.MaxBytesError
		return errors.As(err, &mbe)
	}
	requestTooLarge := echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("upload is larger than %s in all", mib(a.cfg.MaxRequestBytes)))
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if tooLarge(err) {
				return up, requestTooLarge
			}
			return up, search.BadRequestf("reading the upload: %v", err)
		}
		field := part.FormName()
		if part.FileName() == "" {
			if field != "csrf" && field != "url" && !slices.Contains(ingest.UploadFields, field) {
				return up, search.BadRequestf("unknown form field %q: use files and %s", clip(field, 100), strings.Join(ingest.UploadFields, ", "))
			}
			v, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				if tooLarge(err) {
					return up, requestTooLarge
				}
				return up, search.BadRequestf("reading field %s: %v", field, err)
			}
			if len(v) > maxFieldBytes {
				return up, search.BadRequestf("field %s is too long", field)
			}
			up.fields[field] = strings.TrimSpace(string(v))
			continue
		}
		name, err := ingest.SafeFileName(part.FileName())
		if err != nil {
			return up, err
		}
		if seen[name] {
			return up, search.BadRequestf("file %q is given twice", name)
		}
		seen[name] = true
		if up.batch.Len() == maxUploadFiles {
			return up, search.BadRequestf("at most %d files per upload", maxUploadFiles)
		}
		n, err := up.batch.Add(name, part, a.cfg.MaxFileBytes)
		if err != nil {
			if tooLarge(err) {
				return up, requestTooLarge
			}
			return up, search.BadRequestf("reading %s: %v", name, err)
		}
		if n > a.cfg.MaxFileBytes {
			return up, echo.NewHTTPError(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("file %s is larger than the limit of %s per file", name, mib(a.cfg.MaxFileBytes)))
		}
	}
	if up.batch.Len() == 0 && up.fields["url"] == "" {
		return up, search.BadRequestf("no file in the upload: send one or more files (or a url field)")
	}
	return up, nil
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ingest commits a received upload (see ingest.Batch.Commit); an
// upload with a url field is the web address fetched instead of files.
func (a *admin) ingest(c echo.Context, up *upload) (*indexer.Summary, error) {
	ctx := c.Request().Context()
	source := history.SourceUpload
	if raw := up.fields["url"]; raw != "" {
		opt := a.cfg.Fetch
		if opt.MaxBytes <= 0 {
			opt.MaxBytes = a.cfg.MaxFileBytes
		}
		url, err := up.batch.Fetch(ctx, raw, opt)
		if err != nil {
			return nil, err
		}
		if up.fields["source_url"] == "" {
			up.fields["source_url"] = url
		}
		source = history.SourceAddress
	}
	return up.batch.Commit(ctx, up.fields, source)
}

// delete removes a report; when its file is in the uploads folder, the
// file and its sidecar go too. ErrNotFound for an unknown id.
func (a *admin) delete(id string) (*deleteResult, error) {
	deleted, removed, err := a.uploads.Delete(history.SourceAdmin, id)
	if len(deleted) == 0 && errors.Is(err, search.ErrNotFound) {
		return nil, fmt.Errorf("no report %q: %w", id, search.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &deleteResult{Deleted: id, Title: deleted[0].Title, FileRemoved: removed[id]}, nil
}

// The admin page.

type adminPage struct {
	page
	Disabled bool
	LoggedIn bool
	Error    string
	CSRF     string
	Last     *adminResult
	Reports  *adminReportList // admin_reports.go
	// Staff: watched folders, the history, upgrades (staff.go).
	Staff *staffView
	// Reconciled is what the start did to the uploads folder, when it did
	// anything.
	Reconciled *ingest.UploadsReport
	UploadsDir string
	MaxFile    string
	Levels     []option
	// Themes is the theme lexicon's section (admin_themes.go).
	Themes *adminThemes
}

func (a *admin) newPage() *adminPage {
	p := &adminPage{page: page{Title: "管理", Nav: "admin"}, Disabled: !a.enabled(),
		UploadsDir: a.cfg.UploadsDir, MaxFile: mib(a.cfg.MaxFileBytes)}
	for _, l := range []string{"national", "provincial", "municipal", "county", "district"} {
		p.Levels = append(p.Levels, option{Value: l, Label: levelLabel(l)})
	}
	return p
}

func (a *admin) page(c echo.Context) error {
	p := a.newPage()
	if p.Disabled {
		return a.srv.render(c, http.StatusForbidden, "admin.html", p)
	}
	_, s := a.current(c)
	if s == nil {
		return a.srv.render(c, http.StatusOK, "admin.html", p)
	}
	a.mu.Lock()
	p.LoggedIn, p.CSRF, p.Last = true, s.csrf, s.last
	if !a.cfg.Reconciled.Clean() {
		p.Reconciled = a.cfg.Reconciled
	}
	s.last = nil
	a.mu.Unlock()
	var err error
	if p.Reports, err = a.reportList(c); err != nil {
		return err
	}
	if p.Themes, err = a.themesSection(); err != nil {
		return err
	}
	if p.Staff, err = a.staffView(c); err != nil {
		return err
	}
	return a.srv.render(c, http.StatusOK, "admin.html", p)
}

// finish keeps what a form post did for the page it redirects to.
func (a *admin) finish(c echo.Context, s *session, r *adminResult) error {
	a.mu.Lock()
	s.last = r
	a.mu.Unlock()
	return c.Redirect(http.StatusSeeOther, "/admin#result")
}

func (a *admin) pageUpload(c echo.Context) error {
	if _, _, err := a.authorized(c, ""); err != nil && !isCSRFError(err) {
		return err
	}
	up, err := a.receive(c)
	if err != nil {
		return err
	}
	defer up.batch.Close()
	_, s, err := a.authorized(c, up.fields["csrf"])
	if err != nil {
		return err
	}
	sum, err := a.ingest(c, up)
	if err != nil {
		return err
	}
	return a.finish(c, s, &adminResult{Action: "上传", Summary: sum})
}

func (a *admin) pageDelete(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	res, err := a.delete(c.FormValue("id"))
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已删除报告“%s”（%s）", res.Title, res.Deleted)
	if res.FileRemoved {
		msg += "，并删除了上传的文件"
	}
	return a.finish(c, s, &adminResult{Action: "删除", Message: msg + "。"})
}

func (a *admin) pageReindex(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	sum, err := ingest.Rebuild(c.Request().Context(), a.cfg.Writer, a.srv.index, a.cfg.Builtin)
	if err != nil {
		return err
	}
	return a.finish(c, s, &adminResult{Action: "重建索引", Summary: sum})
}

// statusLabel names a file's indexing status on the page.
func statusLabel(s string) string {
	switch s {
	case indexer.StatusAdded:
		return "新增"
	case indexer.StatusUpdated:
		return "更新"
	case indexer.StatusUnchanged:
		return "未变"
	case indexer.StatusSkipped:
		return "跳过"
	}
	return s
}
