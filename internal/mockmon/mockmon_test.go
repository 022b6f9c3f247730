package mockmon

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type component struct{ pulumi.ResourceState }

// program registers a component with a few custom children, as a component under test would.
func program(ctx *pulumi.Context) error {
	c := &component{}
	if err := ctx.RegisterComponentResource("cutover:test:Thing", "thing", c); err != nil {
		return err
	}
	var vpc, eip, role, lb, pcx pulumi.CustomResourceState
	if err := ctx.RegisterResource("aws:ec2/vpc:Vpc", "thing-vpc", pulumi.Map{
		"cidrBlock": pulumi.String("10.0.0.0/16"),
		"tags":      pulumi.StringMap{"Name": pulumi.String("thing-vpc")},
	}, &vpc, pulumi.Parent(c), pulumi.Protect(true)); err != nil {
		return err
	}
	if err := ctx.RegisterResource("aws:ec2/eip:Eip", "thing-ip-a", pulumi.Map{"domain": pulumi.String("vpc")}, &eip,
		pulumi.Parent(c), pulumi.RetainOnDelete(true), pulumi.DependsOn([]pulumi.Resource{&vpc})); err != nil {
		return err
	}
	if err := ctx.RegisterResource("aws:iam/role:Role", "thing-role", pulumi.Map{}, &role, pulumi.Parent(c)); err != nil {
		return err
	}
	if err := ctx.RegisterResource("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "thing-peering", pulumi.Map{
		"autoAccept": pulumi.Bool(true),
		"secret":     pulumi.ToSecret(pulumi.String("hidden")),
	}, &pcx, pulumi.Parent(c), pulumi.DeleteBeforeReplace(true), pulumi.IgnoreChanges([]string{"tags"})); err != nil {
		return err
	}
	return ctx.RegisterResource("kubernetes:core/v1:Service", "thing-service", pulumi.Map{
		"spec": pulumi.Map{"type": pulumi.String("LoadBalancer")},
	}, &lb, pulumi.Parent(c), pulumi.Version("4.32.0"), pulumi.PluginDownloadURL("https://plugins.example/"))
}

func TestRecordsTheGraphWithEngineURNs(t *testing.T) {
	t.Parallel()
	m := New()
	require.NoError(t, m.Run(program))
	rs := m.Sorted()
	require.Len(t, rs, 6)

	comp := rs.One(t, "cutover:test:Thing", "thing")
	assert.Equal(t, "urn:pulumi:test::cutover::cutover:test:Thing::thing", comp.URN)
	assert.False(t, comp.Custom)
	assert.Empty(t, comp.ID, "components get no ID")

	vpc := rs.One(t, "aws:ec2/vpc:Vpc", "thing-vpc")
	assert.Equal(t, "urn:pulumi:test::cutover::cutover:test:Thing$aws:ec2/vpc:Vpc::thing-vpc", vpc.URN)
	assert.Equal(t, comp.URN, vpc.Parent)
	assert.True(t, vpc.Custom)
	assert.True(t, vpc.Protect)
	assert.True(t, vpc.IsChildOf("cutover:test:Thing", "thing"))
	assert.False(t, vpc.IsChildOf("cutover:test:Thing", "other"))
	assert.Equal(t, map[string]string{"Name": "thing-vpc"}, vpc.Tags())
	assert.Equal(t, "10.0.0.0/16", vpc.Str("cidrBlock"))
	assert.Equal(t, "", vpc.Str("missing"))

	eip := rs.One(t, "aws:ec2/eip:Eip", "thing-ip-a")
	assert.True(t, eip.RetainOnDelete)
	assert.Equal(t, []string{vpc.URN}, eip.Dependencies)

	pcx := rs.One(t, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "thing-peering")
	assert.True(t, pcx.DeleteBeforeReplace)
	assert.Equal(t, []string{"tags"}, pcx.IgnoreChanges)
	assert.Equal(t, "hidden", pcx.Input("secret"), "secrets are unwrapped")
	assert.Nil(t, pcx.Input("missing"))

	svc := rs.One(t, "kubernetes:core/v1:Service", "thing-service")
	assert.Equal(t, "4.32.0", svc.Version)
	assert.Equal(t, "https://plugins.example/", svc.PluginDownloadURL)

	assert.Equal(t, []string{"thing", "thing-ip-a", "thing-peering", "thing-role", "thing-service", "thing-vpc"}, rs.Names())
	assert.Len(t, rs.Children(comp.URN), 5)
	assert.Same(t, vpc, rs.ByName()["thing-vpc"])
	for i := 1; i < len(rs); i++ {
		assert.Less(t, rs[i-1].URN, rs[i].URN, "Sorted orders by URN")
	}
}

