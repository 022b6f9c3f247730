package service

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
	k8sappsv1 "k8s.io/api/apps/v1"
	k8sautoscalingv2 "k8s.io/api/autoscaling/v2"
	k8scorev1 "k8s.io/api/core/v1"
	k8snetworkingv1 "k8s.io/api/networking/v1"
	k8spolicyv1 "k8s.io/api/policy/v1"
	k8smetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	typeNamespace  = "kubernetes:core/v1:Namespace"
	typeSA         = "kubernetes:core/v1:ServiceAccount"
	typeDeployment = "kubernetes:apps/v1:Deployment"
	typeService    = "kubernetes:core/v1:Service"
	typeHPA        = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
	typePDB        = "kubernetes:policy/v1:PodDisruptionBudget"
	typeNetpol     = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
	typeCert       = "aws:acm/certificate:Certificate"
	typeRecord     = "aws:route53/record:Record"
	typeValidation = "aws:acm/certificateValidation:CertificateValidation"
)

func mustDyno(t *testing.T, d string) Resources {
	t.Helper()
	r, err := ResourcesForDyno(d)
	require.NoError(t, err)
	return r
}

func boolPtr(b bool) *bool { return &b }

func publicArgs(t *testing.T, ns pulumi.StringInput) *ServiceArgs {
	return &ServiceArgs{
		Namespace:    ns,
		Name:         "api",
		Image:        "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2024.06.1",
		Port:         8080,
		Public:       true,
		Command:      []string{"bin/puma", "-C", "config/puma.rb"},
		Env:          map[string]string{"RAILS_ENV": "production", "PORT": "8080", "MALLOC_ARENA_MAX": "2"},
		HealthPath:   "/healthz",
		MinReplicas:  3,
		MaxReplicas:  12,
		Resources:    mustDyno(t, "performance-m"),
		Hostname:     "api.example.com",
		HostedZoneID: "Z0123456789EXAMPLE",
		SafeToEvict:  boolPtr(true),
	}
}

func workerArgs(t *testing.T, ns pulumi.StringInput) *ServiceArgs {
	return &ServiceArgs{
		Namespace:              ns,
		Name:                   "worker",
		Image:                  "registry.example:5000/team/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Port:                   9000,
		MinReplicas:            2,
		MaxReplicas:            4,
		CPUTargetPercent:       60,
		Resources:              Resources{CPURequest: "300m", MemoryRequest: "768Mi", CPULimit: "1", MemoryLimit: "1Gi"},
		NodeSelector:           map[string]string{"cutover.dev/pool": "workers"},
		Tolerations:            []Toleration{{Key: "dedicated", Value: "workers", Effect: "NoSchedule"}, {Key: "spot", Effect: "NoExecute"}},
		ReadOnlyRootFilesystem: boolPtr(false),
		IngressFromNamespaces:  []string{"apps", "jobs"},
	}
}

// runService registers a namespace and one service and returns the graph and
// the service's captured outputs.
func runService(t *testing.T, mk func(t *testing.T, ns pulumi.StringInput) *ServiceArgs) (mockmon.Records, *mockmon.Captured[string], *mockmon.Captured[string]) {
	t.Helper()
	var serviceName, lbHostname *mockmon.Captured[string]
	rec, err := run(t, func(ctx *pulumi.Context) error {
		ns, err := NewNamespace(ctx, "apps", &NamespaceArgs{Name: "apps"})
		if err != nil {
			return err
		}
		svc, err := NewService(ctx, "svc", mk(t, ns.Name))
		if err != nil {
			return err
		}
		serviceName = mockmon.Capture[string](svc.ServiceName)
		lbHostname = mockmon.Capture[string](svc.LoadBalancerHostname)
		return nil
	})
	require.NoError(t, err)
	return rec, serviceName, lbHostname
}

// strictDecode proves a recorded Kubernetes object is a valid object of the
// given k8s.io/api type: unknown fields fail the decode.
func strictDecode(t *testing.T, inputs resource.PropertyMap, into any) {
	t.Helper()
	raw, err := json.Marshal(inputs.Mappable())
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(into), "strict decode of %s", raw)
}

