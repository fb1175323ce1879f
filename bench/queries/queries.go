// Package queries is the fixed query set of the benchmark (see
// docs/benchmarks.md), shared by bench/run and the in-process
// BenchmarkQueries of search/bleveindex so that both measure the same
// queries.
package queries

// List holds 2–7 character queries, from the most common words of report
// text (发展, 改革: tens of thousands of paragraphs at 1M) to rare
// phrases (网格化治理, 全过程人民民主). Two-character queries matter: they
// are the ones a trigram index cannot answer from its index.
var List = []string{
	// 2 characters, common
	"民生", "发展", "改革", "就业", "教育", "医疗", "养老",
	// 3–4 characters
	"碳达峰", "科技创新", "乡村振兴", "营商环境", "城市更新", "人工智能", "粮食安全",
	// 5–7 characters, rare
	"网格化治理", "新质生产力", "全过程人民民主",
}
