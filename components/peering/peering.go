package peering

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/subnets"
)

// TypeToken is the Pulumi type of the DatabaseNetworks component.
const TypeToken = "cutover:peering:DatabaseNetworks"

// AcceptedHere is the acceptance value of a connection this stack accepts itself.
const AcceptedHere = "auto-accepted: same account and region"

// pendingExpiryDays is how long AWS keeps a peering request open before it expires.
const pendingExpiryDays = 7

// DatabaseNetworks is the peering, routing and security group side of reaching existing database
// VPCs.
type DatabaseNetworks struct {
	pulumi.ResourceState

	// SecurityGroupID is the database egress security group in our VPC: egress only to the
	// database networks on their ports. It admits nothing by itself; it takes effect on the ENIs
	// it is attached to (see the package README section).
	SecurityGroupID pulumi.StringOutput
	// Connections describe each peering connection by network name: id, status (AWS's
	// acceptStatus), acceptance (AcceptedHere or what the other side must do), peerVpcId,
	// peerCidr, peerRegion, peerAccountId and requesterCidr (the range the database side routes
	// back to us).
	Connections pulumi.StringMapMapOutput
	// Routes are the routes added to our private route tables, one per AZ and network, in network
	// then AZ order: network, availabilityZone, routeTableId, destinationCidrBlock,
	// vpcPeeringConnectionId.
	Routes pulumi.StringMapArrayOutput
}

// NewDatabaseNetworks peers our VPC with each database network and routes our private subnets to
// it.
func NewDatabaseNetworks(ctx *pulumi.Context, name string, args *DatabaseNetworksArgs, opts ...pulumi.ResourceOption) (*DatabaseNetworks, error) {
	if args == nil {
		args = &DatabaseNetworksArgs{}
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("database networks %q: invalid args:\n%w", name, err)
	}

	c := &DatabaseNetworks{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("database networks %q: register component: %w", name, err)
	}
	parent := pulumi.Parent(c)
	wrap := func(what string, err error) error { return fmt.Errorf("database networks %q: %s: %w", name, what, err) }
	names := slices.Sorted(maps.Keys(args.Networks))
	azs := slices.Sorted(maps.Keys(args.PrivateRouteTableIDs))

	sgName := name + "-sg"
	sg, err := ec2.NewSecurityGroup(ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("Worker pools database egress: only to the peered database networks on their ports"),
		// Both lists are managed: no ingress at all, and the default allow-all egress is replaced by
		// the database rules.
		Ingress: ec2.SecurityGroupIngressArray{},
		Egress:  egressRules(args, names),
		Tags:    tagsWithName(args.Tags, sgName),
	}, parent)
	if err != nil {
		return nil, wrap("security group", err)
	}

	connections := pulumi.StringMapMap{}
	routes := pulumi.StringMapArray{}
	for _, netName := range names {
		n := args.Networks[netName]
		auto := args.SameAccountAndRegion(n)
		pcxName := fmt.Sprintf("%s-%s-peering", name, netName)
		pcxArgs := &ec2.VpcPeeringConnectionArgs{
			VpcId:      args.VpcID,
			PeerVpcId:  pulumi.String(n.VpcID),
			AutoAccept: pulumi.Bool(auto),
			Tags:       tagsWithName(args.Tags, pcxName),
		}
		if n.AccountID != args.AccountID {
			pcxArgs.PeerOwnerId = pulumi.String(n.AccountID)
		}
		if n.Region != args.Region {
			pcxArgs.PeerRegion = pulumi.String(n.Region)
		}
		if auto {
			// Names like ip-10-50-1-2.ec2.internal of instances in the database VPC then resolve to
			// their private addresses from our VPC. Options can only be set on an active
			// connection, so a pending one goes without.
			pcxArgs.Requester = &ec2.VpcPeeringConnectionRequesterArgs{AllowRemoteVpcDnsResolution: pulumi.Bool(true)}
		}
		pcx, err := ec2.NewVpcPeeringConnection(ctx, pcxName, pcxArgs, parent)
		if err != nil {
			return nil, wrap("peering "+netName, err)
		}
		pcxID := pcx.ID().ToStringOutput()

		// A route to a connection that is still pending is accepted by AWS as a blackhole and
		// starts carrying traffic once the other side accepts; no second `up` is needed.
		for _, az := range azs {
			letter, _ := subnets.AZLetter(az) // validated
			route, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-%s-route-%c", name, netName, letter), &ec2.RouteArgs{
				RouteTableId:           args.PrivateRouteTableIDs[az],
				DestinationCidrBlock:   pulumi.String(n.CIDR),
				VpcPeeringConnectionId: pcxID,
			}, parent)
			if err != nil {
				return nil, wrap(fmt.Sprintf("route %s %s", netName, az), err)
			}
			routes = append(routes, pulumi.StringMap{
				"network":                pulumi.String(netName),
				"availabilityZone":       pulumi.String(az),
				"routeTableId":           route.RouteTableId,
				"destinationCidrBlock":   route.DestinationCidrBlock.Elem(),
				"vpcPeeringConnectionId": route.VpcPeeringConnectionId.Elem(),
			})
		}

		if n.SecurityGroupID != "" {
			for _, port := range n.Ports {
				if _, err := ec2.NewSecurityGroupRule(ctx, fmt.Sprintf("%s-%s-ingress-%d", name, netName, port), &ec2.SecurityGroupRuleArgs{
					Type:            pulumi.String("ingress"),
					SecurityGroupId: pulumi.String(n.SecurityGroupID),
					Protocol:        pulumi.String("tcp"),
					FromPort:        pulumi.Int(port),
					ToPort:          pulumi.Int(port),
					CidrBlocks:      pulumi.ToStringArray(args.SourceCIDRs),
					Description:     pulumi.String(fmt.Sprintf("cutover workers (private subnets of %s) to %s port %d over VPC peering", args.VpcCIDR, netName, port)),
				}, parent); err != nil {
					return nil, wrap(fmt.Sprintf("ingress %s %d", netName, port), err)
				}
			}
		}

		acceptance := pulumi.String(AcceptedHere).ToStringOutput()
		if !auto {
			acceptance = pendingInstruction(n, pcxID)
		}
		connections[netName] = pulumi.StringMap{
			"id":            pcxID,
			"status":        pcx.AcceptStatus,
			"acceptance":    acceptance,
			"databaseSide":  databaseSideInstruction(args, netName, n, pcxID),
			"peerVpcId":     pulumi.String(n.VpcID),
			"peerCidr":      pulumi.String(n.CIDR),
			"peerRegion":    pulumi.String(n.Region),
			"peerAccountId": pulumi.String(n.AccountID),
			"requesterCidr": pulumi.String(args.VpcCIDR),
		}
	}

	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.Connections = connections.ToStringMapMapOutput()
	c.Routes = routes.ToStringMapArrayOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"securityGroupId": c.SecurityGroupID,
		"connections":     c.Connections,
		"routes":          c.Routes,
	}); err != nil {
		return nil, wrap("register outputs", err)
	}
	return c, nil
}

