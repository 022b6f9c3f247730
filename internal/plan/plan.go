package plan

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cutover-dev/cutover"
	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/infra/program"
	"github.com/cutover-dev/cutover/internal/cost"
	"github.com/cutover-dev/cutover/internal/mockmon"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options select the stack and the config of a plan.
type Options struct {
	// Dir is the project directory (holding Pulumi.yaml and stacks/). Default ".".
	Dir string
	// Stack is the stack name; its config is read from stacks/Pulumi.<Stack>.yaml.
	Stack string
	// ConfigFile overrides where the stack config is read from.
	ConfigFile string
	// Config, when non-nil, is used instead of reading a file (tests, synthetic stacks).
	Config *StackConfig
	// Sets are key=value overrides applied on top of the file.
	Sets []string
	// AssumeDeployedPercent seeds the phase the stack is deployed at (what the program would read
	// from its own stack). Nil means: deployed at the configured rung before the overrides, so a
	// plan of a committed stack is never a move, and `--set awsTrafficPercent=N` is judged as a move
	// from the committed rung.
	AssumeDeployedPercent *int
	// NewStack plans a stack that has never been deployed (no previous phase).
	NewStack bool
	// SkipPolicies leaves the policy pack out (used by the phase-diff tests and benchmarks of the
	// program alone).
	SkipPolicies bool
}

// Plan is the result of one offline run; its JSON form is a contract (ARCHITECTURE.md).
type Plan struct {
	Project    string            `json:"project"`
	Stack      string            `json:"stack"`
	Config     map[string]string `json:"config"`
	Resources  []Resource        `json:"resources"`
	Outputs    map[string]any    `json:"outputs"`
	Violations []Violation       `json:"violations"`
	Waived     []Violation       `json:"waived,omitempty"`
	Summary    Summary           `json:"summary"`
	// Cost is the monthly estimate of both sides at this rung (see internal/cost).
	Cost *cost.Estimate `json:"cost,omitempty"`

	// Recorded keeps the raw registrations (property maps, options) for tests and the policy pack.
	Recorded []*Recorded `json:"-"`
	// SecretOutputs names the outputs that are secret.
	SecretOutputs []string `json:"-"`
}

// Resource is one registered resource in the plan's JSON.
type Resource struct {
	URN                 string         `json:"urn"`
	Type                string         `json:"type"`
	Name                string         `json:"name"`
	Parent              string         `json:"parent"`
	Protect             bool           `json:"protect"`
	RetainOnDelete      bool           `json:"retainOnDelete"`
	DeleteBeforeReplace bool           `json:"deleteBeforeReplace"`
	IgnoreChanges       []string       `json:"ignoreChanges,omitempty"`
	DependsOn           []string       `json:"dependsOn"`
	Inputs              map[string]any `json:"inputs"`
}

// Violation is one policy finding.
type Violation struct {
	Policy  string `json:"policy"`
	Level   string `json:"level"`
	URN     string `json:"urn"`
	Message string `json:"message"`
}

// Summary counts the resources.
type Summary struct {
	Resources int            `json:"resources"`
	ByType    map[string]int `json:"byType"`
}

// MandatoryViolations counts the violations that fail the plan.
func (p *Plan) MandatoryViolations() int {
	n := 0
	for _, v := range p.Violations {
		if v.Level == "mandatory" {
			n++
		}
	}
	return n
}

// LoadConfig reads the stack's config (file or Options.Config) and applies the overrides.
func LoadConfig(opts Options) (StackConfig, error) {
	var sc StackConfig
	switch {
	case opts.Config != nil:
		sc = StackConfig{Values: map[string]string{}, Secrets: map[string]bool{}}
		for k, v := range opts.Config.Values {
			sc.Values[k] = v
		}
		for k, v := range opts.Config.Secrets {
			sc.Secrets[k] = v
		}
	default:
		if opts.Stack == "" {
			return StackConfig{}, usagef("--stack is required (e.g. --stack production)")
		}
		path := opts.ConfigFile
		if path == "" {
			dir := opts.Dir
			if dir == "" {
				dir = "."
			}
			path = StackFilePath(dir, opts.Stack)
		}
		var err error
		if sc, err = ReadStackConfig(path); err != nil {
			return StackConfig{}, err
		}
	}
	return sc, nil
}

// Run plans one stack.
func Run(opts Options) (*Plan, error) {
	p, _, err := run(opts)
	return p, err
}

