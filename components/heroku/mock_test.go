package heroku

import (
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	fakeAppUUID  = "00000000-0000-4000-8000-0000000000a1"
	fakeWebURL   = "https://cutover-api-0123abcd.herokuapp.example/"
	fakeAppHost  = "cutover-api-0123abcd.herokuapp.example"
	fakeDNSCname = "shallow-river-0123.herokudns.example"
)

// registration is one resource as the mock monitor saw it.
type registration struct {
	Type                string
	Name                string
	Custom              bool
	Inputs              resource.PropertyMap
	Parent              string
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	Dependencies        []string
	PluginDownloadURL   string
	Version             string
}

type invocation struct {
	Token string
	Args  resource.PropertyMap
}

// recorder is a pulumi.MockResourceMonitor that remembers every registration and invoke.
// It answers getApp with a fake UUID and web URL (webURL, empty to test the fallback) and
// gives every Domain a fake herokudns.example target.
type recorder struct {
	webURL string

	mu      sync.Mutex
	regs    []registration
	invokes []invocation
}

func newRecorder() *recorder { return &recorder{webURL: fakeWebURL} }

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	reg := registration{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.Parent = rpc.GetParent()
		reg.Protect = rpc.GetProtect()
		reg.RetainOnDelete = rpc.GetRetainOnDelete()
		reg.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		reg.IgnoreChanges = rpc.GetIgnoreChanges()
		reg.Dependencies = rpc.GetDependencies()
		reg.PluginDownloadURL = rpc.GetPluginDownloadURL()
		reg.Version = rpc.GetVersion()
	}
	r.mu.Lock()
	r.regs = append(r.regs, reg)
	r.mu.Unlock()

	outputs := args.Inputs.Copy()
	if args.TypeToken == "heroku:domain/domain:Domain" {
		outputs["cname"] = resource.NewStringProperty(fakeDNSCname)
	}
	return "fake-" + args.Name, outputs, nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, invocation{Token: args.Token, Args: args.Args})
	r.mu.Unlock()
	if args.Token != "heroku:app/getApp:getApp" {
		return resource.PropertyMap{}, nil
	}
	name := args.Args["name"].StringValue()
	return resource.PropertyMap{
		"id":             resource.NewStringProperty(fakeAppUUID),
		"name":           resource.NewStringProperty(name),
		"uuid":           resource.NewStringProperty(fakeAppUUID),
		"webUrl":         resource.NewStringProperty(r.webURL),
		"herokuHostname": resource.NewStringProperty(name + ".herokuapp.com"),
	}, nil
}

func (r *recorder) byName() map[string]registration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]registration, len(r.regs))
	for _, reg := range r.regs {
		out[reg.Name] = reg
	}
	return out
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, reg := range r.regs {
		out = append(out, reg.Name)
	}
	sort.Strings(out)
	return out
}

// sinkName is a test-only resource whose inputs are the component's outputs, so their
// resolved values land in the recorded graph and are asserted after the run returns.
const sinkName = "outputs-sink"

// run builds a HerokuSide named "heroku" under rec and returns the run's error.
func run(t *testing.T, rec *recorder, args HerokuSideArgs) error {
	t.Helper()
	return pulumi.RunErr(func(ctx *pulumi.Context) error {
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
	}, pulumi.WithMocks("cutover", "test", rec))
}
