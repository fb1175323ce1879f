package extract

import (
	"fmt"
	"strings"
	"testing"
)

// govNewsPage is modelled on article pages of Chinese government news sites:
// site header and navigation, a 当前位置 breadcrumb, the article with a
// date line, a 字号/打印/关闭 widget and a share bar, related links, and a
// copyright/ICP footer.
const govNewsPage = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="ArticleTitle" content="国务院常务会议研究部署稳就业工作">
<title>国务院常务会议研究部署稳就业工作_滚动新闻_中国政府网</title>
<script>var title = "脚本里的文字不应出现";</script>
<style>.pages_content p { text-indent: 2em; }</style>
</head>
<body>
<div class="header">
  <div class="logo"><img src="logo.png" alt="中国政府网"></div>
  <div class="nav"><a href="/">首页</a> <a href="/zhengce/">政策</a> <a href="/yaowen/">要闻</a> <a href="/hudong/">互动</a></div>
</div>
<div class="main">
  <div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/yaowen/">要闻</a></div>
  <div class="article oneColumn pub_border">
    <h1>国务院常务会议研究部署稳就业工作</h1>
    <div class="pages-date">2024-03-05 18:00 来源：新华社</div>
    <div class="pages_print">
      【字号：<a href="javascript:void(0)" onclick="doZoom(16)">大</a> <a href="javascript:void(0)" onclick="doZoom(14)">中</a> <a href="javascript:void(0)" onclick="doZoom(12)">小</a>】
      <a href="javascript:window.print()">打印</a>
      <a href="javascript:window.close()">关闭</a>
    </div>
    <div class="pages_content" id="UCAP-CONTENT">
      <p>　　国务院总理主持召开国务院常务会议，听取关于稳就业工作情况的汇报，研究部署进一步做好稳就业工作。</p>
      <p>　　会议指出，就业是最基本的民生。要坚持把<a href="/zhengce/jiuye.htm">稳就业</a>放在更加突出的位置，强化就业优先政策。</p>
      <h2>一、加大政策支持力度</h2>
      <p>　　会议要求，各地区各部门要落实落细稳岗扩岗政策，<strong>加强</strong>对重点群体的就业帮扶。</p>
      <ul>
        <li>支持企业稳岗扩岗，延续实施阶段性降低失业保险费率政策。</li>
        <li>拓宽高校毕业生等青年就业渠道。</li>
      </ul>
      <table>
        <tr><th>指标</th><th>预期目标</th></tr>
        <tr><td>城镇新增就业</td><td>1200万人以上</td></tr>
        <tr><td>城镇调查失业率</td><td><p>5.5%左右</p></td></tr>
      </table>
      <p>　　会议还研究了其他事项。<br>　　（完）</p>
    </div>
    <div class="share-bar bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a> <a class="bds_tsina">微博</a> <a class="bds_qzone">QQ空间</a></div>
    <div class="editor">责任编辑：王某某</div>
  </div>
  <div class="related">
    <h3>相关稿件</h3>
    <ul><li><a href="/1.htm">李强主持召开国务院常务会议</a></li><li><a href="/2.htm">国务院印发关于就业工作的通知</a></li></ul>
  </div>
</div>
<div class="footer">
  <p><a href="/about.htm">网站说明</a> | <a href="/contact.htm">联系我们</a></p>
  <p>版权所有：中国政府网 | 中文域名：中国政府网.政务</p>
  <p>京ICP备05070218号　京公网安备11010202000001号</p>
