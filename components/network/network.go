package network

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/subnets"
)

// TypeToken is the Pulumi type of the Network component.
const TypeToken = "cutover:network:Network"

// Defaults applied by withDefaults.
const (
	DefaultCIDR                 = "10.0.0.0/16"
	DefaultFlowLogRetentionDays = 30
)

// anyIPv4 is the destination of every default route.
const anyIPv4 = "0.0.0.0/0"

// logRetentionDays are the values CloudWatch Logs accepts for a log group's retention.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// clusterNamePattern is the shape EKS accepts for a cluster name.
var clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)

// NetworkArgs configures the network.
type NetworkArgs struct {
	// CIDR is the VPC's IPv4 range. Default 10.0.0.0/16; a network address with a prefix between /16
	// and /24 (each AZ letter gets a public and a private /prefix+4).
	CIDR string
	// AZs are full AZ names (e.g. us-east-1a): at least 2, no duplicates, all in one region, letters
	// a..h. Order does not matter; resources are keyed by AZ letter.
	AZs []string
	// NATMode is "per-az" (default: one NAT gateway per AZ) or "single" (one NAT gateway in the first
	// AZ in sorted order, shared by every private subnet).
	NATMode string
	// AllocationIDs are the egress component's EIP allocation IDs keyed by AZ name, each the
	// output of its own address (so a NAT depends on its own EIP only). Required. In per-az mode
	// it needs an entry for every AZ, in single mode for the NAT AZ (see NATAZs); a missing entry
	// is a validation error.
	AllocationIDs pulumi.StringMap
	// ClusterName adds the subnet tag kubernetes.io/cluster/<ClusterName>=shared. Default empty (no
	// tag); otherwise a valid EKS cluster name (letters, digits, - and _, at most 100 characters).
	ClusterName string
	// FlowLogRetentionDays is the retention of the flow-log group. Default 30; one of the values
	// CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653).
	FlowLogRetentionDays int
	// Protect protects the VPC against deletion (set for production). Default false.
	Protect bool
	// Tags are added to every taggable resource. Default none. Name and the Kubernetes subnet tags
	// are set by the component and override values given here.
	Tags map[string]string
}

// Network is the VPC and everything routing through it.
type Network struct {
	pulumi.ResourceState

	// VpcID is the ID of the VPC.
	VpcID pulumi.StringOutput
	// PublicSubnetIDs are the public subnet IDs keyed by AZ name.
	PublicSubnetIDs pulumi.StringMapOutput
	// PrivateSubnetIDs are the private subnet IDs keyed by AZ name.
	PrivateSubnetIDs pulumi.StringMapOutput
	// PrivateSubnetIDList are the private subnet IDs in AZ name order (for APIs that take a list).
	PrivateSubnetIDList pulumi.StringArrayOutput
	// PrivateRouteTableIDs are the private route table IDs keyed by AZ name (e.g. for gateway
	// endpoints).
	PrivateRouteTableIDs pulumi.StringMapOutput
}

