package extract

// NotesHeading is the heading of the section that footnotes and endnotes
// are gathered in, at the end of a document (DOCX, ODT, RTF).
//
// Notes become paragraphs of their own there rather than after the
// paragraph that cites them: a short note (参见《…》) placed between two
// body paragraphs would look like a heading to the cleaning stage and
// change the section of the text after it, and a note without final
// punctuation could be re-joined with the body paragraph that follows. In
// a section of their own, under a heading the format marks as one, they
// are never glued to body text and search shows them as 注释.
const NotesHeading = "注释"

// appendNotes adds the notes section to blocks: the heading, then one
// block per note paragraph, in the order of the notes.
func appendNotes(blocks []Block, notes []string) []Block {
	var kept []string
	for _, n := range notes {
		if n = trimNote(n); n != "" {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 {
		return blocks
	}
	blocks = append(blocks, Block{Text: NotesHeading, Heading: 1})
	for _, n := range kept {
		blocks = append(blocks, Block{Text: n})
	}
	return blocks
}

// trimNote trims the blanks and tabs that notes start with (Word puts a
// space or a tab after the note mark).
func trimNote(s string) string {
	start, end := 0, len(s)
	for start < end && (s[start] == ' ' || s[start] == '\t') {
		start++
	}
	for end > start && (s[end-1] == ' ' || s[end-1] == '\t') {
		end--
	}
	return s[start:end]
}
