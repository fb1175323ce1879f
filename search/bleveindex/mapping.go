package bleveindex

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"reportsearch/search/analysis"
)

// MappingVersion identifies the index layout and analysis. An index built
// with another version is refused with a message asking for a rebuild.
//
// Changelog:
//
//	1: paragraphs with word (w), bigram (x) and character (c) fields;
//	   report documents (kind=r) carrying the metadata as JSON.
//	2: folding maps traditional characters to simplified ones.
//	3: year_s, the year as a keyword, for exact year facets (bleve's
//	   term facet on the numeric year counts its prefix-coded terms).
//	4: facets are derived from per-report counts: year_s dropped, doc
//	   values only on doc_id, n and year; no _all field.
const MappingVersion = "4"

// Field names. Paragraph and report documents share one index; kind tells
// them apart. Search queries always include a text clause, which report
// documents cannot match.
const (
	fKind    = "kind"
	fDocID   = "doc_id"
	fN       = "n"
	fText    = "text" // stored, displayed text; not indexed
	fWord    = "w"    // gse words, for ranking
	fBigram  = "x"    // character pairs, for exact matching
	fChar    = "c"    // single characters, for one-character terms
	fSection = "section"
	fHeading = "heading"
	fMeta    = "meta" // report metadata as JSON (report documents)
	fYear    = "year"
	fRegion  = "region"
	fLevel   = "level"
	fOrg     = "organization"
	fDocType = "doc_type"
	fChars   = "chars"

	kindParagraph = "p"
	kindReport    = "r"
)

func newMapping() mapping.IndexMapping {
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.Index, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = true, false, false, false, false
		return f
	}
	// Doc values only where something reads them per hit: doc_id (facets,
	// grouping), n and year (sorting).
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = store, false, false, docValues
		return f
	}
	num := func(store bool) *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store, f.IncludeInAll, f.DocValues = store, false, true
		return f
	}
	analysed := func(name, analyzer string, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name, f.Analyzer = name, analyzer
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, vectors, false
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fKind, kw(false, false))
	doc.AddFieldMappingsAt(fDocID, kw(true, true))
	doc.AddFieldMappingsAt(fN, num(true))
	// One stored copy of the text, three analysed views of it. Only the
	// bigram field needs positions (phrase queries).
	doc.AddFieldMappingsAt(fText,
		storedOnly(),
		analysed(fWord, analysis.WordAnalyzer, false),
		analysed(fBigram, analysis.BigramAnalyzer, true),
		analysed(fChar, analysis.CharAnalyzer, false),
	)
	doc.AddFieldMappingsAt(fSection, storedOnly())
	heading := bleve.NewBooleanFieldMapping()
	heading.Store, heading.IncludeInAll = true, false
	doc.AddFieldMappingsAt(fHeading, heading)
	doc.AddFieldMappingsAt(fMeta, storedOnly())
	doc.AddFieldMappingsAt(fYear, num(false))
	doc.AddFieldMappingsAt(fRegion, kw(false, false))
	doc.AddFieldMappingsAt(fLevel, kw(false, false))
	doc.AddFieldMappingsAt(fOrg, kw(false, false))
	doc.AddFieldMappingsAt(fDocType, kw(false, false))
	doc.AddFieldMappingsAt(fChars, num(false))

	// No _all field: every query names its field, and the composite
	// field costs indexing time even when no field is included in it.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	return im
}
