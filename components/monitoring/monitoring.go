package monitoring

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apiextensions"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/helmrelease"
)

// The kube-prometheus-stack chart. DefaultChartVersion is pinned: chart
// 81.4.5 (prometheus-operator v0.88.0, Grafana chart 10.5.x) is a release
// from the chart's own repository history; upgrades are deliberate edits, and
// major versions may need the CRD steps in the chart's upgrade notes.
const (
	ChartName           = "kube-prometheus-stack"
	ChartRepo           = "https://prometheus-community.github.io/helm-charts"
	DefaultChartVersion = "81.4.5"
	// ReleaseName is fixed (not auto-named) because the chart derives every
	// object name, and so the service addresses below, from it.
	ReleaseName = "kube-prometheus-stack"
)

// Defaults applied by withDefaults.
const (
	DefaultNamespace           = "monitoring"
	DefaultRetentionDays       = 15
	DefaultStorageGiB          = 50
	DefaultStorageClass        = "gp3"
	DefaultAPIPortName         = "http"
	DefaultMetricsPath         = "/metrics"
	DefaultErrorRatioThreshold = 0.01
	DefaultP99LatencySeconds   = 0.5
)

// Ports of the chart's Services.
const (
	grafanaServicePort    = 80
	prometheusServicePort = 9090
)

// MonitoringArgs configure NewMonitoring.
type MonitoringArgs struct {
	// Namespace to install into (created by the component). Default "monitoring".
	Namespace string
	// ChartVersion of kube-prometheus-stack. Default DefaultChartVersion; must
	// be an exact version (x.y.z), never a range.
	ChartVersion string
	// GrafanaAdminPassword is Grafana's admin password. Required; pass a
	// secret (config.RequireSecret) so it stays encrypted in state.
	GrafanaAdminPassword pulumi.StringInput
	// RetentionDays is how long Prometheus keeps samples. Default 15; 1-365.
	RetentionDays int
	// StorageGiB is the Prometheus volume size. Default 50; at least 10.
	StorageGiB int
	// StorageClass of the Prometheus volume. Default "gp3" (the cluster must
	// provide it, e.g. through the EBS CSI driver).
	StorageClass string
	// APINamespace is the namespace of the public API. Required.
	APINamespace string
	// APIService is the public API's Service name (also its
	// app.kubernetes.io/name label). Required.
	APIService string
	// APIPortName is the Service port to scrape. Default "http".
	APIPortName string
	// MetricsPath is the API's metrics path. Default "/metrics".
	MetricsPath string
	// ErrorRatioThreshold is the 5xx ratio that fires the error alert.
	// Default 0.01; between 0 and 1 exclusive.
	ErrorRatioThreshold float64
	// P99LatencySeconds is the p99 latency that fires the latency alert.
	// Default 0.5; greater than 0.
	P99LatencySeconds float64
}

// Monitoring is the Prometheus + Grafana installation and the API's SLO rules.
type Monitoring struct {
	pulumi.ResourceState

	// GrafanaService is Grafana's in-cluster address "<ns>/<service>:<port>"
	// (for kubectl port-forward).
	GrafanaService pulumi.StringOutput `pulumi:"grafanaService"`
	// PrometheusService is Prometheus's in-cluster address "<ns>/<service>:<port>",
	// the address the rollout gate queries.
	PrometheusService pulumi.StringOutput `pulumi:"prometheusService"`
}

func (a *MonitoringArgs) withDefaults() *MonitoringArgs {
	out := *a
	if out.Namespace == "" {
		out.Namespace = DefaultNamespace
	}
	if out.ChartVersion == "" {
		out.ChartVersion = DefaultChartVersion
	}
	if out.RetentionDays == 0 {
		out.RetentionDays = DefaultRetentionDays
	}
	if out.StorageGiB == 0 {
		out.StorageGiB = DefaultStorageGiB
	}
	if out.StorageClass == "" {
		out.StorageClass = DefaultStorageClass
	}
	if out.APIPortName == "" {
		out.APIPortName = DefaultAPIPortName
	}
	if out.MetricsPath == "" {
		out.MetricsPath = DefaultMetricsPath
	}
	if out.ErrorRatioThreshold == 0 {
		out.ErrorRatioThreshold = DefaultErrorRatioThreshold
	}
	if out.P99LatencySeconds == 0 {
		out.P99LatencySeconds = DefaultP99LatencySeconds
	}
	return &out
}

