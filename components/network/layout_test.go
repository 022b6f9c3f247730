package network

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanZones(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		cidr    string
		azs     []string
		mode    string
		want    []zone
		wantErr string
	}{
		{
			name: "per-az sorted by name, CIDRs by letter",
			cidr: "10.0.0.0/16",
			azs:  []string{"us-east-1c", "us-east-1a"},
			mode: NATModePerAZ,
			want: []zone{
				{AZ: "us-east-1a", Letter: 'a', PublicCIDR: "10.0.128.0/20", PrivateCIDR: "10.0.0.0/20", NATAZ: "us-east-1a", HasNATGateway: true},
				{AZ: "us-east-1c", Letter: 'c', PublicCIDR: "10.0.160.0/20", PrivateCIDR: "10.0.32.0/20", NATAZ: "us-east-1c", HasNATGateway: true},
			},
		},
		{
			name: "single routes every zone through the first sorted AZ",
			cidr: "10.1.0.0/16",
			azs:  []string{"us-east-1d", "us-east-1b"},
			mode: NATModeSingle,
			want: []zone{
				{AZ: "us-east-1b", Letter: 'b', PublicCIDR: "10.1.144.0/20", PrivateCIDR: "10.1.16.0/20", NATAZ: "us-east-1b", HasNATGateway: true},
				{AZ: "us-east-1d", Letter: 'd', PublicCIDR: "10.1.176.0/20", PrivateCIDR: "10.1.48.0/20", NATAZ: "us-east-1b", HasNATGateway: false},
			},
		},
		{
			name:    "uncarveable CIDR",
			cidr:    "10.0.0.0/12",
			azs:     []string{"us-east-1a", "us-east-1b"},
			mode:    NATModePerAZ,
			wantErr: "AZ us-east-1a:",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := planZones(tc.cidr, tc.azs, tc.mode)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNATAZs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		azs  []string
		mode string
		want []string
	}{
		{name: "per-az keeps all, sorted", azs: []string{"us-east-1c", "us-east-1a"}, mode: NATModePerAZ, want: []string{"us-east-1a", "us-east-1c"}},
		{name: "empty mode means per-az", azs: []string{"us-east-1b", "us-east-1a"}, want: []string{"us-east-1a", "us-east-1b"}},
		{name: "single keeps the first sorted", azs: []string{"us-east-1c", "us-east-1b"}, mode: NATModeSingle, want: []string{"us-east-1b"}},
		{name: "no AZs", mode: NATModeSingle, want: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := append([]string(nil), tc.azs...)
			assert.Equal(t, tc.want, NATAZs(tc.azs, tc.mode))
			assert.Equal(t, in, tc.azs, "input must not be reordered")
		})
	}
}

func TestFlowLogPolicies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		doc  func() (string, error)
		want map[string]any
	}{
		{
			name: "trust allows only the flow logs service",
			doc:  flowLogTrustPolicy,
			want: map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Sid":       "VpcFlowLogsAssume",
					"Effect":    "Allow",
					"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
					"Action":    []any{"sts:AssumeRole"},
				}},
			},
		},
		{
			name: "write policy scoped to the log group streams",
			doc: func() (string, error) {
				return flowLogWritePolicy("arn:aws:logs:us-east-1:123456789012:log-group:net-flow-logs-1a2b3c")
			},
			want: map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Sid":      "DeliverFlowLogs",
					"Effect":   "Allow",
					"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
					"Resource": []any{"arn:aws:logs:us-east-1:123456789012:log-group:net-flow-logs-1a2b3c:*"},
				}},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw, err := tc.doc()
			require.NoError(t, err)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(raw), &got))
			assert.Equal(t, tc.want, got)
		})
	}
}
