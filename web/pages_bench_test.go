package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkWorkbenchPages measures the workbench's pages on the sample:
// go test ./web -run '^$' -bench WorkbenchPages
func BenchmarkWorkbenchPages(b *testing.B) {
	e := newSampleServer(b)
	q := url.QueryEscape
	for _, p := range []struct{ name, target string }{
		{"search-explained", "/?q=" + q("高质量发展 城市更新 | theme:城市 -乡村")},
		{"concordance", "/concordance?q=" + q("发展")},
		{"concordance-left", "/concordance?sort=left&context=30&q=" + q("发展")},
		{"related", "/related?q=" + q("高质量发展")},
		{"compare-new", "/compare?f.year=2026&new=true"},
		{"suggestions", "/suggestions?run=1"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p.target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.target, rec.Code)
				}
			}
		})
	}
}
