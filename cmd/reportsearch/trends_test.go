package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/internal/sample"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/web"
)

// sampleIndex builds the bundled sample into a temporary index and
// returns its folder, closed, so that CLI commands can open it.
func sampleIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srcs, err := indexer.FSSources(sample.FS(), "sample")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Run(context.Background(), ix, srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// apiBodies answers API requests from the index in dir, then closes it.
func apiBodies(t *testing.T, dir string, targets ...string) [][]byte {
	t.Helper()
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	e, err := web.New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)), web.WithAllowedHosts("example.com"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, target := range targets {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		out = append(out, rec.Body.Bytes())
	}
	return out
}

// The CLI's filters, sort, group, exports and trends give the API's bytes.
func TestResearchCLIEqualsAPI(t *testing.T) {
	dir := sampleIndex(t)
	q := url.QueryEscape
	cases := []struct {
		api string
		cli []string
		run func(context.Context, []string, io.Writer) error
	}{
		{"/api/search?q=" + q("发展") + "&year=2023..2025&region=" + q("全国") + "&sort=-year&size=5",
			[]string{"--json", "--year", "2023..2025", "--region", "全国", "--sort", "-year", "--size", "5", "发展"}, runSearch},
		{"/api/search?q=" + q("改革") + "&group=doc&doc_type=" + q("政府工作报告") + "&doc_type=" + q("党代会报告"),
			[]string{"--json", "--group", "doc", "--doc-type", "政府工作报告", "--doc-type", "党代会报告", "改革"}, runSearch},
		{"/api/search?q=" + q("发展") + "&year=2024&year=2026&format=csv",
			[]string{"--format", "csv", "--year", "2024", "--year", "2026", "发展"}, runSearch},
		{"/api/search?q=" + q("政协") + "&level=district&format=jsonl&sort=year",
			[]string{"--format", "jsonl", "--level", "district", "--sort", "year", "政协"}, runSearch},
		{"/api/trends?q=" + q("高质量发展") + "&q=" + q("城市更新 | 乡村振兴") + "&format=csv",
			[]string{"--format", "csv", "高质量发展", "城市更新 | 乡村振兴"}, runTrends},
		{"/api/trends?by=region&organization=" + q("国务院") + "&q=" + q("改革") + "&format=csv",
			[]string{"--format", "csv", "--by", "region", "--organization", "国务院", "改革"}, runTrends},
	}
	targets := make([]string, len(cases))
	for i, c := range cases {
		targets[i] = c.api
	}
	bodies := apiBodies(t, dir, targets...)
	for i, c := range cases {
		var out bytes.Buffer
		if err := c.run(context.Background(), append([]string{"--index", dir}, c.cli...), &out); err != nil {
			t.Fatalf("%v: %v", c.cli, err)
		}
		api, cli := tookRe.ReplaceAll(bodies[i], nil), tookRe.ReplaceAll(out.Bytes(), nil)
		if !bytes.Equal(api, cli) {
			t.Errorf("%v: CLI and API differ:\ncli %.300s\napi %.300s", c.cli, cli, api)
		}
		if len(api) < 80 {
			t.Errorf("%s: body too short to test anything: %s", c.api, api)
		}
	}
}

func TestTrendsTable(t *testing.T) {
	dir := sampleIndex(t)
	var out bytes.Buffer
	if err := runTrends(context.Background(), []string{"--index", dir, "--year", "2022..", "高质量发展", "网格化治理"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// Header, 2022 to 2026 (2022–2026 of the sample), total.
	if len(lines) != 7 {
		t.Fatalf("table:\n%s", out.String())
	}
	for _, want := range []string{"year", "reports", "chars", "高质量发展", "网格化治理", "/10k"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header %q lacks %q", lines[0], want)
		}
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[1]), "2022") || !strings.HasPrefix(strings.TrimSpace(lines[6]), "total") {
		t.Errorf("rows:\n%s", out.String())
	}
}

func TestResearchCLIErrors(t *testing.T) {
	dir := sampleIndex(t)
	for _, tc := range []struct {
		run   func(context.Context, []string, io.Writer) error
		args  []string
		usage bool
	}{
		{runSearch, []string{"--year", "abc", "发展"}, false},
		{runSearch, []string{"--year", "2023..2018", "发展"}, false},
		{runSearch, []string{"--sort", "foo", "发展"}, false},
		{runSearch, []string{"--group", "x", "发展"}, false},
		{runSearch, []string{"--format", "xml", "发展"}, false},
		{runSearch, []string{"--format", "csv", "--group", "doc", "发展"}, false},
		{runTrends, []string{}, true},
		{runTrends, []string{"--format", "xml", "发展"}, true},
		{runTrends, []string{"--by", "title", "发展"}, false},
		{runTrends, []string{"--year", "..", "发展"}, false},
	} {
		err := tc.run(context.Background(), append([]string{"--index", dir}, tc.args...), io.Discard)
		if err == nil || tc.usage != errors.Is(err, errUsage) || !tc.usage && !search.IsBadRequest(err) {
			t.Errorf("%v: err %v (usage error: %v)", tc.args, err, errors.Is(err, errUsage))
		}
	}
}
