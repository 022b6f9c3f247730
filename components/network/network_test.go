package network

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
	"github.com/cutover-dev/cutover/internal/subnets"
)

const (
	vpcType       = "aws:ec2/vpc:Vpc"
	subnetType    = "aws:ec2/subnet:Subnet"
	natType       = "aws:ec2/natGateway:NatGateway"
	igwType       = "aws:ec2/internetGateway:InternetGateway"
	rtType        = "aws:ec2/routeTable:RouteTable"
	routeType     = "aws:ec2/route:Route"
	rtaType       = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	flowLogType   = "aws:ec2/flowLog:FlowLog"
	defaultSGType = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	logGroupType  = "aws:cloudwatch/logGroup:LogGroup"
	roleType      = "aws:iam/role:Role"
	rolePolType   = "aws:iam/rolePolicy:RolePolicy"
)

type networkOutputs struct {
	vpcID                *mockmon.Captured[string]
	publicSubnetIDs      *mockmon.Captured[map[string]string]
	privateSubnetIDs     *mockmon.Captured[map[string]string]
	privateSubnetIDList  *mockmon.Captured[[]string]
	privateRouteTableIDs *mockmon.Captured[map[string]string]
}

func runNetwork(mon *mockmon.Monitor, args *NetworkArgs) (*networkOutputs, error) {
	out := &networkOutputs{}
	err := mon.Run(func(ctx *pulumi.Context) error {
		n, err := NewNetwork(ctx, "net", args)
		if err != nil {
			return err
		}
		out.vpcID = mockmon.Capture[string](n.VpcID)
		out.publicSubnetIDs = mockmon.Capture[map[string]string](n.PublicSubnetIDs)
		out.privateSubnetIDs = mockmon.Capture[map[string]string](n.PrivateSubnetIDs)
		out.privateSubnetIDList = mockmon.Capture[[]string](n.PrivateSubnetIDList)
		out.privateRouteTableIDs = mockmon.Capture[map[string]string](n.PrivateRouteTableIDs)
		return nil
	})
	return out, err
}

// fakeAllocation is the allocation ID the tests hand in for an AZ.
func fakeAllocation(az string) string {
	return "eipalloc-0000000000000000" + az[len(az)-1:]
}

func allocations(azs ...string) pulumi.StringMap {
	m := pulumi.StringMap{}
	for _, az := range azs {
		m[az] = pulumi.String(fakeAllocation(az))
	}
	return m
}

func mustFind(t *testing.T, mon *mockmon.Monitor, name string) *mockmon.Recorded {
	t.Helper()
	r, ok := mon.Sorted().ByName()[name]
	require.True(t, ok, "resource %s not registered", name)
	return r
}

// idOf is the fake ID the monitor gave the resource with this name, so a reference can be traced
// back to the resource that produced it.
func idOf(t *testing.T, mon *mockmon.Monitor, name string) string {
	t.Helper()
	id := mustFind(t, mon, name).ID
	require.NotEmpty(t, id, "%s has no ID", name)
	return id
}

