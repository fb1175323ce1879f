// Package config holds defaults shared by the commands.
package config

import (
	"os"
	"path/filepath"
	"runtime"
)

// DefaultIndexDir is where the index lives when no --index is given:
// $REPORTSEARCH_INDEX if set, else a "reportsearch/index" folder in the
// user's data folder ($XDG_DATA_HOME or ~/.local/share on Linux,
// ~/Library/Application Support on macOS, %LocalAppData% on Windows).
func DefaultIndexDir() string {
	if d := os.Getenv("REPORTSEARCH_INDEX"); d != "" {
		return d
	}
	return filepath.Join(dataHome(), "reportsearch", "index")
}

func dataHome() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support")
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d
		}
	}
	return filepath.Join(home, ".local", "share")
}
