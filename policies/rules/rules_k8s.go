package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// container is one container of a pod template, with a label for messages.
type container struct {
	label string
	v     property.Value
}

// containers returns the regular and init containers of a Deployment's pod template. unknown is
// true when a container list itself is unknown.
func containers(deploy property.Map, kinds ...string) (out []container, unknown bool) {
	if len(kinds) == 0 {
		kinds = []string{"containers", "initContainers"}
	}
	for _, kind := range kinds {
		list := lookup(deploy, "spec", "template", "spec", kind)
		if list.IsComputed() {
			unknown = true
			continue
		}
		for i, c := range elems(list) {
			name, ok := str(at(c, "name"))
			if !ok {
				name = strconv.Itoa(i)
			}
			out = append(out, container{label: fmt.Sprintf("%s %q", strings.TrimSuffix(kind, "s"), name), v: c})
		}
	}
	return out, unknown
}

// readinessViolations: K8S-01 on a Deployment's declared properties.
func readinessViolations(name string, deploy property.Map) []string {
	var out []string
	cs, _ := containers(deploy, "containers")
	for _, c := range cs {
		if at(c.v, "readinessProbe").IsNull() {
			out = append(out, fmt.Sprintf("deployment %q %s has no readinessProbe: it would receive traffic before it can serve", name, c.label))
		}
	}
	return out
}

// K8S-01.
func checkReadinessProbe(_ *env, r policyx.AnalyzerResource) []string {
	return readinessViolations(r.Name, r.Properties)
}

// K8S-02.
func checkResources(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	cs, _ := containers(r.Properties)
	for _, c := range cs {
		var missing []string
		for _, path := range [][]any{{"requests", "cpu"}, {"requests", "memory"}, {"limits", "memory"}} {
			if at(c.v, append([]any{"resources"}, path...)...).IsNull() {
				missing = append(missing, fmt.Sprintf("resources.%s.%s", path[0], path[1]))
			}
		}
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("deployment %q %s sets no %s: the scheduler cannot place it safely and a leak could take the node down",
				r.Name, c.label, strings.Join(missing, ", ")))
		}
	}
	return out
}

