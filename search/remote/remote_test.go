package remote_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"reportsearch/indexer/ingest"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/search/remote"
	"reportsearch/search/searchtest"
	"reportsearch/web"
)

// backend reads through the HTTP API of a server over a bleve index and
// writes to that index directly (the client is read-only: a server's
// writes are its own).
type backend struct {
	*remote.Client
	ix  *bleveindex.Index
	srv *httptest.Server
}

func (b *backend) Put(rds ...search.ReportData) error { return b.ix.Put(rds...) }
func (b *backend) Delete(ids ...string) error         { return b.ix.Delete(ids...) }
func (b *backend) Close() error {
	b.srv.Close()
	return b.ix.Close()
}

// The client passes the backend conformance suite: every answer through
// the API — hits, totals, facets, pages, groups, exports, counts,
// documents, errors — is the index's.
func TestConformance(t *testing.T) {
	searchtest.TestBackend(t, func(t testing.TB, dir string) searchtest.Backend {
		ix, err := bleveindex.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		const token = "remote-test-token"
		e, err := web.New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)), web.WithAllowedHosts("*"),
			web.WithLocalIngest(web.LocalIngestConfig{Writer: ingest.NewWriter(ix), Token: token, Roots: []string{dir}}))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(e)
		return &backend{Client: &remote.Client{Base: srv.URL, Token: token}, ix: ix, srv: srv}
	})
}
