package rules

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// subnetTier says whether a subnet is public. The program marks tiers with the EKS load balancer
// role tags (kubernetes.io/role/elb on public, .../internal-elb on private), a tier tag, or
// "public"/"private" in the name. Anything unmarked counts as private, the stricter reading;
// unknown tags leave it undecided.
func subnetTier(props property.Map, name string) (public, known bool) {
	tags, unknown := strMap(lookup(props, "tags"))
	if _, ok := tags[publicELBSubnetTag]; ok {
		return true, true
	}
	if _, ok := tags[internalELBSubnetTag]; ok {
		return false, true
	}
	for _, k := range []string{"tier", "Tier", "type", "Type"} {
		switch strings.ToLower(tags[k]) {
		case "public":
			return true, true
		case "private":
			return false, true
		}
	}
	for _, word := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}) {
		switch word {
		case "public":
			return true, true
		case "private":
			return false, true
		}
	}
	return false, !unknown
}

func isPrivateSubnet(n *node) bool {
	public, known := subnetTier(n.Properties, n.Name)
	return known && !public
}

func privateSubnetMessageName(name string) string { return fmt.Sprintf("private subnet %q", name) }

// NET-01.
func checkSubnetNoPublicIP(_ *env, r policyx.AnalyzerResource) []string {
	public, known := subnetTier(r.Properties, r.Name)
	if !known || public {
		return nil
	}
	// Absent means the AWS default, false, for subnets of a non-default VPC.
	if on, ok := boolean(lookup(r.Properties, "mapPublicIpOnLaunch")); ok && on {
		return []string{fmt.Sprintf("%s sets mapPublicIpOnLaunch to true: every instance launched in it gets a public IP; set it to false",
			privateSubnetMessageName(r.Name))}
	}
	return nil
}

// availability zone of a subnet: a known name or ID, unknown, or absent (AWS picks one).
type azState int

const (
	azKnown azState = iota
	azUnknown
	azAbsent
)

func subnetAZ(n *node) (string, azState) {
	for _, k := range []string{"availabilityZone", "availabilityZoneId"} {
		v := n.get(k)
		if v.IsComputed() {
			return "", azUnknown
		}
		if s, ok := str(v); ok && s != "" {
			return s, azKnown
		}
	}
	return "", azAbsent
}

// azOfTargets returns the single known AZ shared by all targets of a subnet link.
func azOfTargets(l link) (string, bool) {
	if l.unknown || len(l.foreign) > 0 || len(l.targets) == 0 {
		return "", false
	}
	az := ""
	for _, t := range l.targets {
		a, st := subnetAZ(t)
		if st != azKnown || (az != "" && a != az) {
			return "", false
		}
		az = a
	}
	return az, true
}

