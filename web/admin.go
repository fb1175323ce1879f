package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/indexer/fetch"
	"reportsearch/indexer/history"
	"reportsearch/indexer/watch"
	"reportsearch/search"
)

// Admin: staff upload reports, delete them and rebuild the index.
//
//	POST   /api/documents        multipart: files + optional metadata → indexer.Summary
//	DELETE /api/documents/{id}   delete a report (and its uploaded file)
//	POST   /api/reindex          re-index every report from its file → indexer.Summary
//	GET    /admin                the admin page (login form, upload, list, rebuild)
//	POST   /admin/login, /admin/logout, /admin/upload, /admin/delete, /admin/reindex
//
// The API takes `Authorization: Bearer TOKEN` (401 without it, 403 with a
// wrong one); the page a login form that trades the token for a session
// cookie (HttpOnly, SameSite=Strict, a random id held in memory) and a
// per-session CSRF token that every admin form posts back. With no token
// configured, every admin endpoint answers 403: admin is disabled, never
// open. All writes go through the server's one Writer.

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
	// sessionTTL is how long an admin session lasts.
	sessionTTL = 12 * time.Hour
	// maxSessions bounds the sessions held in memory.
	maxSessions   = 100
	sessionCookie = "reportsearch_admin"
)

// AdminConfig configures the admin endpoints (see WithAdmin).
type AdminConfig struct {
	// Writer is the server's one writer; nil disables admin.
	Writer *Writer
	// Token is the admin token; "" disables admin.
	Token string
	// UploadsDir keeps the uploaded files (created on first upload).
	UploadsDir string
	// MaxFileBytes bounds each uploaded file, MaxRequestBytes a whole
	// upload; 0 means DefaultMaxFileBytes and DefaultMaxRequestBytes.
	MaxFileBytes, MaxRequestBytes int64
	// Builtin lists the sources of reports that have no file on disk (the
	// bundled sample), so that a rebuild can re-read them too.
	Builtin func() ([]indexer.Source, error)
	// Reconciled is what ReconcileUploads did when the server started,
	// shown on the admin page.
	Reconciled *UploadsReport
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
	uploads   *uploadsDir

	mu       sync.Mutex
	sessions map[string]*session
	// reindex is the background reindex --changed-rules (see staff.go).
	reindex reindexState
}

type session struct {
	csrf    string
	expires time.Time
	// last is the result of the last action, shown once on the page.
	last *adminResult
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
	return &admin{cfg: cfg, tokenHash: sha256.Sum256([]byte(cfg.Token)), sessions: map[string]*session{},
		uploads: &uploadsDir{dir: cfg.UploadsDir, w: cfg.Writer}}
}

func (a *admin) enabled() bool {
	return a.cfg.Token != "" && a.cfg.Writer != nil && a.cfg.UploadsDir != ""
}

// errAdminDisabled answers every admin request of a server started
// without a token.
var errAdminDisabled = echo.NewHTTPError(http.StatusForbidden,
	"admin is disabled: start `reportsearch serve` with --admin-token TOKEN or the REPORTSEARCH_ADMIN_TOKEN environment variable to enable it")

// errWrongToken answers a wrong bearer token.
var errWrongToken = echo.NewHTTPError(http.StatusForbidden, "wrong admin token")

// tokenOK compares in constant time (hashes first, so that not even the
// token's length leaks).
func (a *admin) tokenOK(got string) bool {
	h := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(h[:], a.tokenHash[:]) == 1
}

func (a *admin) registerAPI(e *echo.Echo) {
	e.POST("/api/documents", a.apiUpload, a.bearer)
	e.DELETE("/api/documents/:id", a.apiDelete, a.bearer)
	e.POST("/api/reindex", a.apiReindex, a.bearer)
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

// bearer authorises the admin API: 403 when admin is disabled, 401
// without a bearer token, 403 with a wrong one.
func (a *admin) bearer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !a.enabled() {
			return errAdminDisabled
		}
		got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || got == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="reportsearch admin"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "missing admin token: send Authorization: Bearer TOKEN")
		}
		ip := c.RealIP()
		if d := a.srv.logins.wait(ip); d > 0 {
			return tooManyAttempts(c, d)
		}
		if !a.tokenOK(got) {
			a.srv.logins.fail(ip, "admin API")
			return errWrongToken
		}
		a.srv.logins.succeed(ip)
		return next(c)
	}
}

