package web

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The workbench pages build their links from the canonical parameters
// too: a repeated parameter changes nothing (see TestPagesDoNotAmplify).
func TestWorkbenchPagesDoNotAmplify(t *testing.T) {
	e := newSampleServer(t)
	q := url.QueryEscape("发展")
	for _, tc := range []struct{ canonical, repeated string }{
		{"/concordance?q=" + q + "&year=2024&sort=left", "/concordance?q=" + q + strings.Repeat("&year=2024", 1000) + strings.Repeat("&sort=left", 100)},
		{"/related?q=" + q + "&year=2024", "/related?q=" + q + strings.Repeat("&year=2024", 1000)},
		{"/compare?f.year=2026&new=true", "/compare?new=true" + strings.Repeat("&f.year=2026", 1000)},
		{"/suggestions?run=1&year=2024", "/suggestions?run=1" + strings.Repeat("&year=2024", 1000)},
	} {
		want, got := get(t, e, tc.canonical), get(t, e, tc.repeated)
		if got.Code != want.Code || want.Code != 200 {
			t.Errorf("%.60s…: %d, the canonical address %d", tc.repeated, got.Code, want.Code)
		}
		a, b := tookRe.ReplaceAll(got.Body.Bytes(), nil), tookRe.ReplaceAll(want.Body.Bytes(), nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%.60s…: a page of %d bytes, the canonical address's is %d", tc.repeated, len(a), len(b))
		}
	}
	// Over a limit: a 400 that still shows the form.
	for _, target := range []string{"/concordance?q=" + url.QueryEscape(strings.Repeat("网", 400)),
		"/compare?f.region=" + strings.Repeat("x", 300), "/suggestions?min=" + strings.Repeat("1", 300)} {
		d := fetchPage(t, e, target)
		if d.code != 400 || len(d.find(func(n *html.Node) bool { return n.Data == "form" })) == 0 {
			t.Errorf("%.60s…: %d", target, d.code)
		}
	}
}
