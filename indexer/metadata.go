package indexer

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"reportsearch/search"
)

var yearRe = regexp.MustCompile(`(1[89]\d\d|20\d\d)\s*年`)
var bareYearRe = regexp.MustCompile(`(?:^|[^0-9])(1[89]\d\d|20\d\d)(?:[^0-9]|$)`)

// docTypes are recognised from titles, longest first.
var docTypes = []string{"政府工作报告", "常委会工作报告", "政协工作报告", "工作报告", "决议", "报告"}

// regions are China's provincial-level divisions, recognised in titles
// and file names.
var regions = strings.Fields(`北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区`)

// titleFromParagraphs takes the first line that reads like a title: a
// line of 6–80 characters with at least four Han characters, not a
// "来源/时间" line.
func titleFromParagraphs(ps []search.Paragraph) string {
	for i, p := range ps {
		if i >= 30 {
			break
		}
		n, han := 0, 0
		for _, r := range p.Text {
			n++
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
		if n < 6 || n > 80 || han < 4 {
			continue
		}
		if strings.HasPrefix(p.Text, "来源") || strings.HasPrefix(p.Text, "时间") || strings.HasPrefix(p.Text, "发布") {
			continue
		}
		return p.Text
	}
	return ""
}

// fillMetadata completes r from the manifest entry, then infers what is
// still missing from the title and the file name, recording which fields
// were inferred.
func fillMetadata(r *search.Report, e *ManifestEntry, ps []search.Paragraph, file string) {
	if e != nil {
		r.Title, r.Year, r.Date, r.Region = e.Title, e.Year, e.Date, e.Region
		r.Level, r.Organization, r.DocType, r.SourceURL = e.Level, e.Organization, e.DocType, e.SourceURL
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if r.Title == "" {
		r.Title = titleFromParagraphs(ps)
		if r.Title == "" {
			r.Title = base
		}
		r.Inferred = append(r.Inferred, "title")
	}
	if r.Year == 0 {
		if y := findYear(r.Title); y != 0 {
			r.Year = y
		} else {
			r.Year = findYear(base)
		}
		if r.Year != 0 {
			r.Inferred = append(r.Inferred, "year")
		}
	}
	if r.DocType == "" {
		for _, t := range docTypes {
			if strings.Contains(r.Title, t) || strings.Contains(base, t) {
				r.DocType = t
				r.Inferred = append(r.Inferred, "doc_type")
				break
			}
		}
	}
	if r.Region == "" {
		for _, reg := range regions {
			short := strings.TrimSuffix(strings.TrimSuffix(reg, "省"), "市")
			if strings.Contains(r.Title, reg) || strings.Contains(base, reg) || strings.Contains(base, "_"+short+"_") {
				r.Region = reg
				r.Level = orDefault(r.Level, "provincial")
				r.Inferred = append(r.Inferred, "region")
				break
			}
		}
	}
}

func findYear(s string) int {
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	if m := bareYearRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	return 0
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
