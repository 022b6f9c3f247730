package helmrelease

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type recorded struct {
	typ     string
	inputs  resource.PropertyMap
	version string
}

type mocks struct {
	mu  sync.Mutex
	got []recorded
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, recorded{typ: args.TypeToken, inputs: args.Inputs, version: args.RegisterRPC.GetVersion()})
	state := args.Inputs.Copy()
	state["status"] = resource.NewPropertyValue(map[string]any{"name": "r", "namespace": "ns", "status": "deployed"})
	return args.Name + "-id", state, nil
}

func (m *mocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// The release is registered with the provider's token, property names and SDK version, exactly as
// the SDK's helm/v3 Release would be.
func TestNewRelease(t *testing.T) {
	m := &mocks{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewRelease(ctx, "kps", &ReleaseArgs{
			Chart: pulumi.String("kube-prometheus-stack"), Version: pulumi.String("1.2.3"),
			Repo: pulumi.String("https://charts.example"), Namespace: pulumi.String("monitoring"),
			Values: pulumi.Map{"grafana": pulumi.Map{"adminPassword": pulumi.ToSecret(pulumi.String("pw"))}},
			Atomic: pulumi.Bool(true), Timeout: pulumi.Int(600),
		})
		return err
	}, pulumi.WithMocks("cutover", "test", m))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.got) != 1 {
		t.Fatalf("registered %d resources", len(m.got))
	}
	r := m.got[0]
	if r.typ != "kubernetes:helm.sh/v3:Release" || r.version != "4.32.0" {
		t.Fatalf("type %s version %s", r.typ, r.version)
	}
	want := map[string]any{
		"chart": "kube-prometheus-stack", "version": "1.2.3", "namespace": "monitoring",
		"atomic": true, "timeout": 600.0, "compat": "true",
	}
	for k, v := range want {
		if got := r.inputs[resource.PropertyKey(k)]; got.V != v {
			t.Errorf("%s = %v, want %v", k, got.V, v)
		}
	}
	repo := r.inputs["repositoryOpts"].ObjectValue()["repo"].StringValue()
	if repo != "https://charts.example" {
		t.Errorf("repositoryOpts.repo = %q", repo)
	}
	pw := r.inputs["values"].ObjectValue()["grafana"].ObjectValue()["adminPassword"]
	if !pw.IsSecret() {
		t.Errorf("the password value lost its secretness: %v", pw)
	}
}

func TestNewReleaseNeedsChart(t *testing.T) {
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewRelease(ctx, "x", &ReleaseArgs{})
		return err
	}, pulumi.WithMocks("cutover", "test", &mocks{}))
	if err == nil || !strings.Contains(err.Error(), "Chart is required") {
		t.Fatalf("error = %v", err)
	}
}
