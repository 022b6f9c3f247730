package service

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	autoscalingv2 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/autoscaling/v2"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	policyv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/policy/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults applied by withDefaults.
const (
	DefaultHealthPath          = "/health"
	DefaultCPUTargetPercent    = 70
	DefaultMonitoringNamespace = "monitoring"
)

// Toleration lets the service's pods run on tainted worker pool nodes.
type Toleration struct {
	// Key is the taint key. Required.
	Key string
	// Value is the taint value; empty tolerates any value (operator Exists).
	Value string
	// Effect is NoSchedule, PreferNoSchedule or NoExecute; empty matches all.
	Effect string
}

// ServiceArgs configure NewService.
type ServiceArgs struct {
	// Namespace is the namespace to deploy into: pass Namespace.Name so the
	// service depends on the namespace. Required.
	Namespace pulumi.StringInput
	// Name names the Deployment, Service and every other object of the
	// service (an RFC 1035 label, at most 63 characters). Required.
	Name string
	// Image is the container image. Required; must carry a tag or a digest,
	// and a ":latest" tag is refused.
	Image string
	// Port is the container port the process listens on (1-65535). Required.
	Port int
	// Public marks the one internet-facing API: it gets an NLB with an ACM
	// certificate and a zero-downtime rollout. At most one service is public
	// (enforced by config validation, not here).
	Public bool
	// Command overrides the image entrypoint (the Procfile command). Optional.
	Command []string
	// Env is the container environment; it is sorted by name. Optional.
	Env map[string]string
	// HealthPath is probed by Kubernetes and, for the public API, by the NLB.
	// Default "/health"; must start with "/".
	HealthPath string
	// MinReplicas and MaxReplicas are the HPA range; 1 <= min <= max. The
	// Deployment itself never sets replicas, so the HPA owns the count.
	MinReplicas, MaxReplicas int
	// CPUTargetPercent is the HPA's average CPU utilisation target, relative
	// to the CPU request. Default 70; range 1-100.
	CPUTargetPercent int
	// Resources are the container's requests and limits, from
	// ResourcesForDyno or ExplicitResources. CPU request, memory request and
	// memory limit are required.
	Resources Resources
	// NodeSelector pins pods to a worker pool's nodes. Optional.
	NodeSelector map[string]string
	// Tolerations let pods run on a tainted worker pool. Optional.
	Tolerations []Toleration
	// ReadOnlyRootFilesystem keeps the container's root filesystem read-only.
	// Default (nil) true; set false only for a process that must write outside
	// /tmp. An emptyDir is mounted at /tmp in both cases.
	ReadOnlyRootFilesystem *bool
	// AutomountServiceAccountToken mounts a Kubernetes API token into the
	// pods. Default false: the migrated Heroku processes do not call the
	// Kubernetes API.
	AutomountServiceAccountToken bool
	// SafeToEvict, when non-nil, sets the pod annotation
	// cluster-autoscaler.kubernetes.io/safe-to-evict to "true" or "false".
	SafeToEvict *bool
	// Hostname is the API hostname the ACM certificate is issued for.
	// Required when Public, refused otherwise.
	Hostname string
	// HostedZoneID is the Route53 zone that receives the certificate's DNS
	// validation record. Required when Public (unless CertificateARN is set),
	// refused otherwise.
	HostedZoneID string
	// CertificateARN is an existing ACM certificate covering Hostname (for
	// example a wildcard the team already has). When set on the public service
	// the NLB uses it and no certificate, validation record or validation is
	// created. Default empty: a certificate is issued and DNS-validated.
	CertificateARN string
	// IngressFromNamespaces lists further namespaces whose pods may reach the
	// service port. Pods of the service's own namespace always may. Default none.
	IngressFromNamespaces []string
	// MonitoringNamespace is where Prometheus runs; it may always reach the
	// service port to scrape metrics. Default "monitoring".
	MonitoringNamespace string
}

// Service is one Kubernetes workload and, for the public API, its NLB.
type Service struct {
	pulumi.ResourceState

	// ServiceName is the Kubernetes Service name.
	ServiceName pulumi.StringOutput `pulumi:"serviceName"`
	// LoadBalancerHostname is the NLB's DNS name for the public API, the
	// target of the weighted "aws" record; "" for other services.
	LoadBalancerHostname pulumi.StringOutput `pulumi:"loadBalancerHostname"`
}

