package autoscaler

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The cluster-autoscaler chart, from the Kubernetes autoscaler project's repository.
const (
	ChartName = "cluster-autoscaler"
	ChartRepo = "https://kubernetes.github.io/autoscaler"
)

// chartForKubernetes pins, per Kubernetes minor version, the newest chart whose appVersion (the
// autoscaler release it installs) has the same minor: the autoscaler is only supported against
// the Kubernetes minor it was built for. Versions and appVersions as published in the repository
// index: 9.46.6 -> 1.32.0, 9.51.0 -> 1.33.0, 9.53.0 -> 1.34.2, 9.56.0 -> 1.35.0.
var chartForKubernetes = map[string]string{
	"1.32": "9.46.6",
	"1.33": "9.51.0",
	"1.34": "9.53.0",
	"1.35": "9.56.0",
}

// ChartVersionFor returns the pinned chart version for a Kubernetes minor version ("1.33").
func ChartVersionFor(kubernetesVersion string) (string, error) {
	v, ok := chartForKubernetes[kubernetesVersion]
	if !ok {
		return "", fmt.Errorf("KubernetesVersion: '%s' has no pinned cluster-autoscaler chart: supported %s, or set ChartVersion to a chart whose appVersion matches that minor",
			kubernetesVersion, strings.Join(slices.Sorted(maps.Keys(chartForKubernetes)), ", "))
	}
	return v, nil
}

// Defaults applied by withDefaults; they are the autoscaler's own defaults, written out so the
// values in force are visible in the release.
const (
	DefaultScaleDownUnneededTime         = "10m"
	DefaultScaleDownDelayAfterAdd        = "10m"
	DefaultScaleDownUtilizationThreshold = 0.5
	maxScaleDownDuration                 = 24 * time.Hour
)

var (
	poolNamePattern     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	chartVersionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
)

// ClusterAutoscalerArgs configure NewClusterAutoscaler.
type ClusterAutoscalerArgs struct {
	// ClusterName is the EKS cluster name (the cluster component's Name). Required.
	ClusterName pulumi.StringInput
	// OIDCProviderARN is the cluster's IAM OIDC provider ARN. Required. Its account is the account
	// the IAM policy's ARNs are limited to.
	OIDCProviderARN pulumi.StringInput
	// OIDCIssuer is the cluster's OIDC issuer, with or without https://. Required.
	OIDCIssuer pulumi.StringInput
	// Region is the cluster's region, e.g. us-east-1. Required.
	Region string
	// KubernetesVersion selects the pinned chart (see ChartVersionFor), e.g. "1.33". Required
	// unless ChartVersion is set.
	KubernetesVersion string
	// ChartVersion overrides the pinned chart version (x.y.z). Default: ChartVersionFor
	// (KubernetesVersion). Pick a chart whose appVersion has the cluster's minor version.
	ChartVersion string
	// AutoscalingGroups are the node groups' Auto Scaling group names by pool name (the workers
	// component's AutoscalingGroupNames). At least one. Pool names are DNS labels and key the
	// child names; each group gets the two discovery tags.
	AutoscalingGroups map[string]pulumi.StringInput
	// ScaleDownUnneededTime is how long a node must be unneeded before it is removed. A Go
	// duration (e.g. 10m), above 0 and at most 24h. Default 10m.
	ScaleDownUnneededTime string
	// ScaleDownDelayAfterAdd is how long after a scale-up scale-down stays off. A Go duration,
	// above 0 and at most 24h. Default 10m.
	ScaleDownDelayAfterAdd string
	// ScaleDownUtilizationThreshold is the requested-resources ratio below which a node is a
	// scale-down candidate. Above 0, at most 1. Default 0.5.
	ScaleDownUtilizationThreshold float64
	// Tags are added to the IAM role. Default none; keys non-empty and not starting with aws:.
	Tags map[string]string
}

