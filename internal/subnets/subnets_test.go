package subnets

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCarve(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, vpc       string
		letter          byte
		public, private string
		wantErr         string
	}{
		{name: "slash16 a", vpc: "10.0.0.0/16", letter: 'a', public: "10.0.128.0/20", private: "10.0.0.0/20"},
		{name: "slash16 c", vpc: "10.0.0.0/16", letter: 'c', public: "10.0.160.0/20", private: "10.0.32.0/20"},
		{name: "slash16 h", vpc: "10.20.0.0/16", letter: 'h', public: "10.20.240.0/20", private: "10.20.112.0/20"},
		{name: "slash24 b", vpc: "192.168.7.0/24", letter: 'b', public: "192.168.7.144/28", private: "192.168.7.16/28"},
		{name: "too small", vpc: "10.0.0.0/25", letter: 'a', wantErr: "cannot be carved"},
		{name: "too big", vpc: "10.0.0.0/8", letter: 'a', wantErr: "between /16 and /24"},
		{name: "not cidr", vpc: "10.0.0.0", letter: 'a', wantErr: "is not a CIDR"},
		{name: "host bits", vpc: "10.0.1.0/16", letter: 'a', wantErr: "use the network address 10.0.0.0/16"},
		{name: "ipv6", vpc: "fd00::/56", letter: 'a', wantErr: "not an IPv4 CIDR"},
		{name: "letter i", vpc: "10.0.0.0/16", letter: 'i', wantErr: "outside a..h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pub, priv, err := Carve(tc.vpc, tc.letter)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Carve(%q, %c) error = %v, want it to contain %q", tc.vpc, tc.letter, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Carve: %v", err)
			}
			if pub != tc.public || priv != tc.private {
				t.Fatalf("Carve(%q, %c) = %s, %s; want %s, %s", tc.vpc, tc.letter, pub, priv, tc.public, tc.private)
			}
		})
	}
}

// Every subnet of every letter lies inside the VPC and no two overlap.
func TestCarveDisjoint(t *testing.T) {
	t.Parallel()
	for _, vpc := range []string{"10.0.0.0/16", "172.16.0.0/20", "10.1.2.0/24"} {
		var seen []netip.Prefix
		v := netip.MustParsePrefix(vpc)
		for l := byte('a'); l < 'a'+MaxLetters; l++ {
			pub, priv, err := Carve(vpc, l)
			if err != nil {
				t.Fatalf("Carve(%s, %c): %v", vpc, l, err)
			}
			for _, s := range []string{pub, priv} {
				p := netip.MustParsePrefix(s)
				if !v.Contains(p.Addr()) || p.Bits() < v.Bits() {
					t.Fatalf("%s is outside %s", p, v)
				}
				for _, q := range seen {
					if p.Overlaps(q) {
						t.Fatalf("%s overlaps %s in %s", p, q, vpc)
					}
				}
				seen = append(seen, p)
			}
		}
	}
}

func TestSplitAZ(t *testing.T) {
	t.Parallel()
	cases := []struct {
		az, region string
		letter     byte
		wantErr    string
	}{
		{az: "us-east-1a", region: "us-east-1", letter: 'a'},
		{az: "eu-central-1c", region: "eu-central-1", letter: 'c'},
		{az: "us-gov-west-1b", region: "us-gov-west-1", letter: 'b'},
		{az: "us-east-1z", wantErr: "beyond"},
		{az: "us-east-1", wantErr: "not an availability zone"},
		{az: "use1-az1", wantErr: "not an availability zone"},
		{az: "", wantErr: "not an availability zone"},
	}
	for _, tc := range cases {
		t.Run(tc.az, func(t *testing.T) {
			t.Parallel()
			region, letter, err := SplitAZ(tc.az)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("SplitAZ(%q) error = %v, want %q", tc.az, err, tc.wantErr)
				}
				return
			}
			if err != nil || region != tc.region || letter != tc.letter {
				t.Fatalf("SplitAZ(%q) = %q, %c, %v; want %q, %c", tc.az, region, letter, err, tc.region, tc.letter)
			}
		})
	}
}

func TestCheckAZs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		azs         []string
		wantLetters string
		wantErrs    []string
	}{
		{name: "valid", azs: []string{"us-east-1c", "us-east-1a"}, wantLetters: "ca"},
		{name: "duplicate", azs: []string{"us-east-1a", "us-east-1a"}, wantLetters: "a", wantErrs: []string{`AZs[1]: "us-east-1a" is listed twice`}},
		{name: "two regions", azs: []string{"us-east-1a", "us-west-2b"}, wantLetters: "a", wantErrs: []string{`AZs[1]: "us-west-2b" is in region "us-west-2", but "us-east-1" came first`}},
		{name: "not a zone", azs: []string{"us-east-1", "us-east-1b"}, wantLetters: "b", wantErrs: []string{`AZs[0]: "us-east-1" is not a valid availability zone name`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			letters, errs := CheckAZs("AZs", tc.azs)
			if string(letters) != tc.wantLetters {
				t.Errorf("letters = %q, want %q", letters, tc.wantLetters)
			}
			if len(errs) != len(tc.wantErrs) {
				t.Fatalf("errors = %v, want %d", errs, len(tc.wantErrs))
			}
			for i, want := range tc.wantErrs {
				if !strings.Contains(errs[i].Error(), want) {
					t.Errorf("error %d = %q, want it to contain %q", i, errs[i], want)
				}
			}
		})
	}
}
