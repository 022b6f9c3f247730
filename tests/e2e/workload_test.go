//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/components/service"
	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/infra/program"
)

// e2eCertificateARN stands in for the API's ACM certificate (apiCertificateArn), so the public
// service is built as in production, NLB annotations included, without issuing a certificate.
const e2eCertificateARN = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-0000000e2e01"

// What is left out of the workload layer here, and why. The test prints these
// so nobody mistakes the e2e run for the whole program.
var leftOut = []string{
	"AWS Load Balancer Controller and kube-prometheus-stack: Helm charts, which need a chart repository (not reachable offline)",
	"the public API's ACM certificate and its Route53 validation record: AWS resources (no AWS here); " +
		"the public service uses an existing-certificate ARN instead (apiCertificateArn), so it is built as in " +
		"production: the NLB LoadBalancer Service, the preStop sleep and the 0.0.0.0/0 ingress peer",
	"VPC, EKS, worker pools, egress IPs, Route53 and Heroku: AWS and Heroku resources",
}

// workloadProgram is the inline program the engine runs: the workload layer
// of infra/program (the namespace with its default-deny policy and one
// service component per configured service), aimed at the test cluster
// through an explicit Kubernetes provider.
func workloadProgram(cfg config.Config, kubeconfig string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if err := ctx.RegisterResourceTransform(harnessTransform); err != nil {
			return fmt.Errorf("harness transform: %w", err)
		}
		provider, err := newProvider(ctx, kubeconfig)
		if err != nil {
			return err
		}
		k8s := []pulumi.ResourceOption{pulumi.Providers(provider)}
		ns, err := service.NewNamespace(ctx, program.AppNamespace, &service.NamespaceArgs{Name: program.AppNamespace}, k8s...)
		if err != nil {
			return err
		}
		cfg.APICertificateARN = e2eCertificateARN
		for _, name := range config.SortedKeys(cfg.Services) {
			// The program's own mapping from config to the component, so this run cannot drift
			// from what `pulumi up` builds.
			args, err := program.ServiceArgs(cfg, name, ns.Name)
			if err != nil {
				return err
			}
			if _, err := service.NewService(ctx, program.ServiceComponentName(name), args, k8s...); err != nil {
				return err
			}
		}
		return nil
	}
}

// providerVersion is the version of the provider plugin tools/build.sh built
// (read from its stamp by TestMain). The SDK would otherwise ask for its own
// version (4.32.0); the engine still uses the plugin found on PATH, but warns
// that the versions differ. Asking for the built version states plainly which
// provider the run exercises.
var providerVersion string

// newProvider is the explicit Kubernetes provider every e2e program uses.
func newProvider(ctx *pulumi.Context, kubeconfig string) (*kubernetes.Provider, error) {
	var opts []pulumi.ResourceOption
	if providerVersion != "" {
		opts = append(opts, pulumi.Version(providerVersion))
	}
	return kubernetes.NewProvider(ctx, "e2e-cluster", &kubernetes.ProviderArgs{
		Kubeconfig: pulumi.ToSecret(pulumi.String(kubeconfig)).(pulumi.StringOutput),
	}, opts...)
}

// Annotations the harness adds (never the product).
const (
	annotationSkipAwait           = "pulumi.com/skipAwait"
	annotationDeletionPropagation = "pulumi.com/deletionPropagationPolicy"
)

// awaitsOnControllers are the kinds whose create, update or delete the
// provider waits on until a controller or a node acts: a Deployment's pods
// becoming ready, a Service's endpoints, a Namespace's finalization. The test
// cluster has no nodes and no kube-controller-manager, so those waits could
// only time out; skipAwait makes the provider return once the API server has
// accepted the object, which is exactly what this test checks.
var awaitsOnControllers = map[string]bool{
	"kubernetes:apps/v1:Deployment": true,
	"kubernetes:core/v1:Service":    true,
	"kubernetes:core/v1:Namespace":  true,
}

// harnessAnnotations returns the annotations the harness adds to a resource
// of type typ, or nil for a resource it leaves alone.
func harnessAnnotations(custom bool, typ string) map[string]string {
	// Kubernetes objects only: not components, not the provider itself
	// ("pulumi:providers:kubernetes").
	if !custom || !strings.HasPrefix(typ, "kubernetes:") {
		return nil
	}
	// The provider deletes with foreground propagation by default, which
	// leaves a foregroundDeletion finalizer that only the garbage collector
	// (part of kube-controller-manager, not run here) removes. Background
	// deletion removes the object at once; there are no dependents to
	// collect since no controller created any.
	out := map[string]string{annotationDeletionPropagation: "background"}
	if awaitsOnControllers[typ] {
		out[annotationSkipAwait] = "true"
	}
	return out
}

// harnessTransform is the stack transform that adds harnessAnnotations to
// every Kubernetes object's metadata. It is registered with the engine by
// workloadProgram, and the recording mock runs it the same way (see
// recordingMocks), so the mock graph and the engine's graph carry the same
// inputs.
func harnessTransform(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	add := harnessAnnotations(args.Custom, args.Type)
	if add == nil {
		return nil
	}
	props := pulumi.Map{}
	for k, v := range args.Props {
		props[k] = v
	}
	metadata := pulumi.Map{}
	switch existing := props["metadata"].(type) {
	case nil:
	case pulumi.Map:
		for k, v := range existing {
			metadata[k] = v
		}
	default:
		// A transform cannot return an error; a shape this harness does not
		// know must stop the run rather than silently drop the annotations.
		panic(fmt.Sprintf("harness transform: %s %s: metadata is a %T, not a map", args.Type, args.Name, existing))
	}
	annotations := pulumi.Map{}
	switch existing := metadata["annotations"].(type) {
	case nil:
	case pulumi.Map:
		for k, v := range existing {
			annotations[k] = v
		}
	default:
		panic(fmt.Sprintf("harness transform: %s %s: metadata.annotations is a %T, not a map", args.Type, args.Name, existing))
	}
	for k, v := range add {
		annotations[k] = pulumi.String(v)
	}
	metadata["annotations"] = annotations
	props["metadata"] = metadata
	return &pulumi.ResourceTransformResult{Props: props, Opts: args.Opts}
}
