// Package e2e drives the real reportsearch pages in headless Chromium: it
// builds the command, serves a fresh index seeded with the bundled sample,
// and walks through the pages as a person would (search, filter, read,
// compare themes, upload as admin, an XSS report, the admin API without a
// token, the trends axis over the matched years, the nearest spellings of
// a query without hits, the admin report list's pages and filters), saving a screenshot of each step under testout/.
//
// It is a module of its own so that the product does not depend on
// chromedp. Run it with
//
//	cd e2e && go test ./...
//
// Chromium is /usr/bin/chromium (Debian's chromium package; fonts-noto-cjk
// for Chinese glyphs in the screenshots), or $REPORTSEARCH_CHROMIUM. Without
// one the tests are skipped, except under CI (CI=true), where they fail.
package e2e