func (a *ServiceArgs) withDefaults() *ServiceArgs {
	out := *a
	if out.HealthPath == "" {
		out.HealthPath = DefaultHealthPath
	}
	if out.CPUTargetPercent == 0 {
		out.CPUTargetPercent = DefaultCPUTargetPercent
	}
	if out.MonitoringNamespace == "" {
		out.MonitoringNamespace = DefaultMonitoringNamespace
	}
	if out.ReadOnlyRootFilesystem == nil {
		readOnly := true
		out.ReadOnlyRootFilesystem = &readOnly
	}
	return &out
}

var tolerationEffects = []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}

func (a *ServiceArgs) validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if a.Namespace == nil {
		add(errors.New("Namespace: must be set (pass the Name output of NewNamespace)"))
	}
	add(checkServiceName("Name", a.Name))
	add(checkImage(a.Image))
	if a.Port < 1 || a.Port > 65535 {
		add(fmt.Errorf("Port: '%d' is not a valid port: must be between 1 and 65535", a.Port))
	}
	if !strings.HasPrefix(a.HealthPath, "/") || strings.ContainsAny(a.HealthPath, " \t\n?#") {
		add(fmt.Errorf("HealthPath: '%s' is not a valid path: must start with '/' and contain no spaces, query or fragment", a.HealthPath))
	}
	if a.MinReplicas < 1 {
		add(fmt.Errorf("MinReplicas: '%d' is not a valid replica count: must be at least 1", a.MinReplicas))
	}
	if a.MaxReplicas < a.MinReplicas {
		add(fmt.Errorf("MaxReplicas: '%d' is less than MinReplicas '%d': must be at least MinReplicas", a.MaxReplicas, a.MinReplicas))
	}
	if a.CPUTargetPercent < 1 || a.CPUTargetPercent > 100 {
		add(fmt.Errorf("CPUTargetPercent: '%d' is not a valid utilisation target: must be between 1 and 100", a.CPUTargetPercent))
	}
	add(a.Resources.validate())
	for _, k := range slices.Sorted(maps.Keys(a.Env)) {
		if !envVarName.MatchString(k) {
			add(fmt.Errorf("Env: '%s' is not a valid variable name: must match %s", k, envVarName))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.NodeSelector)) {
		if k == "" {
			add(errors.New("NodeSelector: '' is not a valid label key: must not be empty"))
		}
	}
	for _, t := range a.Tolerations {
		if t.Key == "" {
			add(fmt.Errorf("Tolerations: '%+v' is not a valid toleration: Key must be set", t))
		}
		if t.Effect != "" && !contains(tolerationEffects, t.Effect) {
			add(fmt.Errorf("Tolerations: effect '%s' of key '%s' is not valid: allowed: %s",
				t.Effect, t.Key, strings.Join(tolerationEffects, ", ")))
		}
	}
	for _, ns := range a.IngressFromNamespaces {
		add(checkNamespaceName("IngressFromNamespaces", ns))
	}
	add(checkNamespaceName("MonitoringNamespace", a.MonitoringNamespace))
	if a.Public {
		if !hostnameRE.MatchString(a.Hostname) {
			add(fmt.Errorf("Hostname: '%s' is not a valid hostname: the public service needs a lower-case DNS name such as api.example.com", a.Hostname))
		}
		if a.HostedZoneID == "" && a.CertificateARN == "" {
			add(errors.New("HostedZoneID: '' is not a valid Route53 zone ID: the public service needs the zone of Hostname for certificate validation (or an existing CertificateARN)"))
		}
		if a.CertificateARN != "" && !certificateARNRE.MatchString(a.CertificateARN) {
			add(fmt.Errorf("CertificateARN: '%s' is not an ACM certificate ARN: must look like arn:aws:acm:us-east-1:123456789012:certificate/<id>", a.CertificateARN))
		}
	} else {
		if a.CertificateARN != "" {
			add(fmt.Errorf("CertificateARN: '%s' is only used by the public service: leave it empty or set Public", a.CertificateARN))
		}
		if a.Hostname != "" {
			add(fmt.Errorf("Hostname: '%s' is only used by the public service: leave it empty or set Public", a.Hostname))
		}
		if a.HostedZoneID != "" {
			add(fmt.Errorf("HostedZoneID: '%s' is only used by the public service: leave it empty or set Public", a.HostedZoneID))
		}
	}
	return errors.Join(errs...)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// NewService creates one workload. For the public API it also creates the ACM
