package rules

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckRetainOnDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	assert.Empty(t, CheckRetainOnDelete(f.list()))
	f.get("egress-eip-a").RetainOnDelete = false
	vs := CheckRetainOnDelete(f.list())
	require.Len(t, vs, 1)
	assert.Equal(t, Violation{Policy: PolicyEipRetainOnDelete, Level: LevelMandatory, URN: f.urn("egress-eip-a"),
		Message: vs[0].Message}, vs[0])
	assert.Contains(t, vs[0].Message, `egress Elastic IP "egress-eip-a" is not retainOnDelete`)
}

func TestCheckAllowlist(t *testing.T) {
	t.Parallel()
	committed := []string{"203.0.113.1", "203.0.113.2", "2001:db8::1"}
	cases := []struct {
		name        string
		actual      []string
		wantMissing []string
	}{
		{"unchanged", []string{"203.0.113.1", "203.0.113.2", "2001:db8::1"}, nil},
		{"grown by an AZ", []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::1"}, nil},
		{"other spelling and order", []string{"2001:DB8:0::1", "203.0.113.2", "203.0.113.1/32"}, nil},
		{"shrunk", []string{"203.0.113.1", "2001:db8::1"}, []string{"203.0.113.2"}},
		{"changed", []string{"203.0.113.1", "203.0.113.9", "2001:db8::2"}, []string{"2001:db8::1", "203.0.113.2"}},
		{"emptied", nil, []string{"2001:db8::1", "203.0.113.1", "203.0.113.2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vs := CheckAllowlist(committed, tc.actual)
			require.Len(t, vs, len(tc.wantMissing))
			for i, v := range vs {
				assert.Equal(t, PolicyAllowlist, v.Policy)
				assert.Equal(t, LevelMandatory, v.Level)
				assert.Empty(t, v.URN)
				assert.Contains(t, v.Message, "egress address "+tc.wantMissing[i]+" of the committed allow-list is missing")
			}
		})
	}
}

// phase returns the fixture's resources as the plan of another phase would record them.
func phase(t *testing.T, percent int, mutate func(*fixture)) []Resource {
	f := newFixture(t)
	f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", percent)
	f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 100-percent)
	f.add("", "heroku:formation/formation:Formation", "heroku-formation-web", "web", map[string]any{"appId": "cutover-app", "type": "web", "size": "standard-2x", "quantity": 8 * (100 - percent) / 100})
	if mutate != nil {
		mutate(f)
	}
	return f.list()
}

func TestCheckPhaseDiff(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		after   func(*fixture)
		wantURN []string // fixture names
		wantMsg string
	}{
		{"weights and formation only", nil, nil, ""},
		{"a Deployment changes with the phase", func(f *fixture) { f.set("api-hpa", "spec.minReplicas", 6) },
			[]string{"api-hpa"}, `would change in a phase change, which may only move the record weights and the Heroku formation quantity: spec:`},
		{"a record's TTL changes", func(f *fixture) { f.set("traffic-record-aws", "ttl", 30) },
			[]string{"traffic-record-aws"}, "ttl: 60 -> 30"},
		{"a resource is created", func(f *fixture) {
			f.add("traffic", typeHealthCheck, "traffic-health-extra", "hc-extra", map[string]any{"type": "HTTPS"})
		}, []string{"traffic-health-extra"}, "would be created by a phase change"},
		{"a resource is deleted", func(f *fixture) { f.remove("network-flow-log") },
			[]string{"network-flow-log"}, "would be deleted by a phase change"},
		{"an option changes", func(f *fixture) { f.get("egress-eip-a").Protect = false },
			[]string{"egress-eip-a"}, "protect: true -> false"},
		{"the formation changes size", func(f *fixture) { f.set("heroku-formation-web", "size", "performance-m") },
			[]string{"heroku-formation-web"}, `size: "standard-2x" -> "performance-m"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			before := phase(t, 25, nil)
			after := phase(t, 50, tc.after)
			vs := CheckPhaseDiff(before, after)
			urnByName := map[string]string{}
			for _, r := range append(before, after...) {
				urnByName[r.Name] = r.URN
			}
			var want []string
			for _, n := range tc.wantURN {
				want = append(want, urnByName[n])
			}
			var got []string
			for _, v := range vs {
				assert.Equal(t, PolicyPhaseDiff, v.Policy)
				assert.Equal(t, LevelMandatory, v.Level)
				got = append(got, v.URN)
			}
			assert.Equal(t, want, got)
			if tc.wantMsg != "" && len(vs) > 0 {
				assert.Contains(t, vs[0].Message, tc.wantMsg)
			}
		})
	}
}

func TestChangedKeysTreatsAbsentAsNull(t *testing.T) {
	t.Parallel()
	a := resource.PropertyMap{"x": resource.NewNullProperty(), "y": resource.NewNumberProperty(1)}
	b := resource.PropertyMap{"y": resource.NewNumberProperty(1)}
	assert.Empty(t, changedKeys(a, b))
	b["z"] = resource.NewStringProperty("new")
	assert.Equal(t, []string{"z"}, changedKeys(a, b))
}
