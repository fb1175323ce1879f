package extract

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"reportsearch/internal/fixtures"
)

func TestOffice(t *testing.T) {
	doc := fixtures.DOC(t, fixtures.DOCXReport(t, rtfReport, fixtures.DOCXOptions{Header: "页眉文字", Footer: "页脚文字"}))
	want := []Block{
		bh(1, "2026年政府工作报告"),
		bh(2, "一、过去一年的工作"),
		b0("过去一年，地区生产总值增长5.4%，城市更新{行动}扎实推进。"),
		b0("指标 | 目标"),
		b0("GDP增长 | 5%左右"),
		b0("（一）网格化治理成效明显。"),
		bh(1, NotesHeading),
		b0("数据来源：省统计局。"),
	}
	for _, tt := range []struct{ name, format string }{{"report.doc", FormatDOC}, {"report.wps", FormatWPS}, {"noext", FormatDOC}} {
		t.Run(tt.name, func(t *testing.T) {
			got := mustExtract(t, tt.name, doc)
			if got.Format != tt.format {
				t.Errorf("Format = %q, want %q", got.Format, tt.format)
			}
			checkBlocks(t, got.Blocks, want)
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		// The header and the directory are kept, the streams zeroed.
		broken := append([]byte{}, doc...)
		clear(broken[512 : len(broken)-2048])
		skip := wantSkip(t, "broken.doc", broken, "LibreOffice cannot convert", ".doc")
		t.Logf("reason: %s", skip.Reason)
	})
}

func TestOfficeWithoutLibreOffice(t *testing.T) {
	saved := sofficePath
	t.Cleanup(func() { sofficePath = saved })
	sofficePath = "/nonexistent/bin/soffice"
	ole := append(append([]byte{}, magicOLE2...), make([]byte, 1024)...)
	ole[28], ole[29], ole[30] = 0xFE, 0xFF, 9
	ole = append(ole, utf16LEBytes("WordDocument")...)
	skip := wantSkip(t, "report.wps", ole, "LibreOffice", "libreoffice-writer-nogui", ".wps")
	if skip.Err == nil {
		t.Error("SkipError should wrap the lookup error")
	}
	wantSkip(t, "bad.doc", append(append([]byte{}, magicOLE2...), append(make([]byte, 600), utf16LEBytes("WordDocument")...)...), "corrupt", "OLE2 header")
}

// A conversion that hangs is killed with its children when it times out.
func TestOfficeTimeout(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "soffice")
	// The child holds stdout open: unless the whole group is killed,
	// the run waits for it.
	if err := os.WriteFile(script, []byte("#!/bin/sh\nsleep 60 &\nsleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	savedPath, savedTimeout := sofficePath, officeTimeout
	t.Cleanup(func() { sofficePath, officeTimeout = savedPath, savedTimeout })
	sofficePath, officeTimeout = script, 300*time.Millisecond
	ole := append(append([]byte{}, magicOLE2...), make([]byte, 1024)...)
	ole[28], ole[29], ole[30] = 0xFE, 0xFF, 9
	ole = append(ole, utf16LEBytes("WordDocument")...)
	start := time.Now()
	wantSkip(t, "slow.doc", ole, "took longer")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timed-out conversion returned after %s: its children were not killed", d)
	}
}
