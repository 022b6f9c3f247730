package traffic

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	testZone       = "Z0123456789EXAMPLE"
	testHostname   = "api.cutover.example"
	testAWSHost    = "api-lb-0123456789.elb.us-east-1.amazonaws.example"
	testHerokuDNS  = "shallow-river-0123.herokudns.example"
	testHerokuHost = "cutover-api.herokuapp.example"
)

var rungs = []int{0, 10, 25, 50, 100}

// baseArgs leaves every defaulted field at its zero value so the defaults are exercised too.
func baseArgs(percent int) TrafficArgs {
	return TrafficArgs{
		ZoneID:           testZone,
		Hostname:         testHostname,
		Percent:          percent,
		AWSTarget:        pulumi.String(testAWSHost),
		HerokuTarget:     pulumi.String(testHerokuDNS),
		HerokuHealthHost: pulumi.String(testHerokuHost),
	}
}

// str, num and boolean read a property of that kind, failing the test otherwise.
var str, num, boolean = mockmon.String, mockmon.Int, mockmon.Bool

func recordWeight(t *testing.T, rec *mockmon.Recorded) int {
	t.Helper()
	policies := rec.Inputs["weightedRoutingPolicies"]
	if !policies.IsArray() || len(policies.ArrayValue()) != 1 {
		t.Fatalf("%s weightedRoutingPolicies = %v, want exactly one policy", rec.Name, policies)
	}
	return num(t, policies.ArrayValue()[0].ObjectValue(), "weight")
}

