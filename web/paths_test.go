package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
	"reportsearch/search"
)

func localIndex(t *testing.T, s *adminServer, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/local/index", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer local-token")
	return do(s.e, req)
}

func getWith(t *testing.T, s *adminServer, target, token string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(s.e, req)
}

// Anonymous users see paths relative to the folder a report was indexed
// from (an allowed root, the uploads folder); the admin and local tokens
// see absolute paths; a wrong token is refused.
func TestPathsRelativeForAnonymousUsers(t *testing.T) {
	s := newAdminServer(t)
	root := filepath.Dir(s.uploads) // the server's allowed root
	os.MkdirAll(filepath.Join(root, "reports", "2031"), 0o755)
	local := filepath.Join(root, "reports", "2031", "本地报告.txt")
	os.WriteFile(local, []byte("本地测试报告\n路径测试萤火虫段落。\n"), 0o644)
	if rec := localIndex(t, s, `{"paths": [`+jsonString(filepath.Join(root, "reports"))+`]}`); rec.Code != http.StatusOK {
		t.Fatalf("local index: %d %s", rec.Code, rec.Body)
	}
	apiUpload(t, s.e, testAdminToken, [][2]string{{"上传报告.txt", "上传测试报告\n路径测试萤火虫上传。\n"}}, nil)
	q := url.QueryEscape("路径测试萤火虫")
	want := map[string]bool{"reports/2031/本地报告.txt": true, "上传报告.txt": true}
	abs := map[string]bool{local: true, filepath.Join(s.uploads, "上传报告.txt"): true}
	check := func(what string, paths []string, token string) {
		t.Helper()
		expect := want
		if token != "" {
			expect = abs
		}
		if len(paths) != len(expect) {
			t.Errorf("%s: paths %v", what, paths)
		}
		for _, p := range paths {
			if !expect[p] {
				t.Errorf("%s (token %q): path %q, want one of %v", what, token, p, expect)
			}
		}
	}
	for _, token := range []string{"", testAdminToken, "local-token"} {
		var resp search.Response
		rec := getWith(t, s, "/api/search?q="+q, token)
		json.Unmarshal(rec.Body.Bytes(), &resp)
		var paths, ids []string
		for _, h := range resp.Hits {
			paths, ids = append(paths, h.Path), append(ids, h.DocID)
		}
		check("hits", paths, token)
		rec = getWith(t, s, "/api/search?group=doc&q="+q, token)
		json.Unmarshal(rec.Body.Bytes(), &resp)
		paths = nil
		for _, g := range resp.Groups {
			paths = append(paths, g.Path)
			for _, h := range g.Hits {
				if h.Path != g.Path {
					t.Errorf("group hit path %q, group %q", h.Path, g.Path)
				}
			}
		}
		check("groups", paths, token)
		rec = getWith(t, s, "/api/search?format=csv&q="+q, token)
		rows, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
		paths = nil
		for _, r := range rows[1:] {
			paths = append(paths, r[8])
		}
		check("csv export", paths, token)
		var list search.ReportList
		json.Unmarshal(getWith(t, s, "/api/documents", token).Body.Bytes(), &list)
		paths = nil
		for _, r := range list.Reports {
			if slices.Contains(ids, r.ID) {
				paths = append(paths, r.Path)
			} else if !strings.HasPrefix(r.Path, "sample/") {
				t.Errorf("sample report path %q", r.Path)
			}
		}
		check("documents", paths, token)
		paths = nil
		for _, id := range ids {
			var doc search.Document
			json.Unmarshal(getWith(t, s, "/api/documents/"+id, token).Body.Bytes(), &doc)
			var pc search.ParagraphContext
			json.Unmarshal(getWith(t, s, "/api/documents/"+id+"/paragraphs/1", token).Body.Bytes(), &pc)
			if doc.Report.Path != pc.Report.Path {
				t.Errorf("document %q, paragraph %q", doc.Report.Path, pc.Report.Path)
			}
			paths = append(paths, doc.Report.Path)
		}
		check("document", paths, token)
		for _, format := range []string{"json", "jsonl"} {
			rec := getWith(t, s, "/api/concordance?format="+format+"&q="+q, token)
			paths = nil
			if format == "json" {
				var kwic struct{ Lines []struct{ Path string } }
				json.Unmarshal(rec.Body.Bytes(), &kwic)
				for _, l := range kwic.Lines {
					paths = append(paths, l.Path)
				}
			} else {
				for _, line := range strings.Split(strings.TrimSpace(rec.Body.String()), "\n") {
					var l struct{ Path string }
					json.Unmarshal([]byte(line), &l)
					paths = append(paths, l.Path)
				}
			}
			check("concordance "+format, paths, token)
		}
	}
	if rec := getWith(t, s, "/api/search?q="+q, "guess"); rec.Code != http.StatusForbidden {
		t.Errorf("a wrong token on the public API: %d", rec.Code)
	}
	// A file outside every known folder shows as its name.
	p := newPathShower("/srv/reports", "/srv/reports/2020")
	for in, want := range map[string]string{
		"/srv/reports/2020/a.txt": "a.txt", "/srv/reports/x/b.txt": "x/b.txt", "/home/u/c.txt": "c.txt",
		"/srv/reportsx/d.txt": "d.txt", "sample/e.txt": "sample/e.txt",
	} {
		if got := p.show(in); got != want {
			t.Errorf("show(%q) = %q, want %q", in, got, want)
		}
	}
	if got := newPathShower("/").show("/etc/passwd"); got != "passwd" {
		t.Errorf("the root is never a folder to show paths from: %q", got)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The local hand-off indexes only files under the allowed roots.
func TestLocalIngestRoots(t *testing.T) {
	s := newAdminServer(t)
	root := filepath.Dir(s.uploads)
	inside := filepath.Join(root, "in.txt")
	os.WriteFile(inside, []byte("根目录内的报告\n允许索引的段落。\n"), 0o644)
	outsideDir := t.TempDir()
	outside := filepath.Join(outsideDir, "out.txt")
	os.WriteFile(outside, []byte("根目录外的报告\n不允许索引的段落。\n"), 0o644)
	link := filepath.Join(root, "link.txt")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	linkDir := filepath.Join(root, "linkdir")
	os.Symlink(outsideDir, linkDir)
	for _, tc := range []struct {
		body string
		code int
	}{
		{`{"paths": ["/etc/passwd"]}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(outside) + `]}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(link) + `]}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(linkDir) + `]}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(root+"/../"+filepath.Base(outsideDir)) + `]}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(inside) + `], "manifest": "/etc/passwd"}`, http.StatusForbidden},
		{`{"paths": [` + jsonString(inside) + `]}`, http.StatusOK},
	} {
		rec := localIndex(t, s, tc.body)
		if rec.Code != tc.code {
			t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body)
		}
		if tc.code == http.StatusForbidden && !strings.Contains(errorBody(t, rec), "--allow-index-root") {
			t.Errorf("%s: message %s", tc.body, rec.Body)
		}
	}
	var resp search.Response
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("不允许索引的段落"), &resp)
	if resp.Total != 0 {
		t.Error("a file outside the roots was indexed")
	}
	getJSON(t, s.e, "/api/search?q="+url.QueryEscape("允许索引的段落"), &resp)
	if resp.Total != 1 {
		t.Errorf("the file inside was not indexed: %d", resp.Total)
	}
}

// Without --allow-index-root the roots are the folders of the indexed
// reports and the working directory (never /).
func TestLocalIngestDefaultRoots(t *testing.T) {
	ix := freshSampleIndex(t)
	w := ingest.NewWriter(ix)
	dir := t.TempDir()
	file := filepath.Join(dir, "a.txt")
	os.WriteFile(file, []byte("默认根目录报告\n默认根目录段落。\n"), 0o644)
	e, err := New(ix, discardLog(), testHosts, WithLocalIngest(LocalIngestConfig{Writer: w, Token: "local-token"}))
	if err != nil {
		t.Fatal(err)
	}
	s := &adminServer{e: e, ix: ix, writer: w}
	if rec := localIndex(t, s, `{"paths": [`+jsonString(file)+`]}`); rec.Code != http.StatusForbidden {
		t.Fatalf("a folder the server does not know: %d", rec.Code)
	}
	// Once a report of the folder is indexed (here by the writer), its
	// folder is allowed.
	srcs, _ := indexer.FileSources([]string{file}, "")
	if _, err := w.Index(t.Context(), srcs, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "b.txt")
	os.WriteFile(other, []byte("默认根目录报告二\n同一文件夹的段落。\n"), 0o644)
	if rec := localIndex(t, s, `{"paths": [`+jsonString(other)+`]}`); rec.Code != http.StatusOK {
		t.Errorf("the folder of an indexed report: %d %s", rec.Code, rec.Body)
	}
	wd, _ := os.Getwd()
	in := &ingester{srv: &Server{index: ix}}
	got, err := in.allowedRoots()
	if err != nil || !slices.Contains(got, wd) || slices.Contains(got, "/") {
		t.Errorf("default roots %v (working directory %s): %v", got, wd, err)
	}
}
