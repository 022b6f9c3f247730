package peering

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/subnets"
)

// Network is one VPC holding databases the worker pools must reach.
type Network struct {
	// VpcID is the database VPC, e.g. vpc-0123456789abcdef0. Required; one network per VPC (AWS
	// allows one peering connection per pair of VPCs).
	VpcID string
	// CIDR is the database VPC's IPv4 range (a network address, /16 to /28). Required; it must not
	// overlap our VPC or another database network (peering does not route overlapping ranges).
	CIDR string
	// Region is the database VPC's region, e.g. us-east-1. Required.
	Region string
	// AccountID is the 12-digit AWS account that owns the database VPC. Required.
	AccountID string
	// Ports are the TCP ports the workers may reach (e.g. 5432, 27017, 6379). At least one, each
	// 1..65535, no duplicates.
	Ports []int
	// SecurityGroupID, optional, is the database side's security group (sg-...) to add ingress
	// rules to. Only for a network in our account and region: another account's group is not
	// ours to change, and an inter-region peer's rules are managed in its own region.
	SecurityGroupID string
}

// DatabaseNetworksArgs configure NewDatabaseNetworks.
type DatabaseNetworksArgs struct {
	// VpcID is our VPC (the network component's VpcID). Required.
	VpcID pulumi.StringInput
	// VpcCIDR is our VPC's IPv4 range. Required; used for the overlap checks and given to the
	// database side as the range to route back to us.
	VpcCIDR string
	// Region is our region, e.g. us-east-1. Required.
	Region string
	// AccountID is the 12-digit account our VPC lives in. Required: a peering connection is
	// accepted here only when the database network has the same account and region.
	AccountID string
	// PrivateRouteTableIDs are our private route tables by AZ name (the network component's
	// PrivateRouteTableIDs, one entry per AZ). At least one; keys are AZs of Region and key the
	// child names by AZ letter.
	PrivateRouteTableIDs map[string]pulumi.StringInput
	// SourceCIDRs are the ranges admitted by the database-side ingress rules: our private subnets,
	// where the nodes and (through the VPC CNI) the pods take their addresses. Each inside
	// VpcCIDR. Required when any network sets SecurityGroupID.
	SourceCIDRs []string
	// Networks by name. At least one. Names are DNS labels of at most 40 characters and key the
	// child names.
	Networks map[string]Network
	// Tags are added to every taggable child. Default none; keys non-empty, not starting with aws:.
	Tags map[string]string
}

