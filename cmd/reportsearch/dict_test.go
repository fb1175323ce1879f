package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

// dict add / list / import / remove on a local index: each change is
// rebuilt at once (progress printed) and searches find the same.
func TestDictCommand(t *testing.T) {
	defer analysis.Use(nil)
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rd := search.ReportData{Report: search.Report{ID: "r", Title: "r", Path: "r.txt"},
		Paragraphs: []search.Paragraph{{Text: "加快发展新质生产力，推进一网通办。"}, {Text: "发展质量。"}}}
	if err := ix.Put(rd); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	run := func(args ...string) (string, error) {
		var b strings.Builder
		err := runDict(context.Background(), append([]string{"--index", dir}, args...), &b)
		return b.String(), err
	}
	out, err := run("add", "新质生产力", "一網通辦")
	if err != nil || !strings.Contains(out, "2 words") || !strings.Contains(out, "2 / 2 paragraphs") {
		t.Fatalf("add: %v\n%s", err, out)
	}
	if out, err = run("list"); err != nil || out != "一网通办\n新质生产力\n" {
		t.Errorf("list: %v %q", err, out)
	}
	list := filepath.Join(t.TempDir(), "words.txt")
	os.WriteFile(list, []byte("# mine\n网格化治理 10 n\n"), 0o644)
	if out, err = run("import", "--replace", list); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	if out, _ = run("list"); out != "网格化治理\n" {
		t.Errorf("after import --replace: %q", out)
	}
	if out, err = run("remove", "网格化治理"); err != nil {
		t.Fatal(err)
	}
	if out, _ = run("list"); out != "" {
		t.Errorf("after remove: %q", out)
	}
	if _, err := run("add", "新"); err == nil {
		t.Error("a one-character word was accepted")
	}
	if _, err := run("frobnicate"); !errors.Is(err, errUsage) {
		t.Errorf("unknown subcommand: %v", err)
	}
	ix, err = bleveindex.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), search.Request{Query: "新质生产力"})
	if err != nil || res.Total != 1 {
		t.Errorf("search after the rebuilds: %v %v", res, err)
	}
}
