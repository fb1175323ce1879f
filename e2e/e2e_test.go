package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"reportsearch/indexer"
	"reportsearch/search"
)

const adminToken = "e2e-admin-token"

// outDir receives a screenshot of every step.
const outDir = "testout"

var (
	// skipReason is set when there is no browser to drive.
	skipReason string
	binary     string
	// baseURL serves the sample with admin enabled; noAdminURL the sample
	// without a token.
	baseURL, noAdminURL string
	browserCtx          context.Context
	// dialogs counts the JavaScript dialogs (alert, confirm) any page
	// opened: an XSS payload that ran would open one.
	dialogs atomic.Int64
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") != "" {
			return 1, errors.New("no Chromium at /usr/bin/chromium (apt-get install chromium fonts-noto-cjk) or $REPORTSEARCH_CHROMIUM")
		}
		skipReason = "no Chromium: install Debian's chromium (and fonts-noto-cjk) or set REPORTSEARCH_CHROMIUM"
		return m.Run(), nil
	}
	tmp, err := os.MkdirTemp("", "reportsearch-e2e-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(tmp)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return 1, err
	}
	binary = filepath.Join(tmp, "reportsearch")
	build := exec.Command("go", "build", "-o", binary, "./cmd/reportsearch")
	build.Dir = ".."
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return 1, fmt.Errorf("building reportsearch: %w", err)
	}
	var stops []func()
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	for _, s := range []struct {
		url   *string
		token string
	}{{&baseURL, adminToken}, {&noAdminURL, ""}} {
		u, stop, err := startServer(filepath.Join(tmp, fmt.Sprintf("data%d", len(stops))), s.token)
		if err != nil {
			return 1, err
		}
		stops = append(stops, stop)
		*s.url = u
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.WindowSize(1280, 900),
		// No network here: keep Chromium from calling home.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		return 1, fmt.Errorf("starting Chromium: %w", err)
	}
	browserCtx = ctx
	return m.Run(), nil
}

func findChromium() string {
	if p := os.Getenv("REPORTSEARCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startServer runs `reportsearch serve` on a fresh index (which it seeds
// with the sample) on a free port of 127.0.0.1.
func startServer(dir, token string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--index", filepath.Join(dir, "index"), "--addr", addr}
	if token != "" {
		args = append(args, "--admin-token", token)
	}
	cmd := exec.Command(binary, args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REPORTSEARCH_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
	base := "http://" + addr
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return "", nil, fmt.Errorf("server exited: %v\n%s", err, log.String())
		default:
		}
		// /healthz answers as soon as the server listens; /readyz once
		// the index is open and the pages answer.
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	return "", nil, fmt.Errorf("server did not come up on %s:\n%s", addr, log.String())
}

// newTab opens a tab of the shared browser at the given viewport size,
// counting dialogs and dismissing them.
func newTab(t *testing.T, width, height int64) context.Context {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tab, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	events := chromedp.Events(tab, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			dialogs.Add(1)
			t.Errorf("a page opened a JavaScript dialog: %q", ev.Message)
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	ctx, cancelT := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(cancelT)
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// open navigates and waits for the page to be loaded.
func open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(baseURLOf(path)), chromedp.WaitReady(chromedp.CSS("body")))
}

func baseURLOf(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return baseURL + path
}

// navigating runs a step that leads to another page (a click, a key) and
// waits until the new page has loaded.
func navigating(t *testing.T, ctx context.Context, step chromedp.Action[chromedp.Void]) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.e2eOld = "1"`), step)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.documentElement.dataset.e2eOld && document.readyState === "complete"`))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the page did not change")
}

// goBack presses the browser's back button and waits for the previous
// page (which may come from the back/forward cache, without a load).
func goBack(t *testing.T, ctx context.Context) {
	t.Helper()
	before := location(t, ctx).String()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		type st struct {
			Href  string
			Ready string
		}
		s, err := chromedp.Run(ctx, chromedp.Evaluate[st](`({Href: location.href, Ready: document.readyState})`))
		if err == nil && s.Href != before && s.Ready == "complete" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("back did not leave " + before)
}

var shotMu sync.Mutex

