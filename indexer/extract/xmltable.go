package extract

import "strings"

// xmlTable is an open table of a word-processor document (DOCX w:tbl,
// ODT table:table) while its XML is read: the cells of the current row,
// and the text of the open cell.
type xmlTable struct {
	row    []string
	cell   strings.Builder
	inCell bool
}

// write adds text to the open cell, a space after what it holds.
func (t *xmlTable) write(text string) {
	if t.cell.Len() > 0 {
		t.cell.WriteByte(' ')
	}
	t.cell.WriteString(text)
}

// tableStack is the open tables, innermost last (tables nest in cells).
type tableStack []*xmlTable

func (s *tableStack) push() { *s = append(*s, &xmlTable{}) }

func (s *tableStack) pop() {
	if len(*s) > 0 {
		*s = (*s)[:len(*s)-1]
	}
}

// top is the innermost open table, or nil.
func (s tableStack) top() *xmlTable {
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}

func (s tableStack) startRow() {
	if t := s.top(); t != nil {
		t.row = t.row[:0]
	}
}

func (s tableStack) startCell() {
	if t := s.top(); t != nil {
		t.cell.Reset()
		t.inCell = true
	}
}

func (s tableStack) endCell() {
	if t := s.top(); t != nil && t.inCell {
		t.row = append(t.row, strings.TrimSpace(t.cell.String()))
		t.inCell = false
	}
}

// endRow ends the innermost table's row and returns its text for a block
// of its own: the non-empty cells joined by " | ". A row of a nested table
// becomes text of the enclosing open cell instead, and an empty row
// nothing; both return "".
func (s tableStack) endRow() string {
	t := s.top()
	if t == nil {
		return ""
	}
	var cells []string
	for _, c := range t.row {
		if c != "" {
			cells = append(cells, c)
		}
	}
	t.row = t.row[:0]
	if len(cells) == 0 {
		return ""
	}
	text := strings.Join(cells, " | ")
	if len(s) > 1 {
		if outer := s[len(s)-2]; outer.inCell {
			outer.write(text)
			return ""
		}
	}
	return text
}
