package indexer

import (
	"os/exec"
	"strings"
	"testing"
)

// The indexer and its packages (extraction, furniture, ingest, watch,
// fetch, history) know files and the search contract, not HTTP and not a
// backend: the CLI hands them a search.Store.
func TestIndexerDependsOnNoBackendAndNoHTTPFramework(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot list dependencies")
	}
	out, err := exec.Command(goTool, "list", "-deps", "reportsearch/indexer/...").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range []string{"github.com/blevesearch/", "reportsearch/search/bleveindex", "github.com/labstack/", "reportsearch/web"} {
			if strings.HasPrefix(dep, f) {
				t.Errorf("the indexer depends on %s", dep)
			}
		}
	}
}
