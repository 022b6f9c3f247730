package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/subnets"
)

// TypeToken is the Pulumi type of the Egress component.
const TypeToken = "cutover:egress:Egress"

// EgressTag marks every Elastic IP this component owns, so that an operator (or a cleanup script)
// can tell customer-facing egress addresses apart from any other EIP in the account.
const EgressTag = "cutover:egress"

// allocationIDPattern is the shape of an EC2 allocation ID: legacy IDs carry 8 hex digits,
// current ones 17.
var allocationIDPattern = regexp.MustCompile(`^eipalloc-[0-9a-f]{8,17}$`)

// EgressArgs configures the egress IPs.
type EgressArgs struct {
	// AZs that get a NAT gateway, as full AZ names (e.g. us-east-1a). Required, at least one, no
	// duplicates, all in one region (the EIP names use the AZ letter, which must be unique). In
	// single-NAT mode the caller passes only the AZ that hosts the NAT gateway.
	AZs []string
	// AdoptedAllocationIDs are existing EIP allocation IDs (eipalloc-...). Default empty: one Elastic
	// IP is allocated per AZ. When non-empty no Eip resource is created; the IDs map to AZs in list
	// order, so the length must equal len(AZs), and no ID may repeat.
	AdoptedAllocationIDs []string
	// HerokuEgressIPs are Heroku's static egress IPs, published in the allow-list next to the AWS
	// addresses while Heroku still serves traffic. Default empty; each must be an IPv4 or IPv6
	// address (no CIDR ranges, no host names).
	HerokuEgressIPs []string
	// Tags are added to every Elastic IP. Default none. The keys Name and cutover:egress are set by
	// the component and override values given here.
	Tags map[string]string
}

// Egress is the set of static egress addresses customers allow-list.
type Egress struct {
	pulumi.ResourceState

	// AllocationIDs holds the EIP allocation ID per AZ, keyed by full AZ name; network's NAT
	// gateways consume it.
	AllocationIDs pulumi.StringMapOutput
	// PublicIPs are the AWS egress addresses, sorted.
	PublicIPs pulumi.StringArrayOutput
	// Allowlist is PublicIPs plus the Heroku egress IPs, sorted and de-duplicated (see Allowlist).
	Allowlist pulumi.StringArrayOutput

	// byAZ holds each AZ's allocation ID as its own address's output (see AllocationIDsByAZ).
	byAZ pulumi.StringMap
}

// AllocationIDsByAZ returns the allocation ID of each NAT AZ as the output of that AZ's own
// address, so a consumer (a NAT gateway) depends on its own Elastic IP only; AllocationIDs, one
// map output, would tie it to every address.
func (e *Egress) AllocationIDsByAZ() pulumi.StringMap {
	out := make(pulumi.StringMap, len(e.byAZ))
	for az, id := range e.byAZ {
		out[az] = id
	}
	return out
}