func TestServiceGraphPublic(t *testing.T) {
	rec, serviceName, lbHostname := runService(t, publicArgs)

	// Objects present, one each, named after the service and parented to it.
	component := rec.One(t, "cutover:service:Service", "svc")
	for typ, child := range map[string]string{
		typeSA: "svc-sa", typeDeployment: "svc-deployment", typeService: "svc-service",
		typeHPA: "svc-hpa", typePDB: "svc-pdb", typeNetpol: "svc-netpol",
		typeCert: "svc-cert", typeRecord: "svc-cert-validation-record", typeValidation: "svc-cert-validation",
	} {
		r := rec.One(t, typ, child)
		require.Equal(t, component.URN, r.Parent, "%s parent", child)
		if strings.HasPrefix(typ, "kubernetes:") {
			require.Equal(t, "api", mockmon.At(t, r.Inputs, "metadata", "name").StringValue(), "%s metadata.name", child)
			require.Equal(t, "apps", mockmon.At(t, r.Inputs, "metadata", "namespace").StringValue(), "%s namespace", child)
			require.False(t, mockmon.Has(r.Inputs, "metadata", "annotations", "pulumi.com/skipAwait"), "%s skipAwait", child)
		}
	}

	dep := rec.One(t, typeDeployment, "svc-deployment")
	var deployment k8sappsv1.Deployment
	strictDecode(t, dep.Inputs, &deployment)
	require.Equal(t, "apps/v1", deployment.APIVersion)
	require.Equal(t, "Deployment", deployment.Kind)
	require.Nil(t, deployment.Spec.Replicas, "HPA owns the replica count")
	require.False(t, mockmon.Has(dep.Inputs, "spec", "replicas"))

	// Rollout: public API never loses capacity.
	require.Equal(t, k8sappsv1.RollingUpdateDeploymentStrategyType, deployment.Spec.Strategy.Type)
	require.Equal(t, 0, deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.IntValue())
	require.GreaterOrEqual(t, deployment.Spec.Strategy.RollingUpdate.MaxSurge.IntValue(), 1)

	pod := deployment.Spec.Template
	require.Equal(t, deployment.Spec.Selector.MatchLabels, map[string]string{"app.kubernetes.io/name": "api"})
	require.Equal(t, "api", pod.Labels["app.kubernetes.io/name"])
	require.Equal(t, "true", pod.Annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"])
	require.Equal(t, "api", pod.Spec.ServiceAccountName)
	require.NotNil(t, pod.Spec.AutomountServiceAccountToken)
	require.False(t, *pod.Spec.AutomountServiceAccountToken)
	require.Equal(t, int64(publicTerminationGraceSeconds), *pod.Spec.TerminationGracePeriodSeconds)
	require.False(t, pod.Spec.HostNetwork)
	require.Equal(t, k8scorev1.SeccompProfileTypeRuntimeDefault, pod.Spec.SecurityContext.SeccompProfile.Type)
	require.True(t, *pod.Spec.SecurityContext.RunAsNonRoot)

	require.Len(t, pod.Spec.Containers, 1)
	ctr := pod.Spec.Containers[0]
	require.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2024.06.1", ctr.Image)
	require.Equal(t, []string{"bin/puma", "-C", "config/puma.rb"}, ctr.Command)
	require.Equal(t, []k8scorev1.EnvVar{
		{Name: "MALLOC_ARENA_MAX", Value: "2"}, {Name: "PORT", Value: "8080"}, {Name: "RAILS_ENV", Value: "production"},
	}, ctr.Env, "env sorted by name")
	require.Equal(t, []k8scorev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: k8scorev1.ProtocolTCP}}, ctr.Ports)

	// Probes on the health path, named port; liveness starts later.
	for name, p := range map[string]*k8scorev1.Probe{"readiness": ctr.ReadinessProbe, "liveness": ctr.LivenessProbe} {
		require.NotNil(t, p, name)
		require.Equal(t, "/healthz", p.HTTPGet.Path, name)
		require.Equal(t, "http", p.HTTPGet.Port.String(), name)
	}
	require.Greater(t, ctr.LivenessProbe.InitialDelaySeconds, ctr.ReadinessProbe.InitialDelaySeconds)

	// Resources from the performance-m dyno: memory request = limit, no CPU limit.
	require.Equal(t, "2", ctr.Resources.Requests.Cpu().String())
	require.Equal(t, "2560Mi", ctr.Resources.Requests.Memory().String())
	require.Equal(t, "2560Mi", ctr.Resources.Limits.Memory().String())
	_, hasCPULimit := ctr.Resources.Limits[k8scorev1.ResourceCPU]
	require.False(t, hasCPULimit)

	sc := ctr.SecurityContext
	require.True(t, *sc.RunAsNonRoot)
	require.False(t, *sc.AllowPrivilegeEscalation)
	require.False(t, *sc.Privileged)
	require.True(t, *sc.ReadOnlyRootFilesystem, "read-only root by default")
	require.Equal(t, []k8scorev1.Capability{"ALL"}, sc.Capabilities.Drop)
	require.Equal(t, []k8scorev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}, ctr.VolumeMounts)
	require.NotNil(t, pod.Spec.Volumes[0].EmptyDir)

	// preStop sleep so the NLB drains before the process gets SIGTERM.
	require.NotNil(t, ctr.Lifecycle.PreStop.Sleep)
	require.Equal(t, int64(publicPreStopSleepSeconds), ctr.Lifecycle.PreStop.Sleep.Seconds)
	require.Less(t, int64(publicPreStopSleepSeconds), *pod.Spec.TerminationGracePeriodSeconds)

	// Topology spread: zones first, then hosts.
	require.Len(t, pod.Spec.TopologySpreadConstraints, 2)
	keys := []string{}
	for _, c := range pod.Spec.TopologySpreadConstraints {
		keys = append(keys, c.TopologyKey)
		require.Equal(t, int32(1), c.MaxSkew)
		require.Equal(t, k8scorev1.ScheduleAnyway, c.WhenUnsatisfiable)
		require.Equal(t, map[string]string{"app.kubernetes.io/name": "api"}, c.LabelSelector.MatchLabels)
	}
	require.Equal(t, []string{"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, keys)
	require.Empty(t, pod.Spec.NodeSelector)
	require.Empty(t, pod.Spec.Tolerations)

	// Service: NLB through the AWS Load Balancer Controller, TLS on 443.
	cert := rec.One(t, typeCert, "svc-cert")
	certARN := "arn:aws:acm:us-east-1:123456789012:certificate/svc-cert"
	var service k8scorev1.Service
	strictDecode(t, rec.One(t, typeService, "svc-service").Inputs, &service)
	require.Equal(t, k8scorev1.ServiceTypeLoadBalancer, service.Spec.Type)
	require.Equal(t, "service.k8s.aws/nlb", *service.Spec.LoadBalancerClass)
	require.Equal(t, map[string]string{"app.kubernetes.io/name": "api"}, service.Spec.Selector)
	require.Len(t, service.Spec.Ports, 1)
	require.Equal(t, int32(443), service.Spec.Ports[0].Port)
	require.Equal(t, "http", service.Spec.Ports[0].TargetPort.String())
	const p = "service.beta.kubernetes.io/aws-load-balancer-"
	for k, want := range map[string]string{
		p + "type":                 "external",
		p + "nlb-target-type":      "ip",
		p + "scheme":               "internet-facing",
		p + "ssl-cert":             certARN,
		p + "ssl-ports":            "443",
		p + "backend-protocol":     "tcp",
		p + "healthcheck-protocol": "http",
		p + "healthcheck-path":     "/healthz",
	} {
		require.Equal(t, want, service.Annotations[k], k)
	}
	require.Contains(t, service.Annotations[p+"target-group-attributes"], "preserve_client_ip.enabled=true")

	// ACM certificate validated through one Route53 record built from the
	// certificate's own validation option.
	require.Equal(t, "api.example.com", mockmon.At(t, cert.Inputs, "domainName").StringValue())
	require.Equal(t, "DNS", mockmon.At(t, cert.Inputs, "validationMethod").StringValue())
	record := rec.One(t, typeRecord, "svc-cert-validation-record")
	require.Equal(t, "Z0123456789EXAMPLE", mockmon.At(t, record.Inputs, "zoneId").StringValue())
	optionName := mockmon.At(t, cert.State, "domainValidationOptions", 0, "resourceRecordName").StringValue()
	optionValue := mockmon.At(t, cert.State, "domainValidationOptions", 0, "resourceRecordValue").StringValue()
	require.True(t, strings.HasSuffix(optionName, ".api.example.com."), "validation record %q is under the domain", optionName)
	require.Equal(t, optionName, mockmon.At(t, record.Inputs, "name").StringValue())
	require.Equal(t, "CNAME", mockmon.At(t, record.Inputs, "type").StringValue())
	require.Equal(t, optionValue, mockmon.At(t, record.Inputs, "records", 0).StringValue())
	require.False(t, record.DeleteBeforeReplace)
	validation := rec.One(t, typeValidation, "svc-cert-validation")
	require.Equal(t, certARN, mockmon.At(t, validation.Inputs, "certificateArn").StringValue())
	require.Equal(t, mockmon.At(t, record.State, "fqdn").StringValue(), mockmon.At(t, validation.Inputs, "validationRecordFqdns", 0).StringValue())
	require.Len(t, rec.ByType(typeRecord), 1)

	assertHPAAndPDB(t, rec, "api", 3, 12, 70)

	// NetworkPolicy: the port, from the own namespace, monitoring and anywhere.
	var netpol k8snetworkingv1.NetworkPolicy
	strictDecode(t, rec.One(t, typeNetpol, "svc-netpol").Inputs, &netpol)
	require.Equal(t, map[string]string{"app.kubernetes.io/name": "api"}, netpol.Spec.PodSelector.MatchLabels)
	require.Equal(t, []k8snetworkingv1.PolicyType{k8snetworkingv1.PolicyTypeIngress}, netpol.Spec.PolicyTypes)
	require.Len(t, netpol.Spec.Ingress, 1)
	require.Equal(t, 8080, netpol.Spec.Ingress[0].Ports[0].Port.IntValue())
	from := netpol.Spec.Ingress[0].From
	require.Len(t, from, 3)
	require.NotNil(t, from[0].PodSelector)
	require.Nil(t, from[0].NamespaceSelector, "default peer is the service's own namespace")
	require.Equal(t, map[string]string{"kubernetes.io/metadata.name": "monitoring"}, from[1].NamespaceSelector.MatchLabels)
	require.Equal(t, "0.0.0.0/0", from[2].IPBlock.CIDR)

	require.Equal(t, "api", serviceName.Get(t))
	// The hostname the load balancer controller publishes on the Service.
	published := mockmon.At(t, rec.One(t, typeService, "svc-service").State, "status", "loadBalancer", "ingress", 0, "hostname").StringValue()
	require.True(t, strings.HasSuffix(published, ".elb.us-east-1.example"), published)
	require.Equal(t, published, lbHostname.Get(t))
}

// With an existing certificate the public API issues none: the NLB's TLS annotation carries the
// given ARN and no ACM or Route53 resource is registered.
func TestServiceGraphPublicWithExistingCertificate(t *testing.T) {
	const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"
	rec, _, _ := runService(t, func(t *testing.T, ns pulumi.StringInput) *ServiceArgs {
		a := publicArgs(t, ns)
		a.HostedZoneID, a.CertificateARN = "", arn
		return a
	})
	for _, typ := range []string{typeCert, typeRecord, typeValidation} {
		require.Empty(t, rec.ByType(typ), "%s registered although a certificate was given", typ)
	}
	svc := rec.One(t, typeService, "svc-service")
	require.Equal(t, arn, mockmon.At(t, svc.Inputs, "metadata", "annotations", annotationSSLCert).StringValue())
	require.Equal(t, "LoadBalancer", mockmon.At(t, svc.Inputs, "spec", "type").StringValue())
}

func TestServiceGraphInternal(t *testing.T) {
	rec, serviceName, lbHostname := runService(t, workerArgs)

	// No certificate, record or validation for a non-public service.
	require.Empty(t, rec.ByType(typeCert))
	require.Empty(t, rec.ByType(typeRecord))
	require.Empty(t, rec.ByType(typeValidation))

	var deployment k8sappsv1.Deployment
	strictDecode(t, rec.One(t, typeDeployment, "svc-deployment").Inputs, &deployment)
	require.Nil(t, deployment.Spec.Replicas)
	ru := deployment.Spec.Strategy.RollingUpdate
	require.Equal(t, "25%", ru.MaxUnavailable.String())
	require.Equal(t, "25%", ru.MaxSurge.String(), "a 25%% surge rounds up to at least one pod")

	pod := deployment.Spec.Template
	require.Empty(t, pod.Annotations, "no safe-to-evict annotation when SafeToEvict is nil")
	require.Equal(t, int64(internalTerminationGraceSeconds), *pod.Spec.TerminationGracePeriodSeconds)
	require.Equal(t, map[string]string{"cutover.dev/pool": "workers"}, pod.Spec.NodeSelector)
	require.Equal(t, []k8scorev1.Toleration{
		{Key: "dedicated", Operator: k8scorev1.TolerationOpEqual, Value: "workers", Effect: k8scorev1.TaintEffectNoSchedule},
		{Key: "spot", Operator: k8scorev1.TolerationOpExists, Effect: k8scorev1.TaintEffectNoExecute},
	}, pod.Spec.Tolerations)
	ctr := pod.Spec.Containers[0]
	require.Nil(t, ctr.Lifecycle, "only the public API sleeps in preStop")
	require.Nil(t, ctr.Command, "no command keeps the image entrypoint")
	require.False(t, *ctr.SecurityContext.ReadOnlyRootFilesystem)
	require.Equal(t, []k8scorev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}}, ctr.VolumeMounts, "/tmp still mounted")
	require.Equal(t, "1", ctr.Resources.Limits.Cpu().String())
	require.Equal(t, "300m", ctr.Resources.Requests.Cpu().String())
	for _, probe := range []*k8scorev1.Probe{ctr.ReadinessProbe, ctr.LivenessProbe} {
		require.Equal(t, DefaultHealthPath, probe.HTTPGet.Path)
	}

	var service k8scorev1.Service
	strictDecode(t, rec.One(t, typeService, "svc-service").Inputs, &service)
	require.Equal(t, k8scorev1.ServiceTypeClusterIP, service.Spec.Type)
	require.Empty(t, service.Annotations)
	require.Nil(t, service.Spec.LoadBalancerClass)
	require.Equal(t, int32(9000), service.Spec.Ports[0].Port)
	require.Equal(t, "http", service.Spec.Ports[0].Name)

	assertHPAAndPDB(t, rec, "worker", 2, 4, 60)

	var netpol k8snetworkingv1.NetworkPolicy
	strictDecode(t, rec.One(t, typeNetpol, "svc-netpol").Inputs, &netpol)
	from := netpol.Spec.Ingress[0].From
	require.Len(t, from, 3, "no ipBlock for a non-public service")
	require.NotNil(t, from[0].PodSelector, "own namespace always allowed")
	require.Nil(t, from[0].NamespaceSelector)
	require.Equal(t, "kubernetes.io/metadata.name", from[1].NamespaceSelector.MatchExpressions[0].Key)
	require.Equal(t, k8smetav1.LabelSelectorOpIn, from[1].NamespaceSelector.MatchExpressions[0].Operator)
	require.Equal(t, []string{"apps", "jobs"}, from[1].NamespaceSelector.MatchExpressions[0].Values)
	require.Equal(t, "monitoring", from[2].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"])
	for _, peer := range from {
		require.Nil(t, peer.IPBlock)
	}

	var sa k8scorev1.ServiceAccount
	strictDecode(t, rec.One(t, typeSA, "svc-sa").Inputs, &sa)
	require.False(t, *sa.AutomountServiceAccountToken)

	require.Equal(t, "worker", serviceName.Get(t))
	require.Equal(t, "", lbHostname.Get(t))
}

