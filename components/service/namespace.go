package service

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Namespace labels beyond the part-of label.
const (
	// labelReadinessGateInject makes the AWS Load Balancer Controller add a
	// pod readiness gate that only turns true once the pod is healthy in the
	// NLB target group; a rollout then cannot remove old pods before new ones
	// actually take traffic.
	labelReadinessGateInject = "elbv2.k8s.aws/pod-readiness-gate-inject"
	// labelPodSecurityEnforce enforces the "restricted" Pod Security Standard,
	// which every Deployment built by NewService satisfies; anything added to
	// the namespace later has to meet it too.
	labelPodSecurityEnforce = "pod-security.kubernetes.io/enforce"
)

// NamespaceArgs configure NewNamespace.
type NamespaceArgs struct {
	// Name is the Kubernetes namespace name (an RFC 1123 label). Required.
	Name string
	// Labels are extra namespace labels. They may not override the labels
	// this component sets (part-of, readiness-gate injection, pod security).
	Labels map[string]string
}

// Namespace is the namespace an application's services run in, with a
// default-deny ingress NetworkPolicy so that only what each service's own
// policy allows can reach its pods.
type Namespace struct {
	pulumi.ResourceState

	// Name is the namespace name; pass it as ServiceArgs.Namespace so every
	// service depends on the namespace existing.
	Name pulumi.StringOutput `pulumi:"name"`
}

func (a *NamespaceArgs) withDefaults() *NamespaceArgs {
	out := *a
	return &out
}

func (a *NamespaceArgs) validate() error {
	var errs []error
	if err := checkNamespaceName("Name", a.Name); err != nil {
		errs = append(errs, err)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Labels)) {
		if _, reserved := namespaceLabels(nil)[k]; reserved {
			errs = append(errs, fmt.Errorf("Labels: '%s' is set by the component and cannot be overridden", k))
		}
	}
	return errors.Join(errs...)
}

// namespaceLabels merges the component's labels over the caller's extras.
func namespaceLabels(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range extra {
		out[k] = v
	}
	out[labelPartOf] = partOf
	out[labelReadinessGateInject] = "enabled"
	out[labelPodSecurityEnforce] = "restricted"
	return out
}

// NewNamespace creates the namespace and its default-deny ingress policy.
func NewNamespace(ctx *pulumi.Context, name string, args *NamespaceArgs, opts ...pulumi.ResourceOption) (*Namespace, error) {
	if args == nil {
		return nil, fmt.Errorf("namespace %q: args are required", name)
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("namespace %q: %w", name, err)
	}

	c := &Namespace{}
	if err := ctx.RegisterComponentResource("cutover:service:Namespace", name, c, opts...); err != nil {
		return nil, err
	}

	ns, err := corev1.NewNamespace(ctx, name+"-namespace", &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:   pulumi.String(args.Name),
			Labels: pulumi.ToStringMap(namespaceLabels(args.Labels)),
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("namespace %q: namespace: %w", name, err)
	}
	nsName := ns.Metadata.Name().Elem()

	// Ingress only: egress stays open because the workloads call Heroku
	// Postgres, add-ons and third-party APIs through the NAT egress IPs.
	_, err = networkingv1.NewNetworkPolicy(ctx, name+"-default-deny", &networkingv1.NetworkPolicyArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:      pulumi.String("default-deny-ingress"),
			Namespace: nsName,
			Labels:    pulumi.StringMap{labelPartOf: pulumi.String(partOf)},
		},
		Spec: &networkingv1.NetworkPolicySpecArgs{
			PodSelector: &metav1.LabelSelectorArgs{},
			PolicyTypes: pulumi.StringArray{pulumi.String("Ingress")},
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("namespace %q: default-deny policy: %w", name, err)
	}

	c.Name = nsName
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"name": c.Name}); err != nil {
		return nil, err
	}
	return c, nil
}
