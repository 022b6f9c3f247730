package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

func normalizeHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// nameMatchesHost accepts a record name written as the full host or relative to its zone.
func nameMatchesHost(name, host string) bool {
	name, host = normalizeHost(name), normalizeHost(host)
	return name == host || strings.HasPrefix(host, name+".")
}

// isWeighted reports a record with a set identifier or weights; unknown counts (it may be one).
func isWeighted(props property.Map) bool {
	id := lookup(props, "setIdentifier")
	weights := lookup(props, "weightedRoutingPolicies")
	s, _ := str(id)
	return s != "" || len(elems(weights)) > 0 || id.IsComputed() || weights.IsComputed()
}

// apiRecords are the weighted records of the API name (every weighted record when the config has
// no apiHostname), sorted by URN.
func (g *graph) apiRecords(e *env) []*node {
	var out []*node
	for _, r := range sortedNodes(g.ofType(typeRecord)) {
		if !isWeighted(r.Properties) {
			continue
		}
		if e.cfg.APIHostname != "" {
			if name, ok := str(r.get("name")); ok && !nameMatchesHost(name, e.cfg.APIHostname) {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

func setID(props property.Map) (string, bool) {
	return str(lookup(props, "setIdentifier"))
}

func (sc StackConfig) describePercent() string {
	if sc.AWSTrafficPercent == nil {
		return "absent"
	}
	return fmt.Sprint(*sc.AWSTrafficPercent)
}

// MIG-01.
func checkWeightedPair(e *env, g *graph) []finding {
	recs := g.apiRecords(e)
	host := e.cfg.APIHostname
	if len(recs) == 0 {
		return []finding{{"", fmt.Sprintf("no weighted Route53 record for the API name %q: the cutover needs the heroku/aws weighted pair", host)}}
	}
	var out []finding
	bySet := map[string][]*node{}
	idsUnknown := false
	for _, r := range recs {
		if id, ok := setID(r.Properties); ok {
			bySet[id] = append(bySet[id], r)
		} else {
			idsUnknown = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(bySet)) {
		rs := bySet[id]
		if id != setIdentifierAWS && id != setIdentifierHeroku {
			for _, r := range rs {
				out = append(out, finding{r.URN, fmt.Sprintf("record %q has set identifier %q; the API's weighted set holds exactly %q and %q", r.Name, id, setIdentifierHeroku, setIdentifierAWS)})
			}
			continue
		}
		for _, r := range rs[1:] {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q is a second member with set identifier %q (first: %q)", r.Name, id, rs[0].Name)})
		}
	}
	decommissioned := e.cfg.AWSTrafficPercent != nil && *e.cfg.AWSTrafficPercent == 100
	for _, want := range []string{setIdentifierAWS, setIdentifierHeroku} {
		if len(bySet[want]) > 0 || (want == setIdentifierHeroku && decommissioned) || idsUnknown {
			continue
		}
		out = append(out, finding{recs[0].URN, fmt.Sprintf("the weighted set of the API name lacks the %q member (members: %v)", want, slices.Sorted(maps.Keys(bySet)))})
	}
	first := recs[0]
	for _, r := range recs[1:] {
		for _, key := range []string{"zoneId", "name", "type"} {
			a, okA := str(first.get(key))
			b, okB := str(r.get(key))
			if okA && okB && normalizeHost(a) != normalizeHost(b) {
				out = append(out, finding{r.URN, fmt.Sprintf("record %q has %s %q but %q has %q: members of one weighted set share zone, name and type", r.Name, key, b, first.Name, a)})
			}
		}
	}
	return out
}

// expectedWeight is the weight the phase gives a set identifier.
func expectedWeight(id string, percent int) float64 {
	if id == setIdentifierAWS {
		return float64(percent)
	}
	return float64(100 - percent)
}

// MIG-02.
func checkRecordWeights(e *env, r policyx.AnalyzerResource) []string {
	id, ok := setID(r.Properties)
	if !ok || (id != setIdentifierAWS && id != setIdentifierHeroku) {
		return nil
	}
	p := e.cfg.percentOrDefault()
	if p < 0 || p > 100 {
		return nil // MIG-03 reports the phase itself
	}
	want := expectedWeight(id, p)
	w := lookup(r.Properties, "weightedRoutingPolicies", 0, "weight")
	if w.IsComputed() {
		return nil
	}
	if got, ok := num(w); !ok || got != want {
		return []string{fmt.Sprintf("record %q (set identifier %q) has weight %s; cutover:awsTrafficPercent %s means %v (aws = p, heroku = 100 - p)",
			r.Name, id, render(w), e.cfg.describePercent(), want)}
	}
	return nil
}

// ladderProblems checks the phase ladder: integers from 0 to 100, strictly increasing.
func ladderProblems(phases []int) []string {
	var out []string
	if len(phases) < 2 || phases[0] != 0 || phases[len(phases)-1] != 100 {
		out = append(out, fmt.Sprintf("cutover:phases %v must start at 0 and end at 100", phases))
	}
	for i := 1; i < len(phases); i++ {
		if phases[i] <= phases[i-1] {
			out = append(out, fmt.Sprintf("cutover:phases %v must be strictly increasing (%d after %d)", phases, phases[i], phases[i-1]))
			break
		}
	}
	return out
}

// MIG-03, attached to the aws record so that a stack reports it once.
func checkPhaseOnLadder(e *env, r policyx.AnalyzerResource) []string {
	if id, _ := setID(r.Properties); id != setIdentifierAWS {
		return nil
	}
	phases := e.cfg.phases()
	out := ladderProblems(phases)
	if p := e.cfg.AWSTrafficPercent; p != nil && !slices.Contains(phases, *p) {
		out = append(out, fmt.Sprintf("cutover:awsTrafficPercent %d is not a rung of the ladder %v", *p, phases))
	}
	return out
}

// MIG-04.
func checkRecordTypeAndTTL(e *env, g *graph) []finding {
	var out []finding
	belowFull := e.cfg.AWSTrafficPercent == nil || *e.cfg.AWSTrafficPercent < 100
	var firstTTL *node
	for _, r := range g.apiRecords(e) {
		if t := r.get("type"); !t.IsComputed() {
			if s, _ := str(t); s != "CNAME" {
				out = append(out, finding{r.URN, fmt.Sprintf("record %q has type %s; both members point at host names (Heroku's DNS target, the load balancer), so both are CNAME", r.Name, render(t))})
			}
		}
		ttl := r.get("ttl")
		if ttl.IsComputed() {
			continue
		}
		n, ok := num(ttl)
		if !ok {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q sets no ttl; the weighted members need one, equal on both", r.Name)})
			continue
		}
		if firstTTL == nil {
			firstTTL = r
		} else if first, _ := num(firstTTL.get("ttl")); first != n {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q has ttl %v but %q has %v: members of a weighted set must use the same TTL", r.Name, n, firstTTL.Name, first)})
		}
		if belowFull && n > maxWeightedTTLBelowFull {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q has ttl %v while cutover:awsTrafficPercent is %s (below 100): at most %d keeps a rollback within one TTL",
				r.Name, n, e.cfg.describePercent(), maxWeightedTTLBelowFull)})
		}
	}
	return out
}

// healthCheckProblems: the MIG-05 requirements on one health check.
func healthCheckProblems(h *node, weightedName, otherTarget string) []string {
	var out []string
	if t := h.get("type"); !t.IsComputed() {
		if s, _ := str(t); s != "HTTPS" && s != "HTTPS_STR_MATCH" {
			out = append(out, fmt.Sprintf("type is %s, not HTTPS", render(t)))
		}
	}
	if p := h.get("resourcePath"); !p.IsComputed() {
		if s, _ := str(p); s == "" {
			out = append(out, fmt.Sprintf("resourcePath is %s; probe the health path", render(p)))
		}
	}
	if n, ok := num(h.get("failureThreshold")); ok && n > maxHealthFailureThreshold {
		out = append(out, fmt.Sprintf("failureThreshold is %v; at most %d", n, maxHealthFailureThreshold))
	}
	if n, ok := num(h.get("requestInterval")); ok && n != 10 && n != 30 {
		out = append(out, fmt.Sprintf("requestInterval is %v; Route53 allows 10 or 30", n))
	}
	fqdn := h.get("fqdn")
	if fqdn.IsComputed() {
		return out
	}
	s, _ := str(fqdn)
	switch {
	case s == "":
		out = append(out, "fqdn is absent: aim it at its own side's host name")
	case weightedName != "" && normalizeHost(s) == normalizeHost(weightedName):
		out = append(out, fmt.Sprintf("fqdn %q is the weighted name itself: it would probe whichever side DNS picks", s))
	case otherTarget != "" && normalizeHost(s) == normalizeHost(otherTarget):
		out = append(out, fmt.Sprintf("fqdn %q is the other side's host", s))
	}
	return out
}

// MIG-05.
func checkHealthChecks(e *env, g *graph) []finding {
	var out []finding
	recs := g.apiRecords(e)
	targets := map[string]string{}
	for _, r := range recs {
		id, _ := setID(r.Properties)
		if t, ok := str(r.get("records", 0)); ok {
			targets[id] = t
		}
	}
	usedBy := map[*node]*node{}
	for _, r := range recs {
		id, _ := setID(r.Properties)
		hc := r.get("healthCheckId")
		if hc.IsNull() && len(r.PropertyDependencies["healthCheckId"]) == 0 {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q (set identifier %q) has no health check: Route53 would keep sending its share to a side that is down", r.Name, id)})
			continue
		}
		l := g.ref(r, "healthCheckId", typeHealthCheck)
		if len(l.targets) != 1 {
			continue
		}
		h := l.targets[0]
		if other, ok := usedBy[h]; ok {
			out = append(out, finding{r.URN, fmt.Sprintf("record %q shares health check %q with record %q: each side needs its own", r.Name, h.Name, other.Name)})
			continue
		}
		usedBy[h] = r
		weightedName := e.cfg.APIHostname
		if weightedName == "" {
			weightedName, _ = str(r.get("name"))
		}
		other := setIdentifierHeroku
		if id == setIdentifierHeroku {
			other = setIdentifierAWS
		}
		if problems := healthCheckProblems(h, weightedName, targets[other]); len(problems) > 0 {
			out = append(out, finding{h.URN, fmt.Sprintf("health check %q of record %q (set identifier %q): %s", h.Name, r.Name, id, strings.Join(problems, "; "))})
		}
	}
	return out
}

// MIG-06.
func checkHerokuFailback(e *env, g *graph) []finding {
	if e.cfg.AWSTrafficPercent == nil || *e.cfg.AWSTrafficPercent != 100 {
		return nil
	}
	recs := g.apiRecords(e)
	for _, r := range recs {
		if id, _ := setID(r.Properties); id == setIdentifierHeroku {
			return nil
		}
	}
	where := ""
	if len(recs) > 0 {
		where = recs[0].URN
	}
	return []finding{{where, "at 100 percent the Heroku record is gone: keep it at weight 0 (with its health check) as the failback target until Heroku is decommissioned"}}
}

// MIG-07 (the part the engine sees: protect).
func checkProtected(e *env, r policyx.AnalyzerResource) []string {
	if r.Options.Protect {
		return nil
	}
	switch r.Type {
	case typeEip:
		return []string{fmt.Sprintf("egress Elastic IP %q is not protected: customers allow-list its address, and a delete or replace would change it for good", r.Name)}
	case typeVpc, typeEksCluster:
		if e.cfg.isProduction(r.URN) {
			return []string{fmt.Sprintf("%s %q is not protected in production: a delete or replace would take the platform down", kindOf(r.Type), r.Name)}
		}
	}
	return nil
}

// MIG-08.
func checkNATAllocation(e *env, g *graph) []finding {
	var out []finding
	for _, nat := range sortedNodes(g.ofType(typeNatGateway)) {
		if !isPublicNAT(nat) {
			continue
		}
		l := g.ref(nat, "allocationId", typeEip)
		if l.absent {
			out = append(out, finding{nat.URN, fmt.Sprintf("NAT gateway %q has no allocationId: AWS would give it an address nobody allow-listed", nat.Name)})
			continue
		}
		// While IDs are unknown the allocation may come through an output that depends on several
		// EIPs (a map of allocation IDs by zone); then every one of them must be protected.
		eips := sortedNodes(l.targets)
		for _, eip := range eips {
			if eip.Options.Protect {
				continue
			}
			if len(eips) == 1 {
				out = append(out, finding{nat.URN, fmt.Sprintf("NAT gateway %q uses Elastic IP %q, which is not protected", nat.Name, eip.Name)})
			} else {
				out = append(out, finding{nat.URN, fmt.Sprintf("NAT gateway %q takes its allocationId from one of %d Elastic IPs, and %q among them is not protected", nat.Name, len(eips), eip.Name)})
			}
		}
		for _, id := range l.foreign {
			if !slices.Contains(e.cfg.AdoptedAllocationIDs, id) {
				out = append(out, finding{nat.URN, fmt.Sprintf("NAT gateway %q uses allocationId %q, which is neither an Elastic IP of this stack nor listed in cutover:egressIpAllocationIds", nat.Name, id)})
			}
		}
	}
	return out
}

// MIG-09.
func checkNoDeleteBeforeReplace(_ *env, r policyx.AnalyzerResource) []string {
	if !r.Options.DeleteBeforeReplace {
		return nil
	}
	return []string{fmt.Sprintf("%s %q sets deleteBeforeReplace: a replacement would first delete it, leaving a gap (lost egress IP, NAT, DNS answer or cluster)", kindOf(r.Type), r.Name)}
}

// MIG-11.
func checkAPIReady(e *env, g *graph) []finding {
	if !e.cfg.mayCarryTraffic() {
		return nil
	}
	ws := g.workloads()
	api, undecided := g.apiWorkloads(e, ws)
	phase := fmt.Sprintf("with cutover:awsTrafficPercent %s", e.cfg.describePercent())
	if len(api) == 0 && !undecided {
		return []finding{{"", fmt.Sprintf("%s no Deployment of the public service %q is in the stack", phase, e.cfg.PublicService)}}
	}
	var out []finding
	for _, w := range api {
		var msgs []string
		msgs = append(msgs, readinessViolations(w.n.Name, w.decl)...)
		msgs = append(msgs, g.replicaViolations(w, true)...)
		msgs = append(msgs, rollingUpdateViolations(w.n.Name, w.decl, true)...)
		for _, f := range g.pdbViolations(w) {
			msgs = append(msgs, f.message)
		}
		if hpas, undecided := g.hpasFor(w); len(hpas) == 0 && !undecided {
			msgs = append(msgs, fmt.Sprintf("deployment %q has no HorizontalPodAutoscaler to absorb the traffic shifted to AWS", w.n.Name))
		}
		for _, m := range msgs {
			out = append(out, finding{w.n.URN, phase + ": " + m})
		}
	}
	return out
}
