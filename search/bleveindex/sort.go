package bleveindex

import (
	"sort"

	"reportsearch/search"
)

func sortReports(rs []search.Report) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Year != rs[j].Year {
			return rs[i].Year < rs[j].Year
		}
		if rs[i].Title != rs[j].Title {
			return rs[i].Title < rs[j].Title
		}
		return rs[i].ID < rs[j].ID
	})
}
