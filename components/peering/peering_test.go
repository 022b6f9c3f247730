package peering

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	typePeering = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"
	typeRoute   = "aws:ec2/route:Route"
	typeSG      = "aws:ec2/securityGroup:SecurityGroup"
	typeSGRule  = "aws:ec2/securityGroupRule:SecurityGroupRule"

	ourAccount   = "123456789012"
	otherAccount = "210987654321"
)

// baseArgs: four database networks covering every acceptance case, over three AZs.
func baseArgs() *DatabaseNetworksArgs {
	return &DatabaseNetworksArgs{
		VpcID:     pulumi.String("vpc-0a0a0a0a0a0a0a0a0"),
		VpcCIDR:   "10.40.0.0/16",
		Region:    "us-east-1",
		AccountID: ourAccount,
		PrivateRouteTableIDs: map[string]pulumi.StringInput{
			"us-east-1a": pulumi.String("rtb-private-a"),
			"us-east-1b": pulumi.String("rtb-private-b"),
			"us-east-1c": pulumi.String("rtb-private-c"),
		},
		SourceCIDRs: []string{"10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"},
		Networks: map[string]Network{
			// Same account and region, database SG given: accepted here, ingress added.
			"postgres": {VpcID: "vpc-0b0b0b0b0b0b0b0b0", CIDR: "10.60.0.0/16", Region: "us-east-1", AccountID: ourAccount, Ports: []int{5432}, SecurityGroupID: "sg-0c0c0c0c0c0c0c0c0"},
			// Same account and region, no SG: accepted here, ingress left to the database side.
			"mongo": {VpcID: "vpc-0d0d0d0d0d0d0d0d0", CIDR: "10.61.0.0/16", Region: "us-east-1", AccountID: ourAccount, Ports: []int{27017}},
			// Same account, other region: pending.
			"redis-eu": {VpcID: "vpc-0e0e0e0e0e0e0e0e0", CIDR: "10.62.0.0/16", Region: "eu-central-1", AccountID: ourAccount, Ports: []int{6379}},
			// Other account, same region: pending.
			"analytics": {VpcID: "vpc-0f0f0f0f0f0f0f0f0", CIDR: "172.31.0.0/16", Region: "us-east-1", AccountID: otherAccount, Ports: []int{6379, 5432}},
		},
		Tags: map[string]string{"cutover:stack": "production"},
	}
}

type result struct {
	resources   mockmon.Records
	connections internals.UnsafeAwaitOutputResult
	routes      internals.UnsafeAwaitOutputResult
	sgID        internals.UnsafeAwaitOutputResult
}

func run(t *testing.T, args *DatabaseNetworksArgs) (result, error) {
	t.Helper()
	mon := mockmon.New()
	var res result
	err := mon.Run(func(ctx *pulumi.Context) error {
		c, err := NewDatabaseNetworks(ctx, "databases", args)
		if err != nil {
			return err
		}
		// Awaited in the program body, asserted after RunErr returns.
		if res.connections, err = internals.UnsafeAwaitOutput(ctx.Context(), c.Connections); err != nil {
			return err
		}
		if res.routes, err = internals.UnsafeAwaitOutput(ctx.Context(), c.Routes); err != nil {
			return err
		}
		res.sgID, err = internals.UnsafeAwaitOutput(ctx.Context(), c.SecurityGroupID)
		return err
	})
	res.resources = mon.Sorted()
	return res, err
}

// pcxID is the fake ID the monitor gave a network's peering connection.
func (res result) pcxID(t *testing.T, network string) string {
	t.Helper()
	return res.resources.One(t, typePeering, "databases-"+network+"-peering").ID
}

func mustRun(t *testing.T, args *DatabaseNetworksArgs) result {
	t.Helper()
	res, err := run(t, args)
	require.NoError(t, err)
	return res
}

const componentURN = "urn:pulumi:test::cutover::" + TypeToken + "::databases"

