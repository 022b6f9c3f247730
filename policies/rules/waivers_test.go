package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShippedWaiversParse(t *testing.T) {
	t.Parallel()
	ws, err := Waivers()
	require.NoError(t, err)
	require.Len(t, ws, 2, "POLICIES.md names two deliberate waivers")
	assert.Equal(t, "sg-03-egress-restricted", ws[0].Policy)
	assert.Equal(t, "k8s-11-service-cluster-ip", ws[1].Policy)
}

func TestParseWaiversRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml, wantErr string
	}{
		{"unknown policy", "waivers:\n- policy: nope\n  match: {name: x}\n  reason: because\n", `policy "nope" is not a policy of the pack`},
		{"no reason", "waivers:\n- policy: sg-02-descriptions\n  match: {name: x}\n  reason: ' '\n", "reason is empty"},
		{"empty match", "waivers:\n- policy: sg-02-descriptions\n  match: {}\n  reason: because\n", "match is empty"},
		{"typo in a field", "waivers:\n- policy: sg-02-descriptions\n  match: {nmae: x}\n  reason: because\n", `unknown field "nmae"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseWaivers([]byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestWaiverMatching(t *testing.T) {
	t.Parallel()
	ws, err := Waivers()
	require.NoError(t, err)
	sc := StackConfig{PublicService: "api"}
	svcParent := urnOf("test", "", "cutover:service:Service", "svc-api")
	workerParent := urnOf("test", "", "cutover:service:Service", "svc-worker")
	workersParent := urnOf("test", "", "cutover:workers:Workers", "workers")
	networkParent := urnOf("test", "", "cutover:network:Network", "network")
	cases := []struct {
		name   string
		sc     StackConfig
		policy string
		s      subject
		want   bool
	}{
		{"API LoadBalancer service", sc, pK8S11, subjectOf("", typeService, "api-service", svcParent), true},
		{"another service's LoadBalancer", sc, pK8S11, subjectOf("", typeService, "worker-service", workerParent), false},
		{"API service unknown without config", StackConfig{}, pK8S11, subjectOf("", typeService, "api-service", svcParent), false},
		{"worker security group egress", sc, pSG03, subjectOf("", typeSecurityGroup, "workers-node-sg", workersParent), true},
		{"worker egress rule resource", sc, pSG03, subjectOf("", typeSGEgressRule, "workers-egress", workersParent), true},
		{"network security group egress", sc, pSG03, subjectOf("", typeSecurityGroup, "network-sg", networkParent), false},
		{"other policy on the worker group", sc, pSG01, subjectOf("", typeSecurityGroup, "workers-node-sg", workersParent), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, waiverFor(ws, tc.sc, tc.policy, tc.s) != nil)
		})
	}
}

func TestGlob(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"cutover:workers:*", "cutover:workers:Workers", true},
		{"aws:*/securityGroup:*", "aws:ec2/securityGroup:SecurityGroup", true},
		{"aws:*/securityGroup:*", "aws:ec2/securityGroupRule:SecurityGroupRule", false},
		{"*-sg", "workers-node-sg", true},
		{"a*b*a", "aba", true},
		{"a*b*a", "ab", false},
		{"exact", "exact", true},
		{"exact", "", false},
		{"{publicService}", "api", true},
		{"{publicService}-*", "api-service", true},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, glob(tc.pattern, tc.s, StackConfig{PublicService: "api"}), "%q ~ %q", tc.pattern, tc.s)
	}
}
