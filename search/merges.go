package search

// SegmentStats describe one part of a segmented index (bleve's segments,
// the grams segments): how many segments it has now, and how many merges
// it made since the index was opened and how many segments they merged.
// An operator reads merge activity from them (GET /metrics): merges that
// run all the time, or segments that pile up, explain slow writes and
// searches under load.
type SegmentStats struct {
	Part           string
	Segments       uint64
	Merges         uint64
	MergedSegments uint64
}

// SegmentReporter is implemented by backends built of merged segments.
type SegmentReporter interface {
	SegmentStats() []SegmentStats
}
