package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
)

// The whole plan of every committed stack is a golden file: a diff in review is a rename, replace
// or new resource to look at. Refresh with `go test ./tests -update`.
func TestGoldenPlans(t *testing.T) {
	for _, stack := range stacks(t) {
		t.Run(stack, func(t *testing.T) {
			p := planStack(t, stack, plan.Options{})
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", stack+".golden.json")
			want := readOrUpdate(t, path, got)
			if !bytes.Equal(got, want) {
				t.Fatalf("plan of %s differs from %s (run `go test ./tests -update` if the change is intended):\n%s", stack, path, firstDiff(want, got))
			}
		})
	}
}

// Two runs of the same plan print identical bytes, text and JSON.
func TestPlanIsDeterministic(t *testing.T) {
	render := func() (string, string) {
		p := planStack(t, "production", plan.Options{})
		var text bytes.Buffer
		p.WriteText(&text)
		j, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return text.String(), string(j)
	}
	t1, j1 := render()
	t2, j2 := render()
	if t1 != t2 {
		t.Fatalf("text output differs between runs:\n%s", firstDiff([]byte(t1), []byte(t2)))
	}
	if j1 != j2 {
		t.Fatalf("JSON output differs between runs:\n%s", firstDiff([]byte(j1), []byte(j2)))
	}
}

// firstDiff shows the first differing line, cut around the first differing character so a
// one-line JSON document stays readable.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			at := 0
			for at < len(wl) && at < len(gl) && wl[at] == gl[at] {
				at++
			}
			return fmt.Sprintf("line %d, column %d:\n  want: %s\n  got:  %s", i+1, at+1, around(wl, at), around(gl, at))
		}
	}
	return "(no line differs; lengths differ)"
}

func around(s string, at int) string {
	const span = 120
	start, end := max(0, at-span), min(len(s), at+span)
	out := s[start:end]
	if start > 0 {
		out = "..." + out
	}
	if end < len(s) {
		out += "..."
	}
	return out
}
