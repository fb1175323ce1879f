package indexer

import (
	"reflect"
	"strings"
	"testing"

	"reportsearch/search"
)

func TestInferMetadata(t *testing.T) {
	tests := []struct {
		file, firstLines string
		want             search.Report
		inferred         string
	}{
		{"/x/2026年河北省政府工作报告.docx", "2026年河北省政府工作报告\n——2026年1月20日在河北省第十四届人民代表大会第四次会议上",
			search.Report{Title: "2026年河北省政府工作报告", Year: 2026, Region: "河北省", Level: "provincial", Organization: "河北省人民政府", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/2022_芝罘区政协_常委会工作报告.txt", "凝心聚力开创政协工作新局面\n2022年，是十五届区政协履职的开局之年。",
			search.Report{Title: "凝心聚力开创政协工作新局面", Year: 2022, Region: "山东省烟台市芝罘区", Level: "district", Organization: "芝罘区政协", DocType: "常委会工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/report.html", "下载\n2025年政府工作报告\n——2025年3月5日在第十四届全国人民代表大会第三次会议上",
			search.Report{Title: "2025年政府工作报告", Year: 2025, Date: "", Region: "", DocType: "政府工作报告"},
			"title,year,doc_type"},
		{"/x/2024_杭州市_政府工作报告.txt", "政府工作报告",
			search.Report{Title: "政府工作报告", Year: 2024, Region: "浙江省杭州市", Level: "municipal", Organization: "杭州市人民政府", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/2024_烟台市_政府工作报告.txt", "政府工作报告",
			search.Report{Title: "政府工作报告", Year: 2024, Region: "山东省烟台市", Level: "municipal", Organization: "烟台市人民政府", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/2023年山东省烟台市芝罘区政府工作报告.txt", "政府工作报告",
			search.Report{Title: "政府工作报告", Year: 2023, Region: "山东省烟台市芝罘区", Level: "district", Organization: "芝罘区人民政府", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/2023_朝阳区_政府工作报告.txt", "政府工作报告",
			search.Report{Title: "政府工作报告", Year: 2023, Region: "朝阳区", Level: "district", Organization: "朝阳区人民政府", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
		{"/x/国务院政府工作报告2023-03-05.txt", "政府工作报告",
			search.Report{Title: "政府工作报告", Year: 2023, Date: "2023-03-05", Region: "全国", Level: "national", Organization: "国务院", DocType: "政府工作报告"},
			"title,year,doc_type,region,level,organization"},
	}
	for _, tt := range tests {
		var lines []Line
		for _, l := range strings.Split(tt.firstLines, "\n") {
			lines = append(lines, Line{Text: l})
		}
		var r search.Report
		fillMetadata(&r, nil, "", CleanParagraphs(lines), tt.file)
		got := strings.Join(r.Inferred, ",")
		r.Inferred = nil
		if !reflect.DeepEqual(r, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.file, r, tt.want)
		}
		if got != tt.inferred {
			t.Errorf("%s: inferred %s, want %s", tt.file, got, tt.inferred)
		}
	}
	// A manifest entry wins and nothing is inferred.
	var r search.Report
	fillMetadata(&r, &ManifestEntry{Title: "T", Meta: search.Meta{Year: 2020, Region: "R", Level: "L", Organization: "O", DocType: "D"}}, "", nil, "/x/2026年河北省政府工作报告.txt")
	if len(r.Inferred) != 0 || r.Title != "T" || r.Year != 2020 {
		t.Errorf("manifest not used: %+v", r)
	}
}