// NewEgress allocates (or adopts) one Elastic IP per AZ and computes the published allow-list.
func NewEgress(ctx *pulumi.Context, name string, args *EgressArgs, opts ...pulumi.ResourceOption) (*Egress, error) {
	if args == nil {
		args = &EgressArgs{}
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("egress %q: invalid arguments: %w", name, err)
	}

	c := &Egress{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("egress %q: register component: %w", name, err)
	}

	allocationIDs := pulumi.StringMap{}
	publicIPs := pulumi.StringArray{}
	if len(a.AdoptedAllocationIDs) > 0 {
		// Adopted addresses are looked up, never managed here: they may predate this program and
		// must survive it.
		for i, az := range a.AZs {
			id := a.AdoptedAllocationIDs[i]
			allocationIDs[az] = pulumi.String(id)
			found := ec2.GetElasticIpOutput(ctx, ec2.GetElasticIpOutputArgs{Id: pulumi.String(id)}, pulumi.Parent(c))
			publicIPs = append(publicIPs, found.PublicIp())
		}
	} else {
		for _, az := range sortedCopy(a.AZs) {
			letter, err := subnets.AZLetter(az)
			if err != nil {
				return nil, fmt.Errorf("egress %q: eip %s: %w", name, az, err)
			}
			eipName := fmt.Sprintf("%s-ip-%c", name, letter)
			eip, err := ec2.NewEip(ctx, eipName, &ec2.EipArgs{
				Domain: pulumi.String("vpc"),
				Tags:   pulumi.ToStringMap(eipTags(a.Tags, eipName)),
			},
				pulumi.Parent(c),
				// Customers allow-list these addresses: a delete or replace would break them, and a
				// stack destroy must leave the address in the account.
				pulumi.Protect(true),
				pulumi.RetainOnDelete(true),
			)
			if err != nil {
				return nil, fmt.Errorf("egress %q: eip %s: %w", name, az, err)
			}
			// For a domain=vpc address the provider's resource ID is the allocation ID, and unlike
			// the allocationId attribute it is always present in every engine and mock.
			allocationIDs[az] = eip.ID().ToStringOutput()
			publicIPs = append(publicIPs, eip.PublicIp)
		}
	}

	heroku := append([]string(nil), a.HerokuEgressIPs...)
	c.byAZ = allocationIDs
	c.AllocationIDs = allocationIDs.ToStringMapOutput()
	c.PublicIPs = publicIPs.ToStringArrayOutput().ApplyT(func(ips []string) []string {
		return Allowlist(ips, nil)
	}).(pulumi.StringArrayOutput)
	c.Allowlist = c.PublicIPs.ApplyT(func(ips []string) []string {
		return Allowlist(ips, heroku)
	}).(pulumi.StringArrayOutput)

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"allocationIds": c.AllocationIDs,
		"publicIps":     c.PublicIPs,
		"allowlist":     c.Allowlist,
	}); err != nil {
		return nil, fmt.Errorf("egress %q: register outputs: %w", name, err)
	}
	return c, nil
}

// withDefaults returns a copy with defaults filled in, so the caller's struct is never mutated.
func (a EgressArgs) withDefaults() EgressArgs {
	out := a
	out.AZs = append([]string(nil), a.AZs...)
	out.AdoptedAllocationIDs = append([]string(nil), a.AdoptedAllocationIDs...)
	out.HerokuEgressIPs = append([]string(nil), a.HerokuEgressIPs...)
	out.Tags = make(map[string]string, len(a.Tags))
	for k, v := range a.Tags {
		out.Tags[k] = v
	}
	return out
}

// validate reports every problem at once, each naming the field, the bad value and what is allowed.
func (a EgressArgs) validate() error {
	var errs []error
	if len(a.AZs) == 0 {
		errs = append(errs, errors.New("AZs: empty: at least one availability zone name (e.g. us-east-1a) is required"))
	}
	_, azErrs := subnets.CheckAZs("AZs", a.AZs)
	errs = append(errs, azErrs...)

	if n := len(a.AdoptedAllocationIDs); n > 0 && n != len(a.AZs) {
		errs = append(errs, fmt.Errorf("AdoptedAllocationIDs: %d IDs given for %d AZs %v: must be empty or exactly one per AZ, in AZ order", n, len(a.AZs), a.AZs))
	}
	seenID := map[string]bool{}
	for i, id := range a.AdoptedAllocationIDs {
		if !allocationIDPattern.MatchString(id) {
			errs = append(errs, fmt.Errorf("AdoptedAllocationIDs[%d]: %q is not a valid allocation ID: must match %s", i, id, allocationIDPattern))
			continue
		}
		if seenID[id] {
			errs = append(errs, fmt.Errorf("AdoptedAllocationIDs[%d]: %q is listed twice: one address can back only one NAT gateway", i, id))
		}
		seenID[id] = true
	}

	for i, ip := range a.HerokuEgressIPs {
		if _, err := netip.ParseAddr(ip); err != nil {
			errs = append(errs, fmt.Errorf("HerokuEgressIPs[%d]: %q is not an IP address: must be a single IPv4 or IPv6 address (no CIDR, no host name)", i, ip))
		}
	}
	return errors.Join(errs...)
}

// eipTags returns the caller's tags plus the ones that identify an egress address.
func eipTags(base map[string]string, eipName string) map[string]string {
	tags := make(map[string]string, len(base)+2)
	for k, v := range base {
		tags[k] = v
	}
	tags["Name"] = eipName
	tags[EgressTag] = "true"
	return tags
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}
