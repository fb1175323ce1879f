package indexer

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reportsearch/internal/golden"
	"testing"

	"reportsearch/search"
)

// A manifest entry's JSON is covered by the content hash of every file
// indexed with metadata (contentHash): were it to change, the next run
// would re-index every such file of every index. testdata/manifest.golden
// holds it, full and empty, with the hash, byte for byte.
func TestManifestEntryJSONGolden(t *testing.T) {
	full := &ManifestEntry{Path: "a/山东.txt", ID: "sd", Title: "2026年山东省政府工作报告", Date: "2026-01-20", SourceURL: "https://example.com/a"}
	full.Year, full.Region, full.Level, full.Organization, full.DocType = 2026, "山东省", "provincial", "山东省人民政府", "政府工作报告"
	var buf bytes.Buffer
	for _, e := range []*ManifestEntry{full, {Path: "b.txt"}, {Path: "c.txt", Meta: search.Meta{Region: "芝罘区"}}} {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString(string(data) + " " + contentHash([]byte("报告"), e) + "\n")
	}
	golden.Check(t, filepath.Join("testdata", "manifest.golden"), buf.Bytes(), "manifest entry JSON")
}