// shot saves a screenshot of the viewport as testout/NAME.png.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shotMu.Lock()
	defer shotMu.Unlock()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func location(t *testing.T, ctx context.Context) *url.URL {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// text is the rendered text of the first element matching sel, waiting
// for it to appear. It reads the live document (chromedp's DOM queries can
// miss a page restored from the back/forward cache).
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el ? el.innerText : null; })()`, sel)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[*string](js))
		if err == nil && s != nil {
			return strings.TrimSpace(*s)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no element %s", sel)
	return ""
}

// apiJSON asks the API directly.
func apiJSON(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(baseURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: %s %s", path, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func apiTotal(t *testing.T, rawQuery string) uint64 {
	t.Helper()
	var resp search.Response
	apiJSON(t, "/api/search?"+rawQuery, &resp)
	return resp.Total
}

// thousands is how the pages write counts.
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// A researcher types a query and gets the exact total and highlighted
// hits.
func TestSearch(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/")
	shot(t, ctx, "00-home")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "网格化治理"))
	navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	if q := location(t, ctx).Query().Get("q"); q != "网格化治理" {
		t.Errorf("URL query %q", q)
	}
	want := apiTotal(t, "q="+url.QueryEscape("网格化治理"))
	if got := text(t, ctx, "#total"); got != thousands(want) || want == 0 {
		t.Errorf("total %s, API %d", got, want)
	}
	if mark := text(t, ctx, ".hit mark"); mark != "网格化治理" {
		t.Errorf("first mark %q", mark)
	}
	// The syntax help opens.
	do(t, ctx, chromedp.Click(chromedp.CSS(`details.help summary`)))
	if !eval[bool](t, ctx, `document.querySelector("details.help").open`) {
		t.Error("help does not open")
	}
	shot(t, ctx, "01-search")
}

// Clicking a facet filters (the URL and the total change); the back
// button comes back.
func TestFacetAndBack(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	q := url.QueryEscape("发展")
	open(t, ctx, "/?q="+q)
	all := apiTotal(t, "q="+q)
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.facets a[href*="year=2024"]`)))
	u := location(t, ctx)
	if u.Query().Get("year") != "2024" || u.Query().Get("q") != "发展" {
		t.Fatalf("after the facet: %s", u)
	}
	want := apiTotal(t, u.RawQuery)
	if got := text(t, ctx, "#total"); got != thousands(want) || want >= all {
		t.Errorf("filtered total %s, API %d (all %d)", got, want, all)
	}
	if chip := text(t, ctx, ".chips"); !strings.Contains(chip, "年份：2024") {
		t.Errorf("chip %q", chip)
	}
	shot(t, ctx, "02-facet")
	// Sort by year from the form: the filter stays.
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`select[name=sort]`), "-year"))
	navigating(t, ctx, chromedp.Submit(chromedp.CSS(`form.search`)))
	if u := location(t, ctx); u.Query().Get("sort") != "-year" || u.Query().Get("year") != "2024" {
		t.Errorf("after sorting: %s", u)
	}
	goBack(t, ctx)
	goBack(t, ctx)
	if u := location(t, ctx); u.Query().Get("year") != "" {
		t.Errorf("back: %s", u)
	}
	if got := text(t, ctx, "#total"); got != thousands(all) {
		t.Errorf("back: total %s, want %d", got, all)
	}
	shot(t, ctx, "03-back")
}

// Opening a hit shows the report at that paragraph, highlighted; n goes
// to the next match.
func TestReader(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/?q="+url.QueryEscape("高质量发展"))
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.hit a.title`)))
	u := location(t, ctx)
	if !strings.HasPrefix(u.Path, "/documents/") || !strings.HasPrefix(u.Fragment, "p") {
		t.Fatalf("reader URL %s", u)
	}
	type target struct {
		ID, Background string
		Match, Marked  bool
		Top            float64
	}
	tg := eval[target](t, ctx, `(() => { const el = document.querySelector(":target");
		return {ID: el.id, Match: el.classList.contains("match"), Marked: !!el.querySelector("mark"),
			Background: getComputedStyle(el).backgroundColor, Top: el.getBoundingClientRect().top}; })()`)
	if tg.ID != u.Fragment || !tg.Match || !tg.Marked {
		t.Errorf("target paragraph %+v", tg)
	}
	if tg.Background != "rgb(255, 241, 184)" {
		t.Errorf("target not highlighted: background %s", tg.Background)
	}
	if tg.Top < 0 || tg.Top > 900 {
		t.Errorf("target not scrolled into view: top %v", tg.Top)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".outline a").length`); n == 0 {
		t.Error("no outline")
	}
	shot(t, ctx, "04-reader")
	next := eval[string](t, ctx, `(document.querySelector(":target + .hitnav a.next-hit") || {}).hash || ""`)
	if next == "" {
		t.Fatal("no next match link")
	}
	do(t, ctx, chromedp.KeyEvent("n"))
	time.Sleep(200 * time.Millisecond)
	if got := location(t, ctx).Fragment; "#"+got != next {
		t.Errorf("n went to #%s, the next match is %s", got, next)
	}
	shot(t, ctx, "05-reader-next")
}

