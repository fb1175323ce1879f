package search

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"reportsearch/internal/regions"
)

// MaxTrendQueries bounds the queries of one trends request: each costs a
// search over the whole index.
const MaxTrendQueries = 10

// RatePer is the text length a trend rate is given per: matching
// paragraphs per 10,000 characters of indexed text.
const RatePer = 10000

// TrendsRequest asks how often each query matches, bucket by bucket.
type TrendsRequest struct {
	Queries []string
	Mode    Mode
	// By is the bucket field: one of FacetFields; default year.
	By     string
	Filter Filter
	// Themes resolves theme:NAME in the queries.
	Themes Themes
	// Parsed are the Queries parsed by Validate.
	Parsed []*Query
	// Occurrences also counts the occurrences of each query's terms in
	// its matching paragraphs (see countReports): the API's
	// metric=occurrences. It reads every matching paragraph.
	Occurrences bool
	// Provinces, with By region, buckets reports by their province (a
	// region the table does not place stays its own bucket), so that a
	// bucket counts what region=PROVINCE finds: the API's
	// region_level=province.
	Provinces bool
}

// bucket is the bucket value of a report.
func (r *TrendsRequest) bucket(rep *Report) (any, error) {
	if r.Provinces && r.By == FieldRegion {
		if reg, ok := regions.Lookup(rep.Region); ok {
			return reg.Province().Name, nil
		}
	}
	return FieldValue(rep, r.By)
}

// Validate fills defaults and checks limits.
func (r *TrendsRequest) Validate() error {
	if len(r.Queries) == 0 {
		return BadRequestf("missing q: give one or more queries (q=…&q=…)")
	}
	if len(r.Queries) > MaxTrendQueries {
		return BadRequestf("at most %d queries, not %d", MaxTrendQueries, len(r.Queries))
	}
	if r.Mode == "" {
		r.Mode = ModeExact
	}
	if r.Mode != ModeExact && r.Mode != ModeLoose {
		return BadRequestf("mode must be %q or %q, not %q", ModeExact, ModeLoose, r.Mode)
	}
	r.Parsed = r.Parsed[:0]
	for _, q := range r.Queries {
		if strings.TrimSpace(q) == "" {
			return BadRequestf("empty query in q")
		}
		pq, err := ParseQueryWith(q, r.Mode, r.Themes)
		if err != nil {
			return err
		}
		r.Parsed = append(r.Parsed, pq)
	}
	if r.By == "" {
		r.By = FieldYear
	}
	if !slices.Contains(FacetFields, r.By) {
		return BadRequestf("by must be one of %s, not %q", strings.Join(FacetFields, ", "), r.By)
	}
	if r.Provinces && r.By != FieldRegion {
		return BadRequestf("region_level=province applies to by=region")
	}
	return r.Filter.Validate()
}

// TrendsResponse is the body of GET /api/trends.
type TrendsResponse struct {
	By string `json:"by"`
	// Buckets are the denominators: every value of By among the reports
	// that pass the filter, with their number of reports and characters,
	// whether or not any query matches there (so a chart shows gaps).
	Buckets []TrendBucket `json:"buckets"`
	Series  []TrendSeries `json:"series"`
	TookMS  float64       `json:"took_ms"`
}

// TrendBucket is one value of the bucket field in the filtered index.
// Value is an int for year (0: unknown) and a string otherwise ("":
// unknown). Buckets are ordered by value (regions in pinyin order).
type TrendBucket struct {
	Value   any `json:"value"`
	Reports int `json:"reports"`
	Chars   int `json:"chars"`
}

// TrendSeries is one query's counts, one point per bucket in the order of
// TrendsResponse.Buckets.
type TrendSeries struct {
	Query string `json:"query"`
	// Total is the number of matching paragraphs over all buckets: the
	// total of a search with the same query and filter.
	Total  uint64       `json:"total"`
	Points []TrendPoint `json:"points"`
}

