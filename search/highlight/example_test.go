package highlight_test

import (
	"fmt"

	"reportsearch/search/highlight"
)

// Every occurrence of every term is marked in the escaped text; matching
// folds (ＧＤＰ is found by gdp) and the text is shown as written.
func ExampleHighlight() {
	r := highlight.Highlight("全省ＧＤＰ增长5%，<b>城市更新</b>加快", []string{"gdp", "城市更新"})
	fmt.Println(r.HTML)
	fmt.Println(r.Count)
	// Output:
	// 全省<mark>ＧＤＰ</mark>增长5%，&lt;b&gt;<mark>城市更新</mark>&lt;/b&gt;加快
	// 2
}
