package service

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

var goldenParams = ControllerPolicyParams{
	ClusterName: "cutover-test",
	Region:      "us-east-1",
	VpcID:       "vpc-0123456789abcdef0",
}

func TestControllerPolicyGolden(t *testing.T) {
	got, err := ControllerPolicyJSON(goldenParams)
	require.NoError(t, err)
	path := filepath.Join("testdata", "lb-controller-policy.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./components/service/ -update to create the golden file")
	require.Equal(t, string(want), got+"\n", "controller policy changed; review and refresh with -update")
}

// isReadOnly reports whether an action only reads (Describe*/Get*), the one
// class allowed on Resource "*" without a condition.
func isReadOnly(action string) bool {
	_, verb, _ := strings.Cut(action, ":")
	return strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get")
}

func TestControllerPolicyScoping(t *testing.T) {
	t.Parallel()
	doc, err := ControllerPolicy(goldenParams)
	require.NoError(t, err)
	require.Equal(t, "2012-10-17", doc.Version)

	sids := map[string]bool{}
	for _, st := range doc.Statement {
		require.Equal(t, "Allow", st.Effect, st.Sid)
		require.NotEmpty(t, st.Sid)
		require.False(t, sids[st.Sid], "duplicate Sid %s", st.Sid)
		sids[st.Sid] = true
		require.NotEmpty(t, st.Resource, st.Sid)
		for _, a := range st.Action {
			require.NotContains(t, a, "*", "%s: wildcard action %q", st.Sid, a)
		}
		for _, r := range st.Resource {
			if r != "*" {
				require.True(t, strings.HasPrefix(r, "arn:aws:"), "%s: %s", st.Sid, r)
				if !strings.HasPrefix(r, "arn:aws:iam::") {
					require.Contains(t, r, ":us-east-1:", "%s: ARN not limited to the region: %s", st.Sid, r)
				}
				continue
			}
			// Resource "*": reads only, or creates that must carry this
			// cluster's tag.
			allRead := true
			for _, a := range st.Action {
				allRead = allRead && isReadOnly(a)
			}
			if allRead {
				continue
			}
			require.Equal(t, "cutover-test", st.Condition["StringEquals"]["aws:RequestTag/elbv2.k8s.aws/cluster"],
				"%s: write on Resource * without a request-tag condition", st.Sid)
		}
	}

	byAction := func(action string) []PolicyStatement {
		var out []PolicyStatement
		for _, st := range doc.Statement {
			for _, a := range st.Action {
				if a == action {
					out = append(out, st)
				}
			}
		}
		return out
	}
	// Deletes only ever apply to resources tagged with this cluster.
	for _, action := range []string{
		"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup",
		"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:RegisterTargets",
		"ec2:DeleteSecurityGroup",
	} {
		sts := byAction(action)
		require.Len(t, sts, 1, action)
		require.Equal(t, "cutover-test", sts[0].Condition["StringEquals"]["aws:ResourceTag/elbv2.k8s.aws/cluster"], action)
	}
	// Creates require the cluster tag on the request.
	for _, action := range []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"} {
		sts := byAction(action)
		require.Len(t, sts, 1, action)
		require.Equal(t, "cutover-test", sts[0].Condition["StringEquals"]["aws:RequestTag/elbv2.k8s.aws/cluster"], action)
	}
	// Untagged security groups can only be opened inside the cluster VPC.
	var vpcScoped bool
	for _, st := range byAction("ec2:AuthorizeSecurityGroupIngress") {
		if v, ok := st.Condition["ArnLike"]["ec2:Vpc"]; ok {
			require.Equal(t, "arn:aws:ec2:us-east-1:*:vpc/vpc-0123456789abcdef0", v)
			vpcScoped = true
		} else {
			require.Equal(t, "cutover-test", st.Condition["StringEquals"]["aws:ResourceTag/elbv2.k8s.aws/cluster"])
		}
	}
	require.True(t, vpcScoped)
	// No WAF, Shield or Cognito: the chart is installed with them disabled.
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			for _, svc := range []string{"waf-regional:", "wafv2:", "shield:", "cognito-idp:"} {
				require.False(t, strings.HasPrefix(a, svc), "%s grants %s", st.Sid, a)
			}
		}
	}
}

func TestControllerPolicyParams(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		params    ControllerPolicyParams
		wantErr   []string
		wantInARN string
	}{
		{name: "commercial", params: goldenParams, wantInARN: "arn:aws:elasticloadbalancing:us-east-1:"},
		{name: "govcloud partition", params: ControllerPolicyParams{ClusterName: "c", Region: "us-gov-west-1", VpcID: "vpc-01234567"},
			wantInARN: "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:"},
		{name: "china partition", params: ControllerPolicyParams{ClusterName: "c", Region: "cn-north-1", VpcID: "vpc-01234567"},
			wantInARN: "arn:aws-cn:ec2:cn-north-1:"},
		{name: "all missing", params: ControllerPolicyParams{},
			wantErr: []string{"ClusterName: '' is not a valid cluster name", "Region: '' is not a valid AWS region", "VpcID: '' is not a valid VPC ID"}},
		{name: "bad vpc", params: ControllerPolicyParams{ClusterName: "c", Region: "eu-west-1", VpcID: "subnet-01234567"},
			wantErr: []string{"VpcID: 'subnet-01234567'"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ControllerPolicyJSON(tc.params)
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					require.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			require.Contains(t, got, tc.wantInARN)
			require.True(t, json.Valid([]byte(got)))
		})
	}
}

func TestIRSATrustPolicy(t *testing.T) {
	t.Parallel()
	const (
		arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
		issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
		host   = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
	)
	cases := []struct {
		name        string
		arn, issuer string
		wantErr     []string
	}{
		{name: "valid", arn: arn, issuer: issuer},
		{name: "issuer without scheme", arn: arn, issuer: host},
		{name: "bad arn", arn: "oidc", issuer: issuer, wantErr: []string{"OIDCProviderARN: 'oidc' is not a valid OIDC provider ARN"}},
		{name: "empty issuer", arn: arn, issuer: "", wantErr: []string{"OIDCIssuer: '' is not a valid issuer URL"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := IRSATrustPolicy(tc.arn, tc.issuer, ControllerNamespace, ControllerServiceAccount)
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					require.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			var doc PolicyDocument
			require.NoError(t, json.Unmarshal([]byte(got), &doc))
			require.Len(t, doc.Statement, 1)
			st := doc.Statement[0]
			require.Equal(t, map[string]string{"Federated": arn}, st.Principal)
			require.Equal(t, []string{"sts:AssumeRoleWithWebIdentity"}, st.Action)
			require.Equal(t, map[string]any{
				host + ":sub": "system:serviceaccount:kube-system:aws-load-balancer-controller",
				host + ":aud": "sts.amazonaws.com",
			}, st.Condition["StringEquals"])
			require.NotContains(t, got, `"*"`)
		})
	}
}
