package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// The engine hands policies provider-checked inputs (resource policies) or outputs (stack
// policies), and values that come from other resources' outputs are unknown during a preview.
// These helpers keep three cases apart everywhere: absent (the provider default applies, which
// for the settings checked here is the unsafe one unless a rule says otherwise), unknown
// ("cannot tell": never a violation) and a known value.

// lookup walks a path of map keys (string) and array indexes (int). It returns Computed when any
// step is unknown and Null when any step is absent or of the wrong shape.
func lookup(m property.Map, path ...any) property.Value {
	return at(property.New(m), path...)
}

// at is lookup starting from any value (an element of an array, say).
func at(cur property.Value, path ...any) property.Value {
	for _, step := range path {
		if cur.IsComputed() {
			return cur
		}
		switch s := step.(type) {
		case string:
			if !cur.IsMap() {
				return property.Value{}
			}
			cur = cur.AsMap().Get(s)
		case int:
			if !cur.IsArray() {
				return property.Value{}
			}
			arr := cur.AsArray()
			if s < 0 || s >= arr.Len() {
				return property.Value{}
			}
			cur = arr.Get(s)
		default:
			panic(fmt.Sprintf("lookup: path step %v of type %T", step, step))
		}
	}
	return cur
}

// str returns a known string value. Numbers and booleans are rendered, because the engine sends
// some provider inputs in their schema type and mocks send them as the program wrote them.
func str(v property.Value) (string, bool) {
	switch {
	case v.IsString():
		return v.AsString(), true
	case v.IsNumber():
		return strconv.FormatFloat(v.AsNumber(), 'f', -1, 64), true
	case v.IsBool():
		return strconv.FormatBool(v.AsBool()), true
	}
	return "", false
}

// num returns a known number; numeric strings count (the AWS SDK types some numbers as strings).
func num(v property.Value) (float64, bool) {
	switch {
	case v.IsNumber():
		return v.AsNumber(), true
	case v.IsString():
		f, err := strconv.ParseFloat(strings.TrimSpace(v.AsString()), 64)
		return f, err == nil
	}
	return 0, false
}

// boolean returns a known boolean; "true"/"false" strings count (LaunchTemplate's ebs.encrypted
// and associatePublicIpAddress are strings in the AWS SDK).
func boolean(v property.Value) (bool, bool) {
	switch {
	case v.IsBool():
		return v.AsBool(), true
	case v.IsString():
		b, err := strconv.ParseBool(strings.TrimSpace(v.AsString()))
		return b, err == nil
	}
	return false, false
}

// elems returns the elements of an array value (nil for anything else).
func elems(v property.Value) []property.Value {
	if !v.IsArray() {
		return nil
	}
	return v.AsArray().AsSlice()
}

// strList returns the known strings of an array value and whether any element (or the array
// itself) is unknown. A single string counts as a one-element list, as IAM documents allow.
func strList(v property.Value) (known []string, unknown bool) {
	if v.IsComputed() {
		return nil, true
	}
	if s, ok := str(v); ok {
		return []string{s}, false
	}
	for _, e := range elems(v) {
		if s, ok := str(e); ok {
			known = append(known, s)
		} else if e.IsComputed() {
			unknown = true
		}
	}
	return known, unknown
}

// strMap returns the known string entries of a map value and whether any entry is unknown.
func strMap(v property.Value) (map[string]string, bool) {
	if v.IsComputed() {
		return nil, true
	}
	if !v.IsMap() {
		return nil, false
	}
	out := map[string]string{}
	unknown := false
	for k, e := range v.AsMap().AllStable {
		if s, ok := str(e); ok {
			out[k] = s
		} else if e.IsComputed() {
			unknown = true
		}
	}
	return out, unknown
}

// render formats a value for a violation message: short, stable and without secret contents.
func render(v property.Value) string {
	switch {
	case v.Secret():
		return "[secret]"
	case v.IsComputed():
		return "(unknown)"
	case v.IsNull():
		return "(absent)"
	case v.IsString():
		return strconv.Quote(v.AsString())
	case v.IsArray():
		parts := make([]string, 0, v.AsArray().Len())
		for _, e := range elems(v) {
			parts = append(parts, render(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case v.IsMap():
		keys := make([]string, 0, v.AsMap().Len())
		for k := range v.AsMap().All {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+render(v.AsMap().Get(k)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if s, ok := str(v); ok {
		return s
	}
	return v.GoString()
}
