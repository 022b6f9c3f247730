package autoscaler

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	typeRole       = "aws:iam/role:Role"
	typeRolePolicy = "aws:iam/rolePolicy:RolePolicy"
	typeTag        = "aws:autoscaling/tag:Tag"
	typeRelease    = "kubernetes:helm.sh/v3:Release"
)

func baseArgs() *ClusterAutoscalerArgs {
	return &ClusterAutoscalerArgs{
		ClusterName:       pulumi.String("cutover-production"),
		OIDCProviderARN:   pulumi.String(testOIDCARN),
		OIDCIssuer:        pulumi.String("https://" + testIssuer),
		Region:            "us-east-1",
		KubernetesVersion: "1.33",
		AutoscalingGroups: map[string]pulumi.StringInput{
			"general": pulumi.String("eks-general-0001-asg"),
			"bulk":    pulumi.String("eks-bulk-0002-asg"),
		},
		Tags: map[string]string{"cutover:stack": "production"},
	}
}

// run builds the autoscaler under the shared recording monitor and returns the recorded graph.
func run(t *testing.T, args *ClusterAutoscalerArgs) (mockmon.Records, error) {
	t.Helper()
	mon := mockmon.New()
	err := mon.Run(func(ctx *pulumi.Context) error {
		_, err := NewClusterAutoscaler(ctx, "cluster-autoscaler", args)
		return err
	})
	return mon.Sorted(), err
}

func mustRun(t *testing.T, args *ClusterAutoscalerArgs) mockmon.Records {
	t.Helper()
	rs, err := run(t, args)
	require.NoError(t, err)
	return rs
}

const componentURN = "urn:pulumi:test::cutover::" + TypeToken + "::cluster-autoscaler"

func TestGraphShape(t *testing.T) {
	t.Parallel()
	rs := mustRun(t, baseArgs())
	counts := map[string]int{}
	for _, r := range rs {
		counts[r.Type]++
		if r.Type != TypeToken {
			assert.Equal(t, componentURN, r.Parent, "%s %s is parented to the component", r.Type, r.Name)
		}
	}
	assert.Equal(t, map[string]int{TypeToken: 1, typeRole: 1, typeRolePolicy: 1, typeTag: 4, typeRelease: 1}, counts)
}

func TestRoleTrustIsPinnedToTheServiceAccount(t *testing.T) {
	t.Parallel()
	rs := mustRun(t, baseArgs())
	role := rs.One(t, typeRole, "cluster-autoscaler-role")
	d := decode(t, role.Input("assumeRolePolicy").(string))
	require.Len(t, d.Statement, 1)
	assert.Equal(t, map[string]string{"Federated": testOIDCARN}, d.Statement[0].Principal)
	assert.Equal(t, "system:serviceaccount:kube-system:cluster-autoscaler", d.Statement[0].Condition["StringEquals"][testIssuer+":sub"])
	assert.Equal(t, "sts.amazonaws.com", d.Statement[0].Condition["StringEquals"][testIssuer+":aud"])
	assert.Equal(t, map[string]any{"cutover:stack": "production"}, role.Input("tags"))
}

// The recorded policy is what IAM receives: no Action "*", no unconditioned write on "*", the
// two discovery-tag conditions on the writes.
func TestRolePolicyIsScoped(t *testing.T) {
	t.Parallel()
	rs := mustRun(t, baseArgs())
	policy := rs.One(t, typeRolePolicy, "cluster-autoscaler-policy")
	assert.Equal(t, "cluster-autoscaler-role", policy.Input("role"))
	d := decode(t, policy.Input("policy").(string))
	for _, s := range d.Statement {
		assert.NotContains(t, s.Action, "*")
		for _, a := range s.Action {
			if strings.HasPrefix(a, "autoscaling:Set") || strings.HasPrefix(a, "autoscaling:Terminate") {
				assert.NotContains(t, s.Resource, "*", "write %s on *", a)
				assert.Equal(t, "owned", s.Condition["StringEquals"]["aws:ResourceTag/k8s.io/cluster-autoscaler/cutover-production"])
				assert.Equal(t, "true", s.Condition["StringEquals"]["aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"])
			}
		}
	}
}

