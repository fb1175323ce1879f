package extract

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file turns the word boxes that `pdftotext -bbox` writes into the
// lines of a page in reading order. pdftotext's own modes were measured
// against it (docs/formats.md): -layout splits a line whose digits are set
// in another font into two lines (the font boxes differ) and prints two
// columns side by side on one line; -raw follows the content stream, which
// reads a multi-column page right only when the producer wrote it column by
// column. Here:
//
//  1. Words are grouped into lines by their vertical centres (within half
//     an em, so a Latin word whose font box is lower than the Han text
//     around it stays on its line).
//  2. A line is cut into segments at gaps wider than 1.5 em (the gutter
//     between columns, the space between table cells), of the page's font
//     size or the words' own where both are larger.
//  3. Columns are found as vertical gutters: x ranges, in the middle 70 %
//     of the page's text, that no segment (or almost none) crosses, with
//     text on both sides. A segment crossing a gutter (a masthead, a
//     headline, a running header) spans the columns: the page is read band
//     by band between spanning segments, each band column by column.
//  4. Words are joined without a space where either side is a Han character
//     or CJK punctuation (397 起, GDP 的 → 397起, GDP的; justified text
//     spreads characters apart), with one between two Latin words.
//  5. A line that starts 1.2 em or more right of its column's left edge is
//     indented (it gets two leading spaces, as -layout printed it), and a
//     vertical gap of more than 1.6 times the page's usual line pitch is a
//     blank line: the cleaning stage uses both to tell paragraphs apart.

// maxNearWords is how many of a line's last words a word is compared
// with to find its line.
const maxNearWords = 32

// pdfWord is one word box of pdftotext -bbox, in points from the page's
// top left corner.
type pdfWord struct {
	x0, y0, x1, y1 float64
	text           string
}

func (w *pdfWord) cy() float64 { return (w.y0 + w.y1) / 2 }

// em estimates the font size of a word: the advance of a full-width
// character, or for Latin text its box height.
func (w *pdfWord) em() float64 {
	n, wide := 0, 0
	for _, r := range w.text {
		n++
		if isWide(r) {
			wide++
		}
	}
	if n > 0 && wide == n {
		return (w.x1 - w.x0) / float64(n)
	}
	return (w.y1 - w.y0) / 1.1
}

// pdfPage is one page of words.
type pdfPage struct {
	width, height float64
	words         []pdfWord
}

// parseBBox reads pdftotext -bbox output: a page element per page, a word
// element per word.
func parseBBox(data string) ([]pdfPage, error) {
	d := xml.NewDecoder(strings.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var pages []pdfPage
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return pages, nil
		}
		if err != nil {
			return pages, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			p := pdfPage{}
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "width":
					p.width = v
				case "height":
					p.height = v
				}
			}
			pages = append(pages, p)
		case "word":
			if len(pages) == 0 {
				continue
			}
			var w pdfWord
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "xMin":
					w.x0 = v
				case "yMin":
					w.y0 = v
				case "xMax":
					w.x1 = v
				case "yMax":
					w.y1 = v
				}
			}
			var text string
			if err := d.DecodeElement(&text, &se); err != nil {
				return pages, err
			}
			w.text = strings.TrimSpace(text)
			if w.text != "" && !math.IsNaN(w.x0+w.x1+w.y0+w.y1) {
				p := &pages[len(pages)-1]
				p.words = append(p.words, w)
			}
		}
	}
}

// pageLine is one line of a page in reading order.
type pageLine struct {
	text   string
	indent bool
	blank  bool    // a vertical gap before it: a blank line
	y      float64 // the top of the line, for the furniture at the page's edges
	bottom float64 // and its bottom
}

// segment is a run of words of one line without a wide gap.
type segment struct {
	line   int // index of the line it was cut from
	x0, x1 float64
	y      float64 // the line's centre
	top    float64
	bottom float64
	words  []pdfWord
	col    int // column, or -1 when it spans a gutter
}

