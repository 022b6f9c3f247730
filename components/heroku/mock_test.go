package heroku

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	fakeAppUUID = "00000000-0000-4000-8000-0000000000a1"
	fakeWebURL  = "https://cutover-api-0123abcd.herokuapp.example/"
	fakeAppHost = "cutover-api-0123abcd.herokuapp.example"
)

// newMonitor is the shared recording monitor answering getApp with a fixed app UUID and the given
// web URL ("" to test the fallback host).
func newMonitor(webURL string) *mockmon.Monitor {
	m := mockmon.New()
	m.Invokes = map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
		"heroku:app/getApp:getApp": func(args resource.PropertyMap) (resource.PropertyMap, error) {
			name := args["name"].StringValue()
			return resource.PropertyMap{
				"id":             resource.NewStringProperty(fakeAppUUID),
				"name":           resource.NewStringProperty(name),
				"uuid":           resource.NewStringProperty(fakeAppUUID),
				"webUrl":         resource.NewStringProperty(webURL),
				"herokuHostname": resource.NewStringProperty(name + ".herokuapp.com"),
			}, nil
		},
	}
	return m
}

// sinkName is a test-only resource whose inputs are the component's outputs, so their
// resolved values land in the recorded graph and are asserted after the run returns.
const sinkName = "outputs-sink"

// run builds a HerokuSide named "heroku" under mon and returns the run's error.
func run(t *testing.T, mon *mockmon.Monitor, args HerokuSideArgs) error {
	t.Helper()
	return mon.Run(func(ctx *pulumi.Context) error {
		c, err := NewHerokuSide(ctx, "heroku", &args)
		if err != nil {
			return err
		}
		var sink pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Sink", sinkName, pulumi.Map{
			"dnsTarget":  c.DNSTarget,
			"appHost":    c.AppHost,
			"quantities": c.Quantities,
		}, &sink)
	})
}