// Two themes drawn by year; the rate toggle; a bar opens its search.
func TestTrends(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/trends")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=q]:nth-of-type(1)`), "高质量发展"),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]:nth-of-type(2)`), "乡村振兴"),
	)
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`form.trends button[type=submit]`)))
	var api search.TrendsResponse
	apiJSON(t, "/api/trends?q="+url.QueryEscape("高质量发展")+"&q="+url.QueryEscape("乡村振兴"), &api)
	// The axis runs over the years where a theme matches (see
	// TestTrendsMatchedYears).
	if n, years := eval[int](t, ctx, `document.querySelectorAll("svg rect.bar").length`), len(matchedYears(api)); n != 2*years {
		t.Fatalf("%d bars for %d years × 2 themes", n, years)
	}
	shot(t, ctx, "06-trends")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.toggle a`)))
	if location(t, ctx).Query().Get("metric") != "rate" || !strings.Contains(eval[string](t, ctx, `document.querySelector("svg .ylabel").textContent`), "每万字") {
		t.Error("rate toggle")
	}
	shot(t, ctx, "07-trends-rate")
	var want uint64
	for _, p := range api.Series[0].Points {
		if p.Value == float64(2024) {
			want = p.Paragraphs
		}
	}
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`svg a[href*="year=2024"] rect`)))
	u := location(t, ctx)
	if u.Path != "/" || u.Query().Get("q") != "高质量发展" || u.Query().Get("year") != "2024" {
		t.Fatalf("bar opened %s", u)
	}
	if got := text(t, ctx, "#total"); got != thousands(want) || want == 0 {
		t.Errorf("bar of %d paragraphs opened a search with %s", want, got)
	}
	shot(t, ctx, "08-trend-bar-search")
}

// Staff log in, upload a report with metadata, and a researcher finds it.
func TestAdminUploadAndFind(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	const phrase = "青鸟湖数字孪生试验区"
	if n := apiTotal(t, "q="+url.QueryEscape(phrase)); n != 0 {
		t.Fatalf("the phrase is already indexed (%d)", n)
	}
	file := filepath.Join(t.TempDir(), "青鸟湖区_2031_政府工作报告.txt")
	os.WriteFile(file, []byte("2031年青鸟湖区政府工作报告\n一、过去一年工作回顾\n建成"+phrase+"首期工程。\n二、今年工作安排\n扩大"+phrase+"范围，推进网格化治理。\n"), 0o644)
	open(t, ctx, "/admin")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#token`), adminToken))
	navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	if n := eval[int](t, ctx, `document.querySelectorAll('form[action="/admin/upload"]').length`); n != 1 {
		t.Fatal("not logged in")
	}
	shot(t, ctx, "09-admin")
	do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#files`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`input[name=year]`), "2031"),
		chromedp.SendKeys(chromedp.CSS(`input[name=region]`), "青鸟湖区"),
		chromedp.SetValue(chromedp.CSS(`select[name=level]`), "district"),
		chromedp.SendKeys(chromedp.CSS(`input[name=doc_type]`), "政府工作报告"),
	)
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/upload"] button[type=submit]`)))
	result := text(t, ctx, "#result")
	if !strings.Contains(result, "青鸟湖区_2031_政府工作报告.txt") || !strings.Contains(result, "新增") {
		t.Fatalf("upload result: %s", result)
	}
	shot(t, ctx, "10-upload-result")
	open(t, ctx, "/?q="+url.QueryEscape(phrase))
	if got := text(t, ctx, "#total"); got != "2" {
		t.Errorf("uploaded report: total %s, want 2", got)
	}
	if meta := text(t, ctx, ".hit .meta"); !strings.Contains(meta, "2031年青鸟湖区政府工作报告") || !strings.Contains(meta, "2031") || !strings.Contains(meta, "青鸟湖区") {
		t.Errorf("hit metadata %q", meta)
	}
	shot(t, ctx, "11-find-upload")
}

