package indexer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"reportsearch/indexer"
)

func TestDamagedReportIndexed(t *testing.T) {
	// Five damaged bytes in a 10 KB report cost five characters, not the
	// report, and the summary says so.
	dir := t.TempDir()
	damaged := []byte(strings.Repeat("过去一年，全市经济运行稳中向好，城市更新行动扎实推进，民生保障持续加强。\n", 120))
	for _, off := range []int{300, 3001, 6002, 9003, 12004} {
		damaged[off] = 0xfe
	}
	if err := os.WriteFile(filepath.Join(dir, "damaged.txt"), damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := indexer.FileSources([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{}
	sum, err := indexer.Run(context.Background(), store, srcs, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := sum.Files[0]
	if r.Status != indexer.StatusAdded || r.ReplacedBytes != 15 {
		t.Fatalf("damaged.txt: %+v, want added with 15 bytes replaced", r)
	}
	js, _ := json.Marshal(r)
	if !strings.Contains(string(js), `"replaced_bytes":15`) {
		t.Errorf("JSON of the result: %s", js)
	}
	var buf bytes.Buffer
	indexer.PrintSummary(&buf, sum)
	if !strings.Contains(buf.String(), "damaged "+filepath.Join(dir, "damaged.txt")+": 15 invalid bytes replaced by U+FFFD") {
		t.Errorf("summary:\n%s", buf.String())
	}
	fffd := 0
	for _, rd := range store.reports {
		for _, p := range rd.Paragraphs {
			fffd += strings.Count(p.Text, "\uFFFD")
		}
	}
	if fffd != 5 {
		t.Errorf("indexed with %d U+FFFD, want 5", fffd)
	}
}
