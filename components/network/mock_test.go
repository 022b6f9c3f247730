package network

import (
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// recorded is one registration as the engine would have seen it.
type recorded struct {
	Type                string
	Name                string
	Custom              bool
	Inputs              resource.PropertyMap
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	Parent              string
	DependsOn           []string
}

// recordingMocks answers registrations with deterministic, clearly fake IDs ("fake-<name>", so a
// reference can be mapped back to the resource that produced it) and records the graph.
type recordingMocks struct {
	mu        sync.Mutex
	resources []recorded
}

func fakeID(name string) string { return "fake-" + name }

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	m.mu.Lock()
	m.resources = append(m.resources, recorded{
		Type:                args.TypeToken,
		Name:                args.Name,
		Custom:              args.Custom,
		Inputs:              args.Inputs,
		Protect:             rpc.GetProtect(),
		RetainOnDelete:      rpc.GetRetainOnDelete(),
		DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		Parent:              rpc.GetParent(),
		DependsOn:           rpc.GetDependencies(),
	})
	m.mu.Unlock()

	state := args.Inputs.Copy()
	switch args.TypeToken {
	case "aws:cloudwatch/logGroup:LogGroup":
		state["arn"] = resource.NewProperty("arn:aws:logs:us-east-1:123456789012:log-group:" + args.Name)
		state["name"] = resource.NewProperty(args.Name)
	case "aws:iam/role:Role":
		state["arn"] = resource.NewProperty("arn:aws:iam::123456789012:role/" + args.Name)
		state["name"] = resource.NewProperty(args.Name)
	}
	return fakeID(args.Name), state, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func (m *recordingMocks) all() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.resources...)
}

func (m *recordingMocks) byType(typ string) []recorded {
	var out []recorded
	for _, r := range m.all() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func (m *recordingMocks) byName(name string) (recorded, bool) {
	for _, r := range m.all() {
		if r.Name == name {
			return r, true
		}
	}
	return recorded{}, false
}

// capture stores the resolved value of an output once the run settles; tests assert on it after
// RunErr returns, never inside the callback.
func capture[T any](mu *sync.Mutex, dst *T) func(T) T {
	return func(v T) T {
		mu.Lock()
		*dst = v
		mu.Unlock()
		return v
	}
}

func str(r recorded, key string) string {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

func tagsOf(r recorded) map[string]string {
	out := map[string]string{}
	if v, ok := r.Inputs["tags"]; ok && v.IsObject() {
		for k, t := range v.ObjectValue() {
			out[string(k)] = t.StringValue()
		}
	}
	return out
}

func names(rs []recorded) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func isChildOf(r recorded, typ, name string) bool {
	return strings.HasSuffix(r.Parent, "::"+typ+"::"+name)
}
