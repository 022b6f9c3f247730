package egress

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAllowlist(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		aws    []string
		heroku []string
		want   []string
	}{
		{
			name: "both empty",
			want: []string{},
		},
		{
			name: "numeric not lexical order",
			aws:  []string{"198.51.100.10", "198.51.100.9"},
			want: []string{"198.51.100.9", "198.51.100.10"},
		},
		{
			name:   "merged and de-duplicated across lists",
			aws:    []string{"203.0.113.1", "198.51.100.2"},
			heroku: []string{"198.51.100.2", "192.0.2.4", "192.0.2.4"},
			want:   []string{"192.0.2.4", "198.51.100.2", "203.0.113.1"},
		},
		{
			name:   "IPv6 canonicalised and after IPv4",
			aws:    []string{"2001:DB8::10"},
			heroku: []string{"2001:db8:0:0::10", "192.0.2.1"},
			want:   []string{"192.0.2.1", "2001:db8::10"},
		},
		{
			name:   "IPv4-mapped IPv6 equals IPv4",
			aws:    []string{"192.0.2.9"},
			heroku: []string{"::ffff:192.0.2.9"},
			want:   []string{"192.0.2.9"},
		},
		{
			name:   "empty entries dropped",
			aws:    []string{"", "203.0.113.8"},
			heroku: []string{""},
			want:   []string{"203.0.113.8"},
		},
		{
			name:   "non-address kept verbatim after addresses",
			aws:    []string{"203.0.113.8"},
			heroku: []string{"not-an-ip", "also-not"},
			want:   []string{"203.0.113.8", "also-not", "not-an-ip"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			awsBefore := append([]string(nil), tc.aws...)
			got := Allowlist(tc.aws, tc.heroku)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, awsBefore, tc.aws, "input must not be reordered")
		})
	}
}
