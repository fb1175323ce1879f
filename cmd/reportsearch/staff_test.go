package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"reportsearch/indexer"
	"reportsearch/search"
	"reportsearch/search/bleveindex"
	"reportsearch/web"
)

const staffReport = "二〇二六年某县政府工作报告\n\n一、过去一年的工作\n\n全县推进萤火虫独角兽工程，成效明显。\n"

// The staff workflow end to end, as it will be checked: a server
// watching a folder finds a report copied into it and loses it when it
// is deleted; a report served by a web server is indexed from its
// address through the CLI; the history lists each change.
func TestServeWatchAddressHistory(t *testing.T) {
	folder := t.TempDir()
	info, dir := startServe(t, "--watch", folder, "--watch-stable", "300ms", "--allow-private-addresses")
	documents := func() []search.Report {
		var list search.ReportList
		if err := getJSON(context.Background(), info, "/api/documents", nil, &list); err != nil {
			t.Fatal(err)
		}
		return list.Reports
	}
	has := func(title string) bool {
		for _, r := range documents() {
			if r.Title == title {
				return true
			}
		}
		return false
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	file := filepath.Join(folder, "县报告.txt")
	os.WriteFile(file, []byte(staffReport), 0o644)
	wait("the copied report", func() bool { return has("二〇二六年某县政府工作报告") })
	os.Remove(file)
	wait("the deleted report gone", func() bool { return !has("二〇二六年某县政府工作报告") })

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("二〇二六年网上发布的报告\n\n今年全市萤火虫独角兽工程继续推进。\n"))
	}))
	defer site.Close()
	var out bytes.Buffer
	if err := runIndex(context.Background(), []string{"--index", dir, "--json", site.URL + "/r.txt"}, &out); err != nil {
		t.Fatal(err)
	}
	if !has("二〇二六年网上发布的报告") {
		t.Errorf("the address was not indexed: %s", out.String())
	}
	out.Reset()
	if err := runHistory(context.Background(), []string{"--index", dir}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"added   address 二〇二六年网上发布的报告", "deleted watcher", "added   watcher 二〇二六年某县政府工作报告"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("history lacks %q:\n%s", want, out.String())
		}
	}
}

// Without a server: index records its changes; history reads the log;
// reindex --changed-rules re-reads only the stale reports.
func TestHistoryAndReindexLocal(t *testing.T) {
	reports := t.TempDir()
	for name, text := range map[string]string{"a.txt": staffReport, "b.txt": strings.Replace(staffReport, "某县", "某区", 1), "bad.png": "\x89PNG\r\n\x1a\n\x00"} {
		os.WriteFile(filepath.Join(reports, name), []byte(text), 0o644)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if err := runIndex(context.Background(), []string{"--index", dir, "--json", reports}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runHistory(context.Background(), []string{"--index", dir, "--json", "--action", "skipped"}, &out); err != nil {
		t.Fatal(err)
	}
	var h web.HistoryResponse
	if err := json.Unmarshal(out.Bytes(), &h); err != nil || h.Total != 1 || h.Entries[0].Source != "cli" || h.Entries[0].Reason == "" {
		t.Fatalf("history: %v %s", err, out.String())
	}
	// Make a look built by older rules.
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := ix.Reports()
	var stale search.Report
	for _, r := range all {
		if filepath.Base(r.Path) == "a.txt" {
			stale = r
		}
	}
	paras, _ := ix.Paragraphs(context.Background(), stale.ID)
	stale.CleanVersion = 0
	if err := ix.Put(search.ReportData{Report: stale, Paragraphs: paras}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	out.Reset()
	if err := runReindex(context.Background(), []string{"--index", dir, "--changed-rules", "--json"}, &out); err != nil {
		t.Fatal(err)
	}
	var sum indexer.Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil || sum.Updated != 1 || len(sum.Files) != 1 || sum.Files[0].ID != stale.ID {
		t.Fatalf("reindex --changed-rules: %v %s", err, out.String())
	}
	out.Reset()
	runHistory(context.Background(), []string{"--index", dir, "--source", "rebuild"}, &out)
	if !strings.Contains(out.String(), "updated rebuild 二〇二六年某县政府工作报告") {
		t.Errorf("history:\n%s", out.String())
	}
}
