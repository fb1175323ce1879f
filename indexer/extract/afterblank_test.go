package extract

import "testing"

func TestLineBlocksAfterBlank(t *testing.T) {
	got, err := lineBlocks("标题\r\n\r\n第一段上半\r\n第一段下半\n　　\n第二段\f第三页\n", 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		text  string
		blank bool
	}{{"标题", false}, {"第一段上半", true}, {"第一段下半", false}, {"第二段", true}, {"第三页", false}}
	if len(got) != len(want) {
		t.Fatalf("got %d blocks: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].AfterBlank != w.blank {
			t.Errorf("block %d = %+v, want %q after blank %v", i, got[i], w.text, w.blank)
		}
	}
}
