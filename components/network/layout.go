package network

import (
	"fmt"
	"sort"

	"github.com/cutover-dev/cutover/internal/subnets"
)

// NAT gateway modes.
const (
	// NATModePerAZ gives every AZ its own NAT gateway, so losing one AZ never cuts egress for the others.
	NATModePerAZ = "per-az"
	// NATModeSingle runs one NAT gateway (in the first AZ in sorted order) for all private subnets:
	// cheaper, for environments that can tolerate an AZ outage taking egress down.
	NATModeSingle = "single"
)

// zone is the plan-time layout of one availability zone.
type zone struct {
	AZ            string
	Letter        byte
	PublicCIDR    string
	PrivateCIDR   string
	NATAZ         string // the AZ whose NAT gateway this zone's private default route uses
	HasNATGateway bool
}

// planZones lays the AZs out in sorted order: subnet CIDRs from the zone letter and the NAT each
// zone routes through. It assumes the AZs were validated.
func planZones(vpcCIDR string, azs []string, natMode string) ([]zone, error) {
	sorted := append([]string(nil), azs...)
	sort.Strings(sorted)
	zones := make([]zone, 0, len(sorted))
	for _, az := range sorted {
		letter, err := subnets.AZLetter(az)
		if err != nil {
			return nil, err
		}
		public, private, err := subnets.Carve(vpcCIDR, letter)
		if err != nil {
			return nil, fmt.Errorf("AZ %s: %w", az, err)
		}
		z := zone{AZ: az, Letter: letter, PublicCIDR: public, PrivateCIDR: private, NATAZ: az, HasNATGateway: true}
		if natMode == NATModeSingle {
			z.NATAZ = sorted[0]
			z.HasNATGateway = az == sorted[0]
		}
		zones = append(zones, z)
	}
	return zones, nil
}

// NATAZs returns the AZs that get a NAT gateway for the given mode, sorted: what the egress
// component must allocate addresses for.
func NATAZs(azs []string, natMode string) []string {
	sorted := append([]string{}, azs...)
	sort.Strings(sorted)
	if natMode == NATModeSingle && len(sorted) > 0 {
		return sorted[:1]
	}
	return sorted
}