</div>
</body>
</html>`

var govNewsBlocks = []Block{
	bh(1, "国务院常务会议研究部署稳就业工作"),
	b0("2024-03-05 18:00 来源：新华社"),
	b0("　　国务院总理主持召开国务院常务会议，听取关于稳就业工作情况的汇报，研究部署进一步做好稳就业工作。"),
	b0("　　会议指出，就业是最基本的民生。要坚持把稳就业放在更加突出的位置，强化就业优先政策。"),
	bh(2, "一、加大政策支持力度"),
	b0("　　会议要求，各地区各部门要落实落细稳岗扩岗政策，加强对重点群体的就业帮扶。"),
	b0("支持企业稳岗扩岗，延续实施阶段性降低失业保险费率政策。"),
	b0("拓宽高校毕业生等青年就业渠道。"),
	b0("指标 | 预期目标"),
	b0("城镇新增就业 | 1200万人以上"),
	b0("城镇调查失业率 | 5.5%左右"),
	b0("　　会议还研究了其他事项。"),
	b0("　　（完）"),
	b0("责任编辑：王某某"),
}

// chromeText is text of the page furniture that must not be extracted.
var chromeText = []string{
	"脚本", "text-indent", "首页", "互动", "当前位置", "字号", "打印", "关闭",
	"分享", "微信", "QQ空间", "相关稿件", "李强主持", "网站说明", "联系我们",
	"版权所有", "ICP", "公网安备",
}

func checkNoChrome(t *testing.T, blocks []Block) {
	t.Helper()
	for _, b := range blocks {
		for _, junk := range chromeText {
			if strings.Contains(b.Text, junk) {
				t.Errorf("block %q contains page furniture %q", b.Text, junk)
			}
		}
	}
}

func TestHTMLGovernmentNewsPage(t *testing.T) {
	doc := mustExtract(t, "page.html", []byte(govNewsPage))
	if doc.Format != FormatHTML || doc.Encoding != EncodingUTF8 {
		t.Errorf("Format, Encoding = %q, %q", doc.Format, doc.Encoding)
	}
	if want := "国务院常务会议研究部署稳就业工作"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, govNewsBlocks)
	checkNoChrome(t, doc.Blocks)
}

// unmarkedPage has the same furniture without telling class names: the
// container choice and the wording filters must do the work.
const unmarkedPage = `<html><head><title>关于做好2024年稳就业工作的通知 - 某某省人民政府</title></head>
<body>
<div id="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/zwfw/">政务服务</a> | <a href="/hdjl/">互动交流</a></div>
<div id="wrap">
  <div class="w1">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>
  <div class="w2">
    <div class="bt">关于做好2024年稳就业工作的通知</div>
    <div class="tools">【字号：<a>大</a> <a>中</a> <a>小</a>】 【打印】 【关闭】</div>
    <div class="c1">
      <div>　　各市、县人民政府，省政府各部门：</div>
      <div>　　为深入贯彻落实党中央、国务院关于稳就业的决策部署，现就做好2024年稳就业工作通知如下。</div>
      <div>　　一、强化就业优先政策。各地要把稳就业作为经济社会发展的优先目标。</div>
      <div>　　二、突出抓好重点群体就业。做好高校毕业生、农民工等群体就业工作。</div>
    </div>
    <div class="pn"><a href="/1.htm">上一篇：关于加强安全生产工作的通知</a><br><a href="/2.htm">下一篇：关于开展防汛检查的通知</a></div>
  </div>
</div>
<div id="bottom">主办：某某省人民政府办公厅　版权所有　备案号：某ICP备12345678号</div>
</body></html>`

func TestHTMLUnmarkedChrome(t *testing.T) {
	doc := mustExtract(t, "notice.htm", []byte(unmarkedPage))
	if want := "关于做好2024年稳就业工作的通知"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, []Block{
		b0("　　各市、县人民政府，省政府各部门："),
		b0("　　为深入贯彻落实党中央、国务院关于稳就业的决策部署，现就做好2024年稳就业工作通知如下。"),
		b0("　　一、强化就业优先政策。各地要把稳就业作为经济社会发展的优先目标。"),
		b0("　　二、突出抓好重点群体就业。做好高校毕业生、农民工等群体就业工作。"),
	})
	checkNoChrome(t, doc.Blocks)
}

// gbkLayoutPage is an old-style GB2312 page laid out with tables, with the
// article as <br>-separated lines in a TRS_Editor div.
const gbkLayoutPage = `<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2023年政府工作报告_市政府门户网站</title>
</head>
<body>
<table width="100%"><tr><td class="menu"><a href="/">网站首页</a> <a href="/xxgk/">信息公开</a></td></tr></table>
<table width="960">
<tr>
<td width="200" class="left"><a href="/a">机构设置</a><br><a href="/b">领导信息</a><br><a href="/c">政策文件</a></td>
<td width="760">
  <div class="title">2023年政府工作报告</div>
  <div class="TRS_Editor">
  　　各位代表：<br>
  　　现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。<br>
  　　一、2022年工作回顾<br>
  　　过去一年，全市经济社会发展取得新成效，地区生产总值增长百分之五。<br>
  </div>