func sortedNodes(ns []*node) []*node {
	out := slices.Clone(ns)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

func (g *graph) privateSubnets() []*node {
	var out []*node
	for _, s := range g.ofType(typeSubnet) {
		if isPrivateSubnet(s) {
			out = append(out, s)
		}
	}
	return sortedNodes(out)
}

// NET-02.
func checkMultiAZ(_ *env, g *graph) []finding {
	var out []finding
	privates := g.privateSubnets()
	azs := map[string]bool{}
	undecided := false
	for _, s := range privates {
		az, st := subnetAZ(s)
		switch st {
		case azKnown:
			azs[az] = true
		case azUnknown:
			undecided = true
		case azAbsent:
			out = append(out, finding{s.URN, fmt.Sprintf("%s has no availabilityZone: AWS picks one, so the spread across zones is not guaranteed",
				privateSubnetMessageName(s.Name))})
		}
	}
	if len(privates) > 0 && !undecided && len(azs) < 2 {
		out = append(out, finding{privates[0].URN, fmt.Sprintf("private subnets span %d availability zone(s) %v; at least 2 are required",
			len(azs), slices.Sorted(maps.Keys(azs)))})
	}
	for _, ng := range sortedNodes(g.ofType(typeEksNodeGroup)) {
		v := ng.get("subnetIds")
		if v.IsArray() && v.AsArray().Len() < 2 {
			out = append(out, finding{ng.URN, fmt.Sprintf("node group %q uses %d subnet(s) %s; a pool needs subnets in at least 2 availability zones",
				ng.Name, v.AsArray().Len(), render(v))})
			continue
		}
		l := g.ref(ng, "subnetIds", typeSubnet)
		if l.unknown || len(l.foreign) > 0 || len(l.targets) == 0 {
			continue
		}
		ngAZs := map[string]bool{}
		for _, t := range l.targets {
			az, st := subnetAZ(t)
			if st != azKnown {
				ngAZs = nil
				break
			}
			ngAZs[az] = true
		}
		if ngAZs != nil && len(ngAZs) < 2 {
			out = append(out, finding{ng.URN, fmt.Sprintf("node group %q places nodes in %d availability zone(s) %v; at least 2 are required",
				ng.Name, len(ngAZs), slices.Sorted(maps.Keys(ngAZs)))})
		}
	}
	return out
}

// defaultRoute is a 0.0.0.0/0 route of a route table: a Route resource or an inline route.
type defaultRoute struct {
	urn   string
	label string
	nat   link
	other string // a non-NAT target (gateway, transit gateway, ...), for the message
}

var nonNATRouteTargets = []string{"gatewayId", "transitGatewayId", "networkInterfaceId", "vpcEndpointId", "vpcPeeringConnectionId", "egressOnlyGatewayId", "carrierGatewayId", "localGatewayId", "coreNetworkArn"}

func otherRouteTarget(get func(string) property.Value) string {
	for _, k := range nonNATRouteTargets {
		if s, ok := str(get(k)); ok && s != "" {
			return k + " " + s
		}
	}
	return ""
}

func (g *graph) defaultRoutes(rt *node) (routes []defaultRoute, undecided bool) {
	for _, r := range sortedNodes(g.ofType(typeRoute)) {
		l := g.ref(r, "routeTableId", typeRouteTable)
		if !slices.Contains(l.targets, rt) {
			if l.unknown {
				undecided = true
			}
			continue
		}
		dest := r.get("destinationCidrBlock")
		if dest.IsComputed() {
			undecided = true
			continue
		}
		if d, _ := str(dest); d != anyIPv4 {
			continue
		}
		routes = append(routes, defaultRoute{
			urn: r.URN, label: fmt.Sprintf("route %q", r.Name),
			nat:   g.ref(r, "natGatewayId", typeNatGateway),
			other: otherRouteTarget(func(k string) property.Value { return r.get(k) }),
		})
	}
	for i, item := range elems(rt.get("routes")) {
		if !item.IsMap() {
			continue
		}
		m := item.AsMap()
		if d, _ := str(m.Get("cidrBlock")); d != anyIPv4 {
			continue
		}
		routes = append(routes, defaultRoute{
			urn: rt.URN, label: fmt.Sprintf("inline route %d of route table %q", i, rt.Name),
			nat:   g.refValue(rt, "routes", m.Get("natGatewayId"), typeNatGateway),
			other: otherRouteTarget(m.Get),
		})
	}
	return routes, undecided
}

func isPublicNAT(n *node) bool {
	ct, ok := str(n.get("connectivityType"))
	return !ok || ct == "" || ct == "public"
}

// NET-03.
func checkNATPerAZ(e *env, g *graph) []finding {
	if e.cfg.natMode() != natModePerAZ {
		return nil
	}
	var out []finding
	privates := g.privateSubnets()
	natAZ := map[*node]string{}
	natsByAZ := map[string][]*node{}
	natAZUnknown := false
	for _, nat := range sortedNodes(g.ofType(typeNatGateway)) {
		if !isPublicNAT(nat) {
			continue
		}
		az, ok := azOfTargets(g.ref(nat, "subnetId", typeSubnet))
		if !ok {
			natAZUnknown = true
			continue
		}
		natAZ[nat] = az
		natsByAZ[az] = append(natsByAZ[az], nat)
	}
	reportedAZ := map[string]bool{}
	for _, s := range privates {
		az, st := subnetAZ(s)
		if st != azKnown || reportedAZ[az] {
			continue
		}
		reportedAZ[az] = true
		switch nats := natsByAZ[az]; {
		case len(nats) == 0 && !natAZUnknown:
			out = append(out, finding{s.URN, fmt.Sprintf("availability zone %s has no NAT gateway; in per-az mode each zone with private subnets needs its own",
				az)})
		case len(nats) > 1:
			names := make([]string, len(nats))
			for i, n := range nats {
				names[i] = n.Name
			}
			out = append(out, finding{nats[1].URN, fmt.Sprintf("availability zone %s has %d NAT gateways %v; per-az mode wants exactly one",
				az, len(nats), names)})
		}
	}
	assocs := sortedNodes(g.ofType(typeRouteTableAssociation))
	for _, s := range privates {
		subnetAZName, st := subnetAZ(s)
		var tables []*node
		undecided := false
		for _, a := range assocs {
			l := g.ref(a, "subnetId", typeSubnet)
			if l.unknown {
				undecided = true
			}
			if len(l.targets) == 1 && l.targets[0] == s {
				rl := g.ref(a, "routeTableId", typeRouteTable)
				if len(rl.targets) != 1 {
					undecided = true
					continue
				}
				tables = append(tables, rl.targets[0])
			}
		}
		if len(tables) == 0 {
			if !undecided {
				out = append(out, finding{s.URN, fmt.Sprintf("%s has no route table association: it uses the VPC's main route table instead of a default route to its zone's NAT gateway",
					privateSubnetMessageName(s.Name))})
			}
			continue
		}
		for _, rt := range tables {
			routes, routesUndecided := g.defaultRoutes(rt)
			if len(routes) == 0 {
				if !routesUndecided {
					out = append(out, finding{rt.URN, fmt.Sprintf("route table %q of %s has no default route (0.0.0.0/0) to a NAT gateway",
						rt.Name, privateSubnetMessageName(s.Name))})
				}
				continue
			}
			for _, r := range routes {
				switch {
				case r.nat.absent && r.other != "":
					out = append(out, finding{r.urn, fmt.Sprintf("%s of %s sends 0.0.0.0/0 to %s instead of a NAT gateway",
						r.label, privateSubnetMessageName(s.Name), r.other)})
				case r.nat.absent:
					out = append(out, finding{r.urn, fmt.Sprintf("%s of %s has no natGatewayId", r.label, privateSubnetMessageName(s.Name))})
				case len(r.nat.targets) == 1 && st == azKnown:
					nat := r.nat.targets[0]
					if az, ok := natAZ[nat]; ok && az != subnetAZName {
						out = append(out, finding{r.urn, fmt.Sprintf("%s of %s (%s) goes to NAT gateway %q in %s; each zone must use its own NAT so one zone's outage does not cut the others' egress",
							r.label, privateSubnetMessageName(s.Name), subnetAZName, nat.Name, az)})
					}
				}
			}
		}
	}
	return out
}

// NET-04.
func checkFlowLogsAndDefaultSG(_ *env, g *graph) []finding {
	var out []finding
	flowLogs := g.ofType(typeFlowLog)
	defaultSGs := sortedNodes(g.ofType(typeDefaultSecurityGroup))
	for _, vpc := range sortedNodes(g.ofType(typeVpc)) {
		covered, undecided := false, false
		for _, f := range flowLogs {
			l := g.ref(f, "vpcId", typeVpc)
			covered = covered || slices.Contains(l.targets, vpc)
			undecided = undecided || l.unknown
		}
		if !covered && !undecided {
			out = append(out, finding{vpc.URN, fmt.Sprintf("VPC %q has no flow log; traffic to and from the egress IPs could not be audited", vpc.Name)})
		}
		managed, undecided := false, false
		for _, d := range defaultSGs {
			l := g.ref(d, "vpcId", typeVpc)
			managed = managed || slices.Contains(l.targets, vpc)
			undecided = undecided || l.unknown
		}
		if !managed && !undecided {
			out = append(out, finding{vpc.URN, fmt.Sprintf("VPC %q does not manage its default security group: AWS's default one allows all traffic between its members; adopt it with a DefaultSecurityGroup without rules", vpc.Name)})
		}
	}
	for _, d := range defaultSGs {
		for _, dir := range []string{"ingress", "egress"} {
			if v := d.get(dir); v.IsArray() && v.AsArray().Len() > 0 {
				out = append(out, finding{d.URN, fmt.Sprintf("default security group %q has %d %s rule(s) %s; it should have none",
					d.Name, v.AsArray().Len(), dir, render(v))})
			}
		}
	}
	return out
}
