package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The JSON of a search answer (Response), written by hand.
//
// A search answer is the API's hot path: at 1M paragraphs the search
// itself takes about 0.07 ms, and encoding/json took longer than that
// (reflection over ~500 facet values with interface-typed values, ten
// hits). AppendJSON writes the same bytes without reflection into a
// buffer the caller may reuse; TestAppendJSONMatchesEncodingJSON and
// FuzzAppendJSON check it against encoding/json on every field of the
// types (a field added to Response, Hit, DocGroup, FacetValue or
// RegionNode and not written here fails them), and the web package's
// corpus test against the answers of many real searches.
//
// The one difference from encoding/json's reflection is the wire shape
// of FacetsDisjunctive: a field whose disjunctive counts equal Facets'
// (every field the filter does not restrict) is left out of it, since it
// would repeat Facets byte for byte (21 KB of a 57 KB answer at 1M
// without a filter). A client reads facets_disjunctive[f], else
// facets[f]; UnmarshalJSON fills the left-out fields back, so a
// Response survives the round trip.

// AppendJSON appends the answer's JSON (as MarshalJSON writes it) to b.
// Like encoding/json it refuses a NaN or infinite number (a score),
// returning b unchanged and an error.
func (r *Response) AppendJSON(b []byte) ([]byte, error) {
	return appendResponse(b, r, true)
}

// MarshalJSON writes the answer as AppendJSON does, so that every
// encoder of a Response (the API, the CLI's --json) writes the same bytes.
// (A struct embedding Response would be marshalled as the Response alone,
// by this promoted method: hold it in a named field.)
func (r Response) MarshalJSON() ([]byte, error) {
	return appendResponse(nil, &r, true)
}

// UnmarshalJSON reads what MarshalJSON writes: the fields left out of a
// facets_disjunctive that is present get Facets' values back (the same
// slices).
func (r *Response) UnmarshalJSON(data []byte) error {
	type plain Response // without these methods
	if err := json.Unmarshal(data, (*plain)(r)); err != nil {
		return err
	}
	if r.FacetsDisjunctive != nil {
		for field, values := range r.Facets {
			if _, ok := r.FacetsDisjunctive[field]; !ok {
				r.FacetsDisjunctive[field] = values
			}
		}
	}
	return nil
}

// errUnsupportedNumber is encoding/json's refusal of NaN and ±Inf.
var errUnsupportedNumber = errors.New("json: unsupported value: NaN or infinite number")

