package plan

import (
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	rec := func(urn string, inputs map[string]any) Resource {
		return Resource{URN: urn, Type: "t", Inputs: inputs}
	}
	before := &Plan{Resources: []Resource{
		rec("a", map[string]any{"weighted": []any{map[string]any{"weight": 25.0}}, "ttl": 60.0}),
		rec("b", map[string]any{"x": "same"}),
		rec("gone", map[string]any{}),
	}, Outputs: map[string]any{"awsWeight": 25.0}}
	after := &Plan{Resources: []Resource{
		rec("a", map[string]any{"weighted": []any{map[string]any{"weight": 50.0}}, "ttl": 60.0}),
		rec("b", map[string]any{"x": "same"}),
		rec("new", map[string]any{}),
	}, Outputs: map[string]any{"awsWeight": 50.0}}
	after.Resources[1].Protect = true
	d := Diff(before, after)
	want := DiffResult{
		Created: []string{"new"},
		Deleted: []string{"gone"},
		Changed: []ResourceDiff{
			{URN: "a", Type: "t", Changes: []Change{{Path: "weighted[0].weight", Before: 25.0, After: 50.0}}},
			{URN: "b", Type: "t", Changes: []Change{{Path: "(protect)", Before: false, After: true}}},
		},
		Outputs: []Change{{Path: "awsWeight", Before: 25.0, After: 50.0}},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("Diff =\n%+v\nwant\n%+v", d, want)
	}
	if d.Empty() || !(DiffResult{}).Empty() {
		t.Fatal("Empty() is wrong")
	}
}

func TestDiffPaths(t *testing.T) {
	t.Parallel()
	var out []Change
	diffValue("", map[string]any{"metadata": map[string]any{"labels": map[string]any{"app.kubernetes.io/name": "a"}}},
		map[string]any{"metadata": map[string]any{"labels": map[string]any{"app.kubernetes.io/name": "b"}}}, &out)
	if len(out) != 1 || out[0].Path != `metadata.labels["app.kubernetes.io/name"]` {
		t.Fatalf("paths = %+v", out)
	}
	out = nil
	diffValue("", map[string]any{"l": []any{1.0}}, map[string]any{"l": []any{1.0, 2.0}}, &out)
	if len(out) != 1 || out[0].Path != "l" {
		t.Fatalf("a list that changes length is one change at its path, got %+v", out)
	}
}
