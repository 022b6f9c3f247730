package plan

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Change is one changed input path of a resource.
type Change struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// ResourceDiff is a resource whose inputs or options differ between two plans.
type ResourceDiff struct {
	URN     string   `json:"urn"`
	Type    string   `json:"type"`
	Changes []Change `json:"changes"`
}

// DiffResult compares two plans of the same stack.
type DiffResult struct {
	Created []string       `json:"created"`
	Deleted []string       `json:"deleted"`
	Changed []ResourceDiff `json:"changed"`
	Outputs []Change       `json:"outputs"`
}

// Empty reports whether nothing differs.
func (d DiffResult) Empty() bool {
	return len(d.Created) == 0 && len(d.Deleted) == 0 && len(d.Changed) == 0 && len(d.Outputs) == 0
}

// Diff lists what a move from before to after creates, deletes and changes (by input path).
func Diff(before, after *Plan) DiffResult {
	d := DiffResult{Created: []string{}, Deleted: []string{}, Changed: []ResourceDiff{}, Outputs: []Change{}}
	old := map[string]Resource{}
	for _, r := range before.Resources {
		old[r.URN] = r
	}
	seen := map[string]bool{}
	for _, r := range after.Resources {
		seen[r.URN] = true
		o, ok := old[r.URN]
		if !ok {
			d.Created = append(d.Created, r.URN)
			continue
		}
		var changes []Change
		diffValue("", o.Inputs, r.Inputs, &changes)
		for _, opt := range []struct {
			name string
			a, b any
		}{
			{"(protect)", o.Protect, r.Protect},
			{"(retainOnDelete)", o.RetainOnDelete, r.RetainOnDelete},
			{"(deleteBeforeReplace)", o.DeleteBeforeReplace, r.DeleteBeforeReplace},
			{"(parent)", o.Parent, r.Parent},
		} {
			if opt.a != opt.b {
				changes = append(changes, Change{Path: opt.name, Before: opt.a, After: opt.b})
			}
		}
		if len(changes) > 0 {
			d.Changed = append(d.Changed, ResourceDiff{URN: r.URN, Type: r.Type, Changes: changes})
		}
	}
	for _, r := range before.Resources {
		if !seen[r.URN] {
			d.Deleted = append(d.Deleted, r.URN)
		}
	}
	var outs []Change
	diffValue("", before.Outputs, after.Outputs, &outs)
	d.Outputs = append(d.Outputs, outs...)
	sort.Strings(d.Created)
	sort.Strings(d.Deleted)
	return d
}

// diffValue appends the leaf paths where a and b differ.
func diffValue(path string, a, b any, out *[]Change) {
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			diffValue(joinPath(path, k), am[k], bm[k], out)
		}
		return
	}
	aa, aIsArr := a.([]any)
	ba, bIsArr := b.([]any)
	if aIsArr && bIsArr && len(aa) == len(ba) {
		for i := range aa {
			diffValue(fmt.Sprintf("%s[%d]", path, i), aa[i], ba[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, Change{Path: path, Before: a, After: b})
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	if strings.ContainsAny(key, "./[]") {
		return fmt.Sprintf("%s[%q]", path, key)
	}
	return path + "." + key
}
