package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Format names of the legacy word-processor files read through LibreOffice.
const (
	FormatDOC = "doc" // Word 97–2003 binary document
	FormatWPS = "wps" // Kingsoft WPS Office document (the Word binary format in an OLE2 file)
)

// Legacy Word (.doc) and WPS Office (.wps) files are OLE2 compound files
// holding the Word binary format (a WordDocument stream). Rather than
// parse it, they are converted to DOCX by LibreOffice, which reads them as
// well as anything can, and the DOCX is read by the DOCX path:
//
//	soffice --headless --norestore -env:UserInstallation=file:///TMP/profile
//	        --convert-to docx --outdir /TMP/out /TMP/in.doc
//
// Each conversion gets its own temporary folder with a fresh profile (two
// instances sharing a profile block each other, and a profile left by a
// crash would make the next start ask to recover), at most officeSlots
// conversions run at once (each LibreOffice takes a core and ~200 MB), and
// a conversion that takes longer than officeTimeout is killed with its
// whole process group (soffice starts soffice.bin, which would otherwise
// live on). Without LibreOffice the file is skipped with a reason naming
// the Debian package, libreoffice-writer-nogui.
//
// runTool below is this package's own small runner for external tools
// (timeout, process group, bounded output); pdftotext has its own in
// pdf.go. The two can share one when the runners are unified.

// sofficePath is the LibreOffice command, looked up on PATH. Tests replace
// it to simulate a machine without LibreOffice.
var sofficePath = "soffice"

// officePackage is the Debian package that provides soffice.
const officePackage = "libreoffice-writer-nogui"

// officeTimeout bounds one conversion, start-up included.
var officeTimeout = 120 * time.Second

// officeSlots bounds the conversions running at once.
var officeSlots = make(chan struct{}, 2)

// maxConvertedDOCX bounds the DOCX LibreOffice writes.
const maxConvertedDOCX = 256 << 20

// sniffOLE2 tells a Word binary document (.doc, .wps) from the other OLE2
// files, which stay unsupported.
func sniffOLE2(ext string, data []byte) detected {
	if !bytes.Contains(data, utf16LEBytes("WordDocument")) {
		return detected{skip: skipf("unsupported format: %s", oleKind(ext, data))}
	}
	format, what := FormatDOC, "legacy Word document (.doc)"
	if ext == ".wps" {
		format, what = FormatWPS, "WPS Office document (.wps, Word format)"
	}
	if !validOLE2Header(data) {
		return detected{skip: skipf("corrupt %s: bad OLE2 header", what)}
	}
	return detected{format: format}
}

// validOLE2Header checks the fixed fields of an OLE2 header: the byte order
// mark and a sector size of 512 or 4096 bytes.
func validOLE2Header(data []byte) bool {
	if len(data) < 512 {
		return false
	}
	shift := int(data[30]) | int(data[31])<<8
	return data[28] == 0xFE && data[29] == 0xFF && (shift == 9 || shift == 12)
}

// extractOffice converts a .doc or .wps file to DOCX with LibreOffice and
// reads that.
func extractOffice(data []byte, format string) (*Document, error) {
	what := "legacy Word document (.doc)"
	if format == FormatWPS {
		what = "WPS Office document (.wps, Word format)"
	}
	docx, err := convertWithOffice(data, ".doc", "docx", what)
	if err != nil {
		return nil, err
	}
	doc, err := extractDOCX(docx)
	if err != nil {
		return nil, err
	}
	doc.Format = format
	return doc, nil
}

// convertWithOffice converts data (a file with extension ext) to format
// with LibreOffice and returns the converted file.
func convertWithOffice(data []byte, ext, format, what string) ([]byte, error) {
	bin, err := exec.LookPath(sofficePath)
	if err != nil {
		return nil, skipErr(err, "%s needs LibreOffice: install %s (apt-get install %s)", what, officePackage, officePackage)
	}
	officeSlots <- struct{}{}
	defer func() { <-officeSlots }()

	tmp, err := os.MkdirTemp("", "extract-office-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "in"+ext)
	outDir := filepath.Join(tmp, "out")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("write temporary file: %w", err)
	}
	profile := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(tmp, "profile"))}).String()
	res, err := runTool(officeTimeout, tmp, bin, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
		"-env:UserInstallation="+profile, "--convert-to", format, "--outdir", outDir, in)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, skipErr(err, "LibreOffice took longer than %s to convert this %s", officeTimeout, what)
	case err != nil && res == nil:
		return nil, fmt.Errorf("run LibreOffice: %w", err)
	}
	out := filepath.Join(outDir, "in."+format)
	st, statErr := os.Stat(out)
	if statErr != nil || st.Size() == 0 {
		// soffice exits 0 when it cannot load a file: the missing output
		// is the sign.
		msg := errorLine(res.stderr + "\n" + res.stdout)
		if err != nil {
			msg = err.Error() + ": " + msg
		}
		return nil, skipErr(err, "LibreOffice cannot convert this %s: %s", what, msg)
	}
	if st.Size() > maxConvertedDOCX {
		return nil, skipf("%s converted to a %d-byte DOCX, limit is %d", what, st.Size(), maxConvertedDOCX)
	}
	return os.ReadFile(out)
}

// toolResult is what an external tool printed.
type toolResult struct {
	stdout, stderr string
}

// runTool runs a command in its own process group with a timeout; on
// timeout the whole group is killed and the error is
// context.DeadlineExceeded. Output is kept up to 64 KiB per stream. A
// non-nil result comes with an error when the tool ran but failed.
func runTool(timeout time.Duration, dir, bin string, args ...string) (*toolResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	// A HOME of its own: LibreOffice writes caches under it.
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &stdout, n: 64 << 10}
	cmd.Stderr = &limitedWriter{w: &stderr, n: 64 << 10}
	setProcessGroup(cmd)
	cmd.Cancel = func() error { return killProcessGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	// Children that outlived the tool (a soffice.bin left behind) go too.
	killProcessGroup(cmd)
	res := &toolResult{stdout: stdout.String(), stderr: stderr.String()}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, err
	}
	return res, err
}