</td>
</tr>
</table>
<div align="center">Copyright &copy; 2023 某市人民政府 版权所有</div>
</body>
</html>`

func TestHTMLGBKTableLayout(t *testing.T) {
	doc := mustExtract(t, "report.htm", gbk(t, gbkLayoutPage))
	if doc.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q, want %q", doc.Encoding, EncodingGB18030)
	}
	if want := "2023年政府工作报告"; doc.Title != want {
		t.Errorf("Title = %q, want %q", doc.Title, want)
	}
	checkBlocks(t, doc.Blocks, []Block{
		b0("　　各位代表："),
		b0("　　现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"),
		b0("　　一、2022年工作回顾"),
		b0("　　过去一年，全市经济社会发展取得新成效，地区生产总值增长百分之五。"),
	})
}

func TestHTMLBlocks(t *testing.T) {
	tests := []struct {
		name string
		html string
		want []Block
	}{
		{
			"headings and paragraphs",
			`<h1>报告</h1><h3>一、 回顾</h3><p>正文   第一段
			继续 English
			words</p><h6>附注</h6>`,
			[]Block{bh(1, "报告"), bh(3, "一、 回顾"), b0("正文 第一段继续 English words"), bh(6, "附注")},
		},
		{
			"br lines and direct div text",
			`<div>　　第一行<br/>　　第二行<br><br>第三行<p>段落</p>尾巴</div>`,
			[]Block{b0("　　第一行"), b0("　　第二行"), b0("第三行"), b0("段落"), b0("尾巴")},
		},
		{
			"nbsp collapsed, ideographic space kept",
			`<p>&nbsp;&nbsp;　　经济&nbsp; 增长　目标</p>`,
			[]Block{b0("　　经济 增长　目标")},
		},
		{
			"inline elements join",
			`<p><span>政府</span><b>工作</b><font color=red>报告</font></p>`,
			[]Block{b0("政府工作报告")},
		},
		{
			"table rows, empty cells skipped",
			`<table><caption>表1</caption><tr><th>项目</th><th></th><th>金额</th></tr><tr><td>收入<br>合计</td><td> </td><td>100</td></tr></table>`,
			[]Block{b0("表1"), b0("项目 | 金额"), b0("收入 合计 | 100")},
		},
		{
			"layout table cells are containers",
			`<table><tr><td><a href="/1">导航一</a><br><a href="/2">导航二</a></td><td><p>第一段很长的正文内容在这里。</p><p>第二段正文。</p><table><tr><td>甲</td><td>乙</td></tr></table></td></tr></table>`,
			[]Block{b0("第一段很长的正文内容在这里。"), b0("第二段正文。"), b0("甲 | 乙")},
		},
		{
			"pre lines",
			"<pre>第一行\n  第二行\n\n第三行</pre>",
			[]Block{b0("第一行"), b0("第二行"), b0("第三行")},
		},
		{
			"hidden and scripts dropped",
			`<p>可见文字。</p><p style="display: none">隐藏</p><div hidden>也隐藏</div><script>脚本()</script><noscript>请启用脚本</noscript><p aria-hidden="true">辅助隐藏</p>`,
			[]Block{b0("可见文字。")},
		},
		{
			"article header kept, page header dropped",
			`<header><a href="/">网站首页</a> 某某网站</header><article><header><h1>文章标题</h1></header><p>文章正文内容比较长，足以成为正文。</p></article>`,
			[]Block{bh(1, "文章标题"), b0("文章正文内容比较长，足以成为正文。")},
		},
		{
			"asp.net form around the page is kept",
			`<form id="form1"><div class="content"><p>整个页面都在表单里面，这是正文。</p><p>第二段正文内容。</p></div></form>`,
			[]Block{b0("整个页面都在表单里面，这是正文。"), b0("第二段正文内容。")},
		},
		{
			"article split in unnamed sections",
			`<div><div><p>第一部分的第一段正文内容，讲述过去一年的工作。</p><p>第一部分的第二段正文内容，讲述主要成绩。</p><p>第一部分的第三段正文内容，讲述困难挑战。</p></div>` +
				`<div><p>第二部分的正文内容，讲述今年的总体要求和目标任务。</p></div></div>` +
				`<div id="x"><p>联系电话：12345</p></div>`,
			[]Block{
				b0("第一部分的第一段正文内容，讲述过去一年的工作。"),
				b0("第一部分的第二段正文内容，讲述主要成绩。"),
				b0("第一部分的第三段正文内容，讲述困难挑战。"),
				b0("第二部分的正文内容，讲述今年的总体要求和目标任务。"),
			},
		},
		{
			"small unnamed sidebar left out",
			`<div><div><p>正文第一段比较长的内容，讲述过去一年的工作情况和主要成绩。</p><p>正文第二段比较长的内容，讲述今年的总体要求和目标任务。</p><p>正文第三段比较长的内容，讲述政府自身建设和依法行政。</p></div>` +
				`<div><p>今日天气晴转多云，气温十五度</p><a href="/a">热点新闻一</a><br><a href="/b">热点新闻二</a></div></div>`,
			[]Block{
				b0("正文第一段比较长的内容，讲述过去一年的工作情况和主要成绩。"),
				b0("正文第二段比较长的内容，讲述今年的总体要求和目标任务。"),
				b0("正文第三段比较长的内容，讲述政府自身建设和依法行政。"),
			},
		},
		{
			"print area is content",
			`<div id="printContent"><p>可打印区域就是正文内容。</p></div><div class="print"><a href="#">打印本页</a></div>`,
			[]Block{b0("可打印区域就是正文内容。")},
		},
		{
			"footnote class is not a footer",
			`<div class="content"><p>正文内容第一段落文字。</p><p class="footnote">注：数据来自统计局。</p></div>`,
			[]Block{b0("正文内容第一段落文字。"), b0("注：数据来自统计局。")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustExtract(t, "a.html", []byte("<!DOCTYPE html><html><body>"+tt.html+"</body></html>"))
			checkBlocks(t, doc.Blocks, tt.want)
		})
	}
}

// wordWebPage is a report saved by Word as a "web page" with a .doc name,
// a common way reports are published.
const wordWebPage = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<title>政府工作报告</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm;} --></style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<div class=Section1 style='layout-grid:15.6pt'>
<h1><span lang=EN-US>2024</span>年政府工作报告</h1>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>各位代表：<span lang=EN-US><o:p></o:p></span></span></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>现在，我代表市人民政府，向大会报告工作，
请予审议。</span></p>
<table class=MsoTableGrid border=1 cellspacing=0><tr><td width=100><p class=MsoNormal>指标</p></td><td><p class=MsoNormal>目标<o:p></o:p></p></td></tr></table>
</div>
</body>
</html>`

