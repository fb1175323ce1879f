package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ReportReader reads reports and their paragraphs.
type ReportReader interface {
	// Report returns a report's metadata or ErrNotFound.
	Report(id string) (*Report, error)
	// Reports returns every report's metadata, in the order of
	// SortReports with SortYear.
	Reports() ([]Report, error)
	// Paragraphs returns a report's paragraphs in order, or ErrNotFound.
	Paragraphs(ctx context.Context, id string) ([]Paragraph, error)
}

// Document is a whole report: its metadata, its outline and every
// paragraph in order. It is the body of GET /api/documents/{id}.
type Document struct {
	Report     Report         `json:"report"`
	Outline    []OutlineEntry `json:"outline"`
	Paragraphs []Paragraph    `json:"paragraphs"`
}

// OutlineEntry is one heading of a report.
type OutlineEntry struct {
	// Paragraph is the heading's paragraph number.
	Paragraph int    `json:"paragraph"`
	Heading   string `json:"heading"`
	// Section is the path of headings above this one, as the indexer
	// recorded it ("" at the top level).
	Section string `json:"section,omitempty"`
	// Level is the heading's depth from 1. A heading's parent is the
	// nearest earlier heading whose text is part of its Section: this
	// reads the nesting from the paths without assuming how the indexer
	// joins them, or whether a heading's path includes itself.
	Level int `json:"level"`
}

// ParagraphContext is one paragraph with its neighbours and the headings
// above it: the body of GET /api/documents/{id}/paragraphs/{n}.
type ParagraphContext struct {
	Report    Report    `json:"report"`
	Paragraph Paragraph `json:"paragraph"`
	// Path is the chain of headings above the paragraph, outermost first.
	Path []OutlineEntry `json:"path"`
	// Before and After are up to `context` paragraphs on each side,
	// clipped at the ends of the report, in order.
	Before []Paragraph `json:"before"`
	After  []Paragraph `json:"after"`
}

// ReportList is the body of GET /api/documents.
type ReportList struct {
	Total   int      `json:"total"`
	Reports []Report `json:"reports"`
}

// MaxContext bounds the context of a paragraph on each side; a whole
// report is GET /api/documents/{id}.
const MaxContext = 50

// LoadDocument returns a report with its outline and paragraphs, or
// ErrNotFound.
func LoadDocument(ctx context.Context, rr ReportReader, id string) (*Document, error) {
	r, err := rr.Report(id)
	if err != nil {
		return nil, err
	}
	ps, err := rr.Paragraphs(ctx, id)
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []Paragraph{}
	}
	outline, _ := buildOutline(ps)
	return &Document{Report: *r, Outline: outline, Paragraphs: ps}, nil
}

// LoadParagraph returns paragraph n of a report with context paragraphs
// on each side, or ErrNotFound for an unknown report or paragraph.
func LoadParagraph(ctx context.Context, rr ReportReader, id string, n, context int) (*ParagraphContext, error) {
	if context < 0 || context > MaxContext {
		return nil, BadRequestf("context must be between 0 and %d", MaxContext)
	}
	r, err := rr.Report(id)
	if err != nil {
		return nil, err
	}
	ps, err := rr.Paragraphs(ctx, id)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(ps, func(p Paragraph) bool { return p.N == n })
	if i < 0 {
		return nil, fmt.Errorf("report %s has no paragraph %d (it has %d): %w", id, n, len(ps), ErrNotFound)
	}
	outline, parent := buildOutline(ps)
	pc := &ParagraphContext{
		Report:    *r,
		Paragraph: ps[i],
		Path:      []OutlineEntry{},
		Before:    slices.Clone(ps[max(0, i-context):i]),
		After:     slices.Clone(ps[i+1 : min(len(ps), i+1+context)]),
	}
	for j := parentOf(ps, outline, i, anySection(ps)); j >= 0; j = parent[j] {
		pc.Path = append(pc.Path, outline[j])
	}
	slices.Reverse(pc.Path)
	return pc, nil
}

// buildOutline lists the headings of a report in order, with their levels,
// and each entry's parent entry (-1 for none).
func buildOutline(ps []Paragraph) ([]OutlineEntry, []int) {
	out := []OutlineEntry{}
	var parent []int
	sections := anySection(ps)
	for i, p := range ps {
		heading := p.Text
		if !p.Heading {
			// A run-in title opens a section inside a body paragraph
			// ("（一）经济增长迈出坚实步伐。抓好……"): the indexer put it
			// last in the paragraph's section path.
			heading = runInTitle(p)
			if heading == "" {
				continue
			}
		}
		e := OutlineEntry{Paragraph: p.N, Heading: heading, Section: p.Section, Level: 1}
		par := parentOf(ps, out, i, sections)
		if par >= 0 {
			e.Level = out[par].Level + 1
		}
		out = append(out, e)
		parent = append(parent, par)
	}
	return out, parent
}

// sectionSep separates the headings of a section path.
const sectionSep = " › "

// runInTitle returns the title a body paragraph opens, or "".
func runInTitle(p Paragraph) string {
	parts := strings.Split(p.Section, sectionSep)
	last := parts[len(parts)-1]
	if last == "" || !strings.HasPrefix(p.Text, last) {
		return ""
	}
	return last
}

// parentOf returns the outline entry a paragraph sits under: the nearest
// earlier heading whose text is part of the paragraph's section path (a
// path lists the headings above, outermost first, so the nearest one in
// it is the innermost). When the indexer recorded no sections at all, a
// body paragraph sits under the nearest heading before it (headings
// themselves then stay at the top).
func parentOf(ps []Paragraph, outline []OutlineEntry, i int, sections bool) int {
	p := ps[i]
	for j := len(outline) - 1; j >= 0; j-- {
		if outline[j].Paragraph >= p.N {
			continue
		}
		if p.Section != "" {
			if strings.Contains(p.Section, outline[j].Heading) {
				return j
			}
			continue
		}
		if !p.Heading && !sections {
			return j
		}
		return -1
	}
	return -1
}

func anySection(ps []Paragraph) bool {
	return slices.ContainsFunc(ps, func(p Paragraph) bool { return p.Section != "" })
}

// ListReports returns the reports that pass the filter, by year (oldest
// first, or newest first for SortYearDesc), then title, then id.
func ListReports(rr ReportReader, f Filter, sort Sort) (*ReportList, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	switch sort {
	case "", SortYear, SortYearDesc:
	default:
		return nil, BadRequestf("sort must be %q or %q, not %q", SortYear, SortYearDesc, sort)
	}
	all, err := rr.Reports()
	if err != nil {
		return nil, err
	}
	out := []Report{}
	for i := range all {
		if f.Match(&all[i]) {
			out = append(out, all[i])
		}
	}
	SortReports(out, sort)
	return &ReportList{Total: len(out), Reports: out}, nil
}