func TestNetworkResourceCounts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		azs        []string
		mode       string
		allocs     []string
		wantNATs   []string
		wantRTs    int
		wantRoutes int
	}{
		{
			name:       "2 AZs per-az",
			azs:        []string{"us-east-1a", "us-east-1b"},
			allocs:     []string{"us-east-1a", "us-east-1b"},
			wantNATs:   []string{"net-nat-a", "net-nat-b"},
			wantRTs:    3,
			wantRoutes: 3,
		},
		{
			name:       "3 AZs per-az",
			azs:        []string{"us-east-1c", "us-east-1a", "us-east-1b"},
			mode:       NATModePerAZ,
			allocs:     []string{"us-east-1a", "us-east-1b", "us-east-1c"},
			wantNATs:   []string{"net-nat-a", "net-nat-b", "net-nat-c"},
			wantRTs:    4,
			wantRoutes: 4,
		},
		{
			name:       "3 AZs single",
			azs:        []string{"us-east-1c", "us-east-1b", "us-east-1d"},
			mode:       NATModeSingle,
			allocs:     []string{"us-east-1b"},
			wantNATs:   []string{"net-nat-b"},
			wantRTs:    4,
			wantRoutes: 4,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mon := mockmon.New()
			_, err := runNetwork(mon, &NetworkArgs{AZs: tc.azs, NATMode: tc.mode, AllocationIDs: allocations(tc.allocs...)})
			require.NoError(t, err)
			rs := mon.Sorted()

			n := len(tc.azs)
			assert.Len(t, rs.ByType(vpcType), 1)
			assert.Len(t, rs.ByType(igwType), 1)
			assert.Len(t, rs.ByType(subnetType), 2*n)
			assert.ElementsMatch(t, tc.wantNATs, rs.ByType(natType).Names())
			assert.Len(t, rs.ByType(rtType), tc.wantRTs, "one public table plus one private table per AZ")
			assert.Len(t, rs.ByType(routeType), tc.wantRoutes)
			assert.Len(t, rs.ByType(rtaType), 2*n)
			assert.Len(t, rs.ByType(flowLogType), 1)
			assert.Len(t, rs.ByType(logGroupType), 1)
			assert.Len(t, rs.ByType(roleType), 1)
			assert.Len(t, rs.ByType(rolePolType), 1)
			assert.Len(t, rs.ByType(defaultSGType), 1)

			var wantSubnets, wantPrivateRTs []string
			for _, az := range tc.azs {
				l := az[len(az)-1:]
				wantSubnets = append(wantSubnets, "net-public-"+l, "net-private-"+l)
				wantPrivateRTs = append(wantPrivateRTs, "net-private-rt-"+l)
			}
			assert.ElementsMatch(t, wantSubnets, rs.ByType(subnetType).Names())
			assert.ElementsMatch(t, append(wantPrivateRTs, "net-public-rt"), rs.ByType(rtType).Names())
		})
	}
}

func TestNetworkPerAZRoutesUseTheirOwnNAT(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1c", "us-east-1a", "us-east-1b"}
	_, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...)})
	require.NoError(t, err)

	igw := mustFind(t, mon, "net-igw")
	for _, az := range azs {
		l := az[len(az)-1:]
		nat := mustFind(t, mon, "net-nat-"+l)
		assert.Equal(t, idOf(t, mon, "net-public-"+l), nat.Str("subnetId"), "NAT %s must sit in the public subnet of its AZ", l)
		assert.Equal(t, fakeAllocation(az), nat.Str("allocationId"), "NAT %s allocation", l)
		assert.Contains(t, nat.Dependencies, igwURN(igw), "NAT %s must wait for the internet gateway", l)

		route := mustFind(t, mon, "net-private-default-route-"+l)
		assert.Equal(t, idOf(t, mon, "net-nat-"+l), route.Str("natGatewayId"), "private route %s must use the NAT of its own AZ", l)
		assert.Equal(t, idOf(t, mon, "net-private-rt-"+l), route.Str("routeTableId"))
		assert.Equal(t, "0.0.0.0/0", route.Str("destinationCidrBlock"))

		assoc := mustFind(t, mon, "net-private-rta-"+l)
		assert.Equal(t, idOf(t, mon, "net-private-"+l), assoc.Str("subnetId"))
		assert.Equal(t, idOf(t, mon, "net-private-rt-"+l), assoc.Str("routeTableId"))

		pubAssoc := mustFind(t, mon, "net-public-rta-"+l)
		assert.Equal(t, idOf(t, mon, "net-public-"+l), pubAssoc.Str("subnetId"))
		assert.Equal(t, idOf(t, mon, "net-public-rt"), pubAssoc.Str("routeTableId"))
	}

	publicRoute := mustFind(t, mon, "net-public-default-route")
	assert.Equal(t, idOf(t, mon, "net-igw"), publicRoute.Str("gatewayId"))
	assert.Equal(t, idOf(t, mon, "net-public-rt"), publicRoute.Str("routeTableId"))
	assert.Equal(t, "0.0.0.0/0", publicRoute.Str("destinationCidrBlock"))
	assert.Equal(t, idOf(t, mon, "net-vpc"), igw.Str("vpcId"))
}

func igwURN(igw *mockmon.Recorded) string {
	return "urn:pulumi:test::cutover::" + TypeToken + "$" + igwType + "::" + igw.Name
}

