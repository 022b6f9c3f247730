package herokusdk

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type registration struct {
	Type, Name, PluginDownloadURL, Version string
	Inputs                                 resource.PropertyMap
}

// recorder is a minimal recording mock monitor for the binding's own tests.
type recorder struct {
	mu      sync.Mutex
	regs    []registration
	invokes []pulumi.MockCallArgs
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	reg := registration{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.PluginDownloadURL = rpc.GetPluginDownloadURL()
		reg.Version = rpc.GetVersion()
	}
	r.mu.Lock()
	r.regs = append(r.regs, reg)
	r.mu.Unlock()
	out := args.Inputs.Copy()
	if args.TypeToken == DomainType {
		out["cname"] = resource.NewStringProperty("example-0123.herokudns.example")
	}
	return "fake-" + args.Name, out, nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, args)
	r.mu.Unlock()
	return resource.PropertyMap{
		"uuid":   resource.NewStringProperty("00000000-0000-4000-8000-0000000000b2"),
		"name":   args.Args["name"],
		"webUrl": resource.NewStringProperty("https://demo-0123abcd.herokuapp.example/"),
	}, nil
}

func TestRequiredArgs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		build   func(ctx *pulumi.Context) error
		wantErr []string
	}{
		{name: "domain nil args", wantErr: []string{"Domain args are required"},
			build: func(ctx *pulumi.Context) error { _, err := NewDomain(ctx, "d", nil); return err }},
		{name: "domain without app", wantErr: []string{"Domain AppId is required"},
			build: func(ctx *pulumi.Context) error {
				_, err := NewDomain(ctx, "d", &DomainArgs{Hostname: pulumi.String("api.demo.example")})
				return err
			}},
		{name: "domain without hostname", wantErr: []string{"Domain Hostname is required"},
			build: func(ctx *pulumi.Context) error {
				_, err := NewDomain(ctx, "d", &DomainArgs{AppId: pulumi.String("x")})
				return err
			}},
		{name: "formation nil args", wantErr: []string{"Formation args are required"},
			build: func(ctx *pulumi.Context) error { _, err := NewFormation(ctx, "f", nil); return err }},
		{name: "formation missing every field", wantErr: []string{"AppId is required", "Quantity is required", "Size is required", "Type is required"},
			build: func(ctx *pulumi.Context) error { _, err := NewFormation(ctx, "f", &FormationArgs{}); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			err := pulumi.RunErr(tc.build, pulumi.WithMocks("cutover", "test", rec))
			if err == nil {
				t.Fatalf("want error containing %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if len(rec.regs) != 0 {
				t.Errorf("registered %v despite missing args", rec.regs)
			}
		})
	}
}

func TestBindingRegistersRealTokens(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		app := LookupAppOutput(ctx, LookupAppOutputArgs{Name: pulumi.String("demo")})
		d, err := NewDomain(ctx, "d", &DomainArgs{AppId: app.Uuid(), Hostname: pulumi.String("api.demo.example")})
		if err != nil {
			return err
		}
		_, err = NewFormation(ctx, "f", &FormationArgs{
			AppId: app.Uuid(), Type: pulumi.String("web"), Size: pulumi.String("standard-2x"), Quantity: pulumi.Int(2),
		}, pulumi.Version("9.9.9")) // a caller's option wins over the default
		if err != nil {
			return err
		}
		var sink pulumi.CustomResourceState
		return ctx.RegisterResource("test:index:Sink", "sink", pulumi.Map{"cname": d.Cname, "web": app.WebUrl()}, &sink)
	}, pulumi.WithMocks("cutover", "test", rec))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]registration{}
	for _, r := range rec.regs {
		byName[r.Name] = r
	}
	d, f := byName["d"], byName["f"]
	if d.Type != "heroku:domain/domain:Domain" || f.Type != "heroku:formation/formation:Formation" {
		t.Errorf("types = %s, %s", d.Type, f.Type)
	}
	if d.Version != "1.0.4" || d.PluginDownloadURL != "github://api.github.com/pulumiverse" {
		t.Errorf("domain version %q url %q", d.Version, d.PluginDownloadURL)
	}
	if f.Version != "9.9.9" || f.PluginDownloadURL != "github://api.github.com/pulumiverse" {
		t.Errorf("formation version %q url %q, want the caller's 9.9.9 and the default URL", f.Version, f.PluginDownloadURL)
	}
	if v := d.Inputs["appId"].StringValue(); v != "00000000-0000-4000-8000-0000000000b2" {
		t.Errorf("domain appId = %q, want the looked-up UUID", v)
	}
	if v := f.Inputs["quantity"].NumberValue(); v != 2 {
		t.Errorf("formation quantity = %v", v)
	}
	if len(rec.invokes) != 1 || rec.invokes[0].Token != "heroku:app/getApp:getApp" || rec.invokes[0].Args["name"].StringValue() != "demo" {
		t.Errorf("invokes = %+v, want one getApp for demo", rec.invokes)
	}
	sink := byName["sink"].Inputs
	if sink["cname"].StringValue() != "example-0123.herokudns.example" || sink["web"].StringValue() != "https://demo-0123abcd.herokuapp.example/" {
		t.Errorf("outputs = %v", sink)
	}
}