// run plans one stack and also returns the recorder, so tests can prove what was (not) registered.
func run(opts Options) (*Plan, *mockmon.Monitor, error) {
	sc, err := LoadConfig(opts)
	if err != nil {
		return nil, nil, err
	}
	deployed := opts.AssumeDeployedPercent
	if deployed == nil && !opts.NewStack {
		// Deployed at the committed rung: the value before the overrides.
		if base, err := FromStackConfig(opts.Stack, sc); err == nil {
			n := base.AWSTrafficPercent
			deployed = &n
		}
	}
	if err := sc.ApplySets(opts.Sets); err != nil {
		return nil, nil, err
	}
	if err := sc.CheckKeys(); err != nil {
		return nil, nil, err
	}
	effective, err := sc.Effective()
	if err != nil {
		return nil, nil, err
	}
	// A config that does not load is reported by the program itself, with every problem.
	cfg, cfgErr := FromStackConfig(opts.Stack, sc)
	region := cfg.Region
	// The shared recording monitor, set up for this stack: its name (in every URN), its region (in
	// fake ARNs and hosts) and the phase it is deployed at (the outputs of the StackReference to
	// itself; nil for a stack with no outputs).
	rec := &mockmon.Monitor{Stack: opts.Stack, Region: region, DeployedPercent: deployed}
	outs := &outputRecorder{outputs: map[string]pulumi.Output{}}
	secretKeys := slices.Sorted(maps.Keys(sc.Secrets))
	runErr := pulumi.RunErr(func(ctx *pulumi.Context) error {
		return program.Deploy(ctx, outs.export(ctx))
	}, func(info *pulumi.RunInfo) {
		info.Project = cutover.Namespace
		info.Stack = opts.Stack
		info.Organization = "organization"
		info.Config = effective
		info.ConfigSecretKeys = secretKeys
		info.Mocks = rec
		info.DryRun = false
	})
	if runErr != nil {
		var cfgErr *config.Error
		if errors.As(runErr, &cfgErr) {
			return nil, rec, cfgErr
		}
		return nil, rec, fmt.Errorf("plan of stack %q: %w", opts.Stack, runErr)
	}
	outputs, secretOutputs, err := outs.resolve()
	if err != nil {
		return nil, rec, err
	}
	p := &Plan{
		Project:       cutover.Namespace,
		Stack:         opts.Stack,
		Config:        displayConfig(effective, sc.Secrets),
		Outputs:       outputs,
		Recorded:      rec.Sorted(),
		Summary:       Summary{ByType: map[string]int{}},
		SecretOutputs: secretOutputs,
	}
	for _, r := range p.Recorded {
		if r.Read {
			continue
		}
		p.Resources = append(p.Resources, Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
			Protect: r.Protect, RetainOnDelete: r.RetainOnDelete, DeleteBeforeReplace: r.DeleteBeforeReplace,
			IgnoreChanges: r.IgnoreChanges, DependsOn: sortedCopy(r.Dependencies), Inputs: plainMap(r.Inputs),
		})
		p.Summary.Resources++
		p.Summary.ByType[r.Type]++
	}
	if cfgErr == nil {
		if p.Cost, err = estimateCost(cfg, p); err != nil {
			return nil, rec, err
		}
	}
	p.Violations = []Violation{}
	if !opts.SkipPolicies {
		if err := checkPolicies(p, effective); err != nil {
			return nil, rec, err
		}
	}
	return p, rec, nil
}

// FromStackConfig loads and validates the program's config from a stack config, without running.
func FromStackConfig(stack string, sc StackConfig) (config.Config, error) {
	effective, err := sc.Effective()
	if err != nil {
		return config.Config{}, err
	}
	return config.FromMap(stack, effective)
}

func displayConfig(values map[string]string, secrets map[string]bool) map[string]string {
	out := make(map[string]string, len(values))
	for k, v := range values {
		if secrets[k] {
			v = SecretPlaceholder
		}
		out[k] = v
	}
	return out
}

func sortedCopy(xs []string) []string {
	out := append([]string{}, xs...)
	sort.Strings(out)
	return out
}

// outputRecorder captures the stack outputs as the program exports them. Values are read after
// the run returns: an output not tied to a resource (pulumi.Int, say) is not awaited by the run, so
// reading it from an ApplyT during the run would race with the snapshot.
type outputRecorder struct {
	mu      sync.Mutex
	outputs map[string]pulumi.Output
}

func (o *outputRecorder) export(ctx *pulumi.Context) program.ExportFunc {
	return func(name string, value pulumi.Input) {
		ctx.Export(name, value)
		o.mu.Lock()
		defer o.mu.Unlock()
		o.outputs[name] = pulumi.ToOutput(value)
	}
}

// resolve waits for every exported value; secrets become the placeholder.
func (o *outputRecorder) resolve() (values map[string]any, secret []string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	values = make(map[string]any, len(o.outputs))
	for _, name := range slices.Sorted(maps.Keys(o.outputs)) {
		out := o.outputs[name]
		got := make(chan any, 1)
		out.ApplyT(func(v any) any {
			got <- v
			return nil
		})
		select {
		case v := <-got:
			values[name] = plainValue(resource.NewPropertyValue(normalize(v)))
		case <-time.After(outputTimeout):
			return nil, nil, fmt.Errorf("stack output %s did not resolve within %s (an unknown value under mocks)", name, outputTimeout)
		}
		if pulumi.IsSecret(out) {
			values[name] = SecretPlaceholder
			secret = append(secret, name)
		}
	}
	return values, secret, nil
}

const outputTimeout = 10 * time.Second

// normalize turns typed Go values from outputs (map[string]string, []string, ...) into the generic
// shapes resource.NewPropertyValue understands.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return m
	case []string:
		a := make([]any, len(x))
		for i, s := range x {
			a[i] = s
		}
		return a
	case map[string]int:
		m := make(map[string]any, len(x))
		for k, n := range x {
			m[k] = n
		}
		return m
	case []int:
		a := make([]any, len(x))
		for i, n := range x {
			a[i] = n
		}
		return a
	}
	return v
}

// plainMap renders a property map for JSON: secrets become the placeholder, unknowns "[unknown]",
// resource references their URN.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if strings.HasPrefix(string(k), "__") {
			continue
		}
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsSecret():
		return SecretPlaceholder
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return SecretPlaceholder
		}
		if !o.Known {
			return "[unknown]"
		}
		return plainValue(o.Element)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset(), v.IsArchive():
		return "[asset]"
	}
	return fmt.Sprint(v)
}
