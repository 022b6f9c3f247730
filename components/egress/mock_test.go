package egress

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// recorded is one registration as the engine would have seen it.
type recorded struct {
	Type           string
	Name           string
	Custom         bool
	Inputs         resource.PropertyMap
	Protect        bool
	RetainOnDelete bool
	Parent         string
	DependsOn      []string
}

// recordingMocks answers registrations and invokes with clearly fake values and records every
// registration so tests can assert on the graph after the run.
type recordingMocks struct {
	mu        sync.Mutex
	resources []recorded
	invokes   []pulumi.MockCallArgs
	// eipIPs answers getElasticIp invokes: allocation ID -> public IP.
	eipIPs map[string]string
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	m.mu.Lock()
	m.resources = append(m.resources, recorded{
		Type:           args.TypeToken,
		Name:           args.Name,
		Custom:         args.Custom,
		Inputs:         args.Inputs,
		Protect:        rpc.GetProtect(),
		RetainOnDelete: rpc.GetRetainOnDelete(),
		Parent:         rpc.GetParent(),
		DependsOn:      rpc.GetDependencies(),
	})
	m.mu.Unlock()

	state := args.Inputs.Copy()
	id := "fake-" + args.Name
	if args.TypeToken == "aws:ec2/eip:Eip" {
		// Deterministic fake allocation ID and a documentation-range address per AZ letter.
		letter := args.Name[len(args.Name)-1]
		id = fmt.Sprintf("eipalloc-0000000000000000%c", letter)
		ip := fmt.Sprintf("198.51.100.%d", 10+int(letter-'a'))
		state["allocationId"] = resource.NewProperty(id)
		state["publicIp"] = resource.NewProperty(ip)
	}
	return id, state, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.invokes = append(m.invokes, args)
	m.mu.Unlock()
	if args.Token != "aws:ec2/getElasticIp:getElasticIp" {
		return nil, fmt.Errorf("unexpected invoke %s", args.Token)
	}
	id := args.Args["id"].StringValue()
	ip, ok := m.eipIPs[id]
	if !ok {
		return nil, fmt.Errorf("no fake EIP %s", id)
	}
	return resource.PropertyMap{
		"id":       resource.NewProperty(id),
		"publicIp": resource.NewProperty(ip),
		"domain":   resource.NewProperty("vpc"),
	}, nil
}

func (m *recordingMocks) byType(typ string) []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []recorded
	for _, r := range m.resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// capture stores the resolved value of an output once the run settles; the test asserts on it after
// RunErr returns, never inside the callback.
func capture[T any](mu *sync.Mutex, dst *T) func(T) T {
	return func(v T) T {
		mu.Lock()
		*dst = v
		mu.Unlock()
		return v
	}
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

func isChildOf(r recorded, typ, name string) bool {
	return strings.HasSuffix(r.Parent, "::"+typ+"::"+name)
}
