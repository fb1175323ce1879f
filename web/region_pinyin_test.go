package web

import (
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"reportsearch/internal/regions"
	"reportsearch/search"
)

var updatePinyin = flag.Bool("update-pinyin", false, "rewrite testdata/region-pinyin.golden")

// TestRegionPinyinOrder: on the corpus, the regions of by=region trends
// (API and page) come in pinyin order: the order of
// testdata/region-pinyin.golden, each name with its syllables, written
// for a person to check (-update-pinyin rewrites it), which is every
// region of the corpus' reports sorted by regions.ComparePinyin; ties of
// the region facet (equal counts) follow the same order.
func TestRegionPinyinOrder(t *testing.T) {
	e := newTestServer(t)
	var tr search.TrendsResponse
	getJSON(t, e, "/api/trends?by=region&q="+url.QueryEscape("发展"), &tr)
	var got []string
	for _, b := range tr.Buckets {
		got = append(got, b.Value.(string))
	}
	seen := map[string]bool{}
	var want []string
	for _, p := range brute(t) {
		if r := p.report.Region; !seen[r] {
			seen[r] = true
			want = append(want, r)
		}
	}
	slices.SortFunc(want, regions.ComparePinyin)
	if !slices.Equal(got, want) {
		t.Errorf("trends by region: %v\nwant %v", got, want)
	}
	var b strings.Builder
	b.WriteString("# the corpus' regions in pinyin order (regions.ComparePinyin), each with its syllables; go test ./web -run TestRegionPinyinOrder -update-pinyin rewrites\n")
	for _, r := range want {
		b.WriteString(r + "\t" + strings.Join(regions.Pinyin(r), " ") + "\n")
	}
	golden := filepath.Join("testdata", "region-pinyin.golden")
	if *updatePinyin {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != b.String() {
		t.Errorf("the corpus' regions in pinyin order differ from %s (go test ./web -run TestRegionPinyinOrder -update-pinyin, and read the diff):\n%s", golden, b.String())
	}
	// The page's table, in the same order.
	d := fetchPage(t, e, "/trends?by=region&q="+url.QueryEscape("发展"))
	var rows []string
	for _, th := range d.find(func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" }) {
		rows = append(rows, strings.Fields(textOf(th))[0])
	}
	var labels []string
	for _, r := range want {
		labels = append(labels, valueLabel(search.FieldRegion, r))
	}
	if !slices.Equal(rows, labels) {
		t.Errorf("page rows %v, want %v", rows, labels)
	}
	// Facet ties: values with equal counts in pinyin order.
	var resp search.Response
	getJSON(t, e, "/api/search?size=1&q="+url.QueryEscape("发展"), &resp)
	fs := resp.Facets[search.FieldRegion]
	for i := 1; i < len(fs); i++ {
		if fs[i].Count == fs[i-1].Count && regions.ComparePinyin(fs[i-1].Value.(string), fs[i].Value.(string)) > 0 {
			t.Errorf("region facet ties out of pinyin order: %v before %v", fs[i-1], fs[i])
		}
	}
}
