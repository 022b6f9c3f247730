package herokusdk

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// newMonitor is the shared recording monitor answering getApp with a fixed UUID and web URL.
func newMonitor() *mockmon.Monitor {
	m := mockmon.New()
	m.Invokes = map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
		GetAppToken: func(args resource.PropertyMap) (resource.PropertyMap, error) {
			return resource.PropertyMap{
				"uuid":   resource.NewStringProperty("00000000-0000-4000-8000-0000000000b2"),
				"name":   args["name"],
				"webUrl": resource.NewStringProperty("https://demo-0123abcd.herokuapp.example/"),
			}, nil
		},
	}
	return m
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
			mon := newMonitor()
			err := mon.Run(tc.build)
			if err == nil {
				t.Fatalf("want error containing %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if names := mon.Sorted().TypedNames(); len(names) != 0 {
				t.Errorf("registered %v despite missing args", names)
			}
		})
	}
}

func TestBindingRegistersRealTokens(t *testing.T) {
	t.Parallel()
	mon := newMonitor()
	err := mon.Run(func(ctx *pulumi.Context) error {
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
	})
	if err != nil {
		t.Fatal(err)
	}
	byName := mon.Sorted().ByName()
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
	if invokes := mon.Invocations(); len(invokes) != 1 || invokes[0].Token != "heroku:app/getApp:getApp" || invokes[0].Args["name"].StringValue() != "demo" {
		t.Errorf("invokes = %+v, want one getApp for demo", invokes)
	}
	sink := byName["sink"].Inputs
	cname := d.State["cname"]
	if !cname.IsString() || !strings.HasSuffix(cname.StringValue(), ".herokudns.example") {
		t.Errorf("domain cname = %v, want the fake herokudns.example target", cname)
	}
	if !sink["cname"].DeepEquals(cname) || sink["web"].StringValue() != "https://demo-0123abcd.herokuapp.example/" {
		t.Errorf("outputs = %v", sink)
	}
}
