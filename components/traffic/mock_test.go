package traffic

import (
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// registration is one resource as the mock monitor saw it.
type registration struct {
	Type                string
	Name                string
	Custom              bool
	Inputs              resource.PropertyMap
	Parent              string
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	Dependencies        []string
}

// recorder is a pulumi.MockResourceMonitor that remembers every registration and answers with
// deterministic fake IDs and the inputs echoed back as outputs.
type recorder struct {
	mu   sync.Mutex
	regs []registration
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	reg := registration{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.Parent = rpc.GetParent()
		reg.Protect = rpc.GetProtect()
		reg.RetainOnDelete = rpc.GetRetainOnDelete()
		reg.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		reg.IgnoreChanges = rpc.GetIgnoreChanges()
		reg.Dependencies = rpc.GetDependencies()
	}
	r.mu.Lock()
	r.regs = append(r.regs, reg)
	r.mu.Unlock()
	return "fake-" + args.Name, args.Inputs, nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// byName returns the registrations keyed by logical name.
func (r *recorder) byName() map[string]registration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]registration, len(r.regs))
	for _, reg := range r.regs {
		out[reg.Name] = reg
	}
	return out
}

// names lists the registered logical names, sorted.
func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, reg := range r.regs {
		out = append(out, reg.Name)
	}
	sort.Strings(out)
	return out
}

// sinkName is a test-only resource whose inputs are the component's outputs, so their
// resolved values land in the recorded graph and are asserted after the run returns.
const sinkName = "outputs-sink"

// run builds a Traffic named "api" under the recording mock and returns the recorder and the
// run's error.
func run(t *testing.T, args TrafficArgs) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		c, err := NewTraffic(ctx, "api", &args)
		if err != nil {
			return err
		}
		var sink pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Sink", sinkName, pulumi.Map{
			"awsWeight":      c.AWSWeight,
			"herokuWeight":   c.HerokuWeight,
			"healthCheckIds": c.HealthCheckIDs,
		}, &sink)
	}, pulumi.WithMocks("cutover", "test", rec))
	return rec, err
}
