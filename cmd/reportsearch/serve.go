package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/history"
	"reportsearch/indexer/ingest"
	"reportsearch/internal/sample"
	"reportsearch/search/bleveindex"
	"reportsearch/web"
)

// serveOptions are the flags of `reportsearch serve`.
type serveOptions struct {
	dir, addr, adminToken, uploads string
	allowedHosts, indexRoots       multiFlag
	trustedProxies                 multiFlag
	tlsCert, tlsKey                string
	requestTimeout                 time.Duration
	logFormat, logLevel            string
	pprofAddr                      string
	staff                          staffOptions
	rebuild                        rebuildOptions
}

func (o *serveOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address")
	// No default shown for the token: help output must not print it.
	fs.StringVar(&o.adminToken, "admin-token", "", "token for the admin page and API (else $REPORTSEARCH_ADMIN_TOKEN; none: admin disabled)")
	fs.StringVar(&o.uploads, "uploads", "", "folder for uploaded reports (default: the index folder's path + \"-uploads\")")
	fs.Var(&o.allowedHosts, "allowed-host", "a host name the server answers for, besides localhost, 127.0.0.1, ::1 and the listen address (repeatable; * answers any: no DNS rebinding protection)")
	fs.Var(&o.indexRoots, "allow-index-root", "a folder whose files `reportsearch index` may hand to this server (repeatable; default: the folders of the indexed reports and the working directory)")
	fs.Var(&o.trustedProxies, "trusted-proxy", "a reverse proxy's address or network (CIDR) whose X-Forwarded-For is believed for the client address (repeatable)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
	fs.DurationVar(&o.requestTimeout, "request-timeout", web.DefaultLimits.RequestTimeout, "deadline of a search, a page or a document (exports and writes have none)")
	fs.StringVar(&o.logFormat, "log-format", "text", "log lines as text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "debug, info (one line per request), warn or error")
	fs.StringVar(&o.pprofAddr, "debug-pprof", "", "serve Go's /debug/pprof/ profiles on this loopback address (default: off)")
	o.staff.register(fs)
	o.rebuild.register(fs)
}

func (o *serveOptions) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return nil, fmt.Errorf("%w: --log-level: %v", errUsage, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch o.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("%w: --log-format must be text or json, not %q", errUsage, o.logFormat)
}

func (o *serveOptions) proxies() ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range o.trustedProxies {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil {
				bits := 32
				if ip.To4() == nil {
					bits = 128
				}
				p = fmt.Sprintf("%s/%d", p, bits)
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("%w: --trusted-proxy %q: %v", errUsage, p, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// runServe starts listening at once: /healthz answers while the index
// opens, the dictionary loads and the uploads folder is reconciled, and
// /readyz (and everything else) answers 503 until the server is ready.
func runServe(ctx context.Context, args []string) error {
	fs, dir := newFlags("serve")
	var o serveOptions
	o.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	o.dir = *dir
	if o.adminToken == "" {
		o.adminToken = os.Getenv("REPORTSEARCH_ADMIN_TOKEN")
	}
	if o.uploads == "" {
		o.uploads = filepath.Clean(o.dir) + "-uploads"
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	log, err := o.logger()
	if err != nil {
		return err
	}
	proxies, err := o.proxies()
	if err != nil {
		return err
	}
	if o.pprofAddr != "" {
		stop, err := servePprof(o.pprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	start := time.Now()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if o.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
			NextProtos: []string{"h2", "http/1.1"}})
		scheme = "https"
	}
	var handler atomic.Pointer[http.Handler]
	starting := web.StartingHandler()
	handler.Store(&starting)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*handler.Load()).ServeHTTP(w, r) }),
		// Slow clients cannot hold connections: the head within 10 s, at
		// most 1 MiB of it (431 beyond; the app's own limits are lower),
		// idle connections closed after 2 minutes. Bodies (uploads) and
		// answers (exports) have no time limit.
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    1 << 20,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	shutdown := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
	a, closeIndex, err := o.build(ctx, log, proxies)
	if err != nil {
		shutdown()
		return err
	}
	defer closeIndex()
	ready := a.Handler
	handler.Store(&ready)
	if err := writeServeInfo(o.dir, serveInfo{Addr: ln.Addr().String(), Token: a.localToken, PID: os.Getpid(),
		TLS: o.tlsCert != "", Cert: absPath(o.tlsCert)}); err != nil {
		shutdown()
		return err
	}
	defer removeServeInfo(o.dir)
	log.Info("serving", "url", scheme+"://"+ln.Addr().String()+"/", "index", o.dir, "ready_ms", time.Since(start).Milliseconds())
	// Loading the dictionary leaves a few hundred MB of garbage: hand it
	// back now rather than whenever the scavenger gets to it, so that the
	// server's memory is its working set from the start (after ready: a
	// full collection takes a tenth of a second).
	go debug.FreeOSMemory()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return shutdown()
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// app is the ready server: the Echo app and the token of the local
// hand-off.
type app struct {
	http.Handler
	localToken string
}

// build opens the index (indexing the bundled sample into an empty one),
// reconciles the uploads folder and builds the app.
func (o *serveOptions) build(ctx context.Context, log *slog.Logger, proxies []*net.IPNet) (*app, func(), error) {
	ix, err := bleveindex.Open(o.dir)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*app, func(), error) {
		ix.Close()
		return nil, nil, err
	}
	// A dictionary changed while no server ran, or a rebuild a crash
	// interrupted: rebuild (resuming) in the background.
	ix.StartRebuild()
	stats, err := ix.Stats()
	if err != nil {
		return fail(err)
	}
	if stats.Reports == 0 {
		log.Info("index is empty: indexing the bundled sample reports", "index", o.dir)
		sources, err := indexer.FSSources(sample.FS(), "sample")
		if err != nil {
			return fail(err)
		}
		sum, err := indexer.Run(ctx, ix, sources, indexer.Options{})
		if err != nil {
			return fail(err)
		}
		log.Info("sample indexed", "reports", sum.Added, "paragraphs", sum.Paragraphs)
	}
	lexicon, err := localThemes(o.dir)
	if err != nil {
		return fail(err)
	}
	// One writer for every write: the CLI's local endpoints and admin.
	writer := ingest.NewWriter(ix)
	writer.SetHistory(history.Open(o.dir))
	child, err := o.rebuild.config(ctx)
	if err != nil {
		return fail(err)
	}
	writer.SetRebuildChild(child)
	reconciled, err := ingest.ReconcileUploads(ctx, writer, ix, o.uploads, log)
	if err != nil {
		// Serve anyway: the admin page shows what went wrong.
		log.Error("reconciling the uploads folder", "uploads", o.uploads, "err", err)
	}
	// Watched folders: started before the app so that their folders are
	// known to it; their first scans run in the background.
	watcher := o.staff.manager(ctx, writer, o.dir, log)
	if err := watcher.Start(o.staff.watch); err != nil {
		log.Error("watching folders", "err", err)
	}
	hosts := []string(o.allowedHosts)
	if !slices.Contains(hosts, "*") {
		hosts = append(web.AllowedHostsFor(o.addr), hosts...)
	}
	token := newToken()
	bg := web.NewBackground()
	e, err := web.New(ix, log,
		web.WithBackground(bg),
		web.WithAllowedHosts(hosts...),
		web.WithTrustedProxies(proxies...),
		web.WithLimits(web.Limits{RequestTimeout: o.requestTimeout}),
		web.WithAdmin(web.AdminConfig{Writer: writer, Token: o.adminToken, UploadsDir: o.uploads, Reconciled: reconciled,
			Builtin: sampleSources,
			Watch:   watcher, Fetch: o.staff.fetchOptions()}),
		web.WithLocalIngest(web.LocalIngestConfig{Writer: writer, Token: token, Roots: o.indexRoots}),
		web.WithThemes(lexicon))
	if err != nil {
		return fail(err)
	}
	if o.adminToken == "" {
		log.Info("admin is disabled: give --admin-token or REPORTSEARCH_ADMIN_TOKEN to enable it")
	} else {
		log.Info("admin enabled", "page", "/admin", "uploads", o.uploads)
	}
	if slices.Contains(hosts, "*") {
		log.Warn("--allowed-host *: answering any Host header, without protection against DNS rebinding")
	} else {
		log.Info("answering for", "hosts", strings.Join(hosts, " "))
	}
	return &app{Handler: e, localToken: token}, func() { watcher.Close(); writer.StopRebuild(); bg.Close(); ix.Close() }, nil
}