func TestNetworkSingleNATServesEveryAZ(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1d", "us-east-1b", "us-east-1c"}
	_, err := runNetwork(mon, &NetworkArgs{
		AZs:           azs,
		NATMode:       NATModeSingle,
		AllocationIDs: allocations("us-east-1b"),
	})
	require.NoError(t, err)

	nats := mon.Sorted().ByType(natType)
	require.Len(t, nats, 1)
	assert.Equal(t, "net-nat-b", nats[0].Name, "the single NAT goes to the first AZ in sorted order")
	assert.Equal(t, idOf(t, mon, "net-public-b"), (nats[0]).Str("subnetId"))
	assert.Equal(t, fakeAllocation("us-east-1b"), (nats[0]).Str("allocationId"))

	for _, az := range azs {
		l := az[len(az)-1:]
		route := mustFind(t, mon, "net-private-default-route-"+l)
		assert.Equal(t, idOf(t, mon, "net-nat-b"), route.Str("natGatewayId"), "route %s", l)
		assert.Equal(t, idOf(t, mon, "net-private-rt-"+l), route.Str("routeTableId"), "each AZ keeps its own private table")
	}
}

func TestNetworkSubnets(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"eu-west-1b", "eu-west-1a"}
	_, err := runNetwork(mon, &NetworkArgs{
		CIDR:          "10.20.0.0/16",
		AZs:           azs,
		AllocationIDs: allocations(azs...),
		ClusterName:   "cutover-prod",
		Tags:          map[string]string{"env": "production"},
	})
	require.NoError(t, err)

	for _, az := range azs {
		l := az[len(az)-1:]
		wantPublic, wantPrivate, err := subnets.Carve("10.20.0.0/16", l[0])
		require.NoError(t, err)

		public := mustFind(t, mon, "net-public-"+l)
		assert.Equal(t, wantPublic, public.Str("cidrBlock"))
		assert.Equal(t, az, public.Str("availabilityZone"))
		assert.Equal(t, idOf(t, mon, "net-vpc"), public.Str("vpcId"))
		require.True(t, public.Inputs["mapPublicIpOnLaunch"].IsBool())
		assert.True(t, public.Inputs["mapPublicIpOnLaunch"].BoolValue())
		assert.Equal(t, map[string]string{
			"Name":                               "net-public-" + l,
			"env":                                "production",
			"kubernetes.io/role/elb":             "1",
			"kubernetes.io/cluster/cutover-prod": "shared",
		}, public.Tags())

		private := mustFind(t, mon, "net-private-"+l)
		assert.Equal(t, wantPrivate, private.Str("cidrBlock"))
		assert.Equal(t, az, private.Str("availabilityZone"))
		v, present := private.Inputs["mapPublicIpOnLaunch"]
		require.True(t, present, "private subnets must set mapPublicIpOnLaunch explicitly")
		require.True(t, v.IsBool())
		assert.False(t, v.BoolValue())
		assert.Equal(t, map[string]string{
			"Name":                               "net-private-" + l,
			"env":                                "production",
			"kubernetes.io/role/internal-elb":    "1",
			"kubernetes.io/cluster/cutover-prod": "shared",
		}, private.Tags())
	}
}

func TestNetworkSubnetsWithoutClusterName(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1a", "us-east-1b"}
	_, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...)})
	require.NoError(t, err)
	for _, s := range mon.Sorted().ByType(subnetType) {
		for k := range s.Tags() {
			assert.False(t, strings.HasPrefix(k, "kubernetes.io/cluster/"), "%s: no cluster tag without ClusterName, got %s", s.Name, k)
		}
	}
}

func TestNetworkVPC(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		cidr        string
		protect     bool
		wantCIDR    string
		wantProtect bool
	}{
		{name: "defaults, unprotected", wantCIDR: "10.0.0.0/16"},
		{name: "production protects the VPC", cidr: "172.16.0.0/20", protect: true, wantCIDR: "172.16.0.0/20", wantProtect: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mon := mockmon.New()
			azs := []string{"us-east-1a", "us-east-1b"}
			out, err := runNetwork(mon, &NetworkArgs{CIDR: tc.cidr, AZs: azs, AllocationIDs: allocations(azs...), Protect: tc.protect})
			require.NoError(t, err)

			vpc := mustFind(t, mon, "net-vpc")
			assert.Equal(t, tc.wantCIDR, vpc.Str("cidrBlock"))
			assert.True(t, vpc.Inputs["enableDnsSupport"].BoolValue())
			assert.True(t, vpc.Inputs["enableDnsHostnames"].BoolValue())
			assert.Equal(t, tc.wantProtect, vpc.Protect)
			for _, r := range mon.Sorted() {
				if r.Type != vpcType {
					assert.False(t, r.Protect, "%s: only the VPC is protected by this component", r.Name)
				}
				assert.False(t, r.DeleteBeforeReplace, "%s: deleteBeforeReplace would cut connectivity", r.Name)
			}
			assert.Equal(t, idOf(t, mon, "net-vpc"), out.vpcID.Get(t))
		})
	}
}