// Each node group's Auto Scaling group gets both discovery tags, named by pool, not propagated to
// instances.
func TestDiscoveryTagsPerNodeGroup(t *testing.T) {
	t.Parallel()
	rs := mustRun(t, baseArgs())
	want := []struct{ name, group, key, value string }{
		{"cluster-autoscaler-asg-tag-bulk-enabled", "eks-bulk-0002-asg", "k8s.io/cluster-autoscaler/enabled", "true"},
		{"cluster-autoscaler-asg-tag-bulk-owner", "eks-bulk-0002-asg", "k8s.io/cluster-autoscaler/cutover-production", "owned"},
		{"cluster-autoscaler-asg-tag-general-enabled", "eks-general-0001-asg", "k8s.io/cluster-autoscaler/enabled", "true"},
		{"cluster-autoscaler-asg-tag-general-owner", "eks-general-0001-asg", "k8s.io/cluster-autoscaler/cutover-production", "owned"},
	}
	require.Len(t, rs.ByType(typeTag), len(want))
	for _, w := range want {
		tag := rs.One(t, typeTag, w.name)
		assert.Equal(t, w.group, tag.Input("autoscalingGroupName"), w.name)
		assert.Equal(t, map[string]any{"key": w.key, "value": w.value, "propagateAtLaunch": false}, tag.Input("tag"), w.name)
	}
}

