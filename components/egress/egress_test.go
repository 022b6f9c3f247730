package egress

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const eipType = "aws:ec2/eip:Eip"

type egressOutputs struct {
	allocationIDs *mockmon.Captured[map[string]string]
	publicIPs     *mockmon.Captured[[]string]
	allowlist     *mockmon.Captured[[]string]
}

// runEgress runs NewEgress under the recording monitor and returns the settled outputs.
func runEgress(mon *mockmon.Monitor, args *EgressArgs) (*egressOutputs, error) {
	out := &egressOutputs{}
	err := mon.Run(func(ctx *pulumi.Context) error {
		e, err := NewEgress(ctx, "egress", args)
		if err != nil {
			return err
		}
		out.allocationIDs = mockmon.Capture[map[string]string](e.AllocationIDs)
		out.publicIPs = mockmon.Capture[[]string](e.PublicIPs)
		out.allowlist = mockmon.Capture[[]string](e.Allowlist)
		return nil
	})
	return out, err
}

func TestNewEgressAllocatesOneProtectedEIPPerAZ(t *testing.T) {
	mon := newMonitor(nil)
	args := &EgressArgs{
		// Deliberately unsorted: names must come from the letter, not the position.
		AZs: []string{"us-east-1c", "us-east-1a", "us-east-1b"},
		// 198.51.100.11 is also the fake AWS address of AZ b: it must appear once.
		HerokuEgressIPs: []string{"203.0.113.7", "198.51.100.11", "192.0.2.200"},
		Tags:            map[string]string{"team": "platform", "Name": "overridden"},
	}
	out, err := runEgress(mon, args)
	require.NoError(t, err)

	eips := mon.Sorted().ByType(eipType)
	require.Len(t, eips, 3)
	names := map[string]*mockmon.Recorded{}
	for _, r := range eips {
		names[r.Name] = r
	}
	for _, letter := range []string{"a", "b", "c"} {
		name := "egress-ip-" + letter
		r, ok := names[name]
		require.True(t, ok, "missing %s; got %v", name, names)
		assert.Equal(t, "vpc", r.Inputs["domain"].StringValue(), name)
		assert.True(t, r.Protect, "%s must be protected", name)
		assert.True(t, r.RetainOnDelete, "%s must be retained on delete", name)
		assert.True(t, r.IsChildOf(TypeToken, "egress"), "%s parent = %q, want the egress component", name, r.Parent)
		assert.Equal(t, map[string]string{"Name": name, EgressTag: "true", "team": "platform"}, r.Tags())
	}

	assert.Equal(t, map[string]string{
		"us-east-1a": "eipalloc-0000000000000000a",
		"us-east-1b": "eipalloc-0000000000000000b",
		"us-east-1c": "eipalloc-0000000000000000c",
	}, out.allocationIDs.Get(t))
	assert.Equal(t, []string{"198.51.100.10", "198.51.100.11", "198.51.100.12"}, out.publicIPs.Get(t))
	assert.Equal(t, []string{"192.0.2.200", "198.51.100.10", "198.51.100.11", "198.51.100.12", "203.0.113.7"}, out.allowlist.Get(t))
	assert.Empty(t, mon.Invocations(), "managed mode must not look addresses up")
	// The caller's args are not rewritten by defaults.
	assert.Equal(t, []string{"us-east-1c", "us-east-1a", "us-east-1b"}, args.AZs)
}

