package plan

import (
	"fmt"

	"github.com/cutover-dev/cutover/policies/rules"
)

// PolicyResources turns the recorded registrations into the policy pack's view: inputs for
// resource policies, mock state as outputs for stack policies, and the options the engine shows
// (plus retainOnDelete, which only a registration carries).
func (p *Plan) PolicyResources() []rules.Resource {
	out := make([]rules.Resource, 0, len(p.Recorded))
	for _, r := range p.Recorded {
		if r.Read {
			continue
		}
		out = append(out, rules.Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent, Provider: r.Provider, ID: r.ID,
			Inputs: r.Inputs, Outputs: r.State,
			Protect: r.Protect, DeleteBeforeReplace: r.DeleteBeforeReplace, RetainOnDelete: r.RetainOnDelete,
			IgnoreChanges: r.IgnoreChanges, Dependencies: r.Dependencies, PropertyDependencies: r.PropertyDependencies,
		})
	}
	return out
}

// checkPolicies runs the policy pack over the recorded graph with the stack's effective config.
func checkPolicies(p *Plan, cfg map[string]string) error {
	report, err := rules.CheckReport(p.PolicyResources(), cfg)
	if err != nil {
		return fmt.Errorf("policy pack: %w", err)
	}
	for _, v := range report.Violations {
		p.Violations = append(p.Violations, Violation{Policy: v.Policy, Level: v.Level, URN: v.URN, Message: v.Message})
	}
	for _, w := range report.Waived {
		p.Waived = append(p.Waived, Violation{Policy: w.Policy, Level: w.Level, URN: w.URN, Message: w.Message + " (waived: " + w.Reason + ")"})
	}
	return nil
}
