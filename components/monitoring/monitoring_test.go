package monitoring

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
	k8scorev1 "k8s.io/api/core/v1"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const fakePassword = "example-grafana-password-0123"

func baseArgs() *MonitoringArgs {
	return &MonitoringArgs{
		GrafanaAdminPassword: pulumi.ToSecret(pulumi.String(fakePassword)).(pulumi.StringOutput),
		APINamespace:         "apps",
		APIService:           "api",
	}
}

// secretOnPath reports whether the value at path, or any value enclosing it,
// is marked secret.
func secretOnPath(t *testing.T, m resource.PropertyMap, path ...string) bool {
	t.Helper()
	v := resource.NewObjectProperty(m)
	secret := false
	for _, key := range path {
		for v.IsSecret() {
			secret = true
			v = v.SecretValue().Element
		}
		require.True(t, v.IsObject(), "path %v: %q is not under an object", path, key)
		next, ok := v.ObjectValue()[resource.PropertyKey(key)]
		require.True(t, ok, "path %v: key %q missing", path, key)
		v = next
	}
	return secret || v.IsSecret()
}

// plaintextLeaks reports whether needle appears in a string that is not
// inside a secret.
func plaintextLeaks(v resource.PropertyValue, needle string) bool {
	switch {
	case v.IsSecret():
		return false
	case v.IsString():
		return strings.Contains(v.StringValue(), needle)
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			if plaintextLeaks(e, needle) {
				return true
			}
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			if plaintextLeaks(e, needle) {
				return true
			}
		}
	}
	return false
}

