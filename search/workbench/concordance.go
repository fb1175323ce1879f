package workbench

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"reportsearch/search"
	"reportsearch/search/analysis"
)

// Limits of a concordance.
const (
	DefaultContext = 20
	MaxContext     = 200
	DefaultSize    = 50
	MaxSize        = 1000
	// MaxParagraphs bounds the matching paragraphs one request reads (a
	// concordance, the collocates of a query): their text is held to sort
	// and count. A query matching more is refused with a 400 asking to
	// narrow it; every smaller one is answered in full.
	MaxParagraphs = 50000
)

// Sort orders the lines of a concordance.
type Sort string

const (
	// SortReport (the default): by report (title, then id), then
	// paragraph and position: reading order.
	SortReport Sort = "report"
	// SortYear: by year, oldest first, then as SortReport.
	SortYear Sort = "year"
	// SortLeft: by the left context read from the keyword leftwards, so
	// that 加强网格化治理 and 推进网格化治理 each come together.
	SortLeft Sort = "left"
	// SortRight: by the keyword, then the right context read rightwards.
	SortRight Sort = "right"
)

// ConcordanceRequest asks for the occurrences of a query's terms.
type ConcordanceRequest struct {
	Query  string
	Mode   search.Mode
	Filter search.Filter
	// Context is the number of characters shown on each side of a match,
	// clipped at the paragraph's ends.
	Context int
	Sort    Sort
	From    int
	Size    int
	// Themes resolves theme:NAME in Query.
	Themes search.Themes
	// Parsed is Query parsed by Validate.
	Parsed *search.Query
}