func TestNetworkFlowLogs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		retention     int
		wantRetention float64
	}{
		{name: "default retention", wantRetention: 30},
		{name: "custom retention", retention: 365, wantRetention: 365},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mon := mockmon.New()
			azs := []string{"us-east-1a", "us-east-1b"}
			_, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...), FlowLogRetentionDays: tc.retention})
			require.NoError(t, err)

			group := mustFind(t, mon, "net-flow-logs")
			assert.Equal(t, tc.wantRetention, group.Inputs["retentionInDays"].NumberValue())
			// The flow-log group's ARN, as the provider reports it.
			groupARN, _ := group.Output("arn").(string)
			require.NotEmpty(t, groupARN)

			role := mustFind(t, mon, "net-flow-logs-role")
			var trust policyDocument
			require.NoError(t, json.Unmarshal([]byte(role.Str("assumeRolePolicy")), &trust))
			require.Len(t, trust.Statement, 1)
			require.NotNil(t, trust.Statement[0].Principal)
			assert.Equal(t, "vpc-flow-logs.amazonaws.com", trust.Statement[0].Principal.Service)
			assert.Equal(t, []string{"sts:AssumeRole"}, trust.Statement[0].Action)

			rolePolicy := mustFind(t, mon, "net-flow-logs-policy")
			assert.Equal(t, "net-flow-logs-role", rolePolicy.Str("role"))
			var doc policyDocument
			require.NoError(t, json.Unmarshal([]byte(rolePolicy.Str("policy")), &doc))
			require.NotEmpty(t, doc.Statement)
			for _, st := range doc.Statement {
				for _, action := range st.Action {
					assert.NotContains(t, []string{"*", "logs:*"}, action)
				}
				require.NotEmpty(t, st.Resource)
				for _, res := range st.Resource {
					assert.NotEqual(t, "*", res)
					assert.Equal(t, groupARN+":*", res, "writes are scoped to the flow-log group")
				}
			}
			assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, doc.Statement[0].Action)

			flowLog := mustFind(t, mon, "net-flow-log")
			assert.Equal(t, "ALL", flowLog.Str("trafficType"))
			assert.Equal(t, idOf(t, mon, "net-vpc"), flowLog.Str("vpcId"))
			assert.Equal(t, "cloud-watch-logs", flowLog.Str("logDestinationType"))
			assert.Equal(t, groupARN, flowLog.Str("logDestination"))
			assert.Equal(t, "arn:aws:iam::123456789012:role/net-flow-logs-role", flowLog.Str("iamRoleArn"))
			assert.Contains(t, flowLog.Dependencies, "urn:pulumi:test::cutover::"+TypeToken+"$"+rolePolType+"::net-flow-logs-policy")
		})
	}
}

func TestNetworkDefaultSecurityGroupHasNoRules(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1a", "us-east-1b"}
	_, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...)})
	require.NoError(t, err)

	sg := mustFind(t, mon, "net-default-sg")
	assert.Equal(t, idOf(t, mon, "net-vpc"), sg.Str("vpcId"))
	for _, key := range []string{"ingress", "egress"} {
		// Present and empty, so the intent is visible to a policy reading raw inputs.
		v, ok := sg.Inputs[resource.PropertyKey(key)]
		require.True(t, ok, "%s must be set explicitly", key)
		require.True(t, v.IsArray(), "%s must be a list", key)
		assert.Empty(t, v.ArrayValue(), "default security group %s must have no rules", key)
	}
}

func TestNetworkChildrenAreParented(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1a", "us-east-1b"}
	_, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...)})
	require.NoError(t, err)

	var components int
	for _, r := range mon.Sorted() {
		if r.Type == TypeToken {
			components++
			continue
		}
		assert.True(t, r.IsChildOf(TypeToken, "net"), "%s parent = %q", r.Name, r.Parent)
		assert.True(t, strings.HasPrefix(r.Name, "net-"), "%s must be named after the component", r.Name)
	}
	assert.Equal(t, 1, components)
}

