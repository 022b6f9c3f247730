package workers

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Taint is a Kubernetes taint applied to every node of a pool.
type Taint struct {
	// Key is a Kubernetes qualified name (optional DNS-subdomain prefix, "/", name of at most
	// 63 characters). Required.
	Key string
	// Value is optional; at most 63 characters of [A-Za-z0-9_.-], starting and ending
	// alphanumeric.
	Value string
	// Effect in Kubernetes spelling: NoSchedule, PreferNoSchedule or NoExecute. Required.
	Effect string
}

// Pool describes one EKS managed node group.
type Pool struct {
	// InstanceTypes the node group may launch, e.g. ["m6i.large", "m5.large"]. At least one;
	// more than one helps SPOT pools find capacity. No duplicates. All must share a CPU
	// architecture (the node group picks one AMI).
	InstanceTypes []string
	// MinSize is the autoscaler floor. At least 2 (policy EKS-05: a pool survives losing a node).
	MinSize int
	// MaxSize is the autoscaler ceiling. At least MinSize.
	MaxSize int
	// DesiredSize is the size at creation only; afterwards the cluster autoscaler owns it
	// (changes are ignored). Default MinSize; must lie in [MinSize, MaxSize].
	DesiredSize int
	// CapacityType is ON_DEMAND (default) or SPOT.
	CapacityType string
	// DiskSizeGiB is the encrypted gp3 root volume size. Default 50; at least 20 (the EKS
	// AMIs need room for images and logs), at most 16384 (gp3 limit).
	DiskSizeGiB int
	// Labels are Kubernetes node labels. Keys in the kubernetes.io and k8s.io namespaces are
	// rejected (kubelet refuses to set most of them). PoolLabel is always set to the pool
	// name; listing it with any other value is an error.
	Labels map[string]string
	// Taints are applied to every node of the pool. At most one per key and effect.
	Taints []Taint
}

// WorkersArgs configures Workers.
type WorkersArgs struct {
	// ClusterName is the EKS cluster the node groups join (Cluster.Name). Required.
	ClusterName pulumi.StringInput
	// SubnetIDs are the private subnets the nodes launch in. Required; at least 2 (policy
	// NET-02), checked at plan time when a plain pulumi.StringArray is passed.
	SubnetIDs pulumi.StringArrayInput
	// Pools by name. At least one. Names are DNS labels (lowercase letters, digits and '-', at
	// most 63 characters) and become part of child names and the PoolLabel value.
	Pools map[string]Pool
	// KubernetesVersion pins the node groups' minor version, e.g. "1.33". Optional: when empty
	// the node groups follow the cluster's version. Must match ^1\.\d+$ when set.
	KubernetesVersion string
	// Tags are applied to every taggable child and propagated to instances and volumes.
	// Default none. Keys must be non-empty and must not start with "aws:".
	Tags map[string]string
}

const (
	defaultCapacityType = "ON_DEMAND"
	defaultDiskSizeGiB  = 50
	minDiskSizeGiB      = 20
	maxDiskSizeGiB      = 16384
	minPoolSize         = 2
)

var (
	dnsLabelPattern     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	versionPattern      = regexp.MustCompile(`^1\.\d+$`)
	instanceTypePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	labelNamePattern    = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
	dnsSubdomainPattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// armFamilyPattern recognises Graviton instance families (m7g, c6gn, r8gd, t4g, x2gd, im4gn...).
	armFamilyPattern = regexp.MustCompile(`^[a-z]+\d+g[a-z]*\.`)
)

// withDefaults returns a deep-enough copy of the args with defaults filled in, so the caller's
// maps and slices are never mutated and later caller mutation cannot bypass validation.
func (a *WorkersArgs) withDefaults() *WorkersArgs {
	out := *a
	out.Tags = maps.Clone(a.Tags)
	if out.Tags == nil {
		out.Tags = map[string]string{}
	}
	out.Pools = make(map[string]Pool, len(a.Pools))
	for name, p := range a.Pools {
		p.InstanceTypes = slices.Clone(p.InstanceTypes)
		p.Labels = maps.Clone(p.Labels)
		p.Taints = slices.Clone(p.Taints)
		if p.CapacityType == "" {
			p.CapacityType = defaultCapacityType
		}
		if p.DiskSizeGiB == 0 {
			p.DiskSizeGiB = defaultDiskSizeGiB
		}
		if p.DesiredSize == 0 {
			p.DesiredSize = p.MinSize
		}
		out.Pools[name] = p
	}
	return &out
}

