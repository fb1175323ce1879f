package extract

import (
	"testing"
)

func TestIsFurnitureText(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"当前位置：首页 > 要闻", true},
		{"您现在的位置: 首页 > 政务公开", true},
		{"首页 > 新闻中心 > 正文", true},
		{"【字号：大 中 小】 打印 关闭", true},
		{"【 打印 】【 关闭窗口 】", true},
		{"分享到：微信 微博", true},
		{"版权所有：某某市人民政府　京ICP备05070218号", true},
		{"上一篇：关于某某的通知", true},
		{"大 中 小", false},
		{"当前位置偏低，需要继续努力。", false},
		{"会议要求，各地要做好打印和关闭窗口的安全管理工作。", false},
		{"　　过去一年，我们坚持稳中求进工作总基调。", false},
	}
	for _, tt := range tests {
		if got := isFurnitureText(tt.text); got != tt.want {
			t.Errorf("isFurnitureText(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
