package cluster

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ClusterArgs configures a Cluster.
type ClusterArgs struct {
	// Name is the EKS cluster name. Optional: empty lets Pulumi auto-name the cluster from
	// the component name (with a random suffix). Set it when other resources must know the
	// name at plan time (subnet discovery tags, autoscaler tags). 1-100 characters of
	// [A-Za-z0-9_-], starting alphanumeric. Changing it replaces the cluster.
	Name string

	// Version is the EKS Kubernetes minor version, for example "1.33". Required, no default:
	// an implicit version would let EKS pick a different one per stack (policy EKS-03).
	// Must match ^1\.\d+$.
	Version string

	// SubnetIDs are the private subnets for the control plane's network interfaces. Required.
	// At least 2 (in different AZs; EKS requires two AZs). The count is checked at plan time
	// only when a plain pulumi.StringArray is passed; an Output is checked by EKS.
	SubnetIDs pulumi.StringArrayInput

	// PublicAccessCIDRs limits the public API endpoint. Empty (the default) turns the public
	// endpoint off so the API is reachable only from inside the VPC. Each entry is a CIDR
	// block without host bits; 0.0.0.0/0, ::/0 and duplicates are rejected (policy EKS-01).
	PublicAccessCIDRs []string

	// AdminPrincipalARNs are IAM role or user ARNs given cluster-admin through EKS access
	// entries (AmazonEKSClusterAdminPolicy, cluster scope). Default none. Each must match
	// arn:aws[-a-z]*:iam::<12 digits>:(role|user)/<name>; role paths are allowed. Do not list
	// the identity that runs `pulumi up`: EKS already grants it admin at creation (see
	// NewCluster), and a second access entry for the same principal fails.
	AdminPrincipalARNs []string

	// Protect marks the EKS cluster and its secrets KMS key as protected so `pulumi destroy`
	// or a replacement cannot remove them. Set for production (policy MIG-07). Default false.
	Protect bool

	// Region is the cluster's AWS region, written into the kubeconfig's
	// `aws eks get-token --region` arguments. Required; a commercial region such as us-east-1
	// (the component writes arn:aws: managed-policy ARNs, so cn-* and us-gov-* are rejected).
	Region string

	// Tags are applied to every taggable child. Default none. Keys must be non-empty and must
	// not start with the reserved "aws:" prefix.
	Tags map[string]string
}

var (
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	versionPattern     = regexp.MustCompile(`^1\.\d+$`)
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	adminARNPattern    = regexp.MustCompile(`^arn:aws[-a-z]*:iam::\d{12}:(role|user)/([\w+=,.@-]+/)*[\w+=,.@-]+$`)
	nonAlnumRun        = regexp.MustCompile(`[^a-z0-9]+`)
)

// withDefaults returns a copy of the args with defaults filled in. The caller's slices and
// maps are copied so later mutation by the caller cannot change what was validated.
func (a *ClusterArgs) withDefaults() *ClusterArgs {
	out := *a
	out.PublicAccessCIDRs = slices.Clone(a.PublicAccessCIDRs)
	out.AdminPrincipalARNs = slices.Clone(a.AdminPrincipalARNs)
	out.Tags = maps.Clone(a.Tags)
	if out.Tags == nil {
		out.Tags = map[string]string{}
	}
	return &out
}

// validate reports every problem with the args at once.
func (a *ClusterArgs) validate() error {
	var errs []error
	if a.Name != "" && !clusterNamePattern.MatchString(a.Name) {
		errs = append(errs, fmt.Errorf("Name: '%s' is not a valid EKS cluster name: must be 1-100 characters of [A-Za-z0-9_-] starting with a letter or digit, or empty to auto-name", a.Name))
	}
	if !versionPattern.MatchString(a.Version) {
		errs = append(errs, fmt.Errorf("Version: '%s' is not a valid EKS version: must match ^1\\.\\d+$, e.g. \"1.33\"", a.Version))
	}

	if a.SubnetIDs == nil {
		errs = append(errs, errors.New("SubnetIDs: is required: pass the private subnet IDs (at least 2, in different AZs)"))
	} else if plain, ok := a.SubnetIDs.(pulumi.StringArray); ok && len(plain) < 2 {
		errs = append(errs, fmt.Errorf("SubnetIDs: got %d subnet(s): EKS needs at least 2, in different AZs", len(plain)))
	}

	seenCIDR := map[netip.Prefix]bool{}
	for _, cidr := range a.PublicAccessCIDRs {
		prefix, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("PublicAccessCIDRs: '%s' is not a valid CIDR block: must look like 203.0.113.0/24", cidr))
		case prefix.Bits() == 0:
			errs = append(errs, fmt.Errorf("PublicAccessCIDRs: '%s' opens the API endpoint to the whole internet: 0.0.0.0/0 and ::/0 are not allowed; leave the list empty for a private-only endpoint or list specific ranges", cidr))
		case prefix != prefix.Masked():
			errs = append(errs, fmt.Errorf("PublicAccessCIDRs: '%s' has host bits set: use the network address %s", cidr, prefix.Masked()))
		case seenCIDR[prefix]:
			errs = append(errs, fmt.Errorf("PublicAccessCIDRs: '%s' is listed twice: each CIDR block may appear once", cidr))
		default:
			seenCIDR[prefix] = true
		}
	}

	keyOwner := map[string]string{}
	for _, arn := range a.AdminPrincipalARNs {
		if !adminARNPattern.MatchString(arn) {
			errs = append(errs, fmt.Errorf("AdminPrincipalARNs: '%s' is not a valid IAM principal ARN: must match arn:aws:iam::<12-digit account>:role/<name> or :user/<name> (assumed-role session ARNs are not accepted)", arn))
			continue
		}
		key := adminKey(arn)
		if other, dup := keyOwner[key]; dup {
			if other == arn {
				errs = append(errs, fmt.Errorf("AdminPrincipalARNs: '%s' is listed twice: EKS allows one access entry per principal", arn))
			} else {
				errs = append(errs, fmt.Errorf("AdminPrincipalARNs: '%s' and '%s' both map to resource key %q: principals must differ in kind or name (ignoring case and punctuation)", other, arn, key))
			}
			continue
		}
		keyOwner[key] = arn
	}

	if !regionPattern.MatchString(a.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", a.Region))
	} else if strings.HasPrefix(a.Region, "cn-") || strings.HasPrefix(a.Region, "us-gov-") || strings.HasPrefix(a.Region, "us-iso") {
		errs = append(errs, fmt.Errorf("Region: '%s' is outside the commercial aws partition: only commercial regions are supported (managed-policy ARNs are arn:aws:...)", a.Region))
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

// adminKey derives the stable child-name key of an admin principal from its ARN: the
// principal kind plus its name (the last path segment), lowercased with punctuation runs
// turned into dashes. Example: arn:aws:iam::123456789012:role/ops/Platform_Admin ->
// "role-platform-admin". Keys never depend on list order, so reordering the config does not
// replace access entries.
func adminKey(arn string) string {
	resourcePart := arn[strings.LastIndex(arn, ":")+1:] // "role/path/Name"
	kind, rest, _ := strings.Cut(resourcePart, "/")
	name := rest[strings.LastIndex(rest, "/")+1:]
	name = strings.Trim(nonAlnumRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if name == "" {
		name = "principal"
	}
	return kind + "-" + name
}
