package cluster

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	typeCluster     = "aws:eks/cluster:Cluster"
	typeRole        = "aws:iam/role:Role"
	typeAttachment  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeKey         = "aws:kms/key:Key"
	typeAlias       = "aws:kms/alias:Alias"
	typeOIDC        = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
	typeAccessEntry = "aws:eks/accessEntry:AccessEntry"
	typeAccessAssoc = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	typeAddon       = "aws:eks/addon:Addon"
	typeK8sProvider = "pulumi:providers:kubernetes"
)

func baseArgs() *ClusterArgs {
	return &ClusterArgs{
		Version:   "1.33",
		SubnetIDs: pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		Region:    "us-east-1",
		Tags:      map[string]string{"project": "cutover"},
	}
}

// runResult is what a mock run produced: the recorded graph plus awaited outputs.
type runResult struct {
	resources        mockmon.Records
	kubeconfig       internals.UnsafeAwaitOutputResult
	name             internals.UnsafeAwaitOutputResult
	oidcIssuer       internals.UnsafeAwaitOutputResult
	oidcProviderARN  internals.UnsafeAwaitOutputResult
	certificateAuth  internals.UnsafeAwaitOutputResult
	endpoint         internals.UnsafeAwaitOutputResult
	providerWasBuilt bool
}

func runCluster(t *testing.T, name string, args *ClusterArgs) (runResult, error) {
	t.Helper()
	mon := newMonitor()
	var res runResult
	err := mon.Run(func(ctx *pulumi.Context) error {
		c, err := NewCluster(ctx, name, args)
		if err != nil {
			return err
		}
		res.providerWasBuilt = c.Provider != nil
		// Awaited in the program body (not in ApplyT); asserted after RunErr returns.
		for _, o := range []struct {
			dst *internals.UnsafeAwaitOutputResult
			out pulumi.Output
		}{
			{&res.kubeconfig, c.Kubeconfig},
			{&res.name, c.Name},
			{&res.oidcIssuer, c.OIDCIssuer},
			{&res.oidcProviderARN, c.OIDCProviderARN},
			{&res.certificateAuth, c.CertificateAuthority},
			{&res.endpoint, c.Endpoint},
		} {
			r, err := internals.UnsafeAwaitOutput(ctx.Context(), o.out)
			if err != nil {
				return err
			}
			*o.dst = r
		}
		return nil
	})
	res.resources = mon.Sorted()
	return res, err
}

func mustRun(t *testing.T, name string, args *ClusterArgs) runResult {
	t.Helper()
	res, err := runCluster(t, name, args)
	require.NoError(t, err)
	return res
}

func TestEndpointAccess(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		cidrs      []string
		wantPublic bool
		wantCIDRs  any
	}{
		{name: "no CIDRs means private only", cidrs: nil, wantPublic: false, wantCIDRs: nil},
		{name: "empty list means private only", cidrs: []string{}, wantPublic: false, wantCIDRs: nil},
		{
			name:       "CIDRs open a restricted public endpoint",
			cidrs:      []string{"203.0.113.0/24", "198.51.100.7/32"},
			wantPublic: true,
			wantCIDRs:  []any{"203.0.113.0/24", "198.51.100.7/32"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			args.PublicAccessCIDRs = tc.cidrs
			res := mustRun(t, "prod", args)
			eks := res.resources.One(t, typeCluster, "prod-eks")
			vpc := eks.Input("vpcConfig").(map[string]any)
			assert.Equal(t, true, vpc["endpointPrivateAccess"])
			assert.Equal(t, tc.wantPublic, vpc["endpointPublicAccess"])
			assert.Equal(t, tc.wantCIDRs, vpc["publicAccessCidrs"])
			assert.Equal(t, []any{"subnet-a", "subnet-b", "subnet-c"}, vpc["subnetIds"])
		})
	}
}