func (a *ClusterAutoscalerArgs) withDefaults() *ClusterAutoscalerArgs {
	out := *a
	out.AutoscalingGroups = maps.Clone(a.AutoscalingGroups)
	out.Tags = maps.Clone(a.Tags)
	if out.ScaleDownUnneededTime == "" {
		out.ScaleDownUnneededTime = DefaultScaleDownUnneededTime
	}
	if out.ScaleDownDelayAfterAdd == "" {
		out.ScaleDownDelayAfterAdd = DefaultScaleDownDelayAfterAdd
	}
	if out.ScaleDownUtilizationThreshold == 0 {
		out.ScaleDownUtilizationThreshold = DefaultScaleDownUtilizationThreshold
	}
	if out.ChartVersion == "" {
		// An unknown version leaves ChartVersion empty; validate reports it.
		out.ChartVersion, _ = ChartVersionFor(out.KubernetesVersion)
	}
	return &out
}

// validate reports every problem at once, each naming the field, the value and what is allowed.
func (a *ClusterAutoscalerArgs) validate() error {
	var errs []error
	if a.ClusterName == nil {
		errs = append(errs, errors.New("ClusterName: is required: pass the cluster component's Name output"))
	}
	if a.OIDCProviderARN == nil {
		errs = append(errs, errors.New("OIDCProviderARN: is required: pass the cluster component's OIDCProviderARN output"))
	}
	if a.OIDCIssuer == nil {
		errs = append(errs, errors.New("OIDCIssuer: is required: pass the cluster component's OIDCIssuer output"))
	}
	if !regionPattern.MatchString(a.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", a.Region))
	}
	if a.ChartVersion == "" {
		_, err := ChartVersionFor(a.KubernetesVersion)
		errs = append(errs, err)
	} else if !chartVersionPattern.MatchString(a.ChartVersion) {
		errs = append(errs, fmt.Errorf("ChartVersion: '%s' is not a chart version: must be x.y.z, e.g. %s", a.ChartVersion, chartForKubernetes["1.33"]))
	}
	if len(a.AutoscalingGroups) == 0 {
		errs = append(errs, errors.New("AutoscalingGroups: none given: pass the workers component's Auto Scaling group name per pool (at least one)"))
	}
	for _, pool := range slices.Sorted(maps.Keys(a.AutoscalingGroups)) {
		if !poolNamePattern.MatchString(pool) {
			errs = append(errs, fmt.Errorf("AutoscalingGroups: '%s' is not a valid pool name: must be a DNS label (lowercase letters, digits and '-', at most 63 characters)", pool))
		}
		if a.AutoscalingGroups[pool] == nil {
			errs = append(errs, fmt.Errorf("AutoscalingGroups[%s]: is nil: pass the pool's Auto Scaling group name", pool))
		}
	}
	errs = append(errs,
		validateDuration("ScaleDownUnneededTime", a.ScaleDownUnneededTime),
		validateDuration("ScaleDownDelayAfterAdd", a.ScaleDownDelayAfterAdd))
	if t := a.ScaleDownUtilizationThreshold; !(t > 0 && t <= 1) {
		errs = append(errs, fmt.Errorf("ScaleDownUtilizationThreshold: %v is out of range: must be above 0 and at most 1, e.g. 0.5", t))
	}
	for _, k := range slices.Sorted(maps.Keys(a.Tags)) {
		if k == "" || strings.HasPrefix(strings.ToLower(k), "aws:") {
			errs = append(errs, fmt.Errorf("Tags: '%s' is not a valid tag key: must be non-empty and not start with aws:", k))
		}
	}
	return errors.Join(errs...)
}

// ValidateDuration checks a scale-down duration the way the autoscaler's flags parse it (a Go
// duration such as 10m or 1h30m), within (0, 24h].
func ValidateDuration(value string) error {
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		return fmt.Errorf("'%s' is not a duration: write e.g. 10m, 90s or 1h", value)
	case d <= 0 || d > maxScaleDownDuration:
		return fmt.Errorf("'%s' is out of range: must be above 0 and at most 24h", value)
	}
	return nil
}

func validateDuration(field, value string) error {
	if err := ValidateDuration(value); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

// formatRatio renders the threshold as the flag expects it (0.5, not 5e-01).
func formatRatio(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
