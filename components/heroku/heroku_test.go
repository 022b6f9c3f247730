package heroku

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func baseArgs(percent int) HerokuSideArgs {
	return HerokuSideArgs{
		App:      "cutover-api",
		Hostname: "api.cutover.example",
		Formation: map[string]Process{
			"web":    {Size: "performance-m", Quantity: 6},
			"worker": {Size: "standard-2x", Quantity: 4},
		},
		AWSTrafficPercent: percent,
	}
}

// str and num read a string or number property, failing the test otherwise.
var str, num = mockmon.String, mockmon.Int

func keys(m resource.PropertyMap) []string {
	var out []string
	for _, k := range m.StableKeys() {
		out = append(out, string(k))
	}
	return out
}

func TestHerokuSideAtEveryRung(t *testing.T) {
	t.Parallel()
	wantWeb := map[int]int{0: 6, 10: 6, 25: 5, 50: 3, 100: 1}
	for _, p := range rungs {
		t.Run(fmt.Sprintf("percent %d", p), func(t *testing.T) {
			t.Parallel()
			mon := newMonitor(fakeWebURL)
			if err := run(t, mon, baseArgs(p)); err != nil {
				t.Fatal(err)
			}
			rs := mon.Sorted()
			wantNames := []string{"heroku", "heroku-domain", "heroku-formation-web", "heroku-formation-worker", sinkName}
			if names := rs.Names(); !reflect.DeepEqual(names, wantNames) {
				t.Fatalf("registered %v, want %v", names, wantNames)
			}
			got := rs.ByName()
			if c := got["heroku"]; c.Type != "cutover:heroku:HerokuSide" || c.Custom {
				t.Fatalf("component = %s (custom %v), want cutover:heroku:HerokuSide", c.Type, c.Custom)
			}

			domain := got["heroku-domain"]
			if domain.Type != "heroku:domain/domain:Domain" {
				t.Errorf("domain type = %s", domain.Type)
			}
			if k := keys(domain.Inputs); !reflect.DeepEqual(k, []string{"appId", "hostname"}) {
				t.Errorf("domain input names = %v, want [appId hostname]", k)
			}
			if v := str(t, domain.Inputs, "appId"); v != fakeAppUUID {
				t.Errorf("domain appId = %q, want the app's UUID from getApp", v)
			}
			if v := str(t, domain.Inputs, "hostname"); v != "api.cutover.example" {
				t.Errorf("domain hostname = %q", v)
			}

			formations := map[string]struct {
				size     string
				quantity int
			}{
				"web":    {size: "performance-m", quantity: wantWeb[p]},
				"worker": {size: "standard-2x", quantity: 4}, // workers never follow the phase
			}
			for process, want := range formations {
				f := got["heroku-formation-"+process]
				if f.Type != "heroku:formation/formation:Formation" {
					t.Errorf("%s type = %s", f.Name, f.Type)
				}
				if k := keys(f.Inputs); !reflect.DeepEqual(k, []string{"appId", "quantity", "size", "type"}) {
					t.Errorf("%s input names = %v, want [appId quantity size type]", f.Name, k)
				}
				if v := str(t, f.Inputs, "appId"); v != fakeAppUUID {
					t.Errorf("%s appId = %q", f.Name, v)
				}
				if v := str(t, f.Inputs, "type"); v != process {
					t.Errorf("%s type = %q", f.Name, v)
				}
				if v := str(t, f.Inputs, "size"); v != want.size {
					t.Errorf("%s size = %q, want %q", f.Name, v, want.size)
				}
				if v := num(t, f.Inputs, "quantity"); v != want.quantity {
					t.Errorf("percent %d: %s quantity = %d, want %d", p, f.Name, v, want.quantity)
				}
			}

			for _, name := range []string{"heroku-domain", "heroku-formation-web", "heroku-formation-worker"} {
				r := got[name]
				if r.PluginDownloadURL != "github://api.github.com/pulumiverse" {
					t.Errorf("%s pluginDownloadURL = %q", name, r.PluginDownloadURL)
				}
				if r.Version != "1.0.4" {
					t.Errorf("%s version = %q, want 1.0.4", name, r.Version)
				}
				if !strings.HasSuffix(r.Parent, "::cutover:heroku:HerokuSide::heroku") {
					t.Errorf("%s parent = %q, want the component", name, r.Parent)
				}
				if r.DeleteBeforeReplace || r.Protect {
					t.Errorf("%s options: deleteBeforeReplace %v protect %v", name, r.DeleteBeforeReplace, r.Protect)
				}
			}

			if invokes := mon.Invocations(); len(invokes) != 1 || invokes[0].Token != "heroku:app/getApp:getApp" ||
				str(t, invokes[0].Args, "name") != "cutover-api" {
				t.Errorf("invokes = %+v, want one getApp for cutover-api", invokes)
			}

			sink := got[sinkName].Inputs
			cname := str(t, domain.State, "cname")
			if !strings.HasSuffix(cname, ".herokudns.example") {
				t.Errorf("domain cname = %q, want the fake herokudns.example target", cname)
			}
			if v := str(t, sink, "dnsTarget"); v != cname {
				t.Errorf("DNSTarget = %q, want the domain's cname %q", v, cname)
			}
			if v := str(t, sink, "appHost"); v != fakeAppHost {
				t.Errorf("AppHost = %q, want %q", v, fakeAppHost)
			}
			q := sink["quantities"].ObjectValue()
			if num(t, q, "web") != wantWeb[p] || num(t, q, "worker") != 4 || len(q) != 2 {
				t.Errorf("Quantities = %v, want web %d worker 4", q, wantWeb[p])
			}
		})
	}
}