// certificate (validated through Route53) that its NLB terminates TLS with.
func NewService(ctx *pulumi.Context, name string, args *ServiceArgs, opts ...pulumi.ResourceOption) (*Service, error) {
	if args == nil {
		return nil, fmt.Errorf("service %q: args are required", name)
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}

	c := &Service{}
	if err := ctx.RegisterComponentResource("cutover:service:Service", name, c, opts...); err != nil {
		return nil, err
	}
	wrap := func(role string, err error) error {
		return fmt.Errorf("service %q: %s: %w", name, role, err)
	}

	objectMeta := func() *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{
			Name:      pulumi.String(args.Name),
			Namespace: args.Namespace,
			Labels:    pulumi.ToStringMap(labels(args.Name)),
		}
	}
	selector := &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selectorLabels(args.Name))}

	sa, err := corev1.NewServiceAccount(ctx, name+"-sa", &corev1.ServiceAccountArgs{
		Metadata:                     objectMeta(),
		AutomountServiceAccountToken: pulumi.Bool(args.AutomountServiceAccountToken),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("service account", err)
	}

	deployment, err := appsv1.NewDeployment(ctx, name+"-deployment", &appsv1.DeploymentArgs{
		Metadata: objectMeta(),
		Spec:     deploymentSpec(args, sa.Metadata.Name().Elem()),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("deployment", err)
	}

	serviceSpec := &corev1.ServiceSpecArgs{
		Type:     pulumi.String("ClusterIP"),
		Selector: pulumi.ToStringMap(selectorLabels(args.Name)),
		Ports: corev1.ServicePortArray{&corev1.ServicePortArgs{
			Name:       pulumi.String(portName),
			Port:       pulumi.Int(args.Port),
			TargetPort: pulumi.String(portName),
			Protocol:   pulumi.String("TCP"),
		}},
	}
	serviceMeta := objectMeta()
	if args.Public {
		certificateARN := pulumi.String(args.CertificateARN).ToStringOutput()
		if args.CertificateARN == "" {
			issued, err := newCertificate(ctx, c, name, args)
			if err != nil {
				return nil, err
			}
			certificateARN = issued
		}
		annotations := pulumi.ToStringMap(loadBalancerAnnotations(args.HealthPath))
		annotations[annotationSSLCert] = certificateARN
		serviceMeta.Annotations = annotations
		serviceSpec.Type = pulumi.String("LoadBalancer")
		serviceSpec.LoadBalancerClass = pulumi.String(loadBalancerClass)
		// The port keeps the name "http": it names the backend protocol (the
		// NLB terminates TLS), and one name on every Service lets a single
		// ServiceMonitor port name select any of them.
		serviceSpec.Ports = corev1.ServicePortArray{&corev1.ServicePortArgs{
			Name:       pulumi.String(portName),
			Port:       pulumi.Int(publicPort),
			TargetPort: pulumi.String(portName),
			Protocol:   pulumi.String("TCP"),
		}}
	}
	svc, err := corev1.NewService(ctx, name+"-service", &corev1.ServiceArgs{
		Metadata: serviceMeta,
		Spec:     serviceSpec,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("service", err)
	}

	_, err = autoscalingv2.NewHorizontalPodAutoscaler(ctx, name+"-hpa", &autoscalingv2.HorizontalPodAutoscalerArgs{
		Metadata: objectMeta(),
		Spec: &autoscalingv2.HorizontalPodAutoscalerSpecArgs{
			ScaleTargetRef: &autoscalingv2.CrossVersionObjectReferenceArgs{
				ApiVersion: pulumi.String("apps/v1"),
				Kind:       pulumi.String("Deployment"),
				Name:       deployment.Metadata.Name().Elem(),
			},
			MinReplicas: pulumi.Int(args.MinReplicas),
			MaxReplicas: pulumi.Int(args.MaxReplicas),
			Metrics: autoscalingv2.MetricSpecArray{&autoscalingv2.MetricSpecArgs{
				Type: pulumi.String("Resource"),
				Resource: &autoscalingv2.ResourceMetricSourceArgs{
					Name: pulumi.String("cpu"),
					Target: &autoscalingv2.MetricTargetArgs{
						Type:               pulumi.String("Utilization"),
						AverageUtilization: pulumi.Int(args.CPUTargetPercent),
					},
				},
			}},
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("hpa", err)
	}

	_, err = policyv1.NewPodDisruptionBudget(ctx, name+"-pdb", &policyv1.PodDisruptionBudgetArgs{
		Metadata: objectMeta(),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MaxUnavailable: pulumi.Int(pdbMaxUnavailable),
			Selector:       selector,
			// A crash-looping pod must not hold up a node drain.
			UnhealthyPodEvictionPolicy: pulumi.String("AlwaysAllow"),
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("pdb", err)
	}

	_, err = networkingv1.NewNetworkPolicy(ctx, name+"-netpol", &networkingv1.NetworkPolicyArgs{
		Metadata: objectMeta(),
		Spec: &networkingv1.NetworkPolicySpecArgs{
			PodSelector: selector,
			PolicyTypes: pulumi.StringArray{pulumi.String("Ingress")},
			Ingress: networkingv1.NetworkPolicyIngressRuleArray{&networkingv1.NetworkPolicyIngressRuleArgs{
				From: ingressPeers(args),
				Ports: networkingv1.NetworkPolicyPortArray{&networkingv1.NetworkPolicyPortArgs{
					Port:     pulumi.Int(args.Port),
					Protocol: pulumi.String("TCP"),
				}},
			}},
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("network policy", err)
	}

	c.ServiceName = svc.Metadata.Name().Elem()
	// A ClusterIP Service has an empty load balancer status, so this is ""
	// for every service but the public API, and stays tied to the Service.
	c.LoadBalancerHostname = svc.Status.ApplyT(loadBalancerHostname).(pulumi.StringOutput)
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"serviceName":          c.ServiceName,
		"loadBalancerHostname": c.LoadBalancerHostname,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// newCertificate issues the public API's certificate and returns the ARN of
// its validation, so the Service (and the NLB listener) only uses the
// certificate once ACM has issued it.
func newCertificate(ctx *pulumi.Context, parent pulumi.Resource, name string, args *ServiceArgs) (pulumi.StringOutput, error) {
	cert, err := acm.NewCertificate(ctx, name+"-cert", &acm.CertificateArgs{
		DomainName:       pulumi.String(args.Hostname),
		ValidationMethod: pulumi.String("DNS"),
		Tags:             pulumi.StringMap{"cutover:service": pulumi.String(args.Name)},
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("service %q: certificate: %w", name, err)
	}
	// The certificate covers exactly one name, so ACM asks for exactly one
	// validation record: index 0 is that record, not a list position that
	// could shift.
	option := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(ctx, name+"-cert-validation-record", &route53.RecordArgs{
		ZoneId:  pulumi.String(args.HostedZoneID),
		Name:    option.ResourceRecordName().Elem(),
		Type:    option.ResourceRecordType().Elem(),
		Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:     pulumi.Int(60),
		// ACM reuses the same validation name for a re-issued certificate;
		// overwriting lets a replacement certificate validate.
		AllowOverwrite: pulumi.Bool(true),
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("service %q: certificate validation record: %w", name, err)
	}
	validation, err := acm.NewCertificateValidation(ctx, name+"-cert-validation", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("service %q: certificate validation: %w", name, err)
	}
	return validation.CertificateArn, nil
}

// loadBalancerHostname extracts status.loadBalancer.ingress[0].hostname,
// tolerating the empty status of a ClusterIP Service.
func loadBalancerHostname(status *corev1.ServiceStatus) string {
	if status == nil || status.LoadBalancer == nil || len(status.LoadBalancer.Ingress) == 0 {
		return ""
	}
	if h := status.LoadBalancer.Ingress[0].Hostname; h != nil {
		return *h
	}
	return ""
}

// ingressPeers lists who may reach the service port: pods of its own
// namespace, pods of IngressFromNamespaces, the monitoring namespace for scraping and, for the
// public API, any address, since the NLB forwards client IPs to the pods.
func ingressPeers(args *ServiceArgs) networkingv1.NetworkPolicyPeerArray {
	// A podSelector without namespaceSelector means "pods of this namespace".
	peers := networkingv1.NetworkPolicyPeerArray{
		&networkingv1.NetworkPolicyPeerArgs{PodSelector: &metav1.LabelSelectorArgs{}},
	}
	if len(args.IngressFromNamespaces) > 0 {
		peers = append(peers, &networkingv1.NetworkPolicyPeerArgs{
			NamespaceSelector: &metav1.LabelSelectorArgs{
				MatchExpressions: metav1.LabelSelectorRequirementArray{&metav1.LabelSelectorRequirementArgs{
					Key:      pulumi.String(labelNamespaceName),
					Operator: pulumi.String("In"),
					Values:   pulumi.ToStringArray(args.IngressFromNamespaces),
				}},
			},
		})
	}
	peers = append(peers, &networkingv1.NetworkPolicyPeerArgs{
		NamespaceSelector: &metav1.LabelSelectorArgs{
			MatchLabels: pulumi.StringMap{labelNamespaceName: pulumi.String(args.MonitoringNamespace)},
		},
	})
	if args.Public {
		peers = append(peers, &networkingv1.NetworkPolicyPeerArgs{
			IpBlock: &networkingv1.IPBlockArgs{Cidr: pulumi.String("0.0.0.0/0")},
		})
	}
	return peers
}

// deploymentSpec builds the Deployment spec. It never sets replicas: the HPA
// owns the count, and a replicas field here would reset it on every update.
func deploymentSpec(args *ServiceArgs, serviceAccountName pulumi.StringInput) *appsv1.DeploymentSpecArgs {
	strategy := rolloutStrategy(args.Public)
	podLabels := labels(args.Name)

	var env corev1.EnvVarArray
	for _, e := range sortedEnv(args.Env) {
		env = append(env, &corev1.EnvVarArgs{Name: pulumi.String(e.Name), Value: pulumi.String(e.Value)})
	}
	var tolerations corev1.TolerationArray
	for _, t := range args.Tolerations {
		operator := "Equal"
		if t.Value == "" {
			operator = "Exists"
		}
		tol := &corev1.TolerationArgs{Key: pulumi.String(t.Key), Operator: pulumi.String(operator)}
		if t.Value != "" {
			tol.Value = pulumi.String(t.Value)
		}
		if t.Effect != "" {
			tol.Effect = pulumi.String(t.Effect)
		}
		tolerations = append(tolerations, tol)
	}

	requests := pulumi.StringMap{
		"cpu":    pulumi.String(args.Resources.CPURequest),
		"memory": pulumi.String(args.Resources.MemoryRequest),
	}
	limits := pulumi.StringMap{"memory": pulumi.String(args.Resources.MemoryLimit)}
	if args.Resources.CPULimit != "" {
		limits["cpu"] = pulumi.String(args.Resources.CPULimit)
	}

	container := &corev1.ContainerArgs{
		Name:  pulumi.String(args.Name),
		Image: pulumi.String(args.Image),
		Ports: corev1.ContainerPortArray{&corev1.ContainerPortArgs{
			Name:          pulumi.String(portName),
			ContainerPort: pulumi.Int(args.Port),
			Protocol:      pulumi.String("TCP"),
		}},
		Env: env,
		ReadinessProbe: &corev1.ProbeArgs{
			HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(args.HealthPath), Port: pulumi.String(portName)},
			InitialDelaySeconds: pulumi.Int(readinessInitialDelaySeconds),
			PeriodSeconds:       pulumi.Int(readinessPeriodSeconds),
			TimeoutSeconds:      pulumi.Int(probeTimeoutSeconds),
			FailureThreshold:    pulumi.Int(probeFailureThreshold),
		},
		LivenessProbe: &corev1.ProbeArgs{
			HttpGet:             &corev1.HTTPGetActionArgs{Path: pulumi.String(args.HealthPath), Port: pulumi.String(portName)},
			InitialDelaySeconds: pulumi.Int(livenessInitialDelaySeconds),
			PeriodSeconds:       pulumi.Int(livenessPeriodSeconds),
			TimeoutSeconds:      pulumi.Int(probeTimeoutSeconds),
			FailureThreshold:    pulumi.Int(probeFailureThreshold),
		},
		Resources: &corev1.ResourceRequirementsArgs{Requests: requests, Limits: limits},
		SecurityContext: &corev1.SecurityContextArgs{
			RunAsNonRoot:             pulumi.Bool(true),
			AllowPrivilegeEscalation: pulumi.Bool(false),
			Privileged:               pulumi.Bool(false),
			ReadOnlyRootFilesystem:   pulumi.Bool(*args.ReadOnlyRootFilesystem),
			Capabilities:             &corev1.CapabilitiesArgs{Drop: pulumi.StringArray{pulumi.String("ALL")}},
		},
		VolumeMounts: corev1.VolumeMountArray{&corev1.VolumeMountArgs{
			Name:      pulumi.String(tmpVolume),
			MountPath: pulumi.String(tmpMountPath),
		}},
	}
	if len(args.Command) > 0 {
		container.Command = pulumi.ToStringArray(args.Command)
	}
	terminationGrace := internalTerminationGraceSeconds
	if args.Public {
		terminationGrace = publicTerminationGraceSeconds
		// The sleep action needs no shell or sleep binary in the image.
		container.Lifecycle = &corev1.LifecycleArgs{
			PreStop: &corev1.LifecycleHandlerArgs{
				Sleep: &corev1.SleepActionArgs{Seconds: pulumi.Int(publicPreStopSleepSeconds)},
			},
		}
	}

	podMeta := &metav1.ObjectMetaArgs{Labels: pulumi.ToStringMap(podLabels)}
	if args.SafeToEvict != nil {
		podMeta.Annotations = pulumi.StringMap{annotationSafeToEvict: pulumi.String(fmt.Sprint(*args.SafeToEvict))}
	}

	podSpec := &corev1.PodSpecArgs{
		ServiceAccountName:            serviceAccountName,
		AutomountServiceAccountToken:  pulumi.Bool(args.AutomountServiceAccountToken),
		TerminationGracePeriodSeconds: pulumi.Int(terminationGrace),
		SecurityContext: &corev1.PodSecurityContextArgs{
			RunAsNonRoot:   pulumi.Bool(true),
			SeccompProfile: &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")},
		},
		Containers:                corev1.ContainerArray{container},
		TopologySpreadConstraints: topologySpread(args.Name),
		Volumes: corev1.VolumeArray{&corev1.VolumeArgs{
			Name:     pulumi.String(tmpVolume),
			EmptyDir: &corev1.EmptyDirVolumeSourceArgs{SizeLimit: pulumi.String(tmpSizeLimit)},
		}},
	}
	if len(args.NodeSelector) > 0 {
		podSpec.NodeSelector = pulumi.ToStringMap(args.NodeSelector)
	}
	if len(tolerations) > 0 {
		podSpec.Tolerations = tolerations
	}

	return &appsv1.DeploymentSpecArgs{
		Selector:             &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selectorLabels(args.Name))},
		RevisionHistoryLimit: pulumi.Int(5),
		Strategy: &appsv1.DeploymentStrategyArgs{
			Type: pulumi.String("RollingUpdate"),
			RollingUpdate: &appsv1.RollingUpdateDeploymentArgs{
				MaxUnavailable: intOrString(strategy.MaxUnavailable),
				MaxSurge:       intOrString(strategy.MaxSurge),
			},
		},
		Template: &corev1.PodTemplateSpecArgs{Metadata: podMeta, Spec: podSpec},
	}
}

// topologySpread spreads pods over zones and then over nodes.
//
// Both constraints use ScheduleAnyway. With DoNotSchedule, a zone that has no
// free capacity (common with two or three small nodes per pool, or while the
// cluster autoscaler is still adding a node in the right zone) leaves new pods
// Pending: a rollout with maxUnavailable 0 then stalls and an HPA scale-up
// under load never lands. ScheduleAnyway still makes the scheduler prefer the
// emptiest zone, so pods spread whenever capacity allows; the policy pack
// checks that the zone constraint is present. matchLabelKeys limits the count
// to one ReplicaSet, so a rollout spreads the new pods rather than balancing
// against pods about to be removed.
func topologySpread(service string) corev1.TopologySpreadConstraintArray {
	constraint := func(key string) *corev1.TopologySpreadConstraintArgs {
		return &corev1.TopologySpreadConstraintArgs{
			MaxSkew:           pulumi.Int(1),
			TopologyKey:       pulumi.String(key),
			WhenUnsatisfiable: pulumi.String("ScheduleAnyway"),
			LabelSelector:     &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(selectorLabels(service))},
			MatchLabelKeys:    pulumi.StringArray{pulumi.String("pod-template-hash")},
		}
	}
	return corev1.TopologySpreadConstraintArray{
		constraint("topology.kubernetes.io/zone"),
		constraint("kubernetes.io/hostname"),
	}
}

// intOrString converts a rollout value to the untyped input Kubernetes'
// IntOrString fields take.
func intOrString(v any) pulumi.Input {
	switch x := v.(type) {
	case int:
		return pulumi.Int(x)
	case string:
		return pulumi.String(x)
	default:
		panic(fmt.Sprintf("intOrString: unsupported %T", v))
	}
}
