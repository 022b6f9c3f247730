package service

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/helmrelease"
)

// The AWS Load Balancer Controller chart, pinned. Chart 1.14.0 ships
// controller v2.14.0 (eks-charts publishes chart 1.N.x with app v2.N.x);
// bump both this and the IAM policy together after reading the controller's
// release notes for new permissions.
const (
	LoadBalancerControllerChart        = "aws-load-balancer-controller"
	LoadBalancerControllerChartRepo    = "https://aws.github.io/eks-charts"
	LoadBalancerControllerChartVersion = "1.14.0"
)

// LoadBalancerControllerArgs configure NewLoadBalancerController.
type LoadBalancerControllerArgs struct {
	// ClusterName is the EKS cluster name. Required.
	ClusterName pulumi.StringInput
	// OIDCProviderARN is the ARN of the cluster's IAM OIDC provider. Required.
	OIDCProviderARN pulumi.StringInput
	// OIDCIssuer is the cluster's OIDC issuer URL (https://oidc.eks...). Required.
	OIDCIssuer pulumi.StringInput
	// Region is the cluster's AWS region, e.g. us-east-1. Required.
	Region string
	// VpcID is the cluster VPC. Required.
	VpcID pulumi.StringInput
	// ChartVersion overrides the pinned chart version. Default
	// LoadBalancerControllerChartVersion.
	ChartVersion string
}

// LoadBalancerController is the AWS Load Balancer Controller Helm release and
// its IRSA role. Services of type LoadBalancer (the public API) should depend
// on it, so the controller's webhook and the namespace readiness gates are in
// place before their pods are created.
type LoadBalancerController struct {
	pulumi.ResourceState

	// RoleArn is the controller's IAM role.
	RoleArn pulumi.StringOutput `pulumi:"roleArn"`
	// ReleaseName resolves once the Helm release is installed (Helm waits for the controller's
	// pods, and so for its webhooks). Use it to order objects after the controller: a dependency
	// on this component alone does not reach the objects inside other components.
	ReleaseName pulumi.StringOutput `pulumi:"releaseName"`
}

func (a *LoadBalancerControllerArgs) withDefaults() *LoadBalancerControllerArgs {
	out := *a
	if out.ChartVersion == "" {
		out.ChartVersion = LoadBalancerControllerChartVersion
	}
	return &out
}

func (a *LoadBalancerControllerArgs) validate() error {
	var errs []error
	if a.ClusterName == nil {
		errs = append(errs, errors.New("ClusterName: must be set (the cluster component's name output)"))
	}
	if a.OIDCProviderARN == nil {
		errs = append(errs, errors.New("OIDCProviderARN: must be set (the cluster component's OIDC provider ARN)"))
	}
	if a.OIDCIssuer == nil {
		errs = append(errs, errors.New("OIDCIssuer: must be set (the cluster's OIDC issuer URL)"))
	}
	if a.VpcID == nil {
		errs = append(errs, errors.New("VpcID: must be set (the network component's VPC ID)"))
	}
	if !regionRE.MatchString(a.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", a.Region))
	}
	return errors.Join(errs...)
}

// NewLoadBalancerController installs the controller into kube-system with an
// IRSA role whose policy is ControllerPolicy.
func NewLoadBalancerController(ctx *pulumi.Context, name string, args *LoadBalancerControllerArgs, opts ...pulumi.ResourceOption) (*LoadBalancerController, error) {
	if args == nil {
		return nil, fmt.Errorf("load balancer controller %q: args are required", name)
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("load balancer controller %q: %w", name, err)
	}

	c := &LoadBalancerController{}
	if err := ctx.RegisterComponentResource("cutover:service:LoadBalancerController", name, c, opts...); err != nil {
		return nil, err
	}
	wrap := func(role string, err error) error {
		return fmt.Errorf("load balancer controller %q: %s: %w", name, role, err)
	}

	// ApplyT only renders documents from resolved values; no resource is
	// created inside it.
	trust := pulumi.All(args.OIDCProviderARN, args.OIDCIssuer).ApplyT(func(v []any) (string, error) {
		return IRSATrustPolicy(v[0].(string), v[1].(string), ControllerNamespace, ControllerServiceAccount)
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("AWS Load Balancer Controller (IRSA, kube-system/aws-load-balancer-controller)"),
		AssumeRolePolicy: trust,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("role", err)
	}

	document := pulumi.All(args.ClusterName, args.VpcID).ApplyT(func(v []any) (string, error) {
		return ControllerPolicyJSON(ControllerPolicyParams{
			ClusterName: v[0].(string),
			Region:      args.Region,
			VpcID:       v[1].(string),
		})
	}).(pulumi.StringOutput)
	policy, err := iam.NewPolicy(ctx, name+"-policy", &iam.PolicyArgs{
		Description: pulumi.String("AWS Load Balancer Controller, scoped to the cluster tag, region and VPC"),
		Policy:      document,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("policy", err)
	}
	attachment, err := iam.NewRolePolicyAttachment(ctx, name+"-policy-attachment", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: policy.Arn,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, wrap("policy attachment", err)
	}

	// The release waits for the attachment: a controller that starts
	// without its permissions backs off and delays the first NLB.
	// internal/helmrelease registers the provider's own Release resource
	// without the SDK's helm/v3 package, which drags in every Kubernetes API
	// group and slows the offline plan.
	release, err := helmrelease.NewRelease(ctx, name+"-release", &helmrelease.ReleaseArgs{
		Name:      pulumi.String(LoadBalancerControllerChart),
		Chart:     pulumi.String(LoadBalancerControllerChart),
		Version:   pulumi.String(args.ChartVersion),
		Namespace: pulumi.String(ControllerNamespace),
		Repo:      pulumi.String(LoadBalancerControllerChartRepo),
		Values: pulumi.Map{
			"clusterName": args.ClusterName,
			"region":      pulumi.String(args.Region),
			"vpcId":       args.VpcID,
			"serviceAccount": pulumi.Map{
				"create": pulumi.Bool(true),
				"name":   pulumi.String(ControllerServiceAccount),
				"annotations": pulumi.Map{
					"eks.amazonaws.com/role-arn": role.Arn,
				},
			},
			// The IAM policy grants no WAF, Shield or Cognito actions; with
			// these off the controller does not try to use them.
			"enableShield": pulumi.Bool(false),
			"enableWaf":    pulumi.Bool(false),
			"enableWafv2":  pulumi.Bool(false),
		},
	}, pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{attachment}))
	if err != nil {
		return nil, wrap("release", err)
	}

	c.RoleArn = role.Arn
	c.ReleaseName = release.Name
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"roleArn": c.RoleArn, "releaseName": c.ReleaseName}); err != nil {
		return nil, err
	}
	return c, nil
}
