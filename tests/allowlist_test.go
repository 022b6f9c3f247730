package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
	"github.com/cutover-dev/cutover/policies/rules"
)

// MIG-12: each committed stack keeps its published egress allow-list in tests/allowlists. A change
// that drops or alters an address fails; an added address is fine (commit the longer list).
func TestEgressAllowlistIsAContract(t *testing.T) {
	for _, stack := range stacks(t) {
		t.Run(stack, func(t *testing.T) {
			p := planStack(t, stack, plan.Options{})
			got := allowlist(t, p)
			path := filepath.Join("allowlists", stack+".txt")
			data, err := os.ReadFile(path)
			if os.IsNotExist(err) && *update {
				if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v: a new stack commits its allow-list (run `go test ./tests -update` once)", err)
			}
			want := strings.Fields(string(data))
			for _, v := range rules.CheckAllowlist(want, got) {
				t.Errorf("stack %s (%s): %s: %s\nkeep the Elastic IPs (same names, protect + retainOnDelete) or adopt them with egressIpAllocationIds",
					stack, path, v.Policy, v.Message)
			}
		})
	}
}

// Adding an AZ only adds an address; every committed one stays.
func TestAddingAnAZKeepsEveryEgressIP(t *testing.T) {
	before := allowlist(t, planStack(t, "staging", plan.Options{}))
	after := allowlist(t, planStack(t, "staging", plan.Options{Sets: []string{
		`cutover:availabilityZones=["us-east-1a","us-east-1b","us-east-1c","us-east-1d"]`,
	}}))
	for _, v := range rules.CheckAllowlist(before, after) {
		t.Errorf("adding us-east-1d: %s", v.Message)
	}
	if len(after) != len(before)+1 {
		t.Fatalf("adding an AZ: allow-list %d -> %d addresses, want one more", len(before), len(after))
	}
}

func allowlist(t *testing.T, p *plan.Plan) []string {
	t.Helper()
	raw, ok := p.Outputs["egressAllowlist"].([]any)
	if !ok || len(raw) == 0 {
		t.Fatalf("stack %s: egressAllowlist output missing or empty: %v", p.Stack, p.Outputs["egressAllowlist"])
	}
	out := make([]string, len(raw))
	for i, v := range raw {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// The contract has teeth: switching staging to a single NAT gateway drops two published
// addresses, and the check names them.
func TestAllowlistCheckCatchesADroppedAddress(t *testing.T) {
	committed := allowlist(t, planStack(t, "staging", plan.Options{}))
	single := allowlist(t, planStack(t, "staging", plan.Options{Sets: []string{"cutover:natGatewayMode=single"}}))
	violations := rules.CheckAllowlist(committed, single)
	if len(violations) != 2 {
		t.Fatalf("single NAT: %d violations, want 2 (two AZs lose their NAT address): %+v", len(violations), violations)
	}
	for _, v := range violations {
		if v.Policy != rules.PolicyAllowlist || v.Level != "mandatory" {
			t.Errorf("violation %+v", v)
		}
	}
}
