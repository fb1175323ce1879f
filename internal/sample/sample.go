// Package sample embeds a few real reports (from the project's corpus:
// the 芝罘区 CPPCC report, three national government work reports and a
// resolution, two 2026 provincial reports and the traditional-script 1921
// report) with their manifest, so that a fresh install has something to
// search before any report is added.
package sample

import (
	"embed"
	"io/fs"
)

//go:embed reports
var files embed.FS

// FS returns the sample reports, with manifest.csv at its root.
func FS() fs.FS {
	sub, err := fs.Sub(files, "reports")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