func TestMonitoringGraph(t *testing.T) {
	var grafana, prometheus *mockmon.Captured[string]
	rec, err := run(t, func(ctx *pulumi.Context) error {
		m, err := NewMonitoring(ctx, "monitoring", baseArgs())
		if err != nil {
			return err
		}
		grafana = mockmon.Capture[string](m.GrafanaService)
		prometheus = mockmon.Capture[string](m.PrometheusService)
		return nil
	})
	require.NoError(t, err)
	component := rec.One(t, "cutover:monitoring:Monitoring", "monitoring")

	nsRec := rec.One(t, "kubernetes:core/v1:Namespace", "monitoring-namespace")
	require.Equal(t, component.URN, nsRec.Parent)
	raw, err := json.Marshal(nsRec.Inputs.Mappable())
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ns k8scorev1.Namespace
	require.NoError(t, dec.Decode(&ns))
	require.Equal(t, "monitoring", ns.Name)

	release := rec.One(t, "kubernetes:helm.sh/v3:Release", "monitoring-release")
	require.Equal(t, component.URN, release.Parent)
	in := release.Inputs
	require.Equal(t, "kube-prometheus-stack", in["chart"].StringValue())
	require.Equal(t, "81.4.5", in["version"].StringValue())
	require.Equal(t, "kube-prometheus-stack", in["name"].StringValue())
	require.Equal(t, "monitoring", in["namespace"].StringValue())
	require.Equal(t, "https://prometheus-community.github.io/helm-charts",
		in["repositoryOpts"].ObjectValue()["repo"].StringValue())

	// The password reaches the chart as a secret and nowhere as plaintext.
	require.True(t, secretOnPath(t, in, "values", "grafana", "adminPassword"))
	for _, r := range rec {
		require.False(t, plaintextLeaks(resource.NewObjectProperty(r.Inputs), fakePassword), "%s leaks the password", r.Name)
	}

	values := unsecret(in["values"]).ObjectValue()
	spec := unsecret(values["prometheus"]).ObjectValue()["prometheusSpec"].ObjectValue()
	require.Equal(t, "15d", spec["retention"].StringValue())
	require.Equal(t, "42GB", spec["retentionSize"].StringValue())
	require.False(t, spec["serviceMonitorSelectorNilUsesHelmValues"].BoolValue())
	require.False(t, spec["ruleSelectorNilUsesHelmValues"].BoolValue())
	pvc := spec["storageSpec"].ObjectValue()["volumeClaimTemplate"].ObjectValue()["spec"].ObjectValue()
	require.Equal(t, "gp3", pvc["storageClassName"].StringValue())
	require.Equal(t, "50Gi", pvc["resources"].ObjectValue()["requests"].ObjectValue()["storage"].StringValue())
	require.Equal(t, "ReadWriteOnce", pvc["accessModes"].ArrayValue()[0].StringValue())

	// ServiceMonitor and PrometheusRule wait for the release (their CRDs).
	sm := rec.One(t, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "monitoring-api-servicemonitor")
	rule := rec.One(t, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "monitoring-api-rules")
	for _, r := range []*mockmon.Recorded{sm, rule} {
		require.Equal(t, component.URN, r.Parent, r.Name)
		require.Contains(t, r.Dependencies, release.URN, "%s must depend on the release", r.Name)
		require.Equal(t, "monitoring.coreos.com/v1", r.Inputs["apiVersion"].StringValue())
		require.Equal(t, "monitoring", r.Inputs["metadata"].ObjectValue()["namespace"].StringValue())
	}
	smSpec := sm.Inputs["spec"].ObjectValue()
	require.Equal(t, "ServiceMonitor", sm.Inputs["kind"].StringValue())
	require.Equal(t, "apps", smSpec["namespaceSelector"].ObjectValue()["matchNames"].ArrayValue()[0].StringValue())
	require.Equal(t, "api", smSpec["selector"].ObjectValue()["matchLabels"].ObjectValue()["app.kubernetes.io/name"].StringValue())
	endpoint := smSpec["endpoints"].ArrayValue()[0].ObjectValue()
	require.Equal(t, "http", endpoint["port"].StringValue())
	require.Equal(t, "/metrics", endpoint["path"].StringValue())

	require.Equal(t, "PrometheusRule", rule.Inputs["kind"].StringValue())
	groups := rule.Inputs["spec"].ObjectValue()["groups"].ArrayValue()
	require.Len(t, groups, 1)
	rules := groups[0].ObjectValue()["rules"].ArrayValue()
	require.Len(t, rules, 4)
	require.Equal(t, RecordErrorRatio, rules[0].ObjectValue()["record"].StringValue())
	require.Equal(t, ErrorRatioExpr("apps", "api"), rules[0].ObjectValue()["expr"].StringValue())
	require.Equal(t, RecordP99Latency, rules[1].ObjectValue()["record"].StringValue())
	require.Equal(t, `cutover:api_5xx_ratio:rate5m{namespace="apps",service="api"} > 0.01`, rules[2].ObjectValue()["expr"].StringValue())
	require.Equal(t, `cutover:api_latency_p99_seconds:5m{namespace="apps",service="api"} > 0.5`, rules[3].ObjectValue()["expr"].StringValue())

	require.Equal(t, "monitoring/kube-prometheus-stack-grafana:80", grafana.Get(t))
	require.Equal(t, "monitoring/kube-prometheus-stack-prometheus:9090", prometheus.Get(t))
}

