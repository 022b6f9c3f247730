package monitoring

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestRuleExpressions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		got  string
		want string
	}{
		{
			name: "5xx ratio",
			got:  ErrorRatioExpr("apps", "api"),
			want: `sum by (namespace, service) (rate(http_requests_total{namespace="apps",service="api",status=~"5.."}[5m]))` +
				"\n/\n" +
				`sum by (namespace, service) (rate(http_requests_total{namespace="apps",service="api"}[5m]))`,
		},
		{
			name: "p99 latency",
			got:  P99LatencyExpr("apps", "api"),
			want: `histogram_quantile(0.99, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{namespace="apps",service="api"}[5m])))`,
		},
		{
			name: "label values are quoted",
			got:  P99LatencyExpr(`we"ird`, "api"),
			want: `histogram_quantile(0.99, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{namespace="we\"ird",service="api"}[5m])))`,
		},
		{
			name: "error threshold",
			got:  ThresholdExpr(RecordErrorRatio, "apps", "api", 0.01),
			want: `cutover:api_5xx_ratio:rate5m{namespace="apps",service="api"} > 0.01`,
		},
		{
			name: "latency threshold",
			got:  ThresholdExpr(RecordP99Latency, "prod", "public-api", 0.25),
			want: `cutover:api_latency_p99_seconds:5m{namespace="prod",service="public-api"} > 0.25`,
		},
		{
			name: "whole number threshold",
			got:  ThresholdExpr(RecordP99Latency, "apps", "api", 2),
			want: `cutover:api_latency_p99_seconds:5m{namespace="apps",service="api"} > 2`,
		},
		{
			name: "tiny threshold not in exponent form",
			got:  ThresholdExpr(RecordErrorRatio, "apps", "api", 0.0005),
			want: `cutover:api_5xx_ratio:rate5m{namespace="apps",service="api"} > 0.0005`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, tc.got)
		})
	}
}

func TestRuleGroups(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		params         RuleParams
		wantErrorExpr  string
		wantLatencyFor string
	}{
		{
			name:          "defaults",
			params:        RuleParams{Namespace: "apps", Service: "api", ErrorRatioThreshold: 0.01, P99LatencySeconds: 0.5},
			wantErrorExpr: `cutover:api_5xx_ratio:rate5m{namespace="apps",service="api"} > 0.01`,
		},
		{
			name:          "stricter",
			params:        RuleParams{Namespace: "prod", Service: "gateway", ErrorRatioThreshold: 0.001, P99LatencySeconds: 0.2},
			wantErrorExpr: `cutover:api_5xx_ratio:rate5m{namespace="prod",service="gateway"} > 0.001`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			groups := RuleGroups(tc.params)
			require.Len(t, groups, 1)
			rules := groups[0].Rules
			require.Len(t, rules, 4)
			require.Equal(t, RecordErrorRatio, rules[0].Record)
			require.Equal(t, ErrorRatioExpr(tc.params.Namespace, tc.params.Service), rules[0].Expr)
			require.Equal(t, RecordP99Latency, rules[1].Record)
			require.Equal(t, P99LatencyExpr(tc.params.Namespace, tc.params.Service), rules[1].Expr)
			require.Equal(t, AlertErrorRatio, rules[2].Alert)
			require.Equal(t, tc.wantErrorExpr, rules[2].Expr)
			require.Equal(t, "critical", rules[2].Labels["severity"])
			require.Equal(t, AlertP99Latency, rules[3].Alert)
			require.True(t, strings.HasPrefix(rules[3].Expr, RecordP99Latency+"{"))
			require.True(t, strings.HasSuffix(rules[3].Expr, " > "+formatFloat(tc.params.P99LatencySeconds)))
			for _, r := range rules[2:] {
				require.NotEmpty(t, r.For, r.Alert)
				require.Equal(t, "rollout-gate", r.Labels["cutover"], r.Alert)
			}
			// Each rule is either a recording or an alert, never both.
			for _, r := range rules {
				require.True(t, (r.Record == "") != (r.Alert == ""), "%+v", r)
			}
		})
	}
}

func TestRuleGroupsGolden(t *testing.T) {
	groups, err := toUntyped(RuleGroups(RuleParams{Namespace: "apps", Service: "api", ErrorRatioThreshold: 0.01, P99LatencySeconds: 0.5}))
	require.NoError(t, err)
	// Unescaped so the golden shows PromQL as written (">" not "\u003e").
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(map[string]any{"groups": groups}))
	got := buf.String()
	path := filepath.Join("testdata", "prometheus-rule-spec.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./components/monitoring/ -update to create the golden file")
	require.Equal(t, string(want), got, "rule spec changed; review and refresh with -update")
}

func TestServiceAddresses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, namespace, release string
		wantGrafana, wantProm    string
	}{
		{name: "fixed release", namespace: "monitoring", release: ReleaseName,
			wantGrafana: "monitoring/kube-prometheus-stack-grafana:80", wantProm: "monitoring/kube-prometheus-stack-prometheus:9090"},
		{name: "release gets chart suffix, exactly 26", namespace: "obs", release: "prom",
			wantGrafana: "obs/prom-grafana:80", wantProm: "obs/prom-kube-prometheus-stack-prometheus:9090"},
		{name: "fullname cut at 26", namespace: "obs", release: "promx",
			wantGrafana: "obs/promx-grafana:80", wantProm: "obs/promx-kube-prometheus-stac-prometheus:9090"},
		{name: "release naming grafana", namespace: "obs", release: "grafana-stack",
			wantGrafana: "obs/grafana-stack:80", wantProm: "obs/grafana-stack-kube-prometh-prometheus:9090"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, p := ServiceAddresses(tc.namespace, tc.release)
			require.Equal(t, tc.wantGrafana, g)
			require.Equal(t, tc.wantProm, p)
		})
	}
}

func TestRetentionSize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		gib  int
		want string
	}{{50, "42GB"}, {10, "8GB"}, {200, "170GB"}}
	for _, tc := range cases {
		require.Equal(t, tc.want, retentionSize(tc.gib), "%d GiB", tc.gib)
	}
}
