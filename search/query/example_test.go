package query_test

import (
	"fmt"
	"strings"

	"reportsearch/search/query"
)

// A query is parsed once into a tree, folded like the text it is matched
// against, and matched with Match — the same rule the index implements.
func ExampleMatch() {
	tree, err := query.Parse("城市更新 ｜ 旧城改造 －棚户区")
	if err != nil {
		panic(err)
	}
	fmt.Println(tree)
	folded := query.Fold(tree, strings.ToLower)
	for _, text := range []string{"推进城市更新行动", "旧城改造和棚户区改造", "乡村振兴"} {
		fmt.Println(text, query.Match(folded, text))
	}
	// Output:
	// 城市更新 | 旧城改造 -棚户区
	// 推进城市更新行动 true
	// 旧城改造和棚户区改造 false
	// 乡村振兴 false
}

// Errors carry a stable code, the position in characters and messages in
// English and Chinese.
func ExampleSyntaxError() {
	_, err := query.Parse(`网格化 "GDP`)
	se := err.(*query.SyntaxError)
	fmt.Println(se.Code, se.Pos)
	fmt.Println(se.Msg)
	fmt.Println(se.Zh)
	// Output:
	// unterminated_quote 5
	// unterminated quote at character 5
	// 第 5 个字符处的引号没有配对的结束引号
}

// Loose mode: each term becomes the And of its words (here a stand-in
// for the gse segmenter).
func ExampleExpand() {
	tree, _ := query.Parse("网格化治理")
	loose, _ := query.Expand(tree, func(s string) ([]string, error) { return []string{"网格", "化", "治理"}, nil })
	fmt.Println(query.Match(loose, "治理网格化"), query.Terms(loose))
	// Output: true [网格 化 治理]
}
