package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/export"
	"reportsearch/search/workbench"
)

// The API answers what the workbench functions answer, byte for byte
// in the lines; the export streams every line.
func TestConcordanceAPI(t *testing.T) {
	e := newSampleServer(t)
	ix := sampleIndex(t)
	var got workbench.ConcordanceResponse
	getJSON(t, e, "/api/concordance?"+url.Values{"q": {"发展"}, "sort": {"left"}, "context": {"8"}, "size": {"20"}, "from": {"5"}}.Encode(), &got)
	want, err := workbench.Concordance(context.Background(), ix, workbench.ConcordanceRequest{Query: "发展", Sort: "left", Context: 8, Size: 20, From: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != want.Total || got.Total < 100 || len(got.Lines) != 20 {
		t.Fatalf("total %d (%d lines), want %d", got.Total, len(got.Lines), want.Total)
	}
	for i := range got.Lines {
		if got.Lines[i] != want.Lines[i] {
			t.Errorf("line %d: %+v, want %+v", i, got.Lines[i], want.Lines[i])
		}
	}
	rec := get(t, e, "/api/concordance?"+url.Values{"q": {"发展"}, "format": {"csv"}}.Encode())
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != export.ContentTypeCSV {
		t.Fatalf("csv: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), export.BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != want.Total || strings.Join(recs[0], ",") != strings.Join(export.ConcordanceColumns, ",") {
		t.Errorf("csv: %d rows for %d occurrences, header %v", len(recs)-1, want.Total, recs[0])
	}
	for _, bad := range []string{"", "q=%22open", "q=发展&sort=middle", "q=发展&context=-1", "q=发展&size=5000", "q=发展&year=abc"} {
		if rec := get(t, e, "/api/concordance?"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

func TestRelatedAndKeywordsAPI(t *testing.T) {
	e := newSampleServer(t)
	var rel workbench.RelatedResponse
	getJSON(t, e, "/api/related?"+url.Values{"q": {"高质量发展"}, "min": {"2"}}.Encode(), &rel)
	if rel.Paragraphs == 0 || len(rel.Words) == 0 {
		t.Fatalf("related: %+v", rel)
	}
	for _, w := range rel.Words[:min(5, len(rel.Words))] {
		var sr search.Response
		getJSON(t, e, "/api/search?"+url.Values{"q": {`"` + w.Word + `"`}, "size": {"1"}}.Encode(), &sr)
		if sr.Total != w.BG {
			t.Errorf("related %s: bg %d, search %d", w.Word, w.BG, sr.Total)
		}
	}
	var win workbench.RelatedResponse
	getJSON(t, e, "/api/related?"+url.Values{"q": {"高质量发展"}, "window": {"10"}, "min": {"2"}}.Encode(), &win)
	if win.Window != 10 {
		t.Errorf("window: %d", win.Window)
	}
	var kw workbench.KeywordsResponse
	getJSON(t, e, "/api/keywords?"+url.Values{"f.year": {"2026"}, "r.year": {"2023..2025"}, "min": {"2"}}.Encode(), &kw)
	if kw.FocusReports == 0 || kw.ReferenceReports == 0 || len(kw.Phrases) == 0 {
		t.Fatalf("keywords: %+v", kw)
	}
	for _, bad := range []string{"/api/related", "/api/related?q=发展&window=x", "/api/keywords", "/api/keywords?f.year=x",
		"/api/keywords?f.year=2026&new=maybe"} {
		if rec := get(t, e, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}

// Themes: anyone reads the lexicon; only admins change it; theme:NAME
// in a search is the OR of its expressions.
func TestThemesAPI(t *testing.T) {
	s := newAdminServer(t)
	send := func(method, target, ctype, body, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("X-Author", "王研究员")
		return do(s.e, req)
	}
	body := `{"expressions": ["城市更新", "老旧小区 -棚户区"], "notes": "城市"}`
	if rec := send(http.MethodPut, "/api/themes/城市", "application/json", body, ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("put without token: %d", rec.Code)
	}
	if rec := send(http.MethodPut, "/api/themes/城市", "application/json", body, testAdminToken); rec.Code != http.StatusOK {
		t.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	if rec := send(http.MethodPut, "/api/themes/坏", "application/json", `{"expressions": ["\"open"]}`, testAdminToken); rec.Code != http.StatusBadRequest {
		t.Errorf("bad expression: %d", rec.Code)
	}
	total := func(q string) uint64 {
		var r search.Response
		getJSON(t, s.e, "/api/search?"+url.Values{"q": {q}, "size": {"1"}}.Encode(), &r)
		return r.Total
	}
	ids := map[string]bool{}
	for _, q := range []string{"城市更新", "老旧小区 -棚户区"} {
		if err := s.ix.Export(context.Background(), search.Request{Query: q}, func(r search.Row) error { ids[r.ID] = true; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if got := total("theme:城市"); got != uint64(len(ids)) || got == 0 {
		t.Errorf("theme:城市 finds %d, the OR of its expressions %d", got, len(ids))
	}
	csvBody := "theme,expression,notes\n数字,数字政府,\n数字,数字经济,\n"
	if rec := send(http.MethodPost, "/api/themes/import", "text/csv", csvBody, testAdminToken); rec.Code != http.StatusOK {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	var lex struct {
		Version int
		Themes  []struct{ Name string }
	}
	if err := json.Unmarshal(get(t, s.e, "/api/themes").Body.Bytes(), &lex); err != nil || lex.Version != 2 || len(lex.Themes) != 2 {
		t.Errorf("lexicon: %+v %v", lex, err)
	}
	if rec := get(t, s.e, "/api/themes?format=csv"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "数字,数字经济") {
		t.Errorf("csv: %d %s", rec.Code, rec.Body)
	}
	if rec := send(http.MethodDelete, "/api/themes/城市", "", "", testAdminToken); rec.Code != http.StatusOK {
		t.Errorf("delete: %d", rec.Code)
	}
	if rec := get(t, s.e, "/api/search?q=theme:城市"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "unknown_theme") {
		t.Errorf("deleted theme: %d %s", rec.Code, rec.Body)
	}
	rec := send(http.MethodGet, "/api/themes/history", "", "", testAdminToken)
	var h struct {
		Changes []struct {
			Version int
			Author  string
			Action  string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil || len(h.Changes) != 3 || h.Changes[0].Action != "delete" || h.Changes[2].Author != "王研究员" {
		t.Errorf("history: %s", rec.Body)
	}
	if rec := get(t, s.e, "/api/themes/history"); rec.Code != http.StatusUnauthorized {
		t.Errorf("history without token: %d", rec.Code)
	}
}
