package service

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

func controllerArgs() *LoadBalancerControllerArgs {
	return &LoadBalancerControllerArgs{
		ClusterName:     pulumi.String("cutover-test"),
		OIDCProviderARN: pulumi.String("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"),
		OIDCIssuer:      pulumi.String("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"),
		Region:          "us-east-1",
		VpcID:           pulumi.String("vpc-0123456789abcdef0"),
	}
}

func TestLoadBalancerControllerGraph(t *testing.T) {
	var roleARN *mockmon.Captured[string]
	rec, err := run(t, func(ctx *pulumi.Context) error {
		lbc, err := NewLoadBalancerController(ctx, "lbc", controllerArgs())
		if err != nil {
			return err
		}
		roleARN = mockmon.Capture[string](lbc.RoleArn)
		return nil
	})
	require.NoError(t, err)
	component := rec.One(t, "cutover:service:LoadBalancerController", "lbc")

	role := rec.One(t, "aws:iam/role:Role", "lbc-role")
	policy := rec.One(t, "aws:iam/policy:Policy", "lbc-policy")
	attachment := rec.One(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lbc-policy-attachment")
	release := rec.One(t, "kubernetes:helm.sh/v3:Release", "lbc-release")
	for _, r := range []*mockmon.Recorded{role, policy, attachment, release} {
		require.Equal(t, component.URN, r.Parent, r.Name)
	}

	// Trust: pinned to the controller's service account and STS audience.
	var trust PolicyDocument
	require.NoError(t, json.Unmarshal([]byte(mockmon.At(t, role.Inputs, "assumeRolePolicy").StringValue()), &trust))
	cond := trust.Statement[0].Condition["StringEquals"]
	require.Equal(t, "system:serviceaccount:kube-system:aws-load-balancer-controller",
		cond["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123:sub"])
	require.Equal(t, "sts.amazonaws.com", cond["oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123:aud"])

	// Policy: the same document the golden file pins.
	want, err := ControllerPolicyJSON(goldenParams)
	require.NoError(t, err)
	doc := mockmon.At(t, policy.Inputs, "policy").StringValue()
	require.JSONEq(t, want, doc)
	require.NotContains(t, doc, `"Action": "*"`)
	require.NotContains(t, doc, `"*:*"`)

	require.Equal(t, "lbc-role", mockmon.At(t, attachment.Inputs, "role").StringValue())
	require.Equal(t, "arn:aws:iam::123456789012:policy/lbc-policy", mockmon.At(t, attachment.Inputs, "policyArn").StringValue())

	// Release: pinned chart, kube-system, values wired to the role.
	require.Equal(t, "aws-load-balancer-controller", mockmon.At(t, release.Inputs, "chart").StringValue())
	require.Equal(t, "1.14.0", mockmon.At(t, release.Inputs, "version").StringValue())
	require.Equal(t, "https://aws.github.io/eks-charts", mockmon.At(t, release.Inputs, "repositoryOpts", "repo").StringValue())
	require.Equal(t, "kube-system", mockmon.At(t, release.Inputs, "namespace").StringValue())
	require.Equal(t, "aws-load-balancer-controller", mockmon.At(t, release.Inputs, "name").StringValue())
	require.Equal(t, "cutover-test", mockmon.At(t, release.Inputs, "values", "clusterName").StringValue())
	require.Equal(t, "us-east-1", mockmon.At(t, release.Inputs, "values", "region").StringValue())
	require.Equal(t, "vpc-0123456789abcdef0", mockmon.At(t, release.Inputs, "values", "vpcId").StringValue())
	require.True(t, mockmon.At(t, release.Inputs, "values", "serviceAccount", "create").BoolValue())
	require.Equal(t, "aws-load-balancer-controller", mockmon.At(t, release.Inputs, "values", "serviceAccount", "name").StringValue())
	require.Equal(t, "arn:aws:iam::123456789012:role/lbc-role",
		mockmon.At(t, release.Inputs, "values", "serviceAccount", "annotations", "eks.amazonaws.com/role-arn").StringValue())
	for _, addon := range []string{"enableShield", "enableWaf", "enableWafv2"} {
		require.False(t, mockmon.At(t, release.Inputs, "values", addon).BoolValue(), addon)
	}
	require.Contains(t, release.Dependencies, attachment.URN, "release waits for the policy attachment")

	require.Equal(t, "arn:aws:iam::123456789012:role/lbc-role", roleARN.Get(t))
}

func TestLoadBalancerControllerValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *LoadBalancerControllerArgs)
		wantErr []string
	}{
		{name: "valid", mutate: func(a *LoadBalancerControllerArgs) {}},
		{name: "bad region", mutate: func(a *LoadBalancerControllerArgs) { a.Region = "virginia" },
			wantErr: []string{"Region: 'virginia' is not a valid AWS region"}},
		{name: "missing inputs", mutate: func(a *LoadBalancerControllerArgs) {
			a.ClusterName, a.OIDCProviderARN, a.OIDCIssuer, a.VpcID = nil, nil, nil, nil
		}, wantErr: []string{"ClusterName: must be set", "OIDCProviderARN: must be set", "OIDCIssuer: must be set", "VpcID: must be set"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := controllerArgs()
			tc.mutate(a)
			a = a.withDefaults()
			require.Equal(t, LoadBalancerControllerChartVersion, a.ChartVersion)
			err := a.validate()
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.wantErr {
				require.True(t, strings.Contains(err.Error(), w), "%q missing from %q", w, err)
			}
		})
	}
}
