package autoscaler

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testOIDCARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123456789"
	testIssuer  = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123456789"
)

func decode(t *testing.T, doc string) policyDocument {
	t.Helper()
	var out policyDocument
	require.NoError(t, json.Unmarshal([]byte(doc), &out))
	return out
}

func TestTrustPolicyPinsTheServiceAccount(t *testing.T) {
	t.Parallel()
	for _, issuer := range []string{testIssuer, "https://" + testIssuer} {
		doc, err := TrustPolicy(testOIDCARN, issuer)
		require.NoError(t, err)
		d := decode(t, doc)
		require.Len(t, d.Statement, 1)
		s := d.Statement[0]
		assert.Equal(t, "Allow", s.Effect)
		assert.Equal(t, map[string]string{"Federated": testOIDCARN}, s.Principal)
		assert.Equal(t, []string{"sts:AssumeRoleWithWebIdentity"}, s.Action)
		assert.Equal(t, map[string]map[string]string{"StringEquals": {
			testIssuer + ":sub": "system:serviceaccount:kube-system:cluster-autoscaler",
			testIssuer + ":aud": "sts.amazonaws.com",
		}}, s.Condition, "issuer %q", issuer)
	}
}

func TestTrustPolicyRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, arn, issuer, wantErr string }{
		{"not an oidc provider", "arn:aws:iam::123456789012:role/x", testIssuer, "OIDCProviderARN: 'arn:aws:iam::123456789012:role/x' is not an IAM OIDC provider ARN"},
		{"empty issuer", testOIDCARN, "", "OIDCIssuer: '' is not an OIDC issuer"},
		{"other scheme", testOIDCARN, "http://" + testIssuer, "is not an OIDC issuer"},
		{"trailing slash", testOIDCARN, testIssuer + "/", "is not an OIDC issuer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := TrustPolicy(tc.arn, tc.issuer)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// The writes are scoped to the account's and region's Auto Scaling groups and conditioned on both
// discovery tags; nothing is granted as Action "*", and "*" resources hold only reads.
func TestPermissionsPolicyIsScoped(t *testing.T) {
	t.Parallel()
	doc, err := PermissionsPolicy(PolicyParams{ClusterName: "cutover-production", Region: "us-east-1", OIDCProviderARN: testOIDCARN})
	require.NoError(t, err)
	d := decode(t, doc)
	require.Len(t, d.Statement, 3)

	bySid := map[string]policyStatement{}
	for _, s := range d.Statement {
		assert.Equal(t, "Allow", s.Effect)
		assert.NotContains(t, s.Action, "*", "statement %s", s.Sid)
		for _, a := range s.Action {
			assert.False(t, strings.HasSuffix(a, ":*"), "statement %s grants a service wildcard %s", s.Sid, a)
		}
		if slices.Contains(s.Resource, "*") {
			for _, a := range s.Action {
				_, verb, _ := strings.Cut(a, ":")
				assert.True(t, strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get"), "write %s on Resource *", a)
			}
		}
		bySid[s.Sid] = s
	}

	writes := bySid["ScaleOwnNodeGroups"]
	assert.Equal(t, []string{"autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"}, writes.Action)
	assert.Equal(t, []string{"arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/*"}, writes.Resource)
	assert.Equal(t, map[string]map[string]string{"StringEquals": {
		"aws:ResourceTag/k8s.io/cluster-autoscaler/cutover-production": "owned",
		"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":            "true",
	}}, writes.Condition)

	eks := bySid["DescribeOwnManagedNodeGroups"]
	assert.Equal(t, []string{"eks:DescribeNodegroup"}, eks.Action)
	assert.Equal(t, []string{"arn:aws:eks:us-east-1:123456789012:nodegroup/cutover-production/*/*"}, eks.Resource)

	reads := bySid["DiscoverNodeGroups"]
	assert.Equal(t, []string{"*"}, reads.Resource)
	assert.Contains(t, reads.Action, "autoscaling:DescribeAutoScalingGroups")
	assert.Contains(t, reads.Action, "ec2:DescribeLaunchTemplateVersions")
	assert.Empty(t, reads.Condition)
}

func TestPermissionsPolicyPartitionFollowsTheProvider(t *testing.T) {
	t.Parallel()
	doc, err := PermissionsPolicy(PolicyParams{ClusterName: "c", Region: "us-gov-west-1",
		OIDCProviderARN: "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/X"})
	require.NoError(t, err)
	assert.Contains(t, doc, `"arn:aws-us-gov:eks:us-gov-west-1:123456789012:nodegroup/c/*/*"`)
}

func TestPermissionsPolicyRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		p       PolicyParams
		wantErr string
	}{
		{"cluster name", PolicyParams{ClusterName: "bad name", Region: "us-east-1", OIDCProviderARN: testOIDCARN}, "ClusterName: 'bad name' is not a valid EKS cluster name"},
		{"region", PolicyParams{ClusterName: "c", Region: "useast1", OIDCProviderARN: testOIDCARN}, "Region: 'useast1' is not a valid AWS region"},
		{"oidc arn", PolicyParams{ClusterName: "c", Region: "us-east-1", OIDCProviderARN: "arn:aws:iam::12345:oidc-provider/x"}, "OIDCProviderARN: 'arn:aws:iam::12345:oidc-provider/x'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := PermissionsPolicy(tc.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
