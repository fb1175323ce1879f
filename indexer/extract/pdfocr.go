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
// is rendered by poppler's pdftoppm (greyscale PNG at ocrDPI, in a
// temporary folder) and read by tesseract with the simplified-Chinese
// model: chi_sim, --psm 3 (automatic layout: with --psm 6 a page in
// columns is read as one block, lines across the gutter), Sauvola
// binarisation (ocrThreshold), tsv output; then read again, by a second
// model when one is installed (OCRModelEnv), else rendered at ocrDPI2 and
// read by the same model, and the second reading mends the first where it
// is more confident (mergeOCR, ocrmerge.go). The word boxes of the tsv are
// laid out like a text page's (layoutPage: columns, indents, no spaces
// between Han characters), so that running headers, mastheads and
// sentences cut by page breaks are handled as on text pages. The settings
// were measured on scans of several reports (docs/formats.md). Page by
// page, each run within OCRPageTimeout and all of them within OCRTimeout.
// OCR text is not exact (a character in fifty is wrong), so a report read
// by OCR is marked (Document.OCR).

// Tools of the OCR path, looked up on PATH; tests replace them.
var (
	pdftoppmPath  = "pdftoppm"
	pdfimagesPath = "pdfimages"
	tesseractPath = "tesseract"
)

// ocrLang is the tesseract model used, ocrPSM its page segmentation
// mode and ocrDPI the resolution pages are rendered at.
const (
	ocrLang = "chi_sim"
	ocrPSM  = "3"
	ocrDPI  = 200
	// ocrDPI2 is the resolution of the second reading (mergeOCR).
	ocrDPI2 = 300
	// ocrThreshold binarises the page by Sauvola's method (a threshold
	// per pixel from the mean and spread of the grey levels around it)
	// instead of one global threshold: the dense strokes of characters
	// such as 增 stay apart in greyscale scans (measured against global and
	// adaptive Otsu in docs/formats.md).
	ocrThreshold = "thresholding_method=2"
)

// OCRModelEnv names the environment variable that gives OCR a second
// model: a tessdata folder holding a chi_sim.traineddata trained apart from
// Debian's (the "fast" model of tesseract-ocr-chi-sim), such as tessdata
// 4.0.0's (npm's @tesseract.js-data/chi_sim, 4.0.0/chi_sim.traineddata.gz
// unpacked). The two models misread different characters (Debian's 增 as
// 境 after a comma, the other 门 as 自), so the merge of their readings of
// one rendering finds more short clauses than two renderings read by one
// model (docs/formats.md). Unset, OCR needs Debian's model alone; set to a
// folder without chi_sim, scanned pages are skipped with a reason.
const OCRModelEnv = "REPORTSEARCH_TESSDATA"

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
	if !hasLang(string(out), ocrLang) {
		return skipf("PDF has no extractable text and OCR is not available (tesseract has no %s model): %s", ocrLang, ocrNeeds)
	}
	if model := os.Getenv(OCRModelEnv); model != "" {
		out, err := runTool(ctx, lim.ToolTimeout, 1<<20, tesseractPath, "--tessdata-dir", model, "--list-langs")
		if err != nil || !hasLang(string(out), ocrLang) {
			return skipf("PDF has no extractable text and the OCR model folder %s=%s has no %s.traineddata", OCRModelEnv, model, ocrLang)
		}
	}
	if _, err := runTool(ctx, lim.ToolTimeout, 1<<20, pdftoppmPath, "-v"); err != nil {
		var te *ToolError
		if errors.As(err, &te) && te.NotFound() {
			return skipErr(err, "pdftoppm not found: install poppler-utils (apt-get install poppler-utils)")
		}
	}
	return nil
}

// hasLang reports whether tesseract's --list-langs output lists lang.
func hasLang(out, lang string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == lang {
			return true
		}
	}
	return false
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

// ocrPage reads page p (from 0) by OCR twice and merges the readings
// (mergeOCR): its lines in reading order. With a second model (OCRModelEnv)
// both readings are of the one rendering at ocrDPI, by Debian's model and
// by the second; without it, the second reading is Debian's of a rendering
// at ocrDPI2.
func ocrPage(ctx context.Context, path, dir string, p int, lim *Limits) ([]pageLine, error) {
	png, err := ocrRender(ctx, path, dir, p, ocrDPI, lim)
	if err != nil {
		return nil, err
	}
	defer os.Remove(png)
	page, confs, err := ocrRead(ctx, png, p, ocrDPI, "", lim)
	if err != nil {
		return nil, err
	}
	var second pdfPage
	var sconfs []float64
	if model := os.Getenv(OCRModelEnv); model != "" {
		second, sconfs, err = ocrRead(ctx, png, p, ocrDPI, model, lim)
	} else {
		png2, rerr := ocrRender(ctx, path, dir, p, ocrDPI2, lim)
		if rerr != nil {
			return nil, rerr
		}
		defer os.Remove(png2)
		second, sconfs, err = ocrRead(ctx, png2, p, ocrDPI2, "", lim)
	}
	if err != nil {
		return nil, err
	}
	return layoutPage(mergeOCR(page, confs, second, sconfs)), nil
}

