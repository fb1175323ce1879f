package grams_test

import (
	"fmt"
	"os"
	"path/filepath"

	"reportsearch/search/grams"
)

// A segment is built once from folded paragraphs, then opened and
// searched: Find returns the ordinals of the paragraphs that contain a
// string, and how often.
func ExampleSegment_Find() {
	dir, _ := os.MkdirTemp("", "grams-example")
	defer os.RemoveAll(dir)
	b := grams.NewBuilder()
	b.AddReport("r1", nil)
	for i, text := range []string{"推进网格化治理", "网格化管理", "治理能力现代化"} {
		if err := b.Add(grams.Para{Folded: text, N: uint32(i + 1)}); err != nil {
			panic(err)
		}
	}
	path := filepath.Join(dir, "a.seg")
	if err := b.WriteFile(path); err != nil {
		panic(err)
	}
	seg, err := grams.Open(path)
	if err != nil {
		panic(err)
	}
	defer seg.Close()
	for _, q := range []string{"网格化", "治理", "化", "网格化治理能力"} {
		m, err := seg.Find(q)
		if err != nil {
			panic(err)
		}
		fmt.Println(q, m.Ords, m.TFs)
	}
	// Output:
	// 网格化 [0 1] [1 1]
	// 治理 [0 2] [1 1]
	// 化 [0 1 2] [1 1 1]
	// 网格化治理能力 [] []
}
