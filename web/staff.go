package web

import (
	"context"
	"fmt"
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
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/indexer/watch"
	"reportsearch/search"
)

// Staff workflow: the three ways reports come in besides `index` (an
// upload, a watched folder, a web address), the history of every change,
// and re-reading the reports that older rules built.
//
//	GET  /api/history             admin or local token → {"entries": […], "total"}
//	POST /api/local/address       local token: index a web address (the CLI)
//	POST /api/local/reindex       local token: reindex --changed-rules (the CLI)
//	POST /api/documents url=…     admin: a web address instead of files
//	POST /admin/address, /admin/watch, /admin/unwatch, /admin/reindex-changed   the admin page
//
// A web address is fetched into the upload's staging folder and goes on
// as an upload does (journaled, see indexer/ingest): its bytes are kept in the
// uploads folder with source_url in the sidecar, so a rebuild never needs
// the network.

// watchedDirs are the folders the server watches.
func (s *Server) watchedDirs() []string {
	if s.admin == nil {
		return nil
	}
	return s.admin.cfg.Watch.Dirs()
}

// AddressRequest asks a running server to index a web address.
type AddressRequest struct {
	URL string `json:"url"`
}

func (in *ingester) registerStaff(g *echo.Group) {
	g.POST("/address", in.address)
	g.POST("/reindex", in.reindexChanged)
}

func (in *ingester) address(c echo.Context) error {
	var req AddressRequest
	if err := c.Bind(&req); err != nil {
		return search.BadRequestf("bad request body: %v", err)
	}
	if strings.TrimSpace(req.URL) == "" {
		return search.BadRequestf("url is empty")
	}
	a := in.srv.admin
	if a.cfg.UploadsDir == "" {
		return echo.NewHTTPError(http.StatusConflict, "this server has no uploads folder to keep the fetched file in")
	}
	opt := a.cfg.Fetch
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = a.cfg.MaxFileBytes
	}
	sum, err := ingest.NewUploads(in.w, a.cfg.UploadsDir, in.srv.log).IngestAddress(c.Request().Context(), req.URL, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

func (in *ingester) reindexChanged(c echo.Context) error {
	sum, err := ingest.ReindexChanged(c.Request().Context(), in.w, in.srv.index, in.srv.admin.cfg.Builtin)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}

// History.

// HistoryResponse is the body of GET /api/history.
type HistoryResponse struct {
	Entries []history.Entry `json:"entries"`
	Total   int             `json:"total"`
}

const (
	defaultHistorySize = 50
	maxHistorySize     = 1000
)

// HistoryQuery reads the history's filters from the API's parameters
// (for `reportsearch history` reading the log itself).
func HistoryQuery(v url.Values) (history.Query, error) { return historyQuery(v.Get) }

// historyQuery reads the filters of the history (the API's parameters;
// the page's are the same with an h_ prefix).
func historyQuery(get func(string) string) (history.Query, error) {
	q := history.Query{Action: get("action"), Source: get("source"), Text: strings.TrimSpace(get("q")), Size: defaultHistorySize}
	switch q.Action {
	case "", history.Added, history.Updated, history.Deleted, history.Skipped:
	default:
		return q, search.BadRequestf("action must be added, updated, deleted or skipped, not %q", clip(q.Action, 50))
	}
	switch q.Source {
	case "", history.SourceCLI, history.SourceUpload, history.SourceWatcher, history.SourceAddress, history.SourceRebuild, history.SourceAdmin:
	default:
		return q, search.BadRequestf("source must be cli, upload, watcher, address, rebuild or admin, not %q", clip(q.Source, 50))
	}
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"from", &q.From, 1 << 30}, {"size", &q.Size, maxHistorySize}} {
		if v := get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > p.max {
				return q, search.BadRequestf("%s must be a number from 0 to %d, not %q", p.name, p.max, clip(v, 50))
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
		day  time.Duration // added to a date: until a date is until its end
	}{{"since", &q.Since, 0}, {"until", &q.Until, 24 * time.Hour}} {
		v := get(p.name)
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*p.dst = t
		} else if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
			*p.dst = t.Add(p.day)
		} else {
			return q, search.BadRequestf("%s must be a date (2026-12-01) or a time (RFC 3339), not %q", p.name, clip(v, 50))
		}
	}
	return q, nil
}

