// Package ingest is how reports get into a running index beside the
// indexer's batch runs: the one Writer every write of a process goes
// through, rebuilds (every report, or only those built with older rules,
// from their files), the uploads folder with its journal (staged writes
// completed or rolled back across crashes, reconciled at start-up), web
// addresses fetched into it, and the watched folders' target.
//
// It knows files, the indexer and the search contract, not HTTP: the web
// layer turns requests into calls here and errors back into statuses
// (search.BadRequestf → 400, search.ErrNotFound → 404).
package ingest
