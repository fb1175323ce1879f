package indexer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	regionTable "reportsearch/internal/regions"
	"reportsearch/search"
)

var yearRe = regexp.MustCompile(`(1[89]\d\d|20\d\d)\s*年`)
var dateRe = regexp.MustCompile(`(20\d\d|19\d\d)[年-](\d{1,2})[月-](\d{1,2})`)
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
func fillMetadata(r *search.Report, e *ManifestEntry, docTitle string, ps []search.Paragraph, file string) {
	if e != nil {
		r.Title, r.Date, r.SourceURL = e.Title, e.Date, e.SourceURL
		r.SetMeta(e.Meta)
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if r.Title == "" {
		r.Title = docTitle
		if r.Title == "" {
			r.Title = titleFromParagraphs(ps)
		}
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
	if r.Date == "" {
		if m := dateRe.FindStringSubmatch(r.Title + " " + base); m != nil {
			r.Date = fmt.Sprintf("%s-%02s-%02s", m[1], m[2], m[3])
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
	orgRegion := "" // the region's own name, for the organization
	if r.Region == "" {
		if reg, name, level := findRegion(r.Title, base); reg != "" {
			r.Region = reg
			orgRegion = name
			r.Inferred = append(r.Inferred, "region")
			if r.Level == "" {
				r.Level = level
				r.Inferred = append(r.Inferred, "level")
			}
		}
	}
	if orgRegion == "" {
		orgRegion = r.Region
	}
	if r.Organization == "" && orgRegion != "" {
		if org := findOrganization(r.Title+" "+base, orgRegion); org != "" {
			r.Organization = org
			r.Inferred = append(r.Inferred, "organization")
		}
	}
}

// placeRe finds a place name: Han characters ending in an administrative
// suffix, after an optional year prefix.
var placeRe = regexp.MustCompile(`(\p{Han}{2,10}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗))`)

// municipalities are the provincial-level cities (their 市 is provincial).
var municipalities = map[string]bool{"北京市": true, "天津市": true, "上海市": true, "重庆市": true}

// findRegion infers the region and level from the title or the file name
// (2026年山东省政府工作报告 → 山东省, provincial; 2022_芝罘区政协_… →
// 山东省烟台市芝罘区, district). National documents (国务院, 全国,
// 中华人民共和国, 中国共产党全国代表大会) are 全国. A name the region table
// (internal/regions) resolves is given as its full path, province first,
// with the divisions the text names after it (山东省烟台市芝罘区… →
// 山东省烟台市芝罘区); name is the deepest division's own name (芝罘区), for
// the organization. Ambiguous or unknown names are kept as found.
func findRegion(title, base string) (region, name, level string) {
	for _, s := range []string{title, base} {
		if strings.Contains(s, "国务院") || strings.Contains(s, "全国") || strings.Contains(s, "中华人民共和国") {
			return "全国", "全国", "national"
		}
	}
	for _, reg := range regions {
		for _, s := range []string{title, base} {
			if i := strings.Index(s, reg); i >= 0 {
				return resolveRegion(s[i:], reg, "provincial")
			}
		}
	}
	for _, s := range []string{title, base} {
		s = yearRe.ReplaceAllString(s, " ")
		s = bareYearRe.ReplaceAllString(s, " ")
		for _, loc := range placeRe.FindAllStringIndex(s, -1) {
			m := s[loc[0]:loc[1]]
			// A place name starts the title or a file-name segment.
			if !strings.HasPrefix(strings.TrimLeft(s, " _-"), m) && !strings.Contains(s, "_"+m) && !strings.Contains(s, " "+m) {
				continue
			}
			switch {
			case municipalities[m] || strings.HasSuffix(m, "省") || strings.HasSuffix(m, "自治区") || strings.HasSuffix(m, "特别行政区"):
				return resolveRegion(s[loc[0]:], m, "provincial")
			case strings.HasSuffix(m, "市") || strings.HasSuffix(m, "州") || strings.HasSuffix(m, "盟") || strings.HasSuffix(m, "地区"):
				return resolveRegion(s[loc[0]:], m, "municipal")
			default:
				return resolveRegion(s[loc[0]:], m, "district")
			}
		}
	}
	return "", "", ""
}

// resolveRegion places the region named at the start of s (found is the
// name found there, level its level by suffix) in the region table: the
// full path of the deepest division read, and that division's level.
func resolveRegion(s, found, level string) (region, name, lvl string) {
	r, n := regionTable.Parse(s)
	if r == nil || n < len(found) {
		return found, found, level
	}
	switch r.Level {
	case regionTable.Province:
		level = "provincial"
	case regionTable.Prefecture:
		level = "municipal"
	default:
		level = "district"
	}
	return r.FullName(), r.Name, level
}

// findOrganization names the issuing body when the document says which
// kind it is: 政协 → REGION政协, 人大 → REGION人大常委会, a government
// work report → REGION人民政府 (national: 国务院).
func findOrganization(s, region string) string {
	switch {
	case strings.Contains(s, "政协"):
		if region == "全国" {
			return "全国政协"
		}
		return region + "政协"
	case strings.Contains(s, "人大") || strings.Contains(s, "人民代表大会常务委员会"):
		if region == "全国" {
			return "全国人民代表大会"
		}
		return region + "人大常委会"
	case strings.Contains(s, "政府工作报告"):
		if region == "全国" {
			return "国务院"
		}
		return region + "人民政府"
	}
	return ""
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
