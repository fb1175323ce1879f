package web

import (
	"os/exec"
	"strings"
	"testing"
)

// The web layer speaks HTTP and the search contract: it does not pull in
// a backend (the CLI chooses one and hands it over), so that another
// backend needs no change here.
func TestWebDoesNotDependOnABackend(t *testing.T) {
	fence(t, "reportsearch/web", "github.com/blevesearch/", "reportsearch/search/bleveindex")
}

// fence fails when pkg depends on a package whose path starts with one
// of forbidden.
func fence(t *testing.T, pkg string, forbidden ...string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot list dependencies")
	}
	out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