func TestNewEgressAdoptsExistingAllocations(t *testing.T) {
	mon := newMonitor(map[string]string{
		"eipalloc-0123456789abcdef0": "203.0.113.20",
		"eipalloc-1a2b3c4d":          "203.0.113.3",
	})
	out, err := runEgress(mon, &EgressArgs{
		// List order, not sorted order, pairs IDs with AZs.
		AZs:                  []string{"us-east-1b", "us-east-1a"},
		AdoptedAllocationIDs: []string{"eipalloc-0123456789abcdef0", "eipalloc-1a2b3c4d"},
		HerokuEgressIPs:      []string{"2001:db8::1", "203.0.113.3"},
	})
	require.NoError(t, err)

	assert.Empty(t, mon.Sorted().ByType(eipType), "adopted mode must not create Elastic IPs")
	assert.Equal(t, map[string]string{
		"us-east-1b": "eipalloc-0123456789abcdef0",
		"us-east-1a": "eipalloc-1a2b3c4d",
	}, out.allocationIDs.Get(t))
	assert.Equal(t, []string{"203.0.113.3", "203.0.113.20"}, out.publicIPs.Get(t))
	assert.Equal(t, []string{"203.0.113.3", "203.0.113.20", "2001:db8::1"}, out.allowlist.Get(t))

	invokes := mon.Invocations()
	require.Len(t, invokes, 2)
	var looked []string
	for _, inv := range invokes {
		assert.Equal(t, "aws:ec2/getElasticIp:getElasticIp", inv.Token)
		looked = append(looked, inv.Args["id"].StringValue())
	}
	assert.ElementsMatch(t, []string{"eipalloc-0123456789abcdef0", "eipalloc-1a2b3c4d"}, looked)

	// Only the component itself is registered.
	registered := mon.Sorted()
	require.Len(t, registered, 1)
	assert.Equal(t, TypeToken, registered[0].Type)
}

func TestNewEgressValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		args    *EgressArgs
		wantErr []string
	}{
		{
			name:    "nil args",
			args:    nil,
			wantErr: []string{"AZs: empty"},
		},
		{
			name:    "duplicate AZ",
			args:    &EgressArgs{AZs: []string{"us-east-1a", "us-east-1b", "us-east-1a"}},
			wantErr: []string{`AZs[2]: "us-east-1a" is listed twice`},
		},
		{
			name:    "bad AZ letter",
			args:    &EgressArgs{AZs: []string{"us-east-1a", "us-east-1z"}},
			wantErr: []string{`AZs[1]: "us-east-1z" is not a valid availability zone name`},
		},
		{
			name:    "AZs in two regions",
			args:    &EgressArgs{AZs: []string{"us-east-1a", "us-west-2b"}},
			wantErr: []string{`AZs[1]: "us-west-2b" is in region "us-west-2", but "us-east-1" came first`},
		},
		{
			name: "adopted count mismatch",
			args: &EgressArgs{
				AZs:                  []string{"us-east-1a", "us-east-1b"},
				AdoptedAllocationIDs: []string{"eipalloc-0123456789abcdef0"},
			},
			wantErr: []string{"AdoptedAllocationIDs: 1 IDs given for 2 AZs"},
		},
		{
			name: "adopted ID malformed",
			args: &EgressArgs{
				AZs:                  []string{"us-east-1a", "us-east-1b"},
				AdoptedAllocationIDs: []string{"eipalloc-0123456789abcdef0", "eipalloc-XYZ"},
			},
			wantErr: []string{`AdoptedAllocationIDs[1]: "eipalloc-XYZ" is not a valid allocation ID: must match ^eipalloc-[0-9a-f]{8,17}$`},
		},
		{
			name: "adopted ID repeated",
			args: &EgressArgs{
				AZs:                  []string{"us-east-1a", "us-east-1b"},
				AdoptedAllocationIDs: []string{"eipalloc-1a2b3c4d", "eipalloc-1a2b3c4d"},
			},
			wantErr: []string{`AdoptedAllocationIDs[1]: "eipalloc-1a2b3c4d" is listed twice`},
		},
		{
			name: "heroku IP is a CIDR",
			args: &EgressArgs{
				AZs:             []string{"us-east-1a"},
				HerokuEgressIPs: []string{"203.0.113.5", "203.0.113.0/24"},
			},
			wantErr: []string{`HerokuEgressIPs[1]: "203.0.113.0/24" is not an IP address`},
		},
		{
			name: "every problem reported at once",
			args: &EgressArgs{
				AZs:                  []string{"us-east-1a", "us-east-1a"},
				AdoptedAllocationIDs: []string{"eip-1"},
				HerokuEgressIPs:      []string{"heroku.example"},
			},
			wantErr: []string{
				`AZs[1]: "us-east-1a" is listed twice`,
				"AdoptedAllocationIDs: 1 IDs given for 2 AZs",
				`AdoptedAllocationIDs[0]: "eip-1" is not a valid allocation ID`,
				`HerokuEgressIPs[0]: "heroku.example" is not an IP address`,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mon := newMonitor(nil)
			_, err := runEgress(mon, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `egress "egress": invalid arguments`)
			for _, want := range tc.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.Empty(t, mon.Sorted(), "nothing may be registered when args are invalid")
		})
	}
}