// validate reports every problem with the args at once.
func (a *WorkersArgs) validate() error {
	var errs []error
	if a.ClusterName == nil {
		errs = append(errs, errors.New("ClusterName: is required: pass the cluster component's Name output"))
	}
	if a.SubnetIDs == nil {
		errs = append(errs, errors.New("SubnetIDs: is required: pass the private subnet IDs (at least 2, in different AZs)"))
	} else if plain, ok := a.SubnetIDs.(pulumi.StringArray); ok && len(plain) < 2 {
		errs = append(errs, fmt.Errorf("SubnetIDs: got %d subnet(s): node groups need at least 2, in different AZs (policy NET-02)", len(plain)))
	}
	if a.KubernetesVersion != "" && !versionPattern.MatchString(a.KubernetesVersion) {
		errs = append(errs, fmt.Errorf("KubernetesVersion: '%s' is not a valid EKS version: must match ^1\\.\\d+$, e.g. \"1.33\", or be empty to follow the cluster", a.KubernetesVersion))
	}
	if len(a.Pools) == 0 {
		errs = append(errs, errors.New("Pools: no pools given: at least one worker pool is required"))
	}
	for _, name := range slices.Sorted(maps.Keys(a.Pools)) {
		errs = append(errs, validatePool(name, a.Pools[name])...)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Tags)) {
		if k == "" {
			errs = append(errs, errors.New("Tags: '' is not a valid tag key: keys must be non-empty"))
		} else if strings.HasPrefix(strings.ToLower(k), "aws:") {
			errs = append(errs, fmt.Errorf("Tags: '%s' is not a valid tag key: the aws: prefix is reserved by AWS", k))
		}
	}
	return errors.Join(errs...)
}

func validatePool(name string, p Pool) []error {
	var errs []error
	field := func(f string) string { return fmt.Sprintf("Pools[%s].%s", name, f) }

	if len(name) > 63 || !dnsLabelPattern.MatchString(name) {
		errs = append(errs, fmt.Errorf("Pools: '%s' is not a valid pool name: must be a DNS label (lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters)", name))
	}

	if len(p.InstanceTypes) == 0 {
		errs = append(errs, fmt.Errorf("%s: is empty: list at least one EC2 instance type, e.g. [\"m6i.large\"]", field("InstanceTypes")))
	}
	seenType := map[string]bool{}
	arm, x86 := 0, 0
	for _, it := range p.InstanceTypes {
		switch {
		case !instanceTypePattern.MatchString(it):
			errs = append(errs, fmt.Errorf("%s: '%s' is not a valid EC2 instance type: must look like m6i.large", field("InstanceTypes"), it))
			continue
		case seenType[it]:
			errs = append(errs, fmt.Errorf("%s: '%s' is listed twice: each instance type may appear once", field("InstanceTypes"), it))
			continue
		}
		seenType[it] = true
		if isGraviton(it) {
			arm++
		} else {
			x86++
		}
	}
	if arm > 0 && x86 > 0 {
		errs = append(errs, fmt.Errorf("%s: %v mixes Graviton (arm64) and x86_64 types: a node group runs one AMI architecture, so use one kind per pool", field("InstanceTypes"), p.InstanceTypes))
	}

	if p.MinSize < minPoolSize {
		errs = append(errs, fmt.Errorf("%s: %d is too small: must be at least %d so a pool survives losing a node (policy EKS-05)", field("MinSize"), p.MinSize, minPoolSize))
	}
	if p.MaxSize < p.MinSize {
		errs = append(errs, fmt.Errorf("%s: %d is below MinSize %d: must be at least MinSize", field("MaxSize"), p.MaxSize, p.MinSize))
	}
	if p.DesiredSize < p.MinSize || p.DesiredSize > p.MaxSize {
		errs = append(errs, fmt.Errorf("%s: %d is outside [MinSize, MaxSize] = [%d, %d]", field("DesiredSize"), p.DesiredSize, p.MinSize, p.MaxSize))
	}
	if p.CapacityType != "ON_DEMAND" && p.CapacityType != "SPOT" {
		errs = append(errs, fmt.Errorf("%s: '%s' is not a valid capacity type: must be ON_DEMAND or SPOT", field("CapacityType"), p.CapacityType))
	}
	if p.DiskSizeGiB < minDiskSizeGiB || p.DiskSizeGiB > maxDiskSizeGiB {
		errs = append(errs, fmt.Errorf("%s: %d is out of range: must be between %d and %d GiB", field("DiskSizeGiB"), p.DiskSizeGiB, minDiskSizeGiB, maxDiskSizeGiB))
	}

	for _, k := range slices.Sorted(maps.Keys(p.Labels)) {
		if err := validateQualifiedName(k); err != nil {
			errs = append(errs, fmt.Errorf("%s: key '%s' %v", field("Labels"), k, err))
		} else if reservedLabelKey(k) {
			errs = append(errs, fmt.Errorf("%s: key '%s' is in a namespace reserved for Kubernetes (kubernetes.io, k8s.io): use your own prefix", field("Labels"), k))
		} else if k == PoolLabel && p.Labels[k] != name {
			errs = append(errs, fmt.Errorf("%s: key '%s' is set by the component to the pool name '%s', not '%s': remove it or use the pool name", field("Labels"), k, name, p.Labels[k]))
		}
		if v := p.Labels[k]; !validLabelValue(v) {
			errs = append(errs, fmt.Errorf("%s: value '%s' of '%s' is not a valid label value: at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric", field("Labels"), v, k))
		}
	}

	seenTaint := map[[2]string]bool{}
	for _, taint := range p.Taints {
		if err := validateQualifiedName(taint.Key); err != nil {
			errs = append(errs, fmt.Errorf("%s: key '%s' %v", field("Taints"), taint.Key, err))
		}
		if !validLabelValue(taint.Value) {
			errs = append(errs, fmt.Errorf("%s: value '%s' of '%s' is not valid: at most 63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric", field("Taints"), taint.Value, taint.Key))
		}
		if _, err := TaintEffect(taint.Effect); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field("Taints"), err))
		}
		id := [2]string{taint.Key, taint.Effect}
		if seenTaint[id] {
			errs = append(errs, fmt.Errorf("%s: key '%s' with effect %s is listed twice: at most one taint per key and effect", field("Taints"), taint.Key, taint.Effect))
		}
		seenTaint[id] = true
	}
	return errs
}

