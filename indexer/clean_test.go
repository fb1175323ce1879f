package indexer

import (
	"fmt"
	"os"
	"path/filepath"
	"reportsearch/internal/golden"
	"strings"
	"testing"

	"reportsearch/indexer/extract"
	"reportsearch/internal/corpusdir"
	"reportsearch/search"
)

// renderParagraphs is the golden-file form: one paragraph a line,
// "N [H] section ¦ text".
func renderParagraphs(ps []search.Paragraph) string {
	var b strings.Builder
	for _, p := range ps {
		h := " "
		if p.Heading {
			h = "H"
		}
		fmt.Fprintf(&b, "%d %s %s ¦ %s\n", p.N, h, p.Section, p.Text)
	}
	return b.String()
}

// Golden files of the cleaning of real corpus files, chosen for their
// noise: the district report's page numbers and broken sentences, the
// provincial pages' widgets and related-links footers, the national
// reports' wiki footers and split links, the traditional-script report.
func TestCleanGolden(t *testing.T) {
	corpus := corpusdir.Dir(t)
	for _, name := range []string{
		"district/2022_芝罘区政协_常委会工作报告.txt",
		"provincial/2026_山东省_政府工作报告.txt",
		"provincial/2026_四川省_政府工作报告.txt",
		"provincial/2026_云南省_政府工作报告.txt",
		"national/2024_国务院_政府工作报告.txt",
		"national/1979_国务院_政府工作报告.txt",
		"congress/01_廣州共產黨報告.txt",
	} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpus, name))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := extract.Extract(name, data)
			if err != nil {
				t.Fatal(err)
			}
			got := renderParagraphs(CleanParagraphs(docLines(doc)))
			golden.Check(t, filepath.Join("testdata", "clean", strings.ReplaceAll(name, "/", "__")+".golden"), []byte(got), "the cleaning of "+name)
		})
	}
}