// appendResponse writes r; dedup leaves out of FacetsDisjunctive the
// fields equal to Facets' (the wire shape). Without dedup the bytes are
// encoding/json's of the struct (the tests' reference).
func appendResponse(b []byte, r *Response, dedup bool) ([]byte, error) {
	start := len(b)
	var err error
	b = append(b, `{"query":`...)
	b = appendString(b, r.Query)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, r.Total, 10)
	b = append(b, `,"took_ms":`...)
	if b, err = appendFloat(b, r.TookMS); err != nil {
		return b[:start], err
	}
	b = append(b, `,"hits":`...)
	if b, err = appendHits(b, r.Hits); err != nil {
		return b[:start], err
	}
	b = append(b, `,"facets":`...)
	b = appendFacets(b, r.Facets, nil)
	switch {
	case dedup && r.FacetsDisjunctive != nil:
		b = append(b, `,"facets_disjunctive":`...)
		b = appendFacets(b, r.FacetsDisjunctive, r.Facets)
	case !dedup && len(r.FacetsDisjunctive) > 0:
		b = append(b, `,"facets_disjunctive":`...)
		b = appendFacets(b, r.FacetsDisjunctive, nil)
	}
	if len(r.RegionTree) > 0 {
		b = append(b, `,"region_tree":`...)
		b = appendRegionNodes(b, r.RegionTree)
	}
	if len(r.Groups) > 0 {
		b = append(b, `,"groups":[`...)
		for i := range r.Groups {
			if i > 0 {
				b = append(b, ',')
			}
			g := &r.Groups[i]
			b = append(b, `{"doc_id":`...)
			b = appendString(b, g.DocID)
			b = append(b, `,"title":`...)
			b = appendString(b, g.Title)
			b = append(b, `,"path":`...)
			b = appendString(b, g.Path)
			b = appendMeta(b, &g.Meta)
			b = append(b, `,"count":`...)
			b = strconv.AppendUint(b, g.Count, 10)
			b = append(b, `,"hits":`...)
			if b, err = appendHits(b, g.Hits); err != nil {
				return b[:start], err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if r.TotalGroups != 0 {
		b = append(b, `,"total_groups":`...)
		b = strconv.AppendInt(b, int64(r.TotalGroups), 10)
	}
	return append(b, '}'), nil
}

func appendHits(b []byte, hits []Hit) ([]byte, error) {
	if hits == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var err error
	for i := range hits {
		if i > 0 {
			b = append(b, ',')
		}
		h := &hits[i]
		b = append(b, `{"id":`...)
		b = appendString(b, h.ID)
		b = append(b, `,"doc_id":`...)
		b = appendString(b, h.DocID)
		b = append(b, `,"title":`...)
		b = appendString(b, h.Title)
		b = append(b, `,"path":`...)
		b = appendString(b, h.Path)
		b = appendMeta(b, &h.Meta)
		b = append(b, `,"paragraph":`...)
		b = strconv.AppendInt(b, int64(h.Paragraph), 10)
		b = append(b, `,"section":`...)
		b = appendString(b, h.Section)
		b = append(b, `,"text":`...)
		b = appendString(b, h.Text)
		b = append(b, `,"highlight":`...)
		b = appendString(b, h.Highlight)
		b = append(b, `,"score":`...)
		if b, err = appendFloat(b, h.Score); err != nil {
			return b, err
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendMeta writes the fields of an embedded Meta, after others.
func appendMeta(b []byte, m *Meta) []byte {
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(m.Year), 10)
	b = append(b, `,"region":`...)
	b = appendString(b, m.Region)
	b = append(b, `,"level":`...)
	b = appendString(b, m.Level)
	b = append(b, `,"organization":`...)
	b = appendString(b, m.Organization)
	b = append(b, `,"doc_type":`...)
	return appendString(b, m.DocType)
}

// appendFacets writes a facets map, keys sorted as encoding/json sorts
// them; the fields whose values equal same's are left out (same nil:
// none).
func appendFacets(b []byte, facets, same map[string][]FacetValue) []byte {
	if facets == nil {
		return append(b, "null"...)
	}
	var buf [8]string
	keys := buf[:0]
	for k, v := range facets {
		if same != nil {
			if w, ok := same[k]; ok && equalFacetValues(v, w) {
				continue
			}
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		values := facets[k]
		if values == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j := range values {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"value":`...)
			b = appendAny(b, values[j].Value)
			b = append(b, `,"count":`...)
			b = strconv.AppendUint(b, values[j].Count, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// equalFacetValues reports whether two facets list the same values and
// counts in the same order (nil and empty differ: they encode
// differently).
func equalFacetValues(a, b []FacetValue) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true // DisjunctiveFacets shares an unfiltered field's slice
	}
	for i := range a {
		if a[i].Count != b[i].Count || !equalValue(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

// equalValue compares facet values of the types they have (a value of
// another type is never taken as equal, so it is written).
func equalValue(a, b any) bool {
	switch x := a.(type) {
	case int:
		y, ok := b.(int)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	}
	return false
}

// appendAny writes a facet value: an int (years), a string, a float64
// (years decoded from JSON), else whatever encoding/json writes for it.
func appendAny(b []byte, v any) []byte {
	switch x := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case string:
		return appendString(b, x)
	case float64:
		if out, err := appendFloat(b, x); err == nil {
			return out
		}
	case nil:
		return append(b, "null"...)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Not a value any index gives; written as a string rather than
		// failing the answer.
		return appendString(b, err.Error())
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

func appendRegionNodes(b []byte, nodes []RegionNode) []byte {
	b = append(b, '[')
	for i := range nodes {
		if i > 0 {
			b = append(b, ',')
		}
		n := &nodes[i]
		b = append(b, `{"value":`...)
		b = appendString(b, n.Value)
		b = append(b, `,"name":`...)
		b = appendString(b, n.Name)
		if n.Code != "" {
			b = append(b, `,"code":`...)
			b = appendString(b, n.Code)
		}
		b = append(b, `,"count":`...)
		b = strconv.AppendUint(b, n.Count, 10)
		if len(n.Children) > 0 {
			b = append(b, `,"children":`...)
			b = appendRegionNodes(b, n.Children)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendFloat writes f as encoding/json does (ES6 number formatting).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, errUnsupportedNumber
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s quoted as encoding/json does without HTML
// escaping (SetEscapeHTML(false), the API's setting): '"', '\\' and
// control characters escaped, each invalid byte as \ufffd, U+2028 and
// U+2029 as \u2028 and \u2029.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Three-byte sequences with any continuation bytes (lead bytes
		// E1–EC, EE, EF: most of CJK and its punctuation) are valid;
		// only U+2028 and U+2029 among them need escaping.
		if (c >= 0xe1 && c <= 0xec || c >= 0xee) && c <= 0xef && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			if c != 0xe2 || s[i+1] != 0x80 || s[i+2]&0xfe != 0xa8 {
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