// validateQualifiedName checks a Kubernetes label or taint key: an optional DNS-subdomain
// prefix of at most 253 characters and a "/", then a name of at most 63 characters.
func validateQualifiedName(key string) error {
	prefix, name, hasPrefix := strings.Cut(key, "/")
	if !hasPrefix {
		name, prefix = prefix, ""
	}
	if hasPrefix && (prefix == "" || len(prefix) > 253 || !dnsSubdomainPattern.MatchString(prefix)) {
		return errors.New("has an invalid prefix: must be a lowercase DNS subdomain of at most 253 characters")
	}
	if name == "" || len(name) > 63 || !labelNamePattern.MatchString(name) {
		return errors.New("is not a valid qualified name: the name part must be 1-63 characters of [A-Za-z0-9_.-], starting and ending alphanumeric")
	}
	return nil
}

func validLabelValue(v string) bool {
	return v == "" || (len(v) <= 63 && labelNamePattern.MatchString(v))
}

func reservedLabelKey(key string) bool {
	prefix, _, hasPrefix := strings.Cut(key, "/")
	if !hasPrefix {
		return false
	}
	for _, ns := range []string{"kubernetes.io", "k8s.io"} {
		if prefix == ns || strings.HasSuffix(prefix, "."+ns) {
			return true
		}
	}
	return false
}

// isGraviton reports whether an instance type runs arm64 (Graviton); a1 is the first
// generation, whose family name lacks the "g" suffix.
func isGraviton(instanceType string) bool {
	return armFamilyPattern.MatchString(instanceType) || strings.HasPrefix(instanceType, "a1.")
}

// TaintEffect maps a Kubernetes taint effect to the spelling the EKS node group API uses.
func TaintEffect(k8sEffect string) (string, error) {
	switch k8sEffect {
	case "NoSchedule":
		return "NO_SCHEDULE", nil
	case "PreferNoSchedule":
		return "PREFER_NO_SCHEDULE", nil
	case "NoExecute":
		return "NO_EXECUTE", nil
	default:
		return "", fmt.Errorf("'%s' is not a valid taint effect: must be NoSchedule, PreferNoSchedule or NoExecute", k8sEffect)
	}
}
