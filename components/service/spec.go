package service

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Label keys and values shared by every object this package creates.
const (
	labelName   = "app.kubernetes.io/name"
	labelPartOf = "app.kubernetes.io/part-of"
	partOf      = "cutover"

	// labelNamespaceName is set by Kubernetes (1.21+) on every namespace; it
	// lets a NetworkPolicy select a namespace by name without extra labels.
	labelNamespaceName = "kubernetes.io/metadata.name"

	annotationSafeToEvict = "cluster-autoscaler.kubernetes.io/safe-to-evict"

	portName     = "http"
	tmpVolume    = "tmp"
	tmpMountPath = "/tmp"
	// tmpSizeLimit caps the scratch emptyDir so a runaway writer is evicted
	// instead of filling the node's disk.
	tmpSizeLimit = "1Gi"
)

// Timing of the public API's shutdown. When a pod starts terminating the AWS
// Load Balancer Controller deregisters its IP from the NLB target group, but
// the NLB keeps routing new connections to it for a while. The preStop sleep
// keeps the pod serving through that window; the deregistration delay bounds
// how long in-flight connections drain; the grace period covers both plus the
// application's own shutdown.
const (
	publicPreStopSleepSeconds       = 40
	publicDeregistrationDelay       = 30
	publicTerminationGraceSeconds   = publicPreStopSleepSeconds + publicDeregistrationDelay
	internalTerminationGraceSeconds = 30
)

// Probe timing: readiness reacts fast so a bad pod leaves the endpoints
// quickly; liveness waits longer so a slow start is not killed in a loop.
const (
	readinessInitialDelaySeconds = 5
	readinessPeriodSeconds       = 5
	livenessInitialDelaySeconds  = 30
	livenessPeriodSeconds        = 10
	probeTimeoutSeconds          = 2
	probeFailureThreshold        = 3
)

// pdbMaxUnavailable lets a node drain evict one pod of a service at a time. A
// maxUnavailable (rather than a minAvailable) budget can never block every
// eviction, whatever the HPA has scaled the Deployment to.
const pdbMaxUnavailable = 1

// labels returns the labels put on every object of a service.
func labels(service string) map[string]string {
	return map[string]string{labelName: service, labelPartOf: partOf}
}

// selectorLabels is the stable subset used in selectors; it must never change
// for an existing Deployment (selectors are immutable).
func selectorLabels(service string) map[string]string {
	return map[string]string{labelName: service}
}

// rollout is a Deployment RollingUpdate strategy. Values are either an int or
// a percentage string, as Kubernetes' IntOrString.
type rollout struct {
	MaxUnavailable any
	MaxSurge       any
}

// rolloutStrategy chooses the RollingUpdate parameters. The public API never
// drops below its current ready count during a rollout (maxUnavailable 0) and
// adds one pod at a time, so NLB capacity never shrinks while traffic is being
// shifted to AWS. Internal services use Kubernetes' own defaults spelled out:
// 25% surge rounds up, so at least one new pod is always started first.
func rolloutStrategy(public bool) rollout {
	if public {
		return rollout{MaxUnavailable: 0, MaxSurge: 1}
	}
	return rollout{MaxUnavailable: "25%", MaxSurge: "25%"}
}

// envVar is one container environment variable.
type envVar struct{ Name, Value string }

// sortedEnv turns the env map into a list ordered by name, so the rendered
// Deployment (and its diff) is stable between runs.
func sortedEnv(env map[string]string) []envVar {
	names := make([]string, 0, len(env))
	for k := range env {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]envVar, 0, len(names))
	for _, k := range names {
		out = append(out, envVar{Name: k, Value: env[k]})
	}
	return out
}

