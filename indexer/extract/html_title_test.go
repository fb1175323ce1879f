package extract

import (
	"testing"
)

func TestHTMLTitle(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"site suffix underscore", `<title>2024年政府工作报告_中国政府网</title>`, "2024年政府工作报告"},
		{"several suffixes", `<title>国务院关于印发若干政策措施的通知_国务院文件_中国政府网</title>`, "国务院关于印发若干政策措施的通知"},
		{"dash suffix", `<title>政府工作报告 - 新华网</title>`, "政府工作报告"},
		{"pipe suffix", `<title>政府工作报告 | 人民网</title>`, "政府工作报告"},
		{"double dash", `<title>政府工作报告--中国政府网</title>`, "政府工作报告"},
		{"short remainder kept whole", `<title>要闻_新华网</title>`, "要闻_新华网"},
		{"date hyphen kept", `<title>2024-03-05 政府工作报告</title>`, "2024-03-05 政府工作报告"},
		{"og:title fallback", `<meta property="og:title" content="开放图谱标题">`, "开放图谱标题"},
		{"h1 fallback", `<h1>一级标题</h1><p>正文</p>`, "一级标题"},
		{"whitespace collapsed", "<title>\n  政府\n  工作报告\n  2024  </title>", "政府工作报告 2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "a.html", []byte("<html><head>"+tt.html+"</head><body><p>正文内容。</p></body></html>"))
			if doc.Title != tt.want {
				t.Errorf("Title = %q, want %q", doc.Title, tt.want)
			}
		})
	}
}