func TestGraphShape(t *testing.T) {
	t.Parallel()
	res := mustRun(t, baseArgs())
	counts := map[string]int{}
	for _, r := range res.resources {
		counts[r.Type]++
		if r.Type != TypeToken {
			assert.Equal(t, componentURN, r.Parent, "%s %s is parented to the component", r.Type, r.Name)
		}
	}
	assert.Equal(t, map[string]int{
		TypeToken:   1,
		typeSG:      1,
		typePeering: 4,     // one per network
		typeRoute:   4 * 3, // per network per AZ
		typeSGRule:  1,     // postgres's one port, the only network with a database SG
	}, counts)
}

// One connection per network; only a same-account, same-region peer is accepted here; the
// others name the peer's account or region and are left pending.
func TestConnectionPerNetworkAndAcceptance(t *testing.T) {
	t.Parallel()
	res := mustRun(t, baseArgs())
	cases := []struct {
		network                 string
		peerVpc                 string
		autoAccept              bool
		peerOwnerID, peerRegion any
	}{
		{"analytics", "vpc-0f0f0f0f0f0f0f0f0", false, otherAccount, nil},
		{"mongo", "vpc-0d0d0d0d0d0d0d0d0", true, nil, nil},
		{"postgres", "vpc-0b0b0b0b0b0b0b0b0", true, nil, nil},
		{"redis-eu", "vpc-0e0e0e0e0e0e0e0e0", false, nil, "eu-central-1"},
	}
	for _, tc := range cases {
		pcx := res.resources.One(t, typePeering, "databases-"+tc.network+"-peering")
		assert.Equal(t, "vpc-0a0a0a0a0a0a0a0a0", pcx.Input("vpcId"), tc.network)
		assert.Equal(t, tc.peerVpc, pcx.Input("peerVpcId"), tc.network)
		assert.Equal(t, tc.autoAccept, pcx.Input("autoAccept"), tc.network)
		assert.Equal(t, tc.peerOwnerID, pcx.Input("peerOwnerId"), tc.network)
		assert.Equal(t, tc.peerRegion, pcx.Input("peerRegion"), tc.network)
		if tc.autoAccept {
			assert.Equal(t, map[string]any{"allowRemoteVpcDnsResolution": true}, pcx.Input("requester"), tc.network)
		} else {
			assert.Nil(t, pcx.Input("requester"), "%s: options cannot be set on a pending connection", tc.network)
		}
		assert.Equal(t, "databases-"+tc.network+"-peering", pcx.Input("tags").(map[string]any)["Name"])
	}

	conns := res.connections.Value.(map[string]map[string]string)
	require.Len(t, conns, 4)
	assert.Equal(t, res.pcxID(t, "postgres"), conns["postgres"]["id"])
	assert.Equal(t, "active", conns["postgres"]["status"])
	assert.Equal(t, AcceptedHere, conns["postgres"]["acceptance"])
	assert.Equal(t, "10.40.0.0/16", conns["postgres"]["requesterCidr"])
	assert.Contains(t, conns["postgres"]["databaseSide"], "route 10.40.0.0/16 to "+res.pcxID(t, "postgres"))
	assert.Contains(t, conns["postgres"]["databaseSide"], "is added to sg-0c0c0c0c0c0c0c0c0 by this stack")
	assert.Contains(t, conns["mongo"]["databaseSide"], "allow TCP 27017 from 10.40.0.0/20, 10.40.16.0/20, 10.40.32.0/20")

	assert.Equal(t, "pending-acceptance", conns["redis-eu"]["status"])
	assert.Equal(t, "pending: the owner of account 123456789012 must accept it in eu-central-1 within 7 days, before the request expires: "+
		"aws ec2 accept-vpc-peering-connection --region eu-central-1 --vpc-peering-connection-id "+res.pcxID(t, "redis-eu"), conns["redis-eu"]["acceptance"])
	assert.Contains(t, conns["analytics"]["acceptance"], "the owner of account 210987654321 must accept it in us-east-1")
	assert.Equal(t, "172.31.0.0/16", conns["analytics"]["peerCidr"])
	assert.Equal(t, otherAccount, conns["analytics"]["peerAccountId"])
}

