package egress

import (
	"net/netip"
	"sort"
)

// Allowlist merges the AWS egress addresses with Heroku's and returns the list customers publish:
// canonical address spelling (so "2001:DB8::1" and "2001:db8::1" count once), duplicates removed,
// empty entries dropped, sorted numerically (IPv4 before IPv6) so that the committed allow-list of
// a stack only changes when an address really changes. Entries that are not addresses are kept
// verbatim after the addresses, in lexical order, so that nothing a caller passed silently
// disappears from the published list.
func Allowlist(aws, heroku []string) []string {
	seen := make(map[string]bool, len(aws)+len(heroku))
	var addrs []netip.Addr
	var others []string
	for _, list := range [][]string{aws, heroku} {
		for _, raw := range list {
			if raw == "" {
				continue
			}
			if addr, err := netip.ParseAddr(raw); err == nil {
				// Unmap so an IPv4-mapped IPv6 spelling and the plain IPv4 form coincide.
				addr = addr.Unmap()
				key := addr.String()
				if !seen[key] {
					seen[key] = true
					addrs = append(addrs, addr)
				}
				continue
			}
			if !seen[raw] {
				seen[raw] = true
				others = append(others, raw)
			}
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	sort.Strings(others)
	out := make([]string, 0, len(addrs)+len(others))
	for _, addr := range addrs {
		out = append(out, addr.String())
	}
	return append(out, others...)
}