// loadBalancerAnnotations are the AWS Load Balancer Controller annotations of
// the public API Service: an internet-facing NLB with IP targets (pods are
// registered directly, no node hop), TLS terminated on 443, plain TCP to the
// pods, and an HTTP health check on the service's health path. The
// certificate annotation (annotationSSLCert) is added by the caller because
// its value is an output of the certificate validation.
//
// Client IP preservation is switched on explicitly: for IP targets behind a
// TCP target group AWS leaves it off by default, and the NetworkPolicy of the
// public API (ipBlock 0.0.0.0/0) and the application's logs both expect the
// real client address.
func loadBalancerAnnotations(healthPath string) map[string]string {
	const p = "service.beta.kubernetes.io/aws-load-balancer-"
	return map[string]string{
		p + "type":                            "external",
		p + "nlb-target-type":                 "ip",
		p + "scheme":                          "internet-facing",
		p + "ssl-ports":                       "443",
		p + "backend-protocol":                "tcp",
		p + "healthcheck-protocol":            "http",
		p + "healthcheck-port":                "traffic-port",
		p + "healthcheck-path":                healthPath,
		p + "healthcheck-interval":            "10",
		p + "healthcheck-healthy-threshold":   "2",
		p + "healthcheck-unhealthy-threshold": "2",
		p + "target-group-attributes": fmt.Sprintf(
			"preserve_client_ip.enabled=true,deregistration_delay.timeout_seconds=%d", publicDeregistrationDelay),
	}
}

// annotationSSLCert carries the ACM certificate ARN of the NLB's TLS listener.
const annotationSSLCert = "service.beta.kubernetes.io/aws-load-balancer-ssl-cert"

// loadBalancerClass hands the Service to the AWS Load Balancer Controller
// explicitly instead of relying on its mutating webhook having run first.
const loadBalancerClass = "service.k8s.aws/nlb"

// publicPort is the NLB's TLS listener port.
const publicPort = 443

var (
	// dns1035Label is what Kubernetes requires of a Service name (and so of
	// every object named after the service): lower case, starts with a letter.
	dns1035Label = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	// dns1123Label is what Kubernetes requires of a namespace name.
	dns1123Label = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	// envVarName matches Kubernetes' rule for container env var names.
	envVarName = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)
	// hostnameRE matches a fully qualified DNS name without trailing dot.
	hostnameRE = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
	// certificateARNRE matches an ACM certificate ARN in any partition.
	certificateARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$`)
	// digestRE matches the digest part of an image reference.
	digestRE = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$`)
	// tagRE matches the tag part of an image reference.
	tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
)

// checkServiceName validates a name used for the Service and every object
// named after it (Services need an RFC 1035 label: it must start with a letter).
func checkServiceName(field, value string) error {
	if len(value) > 63 || !dns1035Label.MatchString(value) {
		return fmt.Errorf("%s: '%s' is not a valid service name: must be 1-63 characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit", field, value)
	}
	return nil
}

// checkNamespaceName validates a namespace name (an RFC 1123 label).
func checkNamespaceName(field, value string) error {
	if len(value) > 63 || !dns1123Label.MatchString(value) {
		return fmt.Errorf("%s: '%s' is not a valid namespace name: must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit", field, value)
	}
	return nil
}

// checkImage requires an image reference that cannot drift: it must carry a
// digest, or a tag other than "latest". "latest" is refused even next to a
// digest, where it pins nothing and only misleads a reader (and the policy pack).
func checkImage(image string) error {
	const allowed = "must carry a tag other than \"latest\" (repo/app:1.2.3) or a digest (repo/app@sha256:...)"
	if image == "" || strings.ContainsAny(image, " \t\n") {
		return fmt.Errorf("Image: '%s' is not a valid image reference: %s", image, allowed)
	}
	name, digest, hasDigest := strings.Cut(image, "@")
	if hasDigest && !digestRE.MatchString(digest) {
		return fmt.Errorf("Image: '%s' is not a valid image reference: digest '%s' is malformed; %s", image, digest, allowed)
	}
	lastSlash := strings.LastIndex(name, "/")
	colon := strings.LastIndex(name, ":")
	if colon <= lastSlash { // no colon in the last path segment (a registry port is not a tag)
		if hasDigest {
			return nil
		}
		return fmt.Errorf("Image: '%s' is not a valid image reference: it has no tag; %s", image, allowed)
	}
	tag := name[colon+1:]
	if !tagRE.MatchString(tag) {
		return fmt.Errorf("Image: '%s' is not a valid image reference: tag '%s' is malformed; %s", image, tag, allowed)
	}
	if tag == "latest" {
		return fmt.Errorf("Image: '%s' is not a valid image reference: \"latest\" moves under a running Deployment; %s", image, allowed)
	}
	return nil
}
