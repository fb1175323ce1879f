package search

import (
	"reflect"
	"testing"
)

func TestRegionTree(t *testing.T) {
	got := RegionTree([]FacetValue{
		{Value: "全国", Count: 50},
		{Value: "山东省", Count: 3},
		{Value: "山东省烟台市芝罘区", Count: 4},
		{Value: "芝罘区", Count: 1},
		{Value: "浙江省杭州市", Count: 2},
		{Value: "朝阳区", Count: 1},
		{Value: "", Count: 9},
	})
	want := []RegionNode{
		{Value: "全国", Name: "全国", Count: 50},
		{Value: "山东省", Name: "山东省", Code: "37", Count: 8, Children: []RegionNode{
			{Value: "山东省烟台市", Name: "烟台市", Code: "3706", Count: 5, Children: []RegionNode{
				{Value: "山东省烟台市芝罘区", Name: "芝罘区", Code: "370602", Count: 5}}}}},
		{Value: "浙江省", Name: "浙江省", Code: "33", Count: 2, Children: []RegionNode{
			{Value: "浙江省杭州市", Name: "杭州市", Code: "3301", Count: 2}}},
		{Value: "朝阳区", Name: "朝阳区", Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got := RegionTree(nil); got == nil || len(got) != 0 {
		t.Errorf("RegionTree(nil) = %#v, want []", got)
	}
}

func TestRegionFilter(t *testing.T) {
	f := Filter{Regions: []string{"山东省"}}
	for region, want := range map[string]bool{"山东省": true, "山东省烟台市芝罘区": true, "芝罘区": true, "烟台市": true, "浙江省": false, "全国": false, "": false} {
		if got := f.Match(&Report{Region: region}); got != want {
			t.Errorf("region=山东省 on %q: %v, want %v", region, got, want)
		}
	}
	f = Filter{Regions: []string{"全国"}}
	if !f.Match(&Report{Region: "全国"}) || f.Match(&Report{Region: "山东省"}) {
		t.Error("全国 is a value of its own")
	}
}
