package program

import (
	"fmt"
	"math"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const guardTimeout = 2 * time.Minute

// DeployedPercent reads the awsTrafficPercent this stack last exported, through a StackReference
// to the stack itself. It returns nil on a stack that has never exported one (a new stack).
//
// The value is awaited before any resource is registered, so a refused move registers nothing.
func DeployedPercent(ctx *pulumi.Context) (*int, error) {
	self := fmt.Sprintf("%s/%s/%s", ctx.Organization(), ctx.Project(), ctx.Stack())
	ref, err := pulumi.NewStackReference(ctx, "self", &pulumi.StackReferenceArgs{Name: pulumi.String(self)})
	if err != nil {
		return nil, fmt.Errorf("phase guard: read own stack %s: %w", self, err)
	}
	type result struct {
		value any
		known bool
	}
	got := make(chan result, 1)
	ref.GetOutput(pulumi.String(OutAWSTrafficPercent)).ApplyT(func(v any) any {
		got <- result{value: v, known: true}
		return nil
	})
	// A stack reference's outputs are known even in preview; the timeout turns a value that never
	// resolves (an engine fault) into an error instead of a hung deployment.
	select {
	case r := <-got:
		return percentFromOutput(r.value)
	case <-ctx.Context().Done():
		return nil, fmt.Errorf("phase guard: %w", ctx.Context().Err())
	case <-time.After(guardTimeout):
		return nil, fmt.Errorf("phase guard: the deployed awsTrafficPercent of %s did not resolve within %s", self, guardTimeout)
	}
}

// percentFromOutput turns a stack output value into a percent; outputs arrive as float64.
func percentFromOutput(v any) (*int, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		if x != math.Trunc(x) {
			return nil, fmt.Errorf("phase guard: deployed awsTrafficPercent %v is not a whole number", x)
		}
		n := int(x)
		return &n, nil
	case int:
		return &x, nil
	default:
		return nil, fmt.Errorf("phase guard: deployed awsTrafficPercent has unexpected type %T (%v)", v, v)
	}
}
