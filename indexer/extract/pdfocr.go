package extract

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Scanned pages are read by OCR: a page of a PDF without a word of text
// is rendered by poppler's pdftoppm (200 dpi, greyscale, PNG, in a
// temporary folder) and read by tesseract with the simplified-Chinese
// model (chi_sim, --psm 6: the page as one block of text, which measured
// better on report pages than the automatic segmentation; see
// docs/formats.md). Page by page, each run within OCRPageTimeout and all of
// them within OCRTimeout. OCR text is not exact (a character in fifty is
// wrong), so a report read by OCR is marked (Document.OCR).

// Tools of the OCR path, looked up on PATH; tests replace them.
var (
	pdftoppmPath  = "pdftoppm"
	pdfimagesPath = "pdfimages"
	tesseractPath = "tesseract"
)

// ocrLang is the tesseract model used, and ocrPSM its page segmentation
// mode.
const (
	ocrLang = "chi_sim"
	ocrPSM  = "6"
	ocrDPI  = "200"
)

// ocrNeeds is the skip reason's advice when OCR is not available.
const ocrNeeds = "install tesseract-ocr tesseract-ocr-chi-sim (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"

// OCRProgress is called, when set in the context given to ExtractWith
// (WithOCRProgress), after each page of the file name read by OCR: done
// of total pages to read.
type OCRProgress func(name string, done, total int)

type (
	ocrProgressKey struct{}
	ocrNameKey     struct{}
)

// WithOCRProgress returns a context whose extraction reports OCR progress
// page by page to fn.
func WithOCRProgress(ctx context.Context, fn OCRProgress) context.Context {
	return context.WithValue(ctx, ocrProgressKey{}, fn)
}

// ocrPages reads the pages listed in empty (indexes from 0) of the PDF at
// path by OCR into texts, skipping those that have no image. It returns the
// number of pages read; a skip error when OCR is not available or over a
// limit.
func ocrPages(ctx context.Context, path string, empty []int, pages int, texts [][]pageLine, lim *Limits) (int, error) {
	if err := ocrAvailable(ctx, lim); err != nil {
		return 0, err
	}
	empty = pagesWithImages(ctx, path, empty, lim)
	if len(empty) == 0 {
		return 0, nil
	}
	dir, err := os.MkdirTemp("", "extract-ocr-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	octx, cancel := context.WithTimeout(ctx, lim.OCRTimeout)
	defer cancel()
	progress, _ := ctx.Value(ocrProgressKey{}).(OCRProgress)
	done := 0
	for _, p := range empty {
		lines, err := ocrPage(octx, path, dir, p, lim)
		if err != nil {
			if ctx.Err() == nil && octx.Err() != nil {
				return done, overLimit("OCRTimeout", "OCR of %d pages took longer than %s", len(empty), lim.OCRTimeout)
			}
			return done, err
		}
		texts[p] = lines
		done++
		if progress != nil {
			name, _ := ctx.Value(ocrNameKey{}).(string)
			progress(name, done, len(empty))
		}
	}
	return done, nil
}

// ocrAvailable reports, as a skip error, a machine without tesseract or
// its chi_sim model, or without pdftoppm.
func ocrAvailable(ctx context.Context, lim *Limits) error {
	out, err := runTool(ctx, lim.ToolTimeout, 1<<20, tesseractPath, "--list-langs")
	if err != nil {
		var te *ToolError
		if errors.As(err, &te) {
			return skipErr(err, "PDF has no extractable text and OCR is not available (tesseract not found): "+ocrNeeds)
		}
		return err
	}
	has := false
	for _, l := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(l) == ocrLang {
			has = true
		}
	}
	if !has {
		return skipf("PDF has no extractable text and OCR is not available (tesseract has no %s model): %s", ocrLang, ocrNeeds)
	}
	if _, err := runTool(ctx, lim.ToolTimeout, 1<<20, pdftoppmPath, "-v"); err != nil {
		var te *ToolError
		if errors.As(err, &te) && te.NotFound() {
			return skipErr(err, "pdftoppm not found: install poppler-utils (apt-get install poppler-utils)")
		}
	}
	return nil
}

// pagesWithImages keeps the pages of empty that show an image (pdfimages
// -list); a blank page costs no OCR. When pdfimages fails, every page is
// kept.
func pagesWithImages(ctx context.Context, path string, empty []int, lim *Limits) []int {
	out, err := runTool(ctx, lim.ToolTimeout, lim.MaxToolOutput, pdfimagesPath, "-list", "-l", strconv.Itoa(lim.MaxPDFPages), path)
	if err != nil {
		return empty
	}
	with := map[int]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				with[n-1] = true
			}
		}
	}
	var keep []int
	for _, p := range empty {
		if with[p] {
			keep = append(keep, p)
		}
	}
	return keep
}

// ocrPage renders page p (from 0) and reads it by OCR: its lines, spaces
// between Han characters removed.
func ocrPage(ctx context.Context, path, dir string, p int, lim *Limits) ([]pageLine, error) {
	n := strconv.Itoa(p + 1)
	png := filepath.Join(dir, "page")
	if _, err := runTool(ctx, lim.OCRPageTimeout, 1<<20, pdftoppmPath, "-f", n, "-l", n, "-r", ocrDPI, "-gray", "-png", "-singlefile", path, png); err != nil {
		var te *ToolError
		if errors.As(err, &te) && te.Timeout > 0 {
			return nil, overLimit("OCRPageTimeout", "rendering page %d for OCR took longer than %s", p+1, te.Timeout)
		}
		return nil, pdfToolError("pdftoppm", err)
	}
	defer os.Remove(png + ".png")
	// One thread: tesseract's OpenMP threads cost more than they save on
	// a machine shared with indexing and searches.
	run := toolRun{timeout: lim.OCRPageTimeout, maxOutput: lim.MaxToolOutput, env: append(os.Environ(), "OMP_THREAD_LIMIT=1")}
	out, err := runToolWith(ctx, run, tesseractPath, png+".png", "-", "-l", ocrLang, "--psm", ocrPSM)
	if err != nil {
		var te *ToolError
		switch {
		case !errors.As(err, &te):
			return nil, err
		case te.Timeout > 0:
			return nil, overLimit("OCRPageTimeout", "OCR of page %d took longer than %s", p+1, te.Timeout)
		}
		return nil, skipErr(err, "tesseract cannot read page %d: %s", p+1, errorLine(te.Stderr))
	}
	text, _ := decodeUTF8(trimFF(out))
	var lines []pageLine
	blank := false
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(closeCJKSpaces(l))
		if l == "" {
			blank = len(lines) > 0 // tesseract separates its paragraphs by blank lines
			continue
		}
		lines = append(lines, pageLine{text: l, y: float64(len(lines)), blank: blank})
		blank = false
	}
	return lines, nil
}
