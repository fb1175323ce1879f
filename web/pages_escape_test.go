package web

import (
	"bytes"
	"strings"
	"testing"

	"reportsearch/search/themes"
	"reportsearch/search/workbench"
)

// Words, phrases, suggestions and themes come from report text and staff
// input: the pages show them as text, whatever they contain.
func TestWorkbenchPagesEscape(t *testing.T) {
	tmpl, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	const evil = `<script>alert(1)</script>`
	for name, data := range map[string]any{
		"related.html": &relatedPage{Query: evil, Resp: &workbench.RelatedResponse{},
			Words: []relatedLink{{RelatedWord: workbench.RelatedWord{Word: evil}, And: "/?q=x", Or: "/?q=y"}}},
		"compare.html": &comparePage{Resp: &workbench.KeywordsResponse{},
			Phrases: []comparePhrase{{Phrase: workbench.Phrase{Phrase: evil}, Href: "/concordance?q=x"}}},
		"suggestions.html": &suggestionsPage{Resp: &workbench.SuggestResponse{},
			Rows: []suggestionRow{{Suggestion: workbench.Suggestion{Text: evil, Words: []string{evil},
				Examples: []workbench.Example{{Title: evil, Text: evil, Reader: "/documents/x"}}}, Href: "/?q=x"}}},
		"concordance.html": &concordancePage{Query: evil, Resp: &workbench.ConcordanceResponse{
			Lines: []workbench.Line{{Left: evil, Match: evil, Right: evil, Title: evil, Reader: "/documents/x"}}}},
		"admin.html": &adminPage{LoggedIn: true, Themes: &adminThemes{Lexicon: themes.Lexicon{Themes: []themes.Theme{{Name: evil, Expressions: []string{evil}, Notes: evil}}},
			History: []themes.Change{{Theme: evil, Author: evil, Expressions: []string{evil}}}}},
		"search.html": &searchPage{Extras: &searchExtras{Themes: []themeLink{{Name: evil, Href: "/?q=x"}},
			Explain: &explanation{Clauses: []explainNode{{Kind: "theme", Text: evil, Expressions: []string{evil}, Href: "/?q=x"}, {Kind: "term", Text: evil, Words: []string{evil}}}}}},
	} {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Contains(buf.String(), "<script>alert") {
			t.Errorf("%s: markup not escaped", name)
		}
		if !strings.Contains(buf.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: the text is not shown", name)
		}
	}
}
