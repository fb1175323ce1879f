package search

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// plainResponse is Response without its JSON methods: what encoding/json
// wrote before AppendJSON, by reflection.
type plainResponse Response

// referenceJSON is encoding/json's encoding of r with the API's settings
// (no HTML escaping), without the trailing newline.
func referenceJSON(r *Response) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode((*plainResponse)(r)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// filler fills any value from a stream of bytes (a fuzzer's input or a
// seeded generator), reaching every exported field by reflection, so
// that a field added to the response types gets values the hand-written
// encoder must write.
type filler struct {
	data []byte
	rng  *rand.Rand // when data runs out (nil: zero values)
}

func (f *filler) byte() byte {
	if len(f.data) > 0 {
		c := f.data[0]
		f.data = f.data[1:]
		return c
	}
	if f.rng != nil {
		return byte(f.rng.Uint32())
	}
	return 0
}

func (f *filler) uint64() uint64 {
	var b [8]byte
	n := int(f.byte() % 9)
	for i := range n {
		b[i] = f.byte()
	}
	return binary.LittleEndian.Uint64(b[:])
}

// pieces are the strings that stress escaping: quotes, backslashes,
// control characters, HTML, invalid UTF-8, U+2028/2029, CJK, emoji.
var pieces = []string{"", "a", `"`, `\`, "\n", "\t", "\r", "\b", "\f", "\x00", "\x1f", "\x7f", "<mark>", "&amp;", ">",
	"发展", "網格化", "\u2028", "\u2029", "\xff", "\xe6\x9c", "\xed\xa0\x80", "😀", "\ufffd", "é", " ", "/"}

func (f *filler) string() string {
	n := int(f.byte() % 6)
	var s []byte
	for range n {
		c := f.byte()
		if c < 128 {
			s = append(s, pieces[int(c)%len(pieces)]...)
		} else {
			s = append(s, c)
		}
	}
	return string(s)
}

func (f *filler) float() float64 {
	switch f.byte() % 6 {
	case 0:
		return 0
	case 1:
		return float64(int64(f.uint64()) % 100000)
	case 2:
		return float64(f.uint64()%1_000_000) / 1000
	case 3:
		return math.Float64frombits(f.uint64()) // any bits: tiny, huge, negative, NaN, Inf
	case 4:
		return []float64{1e-7, 1e-6, 9.99e-7, 1e20, 1e21, 123456789e15, -0.0, 5e-324, math.MaxFloat64}[f.byte()%9]
	}
	return float64(f.byte()) / 7
}

func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.string())
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(f.uint64()))
	case reflect.Uint64:
		v.SetUint(f.uint64())
	case reflect.Float64:
		v.SetFloat(f.float())
	case reflect.Bool:
		v.SetBool(f.byte()%2 == 1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth)
			}
		}
	case reflect.Slice:
		c := f.byte() % 5
		if c == 0 || depth > 3 {
			return // nil
		}
		s := reflect.MakeSlice(v.Type(), int(c-1), int(c-1)) // empty, or 1–3 elements
		for i := range s.Len() {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		c := f.byte() % 5
		if c == 0 || depth > 3 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range c - 1 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			f.fill(k, depth+1)
			f.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface: // FacetValue.Value: what indexes and the remote client give
		switch f.byte() % 4 {
		case 0:
			v.Set(reflect.ValueOf(int(f.uint64() % 3000)))
		case 1:
			v.Set(reflect.ValueOf(f.string()))
		case 2:
			v.Set(reflect.ValueOf(f.float()))
		}
	case reflect.Pointer:
		if f.byte()%2 == 1 {
			p := reflect.New(v.Type().Elem())
			f.fill(p.Elem(), depth+1)
			v.Set(p)
		}
	default:
		panic("filler: add kind " + v.Kind().String())
	}
}

// checkEncoding: without dedup, appendResponse writes encoding/json's
// bytes or fails where it fails; with it, the bytes decode to what
// encoding/json's decode to.
func checkEncoding(t *testing.T, r *Response) {
	t.Helper()
	want, wantErr := referenceJSON(r)
	got, err := appendResponse([]byte("prefix"), r, false)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("error %v, encoding/json's %v", err, wantErr)
	}
	if string(got[:6]) != "prefix" {
		t.Fatalf("the buffer's bytes were changed: %q", got[:6])
	}
	if err != nil {
		if len(got) != 6 {
			t.Fatalf("a failed append left %q", got[6:])
		}
		return
	}
	if got := got[6:]; !bytes.Equal(got, want) {
		t.Fatalf("bytes differ from encoding/json's\n got %s\nwant %s", got, want)
	}
	wire, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	var a plainResponse
	var b Response
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(wire, &b); err != nil {
		t.Fatalf("%v: %s", err, wire)
	}
	if r.FacetsDisjunctive != nil && len(r.FacetsDisjunctive) == 0 {
		a.FacetsDisjunctive = map[string][]FacetValue{} // omitted before, written as {} now
	}
	if r.FacetsDisjunctive != nil {
		// Decoding fills a field the answer's facets_disjunctive lacks
		// from facets (an index's never lacks one).
		for k, v := range a.Facets {
			if _, ok := a.FacetsDisjunctive[k]; !ok {
				a.FacetsDisjunctive[k] = v
			}
		}
	}
	if !reflect.DeepEqual(Response(a), b) {
		t.Fatalf("the deduplicated answer decodes to\n%+v\nencoding/json's to\n%+v\nwire %s", b, Response(a), wire)
	}
}

// TestAppendJSONMatchesEncodingJSON: responses with every field filled
// from a seeded generator (and a disjunctive facet that shares some of
// the facets' fields, as DisjunctiveFacets gives it).
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for seed := range uint64(3000) {
		f := &filler{rng: rand.New(rand.NewPCG(seed, 18))}
		var r Response
		f.fill(reflect.ValueOf(&r).Elem(), 0)
		if seed%3 == 0 && r.Facets != nil {
			dj := map[string][]FacetValue{}
			for k, v := range r.Facets {
				dj[k] = v
			}
			if seed%2 == 0 {
				dj["other"] = []FacetValue{{Value: 2021, Count: 3}}
			}
			r.FacetsDisjunctive = dj
		}
		checkEncoding(t, &r)
	}
}

// TestResponseJSONRoundTrip: what MarshalJSON writes (through
// encoding/json, as the CLI writes it) decodes to the same response, the
// fields equal to facets left out of facets_disjunctive.
func TestResponseJSONRoundTrip(t *testing.T) {
	facets := map[string][]FacetValue{
		FieldYear:   {{Value: 2021, Count: 2}, {Value: 2023, Count: 1}},
		FieldRegion: {{Value: "山东省", Count: 3}},
		FieldLevel:  {},
	}
	dj := map[string][]FacetValue{
		FieldYear:   {{Value: 2021, Count: 2}, {Value: 2022, Count: 5}, {Value: 2023, Count: 1}},
		FieldRegion: facets[FieldRegion],
		FieldLevel:  {},
	}
	r := Response{Query: "发展", Total: 3, Hits: []Hit{}, Facets: facets, FacetsDisjunctive: dj}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"query":"发展","total":3,"took_ms":0,"hits":[],` +
		`"facets":{"level":[],"region":[{"value":"山东省","count":3}],"year":[{"value":2021,"count":2},{"value":2023,"count":1}]},` +
		`"facets_disjunctive":{"year":[{"value":2021,"count":2},{"value":2022,"count":5},{"value":2023,"count":1}]}}`
	if string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
	var back Response
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	for _, m := range []map[string][]FacetValue{back.Facets, back.FacetsDisjunctive} {
		for i, v := range m[FieldYear] {
			m[FieldYear][i].Value = int(v.Value.(float64))
		}
	}
	if !reflect.DeepEqual(back, r) {
		t.Fatalf("round trip\n got %+v\nwant %+v", back, r)
	}
	// A response without disjunctive facets (a backend's) keeps none.
	r.FacetsDisjunctive = nil
	out, _ = json.Marshal(r)
	back = Response{}
	if err := json.Unmarshal(out, &back); err != nil || back.FacetsDisjunctive != nil {
		t.Fatalf("%s decoded to facets_disjunctive %v (%v)", out, back.FacetsDisjunctive, err)
	}
}

// FuzzAppendJSON: any response the fuzzer's bytes fill encodes as
// encoding/json encodes it.
func FuzzAppendJSON(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03发展<mark>\xff\u2028"))
	f.Add(bytes.Repeat([]byte{4, 200, 3, 7, 1}, 40))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl := &filler{data: data}
		var r Response
		fl.fill(reflect.ValueOf(&r).Elem(), 0)
		checkEncoding(t, &r)
	})
}

