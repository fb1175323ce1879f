package bleveindex

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
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
//	5: exact matching, counts, filters, facets and the report list moved
//	   to the grams segments beside bleve (package grams): bleve keeps
//	   each paragraph's stored text, section and heading flag and its gse
//	   words (rescoring), and each report's metadata.
//	6: grams segments without single-character postings (a character is
//	   the union of the pairs it starts) and with one-byte postings for
//	   frequency one.
//	7: the word field is segmented with the pruned dictionary (words the
//	   gse dictionary counts at least 5 times; see analysis.Segmenter).
//	8: a paragraph's text is not stored in bleve: its unfold patch is
//	   (unfold.go), which turns the grams segment's folded text back into
//	   it; its heading flag is not either (the grams segment has it). The
//	   word field is analysed from the property "words", which carries
//	   the text; its analysis is unchanged.
//	9: the word field without frequencies and norms: its two readers
//	   (termcache.go: a word's presence in a paragraph, and its document
//	   frequency) ask for neither, and each posting cost six bytes of
//	   them (the norm a float's bits as a varint).
const MappingVersion = "9"

// Field names. Paragraph documents ("<report id>-<n>") and report
// documents ("r:<report id>") share one index; they have no field in
// common.
const (
	fText       = "text"   // stored text, where it cannot be unfolded (invalid UTF-8)
	fUnfold     = "unfold" // stored patch from the folded text to the text
	fWordSource = "words"  // the text, analysed into fWord and not stored
	fWord       = "w"      // gse words of the text, for rescoring
	fSection    = "section"
	fMeta       = "meta" // report metadata as JSON (report documents)
)

func newMapping() mapping.IndexMapping {
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.Index, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = true, false, false, false, false
		return f
	}
	// An indexed field of presence only: no term vectors (positions),
	// frequencies or norms, none of which its readers ask for.
	presence := func(name, analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name, f.Analyzer = name, analyzer
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
		f.SkipFreqNorm = true
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	// The text's gse words, for their presence only (exact matching is
	// the grams side's job, package grams), and what makes the text of
	// the grams segment's folded copy.
	doc.AddFieldMappingsAt(fWordSource, presence(fWord, WordAnalyzer))
	doc.AddFieldMappingsAt(fUnfold, storedOnly())
	doc.AddFieldMappingsAt(fText, storedOnly())
	doc.AddFieldMappingsAt(fSection, storedOnly())
	doc.AddFieldMappingsAt(fMeta, storedOnly())

	// No _all field: every query names its field, and the composite
	// field costs indexing time even when no field is included in it.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	return im
}
