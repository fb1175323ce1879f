package indexer_test

import (
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"reportsearch/indexer"
	"reportsearch/internal/corpusdir"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

// A real report printed to PDF by Chromium (as staff get PDFs rendered from
// web pages) goes through pdftotext and the cleaning stage: every sentence
// of the original must be found by exact search, and wrapped lines must be
// re-joined into the original paragraphs. It needs chromium and pdftotext,
// which .ci/run installs.
func TestPDFRenderedFromHTML(t *testing.T) {
	chromium, err1 := exec.LookPath("chromium")
	_, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		t.Skip("needs chromium and pdftotext (installed by .ci/run)")
	}
	data, err := os.ReadFile(filepath.Join(corpusdir.Dir(t), "national", "2024_国务院_政府工作报告.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.Trim(strings.TrimSpace(l), "\u3000\u200b")
		if strings.HasPrefix(l, "本作品") {
			break // the wiki footer
		}
		if len([]rune(l)) > 1 {
			paras = append(paras, l)
		}
	}
	var body strings.Builder
	for _, p := range paras {
		if len([]rune(p)) < 30 && !strings.Contains(p, "。") {
			body.WriteString("<h2>" + html.EscapeString(p) + "</h2>\n")
		} else {
			body.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	os.WriteFile(page, []byte(`<html><head><meta charset="utf-8"><style>body{font-size:14pt} p{text-indent:2em}</style></head><body>`+body.String()+`</body></html>`), 0o644)
	pdfDir := filepath.Join(dir, "pdf")
	os.Mkdir(pdfDir, 0o755)
	pdf := filepath.Join(pdfDir, "2024年政府工作报告.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}

	ix, err := bleveindex.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srcs, err := indexer.FileSources([]string{pdfDir}, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := indexer.Run(ctx, ix, srcs, indexer.Options{})
	if err != nil || sum.Added != 1 {
		t.Fatalf("indexing the PDF: %+v %v", sum, err)
	}
	got, err := ix.Paragraphs(ctx, sum.Files[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, p := range got {
		text.WriteString(analysis.FoldString(p.Text) + "\n")
	}
	sentence := regexp.MustCompile(`[^。！？；]+[。！？；]`)
	total, found := 0, 0
	for _, p := range paras {
		for _, s := range sentence.FindAllString(p, -1) {
			total++
			if strings.Contains(text.String(), analysis.FoldString(s)) {
				found++
			} else if total-found <= 3 {
				t.Logf("sentence not found: %s", s)
			}
		}
	}
	t.Logf("%d/%d sentences found; %d paragraphs from %d", found, total, len(got), len(paras))
	if total < 400 || found != total {
		t.Errorf("found %d of %d sentences", found, total)
	}
	// Wrapped lines are re-joined: about one paragraph per original one.
	if len(got) > len(paras)*11/10 || len(got) < len(paras)*8/10 {
		t.Errorf("%d paragraphs from %d original ones", len(got), len(paras))
	}
}
