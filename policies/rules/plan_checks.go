package rules

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// CheckRetainOnDelete is the retainOnDelete half of MIG-07, which the engine does not show to
// policies: every Elastic IP must be retained on delete. Check runs it on the plan's graph.
func CheckRetainOnDelete(resources []Resource) []Violation {
	var out []Violation
	for _, r := range resources {
		if r.Type == typeEip && !r.RetainOnDelete {
			out = append(out, Violation{Policy: PolicyEipRetainOnDelete, Level: LevelMandatory, URN: r.URN,
				Message: fmt.Sprintf("egress Elastic IP %q is not retainOnDelete: a delete (even of a protected resource after unprotecting) would release an address customers allow-listed", r.Name)})
		}
	}
	sortViolations(out)
	return out
}

// canonicalAddress spells an IP address one way (so "2001:DB8::1" equals "2001:db8::1"); other
// entries are compared as written, trimmed.
func canonicalAddress(s string) string {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String()
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.IsSingleIP() {
		return p.Addr().Unmap().String()
	}
	return s
}

// CheckAllowlist is MIG-12: the egress allow-list output (actual) must contain every address of
// the stack's committed allow-list (expected). It may grow; an address missing from it means one
// was removed or changed, which breaks the customers who allow-listed it.
func CheckAllowlist(expected, actual []string) []Violation {
	have := map[string]bool{}
	for _, a := range actual {
		have[canonicalAddress(a)] = true
	}
	var missing []string
	for _, e := range expected {
		c := canonicalAddress(e)
		if c != "" && !have[c] && !slices.Contains(missing, c) {
			missing = append(missing, c)
		}
	}
	sort.Strings(missing)
	var out []Violation
	for _, m := range missing {
		out = append(out, Violation{Policy: PolicyAllowlist, Level: LevelMandatory,
			Message: fmt.Sprintf("egress address %s of the committed allow-list is missing from the allow-list output %v: customers allow-listed it; the list may grow, never shrink or change", m, actual)})
	}
	return out
}

// phaseChangeAllowed returns the one input a phase change may update on a resource of typ: the
// weights of a Route53 record and the quantity of a Heroku formation (matched by module and
// type name, so the check does not depend on which Heroku provider package the program uses).
func phaseChangeAllowed(typ string) string {
	switch {
	case typ == typeRecord:
		return "weightedRoutingPolicies"
	case strings.HasPrefix(typ, "heroku:") && strings.HasSuffix(typ, ":Formation"):
		return "quantity"
	}
	return ""
}

// CheckPhaseDiff is MIG-10: between the plans of two phases (before, after) no resource may be
// created or deleted, and only the weighted records' weightedRoutingPolicies and the Heroku
// formation's quantity may change. Options count as changes too (protect, retainOnDelete,
// deleteBeforeReplace, ignoreChanges, parent, provider).
func CheckPhaseDiff(before, after []Resource) []Violation {
	old := map[string]Resource{}
	for _, r := range before {
		old[r.URN] = r
	}
	seen := map[string]bool{}
	var out []Violation
	add := func(urn, msg string) {
		out = append(out, Violation{Policy: PolicyPhaseDiff, Level: LevelMandatory, URN: urn, Message: msg})
	}
	for _, r := range after {
		seen[r.URN] = true
		prev, ok := old[r.URN]
		if !ok {
			add(r.URN, fmt.Sprintf("%s %q would be created by a phase change", r.Type, r.Name))
			continue
		}
		var changes []string
		for _, key := range changedKeys(prev.Inputs, r.Inputs) {
			if phaseChangeAllowed(r.Type) == key {
				continue
			}
			changes = append(changes, fmt.Sprintf("%s: %s -> %s", key, renderResourceValue(prev.Inputs[resource.PropertyKey(key)]), renderResourceValue(r.Inputs[resource.PropertyKey(key)])))
		}
		changes = append(changes, optionChanges(prev, r)...)
		if len(changes) > 0 {
			add(r.URN, fmt.Sprintf("%s %q would change in a phase change, which may only move the record weights and the Heroku formation quantity: %s",
				r.Type, r.Name, strings.Join(changes, "; ")))
		}
	}
	for _, r := range before {
		if !seen[r.URN] {
			add(r.URN, fmt.Sprintf("%s %q would be deleted by a phase change", r.Type, r.Name))
		}
	}
	sortViolations(out)
	return out
}

func changedKeys(a, b resource.PropertyMap) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[string(k)] = true
	}
	for k := range b {
		keys[string(k)] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		// A missing key reads as the zero PropertyValue, which is null: absent and null are equal.
		if !a[resource.PropertyKey(k)].DeepEquals(b[resource.PropertyKey(k)]) {
			out = append(out, k)
		}
	}
	return out
}

func optionChanges(a, b Resource) []string {
	var out []string
	flag := func(name string, x, y bool) {
		if x != y {
			out = append(out, fmt.Sprintf("%s: %v -> %v", name, x, y))
		}
	}
	flag("protect", a.Protect, b.Protect)
	flag("retainOnDelete", a.RetainOnDelete, b.RetainOnDelete)
	flag("deleteBeforeReplace", a.DeleteBeforeReplace, b.DeleteBeforeReplace)
	if !slices.Equal(a.IgnoreChanges, b.IgnoreChanges) {
		out = append(out, fmt.Sprintf("ignoreChanges: %v -> %v", a.IgnoreChanges, b.IgnoreChanges))
	}
	if a.Parent != b.Parent {
		out = append(out, fmt.Sprintf("parent: %q -> %q", a.Parent, b.Parent))
	}
	if providerURNOf(a.Provider) != providerURNOf(b.Provider) {
		out = append(out, fmt.Sprintf("provider: %q -> %q", a.Provider, b.Provider))
	}
	return out
}

func renderResourceValue(v resource.PropertyValue) string {
	return render(resource.FromResourcePropertyValue(v))
}
