package monitoring

import (
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// recorded is one registration seen by the recording mock.
type recorded struct {
	Type           string
	Name           string
	Inputs         resource.PropertyMap
	Parent         string
	Protect        bool
	RetainOnDelete bool
	DeleteBefore   bool
	IgnoreChanges  []string
	Dependencies   []string
	URN            string
}

// recorder implements pulumi.MockResourceMonitor. It records every
// registration and answers with deterministic, clearly fake outputs.
type recorder struct {
	mu        sync.Mutex
	resources []recorded
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rec := recorded{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		rec.Parent = rpc.GetParent()
		rec.Protect = rpc.GetProtect()
		rec.RetainOnDelete = rpc.GetRetainOnDelete()
		rec.DeleteBefore = rpc.GetDeleteBeforeReplace()
		rec.IgnoreChanges = rpc.GetIgnoreChanges()
		rec.Dependencies = append([]string(nil), rpc.GetDependencies()...)
	}
	rec.URN = urnFor(rec.Parent, args.TypeToken, args.Name)
	r.mu.Lock()
	r.resources = append(r.resources, rec)
	r.mu.Unlock()

	state := args.Inputs.Copy()
	id := args.Name + "-id"
	return id, state, nil
}

// urnFor builds the URN the mock monitor assigns, so dependencies and parents
// recorded from RegisterRPC can be compared with a recorded resource's URN.
func urnFor(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN("test", "cutover", parentType, tokens.Type(typ), name))
}

// byType returns the recorded registrations of one type, sorted by name.
func (r *recorder) byType(typ string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, rec := range r.resources {
		if rec.Type == typ {
			out = append(out, rec)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// one returns the single registration of a type and name, failing otherwise.
func (r *recorder) one(t *testing.T, typ, name string) recorded {
	t.Helper()
	for _, rec := range r.byType(typ) {
		if rec.Name == name {
			return rec
		}
	}
	t.Fatalf("no %s named %q registered; have %v", typ, name, r.names())
	return recorded{}
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.resources {
		out = append(out, rec.Type+"/"+rec.Name)
	}
	sort.Strings(out)
	return out
}

// run executes program under the recording mock and returns what it saw.
func run(t *testing.T, program pulumi.RunFunc) (*recorder, error) {
	t.Helper()
	mocks := &recorder{}
	err := pulumi.RunErr(program, pulumi.WithMocks("cutover", "test", mocks))
	return mocks, err
}

// at walks a property path ("spec.template.spec.containers[0].image" style
// segments: keys and integer indexes) and returns the value found, unwrapping
// secrets on the way.
func at(t *testing.T, m resource.PropertyMap, path ...any) resource.PropertyValue {
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
			}
			next, ok := v.ObjectValue()[resource.PropertyKey(s)]
			if !ok {
				t.Fatalf("path %v: key %q missing in %v", path, s, v.ObjectValue().Mappable())
			}
			v = next
		case int:
			if !v.IsArray() || s >= len(v.ArrayValue()) {
				t.Fatalf("path %v: segment %d: no index %d in %v", path, i, s, v)
			}
			v = v.ArrayValue()[s]
		default:
			t.Fatalf("bad path segment %T", seg)
		}
	}
	return v
}

// has reports whether a property path exists.
func has(m resource.PropertyMap, path ...string) bool {
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

// all returns every recorded registration.
func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.resources...)
}
