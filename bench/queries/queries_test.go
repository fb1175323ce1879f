package queries

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"testing"
)

// The wrk script of bench/underload lists exactly the query set, in order.
func TestUnderloadScriptListsTheQueries(t *testing.T) {
	lua, err := os.ReadFile("../underload/queries.lua")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`"/api/search\?q=([^"&]+)&size=10"`).FindAllStringSubmatch(string(lua), -1) {
		q, err := url.QueryUnescape(m[1])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, q)
	}
	if !slices.Equal(got, List) {
		t.Fatalf("queries.lua lists %q, want %q", got, List)
	}
}
