package program_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
)

// These tests read the recorded graph of the committed stacks, planned offline.

const repoRoot = "../.."

func planStack(t *testing.T, stack string, sets ...string) *plan.Plan {
	t.Helper()
	p, err := plan.Run(plan.Options{Dir: repoRoot, Stack: stack, Sets: sets, SkipPolicies: true})
	if err != nil {
		t.Fatalf("plan %s %v: %v", stack, sets, err)
	}
	return p
}

func ofType(p *plan.Plan, typ string) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	for _, r := range p.Resources {
		if r.Type == typ {
			out[r.Name] = r
		}
	}
	return out
}

func dig(v any, path ...any) any {
	for _, step := range path {
		switch k := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// The bulk pool's jobs must not be evicted mid-run by a scale-down: in both production stacks the
// imports-exports pods carry the autoscaler's safe-to-evict "false" annotation.
func TestBulkPoolPodsAreNotEvictable(t *testing.T) {
	for _, stack := range []string{"production", "production-eu"} {
		t.Run(stack, func(t *testing.T) {
			p := planStack(t, stack)
			var found bool
			for _, d := range ofType(p, "kubernetes:apps/v1:Deployment") {
				if dig(d.Inputs, "metadata", "name") != "imports-exports" {
					continue
				}
				found = true
				got := dig(d.Inputs, "spec", "template", "metadata", "annotations", "cluster-autoscaler.kubernetes.io/safe-to-evict")
				if got != "false" {
					t.Errorf("imports-exports pod annotation safe-to-evict = %v, want \"false\"", got)
				}
				if pool := dig(d.Inputs, "spec", "template", "spec", "nodeSelector", "cutover.dev/pool"); pool != "bulk" {
					t.Errorf("imports-exports runs on pool %v, want bulk", pool)
				}
			}
			if !found {
				t.Fatal("no imports-exports Deployment in the plan")
			}
		})
	}
}

// Every node group's Auto Scaling group (as EKS reports it) carries both discovery tags.
func TestAutoscalerTagsEveryNodeGroupsAutoScalingGroup(t *testing.T) {
	p := planStack(t, "production")
	tags := ofType(p, "aws:autoscaling/tag:Tag")
	groups := map[string]bool{}
	for _, rec := range p.Recorded {
		if rec.Type != "aws:eks/nodeGroup:NodeGroup" {
			continue
		}
		name, _ := dig(rec.State.Mappable(), "resources", 0, "autoscalingGroups", 0, "name").(string)
		if name == "" {
			t.Fatalf("node group %s reports no Auto Scaling group in the plan's state", rec.Name)
		}
		groups[name] = true
	}
	if len(groups) != 2 {
		t.Fatalf("node groups' Auto Scaling groups = %v, want 2", groups)
	}
	for _, pool := range []string{"bulk", "general"} {
		for role, key := range map[string]string{"enabled": "k8s.io/cluster-autoscaler/enabled", "owner": "k8s.io/cluster-autoscaler/cutover-production"} {
			tag, ok := tags[fmt.Sprintf("cluster-autoscaler-asg-tag-%s-%s", pool, role)]
			if !ok {
				t.Fatalf("no %s tag for pool %s", role, pool)
			}
			if g, _ := tag.Inputs["autoscalingGroupName"].(string); !groups[g] {
				t.Errorf("tag %s is on %q, not a node group's Auto Scaling group %v", tag.Name, g, groups)
			}
			if got := dig(tag.Inputs, "tag", "key"); got != key {
				t.Errorf("tag %s key = %v, want %s", tag.Name, got, key)
			}
		}
	}
	if got := p.Outputs["clusterAutoscalerRoleArn"]; got == "" {
		t.Error("clusterAutoscalerRoleArn output is empty with the autoscaler on")
	}
}

// Turning the autoscaler off removes its component and children and nothing else.
func TestAutoscalerOffRemovesOnlyTheAutoscaler(t *testing.T) {
	on := planStack(t, "production")
	off := planStack(t, "production", "cutover:autoscalerEnabled=false")
	d := plan.Diff(on, off)
	if len(d.Created) > 0 {
		t.Errorf("turning the autoscaler off created %v", d.Created)
	}
	for _, urn := range d.Deleted {
		if !strings.Contains(urn, "cutover:autoscaler:ClusterAutoscaler") {
			t.Errorf("turning the autoscaler off deleted %s", urn)
		}
	}
	if len(d.Deleted) != 8 { // component, role, role policy, 4 tags, release
		t.Errorf("deleted %d resources, want 8: %v", len(d.Deleted), d.Deleted)
	}
	if got := off.Outputs["clusterAutoscalerRoleArn"]; got != "" {
		t.Errorf("clusterAutoscalerRoleArn = %v with the autoscaler off, want empty", got)
	}
}

// production-eu peers with three database networks: two in its own account and region (accepted
// here), one across regions (pending); each is routed from every private route table.
func TestProductionEUDatabaseNetworks(t *testing.T) {
	p := planStack(t, "production-eu")
	peerings := ofType(p, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection")
	want := map[string]bool{"postgres-eu": true, "redis-eu": true, "postgres-us": false}
	if len(peerings) != len(want) {
		t.Fatalf("peering connections %d, want %d", len(peerings), len(want))
	}
	for network, auto := range want {
		pcx, ok := peerings["databases-"+network+"-peering"]
		if !ok {
			t.Fatalf("no peering for %s", network)
		}
		if pcx.Inputs["autoAccept"] != auto {
			t.Errorf("%s autoAccept = %v, want %v", network, pcx.Inputs["autoAccept"], auto)
		}
	}
	if got := peerings["databases-postgres-us-peering"].Inputs["peerRegion"]; got != "us-east-1" {
		t.Errorf("postgres-us peerRegion = %v", got)
	}
	routes := 0
	for _, r := range ofType(p, "aws:ec2/route:Route") {
		if r.Inputs["vpcPeeringConnectionId"] != nil {
			routes++
		}
	}
	if routes != 3*3 {
		t.Errorf("peering routes = %d, want 3 networks x 3 AZs", routes)
	}
	out, _ := p.Outputs["databaseRoutes"].([]any)
	if len(out) != 9 {
		t.Errorf("databaseRoutes output has %d entries, want 9", len(out))
	}
	conns, _ := p.Outputs["databasePeeringConnections"].(map[string]any)
	if acc, _ := dig(conns, "postgres-us", "acceptance").(string); !strings.Contains(acc, "must accept it in us-east-1") {
		t.Errorf("postgres-us acceptance = %q", acc)
	}
}

// A database range that overlaps the VPC stops the plan with a config error naming both.
func TestOverlappingDatabaseNetworkIsAConfigError(t *testing.T) {
	_, err := plan.Run(plan.Options{Dir: repoRoot, Stack: "production", SkipPolicies: true, Sets: []string{
		`cutover:databaseNetworks={"pg":{"vpcId":"vpc-0123456789abcdef0","cidr":"10.40.64.0/20","region":"us-east-1","accountId":"123456789012","ports":[5432]}}`,
	}})
	if err == nil || !strings.Contains(err.Error(), `cutover:databaseNetworks.pg.cidr = "10.40.64.0/20": overlaps vpcCidr 10.40.0.0/16`) {
		t.Fatalf("error = %v", err)
	}
}