func TestExplicitClusterName(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.Name = "cutover-prod"
	res := mustRun(t, "prod", args)
	eks := res.resources.One(t, typeCluster, "prod-eks")
	assert.Equal(t, "cutover-prod", eks.Input("name"))
	assert.Equal(t, "cutover-prod", res.name.Value)
	for _, a := range res.resources.ByType(typeAddon) {
		assert.Equal(t, "cutover-prod", a.Input("clusterName"), a.Name)
	}
	var kc struct {
		Users []struct {
			User struct {
				Exec struct{ Args []string } `json:"exec"`
			} `json:"user"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.kubeconfig.Value.(string)), &kc))
	require.Len(t, kc.Users, 1)
	assert.Equal(t, []string{"eks", "get-token", "--cluster-name", "cutover-prod", "--region", "us-east-1"}, kc.Users[0].User.Exec.Args)

	// Without a name the cluster is auto-named: no name input at all.
	unnamed := mustRun(t, "prod", baseArgs())
	assert.Nil(t, unnamed.resources.One(t, typeCluster, "prod-eks").Input("name"))
}

func TestClusterSettings(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())
	eks := res.resources.One(t, typeCluster, "prod-eks")

	assert.Equal(t, "1.33", eks.Input("version"))
	assert.Equal(t, []any{"api", "audit", "authenticator"}, eks.Input("enabledClusterLogTypes"))
	assert.Equal(t, "arn:aws:iam::123456789012:role/prod-role", eks.Input("roleArn"))
	assert.Equal(t, map[string]any{"project": "cutover"}, eks.Input("tags"))

	enc := eks.Input("encryptionConfig").(map[string]any)
	assert.Equal(t, []any{"secrets"}, enc["resources"])
	assert.Equal(t, map[string]any{"keyArn": "arn:aws:kms:us-east-1:123456789012:key/key-prod-kms"}, enc["provider"])

	access := eks.Input("accessConfig").(map[string]any)
	assert.Equal(t, "API", access["authenticationMode"])
	assert.Equal(t, true, access["bootstrapClusterCreatorAdminPermissions"])

	// The control-plane role must have its policy before EKS uses it.
	assert.Contains(t, eks.Dependencies, childURN(typeAttachment, "prod-role-AmazonEKSClusterPolicy"))
	assert.False(t, eks.DeleteBeforeReplace, "MIG-09: never deleteBeforeReplace on the cluster")

	key := res.resources.One(t, typeKey, "prod-kms")
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.Equal(t, float64(30), key.Input("deletionWindowInDays"))
	assert.Contains(t, key.Input("description"), "prod")

	alias := res.resources.One(t, typeAlias, "prod-kms-alias")
	assert.Equal(t, "alias/prod-eks-secrets-", alias.Input("namePrefix"))
	assert.Equal(t, "key-prod-kms", alias.Input("targetKeyId"))

	role := res.resources.One(t, typeRole, "prod-role")
	var trust policyDocument
	require.NoError(t, json.Unmarshal([]byte(role.Input("assumeRolePolicy").(string)), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, map[string]string{"Service": "eks.amazonaws.com"}, trust.Statement[0].Principal)
	assert.Equal(t, "sts:AssumeRole", trust.Statement[0].Action)

	attach := res.resources.One(t, typeAttachment, "prod-role-AmazonEKSClusterPolicy")
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", attach.Input("policyArn"))
	assert.Equal(t, "prod-role", attach.Input("role"))
}

func TestProtect(t *testing.T) {
	t.Parallel()
	for _, protect := range []bool{false, true} {
		args := baseArgs()
		args.Protect = protect
		res := mustRun(t, "prod", args)
		assert.Equal(t, protect, res.resources.One(t, typeCluster, "prod-eks").Protect, "cluster protect=%v", protect)
		assert.Equal(t, protect, res.resources.One(t, typeKey, "prod-kms").Protect, "kms key protect=%v", protect)
		// Nothing else is protected: protection is reserved for what cannot be recreated.
		for _, r := range res.resources {
			if r.Type != typeCluster && r.Type != typeKey {
				assert.False(t, r.Protect, "%s %s should not be protected", r.Type, r.Name)
			}
		}
	}
}

func TestOIDCProvider(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())
	oidc := res.resources.One(t, typeOIDC, "prod-oidc")
	assert.Equal(t, "https://oidc.eks.example/id/FAKEPROD-EKS", oidc.Input("url"))
	assert.Equal(t, []any{"sts.amazonaws.com"}, oidc.Input("clientIdLists"))
	assert.Equal(t, []any{eksOIDCRootCAThumbprint}, oidc.Input("thumbprintLists"))

	assert.Equal(t, "oidc.eks.example/id/FAKEPROD-EKS", res.oidcIssuer.Value)
	assert.Equal(t, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/FAKEPROD-EKS", res.oidcProviderARN.Value)
}

func TestAccessEntries(t *testing.T) {
	t.Parallel()
	admins := []string{
		"arn:aws:iam::123456789012:role/ops/Platform_Admin",
		"arn:aws:iam::123456789012:user/alice",
	}
	run := func(list []string) mockmon.Records {
		args := baseArgs()
		args.AdminPrincipalARNs = list
		return mustRun(t, "prod", args).resources
	}
	res := run(admins)

	entries := res.ByType(typeAccessEntry)
	require.Len(t, entries, 2)
	assocs := res.ByType(typeAccessAssoc)
	require.Len(t, assocs, 2)

	want := map[string]string{
		"role-platform-admin": admins[0],
		"user-alice":          admins[1],
	}
	for key, arn := range want {
		entry := res.One(t, typeAccessEntry, "prod-admin-"+key)
		assert.Equal(t, arn, entry.Input("principalArn"))
		assert.Equal(t, "STANDARD", entry.Input("type"))
		assert.Equal(t, "prod-eks", entry.Input("clusterName"))

		assoc := res.One(t, typeAccessAssoc, "prod-admin-"+key+"-cluster-admin")
		assert.Equal(t, arn, assoc.Input("principalArn"))
		assert.Equal(t, "prod-eks", assoc.Input("clusterName"))
		assert.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", assoc.Input("policyArn"))
		assert.Equal(t, map[string]any{"type": "cluster"}, assoc.Input("accessScope"))
	}

	// Reordering the list must not change any name (names come from the ARN, not the index).
	reversed := run([]string{admins[1], admins[0]})
	names := func(rs mockmon.Records) []string {
		var out []string
		for _, r := range rs {
			if r.Type == typeAccessEntry || r.Type == typeAccessAssoc {
				out = append(out, r.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	assert.Equal(t, names(res), names(reversed))

	// No admins, no entries.
	assert.Empty(t, run(nil).ByType(typeAccessEntry))
}

func TestAddonsAndEBSCSIRole(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	addons := res.resources.ByType(typeAddon)
	var got []string
	for _, a := range addons {
		got = append(got, a.Input("addonName").(string))
		assert.Equal(t, "prod-eks", a.Input("clusterName"))
		assert.Equal(t, "OVERWRITE", a.Input("resolveConflictsOnCreate"))
		assert.Equal(t, "prod-addon-"+a.Input("addonName").(string), a.Name)
	}
	assert.ElementsMatch(t, []string{"vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"}, got)

	for _, n := range []string{"vpc-cni", "coredns", "kube-proxy"} {
		assert.Nil(t, res.resources.One(t, typeAddon, "prod-addon-"+n).Input("serviceAccountRoleArn"), n)
	}
	ebs := res.resources.One(t, typeAddon, "prod-addon-aws-ebs-csi-driver")
	assert.Equal(t, "arn:aws:iam::123456789012:role/prod-ebs-csi-role", ebs.Input("serviceAccountRoleArn"))
	assert.Contains(t, ebs.Dependencies, childURN(typeAttachment, "prod-ebs-csi-role-AmazonEBSCSIDriverPolicy"))

	role := res.resources.One(t, typeRole, "prod-ebs-csi-role")
	var trust policyDocument
	require.NoError(t, json.Unmarshal([]byte(role.Input("assumeRolePolicy").(string)), &trust))
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	assert.Equal(t, "sts:AssumeRoleWithWebIdentity", st.Action)
	assert.Equal(t, map[string]string{"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/FAKEPROD-EKS"}, st.Principal)
	assert.Equal(t, map[string]map[string]string{"StringEquals": {
		"oidc.eks.example/id/FAKEPROD-EKS:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa",
		"oidc.eks.example/id/FAKEPROD-EKS:aud": "sts.amazonaws.com",
	}}, st.Condition)

	attach := res.resources.One(t, typeAttachment, "prod-ebs-csi-role-AmazonEBSCSIDriverPolicy")
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", attach.Input("policyArn"))
	assert.Equal(t, "prod-ebs-csi-role", attach.Input("role"))
}

func TestKubeconfigOutputAndProvider(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	require.True(t, res.kubeconfig.Known)
	assert.True(t, res.kubeconfig.Secret, "kubeconfig output must be secret")
	assert.False(t, res.name.Secret)
	assert.Equal(t, "prod-eks", res.name.Value)
	assert.Equal(t, "https://prod-eks.eks.example", res.endpoint.Value)

	want, err := Kubeconfig("prod-eks", "https://prod-eks.eks.example", res.certificateAuth.Value.(string), "us-east-1")
	require.NoError(t, err)
	assert.Equal(t, want, res.kubeconfig.Value)

	assert.True(t, res.providerWasBuilt)
	provider := res.resources.One(t, typeK8sProvider, "prod-k8s")
	raw, ok := provider.Inputs["kubeconfig"]
	require.True(t, ok, "provider has a kubeconfig input")
	assert.True(t, raw.ContainsSecrets(), "provider kubeconfig input must stay secret")
	assert.Equal(t, want, provider.Input("kubeconfig"))
	assert.True(t, strings.HasSuffix(provider.Parent, "cutover:cluster:Cluster::prod"), "provider parent %q", provider.Parent)
}

// The default storage class is encrypted gp3 through the EBS CSI driver, created with the
// cluster's own provider once the add-on exists.
func TestDefaultStorageClass(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())
	sc := res.resources.One(t, "kubernetes:storage.k8s.io/v1:StorageClass", "prod-gp3")
	assert.Equal(t, "ebs.csi.aws.com", sc.Input("provisioner"))
	assert.Equal(t, "WaitForFirstConsumer", sc.Input("volumeBindingMode"))
	params := sc.Inputs["parameters"].ObjectValue()
	assert.Equal(t, "gp3", params["type"].StringValue())
	assert.Equal(t, "true", params["encrypted"].StringValue())
	md := sc.Inputs["metadata"].ObjectValue()
	assert.Equal(t, StorageClassName, md["name"].StringValue())
	assert.Equal(t, "true", md["annotations"].ObjectValue()["storageclass.kubernetes.io/is-default-class"].StringValue())
	assert.Contains(t, sc.Provider, "pulumi:providers:kubernetes::prod-k8s", "storage class must use the cluster's provider")
	assert.True(t, slices.ContainsFunc(sc.Dependencies, func(u string) bool { return strings.HasSuffix(u, "prod-addon-aws-ebs-csi-driver") }),
		"storage class depends on the EBS CSI add-on: %v", sc.Dependencies)
}

func TestChildrenParentedAndNamed(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/admin"}
	res := mustRun(t, "prod", args)

	components := res.resources.ByType(TypeToken)
	require.Len(t, components, 1)
	assert.Equal(t, "prod", components[0].Name)

	counts := map[string]int{}
	for _, r := range res.resources {
		counts[r.Type]++
		if r.Type == TypeToken {
			continue
		}
		assert.Equal(t, componentURN("prod"), r.Parent, "%s %s parent", r.Type, r.Name)
		assert.True(t, strings.HasPrefix(r.Name, "prod-"), "%s name %q", r.Type, r.Name)
	}
	assert.Equal(t, map[string]int{
		TypeToken:       1,
		typeRole:        2,
		typeAttachment:  2,
		typeKey:         1,
		typeAlias:       1,
		typeCluster:     1,
		typeOIDC:        1,
		typeAccessEntry: 1,
		typeAccessAssoc: 1,
		typeAddon:       4,
		typeK8sProvider: 1,
		"kubernetes:storage.k8s.io/v1:StorageClass": 1,
	}, counts)
}

func TestValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *ClusterArgs)
		wantErr []string
	}{
		{name: "bad cluster name", mutate: func(a *ClusterArgs) { a.Name = "-prod" }, wantErr: []string{"Name: '-prod' is not a valid EKS cluster name"}},
		{name: "cluster name too long", mutate: func(a *ClusterArgs) { a.Name = strings.Repeat("a", 101) }, wantErr: []string{"is not a valid EKS cluster name"}},
		{name: "missing version", mutate: func(a *ClusterArgs) { a.Version = "" }, wantErr: []string{"Version: '' is not a valid EKS version"}},
		{name: "version with patch", mutate: func(a *ClusterArgs) { a.Version = "1.33.1" }, wantErr: []string{"Version: '1.33.1'"}},
		{name: "version v prefix", mutate: func(a *ClusterArgs) { a.Version = "v1.33" }, wantErr: []string{"Version: 'v1.33'"}},
		{name: "missing subnets", mutate: func(a *ClusterArgs) { a.SubnetIDs = nil }, wantErr: []string{"SubnetIDs: is required"}},
		{name: "one subnet", mutate: func(a *ClusterArgs) { a.SubnetIDs = pulumi.ToStringArray([]string{"subnet-a"}) }, wantErr: []string{"SubnetIDs: got 1 subnet(s)"}},
		{name: "open ipv4", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"0.0.0.0/0"} }, wantErr: []string{"PublicAccessCIDRs: '0.0.0.0/0' opens the API endpoint"}},
		{name: "open ipv6", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"::/0"} }, wantErr: []string{"PublicAccessCIDRs: '::/0' opens the API endpoint"}},
		{name: "not a cidr", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"203.0.113.5"} }, wantErr: []string{"PublicAccessCIDRs: '203.0.113.5' is not a valid CIDR block"}},
		{name: "host bits", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"203.0.113.5/24"} }, wantErr: []string{"'203.0.113.5/24' has host bits set: use the network address 203.0.113.0/24"}},
		{name: "duplicate cidr", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"203.0.113.0/24", "203.0.113.0/24"} }, wantErr: []string{"'203.0.113.0/24' is listed twice"}},
		{name: "assumed role arn", mutate: func(a *ClusterArgs) {
			a.AdminPrincipalARNs = []string{"arn:aws:sts::123456789012:assumed-role/admin/session"}
		}, wantErr: []string{"AdminPrincipalARNs: 'arn:aws:sts::123456789012:assumed-role/admin/session' is not a valid IAM principal ARN"}},
		{name: "short account", mutate: func(a *ClusterArgs) { a.AdminPrincipalARNs = []string{"arn:aws:iam::1234:role/admin"} }, wantErr: []string{"'arn:aws:iam::1234:role/admin' is not a valid IAM principal ARN"}},
		{name: "group arn", mutate: func(a *ClusterArgs) { a.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:group/admins"} }, wantErr: []string{"group/admins' is not a valid IAM principal ARN"}},
		{name: "duplicate admin", mutate: func(a *ClusterArgs) {
			a.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/admin"}
		}, wantErr: []string{"'arn:aws:iam::123456789012:role/admin' is listed twice"}},
		{name: "colliding admin keys", mutate: func(a *ClusterArgs) {
			a.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/admin", "arn:aws:iam::210987654321:role/Admin"}
		}, wantErr: []string{`both map to resource key "role-admin"`}},
		{name: "missing region", mutate: func(a *ClusterArgs) { a.Region = "" }, wantErr: []string{"Region: '' is not a valid AWS region"}},
		{name: "az instead of region", mutate: func(a *ClusterArgs) { a.Region = "us-east-1a" }, wantErr: []string{"Region: 'us-east-1a'"}},
		{name: "china region", mutate: func(a *ClusterArgs) { a.Region = "cn-north-1" }, wantErr: []string{"Region: 'cn-north-1' is outside the commercial aws partition"}},
		{name: "reserved tag", mutate: func(a *ClusterArgs) { a.Tags = map[string]string{"aws:owner": "x"} }, wantErr: []string{"Tags: 'aws:owner'"}},
		{name: "every problem at once", mutate: func(a *ClusterArgs) {
			a.Version = "latest"
			a.PublicAccessCIDRs = []string{"0.0.0.0/0"}
			a.Region = "mars"
		}, wantErr: []string{"Version: 'latest'", "'0.0.0.0/0' opens", "Region: 'mars'"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			tc.mutate(args)
			res, err := runCluster(t, "prod", args)
			require.Error(t, err)
			for _, want := range tc.wantErr {
				assert.ErrorContains(t, err, want)
			}
			assert.Empty(t, res.resources, "nothing may be registered when args are invalid")
		})
	}
}

func TestValidArgsVariants(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(a *ClusterArgs)
	}{
		{name: "ipv6 cidr", mutate: func(a *ClusterArgs) { a.PublicAccessCIDRs = []string{"2001:db8::/32"} }},
		{name: "role with path", mutate: func(a *ClusterArgs) {
			a.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd"}
		}},
		{name: "same name role and user", mutate: func(a *ClusterArgs) {
			a.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/ops", "arn:aws:iam::123456789012:user/ops"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			tc.mutate(args)
			assert.NoError(t, args.withDefaults().validate())
		})
	}
}

func TestWithDefaultsCopies(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.Tags = nil
	args.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/admin"}
	d := args.withDefaults()
	assert.NotNil(t, d.Tags, "nil tags become an empty map")
	d.AdminPrincipalARNs[0] = "changed"
	assert.Equal(t, "arn:aws:iam::123456789012:role/admin", args.AdminPrincipalARNs[0], "caller slice untouched")
}

func componentURN(name string) string {
	return "urn:pulumi:test::cutover::" + TypeToken + "::" + name
}

// childURN is the URN the mock monitor gives a direct child of the component.
func childURN(typ, name string) string {
	return "urn:pulumi:test::cutover::" + TypeToken + "$" + typ + "::" + name
}