// layoutPage returns the lines of a page in reading order.
func layoutPage(p pdfPage) []pageLine {
	if len(p.words) == 0 {
		return nil
	}
	em := pageEm(p.words)
	words := append([]pdfWord(nil), p.words...)
	sort.SliceStable(words, func(i, j int) bool { return words[i].cy() < words[j].cy() })

	// 1. Lines by vertical centre, compared with the horizontally nearest
	// word of a line: where two columns' lines are almost level, a word
	// joins the line of its own column.
	var lines [][]pdfWord
	var ref []float64 // each line's first centre
	for _, w := range words {
		thr := 0.5 * max(em, min(w.em(), 2*em))
		best, bestGap := -1, math.Inf(1)
		for k := len(lines) - 1; k >= 0 && k >= len(lines)-20 && ref[k] >= w.cy()-4*thr; k-- {
			gap, dy := math.Inf(1), 0.0
			// The line's last words only: a hostile page of one
			// endless line costs no more than a real one.
			for _, u := range lines[k][max(0, len(lines[k])-maxNearWords):] {
				if g := max(u.x0-w.x1, w.x0-u.x1, 0); g < gap {
					gap, dy = g, math.Abs(w.cy()-u.cy())
				}
			}
			if dy <= thr && gap < bestGap {
				best, bestGap = k, gap
			}
		}
		if best >= 0 {
			lines[best] = append(lines[best], w)
			continue
		}
		lines = append(lines, []pdfWord{w})
		ref = append(ref, w.cy())
	}

	// 2. Segments at wide gaps.
	var segs []segment
	for i, l := range lines {
		sort.SliceStable(l, func(a, b int) bool { return l[a].x0 < l[b].x0 })
		top, bottom := l[0].y0, l[0].y1
		for _, w := range l {
			top, bottom = min(top, w.y0), max(bottom, w.y1)
		}
		cur := segment{line: i, x0: l[0].x0, x1: l[0].x1, y: ref[i], top: top, bottom: bottom, words: []pdfWord{l[0]}}
		for k, w := range l[1:] {
			// A gap is wide against the page's font size, or the
			// words' own where they are larger (a title, a masthead:
			// OCR boxes the ink of each character, so spaced large
			// characters are far apart).
			if w.x0-cur.x1 > 1.5*max(em, min(w.em(), l[k].em(), 4*em)) {
				segs = append(segs, cur)
				cur = segment{line: i, x0: w.x0, x1: w.x1, y: ref[i], top: top, bottom: bottom}
			}
			cur.words = append(cur.words, w)
			cur.x1 = max(cur.x1, w.x1)
		}
		segs = append(segs, cur)
	}

	// 3. Columns.
	gutters := findGutters(segs, em)
	for i := range segs {
		s := &segs[i]
		s.col = 0
		for _, g := range gutters {
			if s.x0 < g && s.x1 > g {
				s.col = -1
				break
			}
			if s.x0 >= g {
				s.col++
			}
		}
	}
	left := map[int]float64{}
	for _, s := range segs {
		if v, ok := left[s.col]; !ok || s.x0 < v {
			left[s.col] = s.x0
		}
	}
	if len(gutters) > 0 {
		// A spanning line's edge is the page's text edge.
		edge := math.Inf(1)
		for _, s := range segs {
			edge = min(edge, s.x0)
		}
		left[-1] = edge
	}

	// Reading order: bands between spanning segments, each column by
	// column; segments of one line in one column are one line again
	// (table cells, a heading's spaced words).
	var out []pageLine
	pitch := linePitch(segs)
	var band [][]segment
	flush := func() {
		for _, col := range band {
			out = appendLines(out, col, left, em, pitch)
		}
		band = nil
	}
	var spanning []segment
	for i := 0; i < len(segs); {
		j := i
		for j < len(segs) && segs[j].line == segs[i].line {
			j++
		}
		lineSegs := segs[i:j]
		i = j
		span := false
		for _, s := range lineSegs {
			if s.col < 0 {
				span = true
			}
		}
		if span {
			flush()
			spanning = append(spanning[:0], lineSegs...)
			for k := range spanning {
				spanning[k].col = -1
			}
			out = appendLines(out, spanning, left, em, pitch)
			continue
		}
		for _, s := range lineSegs {
			for len(band) <= s.col {
				band = append(band, nil)
			}
			band[s.col] = append(band[s.col], s)
		}
	}
	flush()
	return out
}

