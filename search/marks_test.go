package search

import (
	"reflect"
	"strings"
	"testing"

	"reportsearch/search/highlight"
)

func TestLooseMarks(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"网格化治理", []string{"网格化治理", "网格", "治理"}},
		{"城市更新 乡村振兴", []string{"城市更新", "城市", "更新", "乡村振兴", "乡村", "振兴"}},
		{"化", []string{"化"}},
		{"网格化治理 -深化", []string{"网格化治理", "网格", "治理"}},
	} {
		q, err := ParseQuery(c.q, ModeLoose)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(q.Marks, c.want) {
			t.Errorf("%s: marks %q, want %q", c.q, q.Marks, c.want)
		}
	}
	q, _ := ParseQuery("网格化治理", ModeLoose)
	got := highlight.Highlight("深化网格化治理，网格员参与治理", q.Marks).HTML
	if strings.Contains(got, "<mark>化</mark>") || !strings.Contains(got, "<mark>网格化治理</mark>") || !strings.Contains(got, "<mark>治理</mark>") {
		t.Errorf("loose 网格化治理: %s", got)
	}
}