func TestReleaseIsPinnedAndConfigured(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.ScaleDownUnneededTime = "15m"
	args.ScaleDownDelayAfterAdd = "5m"
	args.ScaleDownUtilizationThreshold = 0.65
	rs := mustRun(t, args)
	rel := rs.One(t, typeRelease, "cluster-autoscaler-release")
	assert.Equal(t, "cluster-autoscaler", rel.Input("chart"))
	assert.Equal(t, "9.51.0", rel.Input("version"))
	assert.Equal(t, map[string]any{"repo": "https://kubernetes.github.io/autoscaler"}, rel.Input("repositoryOpts"))
	assert.Equal(t, "kube-system", rel.Input("namespace"))

	values := rel.Input("values").(map[string]any)
	assert.Equal(t, "us-east-1", values["awsRegion"])
	assert.Equal(t, map[string]any{"clusterName": "cutover-production"}, values["autoDiscovery"])
	assert.Equal(t, map[string]any{"serviceAccount": map[string]any{
		"create": true, "name": "cluster-autoscaler",
		"annotations": map[string]any{"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/cluster-autoscaler-role"},
	}}, values["rbac"])
	assert.Equal(t, map[string]any{
		"scale-down-unneeded-time":         "15m",
		"scale-down-delay-after-add":       "5m",
		"scale-down-utilization-threshold": "0.65",
		"balance-similar-node-groups":      true,
		"skip-nodes-with-local-storage":    false,
		"expander":                         "least-waste",
	}, values["extraArgs"])

	// The release waits for its policy and every discovery tag (and, through the annotation, the
	// role).
	want := []string{"urn:pulumi:test::cutover::" + TypeToken + "$" + typeRolePolicy + "::cluster-autoscaler-policy"}
	for _, tag := range rs.ByType(typeTag) {
		want = append(want, "urn:pulumi:test::cutover::"+TypeToken+"$"+typeTag+"::"+tag.Name)
	}
	for _, urn := range want {
		assert.Contains(t, rel.Dependencies, urn)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	rs := mustRun(t, baseArgs())
	values := rs.One(t, typeRelease, "cluster-autoscaler-release").Input("values").(map[string]any)
	extra := values["extraArgs"].(map[string]any)
	assert.Equal(t, "10m", extra["scale-down-unneeded-time"])
	assert.Equal(t, "10m", extra["scale-down-delay-after-add"])
	assert.Equal(t, "0.5", extra["scale-down-utilization-threshold"])
}

func TestChartVersionFollowsKubernetes(t *testing.T) {
	t.Parallel()
	cases := []struct{ k8s, want, wantErr string }{
		{"1.32", "9.46.6", ""},
		{"1.33", "9.51.0", ""},
		{"1.34", "9.53.0", ""},
		{"1.35", "9.56.0", ""},
		{"1.29", "", "KubernetesVersion: '1.29' has no pinned cluster-autoscaler chart: supported 1.32, 1.33, 1.34, 1.35"},
	}
	for _, tc := range cases {
		got, err := ChartVersionFor(tc.k8s)
		if tc.wantErr != "" {
			require.Error(t, err, tc.k8s)
			assert.Contains(t, err.Error(), tc.wantErr)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, tc.k8s)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *ClusterAutoscalerArgs)
		wantErr string
	}{
		{"no cluster", func(a *ClusterAutoscalerArgs) { a.ClusterName = nil }, "ClusterName: is required"},
		{"no oidc arn", func(a *ClusterAutoscalerArgs) { a.OIDCProviderARN = nil }, "OIDCProviderARN: is required"},
		{"no issuer", func(a *ClusterAutoscalerArgs) { a.OIDCIssuer = nil }, "OIDCIssuer: is required"},
		{"region", func(a *ClusterAutoscalerArgs) { a.Region = "US-EAST-1" }, "Region: 'US-EAST-1' is not a valid AWS region"},
		{"unpinned kubernetes", func(a *ClusterAutoscalerArgs) { a.KubernetesVersion = "1.40" }, "KubernetesVersion: '1.40' has no pinned cluster-autoscaler chart"},
		{"chart version", func(a *ClusterAutoscalerArgs) { a.ChartVersion = "latest" }, "ChartVersion: 'latest' is not a chart version"},
		{"no groups", func(a *ClusterAutoscalerArgs) { a.AutoscalingGroups = nil }, "AutoscalingGroups: none given"},
		{"pool name", func(a *ClusterAutoscalerArgs) { a.AutoscalingGroups["Bulk_Pool"] = pulumi.String("g") }, "AutoscalingGroups: 'Bulk_Pool' is not a valid pool name"},
		{"nil group", func(a *ClusterAutoscalerArgs) { a.AutoscalingGroups["spot"] = nil }, "AutoscalingGroups[spot]: is nil"},
		{"unneeded time", func(a *ClusterAutoscalerArgs) { a.ScaleDownUnneededTime = "ten minutes" }, "ScaleDownUnneededTime: 'ten minutes' is not a duration"},
		{"delay after add", func(a *ClusterAutoscalerArgs) { a.ScaleDownDelayAfterAdd = "48h" }, "ScaleDownDelayAfterAdd: '48h' is out of range"},
		{"negative delay", func(a *ClusterAutoscalerArgs) { a.ScaleDownDelayAfterAdd = "-1m" }, "ScaleDownDelayAfterAdd: '-1m' is out of range"},
		{"threshold", func(a *ClusterAutoscalerArgs) { a.ScaleDownUtilizationThreshold = 1.5 }, "ScaleDownUtilizationThreshold: 1.5 is out of range"},
		{"tag key", func(a *ClusterAutoscalerArgs) { a.Tags["aws:owner"] = "x" }, "Tags: 'aws:owner' is not a valid tag key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			tc.mutate(args)
			rs, err := run(t, args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Empty(t, rs, "nothing is registered when the args are invalid")
		})
	}
}

// Several problems come back together.
func TestValidateCollectsEveryProblem(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.Region = "nowhere"
	args.ScaleDownUnneededTime = "soon"
	args.ScaleDownUtilizationThreshold = -1
	err := args.withDefaults().validate()
	require.Error(t, err)
	for _, want := range []string{"Region:", "ScaleDownUnneededTime:", "ScaleDownUtilizationThreshold:"} {
		assert.Contains(t, err.Error(), want)
	}
	// The caller's maps are not touched by defaulting.
	before, _ := json.Marshal(args.Tags)
	_ = args.withDefaults()
	after, _ := json.Marshal(args.Tags)
	assert.Equal(t, string(before), string(after))
}
