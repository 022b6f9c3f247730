package plan

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// WriteText prints the plan for a person: resources grouped by component, counts by type, the
// traffic split, the egress allow-list and the policy results.
func (p *Plan) WriteText(w io.Writer) {
	pw := &errWriter{w: w}
	pct := p.Outputs["awsTrafficPercent"]
	pw.printf("cutover plan: project %s, stack %s\n", p.Project, p.Stack)
	pw.printf("phase: awsTrafficPercent %v (ladder %s)\n\n", pct, p.Config["cutover:phases"])

	pw.printf("Resources by component (%d resources)\n", p.Summary.Resources)
	for _, g := range p.groups() {
		pw.printf("  %s  %s (%d)\n", g.name, g.typ, len(g.members))
		byType := map[string][]string{}
		for _, r := range g.members {
			byType[r.Type] = append(byType[r.Type], r.Name+flags(r))
		}
		for _, typ := range slices.Sorted(maps.Keys(byType)) {
			names := byType[typ]
			sort.Strings(names)
			pw.printf("    %-52s %3d  %s\n", typ, len(names), abbreviateList(names, 4))
		}
	}

	pw.printf("\nCounts by type\n")
	for _, typ := range slices.Sorted(maps.Keys(p.Summary.ByType)) {
		pw.printf("  %-56s %4d\n", typ, p.Summary.ByType[typ])
	}

	pw.printf("\nTraffic split\n")
	pw.printf("  %s  AWS weight %v, Heroku weight %v, TTL %s s\n", p.Config["cutover:apiHostname"], p.Outputs["awsWeight"], p.Outputs["herokuWeight"], p.Config["cutover:dnsTtl"])
	pw.printf("  AWS target     %v\n", p.Outputs["apiLoadBalancerHostname"])
	pw.printf("  Heroku target  %v\n", p.Outputs["herokuDnsTarget"])
	if f, ok := p.Outputs["herokuFormation"].(map[string]any); ok && len(f) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(f)) {
			parts = append(parts, fmt.Sprintf("%s=%v", k, f[k]))
		}
		pw.printf("  Heroku formation  %s\n", strings.Join(parts, " "))
	}

	pw.printf("\nEgress allow-list (publish to customers; it may grow, never shrink or change)\n")
	if list, ok := p.Outputs["egressAllowlist"].([]any); ok {
		for _, ip := range list {
			pw.printf("  %v\n", ip)
		}
	}

	if p.Cost != nil {
		pw.printf("\n")
		if pw.err == nil {
			p.Cost.WriteText(pw.w)
		}
	}

	mandatory := p.MandatoryViolations()
	pw.printf("\nPolicy pack: %d mandatory, %d advisory violation(s)", mandatory, len(p.Violations)-mandatory)
	if len(p.Waived) > 0 {
		pw.printf(", %d waived", len(p.Waived))
	}
	pw.printf("\n")
	for _, v := range p.Violations {
		pw.printf("  [%s] %s %s\n      %s\n", v.Level, v.Policy, v.URN, v.Message)
	}
	for _, v := range p.Waived {
		pw.printf("  [waived] %s %s: %s\n", v.Policy, shortURN(v.URN), v.Message)
	}
}

type group struct {
	name, typ string
	members   []Resource
}

// groups puts every resource under its top-level component (or "(stack)" for unparented ones).
func (p *Plan) groups() []group {
	byURN := map[string]Resource{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
	}
	top := func(r Resource) Resource {
		for {
			parent, ok := byURN[r.Parent]
			if !ok {
				return r
			}
			r = parent
		}
	}
	index := map[string]*group{}
	var order []string
	for _, r := range p.Resources {
		t := top(r)
		if t.URN == r.URN && !strings.HasPrefix(r.Type, "cutover:") {
			t = Resource{URN: "(stack)", Name: "(stack)", Type: "unparented"}
		}
		g, ok := index[t.URN]
		if !ok {
			g = &group{name: t.Name, typ: t.Type}
			index[t.URN] = g
			order = append(order, t.URN)
		}
		if r.URN != t.URN {
			g.members = append(g.members, r)
		}
	}
	sort.Strings(order)
	out := make([]group, 0, len(order))
	for _, u := range order {
		out = append(out, *index[u])
	}
	return out
}

func flags(r Resource) string {
	var f []string
	if r.Protect {
		f = append(f, "protect")
	}
	if r.RetainOnDelete {
		f = append(f, "retain")
	}
	if len(f) == 0 {
		return ""
	}
	return "[" + strings.Join(f, ",") + "]"
}

func abbreviateList(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + fmt.Sprintf(", ... (+%d)", len(names)-max)
}

func shortURN(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// errWriter keeps the first write error so printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteDiffText prints a diff for a person.
func WriteDiffText(w io.Writer, d DiffResult) {
	pw := &errWriter{w: w}
	pw.printf("%d to create, %d to delete, %d to change\n", len(d.Created), len(d.Deleted), len(d.Changed))
	for _, u := range d.Created {
		pw.printf("  + %s\n", u)
	}
	for _, u := range d.Deleted {
		pw.printf("  - %s\n", u)
	}
	for _, c := range d.Changed {
		pw.printf("  ~ %s\n", c.URN)
		for _, ch := range c.Changes {
			pw.printf("      %s: %v => %v\n", ch.Path, show(ch.Before), show(ch.After))
		}
	}
	if len(d.Outputs) > 0 {
		pw.printf("outputs:\n")
		for _, ch := range d.Outputs {
			pw.printf("  ~ %s: %v => %v\n", ch.Path, show(ch.Before), show(ch.After))
		}
	}
}

func show(v any) any {
	if v == nil {
		return "(absent)"
	}
	return v
}
