package tests

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
)

var update = flag.Bool("update", false, "rewrite golden files, committed allow-lists of new stacks and README tables")

// repoRoot is the project directory (tests run in ./tests).
const repoRoot = ".."

// stacks returns the committed stack names, sorted.
func stacks(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "stacks", "Pulumi.*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no stack files under stacks/: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// planStack runs the offline plan of a committed stack with overrides.
func planStack(t testing.TB, stack string, opts plan.Options) *plan.Plan {
	t.Helper()
	opts.Dir, opts.Stack = repoRoot, stack
	p, err := plan.Run(opts)
	if err != nil {
		t.Fatalf("plan %s %v: %v", stack, opts.Sets, err)
	}
	return p
}

func readOrUpdate(t *testing.T, path string, got []byte) []byte {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./tests -update` to create it)", err)
	}
	return want
}
