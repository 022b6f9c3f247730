package helmrelease

import (
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/mockmon"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The release is registered with the provider's token, property names and SDK version, exactly as
// the SDK's helm/v3 Release would be.
func TestNewRelease(t *testing.T) {
	t.Parallel()
	recs, err := mockmon.Record(func(ctx *pulumi.Context) error {
		_, err := NewRelease(ctx, "kps", &ReleaseArgs{
			Chart: pulumi.String("kube-prometheus-stack"), Version: pulumi.String("1.2.3"),
			Repo: pulumi.String("https://charts.example"), Namespace: pulumi.String("monitoring"),
			Values: pulumi.Map{"grafana": pulumi.Map{"adminPassword": pulumi.ToSecret(pulumi.String("pw"))}},
			Atomic: pulumi.Bool(true), Timeout: pulumi.Int(600),
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r := recs.One(t, TypeToken, "kps")
	if r.Version != "4.32.0" {
		t.Fatalf("plugin version %q, want the SDK's 4.32.0", r.Version)
	}
	want := map[string]any{
		"chart": "kube-prometheus-stack", "version": "1.2.3", "namespace": "monitoring",
		"atomic": true, "timeout": 600.0, "compat": "true",
	}
	for k, v := range want {
		if got := r.Inputs[resource.PropertyKey(k)]; got.V != v {
			t.Errorf("%s = %v, want %v", k, got.V, v)
		}
	}
	if repo := r.Inputs["repositoryOpts"].ObjectValue()["repo"].StringValue(); repo != "https://charts.example" {
		t.Errorf("repositoryOpts.repo = %q", repo)
	}
	if pw := r.Inputs["values"].ObjectValue()["grafana"].ObjectValue()["adminPassword"]; !pw.IsSecret() {
		t.Errorf("the password value lost its secretness: %v", pw)
	}
}

func TestNewReleaseNeedsChart(t *testing.T) {
	t.Parallel()
	_, err := mockmon.Record(func(ctx *pulumi.Context) error {
		_, err := NewRelease(ctx, "x", &ReleaseArgs{})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "Chart is required") {
		t.Fatalf("error = %v", err)
	}
}
