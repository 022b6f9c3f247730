package workers

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// newMonitor is the shared recording monitor with fakes chosen so that a component echoing the
// wrong value fails: a launch template at version 3 (not the 1 a hard-coded version would give),
// and a node group whose EKS name and Auto Scaling group differ from its logical name.
func newMonitor() *mockmon.Monitor {
	m := mockmon.New()
	m.Outputs = map[string]func(mockmon.Recorded) resource.PropertyMap{
		typeLT: func(mockmon.Recorded) resource.PropertyMap {
			return resource.PropertyMap{"latestVersion": resource.NewProperty(float64(3))}
		},
		typeNodeGroup: func(r mockmon.Recorded) resource.PropertyMap {
			return resource.PropertyMap{
				"nodeGroupName": resource.NewProperty(r.Name + "-fake"),
				"resources": resource.NewPropertyValue([]any{map[string]any{
					"autoscalingGroups": []any{map[string]any{"name": "eks-" + r.Name + "-fake-asg"}},
				}}),
			}
		},
	}
	return m
}