var (
	dns1123Label = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1035Label = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	exactVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	portNameRE   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

func (a *MonitoringArgs) validate() error {
	var errs []error
	label := func(field, value string, re *regexp.Regexp, what string) {
		if len(value) > 63 || !re.MatchString(value) {
			errs = append(errs, fmt.Errorf("%s: '%s' is not a valid %s: must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit", field, value, what))
		}
	}
	label("Namespace", a.Namespace, dns1123Label, "namespace name")
	label("APINamespace", a.APINamespace, dns1123Label, "namespace name")
	label("APIService", a.APIService, dns1035Label, "service name")
	if len(a.APIPortName) > 15 || !portNameRE.MatchString(a.APIPortName) {
		errs = append(errs, fmt.Errorf("APIPortName: '%s' is not a valid port name: must be 1-15 characters of a-z, 0-9 and '-'", a.APIPortName))
	}
	if !strings.HasPrefix(a.MetricsPath, "/") {
		errs = append(errs, fmt.Errorf("MetricsPath: '%s' is not a valid path: must start with '/'", a.MetricsPath))
	}
	if !exactVersion.MatchString(a.ChartVersion) {
		errs = append(errs, fmt.Errorf("ChartVersion: '%s' is not a valid chart version: must be an exact version such as %s", a.ChartVersion, DefaultChartVersion))
	}
	if a.GrafanaAdminPassword == nil {
		errs = append(errs, errors.New("GrafanaAdminPassword: must be set (a secret, e.g. config.RequireSecret(\"grafanaAdminPassword\"))"))
	}
	if a.RetentionDays < 1 || a.RetentionDays > 365 {
		errs = append(errs, fmt.Errorf("RetentionDays: '%d' is not a valid retention: must be between 1 and 365", a.RetentionDays))
	}
	if a.StorageGiB < 10 {
		errs = append(errs, fmt.Errorf("StorageGiB: '%d' is not a valid volume size: must be at least 10", a.StorageGiB))
	}
	if a.StorageClass == "" {
		errs = append(errs, errors.New("StorageClass: '' is not a valid storage class: must not be empty"))
	}
	if a.ErrorRatioThreshold <= 0 || a.ErrorRatioThreshold >= 1 {
		errs = append(errs, fmt.Errorf("ErrorRatioThreshold: '%s' is not a valid ratio: must be greater than 0 and less than 1", formatFloat(a.ErrorRatioThreshold)))
	}
	if a.P99LatencySeconds <= 0 {
		errs = append(errs, fmt.Errorf("P99LatencySeconds: '%s' is not a valid latency: must be greater than 0", formatFloat(a.P99LatencySeconds)))
	}
	return errors.Join(errs...)
}

// chartFullname mirrors the chart's "kube-prometheus-stack.fullname" helper
// (no overrides): the release name when it already contains the chart name,
// else "<release>-<chart>", cut to 26 characters.
func chartFullname(release string) string {
	name := release
	if !strings.Contains(release, ChartName) {
		name = release + "-" + ChartName
	}
	if len(name) > 26 {
		name = name[:26]
	}
	return strings.TrimSuffix(name, "-")
}

// grafanaFullname mirrors the Grafana subchart's fullname helper: the release
// name when it contains "grafana", else "<release>-grafana", cut to 63.
func grafanaFullname(release string) string {
	name := release
	if !strings.Contains(release, "grafana") {
		name = release + "-grafana"
	}
	if len(name) > 63 {
		name = name[:63]
	}
	return strings.TrimSuffix(name, "-")
}

// ServiceAddresses returns the "<ns>/<service>:<port>" addresses of Grafana
// and Prometheus for a release of the chart.
func ServiceAddresses(namespace, release string) (grafana, prometheus string) {
	grafana = fmt.Sprintf("%s/%s:%d", namespace, grafanaFullname(release), grafanaServicePort)
	prometheus = fmt.Sprintf("%s/%s-prometheus:%d", namespace, chartFullname(release), prometheusServicePort)
	return grafana, prometheus
}

// retentionSize caps the TSDB below the volume size, so Prometheus deletes
// old blocks before the disk fills (the WAL and compaction need headroom).
// Prometheus's "GB" is base 2, matching the GiB volume.
func retentionSize(storageGiB int) string {
	return fmt.Sprintf("%dGB", storageGiB*85/100)
}

// chartValues builds the release values. The password is passed through as
// an input so it keeps its secretness.
func chartValues(a *MonitoringArgs) pulumi.Map {
	return pulumi.Map{
		"grafana": pulumi.Map{
			"adminPassword": a.GrafanaAdminPassword,
		},
		"prometheus": pulumi.Map{
			"prometheusSpec": pulumi.Map{
				"retention":     pulumi.String(fmt.Sprintf("%dd", a.RetentionDays)),
				"retentionSize": pulumi.String(retentionSize(a.StorageGiB)),
				// Select every ServiceMonitor and PrometheusRule, not only
				// those carrying this release's label, so the component's own
				// (and later ones) are picked up.
				"serviceMonitorSelectorNilUsesHelmValues": pulumi.Bool(false),
				"ruleSelectorNilUsesHelmValues":           pulumi.Bool(false),
				"storageSpec": pulumi.Map{
					"volumeClaimTemplate": pulumi.Map{
						"spec": pulumi.Map{
							"storageClassName": pulumi.String(a.StorageClass),
							"accessModes":      pulumi.StringArray{pulumi.String("ReadWriteOnce")},
							"resources": pulumi.Map{
								"requests": pulumi.Map{
									"storage": pulumi.String(fmt.Sprintf("%dGi", a.StorageGiB)),
								},
							},
						},
					},
				},
			},
		},
	}
}

// NewMonitoring installs kube-prometheus-stack and the API's SLO rules.
func NewMonitoring(ctx *pulumi.Context, name string, args *MonitoringArgs, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil {
		return nil, fmt.Errorf("monitoring %q: args are required", name)
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}

	c := &Monitoring{}
	if err := ctx.RegisterComponentResource("cutover:monitoring:Monitoring", name, c, opts...); err != nil {
		return nil, err
	}
	wrap := func(role string, err error) error {
		return fmt.Errorf("monitoring %q: %s: %w", name, role, err)
	}
	partOf := pulumi.StringMap{"app.kubernetes.io/part-of": pulumi.String("cutover")}

	// No Pod Security label: node-exporter needs host namespaces and paths,
	// which the restricted and baseline profiles refuse.
	ns, err := corev1.NewNamespace(ctx, name+"-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(args.Namespace), Labels: partOf},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("namespace", err)
	}

	// internal/helmrelease registers the provider's own Release resource
	// without the SDK's helm/v3 package, which drags in every Kubernetes API
	// group and slows the offline plan.
	release, err := helmrelease.NewRelease(ctx, name+"-release", &helmrelease.ReleaseArgs{
		Name:      pulumi.String(ReleaseName),
		Chart:     pulumi.String(ChartName),
		Version:   pulumi.String(args.ChartVersion),
		Namespace: ns.Metadata.Name().Elem(),
		Repo:      pulumi.String(ChartRepo),
		Values:    chartValues(args),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("release", err)
	}
	// The CRDs come from the chart: both custom resources wait for it.
	afterRelease := pulumi.DependsOn([]pulumi.Resource{release})

	_, err = apiextensions.NewCustomResource(ctx, name+"-api-servicemonitor", &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String("monitoring.coreos.com/v1"),
		Kind:       pulumi.String("ServiceMonitor"),
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String(args.APIService),
			Namespace: ns.Metadata.Name().Elem(),
			Labels:    partOf,
		},
		OtherFields: kubernetes.UntypedArgs{
			"spec": map[string]any{
				"namespaceSelector": map[string]any{"matchNames": []any{args.APINamespace}},
				"selector": map[string]any{
					"matchLabels": map[string]any{"app.kubernetes.io/name": args.APIService},
				},
				"endpoints": []any{map[string]any{
					"port":     args.APIPortName,
					"path":     args.MetricsPath,
					"interval": "30s",
				}},
			},
		},
	}, pulumi.Parent(c), afterRelease)
	if err != nil {
		return nil, wrap("service monitor", err)
	}

	groups, err := toUntyped(RuleGroups(RuleParams{
		Namespace:           args.APINamespace,
		Service:             args.APIService,
		ErrorRatioThreshold: args.ErrorRatioThreshold,
		P99LatencySeconds:   args.P99LatencySeconds,
	}))
	if err != nil {
		return nil, wrap("rules", err)
	}
	_, err = apiextensions.NewCustomResource(ctx, name+"-api-rules", &apiextensions.CustomResourceArgs{
		ApiVersion: pulumi.String("monitoring.coreos.com/v1"),
		Kind:       pulumi.String("PrometheusRule"),
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String(ruleGroupName),
			Namespace: ns.Metadata.Name().Elem(),
			Labels:    partOf,
		},
		OtherFields: kubernetes.UntypedArgs{"spec": map[string]any{"groups": groups}},
	}, pulumi.Parent(c), afterRelease)
	if err != nil {
		return nil, wrap("prometheus rule", err)
	}

	// Addresses follow from the release's actual name and namespace, so they
	// resolve only once the release exists.
	addresses := pulumi.All(release.Namespace, release.Name).ApplyT(func(v []any) []string {
		grafana, prometheus := ServiceAddresses(v[0].(string), v[1].(string))
		return []string{grafana, prometheus}
	}).(pulumi.StringArrayOutput)
	c.GrafanaService = addresses.Index(pulumi.Int(0))
	c.PrometheusService = addresses.Index(pulumi.Int(1))
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"grafanaService":    c.GrafanaService,
		"prometheusService": c.PrometheusService,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
