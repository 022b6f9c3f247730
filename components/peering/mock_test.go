package peering

import (
	"fmt"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// recorded is one registration seen by the recording mock.
type recorded struct {
	Type                string
	Name                string
	Inputs              resource.PropertyMap
	Parent              string
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	Dependencies        []string
}

// recordingMocks implements pulumi.MockResourceMonitor: it records every registration and answers
// with deterministic, clearly fake outputs: pcx-/sg- IDs derived from the name, and the accept
// status EC2 reports (active when auto-accepted, else pending-acceptance).
type recordingMocks struct {
	mu        sync.Mutex
	resources []recorded
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rec := recorded{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		rec.Parent = rpc.GetParent()
		rec.Protect = rpc.GetProtect()
		rec.RetainOnDelete = rpc.GetRetainOnDelete()
		rec.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		rec.IgnoreChanges = rpc.GetIgnoreChanges()
		rec.Dependencies = rpc.GetDependencies()
	}
	m.mu.Lock()
	m.resources = append(m.resources, rec)
	m.mu.Unlock()

	state := args.Inputs.Copy()
	id := args.Name + "-id"
	switch args.TypeToken {
	case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
		id = "pcx-" + args.Name
		status := "pending-acceptance"
		if v, ok := args.Inputs["autoAccept"]; ok && v.IsBool() && v.BoolValue() {
			status = "active"
		}
		state["acceptStatus"] = resource.NewProperty(status)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + args.Name
	}
	return id, state, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected invoke %s", args.Token)
}

func (m *recordingMocks) snapshot() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.resources...)
}

func byType(rs []recorded, typ string) []recorded {
	var out []recorded
	for _, r := range rs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func byName(t *testing.T, rs []recorded, typ, name string) recorded {
	t.Helper()
	var found []recorded
	for _, r := range rs {
		if r.Type == typ && r.Name == name {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one %s named %q, found %d", typ, name, len(found))
	}
	return found[0]
}

// plain turns recorded inputs into plain Go values (secrets and known outputs unwrapped).
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsOutput():
		if v.OutputValue().Known {
			return plain(v.OutputValue().Element)
		}
		return nil
	default:
		return v.Mappable()
	}
}

func input(r recorded, key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return plain(v)
}