var (
	vpcIDPattern         = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	securityGroupPattern = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
	accountPattern       = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern        = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	networkNamePattern   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$`)
)

// Peer CIDR bounds: what AWS accepts for a VPC's range.
const (
	minPeerPrefix = 16
	maxPeerPrefix = 28
)

func (a *DatabaseNetworksArgs) withDefaults() *DatabaseNetworksArgs {
	out := *a
	out.PrivateRouteTableIDs = maps.Clone(a.PrivateRouteTableIDs)
	out.SourceCIDRs = slices.Clone(a.SourceCIDRs)
	out.Tags = maps.Clone(a.Tags)
	out.Networks = make(map[string]Network, len(a.Networks))
	for name, n := range a.Networks {
		n.Ports = slices.Clone(n.Ports)
		slices.Sort(n.Ports)
		out.Networks[name] = n
	}
	return &out
}

// SameAccountAndRegion reports whether a network's peering can be accepted by this stack: only a
// requester that also owns the accepter VPC, in the same region, can accept in one call.
func (a *DatabaseNetworksArgs) SameAccountAndRegion(n Network) bool {
	return n.AccountID == a.AccountID && n.Region == a.Region
}

// ParsePeerCIDR checks a database network range: an IPv4 network address between /16 and /28.
func ParsePeerCIDR(cidr string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil:
		return netip.Prefix{}, fmt.Errorf("'%s' is not a CIDR: must look like 10.50.0.0/16", cidr)
	case !p.Addr().Is4():
		return netip.Prefix{}, fmt.Errorf("'%s' is not an IPv4 CIDR: peering routes here are IPv4", cidr)
	case p.Masked() != p:
		return netip.Prefix{}, fmt.Errorf("'%s' has host bits set: use the network address %s", cidr, p.Masked())
	case p.Bits() < minPeerPrefix || p.Bits() > maxPeerPrefix:
		return netip.Prefix{}, fmt.Errorf("'%s' is not a VPC range: the prefix must be between /%d and /%d", cidr, minPeerPrefix, maxPeerPrefix)
	}
	return p, nil
}

// OverlapErrors names every pair of ranges that overlap: each database network against our VPC
// and against every other database network, in name order. Unparsable ranges are skipped (they
// are reported on their own).
func OverlapErrors(vpcCIDR string, networks map[string]Network) []error {
	var errs []error
	ours, ourErr := netip.ParsePrefix(vpcCIDR)
	names := slices.Sorted(maps.Keys(networks))
	parsed := map[string]netip.Prefix{}
	for _, name := range names {
		if p, err := ParsePeerCIDR(networks[name].CIDR); err == nil {
			parsed[name] = p
		}
	}
	for i, name := range names {
		p, ok := parsed[name]
		if !ok {
			continue
		}
		if ourErr == nil && p.Overlaps(ours) {
			errs = append(errs, fmt.Errorf("Networks[%s].CIDR: '%s' overlaps our VPC %s: peering cannot route overlapping ranges", name, p, ours))
		}
		for _, other := range names[i+1:] {
			if q, ok := parsed[other]; ok && p.Overlaps(q) {
				errs = append(errs, fmt.Errorf("Networks[%s].CIDR: '%s' overlaps Networks[%s].CIDR '%s': each destination needs its own route", name, p, other, q))
			}
		}
	}
	return errs
}

// validate reports every problem at once, each naming the field, the value and what is allowed.
func (a *DatabaseNetworksArgs) validate() error {
	var errs []error
	if a.VpcID == nil {
		errs = append(errs, errors.New("VpcID: is required: pass the network component's VpcID output"))
	}
	ours, err := netip.ParsePrefix(a.VpcCIDR)
	if err != nil || !ours.Addr().Is4() || ours.Masked() != ours {
		errs = append(errs, fmt.Errorf("VpcCIDR: '%s' is not an IPv4 network address, e.g. 10.40.0.0/16", a.VpcCIDR))
	}
	if !regionPattern.MatchString(a.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", a.Region))
	}
	if !accountPattern.MatchString(a.AccountID) {
		errs = append(errs, fmt.Errorf("AccountID: '%s' is not an AWS account ID: must be 12 digits", a.AccountID))
	}

	if len(a.PrivateRouteTableIDs) == 0 {
		errs = append(errs, errors.New("PrivateRouteTableIDs: none given: pass the network component's private route table per AZ"))
	}
	letters := map[byte]string{}
	for _, az := range slices.Sorted(maps.Keys(a.PrivateRouteTableIDs)) {
		region, letter, err := subnets.SplitAZ(az)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("PrivateRouteTableIDs: %w", err))
		case region != a.Region:
			errs = append(errs, fmt.Errorf("PrivateRouteTableIDs: '%s' is not in region %s: route tables are ours, in our region", az, a.Region))
		case letters[letter] != "":
			errs = append(errs, fmt.Errorf("PrivateRouteTableIDs: '%s' and '%s' share the letter %c, which keys the route names", letters[letter], az, letter))
		default:
			letters[letter] = az
		}
		if a.PrivateRouteTableIDs[az] == nil {
			errs = append(errs, fmt.Errorf("PrivateRouteTableIDs[%s]: is nil: pass the AZ's private route table ID", az))
		}
	}

	needSources := false
	for _, n := range a.Networks {
		needSources = needSources || n.SecurityGroupID != ""
	}
	if needSources && len(a.SourceCIDRs) == 0 {
		errs = append(errs, errors.New("SourceCIDRs: none given: a network with SecurityGroupID needs our private subnet ranges to admit"))
	}
	for _, c := range a.SourceCIDRs {
		p, err := netip.ParsePrefix(c)
		switch {
		case err != nil || !p.Addr().Is4() || p.Masked() != p:
			errs = append(errs, fmt.Errorf("SourceCIDRs: '%s' is not an IPv4 network address, e.g. 10.40.0.0/20", c))
		case ours.IsValid() && (p.Bits() < ours.Bits() || !ours.Contains(p.Addr())):
			errs = append(errs, fmt.Errorf("SourceCIDRs: '%s' is not inside our VPC %s: only our own subnets may be admitted", c, ours))
		}
	}

	if len(a.Networks) == 0 {
		errs = append(errs, errors.New("Networks: none given: at least one database network"))
	}
	vpcs := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(a.Networks)) {
		n := a.Networks[name]
		field := func(f string) string { return fmt.Sprintf("Networks[%s].%s", name, f) }
		if !networkNamePattern.MatchString(name) {
			errs = append(errs, fmt.Errorf("Networks: '%s' is not a valid network name: a DNS label (lowercase letters, digits and '-') of at most 40 characters", name))
		}
		if !vpcIDPattern.MatchString(n.VpcID) {
			errs = append(errs, fmt.Errorf("%s: '%s' is not a VPC ID: must look like vpc-0123456789abcdef0", field("VpcID"), n.VpcID))
		} else if other, dup := vpcs[n.VpcID]; dup {
			errs = append(errs, fmt.Errorf("%s: '%s' is also network %s: AWS allows one peering connection per pair of VPCs, so list the VPC once with all its ports", field("VpcID"), n.VpcID, other))
		} else {
			vpcs[n.VpcID] = name
		}
		if _, err := ParsePeerCIDR(n.CIDR); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field("CIDR"), err))
		}
		if !regionPattern.MatchString(n.Region) {
			errs = append(errs, fmt.Errorf("%s: '%s' is not a valid AWS region: must look like us-east-1", field("Region"), n.Region))
		}
		if !accountPattern.MatchString(n.AccountID) {
			errs = append(errs, fmt.Errorf("%s: '%s' is not an AWS account ID: must be 12 digits", field("AccountID"), n.AccountID))
		}
		if len(n.Ports) == 0 {
			errs = append(errs, fmt.Errorf("%s: none given: list the database ports, e.g. [5432]", field("Ports")))
		}
		for i, p := range n.Ports {
			if p < 1 || p > 65535 {
				errs = append(errs, fmt.Errorf("%s: %d is not a port: allowed 1..65535", field("Ports"), p))
			} else if i > 0 && n.Ports[i-1] == p {
				errs = append(errs, fmt.Errorf("%s: %d is listed twice", field("Ports"), p))
			}
		}
		if n.SecurityGroupID != "" {
			if !securityGroupPattern.MatchString(n.SecurityGroupID) {
				errs = append(errs, fmt.Errorf("%s: '%s' is not a security group ID: must look like sg-0123456789abcdef0", field("SecurityGroupID"), n.SecurityGroupID))
			}
			if !a.SameAccountAndRegion(n) {
				errs = append(errs, fmt.Errorf("%s: '%s' is in account %s, region %s, but this stack runs in account %s, region %s: ingress rules are only added to a security group of our own account and region; the database side adds them (see the connection's acceptance output)",
					field("SecurityGroupID"), n.SecurityGroupID, n.AccountID, n.Region, a.AccountID, a.Region))
			}
		}
	}
	errs = append(errs, OverlapErrors(a.VpcCIDR, a.Networks)...)

	for _, k := range slices.Sorted(maps.Keys(a.Tags)) {
		if k == "" || strings.HasPrefix(strings.ToLower(k), "aws:") {
			errs = append(errs, fmt.Errorf("Tags: '%s' is not a valid tag key: must be non-empty and not start with aws:", k))
		}
	}
	return errors.Join(errs...)
}
