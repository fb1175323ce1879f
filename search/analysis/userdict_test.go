package analysis

import (
	"slices"
	"strings"
	"testing"
)

func TestReadWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "新质生产力\n一网通办\n", want: []string{"一网通办", "新质生产力"}},
		{in: "\ufeff# 注释\n\n一网通办 10 n\n一网通办,备注\n", want: []string{"一网通办"}},
		{in: ",,,\n\t,\n新质生产力\n", want: []string{"新质生产力"}},
		{in: "一\n", bad: true},
		{in: "12345\n", bad: true},
	} {
		got, err := ReadWords(strings.NewReader(tc.in))
		if (err != nil) != tc.bad || !tc.bad && !slices.Equal(got, tc.want) {
			t.Errorf("ReadWords(%q) = %q, %v; want %q (error: %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

// A word list from an upload is refused with an error or gives words that
// are each valid, normalised, sorted and unique, never more than
// MaxUserWords.
func FuzzReadWords(f *testing.F) {
	for _, s := range []string{"新质生产力\n", "一网通办 10 n\n", ",,,\n", "#x\n\n", "a,b\tc\n", "\ufeff數字政府\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		words, err := ReadWords(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(words) > MaxUserWords || !slices.IsSorted(words) || len(slices.Compact(slices.Clone(words))) != len(words) {
			t.Fatalf("words %q: not sorted, unique and bounded", words)
		}
		for _, w := range words {
			if n, err := NormalizeWord(w); err != nil || n != w {
				t.Fatalf("word %q: not normalised (%q, %v)", w, n, err)
			}
		}
	})
}
