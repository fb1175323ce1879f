package bleveindex

import (
	"testing"

	"reportsearch/search/analysis"
)

// Every paragraph of the shared corpus comes back exactly from its folded
// text and its patch, and the patches are a small part of the text.
func TestUnfoldRestoresTheCorpus(t *testing.T) {
	var paras []string
	for _, lines := range lcCorpus(t) {
		paras = append(paras, lines...)
	}
	text, patched := 0, 0
	for _, p := range paras {
		folded := analysis.FoldString(p)
		patch, ok := unfoldPatch(p, folded)
		if !ok {
			t.Fatalf("no patch for valid text %q", p)
		}
		got, ok := unfold([]byte(folded), patch)
		if !ok || got != p {
			t.Fatalf("unfold(%q) = %q %v, want %q", folded, got, ok, p)
		}
		text += len(p)
		patched += len(patch)
	}
	if len(paras) < 1000 || patched*5 > text {
		t.Errorf("%d paragraphs, %d bytes of text, %d of patches: want the patches under a fifth", len(paras), text, patched)
	}
	t.Logf("%d paragraphs, %d bytes of text, %d bytes of patches", len(paras), text, patched)
}

func TestUnfoldEdgeCases(t *testing.T) {
	for _, s := range []string{"", "a", "Ａ", "，", "ＡＢ，發展。", "abc", "推進，", "，推进", "\u3000x\u3000"} {
		patch, ok := unfoldPatch(s, analysis.FoldString(s))
		got, ok2 := unfold([]byte(analysis.FoldString(s)), patch)
		if !ok || !ok2 || got != s {
			t.Errorf("%q: patch %v %v, unfold %q %v", s, patch, ok, got, ok2)
		}
	}
	if _, ok := unfoldPatch("a\xffb", analysis.FoldString("a\xffb")); ok {
		t.Error("a patch for invalid UTF-8")
	}
	// Damaged patches are refused, never a panic.
	for _, patch := range [][]byte{{0x80}, {5, 65}, {0, 0x80}, {0, 0xff, 0xff, 0xff, 0xff, 0x0f}, {1, 65, 0, 66}} {
		if got, ok := unfold([]byte("ab"), patch); ok {
			t.Errorf("patch %v on %q: %q accepted", patch, "ab", got)
		}
	}
}