// ocrRender renders page p at dpi into a greyscale PNG in dir and returns
// its path.
func ocrRender(ctx context.Context, path, dir string, p, dpi int, lim *Limits) (string, error) {
	n := strconv.Itoa(p + 1)
	base := filepath.Join(dir, "page-"+strconv.Itoa(dpi))
	if _, err := runTool(ctx, lim.OCRPageTimeout, 1<<20, pdftoppmPath, "-f", n, "-l", n, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", path, base); err != nil {
		var te *ToolError
		if errors.As(err, &te) && te.Timeout > 0 {
			return "", overLimit("OCRPageTimeout", "rendering page %d for OCR took longer than %s", p+1, te.Timeout)
		}
		return "", pdfToolError("pdftoppm", err)
	}
	return base + ".png", nil
}

// ocrRead reads page p, rendered at dpi into png, by OCR with the chi_sim
// model of the tessdata folder model (Debian's when empty): its word boxes
// (in points) and the confidence of each word. The tsv output is asked for
// by variable, not by Debian's "tsv" config file, which a model folder of
// its own does not have; --oem 1 (the LSTM recogniser) because a model
// folder may also hold the legacy recogniser's data, which tesseract would
// otherwise load and combine.
func ocrRead(ctx context.Context, png string, p, dpi int, model string, lim *Limits) (pdfPage, []float64, error) {
	args := []string{png, "-", "-l", ocrLang, "--oem", "1", "--psm", ocrPSM, "-c", ocrThreshold, "-c", "tessedit_create_tsv=1"}
	if model != "" {
		args = append([]string{"--tessdata-dir", model}, args...)
	}
	// One thread: tesseract's OpenMP threads cost more than they save on
	// a machine shared with indexing and searches.
	run := toolRun{timeout: lim.OCRPageTimeout, maxOutput: lim.MaxToolOutput, env: append(os.Environ(), "OMP_THREAD_LIMIT=1")}
	out, err := runToolWith(ctx, run, tesseractPath, args...)
	if err != nil {
		var te *ToolError
		switch {
		case !errors.As(err, &te):
			return pdfPage{}, nil, err
		case te.Timeout > 0:
			return pdfPage{}, nil, overLimit("OCRPageTimeout", "OCR of page %d took longer than %s", p+1, te.Timeout)
		}
		return pdfPage{}, nil, skipErr(err, "tesseract cannot read page %d: %s", p+1, errorLine(te.Stderr))
	}
	text, _ := decodeUTF8(out)
	page, confs := parseOCRWords(text, dpi)
	return page, confs, nil
}

// parseOCRTSV is parseOCRWords without the confidences.
func parseOCRTSV(text string, dpi int) pdfPage {
	p, _ := parseOCRWords(text, dpi)
	return p
}

// parseOCRWords reads the word rows (level 5) of tesseract's tsv output into
// a page of word boxes in points (pixels at dpi), so that a scanned page
// is laid out like a text page: lines by position, columns by their
// gutters, spaces between Han characters dropped, indents and paragraph
// gaps kept (pdflayout.go); and each word's confidence (0–100). Rows that
// do not parse are ignored.
func parseOCRWords(text string, dpi int) (pdfPage, []float64) {
	scale := 72 / float64(dpi)
	var p pdfPage
	var confs []float64
	for _, row := range strings.Split(text, "\n") {
		// level page block par line word left top width height conf text
		f := strings.SplitN(strings.TrimRight(row, "\r"), "\t", 12)
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		var box [4]float64
		ok := true
		for i := range box {
			v, err := strconv.Atoi(f[6+i])
			if err != nil || v < 0 || v > 1<<20 {
				ok = false
				break
			}
			box[i] = float64(v) * scale
		}
		word := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if !ok || word == "" || err != nil {
			continue
		}
		w := pdfWord{x0: box[0], y0: box[1], x1: box[0] + box[2], y1: box[1] + box[3], text: word}
		p.words = append(p.words, w)
		confs = append(confs, conf)
		p.width, p.height = max(p.width, w.x1), max(p.height, w.y1)
	}
	return p, confs
}