func unsecret(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

func TestMonitoringCustomSettings(t *testing.T) {
	rec, err := run(t, func(ctx *pulumi.Context) error {
		a := baseArgs()
		a.Namespace, a.RetentionDays, a.StorageGiB, a.StorageClass = "observability", 30, 200, "gp3-encrypted"
		a.APIPortName, a.ErrorRatioThreshold, a.P99LatencySeconds = "metrics", 0.005, 0.3
		_, err := NewMonitoring(ctx, "mon", a)
		return err
	})
	require.NoError(t, err)
	release := rec.One(t, "kubernetes:helm.sh/v3:Release", "mon-release")
	require.Equal(t, "observability", release.Inputs["namespace"].StringValue())
	spec := unsecret(unsecret(release.Inputs["values"]).ObjectValue()["prometheus"]).ObjectValue()["prometheusSpec"].ObjectValue()
	require.Equal(t, "30d", spec["retention"].StringValue())
	pvc := spec["storageSpec"].ObjectValue()["volumeClaimTemplate"].ObjectValue()["spec"].ObjectValue()
	require.Equal(t, "gp3-encrypted", pvc["storageClassName"].StringValue())
	require.Equal(t, "200Gi", pvc["resources"].ObjectValue()["requests"].ObjectValue()["storage"].StringValue())

	sm := rec.One(t, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "mon-api-servicemonitor")
	require.Equal(t, "metrics", sm.Inputs["spec"].ObjectValue()["endpoints"].ArrayValue()[0].ObjectValue()["port"].StringValue())
	rules := rec.One(t, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "mon-api-rules").
		Inputs["spec"].ObjectValue()["groups"].ArrayValue()[0].ObjectValue()["rules"].ArrayValue()
	require.True(t, strings.HasSuffix(rules[2].ObjectValue()["expr"].StringValue(), "> 0.005"))
	require.True(t, strings.HasSuffix(rules[3].ObjectValue()["expr"].StringValue(), "> 0.3"))
}

func TestMonitoringDefaults(t *testing.T) {
	t.Parallel()
	a := (&MonitoringArgs{}).withDefaults()
	require.Equal(t, "monitoring", a.Namespace)
	require.Equal(t, DefaultChartVersion, a.ChartVersion)
	require.Equal(t, 15, a.RetentionDays)
	require.Equal(t, 50, a.StorageGiB)
	require.Equal(t, "gp3", a.StorageClass)
	require.Equal(t, "http", a.APIPortName)
	require.Equal(t, 0.01, a.ErrorRatioThreshold)
	require.Equal(t, 0.5, a.P99LatencySeconds)
}

func TestMonitoringValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(a *MonitoringArgs)
		wantErr []string
	}{
		{name: "valid", mutate: func(a *MonitoringArgs) {}},
		{name: "no password", mutate: func(a *MonitoringArgs) { a.GrafanaAdminPassword = nil }, wantErr: []string{"GrafanaAdminPassword: must be set"}},
		{name: "chart range", mutate: func(a *MonitoringArgs) { a.ChartVersion = "^81.0.0" }, wantErr: []string{"ChartVersion: '^81.0.0' is not a valid chart version"}},
		{name: "api selection missing", mutate: func(a *MonitoringArgs) { a.APINamespace, a.APIService = "", "" },
			wantErr: []string{"APINamespace: '' is not a valid namespace name", "APIService: '' is not a valid service name"}},
		{name: "bad namespace", mutate: func(a *MonitoringArgs) { a.Namespace = "Monitoring" }, wantErr: []string{"Namespace: 'Monitoring'"}},
		{name: "retention", mutate: func(a *MonitoringArgs) { a.RetentionDays = 400 }, wantErr: []string{"RetentionDays: '400' is not a valid retention"}},
		{name: "tiny volume", mutate: func(a *MonitoringArgs) { a.StorageGiB = 5 }, wantErr: []string{"StorageGiB: '5' is not a valid volume size"}},
		{name: "ratio as percent", mutate: func(a *MonitoringArgs) { a.ErrorRatioThreshold = 5 }, wantErr: []string{"ErrorRatioThreshold: '5' is not a valid ratio"}},
		{name: "negative latency", mutate: func(a *MonitoringArgs) { a.P99LatencySeconds = -0.5 }, wantErr: []string{"P99LatencySeconds: '-0.5' is not a valid latency"}},
		{name: "port name too long", mutate: func(a *MonitoringArgs) { a.APIPortName = "prometheus-metrics" }, wantErr: []string{"APIPortName: 'prometheus-metrics'"}},
		{name: "metrics path", mutate: func(a *MonitoringArgs) { a.MetricsPath = "metrics" }, wantErr: []string{"MetricsPath: 'metrics'"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := baseArgs()
			tc.mutate(a)
			err := a.withDefaults().validate()
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.wantErr {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestMonitoringInvalidRegistersNothing(t *testing.T) {
	rec, err := run(t, func(ctx *pulumi.Context) error {
		a := baseArgs()
		a.APIService = ""
		_, err := NewMonitoring(ctx, "monitoring", a)
		return err
	})
	require.ErrorContains(t, err, `monitoring "monitoring": APIService: ''`)
	require.Empty(t, rec.Names())
}
