// Package subnets carves a VPC range into one public and one private subnet per availability zone,
// keyed by the zone's letter so that adding or removing a zone never moves another zone's subnets.
//
// The VPC is split into 16 equal blocks (prefix + 4 bits). Zone letter a..h owns block index(letter)
// for its private subnet and block 8+index(letter) for its public one. A /16 VPC therefore gives /20
// subnets (4,091 usable addresses each); private subnets get the same size as public ones because the
// VPC CNI hands every pod a VPC address and the private side holds the nodes.
package subnets

import (
	"fmt"
	"net/netip"
	"regexp"
)

const (
	// MaxLetters is the number of zone letters the layout reserves room for (a..h).
	MaxLetters = 8
	// extraBits splits the VPC into 2*MaxLetters blocks.
	extraBits = 4
	// MinVPCPrefix and MaxVPCPrefix bound the VPC prefix: AWS allows /16../28 for a VPC and /28 as the
	// smallest subnet, so with four extra bits the VPC can be at most a /24.
	MinVPCPrefix = 16
	MaxVPCPrefix = 28 - extraBits
)

var azPattern = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z])$`)

// SplitAZ returns the region and letter of an availability-zone name such as us-east-1c.
func SplitAZ(az string) (region string, letter byte, err error) {
	m := azPattern.FindStringSubmatch(az)
	if m == nil {
		return "", 0, fmt.Errorf("%q is not an availability zone name: must look like us-east-1a (region followed by one letter)", az)
	}
	letter = m[2][0]
	if letter-'a' >= MaxLetters {
		return "", 0, fmt.Errorf("availability zone %q: letter %q is beyond %q: the subnet layout reserves room for zones a..h", az, string(letter), string(rune('a'+MaxLetters-1)))
	}
	return m[1], letter, nil
}

// AZLetter returns the final letter of an availability-zone name (a..h).
func AZLetter(az string) (byte, error) {
	_, letter, err := SplitAZ(az)
	return letter, err
}

// ParseVPC parses a VPC CIDR and checks that it can be carved: an IPv4 network address with a prefix
// between MinVPCPrefix and MaxVPCPrefix.
func ParseVPC(cidr string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR: must look like 10.0.0.0/16", cidr)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 CIDR: the VPC's primary range must be IPv4", cidr)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set: use the network address %s", cidr, p.Masked())
	}
	if p.Bits() < MinVPCPrefix || p.Bits() > MaxVPCPrefix {
		return netip.Prefix{}, fmt.Errorf("%q cannot be carved: the prefix must be between /%d and /%d so each zone gets a public and a private subnet of at least /28", cidr, MinVPCPrefix, MaxVPCPrefix)
	}
	return p, nil
}

// Carve returns the public and private subnet CIDRs of the zone with the given letter.
func Carve(vpcCIDR string, letter byte) (public, private string, err error) {
	vpc, err := ParseVPC(vpcCIDR)
	if err != nil {
		return "", "", err
	}
	if letter < 'a' || letter-'a' >= MaxLetters {
		return "", "", fmt.Errorf("zone letter %q is outside a..h", string(letter))
	}
	idx := int(letter - 'a')
	return block(vpc, MaxLetters+idx).String(), block(vpc, idx).String(), nil
}

// block returns the i-th of the 16 equal blocks of vpc.
func block(vpc netip.Prefix, i int) netip.Prefix {
	bits := vpc.Bits() + extraBits
	base := vpc.Addr().As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	n += uint32(i) << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, bits)
}

// CheckAZs checks a list of availability-zone names given as the field named field: each a valid
// name, listed once, all in one region. It returns the letters of the zones that passed, in list
// order, and one error per problem (naming the field, the index and the value).
func CheckAZs(field string, azs []string) (letters []byte, errs []error) {
	seen := map[string]bool{}
	region := ""
	for i, az := range azs {
		if seen[az] {
			errs = append(errs, fmt.Errorf("%s[%d]: %q is listed twice: each availability zone may appear once", field, i, az))
			continue
		}
		seen[az] = true
		r, letter, err := SplitAZ(az)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s[%d]: %q is not a valid availability zone name: %w", field, i, az, err))
			continue
		}
		if region == "" {
			region = r
		} else if r != region {
			errs = append(errs, fmt.Errorf("%s[%d]: %q is in region %q, but %q came first: all AZs must be in one region", field, i, az, r, region))
			continue
		}
		letters = append(letters, letter)
	}
	return letters, errs
}