func assertHPAAndPDB(t *testing.T, rec mockmon.Records, service string, minReplicas, maxReplicas, cpuTarget int32) {
	t.Helper()
	var deployment k8sappsv1.Deployment
	strictDecode(t, rec.One(t, typeDeployment, "svc-deployment").Inputs, &deployment)

	var hpa k8sautoscalingv2.HorizontalPodAutoscaler
	strictDecode(t, rec.One(t, typeHPA, "svc-hpa").Inputs, &hpa)
	require.Equal(t, "autoscaling/v2", hpa.APIVersion)
	require.Equal(t, "apps/v1", hpa.Spec.ScaleTargetRef.APIVersion)
	require.Equal(t, "Deployment", hpa.Spec.ScaleTargetRef.Kind)
	require.Equal(t, deployment.Name, hpa.Spec.ScaleTargetRef.Name, "HPA targets the Deployment")
	require.Equal(t, service, hpa.Spec.ScaleTargetRef.Name)
	require.Equal(t, minReplicas, *hpa.Spec.MinReplicas)
	require.Equal(t, maxReplicas, hpa.Spec.MaxReplicas)
	require.Len(t, hpa.Spec.Metrics, 1)
	require.Equal(t, k8sautoscalingv2.ResourceMetricSourceType, hpa.Spec.Metrics[0].Type)
	require.Equal(t, k8scorev1.ResourceCPU, hpa.Spec.Metrics[0].Resource.Name)
	require.Equal(t, k8sautoscalingv2.UtilizationMetricType, hpa.Spec.Metrics[0].Resource.Target.Type)
	require.Equal(t, cpuTarget, *hpa.Spec.Metrics[0].Resource.Target.AverageUtilization)

	var pdb k8spolicyv1.PodDisruptionBudget
	strictDecode(t, rec.One(t, typePDB, "svc-pdb").Inputs, &pdb)
	require.NotNil(t, pdb.Spec.MaxUnavailable)
	require.Equal(t, 1, pdb.Spec.MaxUnavailable.IntValue())
	require.Nil(t, pdb.Spec.MinAvailable)
	require.Equal(t, deployment.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels)
}

