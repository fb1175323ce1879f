package analysis

import (
	"fmt"
	"testing"
)

func TestDump(t *testing.T) {
	for _, s := range []string{"网格化治理", "推进ＧＤＰ增长5.5%，5G基站达到55GWh", "芝罘区政协　2022年", "城市更新行动"} {
		for _, tk := range (wordAnalyzer{}).Analyze([]byte(s)) {
			fmt.Printf("%q %d %d %d | ", tk.Term, tk.Start, tk.End, tk.Position)
		}
		fmt.Println()
	}
}