func TestNetworkOutputs(t *testing.T) {
	mon := mockmon.New()
	azs := []string{"us-east-1c", "us-east-1a", "us-east-1b"}
	out, err := runNetwork(mon, &NetworkArgs{AZs: azs, AllocationIDs: allocations(azs...)})
	require.NoError(t, err)

	assert.Equal(t, []string{idOf(t, mon, "net-private-a"), idOf(t, mon, "net-private-b"), idOf(t, mon, "net-private-c")}, out.privateSubnetIDList.Get(t))
	assert.Equal(t, map[string]string{
		"us-east-1a": idOf(t, mon, "net-private-a"), "us-east-1b": idOf(t, mon, "net-private-b"), "us-east-1c": idOf(t, mon, "net-private-c"),
	}, out.privateSubnetIDs.Get(t))
	assert.Equal(t, map[string]string{
		"us-east-1a": idOf(t, mon, "net-public-a"), "us-east-1b": idOf(t, mon, "net-public-b"), "us-east-1c": idOf(t, mon, "net-public-c"),
	}, out.publicSubnetIDs.Get(t))
	assert.Equal(t, map[string]string{
		"us-east-1a": idOf(t, mon, "net-private-rt-a"), "us-east-1b": idOf(t, mon, "net-private-rt-b"), "us-east-1c": idOf(t, mon, "net-private-rt-c"),
	}, out.privateRouteTableIDs.Get(t))
}

// Adding an AZ between existing ones must only add resources: every resource of the smaller plan
// survives with the same name, type and inputs, and everything new belongs to the new AZ.
func TestNetworkAddingAZBetweenExistingOnesOnlyAdds(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{NATModePerAZ, NATModeSingle} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			before := mockmon.New()
			first := []string{"us-east-1a", "us-east-1c"}
			_, err := runNetwork(before, &NetworkArgs{AZs: first, NATMode: mode, AllocationIDs: allocations(NATAZs(first, mode)...)})
			require.NoError(t, err)

			after := mockmon.New()
			second := []string{"us-east-1a", "us-east-1b", "us-east-1c"}
			_, err = runNetwork(after, &NetworkArgs{AZs: second, NATMode: mode, AllocationIDs: allocations(NATAZs(second, mode)...)})
			require.NoError(t, err)

			afterByName := map[string]*mockmon.Recorded{}
			for _, r := range after.Sorted() {
				afterByName[r.Name] = r
			}
			beforeNames := map[string]bool{}
			for _, r := range before.Sorted() {
				beforeNames[r.Name] = true
				got, ok := afterByName[r.Name]
				if !assert.True(t, ok, "%s (%s) disappeared when AZ b was added", r.Name, r.Type) {
					continue
				}
				assert.Equal(t, r.Type, got.Type, "%s changed type", r.Name)
				assert.Equal(t, r.Inputs.Mappable(), got.Inputs.Mappable(), "%s changed inputs", r.Name)
				assert.Equal(t, r.Protect, got.Protect, "%s changed protect", r.Name)
				assert.Equal(t, r.Parent, got.Parent, "%s changed parent", r.Name)
			}
			var added []string
			for name := range afterByName {
				if !beforeNames[name] {
					added = append(added, name)
				}
			}
			sort.Strings(added)
			want := []string{"net-private-b", "net-private-default-route-b", "net-private-rt-b", "net-private-rta-b", "net-public-b", "net-public-rta-b"}
			if mode == NATModePerAZ {
				want = append(want, "net-nat-b")
				sort.Strings(want)
			}
			assert.Equal(t, want, added)
		})
	}
}

