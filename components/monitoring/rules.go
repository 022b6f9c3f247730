package monitoring

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Metric names the API is assumed to expose on its metrics endpoint (the
// conventions of the Prometheus client libraries' HTTP middleware):
//
//   - MetricRequestsTotal, a counter of served requests with the HTTP status
//     code in the label LabelStatus ("200", "503", ...);
//   - MetricRequestDurationBucket, the buckets of a request latency histogram
//     in seconds (http_request_duration_seconds).
//
// If the application uses other names (e.g. a "code" label), change these
// constants; the rules and the rollout gate follow.
const (
	MetricRequestsTotal         = "http_requests_total"
	MetricRequestDurationBucket = "http_request_duration_seconds_bucket"
	LabelStatus                 = "status"
)

// Recording rules, one series per (namespace, service). The rollout gate
// queries these names, e.g. cutover:api_5xx_ratio:rate5m{service="api"}.
const (
	RecordErrorRatio = "cutover:api_5xx_ratio:rate5m"
	RecordP99Latency = "cutover:api_latency_p99_seconds:5m"
)

// Alert names.
const (
	AlertErrorRatio = "CutoverAPIErrorRatioHigh"
	AlertP99Latency = "CutoverAPIP99LatencyHigh"
)

// ruleWindow is the rate window of both recordings (the "5m" in their names).
const ruleWindow = "5m"

// selector is the PromQL label matcher for the API's series. namespace and
// service are the target labels the Prometheus Operator puts on every series
// scraped through a ServiceMonitor.
func selector(namespace, service string, extra ...string) string {
	matchers := []string{
		fmt.Sprintf("namespace=%s", strconv.Quote(namespace)),
		fmt.Sprintf("service=%s", strconv.Quote(service)),
	}
	matchers = append(matchers, extra...)
	return "{" + strings.Join(matchers, ",") + "}"
}

// ErrorRatioExpr is the share of the API's requests answered with a 5xx over
// the last five minutes. With no traffic at all the division yields no sample
// (0/0), so the alert stays quiet instead of firing on an idle side.
func ErrorRatioExpr(namespace, service string) string {
	errors := fmt.Sprintf("sum by (namespace, service) (rate(%s%s[%s]))",
		MetricRequestsTotal, selector(namespace, service, LabelStatus+`=~"5.."`), ruleWindow)
	all := fmt.Sprintf("sum by (namespace, service) (rate(%s%s[%s]))",
		MetricRequestsTotal, selector(namespace, service), ruleWindow)
	return errors + "\n/\n" + all
}

// P99LatencyExpr is the API's 99th percentile request latency in seconds over
// the last five minutes, aggregated over all pods.
func P99LatencyExpr(namespace, service string) string {
	return fmt.Sprintf("histogram_quantile(0.99, sum by (namespace, service, le) (rate(%s%s[%s])))",
		MetricRequestDurationBucket, selector(namespace, service), ruleWindow)
}

// ThresholdExpr compares a recorded series for the API with a threshold.
func ThresholdExpr(record, namespace, service string, threshold float64) string {
	return fmt.Sprintf("%s%s > %s", record, selector(namespace, service), formatFloat(threshold))
}

// formatFloat prints the shortest exact form (0.01, not 1e-02 or 0.010000).
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Rule is one Prometheus recording or alerting rule, as in a PrometheusRule.
type Rule struct {
	Record      string            `json:"record,omitempty"`
	Alert       string            `json:"alert,omitempty"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// RuleGroup is a named group of rules evaluated together.
type RuleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	Rules    []Rule `json:"rules"`
}

// RuleParams select the API and set the alert thresholds.
type RuleParams struct {
	Namespace           string
	Service             string
	ErrorRatioThreshold float64
	P99LatencySeconds   float64
}

// ruleGroupName names the single group of migration SLO rules.
const ruleGroupName = "cutover-api-slo"

// RuleGroups builds the migration SLO rules: the two recordings, and an alert
// on each once it has held above its threshold for a few evaluation cycles
// (long enough to ignore a single bad scrape, short enough to stop a phase).
func RuleGroups(p RuleParams) []RuleGroup {
	return []RuleGroup{{
		Name:     ruleGroupName,
		Interval: "30s",
		Rules: []Rule{
			{Record: RecordErrorRatio, Expr: ErrorRatioExpr(p.Namespace, p.Service)},
			{Record: RecordP99Latency, Expr: P99LatencyExpr(p.Namespace, p.Service)},
			{
				Alert:  AlertErrorRatio,
				Expr:   ThresholdExpr(RecordErrorRatio, p.Namespace, p.Service, p.ErrorRatioThreshold),
				For:    "5m",
				Labels: map[string]string{"severity": "critical", "cutover": "rollout-gate"},
				Annotations: map[string]string{
					"summary": fmt.Sprintf("API 5xx ratio above %s", formatFloat(p.ErrorRatioThreshold)),
					"description": "{{ $labels.namespace }}/{{ $labels.service }} answers {{ $value | humanizePercentage }} of requests with 5xx " +
						"over 5m. Hold or roll back the AWS traffic phase.",
				},
			},
			{
				Alert:  AlertP99Latency,
				Expr:   ThresholdExpr(RecordP99Latency, p.Namespace, p.Service, p.P99LatencySeconds),
				For:    "10m",
				Labels: map[string]string{"severity": "warning", "cutover": "rollout-gate"},
				Annotations: map[string]string{
					"summary": fmt.Sprintf("API p99 latency above %ss", formatFloat(p.P99LatencySeconds)),
					"description": "{{ $labels.namespace }}/{{ $labels.service }} p99 latency is {{ $value | humanizeDuration }} " +
						"over 5m. Hold the AWS traffic phase until it recovers.",
				},
			},
		},
	}}
}

// toUntyped converts Go structs to the map/slice shape a CustomResource's
// untyped fields take, through their JSON form (so field names follow the
// json tags and empty fields are omitted).
func toUntyped(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}