// apiUpload posts files to the admin API.
func apiUpload(t *testing.T, token string, name, content string, fields map[string]string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("files", name)
	io.WriteString(w, content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/api/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// A report full of markup renders as text: no script runs, no image
// element appears, no dialog opens.
func TestXSSReport(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	const (
		script = `<script>alert(1)</script>`
		img    = `<img src=x onerror=alert(1)>`
	)
	resp := apiUpload(t, adminToken, "xss.txt", "跨站测试报告\n正文"+img+"跨站测试段落。\n"+script+"跨站测试脚本。\n",
		map[string]string{"title": script + "跨站测试报告", "region": img})
	var sum indexer.Summary
	if err := json.NewDecoder(resp.Body).Decode(&sum); err != nil || resp.StatusCode != http.StatusOK || sum.Added != 1 {
		t.Fatalf("upload: %s %+v %v", resp.Status, sum, err)
	}
	check := func(name string) {
		t.Helper()
		type state struct {
			Text   string
			Images int
			Inline int
		}
		s := eval[state](t, ctx, `({Text: document.body.innerText, Images: document.querySelectorAll("img").length,
			Inline: [...document.querySelectorAll("script")].filter(s => !s.src).length})`)
		if !strings.Contains(s.Text, script) || !strings.Contains(s.Text, img) {
			t.Errorf("%s: the markup is not shown as text", name)
		}
		if s.Images != 0 || s.Inline != 0 {
			t.Errorf("%s: %d img and %d inline script elements", name, s.Images, s.Inline)
		}
		shot(t, ctx, name)
	}
	open(t, ctx, "/?q="+url.QueryEscape("跨站测试"))
	check("12-xss-search")
	navigating(t, ctx, chromedp.Click(chromedp.CSS(`.hit a.title`)))
	check("13-xss-reader")
	open(t, ctx, "/trends?by=region&q="+url.QueryEscape("跨站测试")+"&q="+url.QueryEscape(script))
	if s := eval[string](t, ctx, `document.querySelector("svg").textContent`); !strings.Contains(s, img) {
		t.Error("the region is not shown as text in the chart")
	}
	shot(t, ctx, "14-xss-trends")
	time.Sleep(300 * time.Millisecond) // let a dialog event arrive, if any
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
}

// The admin API refuses requests without the token (401) or with a wrong
// one (403); a server started without a token has admin disabled (403).
func TestAdminWithoutToken(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	call := func(base, method, path, token string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(""))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error
	}
	for _, ep := range [][2]string{{"POST", "/api/documents"}, {"DELETE", "/api/documents/abc"}, {"POST", "/api/reindex"}} {
		if code, _ := call(baseURL, ep[0], ep[1], ""); code != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d", ep[0], ep[1], code)
		}
		if code, _ := call(baseURL, ep[0], ep[1], "wrong"); code != http.StatusForbidden {
			t.Errorf("%s %s with a wrong token: %d", ep[0], ep[1], code)
		}
		if code, msg := call(noAdminURL, ep[0], ep[1], adminToken); code != http.StatusForbidden || !strings.Contains(msg, "REPORTSEARCH_ADMIN_TOKEN") {
			t.Errorf("%s %s on a server without a token: %d %q", ep[0], ep[1], code, msg)
		}
	}
	open(t, ctx, noAdminURL+"/admin")
	if s := text(t, ctx, "main"); !strings.Contains(s, "管理功能未启用") {
		t.Errorf("admin page without a token: %s", s)
	}
	shot(t, ctx, "15-admin-disabled")
}

// At phone width the pages fit the screen (no sideways scrolling).
func TestPhoneWidth(t *testing.T) {
	ctx := newTab(t, 390, 844)
	for _, p := range []struct{ name, path string }{
		{"16-phone-search", "/?q=" + url.QueryEscape("城市更新")},
		{"17-phone-reader", ""},
		{"18-phone-trends", "/trends?q=" + url.QueryEscape("高质量发展") + "&q=" + url.QueryEscape("乡村振兴")},
		{"19-phone-admin", "/admin"},
	} {
		if p.path == "" {
			navigating(t, ctx, chromedp.Click(chromedp.CSS(`.hit a.title`)))
		} else {
			open(t, ctx, p.path)
		}
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("%s: %d px wider than the screen", p.name, w)
		}
		shot(t, ctx, p.name)
	}
}

// Everything is reachable by keyboard: type a query, Enter, Tab to the
// first hit, Enter opens it.
func TestKeyboard(t *testing.T) {
	ctx := newTab(t, 1280, 900)
	open(t, ctx, "/")
	if !eval[bool](t, ctx, `document.activeElement.name === "q"`) {
		t.Error("the query box is not focused")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "城市更新"))
	navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	for i := 0; ; i++ {
		if i == 80 {
			t.Fatal("Tab never reached the first hit")
		}
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if eval[bool](t, ctx, `document.activeElement.matches(".hit a.title")`) {
			break
		}
	}
	if !eval[bool](t, ctx, `getComputedStyle(document.activeElement).outlineStyle !== "none"`) {
		t.Error("the focused link shows no focus ring")
	}
	shot(t, ctx, "20-keyboard-focus")
	navigating(t, ctx, chromedp.KeyEvent(kb.Enter))
	if u := location(t, ctx); !strings.HasPrefix(u.Path, "/documents/") {
		t.Errorf("Enter on the hit opened %s", u)
	}
}
