package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"reportsearch/search"
)

// Upload file names.

// reservedNames are the device names Windows refuses as file names, with
// any extension (CON.txt is CON).
var reservedNames = []string{"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³"}

// maxNameBytes bounds an upload's file name.
const maxNameBytes = 200

// SafeFileName turns the name of an uploaded file into its name in the
// uploads folder. It keeps the base name (either slash separates
// folders: browsers on Windows may send C:\…\a.txt) and, when that is a
// safe name, nothing else changes: uploading the same name again replaces
// that file and its report. Otherwise control characters and characters
// unsafe on common systems become _, leading dots go (no hidden files, no
// ".."), as do dots and spaces at the ends, Windows device names (CON,
// NUL, COM1 … with any extension) get a leading _, long names are cut, and
// the name gets a suffix from a hash of the name it was made from:
// " .txt" and "....txt", which both come out as ".txt" with nothing
// before it, are "upload-3f9a….txt" and "upload-81c2….txt", two files,
// while " .txt" uploaded again is the same file again. Chinese and other
// letters stay. Names the indexer reads as metadata (*.meta.json,
// manifest.*) are refused.
func SafeFileName(name string) (string, error) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	orig := name
	if strings.Trim(orig, ". \t\r\n") == "" {
		return "", search.BadRequestf("file name is empty")
	}
	// The extension, when the name ends in a sane one (letters and
	// digits); the rest is the stem.
	ext := filepath.Ext(strings.TrimRight(orig, ". "))
	if len(ext) < 2 || len(ext) > 16 || strings.ContainsFunc(ext[1:], func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		ext = ""
	}
	stem := strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, strings.TrimSuffix(strings.TrimRight(orig, ". "), ext))
	stem = strings.TrimRight(strings.TrimLeft(stem, ". "), ". ")
	if stem == "" {
		stem = "upload" // " .txt", "....txt"
	}
	if dev, _, _ := strings.Cut(stem, "."); slices.ContainsFunc(reservedNames, func(r string) bool {
		return strings.EqualFold(strings.TrimRight(dev, " "), r)
	}) {
		stem = "_" + stem
	}
	const suffix = 9 // "-" and 8 hex digits
	if len(stem)+len(ext) > maxNameBytes {
		stem = stem[:maxNameBytes-len(ext)-suffix]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
	}
	if stem+ext != orig {
		sum := sha256.Sum256([]byte(orig))
		stem += "-" + hex.EncodeToString(sum[:4])
	}
	name = stem + ext
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, SidecarExt) || lower == "manifest.csv" || lower == "manifest.jsonl" {
		return "", search.BadRequestf("%q is a metadata file name: give metadata as form fields instead", orig)
	}
	return name, nil
}