func TestHerokuSideSingleDynoKeepsFloor(t *testing.T) {
	t.Parallel()
	for _, p := range rungs {
		args := baseArgs(p)
		args.Formation = map[string]Process{"web": {Size: "standard-1x", Quantity: 1}}
		mon := newMonitor(fakeWebURL)
		if err := run(t, mon, args); err != nil {
			t.Fatal(err)
		}
		if v := num(t, mon.Sorted().ByName()["heroku-formation-web"].Inputs, "quantity"); v != 1 {
			t.Errorf("percent %d: web quantity = %d, want 1 (floor)", p, v)
		}
	}
}

func TestHerokuSideScaleWithPhaseOff(t *testing.T) {
	t.Parallel()
	off := false
	args := baseArgs(100)
	args.ScaleWithPhase = &off
	mon := newMonitor(fakeWebURL)
	if err := run(t, mon, args); err != nil {
		t.Fatal(err)
	}
	got := mon.Sorted().ByName()
	if v := num(t, got["heroku-formation-web"].Inputs, "quantity"); v != 6 {
		t.Errorf("web quantity = %d, want the reference 6", v)
	}
	if v := num(t, got["heroku-formation-worker"].Inputs, "quantity"); v != 4 {
		t.Errorf("worker quantity = %d, want 4", v)
	}
}

func TestHerokuSideExplicitFloor(t *testing.T) {
	t.Parallel()
	args := baseArgs(100)
	args.MinDynos = 2
	mon := newMonitor(fakeWebURL)
	if err := run(t, mon, args); err != nil {
		t.Fatal(err)
	}
	if v := num(t, mon.Sorted().ByName()["heroku-formation-web"].Inputs, "quantity"); v != 2 {
		t.Errorf("web quantity at 100 = %d, want the floor 2", v)
	}
}

func TestHerokuSideEmptyFormation(t *testing.T) {
	t.Parallel()
	args := baseArgs(50)
	args.Formation = nil
	mon := newMonitor(fakeWebURL)
	if err := run(t, mon, args); err != nil {
		t.Fatal(err)
	}
	rs := mon.Sorted()
	if names := rs.Names(); !reflect.DeepEqual(names, []string{"heroku", "heroku-domain", sinkName}) {
		t.Errorf("registered %v, want only the domain", names)
	}
	if q := rs.ByName()[sinkName].Inputs["quantities"].ObjectValue(); len(q) != 0 {
		t.Errorf("Quantities = %v, want empty", q)
	}
}

func TestHerokuSideAppHostFallback(t *testing.T) {
	t.Parallel()
	mon := newMonitor("")
	if err := run(t, mon, baseArgs(0)); err != nil {
		t.Fatal(err)
	}
	if v := str(t, mon.Sorted().ByName()[sinkName].Inputs, "appHost"); v != "cutover-api.herokuapp.com" {
		t.Errorf("AppHost = %q, want cutover-api.herokuapp.com", v)
	}
}

// TestPhaseChangeOnlyMovesWebQuantity proves MIG-10 for this component: between adjacent
// rungs only the web formation's quantity may differ.
func TestPhaseChangeOnlyMovesWebQuantity(t *testing.T) {
	t.Parallel()
	graphs := map[int]map[string]*mockmon.Recorded{}
	for _, p := range rungs {
		mon := newMonitor(fakeWebURL)
		if err := run(t, mon, baseArgs(p)); err != nil {
			t.Fatal(err)
		}
		graphs[p] = mon.Sorted().ByName()
	}
	for i := 1; i < len(rungs); i++ {
		from, to := graphs[rungs[i-1]], graphs[rungs[i]]
		if len(from) != len(to) {
			t.Fatalf("%d -> %d: %d resources become %d", rungs[i-1], rungs[i], len(from), len(to))
		}
		for name, a := range from {
			if name == sinkName {
				continue
			}
			b, ok := to[name]
			if !ok {
				t.Errorf("%d -> %d: %s disappears", rungs[i-1], rungs[i], name)
				continue
			}
			if a.Type != b.Type || a.Parent != b.Parent || a.Version != b.Version || a.PluginDownloadURL != b.PluginDownloadURL {
				t.Errorf("%d -> %d: %s options change", rungs[i-1], rungs[i], name)
			}
			ai, bi := a.Inputs.Copy(), b.Inputs.Copy()
			if name == "heroku-formation-web" {
				delete(ai, "quantity")
				delete(bi, "quantity")
			}
			if !ai.DeepEquals(bi) {
				t.Errorf("%d -> %d: %s inputs change:\n%v\n%v", rungs[i-1], rungs[i], name, ai, bi)
			}
		}
	}
}

func TestHerokuSideValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *HerokuSideArgs)
		wantErr []string
	}{
		{name: "app missing", mutate: func(a *HerokuSideArgs) { a.App = "" },
			wantErr: []string{`App "" is not a valid Heroku app name`}},
		{name: "app uppercase", mutate: func(a *HerokuSideArgs) { a.App = "Cutover-api" },
			wantErr: []string{`App "Cutover-api" is not a valid Heroku app name: must match ^[a-z][a-z0-9-]{1,29}$`}},
		{name: "app starts with digit", mutate: func(a *HerokuSideArgs) { a.App = "1api" },
			wantErr: []string{`App "1api"`}},
		{name: "app too long", mutate: func(a *HerokuSideArgs) { a.App = "a" + strings.Repeat("b", 30) },
			wantErr: []string{"is not a valid Heroku app name"}},
		{name: "app too short", mutate: func(a *HerokuSideArgs) { a.App = "a" },
			wantErr: []string{`App "a"`}},
		{name: "hostname missing", mutate: func(a *HerokuSideArgs) { a.Hostname = "" },
			wantErr: []string{"Hostname is empty"}},
		{name: "hostname single label", mutate: func(a *HerokuSideArgs) { a.Hostname = "localhost" },
			wantErr: []string{`Hostname "localhost" is not a valid FQDN: it needs at least two labels`}},
		{name: "hostname with underscore", mutate: func(a *HerokuSideArgs) { a.Hostname = "api_v1.cutover.example" },
			wantErr: []string{`label "api_v1"`}},
		{name: "hostname trailing dot", mutate: func(a *HerokuSideArgs) { a.Hostname = "api.cutover.example." },
			wantErr: []string{"without a trailing dot"}},
		{name: "percent negative", mutate: func(a *HerokuSideArgs) { a.AWSTrafficPercent = -10 },
			wantErr: []string{"AWSTrafficPercent -10 is out of range: must be between 0 and 100"}},
		{name: "percent above 100", mutate: func(a *HerokuSideArgs) { a.AWSTrafficPercent = 101 },
			wantErr: []string{"AWSTrafficPercent 101 is out of range"}},
		{name: "negative quantity", mutate: func(a *HerokuSideArgs) { a.Formation["worker"] = Process{Size: "standard-2x", Quantity: -1} },
			wantErr: []string{"Formation[worker].Quantity -1 is negative: must be 0 or more"}},
		{name: "unknown dyno size", mutate: func(a *HerokuSideArgs) { a.Formation["web"] = Process{Size: "hobby", Quantity: 2} },
			wantErr: []string{`Formation[web].Size "hobby" is not a known dyno type: must be one of`, "performance-m", "standard-2x"}},
		{name: "dyno size in the wrong case", mutate: func(a *HerokuSideArgs) { a.Formation["web"] = Process{Size: "Standard-2X", Quantity: 2} },
			wantErr: []string{`Formation[web].Size "Standard-2X" is not a known dyno type`}},
		{name: "empty dyno size", mutate: func(a *HerokuSideArgs) { a.Formation["web"] = Process{Quantity: 2} },
			wantErr: []string{`Formation[web].Size "" is not a known dyno type`}},
		{name: "bad process type", mutate: func(a *HerokuSideArgs) { a.Formation["web worker"] = Process{Size: "standard-1x", Quantity: 1} },
			wantErr: []string{`Formation process "web worker" is not a valid process type`}},
		{name: "negative floor", mutate: func(a *HerokuSideArgs) { a.MinDynos = -1 },
			wantErr: []string{"MinDynos -1 is negative"}},
		{name: "every problem reported at once",
			mutate: func(a *HerokuSideArgs) {
				a.App = "X"
				a.AWSTrafficPercent = 200
				a.Formation["web"] = Process{Size: "giant", Quantity: -3}
			},
			wantErr: []string{`App "X"`, "AWSTrafficPercent 200", "Formation[web].Quantity -3", `Formation[web].Size "giant"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs(25)
			tc.mutate(&args)
			mon := newMonitor(fakeWebURL)
			err := run(t, mon, args)
			if err == nil {
				t.Fatalf("want error containing %q, got none", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if !strings.Contains(err.Error(), `heroku "heroku"`) {
				t.Errorf("error %q does not name the component", err)
			}
			if names := mon.Sorted().Names(); len(names) != 0 {
				t.Errorf("registered %v before validation failed, want nothing", names)
			}
			if invokes := mon.Invocations(); len(invokes) != 0 {
				t.Errorf("invoked %v before validation failed", invokes)
			}
		})
	}
}