// Every private route table (one per AZ) routes every database network's range to that
// network's peering connection; routes are named by network and AZ letter.
func TestRoutesPerAZPerNetwork(t *testing.T) {
	t.Parallel()
	res := mustRun(t, baseArgs())
	cidrs := map[string]string{"analytics": "172.31.0.0/16", "mongo": "10.61.0.0/16", "postgres": "10.60.0.0/16", "redis-eu": "10.62.0.0/16"}
	ids := map[string]bool{}
	for _, network := range []string{"analytics", "mongo", "postgres", "redis-eu"} {
		ids[res.pcxID(t, network)] = true
	}
	require.Len(t, ids, 4, "every network has its own peering connection ID")
	var wantOut []map[string]string
	for _, network := range []string{"analytics", "mongo", "postgres", "redis-eu"} {
		for _, letter := range []string{"a", "b", "c"} {
			r := res.resources.One(t, typeRoute, fmt.Sprintf("databases-%s-route-%s", network, letter))
			assert.Equal(t, "rtb-private-"+letter, r.Input("routeTableId"))
			assert.Equal(t, cidrs[network], r.Input("destinationCidrBlock"))
			assert.Equal(t, res.pcxID(t, network), r.Input("vpcPeeringConnectionId"))
			assert.Nil(t, r.Input("natGatewayId"))
			assert.Nil(t, r.Input("gatewayId"))
			wantOut = append(wantOut, map[string]string{
				"network": network, "availabilityZone": "us-east-1" + letter, "routeTableId": "rtb-private-" + letter,
				"destinationCidrBlock": cidrs[network], "vpcPeeringConnectionId": res.pcxID(t, network),
			})
		}
	}
	assert.Equal(t, wantOut, res.routes.Value)
}

// The egress group opens only the database ports to the database ranges, with descriptions, and
// has no ingress.
func TestEgressSecurityGroup(t *testing.T) {
	t.Parallel()
	res := mustRun(t, baseArgs())
	sg := res.resources.One(t, typeSG, "databases-sg")
	assert.Equal(t, sg.ID, res.sgID.Value)
	assert.Equal(t, "vpc-0a0a0a0a0a0a0a0a0", sg.Input("vpcId"))
	assert.NotEmpty(t, sg.Input("description"))
	assert.Equal(t, []any{}, sg.Input("ingress"))

	type rule struct {
		port float64
		cidr string
	}
	var got []rule
	for _, e := range sg.Input("egress").([]any) {
		m := e.(map[string]any)
		assert.Equal(t, "tcp", m["protocol"])
		assert.Equal(t, m["fromPort"], m["toPort"], "one port per rule")
		cidrs := m["cidrBlocks"].([]any)
		require.Len(t, cidrs, 1)
		assert.NotEqual(t, "0.0.0.0/0", cidrs[0])
		assert.Contains(t, m["description"], "to database network")
		got = append(got, rule{m["fromPort"].(float64), cidrs[0].(string)})
	}
	// Network order, then port order.
	assert.Equal(t, []rule{
		{5432, "172.31.0.0/16"}, {6379, "172.31.0.0/16"}, {27017, "10.61.0.0/16"}, {5432, "10.60.0.0/16"}, {6379, "10.62.0.0/16"},
	}, got)
}

