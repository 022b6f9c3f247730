package mockmon

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TB is the part of testing.TB the helpers fail through, so this package does not import testing.
// After Fatalf returns (a TB that does not stop the goroutine) a helper returns a zero value.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Records is a recorded graph, as Monitor.Sorted returns it.
type Records []*Recorded

// ByType returns the registrations of one type, ordered by name (then URN).
func (rs Records) ByType(typ string) Records {
	var out Records
	for _, r := range rs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Find returns the registrations with this type and name.
func (rs Records) Find(typ, name string) Records {
	var out Records
	for _, r := range rs {
		if r.Type == typ && r.Name == name {
			out = append(out, r)
		}
	}
	return out
}

// One returns the single registration with this type and name and fails t when there is none or
// more than one.
func (rs Records) One(t TB, typ, name string) *Recorded {
	t.Helper()
	found := rs.Find(typ, name)
	if len(found) != 1 {
		t.Fatalf("want exactly one %s named %q, found %d; registered %v", typ, name, len(found), rs.TypedNames())
		return nil
	}
	return found[0]
}

// ByName returns the registrations keyed by logical name (for graphs where names are unique).
func (rs Records) ByName() map[string]*Recorded {
	out := make(map[string]*Recorded, len(rs))
	for _, r := range rs {
		out[r.Name] = r
	}
	return out
}

// Names returns the logical names, sorted.
func (rs Records) Names() []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}

// TypedNames returns "type/name" for every registration, sorted, for failure messages.
func (rs Records) TypedNames() []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Type+"/"+r.Name)
	}
	sort.Strings(out)
	return out
}

// Children returns the registrations whose parent is parentURN.
func (rs Records) Children(parentURN string) Records {
	var out Records
	for _, r := range rs {
		if r.Parent == parentURN {
			out = append(out, r)
		}
	}
	return out
}

// Input returns an input as a plain Go value (Plain), nil when it is absent.
func (r *Recorded) Input(key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return Plain(v)
}

// Output returns a property of the state the monitor answered as a plain Go value, nil when it
// is absent.
func (r *Recorded) Output(key string) any {
	v, ok := r.State[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return Plain(v)
}

// Str returns a string input, "" when it is absent or not a known string.
func (r *Recorded) Str(key string) string {
	s, _ := r.Input(key).(string)
	return s
}

// Tags returns the "tags" input as a map, empty when there are none.
func (r *Recorded) Tags() map[string]string {
	out := map[string]string{}
	if v, ok := r.Inputs["tags"]; ok && v.IsObject() {
		for k, t := range v.ObjectValue() {
			if t.IsString() {
				out[string(k)] = t.StringValue()
			}
		}
	}
	return out
}

// IsChildOf reports whether the parent is the resource of this type and name.
func (r *Recorded) IsChildOf(typ, name string) bool {
	return strings.HasSuffix(r.Parent, "::"+typ+"::"+name)
}

// Plain turns a property value into plain Go values: secrets and known outputs unwrapped, unknown
// outputs nil, objects map[string]any, arrays []any, numbers float64.
func Plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Plain(v.SecretValue().Element)
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = Plain(e)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, Plain(e))
		}
		return out
	case v.IsOutput():
		if v.OutputValue().Known {
			return Plain(v.OutputValue().Element)
		}
		return nil
	default:
		return v.Mappable()
	}
}

// At walks a property path of keys (string) and array indexes (int), unwrapping secrets on the
// way, and fails t when a segment is missing.
func At(t TB, m resource.PropertyMap, path ...any) resource.PropertyValue {
	t.Helper()
	v := resource.NewObjectProperty(m)
	for i, seg := range path {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		switch s := seg.(type) {
		case string:
			if !v.IsObject() {
				t.Fatalf("path %v: segment %d (%q): not an object: %v", path, i, s, v)
				return resource.PropertyValue{}
			}
			next, ok := v.ObjectValue()[resource.PropertyKey(s)]
			if !ok {
				t.Fatalf("path %v: key %q missing in %v", path, s, v.ObjectValue().Mappable())
				return resource.PropertyValue{}
			}
			v = next
		case int:
			if !v.IsArray() || s >= len(v.ArrayValue()) {
				t.Fatalf("path %v: segment %d: no index %d in %v", path, i, s, v)
				return resource.PropertyValue{}
			}
			v = v.ArrayValue()[s]
		default:
			t.Fatalf("bad path segment %T", seg)
			return resource.PropertyValue{}
		}
	}
	return v
}

// Has reports whether a path of keys leads to a non-null value.
func Has(m resource.PropertyMap, path ...string) bool {
	v := resource.NewObjectProperty(m)
	for _, key := range path {
		if !v.IsObject() {
			return false
		}
		next, ok := v.ObjectValue()[resource.PropertyKey(key)]
		if !ok || next.IsNull() {
			return false
		}
		v = next
	}
	return true
}

// String returns m[key] and fails t unless it is a string.
func String(t TB, m resource.PropertyMap, key string) string {
	t.Helper()
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		t.Fatalf("input %q = %v, want a string", key, v)
		return ""
	}
	return v.StringValue()
}

// Int returns m[key] as an int and fails t unless it is a number.
func Int(t TB, m resource.PropertyMap, key string) int {
	t.Helper()
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsNumber() {
		t.Fatalf("input %q = %v, want a number", key, v)
		return 0
	}
	return int(v.NumberValue())
}

// Bool returns m[key] and fails t unless it is a bool.
func Bool(t TB, m resource.PropertyMap, key string) bool {
	t.Helper()
	v, ok := m[resource.PropertyKey(key)]
	if !ok || !v.IsBool() {
		t.Fatalf("input %q = %v, want a bool", key, v)
		return false
	}
	return v.BoolValue()
}