// Validate fills defaults, checks limits and parses the query.
func (r *ConcordanceRequest) Validate() error {
	if r.Context == 0 {
		r.Context = DefaultContext
	}
	if r.Context < 1 || r.Context > MaxContext {
		return search.BadRequestf("context must be between 1 and %d characters", MaxContext)
	}
	if r.Sort == "" {
		r.Sort = SortReport
	}
	switch r.Sort {
	case SortReport, SortYear, SortLeft, SortRight:
	default:
		return search.BadRequestf("sort must be one of report, year, left, right, not %q", r.Sort)
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Size < 1 || r.Size > MaxSize {
		return search.BadRequestf("size must be between 1 and %d", MaxSize)
	}
	if r.From < 0 {
		return search.BadRequestf("from must not be negative")
	}
	sr := r.searchRequest()
	if err := sr.Validate(); err != nil {
		return err
	}
	r.Mode, r.Parsed = sr.Mode, sr.Parsed
	return nil
}

func (r *ConcordanceRequest) searchRequest() search.Request {
	return search.Request{Query: r.Query, Mode: r.Mode, Filter: r.Filter, Sort: search.SortYear, Themes: r.Themes, Parsed: r.Parsed}
}

// Line is one occurrence with its context and where it is.
type Line struct {
	Left  string `json:"left"`
	Match string `json:"match"`
	Right string `json:"right"`
	// Term is the (folded) query term this is an occurrence of.
	Term string `json:"term"`
	// Offset is the match's position in the paragraph, in characters.
	Offset int    `json:"offset"`
	DocID  string `json:"doc_id"`
	Title  string `json:"title"`
	search.Meta
	Path      string `json:"path"`
	Paragraph int    `json:"paragraph"`
	Section   string `json:"section"`
	// Reader is the reader page of the paragraph, the query marked.
	Reader string `json:"reader"`
}

// ConcordanceResponse is the body of GET /api/concordance.
type ConcordanceResponse struct {
	Query string `json:"query"`
	// Total is the number of occurrences; Paragraphs the number of
	// matching paragraphs (the total of the same search).
	Total      int     `json:"total"`
	Paragraphs int     `json:"paragraphs"`
	Sort       Sort    `json:"sort"`
	Context    int     `json:"context"`
	Lines      []Line  `json:"lines"`
	TookMS     float64 `json:"took_ms"`
}

// occurrence is one match: its paragraph (an index into kwic.rows), its
// character range and its term.
type occurrence struct {
	row        int32
	start, end int32
	term       int16
}

// kwic is every occurrence of a request, sorted.
type kwic struct {
	rows   []search.Row
	folded [][]rune
	terms  []string
	occ    []occurrence
}

// collect reads every matching paragraph (in the search's year order)
// and finds the occurrences of each positive term.
func collect(ctx context.Context, idx search.Index, req ConcordanceRequest) (*kwic, error) {
	k := &kwic{terms: req.Parsed.Marks}
	termRunes := make([]int, len(k.terms))
	for i, t := range k.terms {
		termRunes[i] = utf8.RuneCountInString(t)
	}
	err := idx.Export(ctx, req.searchRequest(), func(row search.Row) error {
		if len(k.rows) >= MaxParagraphs {
			return tooMany()
		}
		ri := int32(len(k.rows))
		k.rows = append(k.rows, row)
		f := analysis.FoldString(row.Text)
		k.folded = append(k.folded, []rune(f))
		for ti, t := range k.terms {
			for _, at := range occurrences(f, t) {
				start := int32(utf8.RuneCountInString(f[:at]))
				k.occ = append(k.occ, occurrence{row: ri, start: start, end: start + int32(termRunes[ti]), term: int16(ti)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	k.sort(req.Sort)
	return k, nil
}

func tooMany() error {
	return &search.BadRequestError{
		Msg:  fmt.Sprintf("the query matches more than %d paragraphs: narrow it or add filters", MaxParagraphs),
		Code: "too_many_paragraphs",
		Zh:   fmt.Sprintf("检索式匹配的段落超过 %d 个：请缩小检索范围或增加筛选条件", MaxParagraphs),
	}
}

// occurrences returns the byte offsets of the non-overlapping matches of
// term in s, left to right: the matches strings.Count counts.
func occurrences(s, term string) []int {
	var out []int
	for i := 0; i <= len(s)-len(term); {
		j := strings.Index(s[i:], term)
		if j < 0 {
			break
		}
		out = append(out, i+j)
		i += j + len(term)
	}
	return out
}

func (k *kwic) sort(s Sort) {
	reading := func(a, b occurrence) int {
		ra, rb := &k.rows[a.row], &k.rows[b.row]
		if c := cmp.Compare(ra.Title, rb.Title); c != 0 {
			return c
		}
		if c := cmp.Compare(ra.DocID, rb.DocID); c != 0 {
			return c
		}
		if c := cmp.Compare(ra.Paragraph, rb.Paragraph); c != 0 {
			return c
		}
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	}
	var key func(a, b occurrence) int
	switch s {
	case SortYear:
		key = func(a, b occurrence) int { return cmp.Compare(k.rows[a.row].Year, k.rows[b.row].Year) }
	case SortLeft:
		key = func(a, b occurrence) int {
			fa, fb := k.folded[a.row], k.folded[b.row]
			for i, j := a.start-1, b.start-1; ; i, j = i-1, j-1 {
				switch {
				case i < 0 && j < 0:
					return 0
				case i < 0:
					return -1
				case j < 0:
					return 1
				case fa[i] != fb[j]:
					return cmp.Compare(fa[i], fb[j])
				}
			}
		}
	case SortRight:
		key = func(a, b occurrence) int {
			fa, fb := k.folded[a.row], k.folded[b.row]
			// The keyword first (terms differ in an OR), then what follows.
			for i, j := a.start, b.start; ; i, j = i+1, j+1 {
				switch {
				case int(i) >= len(fa) && int(j) >= len(fb):
					return 0
				case int(i) >= len(fa):
					return -1
				case int(j) >= len(fb):
					return 1
				case fa[i] != fb[j]:
					return cmp.Compare(fa[i], fb[j])
				}
			}
		}
	}
	slices.SortFunc(k.occ, func(a, b occurrence) int {
		if key != nil {
			if c := key(a, b); c != 0 {
				return c
			}
		}
		return reading(a, b)
	})
}

// line renders occurrence o with n characters of context.
func (k *kwic) line(o occurrence, n int, query string) Line {
	r := &k.rows[o.row]
	text := []rune(r.Text)
	return Line{
		Left:  string(text[max(0, int(o.start)-n):o.start]),
		Match: string(text[o.start:o.end]),
		Right: string(text[o.end:min(len(text), int(o.end)+n)]),
		Term:  k.terms[o.term], Offset: int(o.start),
		DocID: r.DocID, Title: r.Title, Meta: r.Meta, Path: r.Path, Paragraph: r.Paragraph, Section: r.Section,
		Reader: ReaderLink(r.DocID, query, r.Paragraph),
	}
}

// ReaderLink is the reader page of a paragraph with the query marked.
func ReaderLink(docID, query string, paragraph int) string {
	return fmt.Sprintf("/documents/%s?q=%s#p%d", url.PathEscape(docID), url.QueryEscape(query), paragraph)
}

// Concordance returns a page of a query's occurrences, in the requested
// order, and their exact total.
func Concordance(ctx context.Context, idx search.Index, req ConcordanceRequest) (*ConcordanceResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	k, err := collect(ctx, idx, req)
	if err != nil {
		return nil, err
	}
	resp := &ConcordanceResponse{Query: req.Query, Total: len(k.occ), Paragraphs: len(k.rows),
		Sort: req.Sort, Context: req.Context, Lines: []Line{}}
	for _, o := range k.occ[min(req.From, len(k.occ)):min(req.From+req.Size, len(k.occ))] {
		resp.Lines = append(resp.Lines, k.line(o, req.Context, req.Query))
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// ConcordanceAll calls fn for every occurrence in order (From and Size
// are ignored): the export of a concordance.
func ConcordanceAll(ctx context.Context, idx search.Index, req ConcordanceRequest, fn func(Line) error) error {
	if err := req.Validate(); err != nil {
		return err
	}
	k, err := collect(ctx, idx, req)
	if err != nil {
		return err
	}
	for _, o := range k.occ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(k.line(o, req.Context, req.Query)); err != nil {
			return err
		}
	}
	return nil
}
