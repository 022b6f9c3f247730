package rules

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Resource is one registered resource as the offline plan records it.
type Resource struct {
	URN, Type, Name, Parent string
	// Provider is the provider reference ("<provider URN>::<provider ID>"), if any.
	Provider string
	// ID is the resource's ID (the mock's in the plan). Stack policies see it as the "id" output,
	// which is how references such as a NAT's allocationId are matched to their resource.
	ID string
	// Inputs are the program's inputs; resource policies see these.
	Inputs resource.PropertyMap
	// Outputs are the resource's state (the mock's in the plan), laid over Inputs for stack
	// policies the way the engine hands them outputs. Optional.
	Outputs                                      resource.PropertyMap
	Protect, DeleteBeforeReplace, RetainOnDelete bool
	IgnoreChanges                                []string
	Dependencies                                 []string
	PropertyDependencies                         map[string][]string
}

// Violation is one reported problem.
type Violation struct {
	// Policy is the policy name ("net-01-private-subnet-no-public-ip").
	Policy string `json:"policy"`
	// Level is LevelMandatory or LevelAdvisory.
	Level string `json:"level"`
	// URN is the resource concerned; empty for a problem of the stack as a whole.
	URN string `json:"urn"`
	// Message names the resource and the offending value.
	Message string `json:"message"`
}

// WaivedViolation is a violation a waiver of waivers.yaml covers: not reported, but listed.
type WaivedViolation struct {
	Violation
	// Reason is the waiver's reason.
	Reason string `json:"reason"`
}

// Report is the result of CheckReport.
type Report struct {
	// Violations are the active violations, sorted by policy, URN and message.
	Violations []Violation `json:"violations"`
	// Waived are the violations waivers cover, sorted the same way.
	Waived []WaivedViolation `json:"waived,omitempty"`
}

// Check runs every resource policy on each resource, every stack policy once and the plan checks
// that a single graph allows (retainOnDelete of egress EIPs), with the stack config cfg (keys
// "cutover:<key>"). It returns the active violations sorted by (policy, urn, message); waived
// ones are left out (CheckReport lists them). A malformed config value is an error.
func Check(resources []Resource, cfg map[string]string) ([]Violation, error) {
	report, err := CheckReport(resources, cfg)
	return report.Violations, err
}

// CheckReport is Check that also returns the waived violations.
func CheckReport(resources []Resource, cfg map[string]string) (Report, error) {
	if embeddedWaiversErr != nil {
		return Report{}, embeddedWaiversErr
	}
	sc, err := ParseStackConfig(cfg)
	if err != nil {
		return Report{}, err
	}
	var report Report
	ctx := context.Background()
	inputs := make([]policyx.AnalyzerResource, len(resources))
	outputs := make([]policyx.AnalyzerResource, len(resources))
	for i, r := range resources {
		inputs[i] = r.analyzerResource(r.Inputs)
		outputs[i] = r.analyzerResource(r.stackProperties())
	}
	for _, p := range Policies(sc) {
		rec := &recorder{policy: p.Name(), level: levelName(p.EnforcementLevel()), report: &report}
		switch p := p.(type) {
		case policyx.ResourceValidationPolicy:
			for _, r := range inputs {
				rec.current = r.URN
				if err := p.Validate(ctx, policyx.ResourceValidationArgs{Manager: rec, Resource: r}); err != nil {
					return Report{}, fmt.Errorf("policy %s on %s: %w", p.Name(), r.URN, err)
				}
			}
		case policyx.StackValidationPolicy:
			if err := p.Validate(ctx, policyx.StackValidationArgs{Manager: rec, Resources: outputs}); err != nil {
				return Report{}, fmt.Errorf("policy %s: %w", p.Name(), err)
			}
		}
	}
	e := &env{cfg: sc, waivers: embeddedWaivers}
	byURN := map[string]Resource{}
	for _, r := range resources {
		byURN[r.URN] = r
	}
	for _, v := range CheckRetainOnDelete(resources) {
		rec := &recorder{policy: v.Policy, level: v.Level, report: &report}
		r := byURN[v.URN]
		e.report(rec, v.Policy, subjectOf(r.URN, r.Type, r.Name, r.Parent), v.Message)
	}
	sortViolations(report.Violations)
	sort.SliceStable(report.Waived, func(i, j int) bool { return lessViolation(report.Waived[i].Violation, report.Waived[j].Violation) })
	return report, nil
}

// recorder is the PolicyManager of Check: it records violations and waived ones.
type recorder struct {
	policy, level string
	current       string // the resource a resource policy is validating
	report        *Report
}

func (r *recorder) ReportViolation(message, urn string) {
	if urn == "" {
		urn = r.current // as the engine does for resource policies
	}
	r.report.Violations = append(r.report.Violations, Violation{Policy: r.policy, Level: r.level, URN: urn, Message: message})
}

func (r *recorder) ReportWaived(message, urn, reason string) {
	r.report.Waived = append(r.report.Waived, WaivedViolation{
		Violation: Violation{Policy: r.policy, Level: r.level, URN: urn, Message: message},
		Reason:    strings.Join(strings.Fields(reason), " "),
	})
}

func lessViolation(a, b Violation) bool {
	if a.Policy != b.Policy {
		return a.Policy < b.Policy
	}
	if a.URN != b.URN {
		return a.URN < b.URN
	}
	return a.Message < b.Message
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool { return lessViolation(vs[i], vs[j]) })
}

// stackProperties is the stack policies' view: inputs with the outputs laid over them and the ID
// as "id", the shape a bridged provider's outputs have.
func (r Resource) stackProperties() resource.PropertyMap {
	props := resource.PropertyMap{}
	for k, v := range r.Inputs {
		props[k] = v
	}
	for k, v := range r.Outputs {
		props[k] = v
	}
	if r.ID != "" {
		props["id"] = resource.NewStringProperty(r.ID)
	}
	return props
}

func (r Resource) analyzerResource(props resource.PropertyMap) policyx.AnalyzerResource {
	name := r.Name
	if name == "" {
		name = nameOfURN(r.URN)
	}
	typ := r.Type
	if typ == "" {
		typ = typeOfURN(r.URN)
	}
	providerURN := providerURNOf(r.Provider)
	return policyx.AnalyzerResource{
		Type:       typ,
		Properties: resource.FromResourcePropertyMap(props),
		URN:        r.URN,
		Name:       name,
		Options: pulumi.ResourceOptions{
			Protect:             r.Protect,
			DeleteBeforeReplace: r.DeleteBeforeReplace,
			IgnoreChanges:       r.IgnoreChanges,
		},
		Provider:             policyx.AnalyzerProviderResource{URN: providerURN, Type: typeOfURN(providerURN), Name: nameOfURN(providerURN)},
		Parent:               r.Parent,
		Dependencies:         r.Dependencies,
		PropertyDependencies: r.PropertyDependencies,
	}
}

// providerURNOf returns the URN part of a provider reference "<urn>::<id>". A URN holds three
// "::" separators itself, so the ID is what follows a fourth.
func providerURNOf(ref string) string {
	if strings.Count(ref, "::") > 3 {
		return ref[:strings.LastIndex(ref, "::")]
	}
	return ref
}
