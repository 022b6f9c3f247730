package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupKeepsAbsentUnknownAndKnownApart(t *testing.T) {
	t.Parallel()
	m := resource.FromResourcePropertyMap(resource.PropertyMap{
		"known":   resource.NewPropertyValue(map[string]any{"list": []any{"x"}}),
		"unknown": computed(),
	})
	assert.Equal(t, "x", lookup(m, "known", "list", 0).AsString())
	assert.True(t, lookup(m, "known", "list", 1).IsNull(), "index out of range is absent")
	assert.True(t, lookup(m, "missing", "deeper").IsNull())
	assert.True(t, lookup(m, "unknown", "deeper", 0).IsComputed(), "anything below an unknown is unknown")
	assert.True(t, lookup(m, "known", "list", "key").IsNull(), "a key into an array is absent")
}

func TestScalarReaders(t *testing.T) {
	t.Parallel()
	b, ok := boolean(property.New("true"))
	assert.True(t, b && ok, "the AWS SDK's string booleans count")
	_, ok = boolean(property.New("yes"))
	assert.False(t, ok)
	n, ok := num(property.New("60"))
	assert.True(t, ok)
	assert.Equal(t, 60.0, n)
	s, ok := str(property.New(2.0))
	assert.True(t, ok)
	assert.Equal(t, "2", s)
	list, unknown := strList(property.New([]property.Value{property.New("a"), property.New(property.Computed)}))
	assert.Equal(t, []string{"a"}, list)
	assert.True(t, unknown)
	assert.Equal(t, "[secret]", render(property.New("hunter2").WithSecret(true)))
}

func TestImagePinned(t *testing.T) {
	t.Parallel()
	cases := []struct {
		image string
		want  bool
	}{
		{"registry.example/api:1.4.2", true},
		{"registry.example/api@sha256:" + string(bytes.Repeat([]byte("a"), 64)), true},
		{"registry.example:5000/api:2", true},
		{"registry.example:5000/api", false},
		{"api", false},
		{"api:latest", false},
		{"api:", false},
	}
	for _, tc := range cases {
		got, why := imagePinned(tc.image)
		assert.Equal(t, tc.want, got, "%s (%s)", tc.image, why)
	}
}

func TestUserDataLayers(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, err := zw.Write([]byte("export AWS_ACCESS_KEY_ID=ASIAIOSFODNN7EXAMPLE"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	encoded := base64.StdEncoding.EncodeToString(zipped.Bytes())
	texts := userDataTexts(encoded)
	require.NotEmpty(t, texts)
	assert.Contains(t, texts[len(texts)-1], "ASIAIOSFODNN7EXAMPLE", "base64 then gzip is read through")
	r := policyx.AnalyzerResource{Type: typeLaunchTemplate, Name: "lt", Properties: property.NewMap(map[string]property.Value{"userData": property.New(encoded)})}
	msgs := checkUserDataNoKeys(nil, r)
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "ASIA************MPLE")
	assert.NotContains(t, msgs[0], "ASIAIOSFODNN7EXAMPLE", "the key is masked in the message")
}

func TestIAMHelpers(t *testing.T) {
	t.Parallel()
	for action, read := range map[string]bool{
		"ec2:DescribeInstances": true, "ec2:Describe*": true, "s3:GetObject": true, "dynamodb:Query": true,
		"s3:PutObject": false, "s3:*": false, "kms:Decrypt": false, "iam:PassRole": false, "*": false,
	} {
		assert.Equal(t, read, isReadAction(action), action)
	}
	for sub, ok := range map[string]bool{
		"system:serviceaccount:apps:api": true,
		"system:serviceaccount:apps:*":   false,
		"system:serviceaccount:apps":     false,
		"system:serviceaccount::api":     false,
		"apps:api":                       false,
	} {
		assert.Equal(t, ok, isServiceAccountSubject(sub), sub)
	}
	single, ok, err := parseDocument(property.New(`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`))
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, single.Statement, 1, "a single Statement object is read as a list of one")
	assert.Equal(t, []string{"s3:GetObject"}, anyStrings(single.Statement[0].Action))
	doc, ok, err := parseDocument(property.New(map[string]property.Value{
		"Statement": property.New([]property.Value{property.New(map[string]property.Value{
			"Effect": property.New("Allow"), "Action": property.New("*"), "Resource": property.New("*"),
		})}),
	}))
	require.NoError(t, err)
	require.True(t, ok, "a policy given as an object is read too")
	assert.Len(t, documentViolations("p", doc), 1)
	_, ok, err = parseDocument(property.New(property.Computed))
	assert.False(t, ok)
	assert.NoError(t, err)
}

