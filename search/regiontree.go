package search

import (
	"cmp"
	"slices"

	"reportsearch/internal/regions"
)

// RegionNode is one division of a region facet rolled up by the region
// hierarchy (package internal/regions): a province with its prefectures
// and counties, each with the paragraphs at or under it.
type RegionNode struct {
	// Value is what region= takes to select the node and everything
	// under it: the division's full name (山东省烟台市), or a region value
	// the table does not place (全国, an ambiguous 朝阳区), kept as is.
	Value string `json:"value"`
	// Name is the division's own name (烟台市).
	Name string `json:"name"`
	// Code is the division's code (3706), empty for a value not placed.
	Code string `json:"code,omitempty"`
	// Count is the number of matching paragraphs whose region is the
	// division or lies under it: the total of the same search with
	// region=Value (under the other filters, for a tree of
	// facets_disjunctive).
	Count    uint64       `json:"count"`
	Children []RegionNode `json:"children,omitempty"`
}

// RegionTree rolls the values of a region facet up the hierarchy:
// provinces (and values the table does not place) at the top, each with
// the divisions under it that have matches. Nodes are ordered by count,
// largest first, ties by code (the table's order, province by province)
// and then value.
func RegionTree(vals []FacetValue) []RegionNode {
	type acc struct {
		node     RegionNode
		children map[string]*acc
		order    []string
	}
	root := &acc{children: map[string]*acc{}}
	add := func(parent *acc, key string, n RegionNode) *acc {
		a, ok := parent.children[key]
		if !ok {
			a = &acc{node: n, children: map[string]*acc{}}
			parent.children[key] = a
			parent.order = append(parent.order, key)
		}
		return a
	}
	for _, v := range vals {
		name, _ := v.Value.(string)
		if name == "" {
			continue
		}
		r, ok := regions.Lookup(name)
		if !ok {
			a := add(root, "="+name, RegionNode{Value: name, Name: name})
			a.node.Count += v.Count
			continue
		}
		cur := root
		for _, d := range r.Path() {
			cur = add(cur, d.Code, RegionNode{Value: d.FullName(), Name: d.Name, Code: d.Code})
			cur.node.Count += v.Count
		}
	}
	var build func(a *acc) []RegionNode
	build = func(a *acc) []RegionNode {
		if len(a.order) == 0 {
			return nil
		}
		out := make([]RegionNode, 0, len(a.order))
		for _, k := range a.order {
			c := a.children[k]
			n := c.node
			n.Children = build(c)
			out = append(out, n)
		}
		slices.SortFunc(out, func(x, y RegionNode) int {
			if c := cmp.Compare(y.Count, x.Count); c != 0 {
				return c
			}
			if x.Code != y.Code {
				if x.Code == "" {
					return 1
				}
				if y.Code == "" {
					return -1
				}
				return cmp.Compare(x.Code, y.Code)
			}
			return cmp.Compare(x.Value, y.Value)
		})
		return out
	}
	out := build(root)
	if out == nil {
		out = []RegionNode{}
	}
	return out
}
