package indexer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"reportsearch/search"
)

// ManifestEntry is the metadata of one file as given by a manifest.
// Columns (CSV header or JSON keys): path, title, year, date, region,
// level, organization, doc_type, source_url, and optionally id.
type ManifestEntry struct {
	Path  string
	ID    string
	Title string
	Date  string
	search.Meta
	SourceURL string
}

// MarshalJSON writes the entry with the keys of a manifest, leaving
// empty fields out, in the order of the columns above. The content hash
// of every file indexed with metadata covers these bytes (contentHash),
// so they stay as they are: a change would re-index every such file.
func (e ManifestEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Path         string `json:"path"`
		ID           string `json:"id,omitempty"`
		Title        string `json:"title,omitempty"`
		Year         int    `json:"year,omitempty"`
		Date         string `json:"date,omitempty"`
		Region       string `json:"region,omitempty"`
		Level        string `json:"level,omitempty"`
		Organization string `json:"organization,omitempty"`
		DocType      string `json:"doc_type,omitempty"`
		SourceURL    string `json:"source_url,omitempty"`
	}{e.Path, e.ID, e.Title, e.Year, e.Date, e.Region, e.Level, e.Organization, e.DocType, e.SourceURL})
}

// Manifest maps paths relative to its folder to entries.
type Manifest struct {
	Dir     string // absolute folder of the manifest ("" for an embedded one)
	Entries map[string]*ManifestEntry
}

// LoadManifest reads a manifest.csv or manifest.jsonl.
func LoadManifest(file string) (*Manifest, error) {
	data, err := readMetadataFile(file, maxManifestFile)
	if err != nil {
		return nil, fmt.Errorf("indexer: manifest: %w", err)
	}
	abs, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	return parseManifest(file, data, abs)
}

func parseManifest(name string, data []byte, dir string) (*Manifest, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	m := &Manifest{Dir: dir, Entries: map[string]*ManifestEntry{}}
	var entries []*ManifestEntry
	if strings.HasSuffix(strings.ToLower(name), ".jsonl") {
		dec := json.NewDecoder(bytes.NewReader(data))
		for line := 1; ; line++ {
			var raw map[string]any
			if err := dec.Decode(&raw); err == io.EOF {
				break
			} else if err != nil {
				return nil, fmt.Errorf("indexer: %s: record %d: %w", name, line, err)
			}
			e, err := entryFromMap(raw)
			if err != nil {
				return nil, fmt.Errorf("indexer: %s: record %d: %w", name, line, err)
			}
			entries = append(entries, e)
		}
	} else {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("indexer: %s: %w", name, err)
		}
		if len(rows) == 0 {
			return m, nil
		}
		header := rows[0]
		for i, row := range rows[1:] {
			raw := map[string]any{}
			for j, col := range header {
				if j < len(row) {
					raw[strings.TrimSpace(col)] = strings.TrimSpace(row[j])
				}
			}
			e, err := entryFromMap(raw)
			if err != nil {
				return nil, fmt.Errorf("indexer: %s: line %d: %w", name, i+2, err)
			}
			entries = append(entries, e)
		}
	}
	for _, e := range entries {
		m.Entries[filepath.ToSlash(filepath.Clean(e.Path))] = e
	}
	return m, nil
}

func entryFromMap(raw map[string]any) (*ManifestEntry, error) {
	str := func(k string) string {
		switch v := raw[k].(type) {
		case string:
			return strings.TrimSpace(v)
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return ""
	}
	e := &ManifestEntry{
		Path: str("path"), ID: str("id"), Title: str("title"), Date: str("date"),
		Meta:      search.Meta{Region: str("region"), Level: str("level"), Organization: str("organization"), DocType: str("doc_type")},
		SourceURL: str("source_url"),
	}
	if e.Path == "" {
		return nil, fmt.Errorf("missing path")
	}
	if y := str("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			return nil, fmt.Errorf("year %q is not a number", y)
		}
		e.Year = n
	}
	return e, nil
}

// relative returns the manifest key of an absolute file path, if the file
// is in the manifest's folder.
func (m *Manifest) relative(file string) (string, bool) {
	if m.Dir == "" {
		return "", false
	}
	rel, err := filepath.Rel(m.Dir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if _, ok := m.Entries[rel]; ok {
		return rel, true
	}
	// A file below the manifest's folder that the manifest does not list
	// is still keyed relative to it, so its id does not depend on where
	// the folder is.
	return rel, true
}
