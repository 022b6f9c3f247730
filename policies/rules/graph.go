package rules

import (
	"slices"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// graph indexes the resources a stack policy receives so that rules can follow references.
// A reference is resolved by value when it is a known ID (after an up, or mock IDs in the plan)
// and otherwise through the property's dependencies (a preview, where IDs of new resources are
// unknown but the engine knows which resource each input came from).
type graph struct {
	nodes    []*node
	byURN    map[string]*node
	byID     map[string][]*node
	children map[string][]*node
	// byType holds the nodes of each type sorted by URN, so per-workload lookups cost the size of
	// one type rather than a scan of the whole graph (which made large stacks quadratic).
	byType map[string][]*node
	// selectorCache holds parsed selectors per type (see selectorsOf).
	selectorCache map[string][]selectorCandidate
}

type node struct {
	policyx.AnalyzerResource
}

func (n *node) get(path ...any) property.Value { return lookup(n.Properties, path...) }

// declared is the view of what the program declared. Kubernetes resources' outputs are the live
// object (the API server fills spec.replicas and other defaults), and the provider keeps the
// program's inputs beside them under __inputs; other providers' outputs already contain the inputs.
func (n *node) declared() property.Map {
	if in := n.Properties.Get("__inputs"); in.IsMap() {
		return in.AsMap()
	}
	return n.Properties
}

// idKeys are the properties whose values other resources use to refer to a resource. Eips are
// referred to by allocation ID, which is also their ID; listing it covers providers or mocks that
// only return one of the two.
var idKeys = map[string][]string{
	"":      {"id", "arn"},
	typeEip: {"id", "arn", "allocationId"},
}

func newGraph(resources []policyx.AnalyzerResource) *graph {
	g := &graph{byURN: map[string]*node{}, byID: map[string][]*node{}, children: map[string][]*node{}, byType: map[string][]*node{}}
	for _, r := range resources {
		n := &node{AnalyzerResource: r}
		g.nodes = append(g.nodes, n)
		g.byType[r.Type] = append(g.byType[r.Type], n)
		g.byURN[r.URN] = n
		if r.Parent != "" {
			g.children[r.Parent] = append(g.children[r.Parent], n)
		}
		keys, ok := idKeys[r.Type]
		if !ok {
			keys = idKeys[""]
		}
		for _, k := range keys {
			if id, ok := str(n.get(k)); ok && id != "" && !slices.Contains(g.byID[id], n) {
				g.byID[id] = append(g.byID[id], n)
			}
		}
	}
	for _, nodes := range g.byType {
		sort.Slice(nodes, func(i, j int) bool { return nodes[i].URN < nodes[j].URN })
	}
	return g
}

// ofType returns the nodes of the given types, sorted by URN. The result is shared: callers
// must not modify it.
func (g *graph) ofType(types ...string) []*node {
	if len(types) == 1 {
		nodes := g.byType[types[0]]
		return nodes[:len(nodes):len(nodes)] // an append by a caller must not write into the index
	}
	var out []*node
	for _, t := range types {
		out = append(out, g.byType[t]...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

func (g *graph) subject(u string) subject {
	if n, ok := g.byURN[u]; ok {
		return subjectOf(u, n.Type, n.Name, n.Parent)
	}
	return subjectOf(u, "", "", "")
}

// link is what a reference property resolves to.
type link struct {
	// targets are the referenced resources of the wanted types.
	targets []*node
	// absent: the property is not set and nothing was recorded as its source.
	absent bool
	// unknown: part of the reference is unknown and could not be resolved by dependency.
	unknown bool
	// foreign are known IDs that match no resource of the wanted types in the stack.
	foreign []string
}

// ref resolves the top-level reference property prop of n to resources of the given types.
func (g *graph) ref(n *node, prop string, types ...string) link {
	return g.refValue(n, prop, n.get(prop), types...)
}

// refValue resolves v, a value found under the top-level property prop (for references nested in
// objects, such as an inline route's natGatewayId).
func (g *graph) refValue(n *node, prop string, v property.Value, types ...string) link {
	var l link
	add := func(t *node) {
		if slices.Contains(types, t.Type) && !slices.Contains(l.targets, t) {
			l.targets = append(l.targets, t)
		}
	}
	ids, unknown := strList(v)
	matchedAll := !unknown
	for _, id := range ids {
		before := len(l.targets)
		for _, t := range g.byID[id] {
			add(t)
		}
		if len(l.targets) == before {
			matchedAll = false
			l.foreign = append(l.foreign, id)
		}
	}
	if matchedAll && len(ids) > 0 {
		return l
	}
	// Fall back to dependencies: those recorded for the property, and those carried by the value.
	var deps []string
	deps = append(deps, n.PropertyDependencies[prop]...)
	for _, d := range v.Dependencies() {
		deps = append(deps, string(d))
	}
	found := len(l.targets)
	for _, d := range deps {
		g.descend(d, add)
	}
	if len(l.targets) > found {
		l.foreign = nil
		return l
	}
	l.unknown = unknown
	l.absent = v.IsNull() && len(ids) == 0
	return l
}

// descend calls f on the resource u and everything below it: a dependency on a component stands
// for the resources it contains.
func (g *graph) descend(u string, f func(*node)) {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		if n, ok := g.byURN[u]; ok {
			f(n)
		}
		for _, c := range g.children[u] {
			walk(c.URN)
		}
	}
	walk(u)
}