func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// sameOrigin refuses admin form posts from other sites (on top of the
// SameSite cookie and the CSRF token): a browser says where a request
// comes from in Origin and Sec-Fetch-Site.
func (a *admin) sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site admin request refused")
		}
		if o := r.Header.Get(echo.HeaderOrigin); o != "" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				return echo.NewHTTPError(http.StatusForbidden, "cross-origin admin request refused")
			}
		}
		return next(c)
	}
}

// API handlers.

func (a *admin) apiUpload(c echo.Context) error {
	up, err := a.receive(c)
	if err != nil {
		return err
	}
	defer up.cleanup(a)
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
	sum, err := a.rebuild(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// Uploads.

type upload struct {
	batch  string // its staging folder
	files  []savedFile
	fields map[string]string
	// keep: the upload is committed, its staging folder is the journal
	// of a write to complete (see uploads.go), not to be removed.
	keep bool
}

type savedFile struct {
	name string // the file's name in the uploads folder
	tmp  string // where it was received
}

func (u *upload) cleanup(a *admin) {
	if u.batch != "" && !u.keep {
		a.uploads.removeBatch(u.batch)
	}
}

// uploadFields are the metadata fields an upload may carry, applied to
// every file of it (as a sidecar NAME.meta.json).
var uploadFields = []string{"title", "year", "date", "region", "level", "organization", "doc_type", "source_url"}

// receive streams a multipart upload into a staging folder of its own
// (see uploads.go): 413 for a file or a request over the limits, 400 for
// a request that is not multipart, has no file, a bad name or an unknown
// field.
func (a *admin) receive(c echo.Context) (up *upload, err error) {
	up = &upload{fields: map[string]string{}}
	defer func() {
		if err != nil {
			up.cleanup(a)
		}
	}()
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, a.cfg.MaxRequestBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, search.BadRequestf("an upload must be multipart/form-data with one or more files: %v", err)
	}
	if up.batch, err = a.uploads.newBatch(); err != nil {
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
			if field != "csrf" && field != "url" && !slices.Contains(uploadFields, field) {
				return up, search.BadRequestf("unknown form field %q: use files and %s", clip(field, 100), strings.Join(uploadFields, ", "))
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
		name, err := safeFileName(part.FileName())
		if err != nil {
			return up, err
		}
		if seen[name] {
			return up, search.BadRequestf("file %q is given twice", name)
		}
		seen[name] = true
		if len(up.files) == maxUploadFiles {
			return up, search.BadRequestf("at most %d files per upload", maxUploadFiles)
		}
		path := filepath.Join(up.batch, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return up, err
		}
		up.files = append(up.files, savedFile{name: name, tmp: path})
		n, err := io.Copy(f, io.LimitReader(part, a.cfg.MaxFileBytes+1))
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
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
	if len(up.files) == 0 && up.fields["url"] == "" {
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

// sidecarFor builds the sidecar of an upload's metadata fields, nil when
// none is set; a year that is not a year is a bad request.
func sidecarFor(fields map[string]string) (map[string]any, error) {
	side := map[string]any{}
	for _, k := range uploadFields {
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

// ingest commits a received upload: each file gets a sidecar of the
// metadata fields, the plan is written (from then on the upload completes
// even across a crash), then, holding the writer's lock, the files are
// indexed and moved into the uploads folder (see uploads.go). A file
// with the name of an earlier upload replaces it (the same report,
// updated); a file that the indexer skips is not kept, and the earlier
// one, if any, stays.
func (a *admin) ingest(c echo.Context, up *upload) (*indexer.Summary, error) {
	return a.ingestFrom(c.Request().Context(), up, history.SourceUpload)
}

// ingestFrom is ingest for a write made by source (an upload, a fetched
// address), with the context of the request.
func (a *admin) ingestFrom(ctx context.Context, up *upload, source string) (*indexer.Summary, error) {
	if up.fields["url"] != "" {
		// A web address: fetched into the upload (see staff.go).
		if err := a.fetchInto(ctx, up); err != nil {
			return nil, err
		}
		source = history.SourceAddress
	}
	side, err := sidecarFor(up.fields)
	if err != nil {
		return nil, err
	}
	p := &plan{}
	for _, f := range up.files {
		if side != nil {
			data, _ := json.MarshalIndent(side, "", "  ")
			if err := writeSynced(f.tmp+sidecarExt, data); err != nil {
				return nil, err
			}
		}
		p.Files = append(p.Files, plannedFile{Name: f.name, Sidecar: side != nil})
	}
	if err := writePlan(up.batch, p); err != nil {
		return nil, err
	}
	up.keep = true
	var sum *indexer.Summary
	err = a.cfg.Writer.locked(func(store search.Store) error {
		var err error
		sum, err = a.uploads.complete(ctx, store, up.batch, p)
		return err
	})
	a.cfg.Writer.metrics.write("upload", sum, err)
	a.cfg.Writer.record(source, sum)
	return sum, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// delete removes a report; when its file is in the uploads folder, the
// file and its sidecar go too. ErrNotFound for an unknown id.
func (a *admin) delete(id string) (*deleteResult, error) {
	res := &deleteResult{Deleted: id}
	err := a.cfg.Writer.locked(func(store search.Store) error {
		r, err := store.Report(id)
		if err != nil {
			if errors.Is(err, search.ErrNotFound) {
				return fmt.Errorf("no report %q: %w", id, search.ErrNotFound)
			}
			return err
		}
		res.Title = r.Title
		removed, err := a.uploads.deleteIDs(store, history.SourceAdmin, id)
		res.FileRemoved = removed[id]
		return err
	})
	a.cfg.Writer.metrics.write("delete", nil, err)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// missingReason is the reason given for a report whose file is gone.
const missingReason = "source file no longer exists: the report is kept as it was indexed (delete it to remove it)"

// rebuild re-indexes every report from its source, forced: the file at
// its path (or the built-in source of a bundled report), keeping its id
// and the metadata it was given (a sidecar on disk wins), inferring the
// rest again. Each batch of reports replaces the old one atomically, so
// searches keep working. A report whose file no longer exists is kept and
// listed as skipped.
func (a *admin) rebuild(c echo.Context) (*indexer.Summary, error) {
	var sum *indexer.Summary
	err := a.cfg.Writer.locked(func(store search.Store) error {
		reports, err := a.srv.index.Reports()
		if err != nil {
			return err
		}
		srcs, missing, err := sourcesOf(reports, a.cfg.Builtin)
		if err != nil {
			return err
		}
		// Finish a started rebuild even if the client goes away.
		ctx := c.Request().Context()
		sum, err = indexer.Run(context.WithoutCancel(ctx), store, srcs, indexer.Options{Force: true})
		if sum != nil {
			sum.Files = append(sum.Files, missing...)
			sum.Skipped += len(missing)
		}
		return err
	})
	a.cfg.Writer.metrics.write("reindex", sum, err)
	a.cfg.Writer.record(history.SourceRebuild, sum)
	return sum, err
}

// givenMetadata is the metadata a report was given (the fields that were
// not inferred), completed by its sidecar on disk, with its id, so that a
// rebuild keeps the report's identity and its manifest metadata.
func givenMetadata(r *search.Report, side *indexer.ManifestEntry) *indexer.ManifestEntry {
	inferred := func(f string) bool { return slices.Contains(r.Inferred, f) }
	m := &indexer.ManifestEntry{Path: filepath.Base(r.Path), Date: r.Date, SourceURL: r.SourceURL}
	pick := func(f string, v string) string {
		if inferred(f) {
			return ""
		}
		return v
	}
	m.Title = pick("title", r.Title)
	m.Region = pick("region", r.Region)
	m.Level = pick("level", r.Level)
	m.Organization = pick("organization", r.Organization)
	m.DocType = pick("doc_type", r.DocType)
	if !inferred("year") {
		m.Year = r.Year
	}
	if side != nil {
		m = indexer.MergeEntry(m, side)
	}
	m.ID = r.ID
	return m
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
	Reconciled *UploadsReport
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

// current returns the request's session, if it has a live one.
func (a *admin) current(c echo.Context) (string, *session) {
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return "", nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sessions[ck.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(a.sessions, ck.Value)
		return "", nil
	}
	return ck.Value, s
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

func (a *admin) login(c echo.Context) error {
	p := a.newPage()
	if p.Disabled {
		return a.srv.render(c, http.StatusForbidden, "admin.html", p)
	}
	ip := c.RealIP()
	if d := a.srv.logins.wait(ip); d > 0 {
		c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds(d), 10))
		p.Error = fmt.Sprintf("令牌错误次数过多，请 %d 秒后再试。", seconds(d))
		return a.srv.render(c, http.StatusTooManyRequests, "admin.html", p)
	}
	if !a.tokenOK(c.FormValue("token")) {
		if d := a.srv.logins.fail(ip, "admin login"); d > 0 {
			c.Response().Header().Set("Retry-After", strconv.FormatInt(seconds(d), 10))
			p.Error = fmt.Sprintf("令牌不正确。错误次数过多，请 %d 秒后再试。", seconds(d))
		} else {
			p.Error = "令牌不正确。"
		}
		return a.srv.render(c, http.StatusForbidden, "admin.html", p)
	}
	a.srv.logins.succeed(ip)
	logOf(c, a.srv.log).Info("admin logged in", "client", ip)
	id, s := randomHex(32), &session{csrf: randomHex(32), expires: time.Now().Add(sessionTTL)}
	a.mu.Lock()
	now := time.Now()
	for k, old := range a.sessions {
		if now.After(old.expires) {
			delete(a.sessions, k)
		}
	}
	for len(a.sessions) >= maxSessions {
		var oldest string
		for k, old := range a.sessions {
			if oldest == "" || old.expires.Before(a.sessions[oldest].expires) {
				oldest = k
			}
		}
		delete(a.sessions, oldest)
	}
	a.sessions[id] = s
	a.mu.Unlock()
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.IsTLS(), MaxAge: int(sessionTTL.Seconds())})
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// authorized checks an admin form post: admin enabled, a live session,
// and the session's CSRF token in the form.
func (a *admin) authorized(c echo.Context, csrf string) (string, *session, error) {
	if !a.enabled() {
		return "", nil, errAdminDisabled
	}
	id, s := a.current(c)
	if s == nil {
		return "", nil, echo.NewHTTPError(http.StatusUnauthorized, "not logged in (or the session expired): log in at /admin")
	}
	if subtle.ConstantTimeCompare([]byte(csrf), []byte(s.csrf)) != 1 {
		return "", nil, echo.NewHTTPError(http.StatusForbidden, "missing or wrong CSRF token: reload the admin page and try again")
	}
	return id, s, nil
}

func (a *admin) finish(c echo.Context, s *session, r *adminResult) error {
	a.mu.Lock()
	s.last = r
	a.mu.Unlock()
	return c.Redirect(http.StatusSeeOther, "/admin#result")
}

func (a *admin) logout(c echo.Context) error {
	id, _, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	a.mu.Lock()
	delete(a.sessions, id)
	a.mu.Unlock()
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.IsTLS(), MaxAge: -1})
	return c.Redirect(http.StatusSeeOther, "/admin")
}

func (a *admin) pageUpload(c echo.Context) error {
	if _, _, err := a.authorized(c, ""); err != nil && !isCSRFError(err) {
		return err
	}
	up, err := a.receive(c)
	if err != nil {
		return err
	}
	defer up.cleanup(a)
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

// isCSRFError tells the CSRF failure of a check made before the form
// (and its token) was read.
func isCSRFError(err error) bool {
	var he *echo.HTTPError
	return errors.As(err, &he) && he.Code == http.StatusForbidden && err != errAdminDisabled
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
	sum, err := a.rebuild(c)
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