// historyRealm lets the admin token or the local token (the CLI's
// `reportsearch history`) read the history: admin's answers otherwise.
func (a *admin) historyRealm() tokenRealm {
	r := a.adminRealm()
	r.accept = append(r.accept, a.srv.local.tokenOK)
	if a.srv.local != nil {
		r.off = nil
	}
	return r
}

func (a *admin) historyLog() *history.Log {
	if w := a.cfg.Writer; w != nil {
		return w.History()
	}
	if a.srv.local != nil && a.srv.local.w != nil {
		return a.srv.local.w.History()
	}
	return nil
}

func (a *admin) registerStaffAPI(e *echo.Echo) {
	e.GET("/api/history", a.apiHistory, a.srv.requireBearer(a.historyRealm()))
}

func (a *admin) apiHistory(c echo.Context) error {
	q, err := historyQuery(c.QueryParam)
	if err != nil {
		return err
	}
	entries, total, err := a.historyLog().Read(q)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []history.Entry{}
	}
	return c.JSON(http.StatusOK, HistoryResponse{Entries: entries, Total: total})
}

// Upgrades: reindex --changed-rules in the background.

type reindexState struct {
	mu       sync.Mutex
	running  bool
	started  time.Time
	finished time.Time
	sum      *indexer.Summary
	err      error
}

// startReindex starts re-reading the stale reports unless it runs
// already; it reports whether it started.
func (a *admin) startReindex() bool {
	st := &a.reindex
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.running {
		return false
	}
	st.running, st.started, st.sum, st.err = true, time.Now(), nil, nil
	go func() {
		sum, err := ingest.ReindexChanged(context.Background(), a.cfg.Writer, a.srv.index, a.cfg.Builtin)
		if err != nil {
			a.srv.log.Error("reindex --changed-rules", "err", err)
		}
		st.mu.Lock()
		st.running, st.finished, st.sum, st.err = false, time.Now(), sum, err
		st.mu.Unlock()
	}()
	return true
}

// The admin page's section.

// staffView is the admin page's staff section.
type staffView struct {
	CanWatch bool
	Watched  []watch.Status
	// Stale counts the reports built with older rules.
	Stale                   int
	ExtractRules, CleanRule int
	Reindexing              bool
	ReindexStarted          time.Time
	ReindexFinished         time.Time
	ReindexSummary          *indexer.Summary
	ReindexErr              string
	History                 []history.Entry
	HistoryTotal            int
	HistoryErr              string
	Filter                  map[string]string
	Prev, Next              string
	Actions, Sources        []string
}

func (a *admin) staffView(c echo.Context) (*staffView, error) {
	v := &staffView{CanWatch: a.cfg.Watch != nil, Watched: a.cfg.Watch.Status(),
		ExtractRules: indexer.ExtractVersion, CleanRule: indexer.CleanVersion,
		Actions: []string{history.Added, history.Updated, history.Deleted, history.Skipped},
		Sources: []string{history.SourceCLI, history.SourceUpload, history.SourceWatcher, history.SourceAddress, history.SourceRebuild, history.SourceAdmin},
		Filter:  map[string]string{}}
	reports, err := a.srv.index.Reports()
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		if indexer.Stale(&r) {
			v.Stale++
		}
	}
	st := &a.reindex
	st.mu.Lock()
	v.Reindexing, v.ReindexStarted, v.ReindexFinished, v.ReindexSummary = st.running, st.started, st.finished, st.sum
	if st.err != nil {
		v.ReindexErr = st.err.Error()
	}
	st.mu.Unlock()
	get := func(k string) string { return c.QueryParam("h_" + k) }
	for _, k := range []string{"action", "source", "q", "since", "until"} {
		v.Filter[k] = get(k)
	}
	q, err := historyQuery(get)
	if err != nil {
		v.HistoryErr = userMessage(err)
		return v, nil
	}
	q.Size = defaultHistorySize
	if v.History, v.HistoryTotal, err = a.historyLog().Read(q); err != nil {
		v.HistoryErr = err.Error()
	}
	link := func(from int) string {
		vals := url.Values{}
		for k, val := range v.Filter {
			if val != "" {
				vals.Set("h_"+k, val)
			}
		}
		if from > 0 {
			vals.Set("h_from", strconv.Itoa(from))
		}
		return "/admin?" + vals.Encode() + "#history"
	}
	if q.From > 0 {
		v.Prev = link(max(q.From-q.Size, 0))
	}
	if q.From+q.Size < v.HistoryTotal {
		v.Next = link(q.From + q.Size)
	}
	return v, nil
}

