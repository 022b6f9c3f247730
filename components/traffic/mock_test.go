package traffic

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// sinkName is a test-only resource whose inputs are the component's outputs, so their
// resolved values land in the recorded graph and are asserted after the run returns.
const sinkName = "outputs-sink"

// run builds a Traffic named "api" under the shared recording monitor and returns the recorded
// graph and the run's error.
func run(t *testing.T, args TrafficArgs) (mockmon.Records, error) {
	t.Helper()
	mon := mockmon.New()
	err := mon.Run(func(ctx *pulumi.Context) error {
		c, err := NewTraffic(ctx, "api", &args)
		if err != nil {
			return err
		}
		var sink pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Sink", sinkName, pulumi.Map{
			"awsWeight":      c.AWSWeight,
			"herokuWeight":   c.HerokuWeight,
			"healthCheckIds": c.HealthCheckIDs,
		}, &sink)
	})
	return mon.Sorted(), err
}