// The fakes are clearly fake, typed by resource, and the same in every run.
func TestFakeOutputsAreDeterministicAndFake(t *testing.T) {
	t.Parallel()
	first := New()
	require.NoError(t, first.Run(program))
	b, err := Record(program)
	require.NoError(t, err)
	a := first.Sorted()
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].ID, b[i].ID, a[i].Name)
		assert.True(t, a[i].State.DeepEquals(b[i].State), a[i].Name)
	}

	vpc := a.One(t, "aws:ec2/vpc:Vpc", "thing-vpc")
	assert.Regexp(t, `^vpc-[0-9a-f]{17}$`, vpc.ID)
	assert.Equal(t, vpc.ID, vpc.Output("id"))
	assert.Equal(t, "arn:aws:ec2:us-east-1:123456789012:vpc/thing-vpc", vpc.Output("arn"))
	assert.Equal(t, "10.0.0.0/16", vpc.Output("cidrBlock"), "inputs are echoed")

	eip := a.One(t, "aws:ec2/eip:Eip", "thing-ip-a")
	assert.Regexp(t, `^eipalloc-[0-9a-f]{17}$`, eip.ID)
	assert.Regexp(t, `^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$`, eip.Output("publicIp"))

	role := a.One(t, "aws:iam/role:Role", "thing-role")
	assert.Equal(t, "arn:aws:iam::123456789012:role/thing-role", role.Output("arn"))
	assert.Equal(t, "thing-role", role.Output("name"))

	pcx := a.One(t, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "thing-peering")
	assert.Equal(t, "active", pcx.Output("acceptStatus"))

	svc := a.One(t, "kubernetes:core/v1:Service", "thing-service")
	host := At(t, svc.State, "status", "loadBalancer", "ingress", 0, "hostname").StringValue()
	assert.Regexp(t, `^k8s-[0-9a-f]{10}-[0-9a-f]{10}\.elb\.us-east-1\.example$`, host)
	assert.Nil(t, svc.Output("arn"), "only aws: resources get an ARN")
}

func TestStackAndRegionOptions(t *testing.T) {
	t.Parallel()
	percent := 25
	m := &Monitor{Stack: "production-eu", Region: "eu-west-1", DeployedPercent: &percent}
	var percentOut pulumi.AnyOutput
	err := m.Run(func(ctx *pulumi.Context) error {
		ref, err := pulumi.NewStackReference(ctx, "organization/cutover/production-eu", nil)
		if err != nil {
			return err
		}
		percentOut = ref.GetOutput(pulumi.String("awsTrafficPercent"))
		var role pulumi.CustomResourceState
		return ctx.RegisterResource("aws:kms/key:Key", "key", pulumi.Map{}, &role)
	})
	require.NoError(t, err)
	rs := m.Sorted()
	key := rs.One(t, "aws:kms/key:Key", "key")
	assert.Equal(t, "urn:pulumi:production-eu::cutover::aws:kms/key:Key::key", key.URN)
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/key", key.Output("arn"))
	assert.Equal(t, key.ID, key.Output("keyId"))

	ref := rs.One(t, "pulumi:pulumi:StackReference", "organization/cutover/production-eu")
	assert.True(t, ref.Read)
	assert.Equal(t, map[string]any{"awsTrafficPercent": float64(25)}, ref.Output("outputs"))
	assert.NotNil(t, percentOut)
}

