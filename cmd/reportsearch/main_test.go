package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
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

// `index --json` reports the lines the cleaning dropped by rule, per file
// and in the summary; `index --explain` lists them and writes nothing.
func TestIndexReportsDroppedLines(t *testing.T) {
	reports := t.TempDir()
	page := "下载\n打印\n来源：河北日报\n2026年河北省政府工作报告\n各位代表：\n" +
		"本报告中出现的代码片段<script>alert(\"…\")</script>应当按原样显示为文字。\n" +
		"过去一年，全省经济运行稳中向好，PM2.5浓度>35微克的天数减少。\n相关报道：\n"
	if err := os.WriteFile(filepath.Join(reports, "report.txt"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{indexer.RuleWidget: 2, indexer.RuleSourceLine: 1, indexer.RuleRelatedLinks: 1}

	dir := filepath.Join(t.TempDir(), "index")
	var out bytes.Buffer
	if err := runIndex(context.Background(), []string{"--index", filepath.Join(t.TempDir(), "unused"), "--explain", "--json", reports}, &out); err != nil {
		t.Fatal(err)
	}
	var explained indexer.Summary
	if err := json.Unmarshal(out.Bytes(), &explained); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(explained.Files) != 1 || !reflect.DeepEqual(explained.Files[0].Dropped, want) || len(explained.Files[0].DroppedLines) != 4 ||
		explained.Files[0].Status != indexer.StatusExplained || explained.Files[0].Paragraphs != 4 {
		t.Errorf("--explain --json: %s", out.String())
	}
	out.Reset()
	if err := runIndex(context.Background(), []string{"--index", dir, "--explain", reports}, &out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"report.txt: 4 paragraphs, 4 lines dropped", "     1  widget          下载", "     3  source-line     来源：河北日报", "related-links   相关报道：", "nothing written"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("--explain output lacks %q:\n%s", s, out.String())
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("--explain created the index: %v", err)
	}

	out.Reset()
	if err := runIndex(context.Background(), []string{"--index", dir, "--json", reports}, &out); err != nil {
		t.Fatal(err)
	}
	var sum indexer.Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if sum.Added != 1 || !reflect.DeepEqual(sum.Dropped, want) || !reflect.DeepEqual(sum.Files[0].Dropped, want) || sum.Files[0].DroppedLines != nil {
		t.Errorf("index --json: %s", out.String())
	}
}