func TestSelectors(t *testing.T) {
	t.Parallel()
	labels := map[string]string{"app": "api", "tier": "web"}
	sel := func(m map[string]any) property.Value {
		return resource.FromResourcePropertyValue(resource.NewPropertyValue(m))
	}
	cases := []struct {
		name     string
		selector property.Value
		want     tri
	}{
		{"empty selects all", sel(map[string]any{}), yes},
		{"match labels", sel(map[string]any{"matchLabels": map[string]any{"app": "api"}}), yes},
		{"other labels", sel(map[string]any{"matchLabels": map[string]any{"app": "worker"}}), no},
		{"In", sel(map[string]any{"matchExpressions": []any{map[string]any{"key": "tier", "operator": "In", "values": []any{"web", "edge"}}}}), yes},
		{"NotIn", sel(map[string]any{"matchExpressions": []any{map[string]any{"key": "tier", "operator": "NotIn", "values": []any{"web"}}}}), no},
		{"DoesNotExist", sel(map[string]any{"matchExpressions": []any{map[string]any{"key": "canary", "operator": "DoesNotExist"}}}), yes},
		{"unknown selector", property.New(property.Computed), maybe},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, selects(tc.selector, labels, true), tc.name)
	}
	assert.Equal(t, maybe, selects(cases[2].selector, nil, false), "unknown pod labels cannot be told apart")
}

func TestSubnetTier(t *testing.T) {
	t.Parallel()
	tags := func(m map[string]any) property.Map {
		return resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(map[string]any{"tags": m}))
	}
	cases := []struct {
		name            string
		props           property.Map
		resourceName    string
		public, decided bool
	}{
		{"elb role tag", tags(map[string]any{publicELBSubnetTag: "1"}), "net-a", true, true},
		{"internal elb role tag", tags(map[string]any{internalELBSubnetTag: "1"}), "net-public-a", false, true},
		{"tier tag", tags(map[string]any{"Tier": "Public"}), "net-a", true, true},
		{"name", tags(map[string]any{}), "network-public-a", true, true},
		{"unmarked is private", tags(map[string]any{}), "network-a", false, true},
		{"unknown tags", resource.FromResourcePropertyMap(resource.PropertyMap{"tags": computed()}), "network-a", false, false},
	}
	for _, tc := range cases {
		public, decided := subnetTier(tc.props, tc.resourceName)
		assert.Equal(t, [2]bool{tc.public, tc.decided}, [2]bool{public, decided}, tc.name)
	}
}

func TestGraphResolvesReferences(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var stack []policyx.AnalyzerResource
	for _, r := range f.list() {
		stack = append(stack, r.analyzerResource(r.stackProperties()))
	}
	g := newGraph(stack)
	nat := g.byURN[f.urn("network-nat-a")]
	l := g.ref(nat, "allocationId", typeEip)
	require.Len(t, l.targets, 1)
	assert.Equal(t, "egress-eip-a", l.targets[0].Name, "by ID")

	f.preview()
	stack = nil
	for _, r := range f.list() {
		stack = append(stack, r.analyzerResource(r.stackProperties()))
	}
	g = newGraph(stack)
	l = g.ref(g.byURN[f.urn("network-nat-a")], "allocationId", typeEip)
	require.Len(t, l.targets, 1)
	assert.Equal(t, "egress-eip-a", l.targets[0].Name, "by dependency while the ID is unknown")

	// A dependency on a component stands for the resources inside it.
	nat = g.byURN[f.urn("network-nat-b")]
	nat.PropertyDependencies = map[string][]string{"allocationId": {f.urn("egress")}}
	l = g.ref(nat, "allocationId", typeEip)
	assert.Len(t, l.targets, 2)

	nat.PropertyDependencies = nil
	l = g.ref(nat, "allocationId", typeEip)
	assert.True(t, l.unknown)
	assert.Empty(t, l.targets)
}

// The engine hands stack policies the live Kubernetes object (the API server fills spec.replicas)
// with the program's inputs under __inputs; the rules read what the program declared.
func TestKubernetesOutputsAreReadThroughInputs(t *testing.T) {
	t.Parallel()
	live := func(f *fixture, withInputs bool) {
		d := f.get("api-deployment")
		out := resource.PropertyMap{}
		for k, v := range d.Inputs {
			out[k] = v
		}
		spec := resource.PropertyMap{}
		for k, v := range d.Inputs["spec"].ObjectValue() {
			spec[k] = v
		}
		spec["replicas"] = resource.NewNumberProperty(3)
		out["spec"] = resource.NewObjectProperty(spec)
		if withInputs {
			out["__inputs"] = resource.NewObjectProperty(d.Inputs)
		}
		d.Outputs = out
	}
	f := newFixture(t)
	live(f, true)
	vs, err := Check(f.list(), f.cfg)
	require.NoError(t, err)
	assert.Empty(t, vs)

	f = newFixture(t)
	live(f, false)
	vs, err = Check(f.list(), f.cfg)
	require.NoError(t, err)
	assert.Equal(t, want(hit{pK8S07, "api-deployment"}), hitsOf(vs, f))
}

func TestProviderURNOf(t *testing.T) {
	t.Parallel()
	u := "urn:pulumi:test::cutover::pulumi:providers:aws::default"
	assert.Equal(t, u, providerURNOf(u+"::04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
	assert.Equal(t, u, providerURNOf(u))
	assert.Equal(t, "", providerURNOf(""))
}
