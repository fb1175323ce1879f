// Package search is the contract between the indexer, the web layer and the
// index backend: the report and paragraph types, search requests and
// responses, and the errors that callers map to user-facing messages.
// It knows nothing of bleve; see package search/bleveindex for the backend.
package search

import (
	"context"
	"errors"
	"fmt"
)

// Report is the metadata of one report document.
type Report struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Path         string `json:"path"`
	Year         int    `json:"year,omitempty"`
	Date         string `json:"date,omitempty"`
	Region       string `json:"region,omitempty"`
	Level        string `json:"level,omitempty"`
	Organization string `json:"organization,omitempty"`
	DocType      string `json:"doc_type,omitempty"`
	SourceURL    string `json:"source_url,omitempty"`
	// Inferred lists the metadata fields that were guessed from the
	// document and its file name rather than given by a manifest.
	Inferred []string `json:"inferred,omitempty"`
	// Hash is the SHA-256 of the source file, to skip unchanged files.
	Hash string `json:"hash,omitempty"`
	// Format and Encoding are what the source file was read as.
	Format   string `json:"format,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	// OCR is set when the text was read by OCR from page images (a scanned
	// PDF): exact search may miss words in it.
	OCR bool `json:"ocr,omitempty"`
	// Paragraphs is the number of indexed paragraphs; Chars their total
	// length in characters.
	Paragraphs int `json:"paragraphs"`
	Chars      int `json:"chars"`
	// ExtractVersion and CleanVersion are the versions of the extraction
	// and cleaning rules the report was built with (extract.Version,
	// indexer.CleanVersion; 0: built before they were recorded), so that
	// a newer program re-reads only what its rules would read
	// differently (reindex --changed-rules).
	ExtractVersion int `json:"extract_version,omitempty"`
	CleanVersion   int `json:"clean_version,omitempty"`
}

// Meta is the metadata of a report that facets and filters use, as the
// values built from a report carry it: hits, groups of hits, exported
// rows, concordance lines (embedded in each, so that one assignment
// copies it and a field added here reaches them all) and manifest
// entries. Its JSON writes every field, empty ones too (year 0), which
// is what those values have always written; a Report leaves empty ones
// out, so it keeps its own fields and converts with Meta and SetMeta.
type Meta struct {
	Year         int    `json:"year"`
	Region       string `json:"region"`
	Level        string `json:"level"`
	Organization string `json:"organization"`
	DocType      string `json:"doc_type"`
}

// Meta is the report's metadata.
func (r *Report) Meta() Meta {
	return Meta{Year: r.Year, Region: r.Region, Level: r.Level, Organization: r.Organization, DocType: r.DocType}
}

// SetMeta sets the report's metadata to m.
func (r *Report) SetMeta(m Meta) {
	r.Year, r.Region, r.Level, r.Organization, r.DocType = m.Year, m.Region, m.Level, m.Organization, m.DocType
}

// Paragraph is one indexed paragraph of a report.
type Paragraph struct {
	// N is the paragraph's number in its report, from 1.
	N    int    `json:"paragraph"`
	Text string `json:"text"`
	// Heading is true for a heading line.
	Heading bool `json:"heading,omitempty"`
	// Section is the path of headings above the paragraph.
	Section string `json:"section,omitempty"`
}

// ReportData is a report with its paragraphs, the unit of writing: a
// report is always replaced as a whole.
type ReportData struct {
	Report     Report
	Paragraphs []Paragraph
}

// Store is what the indexer needs of an index.
type Store interface {
	// Report returns a report's metadata or ErrNotFound.
	Report(id string) (*Report, error)
	// Put adds or replaces reports atomically: a search sees the whole
	// batch or none of it, each report in one version, never a mix.
	// A report's paragraphs are numbered by their position, from 1
	// (Paragraph.N is not read), and its Paragraphs and Chars are
	// counted from them (ReportData.Count; Put may set them in the
	// reports it is given). An id given twice in one batch: the last
	// version wins.
	Put(reports ...ReportData) error
	// Delete removes reports; unknown ids are reported with ErrNotFound
	// after the known ones are deleted.
	Delete(ids ...string) error
}

// BatchPreparer is implemented by stores whose Put splits in two, so that
// a writer can prepare the next batch while the previous one commits:
// Put(r...) is Commit(Prepare(r...)). Commits apply in the order they are
// made.
type BatchPreparer interface {
	Prepare(reports ...ReportData) (PreparedBatch, error)
	Commit(PreparedBatch) error
}

// PreparedBatch is a batch returned by Prepare, opaque to the caller.
type PreparedBatch any

// Searcher answers search requests.
type Searcher interface {
	Search(ctx context.Context, req Request) (*Response, error)
}

// Mode selects how query terms match.
type Mode string

const (
	// ModeExact: a term matches paragraphs that contain it verbatim.
	ModeExact Mode = "exact"
	// ModeLoose: a term matches paragraphs that contain each of its gse
	// words, in any order.
	ModeLoose Mode = "loose"
)

// Limits of a request.
const (
	DefaultSize = 10
	MaxSize     = 100
	// MaxWindow bounds from+size: deeper pages are refused rather than
	// made slow; export streams every hit instead.
	MaxWindow = 10000
)

// Sort orders the hits of a search.
type Sort string

const (
	// SortRelevance (the default): tf-idf and rescoring, see docs/ranking.md.
	SortRelevance Sort = "relevance"
	// SortYear: oldest first; SortYearDesc: newest first. Within a year,
	// hits come in reading order (by report id, then paragraph number), so
	// that equal keys always come in the same order and pages are stable.
	SortYear     Sort = "year"
	SortYearDesc Sort = "-year"
)

// Group selects what a search returns.
type Group string

// GroupDoc returns reports instead of paragraphs, each with its number of
// matching paragraphs and its best few hits.
const GroupDoc Group = "doc"

// GroupHits is the number of best hits shown in each report of a grouped
// search.
const GroupHits = 3

// Request is a search request.
type Request struct {
	Query  string
	Mode   Mode
	From   int
	Size   int
	Filter Filter
	Sort   Sort
	Group  Group
	// Themes resolves theme:NAME in Query (nil: no themes).
	Themes Themes
	// Parsed is Query parsed by Validate; a caller that has already
	// parsed the query may set it (Query is then only echoed).
	Parsed *Query
}

// Validate fills defaults, checks limits and parses the query into
// Parsed (once: a request validated at the edge is not parsed again).
func (r *Request) Validate() error {
	if err := r.ValidateParams(); err != nil {
		return err
	}
	if r.Parsed == nil {
		q, err := ParseQueryWith(r.Query, r.Mode, r.Themes)
		if err != nil {
			return err
		}
		r.Parsed = q
	}
	return nil
}

// ValidateParams is Validate without the query: for a page that may be
// asked for without one.
func (r *Request) ValidateParams() error {
	if r.Mode == "" {
		r.Mode = ModeExact
	}
	if r.Mode != ModeExact && r.Mode != ModeLoose {
		return BadRequestf("mode must be %q or %q, not %q", ModeExact, ModeLoose, r.Mode)
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Size < 0 || r.Size > MaxSize {
		return BadRequestf("size must be between 1 and %d", MaxSize)
	}
	if r.From < 0 {
		return BadRequestf("from must not be negative")
	}
	if r.From+r.Size > MaxWindow {
		return BadRequestf("from+size must not exceed %d; narrow the query or export the results", MaxWindow)
	}
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	if r.Sort != SortRelevance && r.Sort != SortYear && r.Sort != SortYearDesc {
		return BadRequestf("sort must be %q, %q or %q, not %q", SortRelevance, SortYear, SortYearDesc, r.Sort)
	}
	if r.Group != "" && r.Group != GroupDoc {
		return BadRequestf("group must be %q or empty, not %q", GroupDoc, r.Group)
	}
	return r.Filter.Validate()
}

// Hit is one matching paragraph.
type Hit struct {
	ID    string `json:"id"`
	DocID string `json:"doc_id"`
	Title string `json:"title"`
	Path  string `json:"path"`
	Meta
	Paragraph int     `json:"paragraph"`
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Highlight string  `json:"highlight"`
	Score     float64 `json:"score"`
}

// Response is the body of a search answer, identical for the API and the
// CLI's --json output.
type Response struct {
	Query  string  `json:"query"`
	Total  uint64  `json:"total"`
	TookMS float64 `json:"took_ms"`
	Hits   []Hit   `json:"hits"`
	// Facets counts the matching paragraphs (all of them, not only this
	// page) by each of FacetFields. Within a field the counts add up to
	// Total: paragraphs without a value are counted under "" (year: 0).
	Facets map[string][]FacetValue `json:"facets"`
	// FacetsDisjunctive are the counts a multi-select facet shows: for
	// each of FacetFields, the paragraphs matching the query and the
	// filters of the other fields only (Elasticsearch's post_filter), so
	// that with year=2021 chosen the year facet still lists 2022 with the
	// paragraphs it would add. For a field the filter does not restrict
	// they equal Facets. Backends leave it empty; the API and the CLI's
	// --json fill it by DisjunctiveFacets. Every field is here, but the
	// JSON leaves out those equal to Facets' (see AppendJSON) and
	// UnmarshalJSON puts them back.
	FacetsDisjunctive map[string][]FacetValue `json:"facets_disjunctive,omitempty"`
	// RegionTree is FacetsDisjunctive's region facet rolled up the
	// region hierarchy (RegionTree), when the API is asked for it
	// (region_tree=1).
	RegionTree []RegionNode `json:"region_tree,omitempty"`
	// Groups and TotalGroups are set by Group=doc, which leaves Hits
	// empty: the page of reports with matches, and how many there are.
	Groups      []DocGroup `json:"groups,omitempty"`
	TotalGroups int        `json:"total_groups,omitempty"`
}

// FacetValue is one value of a facet and its number of matching
// paragraphs. Value is an int for year and a string for the other fields.
// Years are ordered by year, oldest first (a time axis); other fields by
// count, largest first, ties by value, so the order never varies (see
// FacetsFromCounts, which every backend's facets go through).
type FacetValue struct {
	Value any    `json:"value"`
	Count uint64 `json:"count"`
}

// DocGroup is one report of a grouped search. Groups are ordered by
// number of matching paragraphs, most first (an exact count, where a best
// score over every report would need all hits scored), ties by year,
// newest first, then id; with sort=year or -year, by year first (see
// CompareGroups).
type DocGroup struct {
	DocID string `json:"doc_id"`
	Title string `json:"title"`
	Path  string `json:"path"`
	Meta
	// Count is the number of matching paragraphs in the report.
	Count uint64 `json:"count"`
	// Hits are the report's best GroupHits paragraphs by relevance.
	Hits []Hit `json:"hits"`
}

// Row is one exported paragraph: the columns of a CSV export, in order,
// and the fields of a JSON Lines export.
type Row struct {
	ID    string `json:"id"`
	DocID string `json:"doc_id"`
	Title string `json:"title"`
	Meta
	Path      string `json:"path"`
	Paragraph int    `json:"paragraph"`
	Section   string `json:"section"`
	Text      string `json:"text"`
	// Reader is the reader page of the paragraph with the query marked,
	// set by the export's writer (package search/export), not by
	// backends.
	Reader string `json:"reader,omitempty"`
	// Score is the relevance score the pages rank the paragraph by (the
	// Hit's Score at the same place of the order), set only when the
	// export is in relevance order; nil, and absent from JSON, for the
	// year sorts, whose order no score decides.
	Score *float64 `json:"score,omitempty"`
}

// Index is what the web layer and the CLI need of an index beyond
// searching: reading reports, counting matches per report (for trends),
// and streaming every match (for export). Package bleveindex implements
// it, and package memindex by brute force; package searchtest is the
// suite every implementation passes.
//
// A backend decides which paragraphs match (query.Match over the folded
// text, through Request.Parsed) and counts and orders them; the rest of
// an answer's shape is decided here (shape.go), the same for all.
type Index interface {
	Searcher
	ReportReader
	// CountByReport returns the number of paragraphs matching the
	// request's query and filter in each report that has any, and their
	// sum, which is the Total of the same search. From, Size, Sort and
	// Group are ignored.
	CountByReport(ctx context.Context, req Request) (map[string]uint64, uint64, error)
	// Export calls fn for every paragraph matching req, ignoring From
	// and Size, in the order of the pages of the same search: the
	// concatenated pages of any size are the export. Errors in the
	// request are returned before fn is first called.
	Export(ctx context.Context, req Request, fn func(Row) error) error
}

// Backend is an opened index, as a program holds it: searching and
// reading (Index), writing (Store), and closing. Packages bleveindex and
// memindex implement it; package searchtest checks an implementation.
type Backend interface {
	Index
	Store
	// Close closes the index; everything written before is kept, and
	// opening the same folder again gives the same answers.
	Close() error
}

// Counter is implemented by backends that count many strings at once
// faster than one CountByReport each: for each string, the paragraphs of
// the reports passing the filter whose folded text contains it (the total
// of an exact search for it in quotes). Package workbench uses it when the
// backend has it.
type Counter interface {
	CountContaining(ctx context.Context, f Filter, strs []string) ([]uint64, error)
}

// Counts is the body of GET /api/counts: a query's matching paragraphs in
// every report that has any, and their sum (Index.CountByReport).
type Counts struct {
	Total   uint64            `json:"total"`
	Reports map[string]uint64 `json:"reports"`
}

// BadRequestError is an error caused by the request (a malformed query, a
// parameter out of range); the web layer answers it with 400, with Msg as
// the stable English "error" and Code as "code"; the pages show Zh, the
// message in Chinese, when there is one.
type BadRequestError struct {
	Msg  string
	Code string
	Zh   string
}

// CodeBadRequest is the Code of a bad request that has no code of its own.
const CodeBadRequest = "bad_request"

// ErrorCode returns the code of a bad request.
func (e *BadRequestError) ErrorCode() string {
	if e.Code == "" {
		return CodeBadRequest
	}
	return e.Code
}

// Chinese returns the message for the Chinese pages: Zh, else Msg.
func (e *BadRequestError) Chinese() string {
	if e.Zh != "" {
		return e.Zh
	}
	return e.Msg
}

func (e *BadRequestError) Error() string { return e.Msg }

// BadRequestf returns a *BadRequestError.
func BadRequestf(format string, args ...any) error {
	return &BadRequestError{Msg: fmt.Sprintf(format, args...)}
}

// IsBadRequest reports whether err was caused by the request.
func IsBadRequest(err error) bool {
	var e *BadRequestError
	return errors.As(err, &e)
}

// ErrNotFound is returned for an unknown report or paragraph.
var ErrNotFound = errors.New("not found")
