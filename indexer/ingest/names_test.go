package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeFileName(t *testing.T) {
	// A safe name is kept; a name that had to change gets a suffix from
	// a hash of the original name.
	for in, want := range map[string]string{
		"报告.txt":                   "报告.txt",
		"../../etc/passwd":         "passwd",
		`C:\Users\张三\2022 报告.docx`: "2022 报告.docx",
		"com10.txt":                "com10.txt",
		".bashrc":                  "upload-b7cf3e96.bashrc",
		"...a.txt":                 "a-e83e7777.txt",
		"a<b>:c|d?.txt":            "a_b__c_d_-d7cd4603.txt",
		"tab\there.txt":            "tab_here-8f5284fa.txt",
		"nul\x00.txt":              "nul_-05b288e2.txt",
		"trailing. ":               "trailing-55c500e8",
		// Names that would collide when cleaned.
		" .txt":     "upload-dda9e32f.txt",
		"....txt":   "upload-5fa1e9d7.txt",
		"dir/ .txt": "upload-dda9e32f.txt", // the same base name: the same file
		// Windows device names, with any extension and in any case.
		"CON.txt":    "_CON-09c8cc7e.txt",
		"nul.txt":    "_nul-7f3cbdd5.txt",
		"con.tar.gz": "_con.tar-660e2a85.gz",
		"COM1 .txt":  "_COM1-a37e68dc.txt",
		"LPT9":       "_LPT9-fc889fa9",
		"Aux":        "_Aux-6e1fde7a",
	} {
		got, err := SafeFileName(in)
		if err != nil || got != want {
			t.Errorf("SafeFileName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, dev := range reservedNames {
		for _, ext := range []string{"", ".txt", ".docx", ".a.b"} {
			got, err := SafeFileName(strings.ToLower(dev) + ext)
			if first, _, _ := strings.Cut(got, "."); err != nil || !strings.HasPrefix(first, "_") {
				t.Errorf("SafeFileName(%q) = %q, %v: a device name", dev+ext, got, err)
			}
		}
	}
	for _, bad := range []string{"", ".", "..", "/", "a/", "x.META.json", "Manifest.CSV", "manifest.jsonl"} {
		if got, err := SafeFileName(bad); err == nil {
			t.Errorf("SafeFileName(%q) = %q, want an error", bad, got)
		}
	}
	long, _ := SafeFileName(strings.Repeat("报", 100) + ".txt")
	long2, _ := SafeFileName(strings.Repeat("报", 100) + "二.txt")
	if len(long) > 200 || !strings.HasSuffix(long, ".txt") || !utf8.ValidString(long) || long == long2 {
		t.Errorf("long names %q (%d bytes), %q", long, len(long), long2)
	}
}