// imagePinned reports whether an image reference names a digest or a tag other than latest.
func imagePinned(image string) (bool, string) {
	if strings.Contains(image, "@sha256:") {
		return true, ""
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, hasTag := strings.Cut(last, ":")
	switch {
	case !hasTag || tag == "":
		return false, "has no tag (Kubernetes pulls latest)"
	case tag == "latest":
		return false, "uses the latest tag"
	}
	return true, ""
}

// K8S-03.
func checkImagePinned(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	cs, _ := containers(r.Properties)
	for _, c := range cs {
		image := at(c.v, "image")
		if image.IsComputed() {
			continue
		}
		s, _ := str(image)
		if ok, why := imagePinned(s); !ok {
			out = append(out, fmt.Sprintf("deployment %q %s image %q %s: pin a version tag or digest so a restart cannot change the code", r.Name, c.label, s, why))
		}
	}
	return out
}

// isZero reports an IntOrString that is 0 or "0%".
func isZero(v property.Value) bool {
	if n, ok := num(v); ok {
		return n == 0
	}
	s, _ := str(v)
	return strings.TrimSpace(s) == "0%"
}

// rollingUpdateViolations: K8S-05 on a Deployment's declared properties.
func rollingUpdateViolations(name string, deploy property.Map, api bool) []string {
	var out []string
	strategy := lookup(deploy, "spec", "strategy", "type")
	if s, ok := str(strategy); ok && s != "RollingUpdate" {
		out = append(out, fmt.Sprintf("deployment %q uses strategy %q: every rollout would stop all pods at once; use RollingUpdate", name, s))
		return out
	}
	if !api {
		return out
	}
	maxUnavailable := lookup(deploy, "spec", "strategy", "rollingUpdate", "maxUnavailable")
	if !maxUnavailable.IsComputed() && !isZero(maxUnavailable) {
		out = append(out, fmt.Sprintf("API deployment %q has rollingUpdate.maxUnavailable %s (Kubernetes default 25%%): a rollout would drop serving capacity; set 0",
			name, render(maxUnavailable)))
	}
	maxSurge := lookup(deploy, "spec", "strategy", "rollingUpdate", "maxSurge")
	if !maxSurge.IsNull() && !maxSurge.IsComputed() && isZero(maxSurge) {
		out = append(out, fmt.Sprintf("API deployment %q has rollingUpdate.maxSurge %s: with maxUnavailable 0 a rollout could never start; set at least 1", name, render(maxSurge)))
	}
	return out
}

// matchesPublicService reports whether a Deployment belongs to the public service of the config:
// by its Kubernetes name or its app labels (the service component names both after the service).
func matchesPublicService(e *env, deploy property.Map) bool {
	svc := e.cfg.PublicService
	if svc == "" {
		return false
	}
	if s, _ := str(lookup(deploy, "metadata", "name")); s == svc {
		return true
	}
	for _, key := range []string{"app.kubernetes.io/name", "app"} {
		if s, _ := str(lookup(deploy, "metadata", "labels", key)); s == svc {
			return true
		}
	}
	return false
}

// K8S-05. Without a public service in the config every Deployment is held to the API's rule.
func checkRollingUpdate(e *env, r policyx.AnalyzerResource) []string {
	api := e.cfg.PublicService == "" || matchesPublicService(e, r.Properties)
	return rollingUpdateViolations(r.Name, r.Properties, api)
}

// K8S-09.
func checkSecurityContext(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	pod := lookup(r.Properties, "spec", "template", "spec")
	if on, ok := boolean(at(pod, "hostNetwork")); ok && on {
		out = append(out, fmt.Sprintf("deployment %q sets hostNetwork: its pods would share the node's network namespace", r.Name))
	}
	podNonRoot := at(pod, "securityContext", "runAsNonRoot")
	cs, _ := containers(r.Properties)
	for _, c := range cs {
		sc := at(c.v, "securityContext")
		if sc.IsComputed() {
			continue
		}
		var problems []string
		nonRoot := at(sc, "runAsNonRoot")
		if nonRoot.IsNull() {
			nonRoot = podNonRoot
		}
		if on, ok := boolean(nonRoot); !nonRoot.IsComputed() && (!ok || !on) {
			problems = append(problems, fmt.Sprintf("runAsNonRoot is %s", render(nonRoot)))
		}
		ape := at(sc, "allowPrivilegeEscalation")
		if on, ok := boolean(ape); !ape.IsComputed() && (!ok || on) {
			problems = append(problems, fmt.Sprintf("allowPrivilegeEscalation is %s (Kubernetes default true)", render(ape)))
		}
		drop := at(sc, "capabilities", "drop")
		if caps, unknown := strList(drop); !unknown && !slices.ContainsFunc(caps, func(c string) bool { return strings.EqualFold(c, "ALL") }) {
			problems = append(problems, fmt.Sprintf("capabilities.drop is %s, without ALL", render(drop)))
		}
		if on, ok := boolean(at(sc, "privileged")); ok && on {
			problems = append(problems, "privileged is true")
		}
		if len(problems) > 0 {
			out = append(out, fmt.Sprintf("deployment %q %s: %s", r.Name, c.label, strings.Join(problems, "; ")))
		}
	}
	return out
}

// K8S-10.
func checkNoSkipAwait(_ *env, r policyx.AnalyzerResource) []string {
	v := lookup(r.Properties, "metadata", "annotations", skipAwaitAnnotation)
	if s, ok := str(v); ok && strings.EqualFold(strings.TrimSpace(s), "true") {
		return []string{fmt.Sprintf("%s %q has annotation %s=%q: Pulumi would not wait for it to become ready, so an up could report success while the workload is down",
			kindOf(r.Type), r.Name, skipAwaitAnnotation, s)}
	}
	return nil
}

func kindOf(typ string) string {
	return strings.ToLower(typ[strings.LastIndex(typ, ":")+1:])
}

// K8S-11.
func checkServiceClusterIP(_ *env, r policyx.AnalyzerResource) []string {
	t := lookup(r.Properties, "spec", "type")
	if s, ok := str(t); ok && (s == "LoadBalancer" || s == "NodePort") {
		return []string{fmt.Sprintf("service %q is of type %s: it is reachable from outside the cluster; use ClusterIP unless a waiver says why", r.Name, s)}
	}
	return nil
}

// ---- stack-level Kubernetes rules ----

// workload is a Deployment as the stack policies see it.
type workload struct {
	n        *node
	decl     property.Map // what the program declared
	ns       string
	nsKnown  bool
	name     string // Kubernetes name ("" when unknown)
	labels   map[string]string
	labelsOK bool
}

func namespaceOf(n *node, decl property.Map) (string, bool) {
	for _, m := range []property.Map{decl, n.Properties} {
		v := lookup(m, "metadata", "namespace")
		if v.IsComputed() {
			continue
		}
		if s, ok := str(v); ok && s != "" {
			return s, true
		}
	}
	// Absent in both: the provider's default namespace, the same for every such resource.
	if lookup(decl, "metadata", "namespace").IsComputed() {
		return "", false
	}
	return defaultNamespaceK8s, true
}

// k8sName prefers the live name (auto-named resources only get one from the provider).
func k8sName(n *node, decl property.Map) string {
	for _, m := range []property.Map{n.Properties, decl} {
		if s, ok := str(lookup(m, "metadata", "name")); ok && s != "" {
			return s
		}
	}
	return ""
}

func (g *graph) workloads() []*workload {
	var out []*workload
	for _, n := range sortedNodes(g.ofType(typeDeployment)) {
		decl := n.declared()
		ns, nsKnown := namespaceOf(n, decl)
		labels, unknown := strMap(lookup(decl, "spec", "template", "metadata", "labels"))
		out = append(out, &workload{n: n, decl: decl, ns: ns, nsKnown: nsKnown, name: k8sName(n, decl), labels: labels, labelsOK: !unknown})
	}
	return out
}

// tri is a three-valued answer for matches that may depend on unknown values.
type tri int

const (
	no tri = iota
	yes
	maybe
)

// labelSelector is a parsed {matchLabels, matchExpressions} selector (an empty one selects
// everything). Parsed once per resource: matching it against every workload is then map lookups.
type labelSelector struct {
	unknown     bool
	matchLabels map[string]string
	exprs       []selectorExpr
}

type selectorExpr struct {
	key, op string
	values  []string
}

func parseSelector(selector property.Value) labelSelector {
	if selector.IsComputed() || selector.HasComputed() {
		return labelSelector{unknown: true}
	}
	ml, _ := strMap(at(selector, "matchLabels"))
	sel := labelSelector{matchLabels: ml}
	for _, expr := range elems(at(selector, "matchExpressions")) {
		key, _ := str(at(expr, "key"))
		op, _ := str(at(expr, "operator"))
		values, _ := strList(at(expr, "values"))
		sel.exprs = append(sel.exprs, selectorExpr{key: key, op: op, values: values})
	}
	return sel
}

// selects evaluates a label selector against pod labels.
func selects(selector property.Value, labels map[string]string, labelsOK bool) tri {
	return parseSelector(selector).selects(labels, labelsOK)
}

func (s labelSelector) selects(labels map[string]string, labelsOK bool) tri {
	if s.unknown {
		return maybe
	}
	result := yes
	for k, v := range s.matchLabels {
		if got, ok := labels[k]; !ok || got != v {
			result = no
		}
	}
	for _, e := range s.exprs {
		got, has := labels[e.key]
		ok := true
		switch e.op {
		case "In":
			ok = has && slices.Contains(e.values, got)
		case "NotIn":
			ok = !has || !slices.Contains(e.values, got)
		case "Exists":
			ok = has
		case "DoesNotExist":
			ok = !has
		}
		if !ok {
			result = no
		}
	}
	if result == no && !labelsOK {
		return maybe
	}
	return result
}

// selectorOf returns the label selector of a PDB or NetworkPolicy, or a Service's plain selector
// map wrapped as matchLabels.
func selectorOf(n *node) property.Value {
	decl := n.declared()
	switch n.Type {
	case typePDB:
		return lookup(decl, "spec", "selector")
	case typeNetworkPolicy:
		return lookup(decl, "spec", "podSelector")
	case typeService:
		sel := lookup(decl, "spec", "selector")
		if sel.IsComputed() {
			return sel
		}
		return property.New(map[string]property.Value{"matchLabels": sel})
	}
	return property.Value{}
}

// sameNamespace compares namespaces, answering maybe when either is unknown.
func sameNamespace(w *workload, n *node) tri {
	ns, ok := namespaceOf(n, n.declared())
	if !ok || !w.nsKnown {
		return maybe
	}
	if ns == w.ns {
		return yes
	}
	return no
}

// selectorCandidate is a resource with a selector, with its namespace and selector parsed once.
type selectorCandidate struct {
	node     *node
	ns       string
	nsOK     bool
	selector labelSelector
}

// selectorsOf returns the resources of typ with their namespaces and selectors, parsed on first use.
func (g *graph) selectorsOf(typ string) []selectorCandidate {
	if cached, ok := g.selectorCache[typ]; ok {
		return cached
	}
	var out []selectorCandidate
	for _, n := range g.ofType(typ) {
		ns, ok := namespaceOf(n, n.declared())
		out = append(out, selectorCandidate{node: n, ns: ns, nsOK: ok, selector: parseSelector(selectorOf(n))})
	}
	if g.selectorCache == nil {
		g.selectorCache = map[string][]selectorCandidate{}
	}
	g.selectorCache[typ] = out
	return out
}

// covering returns the resources of typ in the workload's namespace whose selector picks its pods,
// and whether some could not be decided.
func (g *graph) covering(w *workload, typ string, keep func(*node) bool) (found []*node, undecided bool) {
	for _, c := range g.selectorsOf(typ) {
		n := c.node
		if keep != nil && !keep(n) {
			continue
		}
		ns := maybe
		if c.nsOK && w.nsKnown {
			ns = no
			if c.ns == w.ns {
				ns = yes
			}
		}
		sel := c.selector.selects(w.labels, w.labelsOK)
		switch {
		case ns == no || sel == no:
		case ns == yes && sel == yes:
			found = append(found, n)
		default:
			undecided = true
		}
	}
	return found, undecided
}

// hpasFor returns the HPAs scaling w: by kind, name and namespace, or, when the name is unknown,
// by the dependency the engine recorded.
func (g *graph) hpasFor(w *workload) (found []*node, undecided bool) {
	for _, h := range g.ofType(typeHPA) {
		switch g.hpaTargets(h, w) {
		case yes:
			found = append(found, h)
		case maybe:
			undecided = true
		}
	}
	return found, undecided
}

func (g *graph) hpaTargets(h *node, w *workload) tri {
	decl := h.declared()
	if kind, ok := str(lookup(decl, "spec", "scaleTargetRef", "kind")); ok && kind != "Deployment" {
		return no
	}
	if sameNamespace(w, h) == no {
		return no
	}
	nameV := lookup(decl, "spec", "scaleTargetRef", "name")
	if name, ok := str(nameV); ok && w.name != "" {
		if name == w.name {
			return yes
		}
		return no
	}
	deps := slices.Clone(h.PropertyDependencies["spec"])
	for _, d := range nameV.Dependencies() {
		deps = append(deps, string(d))
	}
	if slices.Contains(deps, w.n.URN) {
		return yes
	}
	return maybe
}

// replicaFloor is the fewest pods the workload runs: the HPA's minReplicas when an HPA scales it,
// else spec.replicas (Kubernetes default 1).
func (g *graph) replicaFloor(w *workload) (floor float64, source string, known bool) {
	hpas, _ := g.hpasFor(w)
	if len(hpas) > 0 {
		v := lookup(hpas[0].declared(), "spec", "minReplicas")
		if v.IsComputed() {
			return 0, "", false
		}
		if n, ok := num(v); ok {
			return n, fmt.Sprintf("HPA %q minReplicas", hpas[0].Name), true
		}
		return 1, fmt.Sprintf("HPA %q minReplicas (absent, default 1)", hpas[0].Name), true
	}
	v := lookup(w.decl, "spec", "replicas")
	if v.IsComputed() {
		return 0, "", false
	}
	if n, ok := num(v); ok {
		return n, "spec.replicas", true
	}
	return 1, "spec.replicas (absent, default 1)", true
}

// apiWorkloads are the Deployments of the public API: those the config names, plus those a
// LoadBalancer Service exposes. undecided is true when none was found but some Deployment's name
// or labels are unknown, so it might be the API.
func (g *graph) apiWorkloads(e *env, ws []*workload) (api []*workload, undecided bool) {
	var out []*workload
	lbs := slices.DeleteFunc(slices.Clone(g.ofType(typeService)), func(s *node) bool {
		t, _ := str(lookup(s.declared(), "spec", "type"))
		return t != "LoadBalancer"
	})
	for _, w := range ws {
		api := matchesPublicService(e, w.decl)
		for _, lb := range lbs {
			if sameNamespace(w, lb) == yes && selects(selectorOf(lb), w.labels, w.labelsOK) == yes {
				api = true
			}
		}
		if api {
			out = append(out, w)
		}
	}
	if len(out) > 0 {
		return out, false
	}
	if e.cfg.PublicService == "" {
		return ws, false // nothing says which one is the API: hold every workload to its rules
	}
	for _, w := range ws {
		if lookup(w.decl, "metadata").HasComputed() || !w.labelsOK {
			return nil, true
		}
	}
	return nil, false
}

// zoneSpread reports whether the pod template spreads pods across zones, by a topology spread
// constraint or pod anti-affinity on the zone key.
func zoneSpread(decl property.Map) tri {
	pod := lookup(decl, "spec", "template", "spec")
	isZone := func(v property.Value) bool {
		k, _ := str(v)
		return k == zoneTopologyKey || k == legacyZoneTopologyKey
	}
	constraints := at(pod, "topologySpreadConstraints")
	antiAffinity := at(pod, "affinity", "podAntiAffinity")
	for _, c := range elems(constraints) {
		if isZone(at(c, "topologyKey")) {
			return yes
		}
	}
	for _, t := range elems(at(antiAffinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
		if isZone(at(t, "topologyKey")) {
			return yes
		}
	}
	for _, t := range elems(at(antiAffinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
		if isZone(at(t, "podAffinityTerm", "topologyKey")) {
			return yes
		}
	}
	if constraints.HasComputed() || antiAffinity.HasComputed() {
		return maybe
	}
	return no
}

// replicaViolations: K8S-04 for one workload.
func (g *graph) replicaViolations(w *workload, api bool) []string {
	var out []string
	want, role := 2.0, "a workload"
	if api {
		want, role = 3, "the API"
	}
	if floor, source, ok := g.replicaFloor(w); ok && floor < want {
		out = append(out, fmt.Sprintf("deployment %q runs as few as %v pod(s) (%s); %s needs at least %v so one zone or node can fail",
			w.n.Name, floor, source, role, want))
	}
	if zoneSpread(w.decl) == no {
		out = append(out, fmt.Sprintf("deployment %q does not spread its pods across zones: add a topologySpreadConstraint (or pod anti-affinity) on %s",
			w.n.Name, zoneTopologyKey))
	}
	return out
}

// K8S-04.
func checkReplicasAndSpread(e *env, g *graph) []finding {
	ws := g.workloads()
	api, _ := g.apiWorkloads(e, ws)
	var out []finding
	for _, w := range ws {
		for _, msg := range g.replicaViolations(w, slices.Contains(api, w)) {
			out = append(out, finding{w.n.URN, msg})
		}
	}
	return out
}

// pdbBlocks explains why a PDB would never allow an eviction, or returns "".
func pdbBlocks(pdb *node, floor float64, floorKnown bool) string {
	decl := pdb.declared()
	minAvailable := lookup(decl, "spec", "minAvailable")
	maxUnavailable := lookup(decl, "spec", "maxUnavailable")
	switch {
	case minAvailable.IsComputed() || maxUnavailable.IsComputed():
		return ""
	case !maxUnavailable.IsNull():
		if isZero(maxUnavailable) {
			return fmt.Sprintf("maxUnavailable is %s", render(maxUnavailable))
		}
	case !minAvailable.IsNull():
		if n, ok := num(minAvailable); ok && floorKnown && n >= floor {
			return fmt.Sprintf("minAvailable %v is not below the %v pod(s) the workload may run", n, floor)
		}
		if s, ok := str(minAvailable); ok && strings.HasSuffix(s, "%") {
			pct, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
			// Kubernetes rounds a minAvailable percentage up.
			if err == nil && (pct >= 100 || floorKnown && math.Ceil(floor*pct/100) >= floor) {
				return fmt.Sprintf("minAvailable %s of %v pod(s) leaves none to evict", s, floor)
			}
		}
	default:
		return "it sets neither minAvailable nor maxUnavailable"
	}
	return ""
}

// pdbViolations: K8S-06 for one workload.
func (g *graph) pdbViolations(w *workload) []finding {
	pdbs, undecided := g.covering(w, typePDB, nil)
	if len(pdbs) == 0 {
		if undecided {
			return nil
		}
		return []finding{{w.n.URN, fmt.Sprintf("deployment %q has no PodDisruptionBudget: a node drain during an EKS or node group upgrade could evict all its pods at once", w.n.Name)}}
	}
	floor, _, known := g.replicaFloor(w)
	var out []finding
	for _, pdb := range pdbs {
		if why := pdbBlocks(pdb, floor, known); why != "" {
			out = append(out, finding{pdb.URN, fmt.Sprintf("PodDisruptionBudget %q of deployment %q blocks every eviction (%s): node drains and upgrades would hang", pdb.Name, w.n.Name, why)})
		}
	}
	return out
}

// K8S-06.
func checkPDB(_ *env, g *graph) []finding {
	var out []finding
	for _, w := range g.workloads() {
		out = append(out, g.pdbViolations(w)...)
	}
	return out
}

// K8S-07.
func checkHPATarget(_ *env, g *graph) []finding {
	var out []finding
	ws := g.workloads()
	for _, h := range g.ofType(typeHPA) {
		decl := h.declared()
		ref := lookup(decl, "spec", "scaleTargetRef")
		if kind, ok := str(at(ref, "kind")); ok && kind != "Deployment" {
			out = append(out, finding{h.URN, fmt.Sprintf("HPA %q scales a %s (%s); the platform's workloads are Deployments", h.Name, kind, render(ref))})
			continue
		}
		var targets []*workload
		undecided := false
		for _, w := range ws {
			switch g.hpaTargets(h, w) {
			case yes:
				targets = append(targets, w)
			case maybe:
				undecided = true
			}
		}
		if len(targets) == 0 && !undecided {
			out = append(out, finding{h.URN, fmt.Sprintf("HPA %q targets %s, which is no Deployment of this stack", h.Name, render(ref))})
		}
		for _, w := range targets {
			// An unknown spec cannot tell; a known spec with an unknown replicas does set it.
			replicas := lookup(w.decl, "spec", "replicas")
			if lookup(w.decl, "spec").IsComputed() || replicas.IsNull() || slices.Contains(w.n.Options.IgnoreChanges, "spec.replicas") {
				continue
			}
			out = append(out, finding{w.n.URN, fmt.Sprintf("deployment %q pins spec.replicas to %s while HPA %q scales it: every update would reset the HPA's count; leave replicas unset (or ignore changes to spec.replicas)",
				w.n.Name, render(replicas), h.Name)})
		}
	}
	return out
}

// isDefaultDeny: a NetworkPolicy selecting every pod with Ingress in its types and no ingress rule.
func isDefaultDeny(n *node) bool {
	decl := n.declared()
	sel := lookup(decl, "spec", "podSelector")
	if sel.IsComputed() {
		return false
	}
	ml, _ := strMap(at(sel, "matchLabels"))
	if len(ml) > 0 || len(elems(at(sel, "matchExpressions"))) > 0 {
		return false
	}
	types, _ := strList(lookup(decl, "spec", "policyTypes"))
	ingress := lookup(decl, "spec", "ingress")
	hasIngressType := slices.Contains(types, "Ingress") || len(types) == 0
	return hasIngressType && len(elems(ingress)) == 0
}

// K8S-08.
func checkNetworkPolicies(_ *env, g *graph) []finding {
	var out []finding
	policies := g.ofType(typeNetworkPolicy)
	reported := map[string]bool{}
	for _, w := range g.workloads() {
		if !w.nsKnown {
			continue
		}
		if !reported[w.ns] {
			reported[w.ns] = true
			hasDeny, undecided := false, false
			for _, p := range policies {
				ns, ok := namespaceOf(p, p.declared())
				undecided = undecided || !ok
				hasDeny = hasDeny || (ok && ns == w.ns && isDefaultDeny(p))
			}
			if !hasDeny && !undecided {
				out = append(out, finding{w.n.URN, fmt.Sprintf("namespace %q has no default-deny NetworkPolicy (empty podSelector, policyType Ingress, no rules): pods there accept traffic from anywhere in the cluster", w.ns)})
			}
		}
		selected, undecided := g.covering(w, typeNetworkPolicy, func(n *node) bool { return !isDefaultDeny(n) })
		if len(selected) == 0 && !undecided {
			out = append(out, finding{w.n.URN, fmt.Sprintf("deployment %q is selected by no NetworkPolicy of its own: say which peers may reach it", w.n.Name)})
		}
	}
	return out
}