func TestHTMLWordWebPage(t *testing.T) {
	doc := mustExtract(t, "report.doc", gbk(t, wordWebPage))
	if doc.Format != FormatHTML || doc.Encoding != EncodingGB18030 || doc.Title != "政府工作报告" {
		t.Errorf("Format, Encoding, Title = %q, %q, %q", doc.Format, doc.Encoding, doc.Title)
	}
	checkBlocks(t, doc.Blocks, []Block{
		bh(1, "2024年政府工作报告"),
		b0("各位代表："),
		b0("现在，我代表市人民政府，向大会报告工作，请予审议。"),
		b0("指标 | 目标"),
	})
}

// slowInputs were slow, at sizes that took seconds to minutes: their
// speed is BenchmarkSlowInputs' (docs/benchmarks.md); the test checks what
// they give.
var slowInputs = []struct {
	name, data, want string
}{
	// stripSiteSuffix rescanned the whole <title> once per separator:
	// 16,000 separators took 8 s.
	{"a.html", "<title>" + strings.Repeat("文字_", 200_000) + "</title><p>正文内容。</p>", "正文内容。"},
	// the inline-widget pattern (furniture.StripInlineWidgets) ran over
	// every block at a few MB/s, 10 MB lines included: 2.4 s.
	{"a.html", "<p>" + strings.Repeat("【打印", 1<<20), "【打印【打印"},
}

func TestSlowInputs(t *testing.T) {
	for _, tt := range slowInputs {
		doc, err := Extract(tt.name, []byte(tt.data))
		if err != nil {
			t.Errorf("%s of %d bytes: %v", tt.name, len(tt.data), err)
			continue
		}
		var text strings.Builder
		for _, b := range doc.Blocks {
			text.WriteString(b.Text)
		}
		if !strings.Contains(text.String(), tt.want) {
			t.Errorf("%s of %d bytes: the body lacks %q", tt.name, len(tt.data), tt.want)
		}
	}
}

func BenchmarkSlowInputs(b *testing.B) {
	for _, tt := range slowInputs {
		b.Run(fmt.Sprintf("%s-%dMB", tt.name, len(tt.data)>>20), func(b *testing.B) {
			b.SetBytes(int64(len(tt.data)))
			for b.Loop() {
				if _, err := Extract(tt.name, []byte(tt.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
