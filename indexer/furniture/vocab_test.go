package furniture

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reportsearch/internal/golden"
	"strings"
	"testing"
)

// The vocabulary's one golden test: every predicate on every line of
// testdata/lines.txt, in testdata/vocabulary.golden, to be read (what the
// HTML extractor and the cleaner call furniture by wording; where a line
// stands decides the rest). Regenerate with -update after a change to the
// vocabulary, and read the diff.
func TestVocabularyGolden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "lines.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var kinds []string
		if w, a := Widget(line); w {
			if a {
				kinds = append(kinds, "widget(anchored)")
			} else {
				kinds = append(kinds, "widget")
			}
		}
		for _, p := range []struct {
			name string
			is   func(string) bool
		}{
			{"breadcrumb", Breadcrumb}, {"crumb-chain", CrumbChain}, {"source-line", SourceLine},
			{"label-only", LabelOnly}, {"meta-word", HasMetaWord}, {"prev-next", PrevNext},
			{"site-footer", SiteFooter}, {"about-licence", AboutLicence}, {"related-marker", RelatedMarker},
			{"widget-marker", WidgetMarker}, {"byline-marker", BylineMarker}, {"licence-marker", LicenceMarker},
		} {
			if p.is(line) {
				kinds = append(kinds, p.name)
			}
		}
		if s := StripInlineWidgets(line); s != line {
			kinds = append(kinds, fmt.Sprintf("inline-widget→%q", s))
		}
		if len(kinds) == 0 {
			kinds = []string{"-"}
		}
		fmt.Fprintf(&buf, "%s\t%s\n", line, strings.Join(kinds, " "))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "vocabulary.golden"), buf.Bytes(), "the vocabulary's verdicts")
}

// Sentences are never furniture by their wording, whatever words of the
// vocabulary they contain (the cleaner and the extractor rely on it for
// widgets and trails; footers are decided by position).
func TestSentencesAreNotWidgetsOrTrails(t *testing.T) {
	for _, s := range []string{
		"会议要求，各地要做好打印和关闭窗口的安全管理工作。",
		"当前位置偏低，需要继续努力。",
		"大中小企业融资难问题得到缓解。",
		"首页面向群众开放。",
	} {
		if w, _ := Widget(s); w || Breadcrumb(s) || CrumbChain(s) {
			t.Errorf("%q: a widget or a trail", s)
		}
	}
}