func TestNetworkMissingAllocationIDIsRefused(t *testing.T) {
	mon := mockmon.New()
	_, err := runNetwork(mon, &NetworkArgs{
		AZs:           []string{"us-east-1a", "us-east-1b"},
		AllocationIDs: allocations("us-east-1a"),
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `AllocationIDs: no allocation ID for NAT AZ "us-east-1b" (keys: [us-east-1a])`)
	assert.Empty(t, mon.Sorted(), "nothing may be registered when an allocation is missing")
}

func TestNetworkValidation(t *testing.T) {
	t.Parallel()
	two := []string{"us-east-1a", "us-east-1b"}
	cases := []struct {
		name    string
		args    *NetworkArgs
		wantErr []string
	}{
		{name: "nil args", args: nil, wantErr: []string{"AZs: 0 given", "AllocationIDs: missing"}},
		{
			name:    "one AZ",
			args:    &NetworkArgs{AZs: []string{"us-east-1a"}, AllocationIDs: allocations("us-east-1a")},
			wantErr: []string{"AZs: 1 given [us-east-1a]: at least 2"},
		},
		{
			name:    "duplicate AZ",
			args:    &NetworkArgs{AZs: []string{"us-east-1a", "us-east-1b", "us-east-1b"}, AllocationIDs: allocations(two...)},
			wantErr: []string{`AZs[2]: "us-east-1b" is listed twice`},
		},
		{
			name:    "AZs in two regions",
			args:    &NetworkArgs{AZs: []string{"us-east-1a", "eu-west-1b"}, AllocationIDs: allocations(two...)},
			wantErr: []string{`AZs[1]: "eu-west-1b" is in region "eu-west-1", but "us-east-1" came first`},
		},
		{
			name:    "AZ letter beyond h",
			args:    &NetworkArgs{AZs: []string{"us-east-1a", "us-east-1k"}, AllocationIDs: allocations(two...)},
			wantErr: []string{`AZs[1]: "us-east-1k" is not a valid availability zone name`},
		},
		{
			name:    "bad NAT mode",
			args:    &NetworkArgs{AZs: two, NATMode: "per-subnet", AllocationIDs: allocations(two...)},
			wantErr: []string{`NATMode: "per-subnet" is not a NAT mode: must be "per-az" or "single"`},
		},
		{
			name:    "CIDR too large to carve",
			args:    &NetworkArgs{CIDR: "10.0.0.0/8", AZs: two, AllocationIDs: allocations(two...)},
			wantErr: []string{`CIDR: "10.0.0.0/8" cannot be carved`},
		},
		{
			name:    "CIDR not a CIDR",
			args:    &NetworkArgs{CIDR: "10.0.0.0", AZs: two, AllocationIDs: allocations(two...)},
			wantErr: []string{`CIDR: "10.0.0.0" is not a CIDR`},
		},
		{
			name:    "missing allocation IDs",
			args:    &NetworkArgs{AZs: two},
			wantErr: []string{"AllocationIDs: missing"},
		},
		{
			name:    "bad cluster name",
			args:    &NetworkArgs{AZs: two, AllocationIDs: allocations(two...), ClusterName: "prod cluster"},
			wantErr: []string{`ClusterName: "prod cluster" is not a valid EKS cluster name`},
		},
		{
			name:    "retention not accepted by CloudWatch",
			args:    &NetworkArgs{AZs: two, AllocationIDs: allocations(two...), FlowLogRetentionDays: 31},
			wantErr: []string{"FlowLogRetentionDays: 31 is not a CloudWatch Logs retention: must be one of [1 3 5 7 14 30"},
		},
		{
			name: "every problem reported at once",
			args: &NetworkArgs{CIDR: "10.0.1.0/16", AZs: []string{"us-east-1a"}, NATMode: "none", FlowLogRetentionDays: -1},
			wantErr: []string{
				"AZs: 1 given",
				`CIDR: "10.0.1.0/16" has host bits set`,
				`NATMode: "none"`,
				"AllocationIDs: missing",
				"FlowLogRetentionDays: -1",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mon := mockmon.New()
			_, err := runNetwork(mon, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network "net": invalid arguments`)
			for _, want := range tc.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.Empty(t, mon.Sorted(), "nothing may be registered when args are invalid")
		})
	}
}

func TestNetworkDoesNotMutateArgs(t *testing.T) {
	mon := mockmon.New()
	args := &NetworkArgs{AZs: []string{"us-east-1b", "us-east-1a"}, AllocationIDs: allocations("us-east-1a", "us-east-1b")}
	_, err := runNetwork(mon, args)
	require.NoError(t, err)
	assert.Equal(t, []string{"us-east-1b", "us-east-1a"}, args.AZs)
	assert.Empty(t, args.CIDR)
	assert.Empty(t, args.NATMode)
	assert.Zero(t, args.FlowLogRetentionDays)
}
