package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// sgRule is one security group rule, inline or a resource of its own, in a common shape.
type sgRule struct {
	label       string // "ingress rule 0 of security group \"x\"", for messages
	direction   string // "ingress" or "egress"
	protocol    property.Value
	from, to    property.Value
	cidrs       []string
	cidrUnknown bool
	description property.Value
}

// sgTypes carry rules with descriptions; sgIngressTypes also include the VPC's default group.
var (
	sgTypes        = []string{typeSecurityGroup, typeSecurityGroupRule, typeSGIngressRule, typeSGEgressRule}
	sgIngressTypes = []string{typeSecurityGroup, typeDefaultSecurityGroup, typeSecurityGroupRule, typeSGIngressRule}
)

// sgRules extracts the rules of a security group, a DefaultSecurityGroup or a rule resource.
func sgRules(r policyx.AnalyzerResource) []sgRule {
	p := r.Properties
	switch r.Type {
	case typeSecurityGroup, typeDefaultSecurityGroup:
		var out []sgRule
		for _, dir := range []string{"ingress", "egress"} {
			for i, item := range elems(lookup(p, dir)) {
				if !item.IsMap() {
					continue
				}
				m := item.AsMap()
				v4, u4 := strList(m.Get("cidrBlocks"))
				v6, u6 := strList(m.Get("ipv6CidrBlocks"))
				out = append(out, sgRule{
					label:     fmt.Sprintf("%s rule %d of security group %q", dir, i, r.Name),
					direction: dir, protocol: m.Get("protocol"), from: m.Get("fromPort"), to: m.Get("toPort"),
					cidrs: append(v4, v6...), cidrUnknown: u4 || u6, description: m.Get("description"),
				})
			}
		}
		return out
	case typeSecurityGroupRule:
		v4, u4 := strList(lookup(p, "cidrBlocks"))
		v6, u6 := strList(lookup(p, "ipv6CidrBlocks"))
		dir, _ := str(lookup(p, "type"))
		return []sgRule{{
			label:     fmt.Sprintf("security group rule %q", r.Name),
			direction: dir, protocol: lookup(p, "protocol"), from: lookup(p, "fromPort"), to: lookup(p, "toPort"),
			cidrs: append(v4, v6...), cidrUnknown: u4 || u6, description: lookup(p, "description"),
		}}
	case typeSGIngressRule, typeSGEgressRule:
		dir := "ingress"
		if r.Type == typeSGEgressRule {
			dir = "egress"
		}
		v4, u4 := strList(lookup(p, "cidrIpv4"))
		v6, u6 := strList(lookup(p, "cidrIpv6"))
		return []sgRule{{
			label:     fmt.Sprintf("%s rule %q", dir, r.Name),
			direction: dir, protocol: lookup(p, "ipProtocol"), from: lookup(p, "fromPort"), to: lookup(p, "toPort"),
			cidrs: append(v4, v6...), cidrUnknown: u4 || u6, description: lookup(p, "description"),
		}}
	}
	return nil
}

func (s sgRule) fromWorld() []string {
	var out []string
	for _, c := range s.cidrs {
		if c == anyIPv4 || c == anyIPv6 {
			out = append(out, c)
		}
	}
	return out
}

// allProtocols: "-1" (or "all") opens every protocol and port whatever fromPort/toPort say.
func (s sgRule) allProtocols() (yes, known bool) {
	p, ok := str(s.protocol)
	if !ok {
		return false, false
	}
	p = strings.ToLower(p)
	return p == "-1" || p == "all", true
}

// covers reports whether the rule opens port on TCP or UDP (SSH is TCP; RDP is TCP and UDP).
func (s sgRule) covers(port float64) (yes, known bool) {
	if all, ok := s.allProtocols(); !ok || all {
		return all, ok
	}
	p, _ := str(s.protocol)
	if !slices.Contains([]string{"tcp", "udp", "6", "17"}, strings.ToLower(p)) {
		return false, true
	}
	from, ok1 := num(s.from)
	to, ok2 := num(s.to)
	if !ok1 || !ok2 {
		return false, false
	}
	return from <= port && port <= to, true
}

// allPorts reports a rule open on every port of TCP/UDP, or on every protocol.
func (s sgRule) allPorts() (yes, known bool) {
	if all, ok := s.allProtocols(); !ok || all {
		return all, ok
	}
	from, ok1 := num(s.from)
	to, ok2 := num(s.to)
	if !ok1 || !ok2 {
		return false, false
	}
	return from <= 0 && to >= 65535, true
}

func (s sgRule) describe() string {
	p, _ := str(s.protocol)
	from, _ := str(s.from)
	to, _ := str(s.to)
	return fmt.Sprintf("protocol %s ports %s-%s from %v", p, from, to, s.cidrs)
}

// SG-01.
func checkNoWorldAdminIngress(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	for _, s := range sgRules(r) {
		world := s.fromWorld()
		if s.direction != "ingress" || len(world) == 0 {
			continue
		}
		var opened []string
		if all, _ := s.allPorts(); all {
			opened = append(opened, "all ports")
		} else {
			for _, port := range []float64{22, 3389} {
				if yes, _ := s.covers(port); yes {
					opened = append(opened, fmt.Sprintf("port %v", port))
				}
			}
		}
		if len(opened) > 0 {
			out = append(out, fmt.Sprintf("%s opens %s to %v (%s); reach nodes through SSM or a bastion with a narrow CIDR",
				s.label, strings.Join(opened, ", "), world, s.describe()))
		}
	}
	return out
}

// Provider-filled descriptions say nothing about why a rule exists.
var placeholderDescriptions = []string{"", "managed by pulumi", "managed by terraform"}

// SG-02.
func checkSGDescriptions(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	if r.Type == typeSecurityGroup {
		if d := lookup(r.Properties, "description"); !d.IsComputed() {
			if s, _ := str(d); slices.Contains(placeholderDescriptions, strings.ToLower(strings.TrimSpace(s))) {
				out = append(out, fmt.Sprintf("security group %q has no description of its own: %s; say what it guards", r.Name, render(d)))
			}
		}
	}
	for _, s := range sgRules(r) {
		if s.description.IsComputed() {
			continue
		}
		if d, _ := str(s.description); strings.TrimSpace(d) == "" {
			out = append(out, fmt.Sprintf("%s (%s) has no description; say why it is open", s.label, s.describe()))
		}
	}
	return out
}

// SG-03.
func checkEgressRestricted(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	for _, s := range sgRules(r) {
		world := s.fromWorld()
		if s.direction != "egress" || len(world) == 0 {
			continue
		}
		if all, _ := s.allPorts(); all {
			out = append(out, fmt.Sprintf("%s allows all egress to %v (%s)", s.label, world, s.describe()))
		}
	}
	return out
}