func TestTrafficAtEveryRung(t *testing.T) {
	t.Parallel()
	for _, p := range rungs {
		t.Run(fmt.Sprintf("percent %d", p), func(t *testing.T) {
			t.Parallel()
			rec, err := run(t, baseArgs(p))
			if err != nil {
				t.Fatalf("percent %d: %v", p, err)
			}
			got := rec.ByName()
			wantNames := []string{"api", "api-hc-aws", "api-hc-heroku", "api-record-aws", "api-record-heroku", sinkName}
			if names := rec.Names(); !reflect.DeepEqual(names, wantNames) {
				t.Fatalf("percent %d: registered %v, want %v", p, names, wantNames)
			}
			component := got["api"]
			if component.Type != "cutover:traffic:Traffic" || component.Custom {
				t.Fatalf("component = %s (custom %v), want cutover:traffic:Traffic component", component.Type, component.Custom)
			}

			sides := []struct {
				side, target, probe string
				weight              int
			}{
				{side: "aws", target: testAWSHost, probe: testAWSHost, weight: p},
				{side: "heroku", target: testHerokuDNS, probe: testHerokuHost, weight: 100 - p},
			}
			for _, s := range sides {
				hc := got["api-hc-"+s.side]
				if hc.Type != "aws:route53/healthCheck:HealthCheck" {
					t.Errorf("%s type = %s", hc.Name, hc.Type)
				}
				if v := str(t, hc.Inputs, "type"); v != "HTTPS" {
					t.Errorf("%s type = %q, want HTTPS", hc.Name, v)
				}
				if v := num(t, hc.Inputs, "port"); v != 443 {
					t.Errorf("%s port = %d, want 443", hc.Name, v)
				}
				if !boolean(t, hc.Inputs, "enableSni") {
					t.Errorf("%s enableSni = false, want true", hc.Name)
				}
				if v := str(t, hc.Inputs, "resourcePath"); v != "/health" {
					t.Errorf("%s resourcePath = %q, want default /health", hc.Name, v)
				}
				if v := num(t, hc.Inputs, "failureThreshold"); v != 3 {
					t.Errorf("%s failureThreshold = %d, want default 3", hc.Name, v)
				}
				if v := num(t, hc.Inputs, "requestInterval"); v != 30 {
					t.Errorf("%s requestInterval = %d, want default 30", hc.Name, v)
				}
				if v := str(t, hc.Inputs, "fqdn"); v != s.probe {
					t.Errorf("%s fqdn = %q, want the side's own host %q", hc.Name, v, s.probe)
				}
				if v := str(t, hc.Inputs, "fqdn"); v == testHostname {
					t.Errorf("%s probes the weighted name %q", hc.Name, v)
				}
				tags := hc.Inputs["tags"].ObjectValue()
				if v := str(t, tags, "Name"); v != testHostname+" "+s.side {
					t.Errorf("%s tag Name = %q", hc.Name, v)
				}
				if v := str(t, tags, "cutover:side"); v != s.side {
					t.Errorf("%s tag cutover:side = %q", hc.Name, v)
				}

				r := got["api-record-"+s.side]
				if r.Type != "aws:route53/record:Record" {
					t.Errorf("%s type = %s", r.Name, r.Type)
				}
				if v := str(t, r.Inputs, "type"); v != "CNAME" {
					t.Errorf("%s record type = %q, want CNAME", r.Name, v)
				}
				if v := str(t, r.Inputs, "name"); v != testHostname {
					t.Errorf("%s name = %q", r.Name, v)
				}
				if v := str(t, r.Inputs, "zoneId"); v != testZone {
					t.Errorf("%s zoneId = %q", r.Name, v)
				}
				if v := num(t, r.Inputs, "ttl"); v != 60 {
					t.Errorf("%s ttl = %d, want default 60", r.Name, v)
				}
				if v := str(t, r.Inputs, "setIdentifier"); v != s.side {
					t.Errorf("%s setIdentifier = %q, want %q", r.Name, v, s.side)
				}
				records := r.Inputs["records"].ArrayValue()
				if len(records) != 1 || records[0].StringValue() != s.target {
					t.Errorf("%s records = %v, want [%s]", r.Name, records, s.target)
				}
				if w := recordWeight(t, r); w != s.weight {
					t.Errorf("percent %d: %s weight = %d, want %d", p, r.Name, w, s.weight)
				}
				if v := str(t, r.Inputs, "healthCheckId"); v != hc.ID {
					t.Errorf("%s healthCheckId = %q, want its own side's check %s (%s)", r.Name, v, hc.Name, hc.ID)
				}
				for _, child := range []*mockmon.Recorded{hc, r} {
					if !strings.HasSuffix(child.Parent, "::cutover:traffic:Traffic::api") {
						t.Errorf("%s parent = %q, want the component", child.Name, child.Parent)
					}
					if child.DeleteBeforeReplace {
						t.Errorf("%s has deleteBeforeReplace (MIG-09)", child.Name)
					}
				}
			}
			if w := recordWeight(t, got["api-record-aws"]) + recordWeight(t, got["api-record-heroku"]); w != 100 {
				t.Errorf("percent %d: weights sum to %d, want 100", p, w)
			}

			sink := got[sinkName].Inputs
			if v := num(t, sink, "awsWeight"); v != p {
				t.Errorf("AWSWeight = %d, want %d", v, p)
			}
			if v := num(t, sink, "herokuWeight"); v != 100-p {
				t.Errorf("HerokuWeight = %d, want %d", v, 100-p)
			}
			ids := sink["healthCheckIds"].ObjectValue()
			awsCheck, herokuCheck := got["api-hc-aws"].ID, got["api-hc-heroku"].ID
			if awsCheck == herokuCheck {
				t.Fatalf("both health checks have ID %q", awsCheck)
			}
			if len(ids) != 2 || str(t, ids, "aws") != awsCheck || str(t, ids, "heroku") != herokuCheck {
				t.Errorf("HealthCheckIDs = %v, want aws %s and heroku %s", ids, awsCheck, herokuCheck)
			}
		})
	}
}

func TestTrafficExplicitSettings(t *testing.T) {
	t.Parallel()
	args := baseArgs(100)
	args.TTL = 300
	args.HealthCheckPath = "/healthz"
	args.RequestInterval = 10
	args.FailureThreshold = 2
	rec, err := run(t, args)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.ByName()
	for _, side := range []string{"aws", "heroku"} {
		hc := got["api-hc-"+side].Inputs
		if str(t, hc, "resourcePath") != "/healthz" || num(t, hc, "requestInterval") != 10 || num(t, hc, "failureThreshold") != 2 {
			t.Errorf("%s health check = %v, want /healthz, 10 s, threshold 2", side, hc)
		}
		if v := num(t, got["api-record-"+side].Inputs, "ttl"); v != 300 {
			t.Errorf("%s ttl = %d, want 300 (allowed at 100)", side, v)
		}
	}
	if w := recordWeight(t, got["api-record-heroku"]); w != 0 {
		t.Errorf("heroku weight at 100 = %d, want 0: it stays as the failback member (MIG-06)", w)
	}
}