func TestNamespaceGraph(t *testing.T) {
	var name *mockmon.Captured[string]
	rec, err := run(t, func(ctx *pulumi.Context) error {
		ns, err := NewNamespace(ctx, "apps", &NamespaceArgs{Name: "apps", Labels: map[string]string{"team": "platform"}})
		if err != nil {
			return err
		}
		name = mockmon.Capture[string](ns.Name)
		return nil
	})
	require.NoError(t, err)
	component := rec.One(t, "cutover:service:Namespace", "apps")

	nsRec := rec.One(t, typeNamespace, "apps-namespace")
	require.Equal(t, component.URN, nsRec.Parent)
	var ns k8scorev1.Namespace
	strictDecode(t, nsRec.Inputs, &ns)
	require.Equal(t, "apps", ns.Name)
	require.Equal(t, map[string]string{
		"app.kubernetes.io/part-of":               "cutover",
		"elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
		"pod-security.kubernetes.io/enforce":      "restricted",
		"team":                                    "platform",
	}, ns.Labels)

	denyRec := rec.One(t, typeNetpol, "apps-default-deny")
	require.Equal(t, component.URN, denyRec.Parent)
	var deny k8snetworkingv1.NetworkPolicy
	strictDecode(t, denyRec.Inputs, &deny)
	require.Equal(t, "apps", deny.Namespace)
	require.Empty(t, deny.Spec.PodSelector.MatchLabels, "selects every pod")
	require.Empty(t, deny.Spec.PodSelector.MatchExpressions)
	require.Equal(t, []k8snetworkingv1.PolicyType{k8snetworkingv1.PolicyTypeIngress}, deny.Spec.PolicyTypes)
	require.Empty(t, deny.Spec.Ingress, "no rule: deny all ingress")
	require.True(t, mockmon.Has(denyRec.Inputs, "spec", "podSelector"), "podSelector {} must be present, not omitted")

	require.Equal(t, "apps", name.Get(t))
}

func TestNamespaceValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		args    NamespaceArgs
		wantErr []string
	}{
		{name: "valid", args: NamespaceArgs{Name: "apps"}},
		{name: "upper case", args: NamespaceArgs{Name: "Apps"}, wantErr: []string{"Name: 'Apps' is not a valid namespace name"}},
		{name: "empty", args: NamespaceArgs{}, wantErr: []string{"Name: '' is not a valid namespace name"}},
		{name: "reserved label", args: NamespaceArgs{Name: "apps", Labels: map[string]string{"pod-security.kubernetes.io/enforce": "privileged"}},
			wantErr: []string{"Labels: 'pod-security.kubernetes.io/enforce' is set by the component"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.args.withDefaults().validate()
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tc.wantErr {
				require.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestServiceValidation(t *testing.T) {
	t.Parallel()
	ns := pulumi.String("apps")
	cases := []struct {
		name    string
		mutate  func(a *ServiceArgs)
		wantErr []string
	}{
		{name: "valid public", mutate: func(a *ServiceArgs) {}},
		{name: "valid internal", mutate: func(a *ServiceArgs) { a.Public, a.Hostname, a.HostedZoneID = false, "", "" }},
		{name: "missing namespace", mutate: func(a *ServiceArgs) { a.Namespace = nil }, wantErr: []string{"Namespace: must be set"}},
		{name: "bad name", mutate: func(a *ServiceArgs) { a.Name = "API_v2" }, wantErr: []string{"Name: 'API_v2' is not a valid service name"}},
		{name: "name starts with digit", mutate: func(a *ServiceArgs) { a.Name = "2api" }, wantErr: []string{"Name: '2api' is not a valid service name"}},
		{name: "name too long", mutate: func(a *ServiceArgs) { a.Name = strings.Repeat("a", 64) }, wantErr: []string{"is not a valid service name"}},
		{name: "image without tag", mutate: func(a *ServiceArgs) { a.Image = "ghcr.io/acme/api" }, wantErr: []string{"Image: 'ghcr.io/acme/api' is not a valid image reference: it has no tag"}},
		{name: "image latest", mutate: func(a *ServiceArgs) { a.Image = "ghcr.io/acme/api:latest" }, wantErr: []string{"Image: 'ghcr.io/acme/api:latest'", "\"latest\""}},
		{name: "registry port is not a tag", mutate: func(a *ServiceArgs) { a.Image = "registry.example:5000/api" }, wantErr: []string{"it has no tag"}},
		{name: "port zero", mutate: func(a *ServiceArgs) { a.Port = 0 }, wantErr: []string{"Port: '0' is not a valid port: must be between 1 and 65535"}},
		{name: "port too high", mutate: func(a *ServiceArgs) { a.Port = 70000 }, wantErr: []string{"Port: '70000'"}},
		{name: "min above max", mutate: func(a *ServiceArgs) { a.MinReplicas, a.MaxReplicas = 5, 3 }, wantErr: []string{"MaxReplicas: '3' is less than MinReplicas '5'"}},
		{name: "min zero", mutate: func(a *ServiceArgs) { a.MinReplicas = 0 }, wantErr: []string{"MinReplicas: '0' is not a valid replica count: must be at least 1"}},
		{name: "cpu target too high", mutate: func(a *ServiceArgs) { a.CPUTargetPercent = 150 }, wantErr: []string{"CPUTargetPercent: '150'"}},
		{name: "public without hostname and zone", mutate: func(a *ServiceArgs) { a.Hostname, a.HostedZoneID = "", "" },
			wantErr: []string{"Hostname: '' is not a valid hostname", "HostedZoneID: '' is not a valid Route53 zone ID"}},
		{name: "hostname on internal", mutate: func(a *ServiceArgs) { a.Public = false },
			wantErr: []string{"Hostname: 'api.example.com' is only used by the public service", "HostedZoneID: 'Z0123456789EXAMPLE' is only used"}},
		{name: "existing certificate needs no zone", mutate: func(a *ServiceArgs) {
			a.HostedZoneID, a.CertificateARN = "", "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"
		}},
		{name: "bad certificate ARN", mutate: func(a *ServiceArgs) { a.CertificateARN = "arn:aws:iam::123456789012:role/x" },
			wantErr: []string{"CertificateARN: 'arn:aws:iam::123456789012:role/x' is not an ACM certificate ARN"}},
		{name: "certificate on internal", mutate: func(a *ServiceArgs) {
			a.Public, a.Hostname, a.HostedZoneID = false, "", ""
			a.CertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"
		}, wantErr: []string{"CertificateARN: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9' is only used by the public service"}},
		{name: "health path relative", mutate: func(a *ServiceArgs) { a.HealthPath = "health" }, wantErr: []string{"HealthPath: 'health' is not a valid path: must start with '/'"}},
		{name: "missing memory limit", mutate: func(a *ServiceArgs) { a.Resources.MemoryLimit = "" }, wantErr: []string{"Resources.MemoryLimit: must be set"}},
		{name: "bad quantity", mutate: func(a *ServiceArgs) { a.Resources.CPURequest = "two cores" }, wantErr: []string{"Resources.CPURequest: 'two cores' is not a valid Kubernetes quantity"}},
		{name: "request above limit", mutate: func(a *ServiceArgs) { a.Resources.MemoryRequest = "4Gi" }, wantErr: []string{"Resources.MemoryRequest: '4Gi' is larger than Resources.MemoryLimit '2560Mi'"}},
		{name: "bad env name", mutate: func(a *ServiceArgs) { a.Env = map[string]string{"1BAD NAME": "x"} }, wantErr: []string{"Env: '1BAD NAME' is not a valid variable name"}},
		{name: "bad toleration", mutate: func(a *ServiceArgs) { a.Tolerations = []Toleration{{Key: "x", Effect: "Sometimes"}} }, wantErr: []string{"Tolerations: effect 'Sometimes' of key 'x' is not valid"}},
		{name: "bad ingress namespace", mutate: func(a *ServiceArgs) { a.IngressFromNamespaces = []string{"Jobs"} }, wantErr: []string{"IngressFromNamespaces: 'Jobs' is not a valid namespace name"}},
		{name: "every problem reported at once", mutate: func(a *ServiceArgs) {
			a.Name, a.Image, a.Port, a.MinReplicas, a.MaxReplicas, a.HealthPath = "Bad", "api", -1, 0, 0, "x"
		}, wantErr: []string{"Name: 'Bad'", "Image: 'api'", "Port: '-1'", "MinReplicas: '0'", "HealthPath: 'x'"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := publicArgs(t, ns)
			tc.mutate(a)
			err := a.withDefaults().validate()
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tc.wantErr {
				require.Contains(t, err.Error(), want)
			}
		})
	}
}

// TestServiceInvalidRegistersNothing: validation runs before the component is
// registered, so a bad config leaves no partial graph.
func TestServiceInvalidRegistersNothing(t *testing.T) {
	rec, err := run(t, func(ctx *pulumi.Context) error {
		a := publicArgs(t, pulumi.String("apps"))
		a.Image = "ghcr.io/acme/api:latest"
		_, err := NewService(ctx, "svc", a)
		return err
	})
	require.Error(t, err)
	require.Contains(t, err.Error(), `service "svc": Image: 'ghcr.io/acme/api:latest'`)
	require.Empty(t, rec.Names())
}

func TestServiceDefaults(t *testing.T) {
	t.Parallel()
	a := (&ServiceArgs{}).withDefaults()
	require.Equal(t, "/health", a.HealthPath)
	require.Equal(t, 70, a.CPUTargetPercent)
	require.Equal(t, "monitoring", a.MonitoringNamespace)
	require.NotNil(t, a.ReadOnlyRootFilesystem)
	require.True(t, *a.ReadOnlyRootFilesystem)
	require.Nil(t, a.SafeToEvict)
}
