package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/sample"
	"reportsearch/search/bleveindex"
	"reportsearch/web"
)

// tookRe matches the only field that differs between two runs.
var tookRe = regexp.MustCompile(`"took_ms":[0-9.e-]+`)

// `search --json` prints exactly the body the HTTP API returns.
func TestSearchJSONEqualsAPI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := indexer.FSSources(sample.FS(), "sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := web.New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)), web.WithAllowedHosts("example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"网格化治理", "发展 -改革", "城市更新 | 乡村振兴"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?size=3&q="+url.QueryEscape(q), nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", q, rec.Code)
		}
		api := tookRe.ReplaceAll(rec.Body.Bytes(), nil)
		ix.Close()
		var out bytes.Buffer
		if err := runSearch(context.Background(), []string{"--index", dir, "--json", "--size", "3", q}, &out); err != nil {
			t.Fatal(err)
		}
		if ix, err = bleveindex.Open(dir); err != nil {
			t.Fatal(err)
		}
		if e, err = web.New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)), web.WithAllowedHosts("example.com")); err != nil {
			t.Fatal(err)
		}
		if cli := tookRe.ReplaceAll(out.Bytes(), nil); !bytes.Equal(cli, api) {
			t.Errorf("%s: CLI and API bodies differ:\ncli %s\napi %s", q, cli, api)
		}
	}
	ix.Close()
}
