package cluster

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	testOIDCARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/ABC"
	testIssuer  = "oidc.eks.example/id/ABC"
)

func TestIRSATrustPolicy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                       string
		arn, issuer, namespace, sa string
		wantSub                    string
		wantErr                    string
	}{
		{name: "ebs csi", arn: testOIDCARN, issuer: testIssuer, namespace: "kube-system", sa: "ebs-csi-controller-sa",
			wantSub: "system:serviceaccount:kube-system:ebs-csi-controller-sa"},
		{name: "app service account", arn: testOIDCARN, issuer: testIssuer, namespace: "api", sa: "api",
			wantSub: "system:serviceaccount:api:api"},
		{name: "bad arn", arn: "arn:aws:iam::123456789012:role/x", issuer: testIssuer, namespace: "a", sa: "b",
			wantErr: `oidcProviderARN "arn:aws:iam::123456789012:role/x" is not a valid IAM OIDC provider ARN`},
		{name: "issuer with scheme", arn: testOIDCARN, issuer: "https://" + testIssuer, namespace: "a", sa: "b",
			wantErr: "must not include a scheme"},
		{name: "empty issuer", arn: testOIDCARN, issuer: "", namespace: "a", sa: "b", wantErr: "issuer must not be empty"},
		{name: "wildcard namespace", arn: testOIDCARN, issuer: testIssuer, namespace: "*", sa: "b",
			wantErr: `namespace "*" is not a valid Kubernetes namespace`},
		{name: "wildcard service account", arn: testOIDCARN, issuer: testIssuer, namespace: "a", sa: "*",
			wantErr: `serviceAccount "*" is not a valid Kubernetes service account name`},
		{name: "uppercase namespace", arn: testOIDCARN, issuer: testIssuer, namespace: "Kube", sa: "b",
			wantErr: `namespace "Kube"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := IRSATrustPolicy(tc.arn, tc.issuer, tc.namespace, tc.sa)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			var doc policyDocument
			require.NoError(t, json.Unmarshal([]byte(got), &doc))
			assert.Equal(t, "2012-10-17", doc.Version)
			require.Len(t, doc.Statement, 1)
			st := doc.Statement[0]
			assert.Equal(t, "Allow", st.Effect)
			assert.Equal(t, "sts:AssumeRoleWithWebIdentity", st.Action)
			assert.Equal(t, map[string]string{"Federated": tc.arn}, st.Principal)
			assert.Equal(t, map[string]map[string]string{"StringEquals": {
				tc.issuer + ":sub": tc.wantSub,
				tc.issuer + ":aud": "sts.amazonaws.com",
			}}, st.Condition)
		})
	}
}

func TestIRSATrustPolicyExactJSON(t *testing.T) {
	t.Parallel()
	got, err := IRSATrustPolicy(testOIDCARN, testIssuer, "kube-system", "ebs-csi-controller-sa")
	require.NoError(t, err)
	// encoding/json sorts map keys, so the document is byte-stable across runs (no spurious diffs).
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + testOIDCARN +
		`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + testIssuer +
		`:aud":"sts.amazonaws.com","` + testIssuer + `:sub":"system:serviceaccount:kube-system:ebs-csi-controller-sa"}}}]}`
	assert.Equal(t, want, got)
}

func TestIRSATrustPolicyOutput(t *testing.T) {
	t.Parallel()
	var res internals.UnsafeAwaitOutputResult
	err := mockmon.New().Run(func(ctx *pulumi.Context) error {
		out := IRSATrustPolicyOutput(pulumi.String(testOIDCARN).ToStringOutput(), pulumi.String(testIssuer), "api", "api")
		var err error
		res, err = internals.UnsafeAwaitOutput(ctx.Context(), out)
		return err
	})
	require.NoError(t, err)
	want, err := IRSATrustPolicy(testOIDCARN, testIssuer, "api", "api")
	require.NoError(t, err)
	assert.Equal(t, want, res.Value)
}

func TestServiceTrustPolicy(t *testing.T) {
	t.Parallel()
	got, err := serviceTrustPolicy("eks.amazonaws.com")
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, got)

	_, err = serviceTrustPolicy("")
	assert.ErrorContains(t, err, "service principal must not be empty")
}

func TestAdminKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		arn, want string
	}{
		{"arn:aws:iam::123456789012:role/admin", "role-admin"},
		{"arn:aws:iam::123456789012:role/ops/Platform_Admin", "role-platform-admin"},
		{"arn:aws:iam::123456789012:user/alice@example", "user-alice-example"},
		{"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd", "role-awsreservedsso-admin-0123abcd"},
		{"arn:aws-us-gov:iam::123456789012:role/CI.Deployer", "role-ci-deployer"},
	}
	for _, tc := range cases {
		t.Run(tc.arn, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, adminKey(tc.arn))
		})
	}
}

func TestIssuerHostPathAndAliasSafe(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "oidc.eks.example/id/X", issuerHostPath("https://oidc.eks.example/id/X"))
	assert.Equal(t, "oidc.eks.example/id/X", issuerHostPath("oidc.eks.example/id/X"))
	assert.Equal(t, "cutover-prod_1", aliasSafe("cutover-prod_1"))
	assert.Equal(t, "a-b-c", aliasSafe("a.b c"))
}