// appendLines appends the lines made of segs (one column's, in line order)
// to out: segments of one line are joined with a space.
func appendLines(out []pageLine, segs []segment, left map[int]float64, em, pitch float64) []pageLine {
	prevY := math.NaN()
	for i := 0; i < len(segs); {
		j := i
		var words []pdfWord
		for j < len(segs) && segs[j].line == segs[i].line {
			words = append(words, segs[j].words...)
			if j > i {
				words[len(words)-len(segs[j].words)].text = " " + words[len(words)-len(segs[j].words)].text
			}
			j++
		}
		s := segs[i]
		l := pageLine{text: joinWords(words), y: s.top, bottom: s.bottom}
		l.indent = s.x0-left[s.col] >= 1.2*em
		if !math.IsNaN(prevY) && pitch > 0 && s.y-prevY > 1.6*pitch {
			l.blank = true
		}
		prevY = s.y
		if l.indent {
			l.text = "  " + l.text
		}
		out = append(out, l)
		i = j
	}
	return out
}

// joinWords joins the words of a line: a space only between two
// characters that are neither Han nor CJK punctuation.
func joinWords(words []pdfWord) string {
	var sb strings.Builder
	for i, w := range words {
		t := w.text
		if i > 0 {
			forced := strings.HasPrefix(t, " ")
			t = strings.TrimPrefix(t, " ")
			prev, _ := utf8.DecodeLastRuneInString(sb.String())
			next, _ := utf8.DecodeRuneInString(t)
			if forced || !isWide(prev) && !isWide(next) {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(t)
	}
	return sb.String()
}

// pageEm is the page's usual font size: the median em of its words.
func pageEm(words []pdfWord) float64 {
	ems := make([]float64, 0, len(words))
	for i := range words {
		if e := words[i].em(); e > 0 && !math.IsInf(e, 0) {
			ems = append(ems, e)
		}
	}
	if len(ems) == 0 {
		return 10
	}
	sort.Float64s(ems)
	return max(ems[len(ems)/2], 1)
}

// linePitch is the usual distance between consecutive lines of one
// column: the median of the positive centre differences.
func linePitch(segs []segment) float64 {
	last := map[int]float64{}
	var ds []float64
	for _, s := range segs {
		if y, ok := last[s.col]; ok && s.y > y {
			ds = append(ds, s.y-y)
		}
		last[s.col] = s.y
	}
	if len(ds) == 0 {
		return 0
	}
	sort.Float64s(ds)
	return ds[len(ds)/2]
}

// findGutters returns the x positions of the gutters between columns: the
// middles of runs, at least one em wide, in the middle 70 % of the text's
// width, crossed by at most a twentieth of the segments (a masthead, a
// headline), with at least five segments wholly on each side.
func findGutters(segs []segment, em float64) []float64 {
	if len(segs) < 10 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range segs {
		lo, hi = min(lo, s.x0), max(hi, s.x1)
	}
	width := hi - lo
	if width <= 0 || width > 1e5 {
		return nil
	}
	steps := int(width) + 1
	cover := make([]int, steps+1)
	for _, s := range segs {
		a, b := int(s.x0-lo)+1, int(s.x1-lo)
		if a <= b && a >= 0 && b <= steps {
			cover[a]++
			cover[b]--
		}
	}
	for i := 1; i < len(cover); i++ {
		cover[i] += cover[i-1]
	}
	allowed := len(segs) / 20
	var gutters []float64
	start := -1
	from, to := int(width*0.15), int(width*0.85)
	for x := from; x <= to+1; x++ {
		low := x <= to && cover[x] <= allowed
		if low && start < 0 {
			start = x
		}
		if !low && start >= 0 {
			if float64(x-start) >= em {
				g := lo + float64(start+x)/2
				l, r := 0, 0
				for _, s := range segs {
					if s.x1 <= g {
						l++
					} else if s.x0 >= g {
						r++
					}
				}
				if l >= 5 && r >= 5 {
					gutters = append(gutters, g)
				}
			}
			start = -1
		}
	}
	return gutters
}
