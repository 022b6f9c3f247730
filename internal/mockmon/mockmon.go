package mockmon

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	// Project is the project in every URN the monitor computes (the Pulumi project name).
	Project = "cutover"
	// DefaultStack is the stack New runs under.
	DefaultStack = "test"
	// DefaultRegion is the region New puts in fake ARNs, hosts and the getRegion answer.
	DefaultRegion = "us-east-1"
	// Account is the fake AWS account of every ARN and of the getCallerIdentity answer.
	Account = "123456789012"
)

// Recorded is one registration (or read) as the program made it.
type Recorded struct {
	URN                  string
	Type                 string
	Name                 string
	Parent               string
	Custom               bool
	Provider             string
	Inputs               resource.PropertyMap
	State                resource.PropertyMap // what the monitor answered: inputs plus fake outputs
	ID                   string
	Protect              bool
	RetainOnDelete       bool
	DeleteBeforeReplace  bool
	IgnoreChanges        []string
	Dependencies         []string
	PropertyDependencies map[string][]string
	Aliases              int
	Version              string // the provider plugin version the registration asked for
	PluginDownloadURL    string
	Read                 bool // a read (StackReference, get) rather than a managed resource
}

// Invocation is one function call (invoke) the program made.
type Invocation struct {
	Token string
	Args  resource.PropertyMap
}

// Monitor is a pulumi.MockResourceMonitor that records every registration and invoke and answers
// with deterministic fake outputs. Configure it before the run; the fields are read concurrently
// while the program runs.
type Monitor struct {
	// Stack is the stack in every URN (New: DefaultStack). Run uses it as the stack name.
	Stack string
	// Region goes into regional ARNs, hosts and the getRegion answer (New: DefaultRegion).
	Region string
	// DeployedPercent seeds the outputs of a StackReference (awsTrafficPercent); nil answers a
	// stack with no outputs.
	DeployedPercent *int
	// Outputs adds or overrides fake outputs per type token. The function gets the registration
	// with State holding the built-in fake; the properties it returns are laid over that state,
	// and a string "id" among them also becomes the resource's ID.
	Outputs map[string]func(r Recorded) resource.PropertyMap
	// Invokes answers functions by token, ahead of the built-in answers.
	Invokes map[string]func(args resource.PropertyMap) (resource.PropertyMap, error)

	mu          sync.Mutex
	resources   []*Recorded
	invocations []Invocation
}

var _ pulumi.MockResourceMonitor = (*Monitor)(nil)

// New returns a monitor for stack DefaultStack in DefaultRegion.
func New() *Monitor {
	return &Monitor{Stack: DefaultStack, Region: DefaultRegion}
}

// Run runs program under m, as project Project and stack m.Stack.
func (m *Monitor) Run(program pulumi.RunFunc) error {
	return pulumi.RunErr(program, pulumi.WithMocks(Project, m.Stack, m))
}

// Record runs program under a new monitor (New) and returns what it recorded.
func Record(program pulumi.RunFunc) (Records, error) {
	m := New()
	err := m.Run(program)
	return m.Sorted(), err
}

// NewResource records a registration or read and answers with its fake ID and state.
func (m *Monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rec := &Recorded{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Provider: args.Provider, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		rec.Parent = rpc.GetParent()
		rec.Protect = rpc.GetProtect()
		rec.RetainOnDelete = rpc.GetRetainOnDelete()
		rec.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		rec.IgnoreChanges = rpc.GetIgnoreChanges()
		rec.Dependencies = rpc.GetDependencies()
		rec.Aliases = len(rpc.GetAliases()) + len(rpc.GetAliasURNs())
		rec.Version = rpc.GetVersion()
		rec.PluginDownloadURL = rpc.GetPluginDownloadURL()
		if pd := rpc.GetPropertyDependencies(); len(pd) > 0 {
			rec.PropertyDependencies = make(map[string][]string, len(pd))
			for k, v := range pd {
				rec.PropertyDependencies[k] = v.GetUrns()
			}
		}
		rec.URN = URN(m.Stack, rpc.GetParent(), args.TypeToken, args.Name)
	}
	if rpc := args.ReadRPC; rpc != nil {
		rec.Read = true
		rec.Parent = rpc.GetParent()
		rec.Version = rpc.GetVersion()
		rec.PluginDownloadURL = rpc.GetPluginDownloadURL()
		rec.URN = URN(m.Stack, rpc.GetParent(), args.TypeToken, args.Name)
	}
	rec.ID, rec.State = m.fake(rec, args)
	if override, ok := m.Outputs[args.TypeToken]; ok {
		for k, v := range override(*rec) {
			rec.State[k] = v
			if k == "id" && v.IsString() {
				rec.ID = v.StringValue()
			}
		}
	}
	m.mu.Lock()
	m.resources = append(m.resources, rec)
	m.mu.Unlock()
	return rec.ID, rec.State, nil
}

// URN is the URN the mock monitor gives a registration in stack: the parent's type qualifies the
// child's type, as in the engine.
func URN(stack, parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName(Project), parentType, tokens.Type(typ), name))
}

// Call records an invoke and answers it from Invokes, else from the built-in answers; a function
// with neither is an error that names it.
func (m *Monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.invocations = append(m.invocations, Invocation{Token: args.Token, Args: args.Args})
	m.mu.Unlock()
	if answer, ok := m.Invokes[args.Token]; ok {
		return answer(args.Args)
	}
	if out, ok := m.answer(args); ok {
		return out, nil
	}
	return nil, fmt.Errorf("mock monitor: no answer for function %s; add one to Monitor.Invokes or to internal/mockmon", args.Token)
}

// Sorted returns the recorded registrations ordered by URN, so two runs print identical bytes.
func (m *Monitor) Sorted() Records {
	m.mu.Lock()
	out := append(Records(nil), m.resources...)
	m.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Invocations returns the invokes in the order they were made.
func (m *Monitor) Invocations() []Invocation {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Invocation(nil), m.invocations...)
}
