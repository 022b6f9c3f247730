package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
	"github.com/cutover-dev/cutover/policies/rules"
)

var rungs = []int{0, 10, 25, 50, 100}

// Every committed stack at every rung plans without a mandatory policy violation, and
// retainOnDelete (invisible to the engine) holds on every egress EIP.
func TestStackPhaseMatrixIsCleanUnderThePolicyPack(t *testing.T) {
	for _, stack := range stacks(t) {
		for _, pct := range rungs {
			t.Run(fmt.Sprintf("%s/%d", stack, pct), func(t *testing.T) {
				t.Parallel()
				p := planStack(t, stack, plan.Options{
					Sets:                  []string{fmt.Sprintf("cutover:awsTrafficPercent=%d", pct)},
					AssumeDeployedPercent: &pct,
				})
				for _, v := range p.Violations {
					if v.Level == "mandatory" {
						t.Errorf("mandatory violation %s on %s: %s", v.Policy, v.URN, v.Message)
					}
				}
				for _, v := range rules.CheckRetainOnDelete(p.PolicyResources()) {
					t.Errorf("%s: %s", v.Policy, v.Message)
				}
				if got := p.Outputs["awsWeight"]; got != float64(pct) {
					t.Errorf("awsWeight = %v, want %d", got, pct)
				}
			})
		}
	}
}

// MIG-10: moving one rung changes nothing but the two records' weights and the Heroku formation
// quantities: nothing created, deleted or replaced, no other input touched.
func TestPhaseChangeTouchesOnlyWeightsAndFormation(t *testing.T) {
	for _, stack := range stacks(t) {
		for i := 0; i+1 < len(rungs); i++ {
			from, to := rungs[i], rungs[i+1]
			t.Run(fmt.Sprintf("%s/%d-%d", stack, from, to), func(t *testing.T) {
				t.Parallel()
				at := func(pct int) *plan.Plan {
					return planStack(t, stack, plan.Options{
						Sets: []string{fmt.Sprintf("cutover:awsTrafficPercent=%d", pct)}, AssumeDeployedPercent: &from, SkipPolicies: true,
					})
				}
				before, after := at(from), at(to)
				for _, v := range rules.CheckPhaseDiff(before.PolicyResources(), after.PolicyResources()) {
					t.Errorf("%s: %s", v.Policy, v.Message)
				}
				d := plan.Diff(before, after)
				if len(d.Created)+len(d.Deleted) > 0 {
					t.Fatalf("created %v, deleted %v", d.Created, d.Deleted)
				}
				records := 0
				for _, c := range d.Changed {
					for _, ch := range c.Changes {
						allowed := (c.Type == "aws:route53/record:Record" && strings.HasPrefix(ch.Path, "weightedRoutingPolicies[0].weight")) ||
							(c.Type == "heroku:formation/formation:Formation" && ch.Path == "quantity")
						if !allowed {
							t.Errorf("%s: %s changed (%v => %v)", c.URN, ch.Path, ch.Before, ch.After)
						}
					}
					if c.Type == "aws:route53/record:Record" {
						records++
					}
				}
				if records != 2 {
					t.Errorf("%d weighted records changed, want both", records)
				}
			})
		}
	}
}

// Each NAT gateway depends on its own AZ's Elastic IP and no other, so a preview (where IDs are
// unknown) links every NAT to exactly the protected address it consumes (MIG-08).
func TestEachNATDependsOnItsOwnEIP(t *testing.T) {
	p := planStack(t, "production", plan.Options{SkipPolicies: true})
	nats := 0
	for _, r := range p.Resources {
		if r.Type != "aws:ec2/natGateway:NatGateway" {
			continue
		}
		nats++
		letter := r.Name[len(r.Name)-1:]
		var eips []string
		for _, dep := range r.DependsOn {
			if strings.Contains(dep, "aws:ec2/eip:Eip::") {
				eips = append(eips, dep[strings.LastIndex(dep, "::")+2:])
			}
		}
		if len(eips) != 1 || eips[0] != "egress-ip-"+letter {
			t.Errorf("%s depends on Elastic IPs %v, want exactly egress-ip-%s", r.Name, eips, letter)
		}
	}
	if nats != 3 {
		t.Fatalf("production has %d NAT gateways, want 3", nats)
	}
}