// TrendPoint is a query's count in one bucket. Paragraphs equals the
// total of a search with the same query and filter restricted to the
// bucket; Reports is how many reports have at least one of them; Rate is
// Paragraphs per RatePer characters of the bucket's indexed text, so that
// years with longer reports do not look more interested in a theme.
type TrendPoint struct {
	Value      any     `json:"value"`
	Paragraphs uint64  `json:"paragraphs"`
	Reports    int     `json:"reports"`
	Chars      int     `json:"chars"`
	Rate       float64 `json:"rate"`
	// Occurrences (with TrendsRequest.Occurrences) is the number of
	// occurrences of the query's terms in the matching paragraphs, summed
	// over the bucket's reports; OccurrenceRate is it per RatePer
	// characters.
	Occurrences    uint64  `json:"occurrences,omitempty"`
	OccurrenceRate float64 `json:"occurrence_rate,omitempty"`
}

// Trends counts each query's matches per bucket: the per-report counts of
// the index (exact, the same as a search's), summed over the reports of
// each bucket, against the text length of every report in the bucket that
// passes the filter.
func Trends(ctx context.Context, idx Index, req TrendsRequest) (*TrendsResponse, error) {
	start := time.Now()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	all, err := idx.Reports()
	if err != nil {
		return nil, err
	}
	type bucket struct {
		TrendBucket
		i int
	}
	buckets := map[any]*bucket{}
	reportBucket := map[string]any{}
	for i := range all {
		r := &all[i]
		if !req.Filter.Match(r) {
			continue
		}
		v, err := req.bucket(r)
		if err != nil {
			return nil, err
		}
		b := buckets[v]
		if b == nil {
			b = &bucket{TrendBucket: TrendBucket{Value: v}}
			buckets[v] = b
		}
		b.Reports++
		b.Chars += r.Chars
		reportBucket[r.ID] = v
	}
	resp := &TrendsResponse{By: req.By, Buckets: []TrendBucket{}, Series: []TrendSeries{}}
	for _, b := range buckets {
		resp.Buckets = append(resp.Buckets, b.TrendBucket)
	}
	order := valueOrder(req.By)
	slices.SortFunc(resp.Buckets, func(a, b TrendBucket) int { return order(a.Value, b.Value) })
	for i, b := range resp.Buckets {
		buckets[b.Value].i = i
	}
	for qi, q := range req.Queries {
		rc, err := countReports(ctx, idx, Request{Query: q, Mode: req.Mode, Filter: req.Filter, Parsed: req.Parsed[qi]}, req.Occurrences)
		if err != nil {
			return nil, err
		}
		counts, total := rc.paragraphs, rc.total
		s := TrendSeries{Query: q, Total: total, Points: make([]TrendPoint, len(resp.Buckets))}
		for i, b := range resp.Buckets {
			s.Points[i] = TrendPoint{Value: b.Value, Chars: b.Chars}
		}
		for id, n := range counts {
			v, ok := reportBucket[id]
			if !ok {
				// Indexed after the listing above: count it in its
				// bucket anyway so that the sum stays the total.
				r, err := idx.Report(id)
				if err != nil {
					return nil, err
				}
				if v, err = req.bucket(r); err != nil {
					return nil, err
				}
				if buckets[v] == nil {
					return nil, errors.New("search: the index changed during a trends request; try again")
				}
			}
			p := &s.Points[buckets[v].i]
			p.Paragraphs += n
			p.Occurrences += rc.occurrences[id]
			p.Reports++
		}
		for i := range s.Points {
			if p := &s.Points[i]; p.Chars > 0 {
				p.Rate = float64(p.Paragraphs) / float64(p.Chars) * RatePer
				p.OccurrenceRate = float64(p.Occurrences) / float64(p.Chars) * RatePer
			}
		}
		resp.Series = append(resp.Series, s)
	}
	resp.TookMS = TookMS(start)
	return resp, nil
}

// valueOrder returns the order of a field's facet and bucket values:
// years numerically, regions in pinyin order (regions.ComparePinyin: 安徽省,
// 北京市, 重庆市, 山东省 …, not by code point), other strings by their
// bytes.
func valueOrder(field string) func(a, b any) int {
	return func(a, b any) int {
		switch a := a.(type) {
		case int:
			if b, ok := b.(int); ok {
				return cmp.Compare(a, b)
			}
		case string:
			if b, ok := b.(string); ok {
				if field == FieldRegion {
					return regions.ComparePinyin(a, b)
				}
				return strings.Compare(a, b)
			}
		}
		return 0
	}
}