// egressRules allow TCP to each database network on each of its ports, and nothing else.
func egressRules(args *DatabaseNetworksArgs, names []string) ec2.SecurityGroupEgressArray {
	rules := ec2.SecurityGroupEgressArray{}
	for _, netName := range names {
		n := args.Networks[netName]
		for _, port := range n.Ports {
			rules = append(rules, ec2.SecurityGroupEgressArgs{
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(port),
				ToPort:      pulumi.Int(port),
				CidrBlocks:  pulumi.StringArray{pulumi.String(n.CIDR)},
				Description: pulumi.String(fmt.Sprintf("to database network %s (%s) port %d over VPC peering", netName, n.CIDR, port)),
			})
		}
	}
	return rules
}

// pendingInstruction tells the owner of the database VPC how to accept a connection this stack
// cannot accept itself.
func pendingInstruction(n Network, pcxID pulumi.StringOutput) pulumi.StringOutput {
	return pulumi.Sprintf("pending: the owner of account %s must accept it in %s within %d days, before the request expires: aws ec2 accept-vpc-peering-connection --region %s --vpc-peering-connection-id %s",
		n.AccountID, n.Region, pendingExpiryDays, n.Region, pcxID)
}

// databaseSideInstruction is what the database VPC needs for replies to come back and for the
// databases to admit the workers: this stack only changes our side (and, when given, the
// database security group of our own account and region).
func databaseSideInstruction(args *DatabaseNetworksArgs, netName string, n Network, pcxID pulumi.StringOutput) pulumi.StringOutput {
	ports := make([]string, len(n.Ports))
	for i, p := range n.Ports {
		ports[i] = strconv.Itoa(p)
	}
	sources := args.VpcCIDR
	if len(args.SourceCIDRs) > 0 {
		sources = strings.Join(args.SourceCIDRs, ", ")
	}
	ingress := fmt.Sprintf("allow TCP %s from %s on the database security groups", strings.Join(ports, ", "), sources)
	if n.SecurityGroupID != "" {
		ingress = fmt.Sprintf("ingress TCP %s from %s is added to %s by this stack", strings.Join(ports, ", "), sources, n.SecurityGroupID)
	}
	return pulumi.Sprintf("in the route tables of %s (%s) route %s to %s; %s", n.VpcID, netName, args.VpcCIDR, pcxID, ingress)
}

func tagsWithName(tags map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
