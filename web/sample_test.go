package web

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reportsearch/search/themes"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
	"reportsearch/internal/sample"
	"reportsearch/search/bleveindex"
)

// The page and admin tests run on the bundled sample (eight reports), the
// data a fresh install shows: one shared read-only index for the pages,
// and a fresh one for each test that writes.

var (
	sampleOnce sync.Once
	sampleIx   *bleveindex.Index
	sampleDir  string
	sampleErr  error
)

// sampleIndex is an index of the sample shared by the tests of the
// package; callers must not write to it.
func sampleIndex(t testing.TB) *bleveindex.Index {
	t.Helper()
	sampleOnce.Do(func() {
		if sampleDir, sampleErr = os.MkdirTemp("", "reportsearch-web-sample-"); sampleErr != nil {
			return
		}
		sampleIx, sampleErr = buildSample(filepath.Join(sampleDir, "index"))
	})
	if sampleErr != nil {
		t.Fatalf("building the sample index: %v", sampleErr)
	}
	return sampleIx
}

func sampleCleanup() {
	if sampleIx != nil {
		sampleIx.Close()
	}
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
}

func buildSample(dir string) (*bleveindex.Index, error) {
	ix, err := bleveindex.Open(dir)
	if err != nil {
		return nil, err
	}
	srcs, err := indexer.FSSources(sample.FS(), "sample")
	if err == nil {
		_, err = indexer.Run(context.Background(), ix, srcs, indexer.Options{})
	}
	if err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// freshSampleIndex is a sample index of the test's own, to write to.
func freshSampleIndex(t testing.TB) *bleveindex.Index {
	t.Helper()
	ix, err := buildSample(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// testHosts allows the host of httptest.NewRequest (example.com).
var testHosts = WithAllowedHosts(append([]string{"example.com"}, loopbackHosts...)...)

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newSampleServer serves the shared sample index, read-only (admin
// disabled unless opts enable it).
func newSampleServer(t testing.TB, opts ...Option) *echo.Echo {
	t.Helper()
	lex, err := themes.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lex.Put(themes.Theme{Name: "城市", Expressions: []string{"城市更新", "老旧小区"}}, "test"); err != nil {
		t.Fatal(err)
	}
	e, err := New(sampleIndex(t), discardLog(), append([]Option{testHosts, WithThemes(lex)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const testAdminToken = "test-admin-token-ok"

// adminServer is a server with admin enabled on a fresh sample index.
type adminServer struct {
	e       *echo.Echo
	ix      *bleveindex.Index
	writer  *ingest.Writer
	uploads string
}

func newAdminServer(t testing.TB, tweak ...func(*AdminConfig)) *adminServer {
	t.Helper()
	return newAdminServerWith(t, nil, tweak...)
}

// newAdminServerWith is newAdminServer with more options.
func newAdminServerWith(t testing.TB, opts []Option, tweak ...func(*AdminConfig)) *adminServer {
	t.Helper()
	ix := freshSampleIndex(t)
	s := &adminServer{ix: ix, writer: ingest.NewWriter(ix), uploads: filepath.Join(t.TempDir(), "uploads")}
	cfg := AdminConfig{Writer: s.writer, Token: testAdminToken, UploadsDir: s.uploads,
		Builtin: func() ([]indexer.Source, error) { return indexer.FSSources(sample.FS(), "sample") }}
	for _, f := range tweak {
		f(&cfg)
	}
	lex, err := themes.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]Option{testHosts, WithAdmin(cfg), WithThemes(lex),
		WithLocalIngest(LocalIngestConfig{Writer: s.writer, Token: "local-token", Roots: []string{filepath.Dir(s.uploads)}})}, opts...)
	e, err := New(ix, discardLog(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.e = e
	return s
}
