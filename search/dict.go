package search

import "time"

// Dictionary is implemented by an index whose word field (ranking and
// loose mode) takes a user dictionary of domain terms. Exact matching
// never depends on it. Changing the dictionary rebuilds the word field in
// the background; the index serves the old field until the new one is
// complete and then swaps it in at once.
type Dictionary interface {
	// UserDict returns the dictionary and the state of its rebuild.
	UserDict() UserDict
	// ChangeUserDict adds and removes words (or replaces the whole
	// dictionary), stores it with the index and starts the rebuild.
	// Bad words are a *BadRequestError.
	ChangeUserDict(c DictChange) (UserDict, error)
}

// DictChange is one change of a user dictionary: Replace sets the words
// to Add; otherwise Add are added and Remove removed.
type DictChange struct {
	Add     []string `json:"add,omitempty"`
	Remove  []string `json:"remove,omitempty"`
	Replace bool     `json:"replace,omitempty"`
}

// UserDict is a user dictionary and where its rebuild stands.
type UserDict struct {
	// Words are the dictionary's words (folded, sorted), as stored.
	Words []string `json:"words"`
	// Version names Words ("" for none); Applied is the version the
	// served word field was built with. They differ while a rebuild is
	// pending or running.
	Version string `json:"version"`
	Applied string `json:"applied_version"`
	// AppliedWords is the number of words of the applied version.
	AppliedWords int         `json:"applied_words"`
	Rebuild      DictRebuild `json:"rebuild"`
}

// DictRebuild is the progress of the latest rebuild of the word field.
type DictRebuild struct {
	// State is idle (none since the index was opened), running, done or
	// failed.
	State string `json:"state"`
	// Version is the dictionary being (or last) built.
	Version string `json:"version,omitempty"`
	// Paragraphs of Total are in the new word field; Resumed of them
	// were already there from an interrupted rebuild.
	Paragraphs int `json:"paragraphs"`
	Total      int `json:"total"`
	Resumed    int `json:"resumed,omitempty"`
	// Passes counts the copy passes: later ones copy what was written
	// to the index while the earlier ones ran.
	Passes   int        `json:"passes,omitempty"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// Rebuild states.
const (
	RebuildIdle    = "idle"
	RebuildRunning = "running"
	RebuildDone    = "done"
	RebuildFailed  = "failed"
)