// Ingress on the database side: only where a same-account, same-region SG is given, one rule per
// port, from our private subnets only, described.
func TestDatabaseSideIngress(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	pg := args.Networks["postgres"]
	pg.Ports = []int{6432, 5432}
	args.Networks["postgres"] = pg
	res := mustRun(t, args)
	rules := res.resources.ByType(typeSGRule)
	require.Len(t, rules, 2)
	for _, port := range []float64{5432, 6432} {
		r := res.resources.One(t, typeSGRule, fmt.Sprintf("databases-postgres-ingress-%v", port))
		assert.Equal(t, "ingress", r.Input("type"))
		assert.Equal(t, "sg-0c0c0c0c0c0c0c0c0", r.Input("securityGroupId"))
		assert.Equal(t, "tcp", r.Input("protocol"))
		assert.Equal(t, port, r.Input("fromPort"))
		assert.Equal(t, port, r.Input("toPort"))
		assert.Equal(t, []any{"10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"}, r.Input("cidrBlocks"))
		assert.Nil(t, r.Input("sourceSecurityGroupId"), "SG references do not hold across every peering; subnets do")
		desc := r.Input("description").(string)
		assert.Contains(t, desc, "postgres port")
		assert.LessOrEqual(t, len(desc), 255)
		assert.Regexp(t, `^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$`, desc, "EC2's allowed description characters")
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	t.Parallel()
	network := func(name string, mutate func(n *Network)) func(a *DatabaseNetworksArgs) {
		return func(a *DatabaseNetworksArgs) {
			n := a.Networks[name]
			mutate(&n)
			a.Networks[name] = n
		}
	}
	cases := []struct {
		name    string
		mutate  func(a *DatabaseNetworksArgs)
		wantErr string
	}{
		{"overlaps our VPC", network("mongo", func(n *Network) { n.CIDR = "10.40.128.0/17" }), "Networks[mongo].CIDR: '10.40.128.0/17' overlaps our VPC 10.40.0.0/16"},
		{"overlaps another network", network("mongo", func(n *Network) { n.CIDR = "10.60.128.0/20" }), "Networks[mongo].CIDR: '10.60.128.0/20' overlaps Networks[postgres].CIDR '10.60.0.0/16'"},
		{"not a CIDR", network("mongo", func(n *Network) { n.CIDR = "10.61.0.0" }), "Networks[mongo].CIDR: '10.61.0.0' is not a CIDR"},
		{"host bits", network("mongo", func(n *Network) { n.CIDR = "10.61.0.1/16" }), "has host bits set: use the network address 10.61.0.0/16"},
		{"too large", network("mongo", func(n *Network) { n.CIDR = "10.0.0.0/8" }), "the prefix must be between /16 and /28"},
		{"vpc id", network("mongo", func(n *Network) { n.VpcID = "vpc-XYZ" }), "Networks[mongo].VpcID: 'vpc-XYZ' is not a VPC ID"},
		{"same vpc twice", network("mongo", func(n *Network) { n.VpcID = "vpc-0b0b0b0b0b0b0b0b0" }), "is also network mongo: AWS allows one peering connection per pair of VPCs"},
		{"account", network("mongo", func(n *Network) { n.AccountID = "1234" }), "Networks[mongo].AccountID: '1234' is not an AWS account ID"},
		{"region", network("mongo", func(n *Network) { n.Region = "Virginia" }), "Networks[mongo].Region: 'Virginia' is not a valid AWS region"},
		{"no ports", network("mongo", func(n *Network) { n.Ports = nil }), "Networks[mongo].Ports: none given"},
		{"port range", network("mongo", func(n *Network) { n.Ports = []int{70000} }), "Networks[mongo].Ports: 70000 is not a port"},
		{"port twice", network("mongo", func(n *Network) { n.Ports = []int{27017, 27017} }), "Networks[mongo].Ports: 27017 is listed twice"},
		{"sg format", network("postgres", func(n *Network) { n.SecurityGroupID = "default" }), "Networks[postgres].SecurityGroupID: 'default' is not a security group ID"},
		{"sg cross-account", network("analytics", func(n *Network) { n.SecurityGroupID = "sg-0123456789abcdef0" }), "Networks[analytics].SecurityGroupID: 'sg-0123456789abcdef0' is in account 210987654321, region us-east-1, but this stack runs in account 123456789012"},
		{"sg cross-region", network("redis-eu", func(n *Network) { n.SecurityGroupID = "sg-0123456789abcdef0" }), "Networks[redis-eu].SecurityGroupID: 'sg-0123456789abcdef0' is in account 123456789012, region eu-central-1"},
		{"network name", func(a *DatabaseNetworksArgs) {
			a.Networks["Postgres_Main"] = a.Networks["postgres"]
			delete(a.Networks, "postgres")
		}, "Networks: 'Postgres_Main' is not a valid network name"},
		{"no networks", func(a *DatabaseNetworksArgs) { a.Networks = nil }, "Networks: none given"},
		{"no sources with an sg", func(a *DatabaseNetworksArgs) { a.SourceCIDRs = nil }, "SourceCIDRs: none given"},
		{"source outside the vpc", func(a *DatabaseNetworksArgs) { a.SourceCIDRs = []string{"0.0.0.0/0"} }, "SourceCIDRs: '0.0.0.0/0' is not inside our VPC 10.40.0.0/16"},
		{"no route tables", func(a *DatabaseNetworksArgs) { a.PrivateRouteTableIDs = nil }, "PrivateRouteTableIDs: none given"},
		{"route table in another region", func(a *DatabaseNetworksArgs) { a.PrivateRouteTableIDs["eu-central-1a"] = pulumi.String("rtb-x") }, "PrivateRouteTableIDs: 'eu-central-1a' is not in region us-east-1"},
		{"our account", func(a *DatabaseNetworksArgs) { a.AccountID = "" }, "AccountID: '' is not an AWS account ID"},
		{"our vpc", func(a *DatabaseNetworksArgs) { a.VpcID = nil }, "VpcID: is required"},
		{"our cidr", func(a *DatabaseNetworksArgs) { a.VpcCIDR = "10.40.0.0" }, "VpcCIDR: '10.40.0.0' is not an IPv4 network address"},
		{"tag key", func(a *DatabaseNetworksArgs) { a.Tags["aws:x"] = "y" }, "Tags: 'aws:x' is not a valid tag key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			tc.mutate(args)
			res, err := run(t, args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Empty(t, res.resources, "nothing is registered when the args are invalid")
		})
	}
}

func TestOverlapErrorsNamesBothSides(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		vpc      string
		networks map[string]Network
		want     []string
	}{
		{"disjoint", "10.40.0.0/16", map[string]Network{"a": {CIDR: "10.41.0.0/16"}, "b": {CIDR: "10.42.0.0/16"}}, nil},
		{"inside our vpc", "10.40.0.0/16", map[string]Network{"a": {CIDR: "10.40.8.0/24"}}, []string{"Networks[a].CIDR: '10.40.8.0/24' overlaps our VPC 10.40.0.0/16"}},
		{"containing our vpc", "10.40.0.0/16", map[string]Network{"a": {CIDR: "10.40.0.0/16"}}, []string{"overlaps our VPC"}},
		{"two networks", "10.40.0.0/16", map[string]Network{"b": {CIDR: "10.50.0.0/16"}, "a": {CIDR: "10.50.4.0/24"}}, []string{"Networks[a].CIDR: '10.50.4.0/24' overlaps Networks[b].CIDR '10.50.0.0/16'"}},
		{"unparsable skipped", "10.40.0.0/16", map[string]Network{"a": {CIDR: "x"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := OverlapErrors(tc.vpc, tc.networks)
			require.Len(t, errs, len(tc.want))
			for i, w := range tc.want {
				assert.Contains(t, errs[i].Error(), w)
			}
		})
	}
}

// Several problems come back together, and the caller's args are not changed by defaulting.
func TestValidateCollectsEveryProblem(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.Region = "nowhere"
	pg := args.Networks["postgres"]
	pg.Ports = []int{5432, 0}
	args.Networks["postgres"] = pg
	err := args.withDefaults().validate()
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"Region: 'nowhere'", "Networks[postgres].Ports: 0 is not a port"} {
		assert.Contains(t, msg, want)
	}
	assert.Equal(t, []int{5432, 0}, args.Networks["postgres"].Ports, "withDefaults sorts a copy")
	assert.True(t, strings.Count(msg, "\n") >= 1)
}
