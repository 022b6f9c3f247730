package rules

import (
	"context"
	"fmt"
	"slices"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

const (
	// PackName is the policy pack's name as the engine shows it.
	PackName = "cutover-policies"
	// PackVersion is the pack's semver; PulumiPolicy.yaml carries the same value (a test checks).
	PackVersion = "0.1.0"
)

// Kinds of checks, as Describe reports them.
const (
	// KindResource is a policyx resource policy: it runs on each resource's checked inputs, and a
	// mandatory violation blocks that step, during up as well as preview.
	KindResource = "resource"
	// KindStack is a policyx stack policy: it runs once on all resources' outputs; during up it
	// runs after the steps, so it gates in preview.
	KindStack = "stack"
	// KindPlan is a check the engine cannot see (retainOnDelete, two phases, the committed
	// allow-list): a plain function run by Check or by the program's tests.
	KindPlan = "plan"
)

// Levels as they appear in Violation and PolicyInfo.
const (
	LevelMandatory = "mandatory"
	LevelAdvisory  = "advisory"
)

// NewPack is the pack's factory for policyx.Main: it reads the stack config the engine passed
// (cutover:awsTrafficPercent, phases and the few other keys the rules need) and builds every
// policy. A malformed value is an error that names the key, so the run stops instead of checking
// against a guess.
func NewPack(ctx *pulumi.Context) (policyx.PolicyPack, error) {
	if embeddedWaiversErr != nil {
		return nil, embeddedWaiversErr
	}
	c := config.New(ctx, configNamespace)
	raw := map[string]string{}
	for _, key := range configKeys {
		if v, err := c.Try(key); err == nil {
			raw[configNamespace+":"+key] = v
		}
	}
	sc, err := ParseStackConfig(raw)
	if err != nil {
		return nil, err
	}
	sc.Stack = ctx.Stack()
	version, err := semver.Parse(PackVersion)
	if err != nil {
		return nil, fmt.Errorf("pack version %q: %w", PackVersion, err)
	}
	// The pack-level enforcement level is ignored by policyx; each policy carries its own.
	return policyx.NewPolicyPack(PackName, version, policyx.EnforcementLevelAdvisory, Policies(sc))
}

// Policies returns every resource and stack policy of the pack, each with its own enforcement
// level, bound to the stack config cfg and the shipped waivers.
func Policies(cfg StackConfig) []policyx.Policy {
	e := &env{cfg: cfg, waivers: embeddedWaivers}
	var out []policyx.Policy
	for _, r := range registry() {
		if p := r.policy(e); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// PolicyInfo describes one check for documentation.
type PolicyInfo struct {
	// ID is the row of POLICIES.md ("NET-01"); the name starts with it in lower case.
	ID string
	// Name is the policy name the engine reports.
	Name string
	// Level is LevelMandatory or LevelAdvisory.
	Level string
	// Kind is KindResource, KindStack or KindPlan.
	Kind string
	// Types are the resource type tokens the check looks at.
	Types []string
	// Description says what is required and why, for users.
	Description string
}

// Describe lists every check in POLICIES.md order, including the plan-only ones.
func Describe() []PolicyInfo {
	var out []PolicyInfo
	for _, r := range registry() {
		out = append(out, PolicyInfo{
			ID: r.id, Name: r.name, Level: levelName(r.level), Kind: r.kind,
			Types: slices.Clone(r.types), Description: r.description,
		})
	}
	return out
}

func levelName(l policyx.EnforcementLevel) string {
	if l == policyx.EnforcementLevelMandatory {
		return LevelMandatory
	}
	return LevelAdvisory
}

// rule is one check: its identity and level, and exactly one of resource, stack or plan logic.
type rule struct {
	id, name    string
	level       policyx.EnforcementLevel
	kind        string
	types       []string
	description string
	// resource returns the violation messages for one resource of one of types.
	resource func(e *env, r policyx.AnalyzerResource) []string
	// stack returns the violations found across the stack.
	stack func(e *env, g *graph) []finding
}

// finding is a stack-level violation: the resource it concerns and the message.
type finding struct {
	urn, message string
}

// env is what every check may read: the stack config and the waivers.
type env struct {
	cfg     StackConfig
	waivers []Waiver
}

func (r *rule) appliesTo(typ string) bool {
	return len(r.types) == 0 || slices.Contains(r.types, typ)
}

func (r *rule) policy(e *env) policyx.Policy {
	switch r.kind {
	case KindResource:
		return policyx.NewResourceValidationPolicy(r.name, policyx.ResourceValidationPolicyArgs{
			Description:      r.description,
			EnforcementLevel: r.level,
			ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
				res := args.Resource
				if !r.appliesTo(res.Type) {
					return nil
				}
				s := subjectOf(res.URN, res.Type, res.Name, res.Parent)
				for _, msg := range r.resource(e, res) {
					e.report(args.Manager, r.name, s, msg)
				}
				return nil
			},
		})
	case KindStack:
		return policyx.NewStackValidationPolicy(r.name, policyx.StackValidationPolicyArgs{
			Description:      r.description,
			EnforcementLevel: r.level,
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				g := newGraph(args.Resources)
				for _, f := range r.stack(e, g) {
					e.report(args.Manager, r.name, g.subject(f.urn), f.message)
				}
				return nil
			},
		})
	}
	return nil
}

// report hands a violation to the engine unless a waiver covers it.
func (e *env) report(m policyx.PolicyManager, policy string, s subject, message string) {
	if w := waiverFor(e.waivers, e.cfg, policy, s); w != nil {
		if sink, ok := m.(waivedSink); ok {
			sink.ReportWaived(message, s.urn, w.Reason)
		} else {
			logWaived(policy, message, s.urn, w.Reason)
		}
		return
	}
	m.ReportViolation(message, s.urn)
}
