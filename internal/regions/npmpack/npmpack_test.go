package npmpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTgz(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(t.TempDir(), "p.tgz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRead(t *testing.T) {
	path := writeTgz(t, map[string]string{
		"package/package.json": `{"name":"x-data","version":"1.2.3"}`,
		"package/a.json":       "[1]",
		"package/b.json":       "[2]",
	})
	p, err := Read(path, "package/a.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "x-data" || p.Version != "1.2.3" || string(p.Files["package/a.json"]) != "[1]" || len(p.SHA256) != 64 {
		t.Errorf("got %+v", p)
	}
	if _, ok := p.Files["package/b.json"]; ok {
		t.Error("a file not asked for was read")
	}
	if _, err := Read(path, "package/c.json"); err == nil || !strings.Contains(err.Error(), "no package/c.json") {
		t.Errorf("a missing file: %v", err)
	}
}
