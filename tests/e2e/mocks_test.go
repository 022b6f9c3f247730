//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/policies/rules"
)

// recordingMocks runs a program under Pulumi's mock monitor, the way the unit
// tests and `cutover plan` do, and records every registration. Stack
// transforms registered by the program are applied to each registration's
// inputs, as the engine applies them, so the recorded graph is the one the
// engine would see.
type recordingMocks struct {
	project, stack string

	mu         sync.Mutex
	transforms []pulumi.ResourceTransform
	recorded   []rules.Resource
}

var _ pulumi.MockResourceMonitorWithTransforms = (*recordingMocks)(nil)

func (m *recordingMocks) RegisterTransform(t pulumi.ResourceTransform) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.transforms = append(m.transforms, t)
}

func (m *recordingMocks) RegisterInvokeTransform(pulumi.InvokeTransform) {}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	transforms := append([]pulumi.ResourceTransform(nil), m.transforms...)
	m.mu.Unlock()

	inputs := args.Inputs
	for _, t := range transforms {
		props, err := toInputMap(inputs)
		if err != nil {
			return "", nil, fmt.Errorf("%s %s: %w", args.TypeToken, args.Name, err)
		}
		res := t(context.Background(), &pulumi.ResourceTransformArgs{
			Custom: args.Custom, Type: args.TypeToken, Name: args.Name, Props: props,
		})
		if res == nil {
			continue
		}
		if inputs, err = fromInputMap(res.Props); err != nil {
			return "", nil, fmt.Errorf("%s %s: transformed props: %w", args.TypeToken, args.Name, err)
		}
	}

	rpc := args.RegisterRPC
	parent := rpc.GetParent()
	id := args.Name + "-id"
	r := rules.Resource{
		URN:          m.urn(parent, args.TypeToken, args.Name),
		Type:         args.TypeToken,
		Name:         args.Name,
		Parent:       parent,
		Provider:     args.Provider,
		ID:           id,
		Inputs:       inputs,
		Outputs:      inputs,
		Protect:      rpc.GetProtect(),
		Dependencies: rpc.GetDependencies(),
	}
	r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
	r.RetainOnDelete = rpc.GetRetainOnDelete()
	r.IgnoreChanges = rpc.GetIgnoreChanges()
	if deps := rpc.GetPropertyDependencies(); len(deps) > 0 {
		r.PropertyDependencies = map[string][]string{}
		for k, v := range deps {
			r.PropertyDependencies[k] = v.GetUrns()
		}
	}
	m.mu.Lock()
	m.recorded = append(m.recorded, r)
	m.mu.Unlock()
	// The fake state echoes the inputs: the workload layer reads nothing
	// back from its objects but their names and the Service status.
	return id, inputs, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected call %s in the workload layer", args.Token)
}

// urn builds the URN the engine gives a resource: the parent's type chain
// (not the root stack's) joined with the resource's own type.
func (m *recordingMocks) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType, tokens.Type(typ), name))
}

// resources returns the recorded registrations sorted by URN.
func (m *recordingMocks) resources() []rules.Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]rules.Resource(nil), m.recorded...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// runUnderMocks runs program under the mock monitor as project/stack and
// returns the recorded graph and the program's error.
func runUnderMocks(project, stack string, program pulumi.RunFunc) ([]rules.Resource, error) {
	mocks := &recordingMocks{project: project, stack: stack}
	err := pulumi.RunErr(program, pulumi.WithMocks(project, stack, mocks))
	return mocks.resources(), err
}

// toInputMap turns the mock's plain property map into the pulumi.Map a
// transform receives from the engine.
func toInputMap(m resource.PropertyMap) (pulumi.Map, error) {
	out := pulumi.Map{}
	for k, v := range m {
		in, err := toInput(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[string(k)] = in
	}
	return out, nil
}

func toInput(v resource.PropertyValue) (pulumi.Input, error) {
	switch {
	case v.IsNull():
		return nil, nil
	case v.IsBool():
		return pulumi.Bool(v.BoolValue()), nil
	case v.IsNumber():
		return pulumi.Float64(v.NumberValue()), nil
	case v.IsString():
		return pulumi.String(v.StringValue()), nil
	case v.IsArray():
		arr := pulumi.Array{}
		for i, e := range v.ArrayValue() {
			in, err := toInput(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			arr = append(arr, in)
		}
		return arr, nil
	case v.IsObject():
		return toInputMap(v.ObjectValue())
	case v.IsSecret():
		in, err := toInput(v.SecretValue().Element)
		if err != nil {
			return nil, err
		}
		return pulumi.ToSecret(in), nil
	default:
		return nil, fmt.Errorf("unsupported property value %v", v)
	}
}

// fromInputMap is toInputMap's inverse for the values a transform returns.
func fromInputMap(m pulumi.Map) (resource.PropertyMap, error) {
	out := resource.PropertyMap{}
	for k, in := range m {
		v, err := fromInput(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[resource.PropertyKey(k)] = v
	}
	return out, nil
}

func fromInput(in pulumi.Input) (resource.PropertyValue, error) {
	switch x := in.(type) {
	case nil:
		return resource.NewNullProperty(), nil
	case pulumi.Bool:
		return resource.NewProperty(bool(x)), nil
	case pulumi.Float64:
		return resource.NewProperty(float64(x)), nil
	case pulumi.String:
		return resource.NewProperty(string(x)), nil
	case pulumi.Array:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			v, err := fromInput(e)
			if err != nil {
				return resource.PropertyValue{}, fmt.Errorf("[%d]: %w", i, err)
			}
			arr[i] = v
		}
		return resource.NewProperty(arr), nil
	case pulumi.Map:
		obj, err := fromInputMap(x)
		if err != nil {
			return resource.PropertyValue{}, err
		}
		return resource.NewProperty(obj), nil
	default:
		// Includes the outputs toInput makes of secrets: no transform of this
		// harness returns the props of a resource that has secret inputs.
		return resource.PropertyValue{}, fmt.Errorf("unsupported input %T", in)
	}
}