// BenchmarkAppendJSON: a 1M-sized answer (ten hits, 430 facet values,
// the disjunctive facets shared) by AppendJSON and by encoding/json.
func BenchmarkAppendJSON(b *testing.B) {
	r := &Response{Query: "发展", Total: 328423, TookMS: 0.07, Facets: map[string][]FacetValue{}}
	text := "这五年，我们完整准确全面贯彻新发展理念，全力推动高质量发展，经济实力迈上新台阶。"
	for i := range 10 {
		r.Hits = append(r.Hits, Hit{ID: "2f562dd0053f438e-41", DocID: "2f562dd0053f438e", Title: "2010年天津市政府工作报告",
			Path: "2010_天津市_政府工作报告_006052.txt", Meta: Meta{Year: 2010, Region: "天津市", Level: "provincial",
				Organization: "天津市人民政府", DocType: "政府工作报告"}, Paragraph: 41 + i, Section: "三、过去五年的工作",
			Text: text + text + text + text + text, Highlight: "新<mark>发展</mark>理念" + text + text + text, Score: 3.431})
	}
	for field, n := range map[string]int{FieldYear: 37, FieldRegion: 64, FieldLevel: 3, FieldOrganization: 320, FieldDocType: 5} {
		for i := range n {
			var v any = "陕西省人民政府" + strconvItoa(i)
			if field == FieldYear {
				v = 1990 + i
			}
			r.Facets[field] = append(r.Facets[field], FacetValue{Value: v, Count: uint64(10000 - i)})
		}
	}
	r.FacetsDisjunctive = map[string][]FacetValue{}
	for k, v := range r.Facets {
		r.FacetsDisjunctive[k] = v
	}
	b.Run("AppendJSON", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = r.AppendJSON(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode((*plainResponse)(r)); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
	})
}

func strconvItoa(i int) string { return string(rune('0'+i%10)) + string(rune('0'+i/10%10)) }