// NewNetwork builds the VPC, subnets, gateways, routes, flow logs and default security group.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		args = &NetworkArgs{}
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("network %q: invalid arguments: %w", name, err)
	}
	zones, err := planZones(a.CIDR, a.AZs, a.NATMode)
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}

	c := &Network{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("network %q: register component: %w", name, err)
	}
	parent := pulumi.Parent(c)

	vpcName := name + "-vpc"
	vpcOpts := []pulumi.ResourceOption{parent}
	if a.Protect {
		// Only set when asked, so a caller's protect on the component is still inherited otherwise.
		vpcOpts = append(vpcOpts, pulumi.Protect(true))
	}
	vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.CIDR),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               a.tags(vpcName, nil),
	}, vpcOpts...)
	if err != nil {
		return nil, fmt.Errorf("network %q: vpc: %w", name, err)
	}

	// The default security group comes with allow-all rules; adopting it with no rules strips them so
	// nothing can rely on it by accident.
	sgName := name + "-default-sg"
	if _, err := ec2.NewDefaultSecurityGroup(ctx, sgName, &ec2.DefaultSecurityGroupArgs{
		VpcId:   vpc.ID(),
		Ingress: ec2.DefaultSecurityGroupIngressArray{},
		Egress:  ec2.DefaultSecurityGroupEgressArray{},
		Tags:    a.tags(sgName, nil),
	}, parent); err != nil {
		return nil, fmt.Errorf("network %q: default security group: %w", name, err)
	}

	igwName := name + "-igw"
	igw, err := ec2.NewInternetGateway(ctx, igwName, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(igwName, nil),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network %q: internet gateway: %w", name, err)
	}

	publicRTName := name + "-public-rt"
	publicRT, err := ec2.NewRouteTable(ctx, publicRTName, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(publicRTName, nil),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network %q: public route table: %w", name, err)
	}
	// Routes are separate resources (never inline) so the public and private tables are managed the
	// same way and a route change never rewrites the whole table.
	if _, err := ec2.NewRoute(ctx, name+"-public-default-route", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String(anyIPv4),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("network %q: public default route: %w", name, err)
	}

	clusterTags := map[string]string{}
	if a.ClusterName != "" {
		clusterTags["kubernetes.io/cluster/"+a.ClusterName] = "shared"
	}

	publicSubnetIDs := pulumi.StringMap{}
	privateSubnetIDs := pulumi.StringMap{}
	privateRouteTableIDs := pulumi.StringMap{}
	privateSubnetIDList := pulumi.StringArray{}
	publicSubnets := map[string]*ec2.Subnet{}
	privateSubnets := map[string]*ec2.Subnet{}

	for _, z := range zones {
		publicName := fmt.Sprintf("%s-public-%c", name, z.Letter)
		public, err := ec2.NewSubnet(ctx, publicName, &ec2.SubnetArgs{
			VpcId:               vpc.ID(),
			AvailabilityZone:    pulumi.String(z.AZ),
			CidrBlock:           pulumi.String(z.PublicCIDR),
			MapPublicIpOnLaunch: pulumi.Bool(true),
			Tags:                a.tags(publicName, merge(clusterTags, map[string]string{"kubernetes.io/role/elb": "1"})),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network %q: public subnet %s: %w", name, z.AZ, err)
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-public-rta-%c", name, z.Letter), &ec2.RouteTableAssociationArgs{
			SubnetId:     public.ID(),
			RouteTableId: publicRT.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network %q: public route table association %s: %w", name, z.AZ, err)
		}

		privateName := fmt.Sprintf("%s-private-%c", name, z.Letter)
		private, err := ec2.NewSubnet(ctx, privateName, &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			AvailabilityZone: pulumi.String(z.AZ),
			CidrBlock:        pulumi.String(z.PrivateCIDR),
			// Explicit, so a policy reading raw inputs sees the intent rather than a provider default.
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                a.tags(privateName, merge(clusterTags, map[string]string{"kubernetes.io/role/internal-elb": "1"})),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network %q: private subnet %s: %w", name, z.AZ, err)
		}

		publicSubnets[z.AZ] = public
		privateSubnets[z.AZ] = private
		publicSubnetIDs[z.AZ] = public.ID().ToStringOutput()
		privateSubnetIDs[z.AZ] = private.ID().ToStringOutput()
		privateSubnetIDList = append(privateSubnetIDList, private.ID().ToStringOutput())
	}

	// NAT gateways are created after all subnets so that a NAT AZ's public subnet exists whatever the
	// zone order.
	natGateways := map[string]*ec2.NatGateway{}
	for _, z := range zones {
		if !z.HasNATGateway {
			continue
		}
		natName := fmt.Sprintf("%s-nat-%c", name, z.Letter)
		nat, err := ec2.NewNatGateway(ctx, natName, &ec2.NatGatewayArgs{
			SubnetId: publicSubnets[z.AZ].ID(),
			// Each NAT consumes its own AZ's allocation, so it depends on that one address only.
			AllocationId: a.AllocationIDs[z.AZ],
			Tags:         a.tags(natName, nil),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("network %q: nat %s: %w", name, z.AZ, err)
		}
		natGateways[z.AZ] = nat
	}

	for _, z := range zones {
		rtName := fmt.Sprintf("%s-private-rt-%c", name, z.Letter)
		rt, err := ec2.NewRouteTable(ctx, rtName, &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  a.tags(rtName, nil),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network %q: private route table %s: %w", name, z.AZ, err)
		}
		if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-private-default-route-%c", name, z.Letter), &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String(anyIPv4),
			NatGatewayId:         natGateways[z.NATAZ].ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network %q: private default route %s: %w", name, z.AZ, err)
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-private-rta-%c", name, z.Letter), &ec2.RouteTableAssociationArgs{
			SubnetId:     privateSubnets[z.AZ].ID(),
			RouteTableId: rt.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network %q: private route table association %s: %w", name, z.AZ, err)
		}
		privateRouteTableIDs[z.AZ] = rt.ID().ToStringOutput()
	}

	if err := newFlowLogs(ctx, name, a, vpc, parent); err != nil {
		return nil, err
	}

	c.VpcID = vpc.ID().ToStringOutput()
	c.PublicSubnetIDs = publicSubnetIDs.ToStringMapOutput()
	c.PrivateSubnetIDs = privateSubnetIDs.ToStringMapOutput()
	c.PrivateSubnetIDList = privateSubnetIDList.ToStringArrayOutput()
	c.PrivateRouteTableIDs = privateRouteTableIDs.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":                c.VpcID,
		"publicSubnetIds":      c.PublicSubnetIDs,
		"privateSubnetIds":     c.PrivateSubnetIDs,
		"privateSubnetIdList":  c.PrivateSubnetIDList,
		"privateRouteTableIds": c.PrivateRouteTableIDs,
	}); err != nil {
		return nil, fmt.Errorf("network %q: register outputs: %w", name, err)
	}
	return c, nil
}

