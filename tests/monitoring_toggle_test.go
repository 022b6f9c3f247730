package tests

import (
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
)

// Switching monitoring off deletes the monitoring component and its children and nothing else;
// no other resource changes.
func TestMonitoringOffRemovesOnlyMonitoring(t *testing.T) {
	for _, stack := range stacks(t) {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			on := planStack(t, stack, plan.Options{SkipPolicies: true})
			off := planStack(t, stack, plan.Options{SkipPolicies: true, Sets: []string{"cutover:monitoringEnabled=false"}})
			d := plan.Diff(on, off)
			if len(d.Created) > 0 || len(d.Changed) > 0 {
				t.Fatalf("turning monitoring off created %v and changed %+v", d.Created, d.Changed)
			}
			if len(d.Deleted) < 4 {
				t.Fatalf("only %d resources deleted: %v", len(d.Deleted), d.Deleted)
			}
			for _, urn := range d.Deleted {
				if !strings.Contains(urn, "cutover:monitoring:Monitoring") {
					t.Errorf("deleted %s, which is not part of monitoring", urn)
				}
			}
			for _, ch := range d.Outputs {
				if ch.Path != "grafanaService" && ch.Path != "prometheusService" {
					t.Errorf("output %s changed", ch.Path)
				}
			}
		})
	}
}