func (a *admin) registerStaffPages(e *echo.Echo) {
	// The address form: an upload whose url field is fetched.
	e.POST("/admin/address", a.pageUpload, noStore, a.sameOrigin)
	e.POST("/admin/watch", a.pageWatch, noStore, a.sameOrigin)
	e.POST("/admin/unwatch", a.pageUnwatch, noStore, a.sameOrigin)
	e.POST("/admin/reindex-changed", a.pageReindexChanged, noStore, a.sameOrigin)
}

func (a *admin) pageWatch(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	if a.cfg.Watch == nil {
		return echo.NewHTTPError(http.StatusConflict, "this server does not watch folders")
	}
	dir := strings.TrimSpace(c.FormValue("dir"))
	if dir == "" || !filepath.IsAbs(dir) {
		return search.BadRequestf("give the absolute path of a folder on the server")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return search.BadRequestf("%s is not a folder on the server", dir)
	}
	// A server told which folders it may index (--allow-index-root)
	// watches only inside them: a watched folder's files become public.
	if a.srv.local != nil && len(a.srv.local.roots) > 0 && !slices.ContainsFunc(a.srv.local.roots, func(r string) bool { return ingest.Within(dir, r) }) {
		return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s is outside the folders this server may index (%s)", dir, strings.Join(a.srv.local.roots, ", ")))
	}
	if err := a.cfg.Watch.Add(dir); err != nil {
		return err
	}
	logOf(c, a.srv.log).Info("admin: watching a folder", "dir", dir)
	return a.finish(c, s, &adminResult{Action: "监视文件夹", Message: fmt.Sprintf("开始监视 %s：其中的报告将被索引，之后的新增、修改、改名和删除会自动应用。", dir)})
}

func (a *admin) pageUnwatch(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	if a.cfg.Watch == nil {
		return echo.NewHTTPError(http.StatusConflict, "this server does not watch folders")
	}
	dir := c.FormValue("dir")
	if err := a.cfg.Watch.Remove(dir); err != nil {
		return search.BadRequestf("%v", err)
	}
	return a.finish(c, s, &adminResult{Action: "停止监视", Message: fmt.Sprintf("已停止监视 %s（已索引的报告保留）。", dir)})
}

func (a *admin) pageReindexChanged(c echo.Context) error {
	_, s, err := a.authorized(c, c.FormValue("csrf"))
	if err != nil {
		return err
	}
	msg := "已在后台开始重新读取用旧规则建立的报告；期间检索照常可用。刷新本页查看进度。"
	if !a.startReindex() {
		msg = "重新读取已在进行中。"
	}
	return a.finish(c, s, &adminResult{Action: "按新规则更新", Message: msg})
}

func init() {
	templateFuncs["actionLabel"] = actionLabel
	templateFuncs["sourceLabel"] = sourceLabel
	templateFuncs["droppedText"] = func(m map[string]int) string {
		if len(m) == 0 {
			return ""
		}
		return indexer.FormatCounts(m)
	}
	templateFuncs["timeText"] = func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("2006-01-02 15:04:05")
	}
}

// actionLabel and sourceLabel name the history's values on the page.
func actionLabel(a string) string {
	switch a {
	case history.Added:
		return "新增"
	case history.Updated:
		return "更新"
	case history.Deleted:
		return "删除"
	case history.Skipped:
		return "跳过"
	}
	return a
}

func sourceLabel(s string) string {
	switch s {
	case history.SourceCLI:
		return "命令行"
	case history.SourceUpload:
		return "上传"
	case history.SourceWatcher:
		return "监视文件夹"
	case history.SourceAddress:
		return "网址"
	case history.SourceRebuild:
		return "重建"
	case history.SourceAdmin:
		return "管理页"
	}
	return s
}