// newFlowLogs sends all VPC traffic records to a CloudWatch log group through a role that can only
// write to that group.
func newFlowLogs(ctx *pulumi.Context, name string, a NetworkArgs, vpc *ec2.Vpc, parent pulumi.ResourceOrInvokeOption) error {
	groupName := name + "-flow-logs"
	group, err := cloudwatch.NewLogGroup(ctx, groupName, &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.FlowLogRetentionDays),
		Tags:            a.tags(groupName, nil),
	}, parent)
	if err != nil {
		return fmt.Errorf("network %q: flow log group: %w", name, err)
	}

	trust, err := flowLogTrustPolicy()
	if err != nil {
		return fmt.Errorf("network %q: flow log role: %w", name, err)
	}
	roleName := name + "-flow-logs-role"
	role, err := iam.NewRole(ctx, roleName, &iam.RoleArgs{
		Description:      pulumi.String("Delivers VPC flow logs of " + name + " to CloudWatch Logs"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             a.tags(roleName, nil),
	}, parent)
	if err != nil {
		return fmt.Errorf("network %q: flow log role: %w", name, err)
	}

	// Only a pure JSON rendering runs in the apply; no resource is created there.
	policy := group.Arn.ApplyT(flowLogWritePolicy).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-flow-logs-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: policy,
	}, parent)
	if err != nil {
		return fmt.Errorf("network %q: flow log role policy: %w", name, err)
	}

	flowLogName := name + "-flow-log"
	if _, err := ec2.NewFlowLog(ctx, flowLogName, &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		Tags:               a.tags(flowLogName, nil),
		// The role must be able to write before the first delivery, or the flow log starts in error.
	}, parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy})); err != nil {
		return fmt.Errorf("network %q: flow log: %w", name, err)
	}
	return nil
}

// withDefaults returns a copy with defaults filled in, so the caller's struct is never mutated.
func (a NetworkArgs) withDefaults() NetworkArgs {
	out := a
	if out.CIDR == "" {
		out.CIDR = DefaultCIDR
	}
	if out.NATMode == "" {
		out.NATMode = NATModePerAZ
	}
	if out.FlowLogRetentionDays == 0 {
		out.FlowLogRetentionDays = DefaultFlowLogRetentionDays
	}
	out.AZs = append([]string(nil), a.AZs...)
	out.Tags = merge(a.Tags, nil)
	return out
}

// validate reports every problem at once, each naming the field, the bad value and what is allowed.
func (a NetworkArgs) validate() error {
	var errs []error
	if len(a.AZs) < 2 {
		errs = append(errs, fmt.Errorf("AZs: %d given %v: at least 2 availability zones are required (subnets and node groups must span two)", len(a.AZs), a.AZs))
	}
	letters, azErrs := subnets.CheckAZs("AZs", a.AZs)
	errs = append(errs, azErrs...)

	if _, err := subnets.ParseVPC(a.CIDR); err != nil {
		errs = append(errs, fmt.Errorf("CIDR: %w", err))
	} else {
		for _, letter := range letters {
			if _, _, err := subnets.Carve(a.CIDR, letter); err != nil {
				errs = append(errs, fmt.Errorf("CIDR: %q cannot be carved for zone letter %c: %w", a.CIDR, letter, err))
			}
		}
	}

	if a.NATMode != NATModePerAZ && a.NATMode != NATModeSingle {
		errs = append(errs, fmt.Errorf("NATMode: %q is not a NAT mode: must be %q or %q", a.NATMode, NATModePerAZ, NATModeSingle))
	}
	if a.AllocationIDs == nil {
		errs = append(errs, errors.New("AllocationIDs: missing: the egress component's allocation IDs by AZ are required (NAT gateways never allocate their own address)"))
	} else if a.NATMode == NATModePerAZ || a.NATMode == NATModeSingle {
		for _, az := range NATAZs(a.AZs, a.NATMode) {
			if a.AllocationIDs[az] == nil {
				errs = append(errs, fmt.Errorf("AllocationIDs: no allocation ID for NAT AZ %q (keys: %v): egress must allocate or adopt an address for every NAT AZ", az, slices.Sorted(maps.Keys(a.AllocationIDs))))
			}
		}
	}
	if a.ClusterName != "" && !clusterNamePattern.MatchString(a.ClusterName) {
		errs = append(errs, fmt.Errorf("ClusterName: %q is not a valid EKS cluster name: must match %s", a.ClusterName, clusterNamePattern))
	}
	if !containsInt(logRetentionDays, a.FlowLogRetentionDays) {
		errs = append(errs, fmt.Errorf("FlowLogRetentionDays: %d is not a CloudWatch Logs retention: must be one of %v", a.FlowLogRetentionDays, logRetentionDays))
	}
	return errors.Join(errs...)
}

// tags returns the common tags plus extra ones plus the Name tag.
func (a NetworkArgs) tags(resourceName string, extra map[string]string) pulumi.StringMap {
	all := merge(a.Tags, extra)
	all["Name"] = resourceName
	return pulumi.ToStringMap(all)
}

// merge returns a new map with the entries of base overridden by those of over.
func merge(base, over map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
