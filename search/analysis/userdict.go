package analysis

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// A user dictionary adds domain terms (新质生产力, 一网通办) to gse, so that
// the word field and loose mode see them as one word. Exact matching never
// reads it: package grams indexes characters, not words.
//
// gse's dictionary cannot be changed while other goroutines segment
// (AddToken writes shared state, see Segmenter), so a dictionary is a
// segmenter of its own, loaded completely before anyone uses it, and the
// process switches from one to the next atomically (Use). The index that
// is being served decides which one is current: its word field was built
// with it (package bleveindex records the words and rebuilds the field
// when they change).

// Limits of a user dictionary.
const (
	MaxUserWords     = 100_000
	MinUserWordChars = 2
	MaxUserWordChars = 20
)

// userWordFreq is the frequency a user word gets in gse's dictionary:
// above that of nearly every dictionary word, so that accurate mode keeps
// the term whole wherever it occurs rather than its pieces (网格化治理, not
// 网格化/治理).
const userWordFreq = 100_000

// Dict is a segmenter with a user dictionary: the embedded dictionary as
// Segmenter loads it plus the user's words. The zero Dict (or nil) is the
// base segmenter without user words.
type Dict struct {
	seg     *gse.Segmenter
	words   []string
	version string
}

var (
	current atomic.Pointer[Dict]
	// loaded caches the most recent dictionaries by version: a rebuild
	// and the index it replaces need two at once, and tests reuse them.
	loadedMu sync.Mutex
	loaded   []*Dict
)

const maxLoaded = 2

// NormalizeWord returns the folded, trimmed form of a user word and
// checks it: 2–20 characters, no spaces, commas or control characters, at least
// one letter or Han character. Words are kept folded because segmentation
// runs on folded text.
func NormalizeWord(w string) (string, error) {
	w = FoldString(strings.TrimSpace(w))
	n := utf8.RuneCountInString(w)
	switch {
	case !utf8.ValidString(w):
		return "", fmt.Errorf("a dictionary word must be valid UTF-8")
	case n < MinUserWordChars || n > MaxUserWordChars:
		return "", fmt.Errorf("a dictionary word has %d to %d characters, not %d (%q)", MinUserWordChars, MaxUserWordChars, n, w)
	}
	letter := false
	for _, r := range w {
		// A comma separates columns in the dictionary's files (CSV, gse).
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError || r == ',' {
			return "", fmt.Errorf("a dictionary word has no spaces, commas or control characters (%q)", w)
		}
		letter = letter || unicode.IsLetter(r)
	}
	if !letter {
		return "", fmt.Errorf("a dictionary word needs a letter or Han character (%q)", w)
	}
	return w, nil
}

// NormalizeWords normalises every word, drops duplicates and sorts them.
func NormalizeWords(words []string) ([]string, error) {
	out := make([]string, 0, len(words))
	for _, w := range words {
		n, err := NormalizeWord(w)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxUserWords {
		return nil, fmt.Errorf("a user dictionary has at most %d words, not %d", MaxUserWords, len(out))
	}
	return out, nil
}

// DictVersion names a set of user words: "" for none, else the first 16
// hex digits of the SHA-256 of the normalised words, one a line.
func DictVersion(words []string) string {
	if len(words) == 0 {
		return ""
	}
	h := sha256.Sum256([]byte(strings.Join(words, "\n")))
	return hex.EncodeToString(h[:8])
}

// LoadDict returns the segmenter for the normalised words (NormalizeWords):
// the base one for none, else the embedded dictionary loaded again with
// the words added (about 2 s and 45 MB; the last few are cached).
func LoadDict(words []string) (*Dict, error) {
	if len(words) == 0 {
		seg, err := baseSegmenter()
		if err != nil {
			return nil, err
		}
		return &Dict{seg: seg}, nil
	}
	v := DictVersion(words)
	loadedMu.Lock()
	defer loadedMu.Unlock()
	for _, d := range loaded {
		if d.version == v {
			return d, nil
		}
	}
	seg, err := newBaseSegmenter()
	if err != nil {
		return nil, err
	}
	for _, w := range words {
		if err := seg.AddToken(w, userWordFreq, "n"); err != nil {
			return nil, fmt.Errorf("analysis: adding %q to the dictionary: %w", w, err)
		}
	}
	// Distances (the path costs of accurate mode) are computed from the
	// frequencies once all words are in.
	seg.CalcToken()
	d := &Dict{seg: seg, words: slices.Clone(words), version: v}
	loaded = append(loaded, d)
	if len(loaded) > maxLoaded {
		loaded = loaded[1:]
	}
	return d, nil
}

// Use makes d the process's current dictionary: Tokens, Words and the
// index's word analyzer segment with it from now on. nil is the base.
func Use(d *Dict) {
	if d != nil && len(d.words) == 0 {
		d = nil
	}
	current.Store(d)
}

// Current returns the current dictionary (never nil).
func Current() *Dict {
	if d := current.Load(); d != nil {
		return d
	}
	return &Dict{}
}

// Terms returns the dictionary's user words, sorted.
func (d *Dict) Terms() []string {
	if d == nil {
		return nil
	}
	return slices.Clone(d.words)
}

// Version is DictVersion of the dictionary's words.
func (d *Dict) Version() string {
	if d == nil {
		return ""
	}
	return d.version
}

func (d *Dict) segmenter() (*gse.Segmenter, error) {
	if d == nil || d.seg == nil {
		return baseSegmenter()
	}
	return d.seg, nil
}

// Tokens is the package's Tokens with this dictionary.
func (d *Dict) Tokens(text []byte) ([]Token, error) {
	sg, err := d.segmenter()
	if err != nil {
		return nil, err
	}
	return tokensWith(sg, text), nil
}

// ReadWords reads a word list: one word a line (a line's first field,
// so gse's "word freq pos" and a CSV's first column work too); blank
// lines and lines starting with # are skipped. The words are normalised
// (NormalizeWords); a bad one is an error naming its line.
func ReadWords(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var words []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '\t' || r == ' ' })
		if len(fields) == 0 {
			// Only separators (an empty CSV row): no word.
			continue
		}
		w := fields[0]
		if _, err := NormalizeWord(w); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		words = append(words, w)
		if len(words) > 2*MaxUserWords {
			return nil, fmt.Errorf("more than %d words", MaxUserWords)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return NormalizeWords(words)
}