func TestOutputsOverrideAndID(t *testing.T) {
	t.Parallel()
	m := New()
	m.Outputs = map[string]func(Recorded) resource.PropertyMap{
		"aws:ec2/eip:Eip": func(r Recorded) resource.PropertyMap {
			letter := r.Name[len(r.Name)-1:]
			assert.NotEmpty(t, r.State["publicIp"], "the override sees the built-in fake")
			return resource.PropertyMap{
				"id":       resource.NewProperty("eipalloc-0000000000000000" + letter),
				"publicIp": resource.NewProperty("198.51.100.10"),
			}
		},
	}
	var ip *Captured[string]
	require.NoError(t, m.Run(func(ctx *pulumi.Context) error {
		var eip pulumi.CustomResourceState
		if err := ctx.RegisterResource("aws:ec2/eip:Eip", "ip-a", pulumi.Map{}, &eip); err != nil {
			return err
		}
		ip = Capture[string](eip.ID().ToStringOutput())
		return nil
	}))
	eip := m.Sorted().One(t, "aws:ec2/eip:Eip", "ip-a")
	assert.Equal(t, "eipalloc-0000000000000000a", eip.ID)
	assert.Equal(t, "198.51.100.10", eip.Output("publicIp"))
	assert.Regexp(t, `^eipalloc-[0-9a-f]{17}$`, eip.Output("allocationId"), "properties the override does not name keep the built-in fake")
	assert.Equal(t, "eipalloc-0000000000000000a", ip.Get(t))
}

func TestInvokes(t *testing.T) {
	t.Parallel()
	m := New()
	m.Invokes = map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
		"test:index:answer": func(args resource.PropertyMap) (resource.PropertyMap, error) {
			return resource.PropertyMap{"echo": args["q"]}, nil
		},
	}
	invoke := func(token string, args map[string]any) (map[string]any, error) {
		var out map[string]any
		err := m.Run(func(ctx *pulumi.Context) error {
			return ctx.Invoke(token, args, &out)
		})
		return out, err
	}

	out, err := invoke("test:index:answer", map[string]any{"q": "ping"})
	require.NoError(t, err)
	assert.Equal(t, "ping", out["echo"])

	out, err = invoke("aws:index/getCallerIdentity:getCallerIdentity", map[string]any{})
	require.NoError(t, err)
	assert.Equal(t, Account, out["accountId"])

	out, err = invoke("heroku:app/getApp:getApp", map[string]any{"name": "demo"})
	require.NoError(t, err)
	assert.Regexp(t, `^https://demo-[0-9a-f]{12}\.herokuapp\.example/$`, out["webUrl"])

	_, err = invoke("aws:s3/getBucket:getBucket", map[string]any{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no answer for function aws:s3/getBucket:getBucket")

	var tokens []string
	for _, inv := range m.Invocations() {
		tokens = append(tokens, inv.Token)
	}
	assert.Equal(t, []string{
		"test:index:answer", "aws:index/getCallerIdentity:getCallerIdentity",
		"heroku:app/getApp:getApp", "aws:s3/getBucket:getBucket",
	}, tokens)
}

// fakeT records a failure instead of stopping the test, to test the helpers that fail.
type fakeT struct{ failed []string }

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = append(f.failed, fmt.Sprintf(format, args...))
}

