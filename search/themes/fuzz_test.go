package themes_test

import (
	"strings"
	"testing"

	"reportsearch/search"
	"reportsearch/search/themes"
)

// An imported lexicon is bounded and either refused with a bad request or
// made of themes that validate (and so expand to a query).
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"theme,expression,notes\n数字政府,数字政府,\n数字政府,\"\"\"互联网+政务服务\"\"\",注\n",
		"theme,expression\n城市,城市更新 | 旧城改造\n城市,老旧小区 -棚户区\n",
		"expression,theme\n'=1+1,x\n",
		"theme,expression\n,\n\"a b\",\"open\n",
		"\uFEFFTheme,Expression\nx,theme:y\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		ts, err := themes.ReadCSV(strings.NewReader(data))
		if err != nil {
			if !search.IsBadRequest(err) {
				t.Fatalf("ReadCSV: an error that is not a bad request: %v", err)
			}
			return
		}
		if len(ts) > themes.MaxThemes {
			t.Fatalf("%d themes read", len(ts))
		}
		for _, th := range ts {
			if err := th.Validate(); err != nil && !search.IsBadRequest(err) {
				t.Fatalf("Validate: an error that is not a bad request: %v", err)
			}
		}
	})
}
