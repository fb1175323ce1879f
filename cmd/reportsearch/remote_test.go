package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/web"
)

// While a server holds the index, index, search and delete on the same
// index folder are handed to it: the server writes, searches go on.
func TestCommandsGoThroughRunningServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	reports := t.TempDir()
	token := newToken()
	e, err := web.New(ix, slog.New(slog.NewTextHandler(io.Discard, nil)),
		web.WithLocalIngest(web.LocalIngestConfig{Writer: ingest.NewWriter(ix), Token: token, Roots: []string{reports}}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	if err := writeServeInfo(dir, serveInfo{Addr: strings.TrimPrefix(srv.URL, "http://"), Token: token, PID: os.Getpid()}); err != nil {
		t.Fatal(err)
	}

	os.WriteFile(filepath.Join(reports, "2026年某市政府工作报告.txt"), []byte("2026年某市政府工作报告\n全面推进低空经济示范区建设，培育新质生产力。\n"), 0o644)
	if err := runIndex(context.Background(), []string{"--index", dir, "--json", reports}, io.Discard); err != nil {
		t.Fatalf("index through the server: %v", err)
	}
	resp, err := ix.Search(context.Background(), search.Request{Query: "低空经济示范区"})
	if err != nil || resp.Total != 1 {
		t.Fatalf("the server did not index the file: %+v %v", resp, err)
	}
	var out bytes.Buffer
	if err := runSearch(context.Background(), []string{"--index", dir, "--json", "低空经济示范区"}, &out); err != nil {
		t.Fatalf("search through the server: %v", err)
	}
	if !strings.Contains(out.String(), `"total":1`) {
		t.Errorf("search through the server: %s", out.String())
	}
	// The workbench and trends read through the server with the same
	// code as on a local index (search/remote).
	for _, cmd := range [][]string{
		{"kwic", "--index", dir, "--format", "json", "低空经济"},
		{"trends", "--index", dir, "--format", "json", "低空经济"},
		{"related", "--index", dir, "--json", "--min", "1", "低空经济"},
	} {
		out.Reset()
		var err error
		switch cmd[0] {
		case "kwic":
			err = runKWIC(context.Background(), cmd[1:], &out)
		case "trends":
			err = runTrends(context.Background(), cmd[1:], &out)
		case "related":
			err = runRelated(context.Background(), cmd[1:], &out)
		}
		if err != nil || !strings.Contains(out.String(), `"total":1`) && !strings.Contains(out.String(), `"paragraphs":1`) {
			t.Errorf("%s through the server: %v %s", cmd[0], err, out.String())
		}
	}
	if err := runDelete([]string{"--index", dir, resp.Hits[0].DocID}); err != nil {
		t.Fatalf("delete through the server: %v", err)
	}
	if resp, _ := ix.Search(context.Background(), search.Request{Query: "低空经济示范区"}); resp.Total != 0 {
		t.Error("the report is still there after delete")
	}
	// A wrong token is refused.
	bad := &serveInfo{Addr: strings.TrimPrefix(srv.URL, "http://"), Token: "wrong"}
	if _, err := remoteIndex(bad, []string{reports}, "", false); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong token: %v", err)
	}
}

// A serve file left by a server that is gone does not send commands to
// it: the index is opened directly.
func TestStaleServeFileIsIgnored(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// This process is alive, but nothing listens at the address.
	if err := writeServeInfo(dir, serveInfo{Addr: "127.0.0.1:1", Token: "x", PID: os.Getpid()}); err != nil {
		t.Fatal(err)
	}
	ix, server, err := openOrRemote(dir)
	if err != nil || server != nil || ix == nil {
		t.Fatalf("openOrRemote with a stale file: %v %v %v", ix, server, err)
	}
	ix.Close()
}

// Without a server, delete removes an uploaded report's file too (as the
// server would): a file left in the uploads folder would be indexed again
// by the next server's start.
func TestDeleteRemovesUploadedFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	uploads := dir + "-uploads"
	os.MkdirAll(uploads, 0o755)
	file := filepath.Join(uploads, "上传.txt")
	os.WriteFile(file, []byte("上传的报告\n离线删除测试段落。\n"), 0o644)
	os.WriteFile(file+".meta.json", []byte(`{"region": "测试区"}`), 0o644)
	if err := runIndex(context.Background(), []string{"--index", dir, file}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := runDelete([]string{"--index", dir, indexer.ReportID(file)}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, file + ".meta.json"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left", p)
		}
	}
	if err := runDelete([]string{"--index", dir, "nope"}); err == nil || !strings.Contains(err.Error(), "no report with id nope") || strings.Contains(err.Error(), "bleveindex") {
		t.Errorf("unknown id: %v", err)
	}
}