func TestQueryHelpers(t *testing.T) {
	t.Parallel()
	rs := Records{
		{Type: "a:b:C", Name: "z", URN: "u1", Parent: "p"},
		{Type: "a:b:C", Name: "y", URN: "u2"},
		{Type: "a:b:D", Name: "y", URN: "u3", Parent: "p"},
	}
	byType := rs.ByType("a:b:C")
	require.Len(t, byType, 2)
	assert.Equal(t, "y", byType[0].Name, "ByType orders by name")
	assert.Len(t, rs.Find("a:b:C", "z"), 1)
	assert.Empty(t, rs.Find("a:b:C", "x"))
	assert.Equal(t, []string{"a:b:C/y", "a:b:C/z", "a:b:D/y"}, rs.TypedNames())
	assert.Len(t, rs.Children("p"), 2)

	f := &fakeT{}
	rs.One(f, "a:b:C", "missing")
	require.Len(t, f.failed, 1)
	assert.Contains(t, f.failed[0], `want exactly one a:b:C named "missing", found 0`)

	twice := append(Records{{Type: "a:b:C", Name: "z", URN: "u4"}}, rs...)
	f = &fakeT{}
	twice.One(f, "a:b:C", "z")
	require.Len(t, f.failed, 1)
	assert.Contains(t, f.failed[0], "found 2")
}

func TestPropertyHelpers(t *testing.T) {
	t.Parallel()
	m := resource.NewPropertyMapFromMap(map[string]any{
		"spec": map[string]any{"containers": []any{map[string]any{"image": "api:1"}}, "empty": nil},
		"name": "api", "port": 443, "public": true,
	})
	m["secret"] = resource.MakeSecret(resource.NewPropertyValue(map[string]any{"password": "x"}))

	assert.Equal(t, "api:1", At(t, m, "spec", "containers", 0, "image").StringValue())
	assert.Equal(t, "x", At(t, m, "secret", "password").StringValue(), "secrets are walked through")
	assert.True(t, Has(m, "spec", "containers"))
	assert.False(t, Has(m, "spec", "empty"), "null counts as absent")
	assert.False(t, Has(m, "spec", "missing"))
	assert.Equal(t, "api", String(t, m, "name"))
	assert.Equal(t, 443, Int(t, m, "port"))
	assert.True(t, Bool(t, m, "public"))

	f := &fakeT{}
	At(f, m, "spec", "containers", 3)
	String(f, m, "port")
	Int(f, m, "name")
	Bool(f, m, "missing")
	require.Len(t, f.failed, 4)
	assert.Contains(t, f.failed[0], "no index 3")
	assert.Contains(t, f.failed[1], `input "port"`)
	assert.True(t, strings.HasSuffix(f.failed[3], "want a bool"))

	assert.Equal(t, map[string]any{"password": "x"}, Plain(m["secret"]))
	assert.Equal(t, float64(443), Plain(m["port"]))
}

func TestCaptureNeverCaptured(t *testing.T) {
	t.Parallel()
	f := &fakeT{}
	var c *Captured[string]
	assert.Equal(t, "", c.Get(f))
	require.Len(t, f.failed, 1)
	assert.Regexp(t, regexp.MustCompile("never captured"), f.failed[0])
}

// An output of plain values is not tracked by the run; Get still sees its value.
func TestCapturePlainOutput(t *testing.T) {
	t.Parallel()
	var ids *Captured[map[string]string]
	require.NoError(t, New().Run(func(ctx *pulumi.Context) error {
		ids = Capture[map[string]string](pulumi.StringMap{"a": pulumi.String("x")}.ToStringMapOutput())
		return nil
	}))
	assert.Equal(t, map[string]string{"a": "x"}, ids.Get(t))
}

func TestURN(t *testing.T) {
	t.Parallel()
	parent := URN("dev", "", "cutover:network:Network", "net")
	assert.Equal(t, "urn:pulumi:dev::cutover::cutover:network:Network::net", parent)
	assert.Equal(t, "urn:pulumi:dev::cutover::cutover:network:Network$aws:ec2/vpc:Vpc::net-vpc",
		URN("dev", parent, "aws:ec2/vpc:Vpc", "net-vpc"))
	// The root stack does not qualify its children's types.
	root := "urn:pulumi:dev::cutover::pulumi:pulumi:Stack::cutover-dev"
	assert.Equal(t, "urn:pulumi:dev::cutover::aws:ec2/vpc:Vpc::v", URN("dev", root, "aws:ec2/vpc:Vpc", "v"))
}