func TestTrafficDecommissioned(t *testing.T) {
	t.Parallel()
	args := baseArgs(100)
	args.HerokuDecommissioned = true
	args.HerokuTarget = nil
	args.HerokuHealthHost = nil
	rec, err := run(t, args)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"api", "api-hc-aws", "api-record-aws", sinkName}
	if names := rec.Names(); !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("registered %v, want only the aws member %v", names, wantNames)
	}
	got := rec.ByName()
	awsCheck := got["api-hc-aws"].ID
	r := got["api-record-aws"]
	if v := str(t, r.Inputs, "setIdentifier"); v != "aws" {
		t.Errorf("setIdentifier = %q, want aws (still a weighted member)", v)
	}
	if w := recordWeight(t, r); w != 100 {
		t.Errorf("weight = %d, want 100 in a one-member weighted set", w)
	}
	if v := str(t, r.Inputs, "healthCheckId"); v != awsCheck {
		t.Errorf("healthCheckId = %q, want %s", v, awsCheck)
	}
	sink := got[sinkName].Inputs
	ids := sink["healthCheckIds"].ObjectValue()
	if _, ok := ids["heroku"]; ok || len(ids) != 1 || str(t, ids, "aws") != awsCheck {
		t.Errorf("HealthCheckIDs = %v, want only aws", ids)
	}
	if v := num(t, sink, "herokuWeight"); v != 0 {
		t.Errorf("HerokuWeight = %d, want 0", v)
	}
	if v := num(t, sink, "awsWeight"); v != 100 {
		t.Errorf("AWSWeight = %d, want 100", v)
	}

	// Decommissioning must not touch the aws member: same names, same inputs as at 100.
	before, err := run(t, baseArgs(100))
	if err != nil {
		t.Fatal(err)
	}
	prev := before.ByName()
	for _, name := range []string{"api-hc-aws", "api-record-aws"} {
		if !prev[name].Inputs.DeepEquals(got[name].Inputs) {
			t.Errorf("%s inputs changed by decommission:\nbefore %v\nafter  %v", name, prev[name].Inputs, got[name].Inputs)
		}
	}
}

// TestPhaseChangeOnlyMovesWeights proves MIG-10 for this component: between every pair of
// adjacent rungs the same resources exist with the same options, and the only differing input
// is the records' weightedRoutingPolicies.
func TestPhaseChangeOnlyMovesWeights(t *testing.T) {
	t.Parallel()
	graphs := make(map[int]map[string]*mockmon.Recorded, len(rungs))
	for _, p := range rungs {
		rec, err := run(t, baseArgs(p))
		if err != nil {
			t.Fatalf("percent %d: %v", p, err)
		}
		graphs[p] = rec.ByName()
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
			if a.Type != b.Type || a.Parent != b.Parent || a.Protect != b.Protect ||
				a.DeleteBeforeReplace != b.DeleteBeforeReplace || !reflect.DeepEqual(a.Dependencies, b.Dependencies) {
				t.Errorf("%d -> %d: %s options change", rungs[i-1], rungs[i], name)
			}
			ai, bi := a.Inputs.Copy(), b.Inputs.Copy()
			if a.Type == "aws:route53/record:Record" {
				if ai["weightedRoutingPolicies"].DeepEquals(bi["weightedRoutingPolicies"]) {
					t.Errorf("%d -> %d: %s weight did not change", rungs[i-1], rungs[i], name)
				}
				delete(ai, "weightedRoutingPolicies")
				delete(bi, "weightedRoutingPolicies")
			}
			if !ai.DeepEquals(bi) {
				t.Errorf("%d -> %d: %s inputs other than the weight change:\n%v\n%v", rungs[i-1], rungs[i], name, ai, bi)
			}
		}
	}
}

func TestTrafficValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *TrafficArgs)
		wantErr []string
	}{
		{name: "percent below 0", mutate: func(a *TrafficArgs) { a.Percent = -5 },
			wantErr: []string{"Percent: awsTrafficPercent -5 is out of range"}},
		{name: "percent above 100", mutate: func(a *TrafficArgs) { a.Percent = 150 },
			wantErr: []string{"awsTrafficPercent 150 is out of range: must be between 0 and 100"}},
		{name: "ttl above 60 while split", mutate: func(a *TrafficArgs) { a.Percent = 50; a.TTL = 61 },
			wantErr: []string{"TTL 61 is not allowed at awsTrafficPercent 50: must be between 1 and 60"}},
		{name: "ttl above 60 at 0", mutate: func(a *TrafficArgs) { a.Percent = 0; a.TTL = 300 },
			wantErr: []string{"TTL 300 is not allowed at awsTrafficPercent 0"}},
		{name: "negative ttl", mutate: func(a *TrafficArgs) { a.TTL = -1 },
			wantErr: []string{"TTL -1 is not allowed"}},
		{name: "ttl beyond route53 max at 100", mutate: func(a *TrafficArgs) { a.Percent = 100; a.TTL = 86401 },
			wantErr: []string{"TTL 86401 is out of range: must be between 1 and 86400"}},
		{name: "decommission below 100", mutate: func(a *TrafficArgs) { a.Percent = 50; a.HerokuDecommissioned = true },
			wantErr: []string{"HerokuDecommissioned is true at awsTrafficPercent 50: Heroku can only be decommissioned at 100"}},
		{name: "interval 20", mutate: func(a *TrafficArgs) { a.RequestInterval = 20 },
			wantErr: []string{"RequestInterval 20 is not allowed: Route53 accepts 10 or 30"}},
		{name: "threshold 4", mutate: func(a *TrafficArgs) { a.FailureThreshold = 4 },
			wantErr: []string{"FailureThreshold 4 is not allowed: must be between 1 and 3"}},
		{name: "threshold negative", mutate: func(a *TrafficArgs) { a.FailureThreshold = -1 },
			wantErr: []string{"FailureThreshold -1 is not allowed"}},
		{name: "path without slash", mutate: func(a *TrafficArgs) { a.HealthCheckPath = "health" },
			wantErr: []string{`HealthCheckPath "health" is not a valid path: must start with "/"`}},
		{name: "path too long", mutate: func(a *TrafficArgs) { a.HealthCheckPath = "/" + strings.Repeat("a", 255) },
			wantErr: []string{"at most 255 characters"}},
		{name: "zone apex", mutate: func(a *TrafficArgs) { a.Hostname = "cutover.example" },
			wantErr: []string{`Hostname "cutover.example" has only 2 labels`, "cannot sit at a zone apex"}},
		{name: "hostname uppercase", mutate: func(a *TrafficArgs) { a.Hostname = "API.cutover.example" },
			wantErr: []string{`Hostname "API.cutover.example" is not a valid FQDN: label "API"`}},
		{name: "hostname trailing dot", mutate: func(a *TrafficArgs) { a.Hostname = "api.cutover.example." },
			wantErr: []string{"without a trailing dot"}},
		{name: "hostname empty label", mutate: func(a *TrafficArgs) { a.Hostname = "api..example" },
			wantErr: []string{`label ""`}},
		{name: "hostname hyphen edge", mutate: func(a *TrafficArgs) { a.Hostname = "-api.cutover.example" },
			wantErr: []string{`label "-api"`}},
		{name: "hostname missing", mutate: func(a *TrafficArgs) { a.Hostname = "" },
			wantErr: []string{"Hostname is empty"}},
		{name: "zone missing", mutate: func(a *TrafficArgs) { a.ZoneID = "" },
			wantErr: []string{"ZoneID is empty"}},
		{name: "aws target missing", mutate: func(a *TrafficArgs) { a.AWSTarget = nil },
			wantErr: []string{"AWSTarget is nil"}},
		{name: "heroku targets missing before decommission", mutate: func(a *TrafficArgs) { a.HerokuTarget = nil; a.HerokuHealthHost = nil },
			wantErr: []string{"HerokuTarget is nil", "HerokuHealthHost is nil"}},
		{name: "every problem reported at once",
			mutate:  func(a *TrafficArgs) { a.Percent = 50; a.TTL = 120; a.RequestInterval = 15; a.HealthCheckPath = "x" },
			wantErr: []string{"TTL 120", "RequestInterval 15", `HealthCheckPath "x"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs(25)
			tc.mutate(&args)
			rec, err := run(t, args)
			if err == nil {
				t.Fatalf("want error containing %q, got none", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if !strings.Contains(err.Error(), `traffic "api"`) {
				t.Errorf("error %q does not name the component", err)
			}
			if names := rec.Names(); len(names) != 0 {
				t.Errorf("registered %v before validation failed, want nothing", names)
			}
		})
	}
}

func TestNewTrafficNilArgs(t *testing.T) {
	t.Parallel()
	err := mockmon.New().Run(func(ctx *pulumi.Context) error {
		_, err := NewTraffic(ctx, "api", nil)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "args are required") {
		t.Fatalf("err = %v, want args are required", err)
	}
}
