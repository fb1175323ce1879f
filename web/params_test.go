package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"reportsearch/search"
)

func TestReadParams(t *testing.T) {
	v, _ := url.ParseQuery("q=+网格+&q=second&year=2022&year=+2022+&year=2018+..+2023&year=2018..2023&region=a&region=&region=a&region=b&sort=&sort=year&unknown=x")
	p, err := readParams(v, searchPageKeys)
	if err != nil {
		t.Fatal(err)
	}
	want := params{"q": {"网格"}, "year": {"2022", "2018..2023"}, "region": {"a", "b"}, "sort": {"year"}}
	if !equalParams(p, want) {
		t.Errorf("readParams = %v, want %v", p, want)
	}
	// Lists on the trends page: themes too.
	v, _ = url.ParseQuery("q=a&q=b&q=a&q=+&by=region&by=year")
	if p, err = readParams(v, trendsPageKeys); err != nil || !equalParams(p, params{"q": {"a", "b"}, "by": {"region"}}) {
		t.Errorf("trends: %v %v", p, err)
	}
}

func equalParams(a, b params) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// The canonical parameters are a fixed point, never longer than what
// they were read from, and the links a page builds from them are never
// longer than them by more than the one value a link changes.
func FuzzPageParams(f *testing.F) {
	for _, seed := range []string{
		"q=网格&year=2022" + strings.Repeat("&year=2022", 50),
		"q=x&year=+2018+..+2023&year=..2000&year=2018..&year=20x&year=2023..2018",
		"q=%ff%fe&region=%00&level=a%20b",
		"q=" + strings.Repeat("网", 400),
		"q=a&q=b&sort=-year&mode=loose&size=100&from=9900&group=doc&format=csv",
		"region=a&region=b&region=a&doc_type=%22%3E%3Cscript%3E&organization=+",
		"q=x&from=-1&size=0&metric=rate&by=region",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for _, keys := range []paramKeys{searchPageKeys, trendsPageKeys, documentsKeys, readerKeys, apiSearchKeys, apiTrendsKeys} {
			p, _ := readParams(v, keys)
			again, err := readParams(url.Values(p), keys)
			if err != nil || !equalParams(again, p) {
				t.Fatalf("not a fixed point: %v → %v (%v)", p, again, err)
			}
			in := url.Values{}
			for _, k := range append(slices.Clone(keys.single), keys.lists...) {
				in[k] = v[k]
			}
			size := len(url.Values(p).Encode())
			if size > len(in.Encode()) {
				t.Fatalf("canonical %d bytes, read from %d: %q from %q", size, len(in.Encode()), url.Values(p).Encode(), in.Encode())
			}
			for k, vs := range p {
				limit := maxListValues
				if k == "q" {
					limit = search.MaxTrendQueries
				}
				if len(vs) > limit || len(vs) > 1 && slices.Contains(keys.single, k) {
					t.Fatalf("%d values of %s", len(vs), k)
				}
				for i, s := range vs {
					if s == "" || s != strings.TrimSpace(s) || slices.Contains(vs[:i], s) {
						t.Fatalf("value %q of %s", s, k)
					}
				}
			}
			// The links of a page change one value.
			const oneValue = 3*maxValueBytes + 32
			for _, link := range []string{
				p.set("from", "100").href("/"),
				p.set("metric", "rate").href("/trends"),
				facetToggle(p, search.FieldYear, "2022").href("/"),
				facetToggle(p, search.FieldRegion, "山东省").href("/"),
				p.set("sort", "-year").href("/documents"),
			} {
				if len(link) > size+oneValue {
					t.Fatalf("a link of %d bytes from %d bytes of parameters", len(link), size)
				}
			}
			for _, a := range activeFilters(p, "/") {
				if len(a.Remove) > size+oneValue {
					t.Fatalf("a chip's link of %d bytes from %d bytes", len(a.Remove), size)
				}
			}
		}
	})
}

// Pages (and the spellings of an empty page) answer any query string
// without a 5xx and with a bounded body: the limits hold end to end.
func FuzzPageQuery(f *testing.F) {
	for _, seed := range []string{
		"q=发展&year=2022" + strings.Repeat("&year=2022", 100),
		"q=发展&region=全国&year=2018..&sort=-year&from=10",
		"q=\"GDP&year=..0",
		"q=发展&q=改革&by=region&metric=rate",
		"q=x" + strings.Repeat("&region=r", 30),
		"q=发展&facets=none",
		"q=发展&facets=year,region&region_tree=1",
		"f.year=2026&r.year=2023..2025&async=true&min=2",
		"f.year=2026&new=true&async=1&size=5",
	} {
		f.Add(seed)
	}
	// The comparisons /compare and async keywords start end before the
	// sample index may close.
	bg := NewBackground()
	f.Cleanup(bg.Close)
	e := newSampleServer(f, WithBackground(bg))
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.ContainsAny(raw, "# \x00\r\n") {
			return
		}
		for _, path := range []string{"/", "/trends", "/documents", "/api/spellings", "/api/search", "/api/keywords", "/compare"} {
			req, err := http.NewRequest(http.MethodGet, "http://example.com"+path+"?"+raw, nil)
			if err != nil {
				return
			}
			req.RequestURI = path + "?" + raw
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("%s?%s: %d %.300s", path, raw, rec.Code, rec.Body)
			}
			if rec.Body.Len() > 256<<10+8*len(raw) {
				t.Fatalf("%s?%.100s: %d bytes", path, raw, rec.Body.Len())
			}
		}
	})
}
