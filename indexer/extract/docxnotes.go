package extract

import (
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// Footnotes and endnotes of a DOCX live in word/footnotes.xml and
// word/endnotes.xml (found through the main part's relationships), as
// w:footnote / w:endnote elements with an id, cited in the body by
// w:footnoteReference / w:endnoteReference. The first notes of each part
// are the separators Word draws above the notes (w:type separator,
// continuationSeparator, continuationNotice), not notes. The cited notes
// become paragraphs of the 注释 section at the end, in the order of their
// citations (see NotesHeading); a note cited twice is given once.

type docxCite struct {
	endnote bool
	id      string
}

func (p *docxParser) cite(local string, e xml.StartElement) {
	if p.runHidden {
		return
	}
	id, _ := attr(e, "id")
	p.cites = append(p.cites, docxCite{endnote: local == "endnoteReference", id: id})
}

// notes returns the paragraphs of the cited notes, in citation order.
func (pkg *docxPackage) notes(main string, cites []docxCite, styles *styleSheet) []string {
	if len(cites) == 0 {
		return nil
	}
	dir, file := path.Split(main)
	rels := dir + "_rels/" + file + ".rels"
	parts := map[bool]map[string][]string{}
	for _, endnote := range []bool{false, true} {
		kind := "footnotes"
		if endnote {
			kind = "endnotes"
		}
		part := pkg.relTarget(rels, strings.TrimSuffix(dir, "/"), "/"+kind)
		if part == "" {
			part = path.Join(dir, kind+".xml")
		}
		// Notes are an addition: a broken notes part leaves the body.
		parts[endnote], _ = pkg.readNotes(part, styles)
	}
	var out []string
	seen := map[docxCite]bool{}
	for _, c := range cites {
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, parts[c.endnote][c.id]...)
	}
	return out
}

// readNotes parses a notes part into the paragraphs of each note by id.
func (pkg *docxPackage) readNotes(part string, styles *styleSheet) (map[string][]string, error) {
	notes := map[string][]string{}
	if !pkg.has(part) {
		return notes, nil
	}
	rc, err := pkg.open(part, maxSmallPart)
	if err != nil {
		return notes, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var p *docxParser // the note being read
	id := ""
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return notes, nil
		}
		if err != nil {
			return notes, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p != nil {
				depth++
				p.start(t)
				continue
			}
			if t.Name.Local != "footnote" && t.Name.Local != "endnote" {
				continue
			}
			switch typ, _ := attr(t, "type"); typ {
			case "", "normal":
				id, _ = attr(t, "id")
				p, depth = &docxParser{styles: styles}, 0
			}
		case xml.EndElement:
			if p == nil {
				continue
			}
			if depth > 0 {
				depth--
				p.end(t)
				continue
			}
			for _, b := range p.blocks {
				notes[id] = append(notes[id], b.Text)
			}
			p = nil
		case xml.CharData:
			if p != nil && p.inText && p.skip == 0 && !p.runHidden && len(p.paras) > 0 {
				p.paras[len(p.paras)-1].cur.Write(t)
			}
		}
	}
}
