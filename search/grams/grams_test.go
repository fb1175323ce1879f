package grams

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpus makes reports of random paragraphs over a small alphabet (so
// that substrings repeat), with characters outside the BMP and ASCII.
func corpus(rng *rand.Rand, reports, paras int) [][]string {
	alphabet := []rune("发展治理网格化城市更新民生ab1 ，。𠀋")
	out := make([][]string, reports)
	for r := range out {
		for range 1 + rng.IntN(paras) {
			var sb strings.Builder
			for range rng.IntN(40) {
				sb.WriteRune(alphabet[rng.IntN(len(alphabet))])
			}
			out[r] = append(out[r], sb.String())
		}
	}
	return out
}

func build(t *testing.T, path string, reports [][]string, idBase int) *Segment {
	t.Helper()
	b := NewBuilder()
	for i, ps := range reports {
		b.AddReport(fmt.Sprint("r", idBase+i), []byte(fmt.Sprint("meta", idBase+i)))
		for n, p := range ps {
			if err := b.Add(Para{Folded: p, N: uint32(n + 1), Heading: n == 0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// want lists, in order, the paragraphs (as "report/n") containing term
// and their counts, by brute force.
func want(reports [][]string, dead map[int]bool, term string) []string {
	var out []string
	for i, ps := range reports {
		if dead[i] {
			continue
		}
		for n, p := range ps {
			if strings.Contains(p, term) {
				out = append(out, fmt.Sprintf("r%d/%d", i, n+1))
			}
		}
	}
	return out
}

func got(t testing.TB, s *Segment, term string) []string {
	t.Helper()
	var out []string
	m, err := s.Find(term)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range m.Ords {
		if m.TFs[i] == 0 {
			out = append(out, "zero-tf")
		}
		out = append(out, fmt.Sprintf("%s/%d", s.Reports()[s.ReportOf(o)].ID, s.N(o)))
	}
	return out
}

func terms(rng *rand.Rand, reports [][]string, n int) []string {
	var out []string
	for len(out) < n {
		ps := reports[rng.IntN(len(reports))]
		rs := []rune(ps[rng.IntN(len(ps))])
		if len(rs) == 0 {
			continue
		}
		i := rng.IntN(len(rs))
		j := min(len(rs), i+1+rng.IntN(6))
		out = append(out, string(rs[i:j]))
	}
	return append(out, "不在", "x", "发展发展发展发展")
}

func TestFindEqualsContains(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	reports := corpus(rng, 40, 30)
	s := build(t, filepath.Join(t.TempDir(), "a.seg"), reports, 0)
	for _, term := range terms(rng, reports, 500) {
		if g, w := got(t, s, term), want(reports, nil, term); !slices.Equal(g, w) {
			t.Fatalf("%q: got %d paragraphs %v, want %d %v", term, len(g), g, len(w), w)
		}
	}
	text, err := s.Text(0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() == 0 || s.Chars(0) != uint32(len([]rune(reports[0][0]))) || !s.Heading(0) || string(text) != reports[0][0] {
		t.Fatalf("paragraph 0 attributes wrong: %d chars, heading %v, %q", s.Chars(0), s.Heading(0), text)
	}
}

// TestEachTextEqualsText: the batched reads (runs across gaps, split at
// textRun) give every paragraph's own text, for ascending, shuffled and
// repeated ordinals, over a segment several runs long.
func TestEachTextEqualsText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	reports := corpus(rng, 600, 60)
	s := build(t, filepath.Join(t.TempDir(), "a.seg"), reports, 0)
	var texts []string
	for _, ps := range reports {
		texts = append(texts, ps...)
	}
	if s.textLen < 2*textRun {
		t.Fatalf("the segment's text is %d bytes, fewer than two runs", s.textLen)
	}
	all := make([]uint32, s.Len())
	for i := range all {
		all[i] = uint32(i)
	}
	sparse := slices.DeleteFunc(slices.Clone(all), func(uint32) bool { return rng.IntN(40) != 0 })
	shuffled := slices.Clone(sparse)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, ords := range map[string][]uint32{"all": all, "sparse": sparse, "shuffled": shuffled,
		"repeated": {3, 3, 2, 2, 9}, "none": nil} {
		n := 0
		err := s.EachText(ords, func(i int, text []byte) error {
			if i != n || string(text) != texts[ords[i]] {
				t.Fatalf("%s: call %d for ordinal %d (#%d) gave %q, want %q", name, n, ords[i], i, text, texts[ords[i]])
			}
			n++
			return nil
		})
		if err != nil || n != len(ords) {
			t.Fatalf("%s: %d calls for %d ordinals, %v", name, n, len(ords), err)
		}
	}
	stop := errors.New("stop")
	if err := s.EachText(all, func(i int, _ []byte) error {
		if i == 5 {
			return stop
		}
		return nil
	}); err != stop {
		t.Fatalf("EachText returned %v, not fn's error", err)
	}
}

func TestMergeDropsDeadReports(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := corpus(rng, 20, 20), corpus(rng, 20, 20)
	dir := t.TempDir()
	sa := build(t, filepath.Join(dir, "a.seg"), a, 0)
	sb := build(t, filepath.Join(dir, "b.seg"), b, len(a))
	dead := map[int]bool{1: true, 5: true, 20: true, 39: true}
	n, err := Merge(filepath.Join(dir, "m.seg"), []Source{
		{Seg: sa, Dead: func(r uint32) bool { return dead[int(r)] }},
		{Seg: sb, Dead: func(r uint32) bool { return dead[len(a)+int(r)] }},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(filepath.Join(dir, "m.seg"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	all := append(slices.Clone(a), b...)
	live := 0
	for i, ps := range all {
		if !dead[i] {
			live += len(ps)
		}
	}
	if n != live || m.Len() != live {
		t.Fatalf("merged %d (segment %d) paragraphs, want %d", n, m.Len(), live)
	}
	for _, term := range terms(rng, all, 300) {
		if g, w := got(t, m, term), want(all, dead, term); !slices.Equal(g, w) {
			t.Fatalf("%q: got %v, want %v", term, g, w)
		}
	}
	for _, r := range m.Reports() {
		if r.ID == "r1" || string(r.Meta) != "meta"+r.ID[1:] {
			t.Fatalf("report %s meta %q", r.ID, r.Meta)
		}
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("RSGRAMS1"), []byte("not a segment at all, no no no")} {
		if _, err := parse(data); err == nil {
			t.Errorf("parse(%q) succeeded", data)
		}
	}
}

// A damaged segment is refused at Open or still answers without panicking:
// every byte of a small segment is flipped in turn.
func TestDamagedSegmentNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	reports := corpus(rng, 3, 4)
	dir := t.TempDir()
	build(t, filepath.Join(dir, "good.seg"), reports, 0)
	data, err := os.ReadFile(filepath.Join(dir, "good.seg"))
	if err != nil {
		t.Fatal(err)
	}
	probes := terms(rng, reports, 20)
	refused := 0
	for i := range data {
		bad := slices.Clone(data)
		bad[i] ^= 0xA5
		s, err := parse(bad)
		if err != nil {
			refused++
			continue
		}
		for _, q := range probes {
			s.Find(q)
		}
		for o := range uint32(s.Len()) {
			s.Text(o)
			s.ReportOf(o)
		}
		if s.Len() > 0 {
			s.EachText([]uint32{0, uint32(s.Len()) - 1}, func(int, []byte) error { return nil })
		}
	}
	if refused == 0 {
		t.Error("no damaged copy was refused")
	}
}
