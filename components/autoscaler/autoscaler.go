package autoscaler

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/helmrelease"
)

// TypeToken is the Pulumi type of the ClusterAutoscaler component.
const TypeToken = "cutover:autoscaler:ClusterAutoscaler"

// ClusterAutoscaler is the Cluster Autoscaler release, its IRSA role and the discovery tags on the
// node groups' Auto Scaling groups. The node groups themselves (with desiredSize left to the
// autoscaler) belong to the workers component.
type ClusterAutoscaler struct {
	pulumi.ResourceState

	// RoleARN is the autoscaler's IAM role, annotated on its service account.
	RoleARN pulumi.StringOutput
	// ChartVersion is the pinned cluster-autoscaler chart version installed.
	ChartVersion pulumi.StringOutput
}

// NewClusterAutoscaler installs the Cluster Autoscaler into kube-system. Pass the cluster's
// Kubernetes provider with pulumi.Providers; the AWS children use the default AWS provider.
func NewClusterAutoscaler(ctx *pulumi.Context, name string, args *ClusterAutoscalerArgs, opts ...pulumi.ResourceOption) (*ClusterAutoscaler, error) {
	if args == nil {
		args = &ClusterAutoscalerArgs{}
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("cluster autoscaler %q: invalid args:\n%w", name, err)
	}

	c := &ClusterAutoscaler{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cluster autoscaler %q: register component: %w", name, err)
	}
	parent := pulumi.Parent(c)
	wrap := func(what string, err error) error {
		return fmt.Errorf("cluster autoscaler %q: %s: %w", name, what, err)
	}

	// The documents are rendered from resolved values only; no resource is created in an apply.
	trust := pulumi.All(args.OIDCProviderARN, args.OIDCIssuer).ApplyT(func(v []any) (string, error) {
		return TrustPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("Cluster Autoscaler (IRSA, " + Namespace + "/" + ServiceAccount + ")"),
		AssumeRolePolicy: trust,
		Tags:             pulumi.ToStringMap(args.Tags),
	}, parent)
	if err != nil {
		return nil, wrap("role", err)
	}
	region := args.Region
	document := pulumi.All(args.ClusterName, args.OIDCProviderARN).ApplyT(func(v []any) (string, error) {
		return PermissionsPolicy(PolicyParams{ClusterName: v[0].(string), Region: region, OIDCProviderARN: v[1].(string)})
	}).(pulumi.StringOutput)
	policy, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: document,
	}, parent)
	if err != nil {
		return nil, wrap("role policy", err)
	}

	// Discovery tags on each pool's Auto Scaling group, in pool order. Not propagated to the
	// instances: the autoscaler reads them from the group.
	ownerKey := pulumi.Sprintf("%s%s", ownerTagKeyPrefix, args.ClusterName)
	var tags []pulumi.Resource
	for _, pool := range slices.Sorted(maps.Keys(args.AutoscalingGroups)) {
		group := args.AutoscalingGroups[pool]
		for _, t := range []struct {
			role       string
			key, value pulumi.StringInput
		}{
			{"enabled", pulumi.String(EnabledTagKey), pulumi.String(enabledTagValue)},
			{"owner", ownerKey, pulumi.String(ownerTagValue)},
		} {
			tag, err := autoscaling.NewTag(ctx, fmt.Sprintf("%s-asg-tag-%s-%s", name, pool, t.role), &autoscaling.TagArgs{
				AutoscalingGroupName: group,
				Tag: &autoscaling.TagTagArgs{
					Key:               t.key,
					Value:             t.value,
					PropagateAtLaunch: pulumi.Bool(false),
				},
			}, parent)
			if err != nil {
				return nil, wrap("tag "+pool+" "+t.role, err)
			}
			tags = append(tags, tag)
		}
	}

	// The release waits for its permissions and for the tags it discovers groups by: started
	// earlier it would find no group and log errors until the next scan.
	if _, err := helmrelease.NewRelease(ctx, name+"-release", &helmrelease.ReleaseArgs{
		Name:      pulumi.String(ChartName),
		Chart:     pulumi.String(ChartName),
		Version:   pulumi.String(args.ChartVersion),
		Namespace: pulumi.String(Namespace),
		Repo:      pulumi.String(ChartRepo),
		Values:    releaseValues(args, role.Arn),
	}, parent, pulumi.DependsOn(append([]pulumi.Resource{policy}, tags...))); err != nil {
		return nil, wrap("release", err)
	}

	c.RoleARN = role.Arn
	c.ChartVersion = pulumi.String(args.ChartVersion).ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"roleArn":      c.RoleARN,
		"chartVersion": c.ChartVersion,
	}); err != nil {
		return nil, wrap("register outputs", err)
	}
	return c, nil
}

// releaseValues are the chart values: AWS auto-discovery for this cluster, the IRSA service
// account, the scale-down settings, and a locked-down pod.
func releaseValues(args *ClusterAutoscalerArgs, roleARN pulumi.StringOutput) pulumi.Map {
	return pulumi.Map{
		"cloudProvider":    pulumi.String("aws"),
		"awsRegion":        pulumi.String(args.Region),
		"fullnameOverride": pulumi.String(ChartName),
		// The chart's default discovery tags are exactly EnabledTagKey and OwnerTagKey(cluster).
		"autoDiscovery": pulumi.Map{"clusterName": args.ClusterName},
		"rbac": pulumi.Map{
			"serviceAccount": pulumi.Map{
				"create": pulumi.Bool(true),
				"name":   pulumi.String(ServiceAccount),
				"annotations": pulumi.Map{
					"eks.amazonaws.com/role-arn": roleARN,
				},
			},
		},
		"extraArgs": pulumi.Map{
			"scale-down-unneeded-time":         pulumi.String(args.ScaleDownUnneededTime),
			"scale-down-delay-after-add":       pulumi.String(args.ScaleDownDelayAfterAdd),
			"scale-down-utilization-threshold": pulumi.String(formatRatio(args.ScaleDownUtilizationThreshold)),
			// Pools spread over AZs as separate groups would otherwise grow in one zone only.
			"balance-similar-node-groups": pulumi.Bool(true),
			// emptyDir is scratch space here; true would pin every node running such a pod.
			"skip-nodes-with-local-storage": pulumi.Bool(false),
			// Pick the pool that leaves the least CPU and memory idle after the scale-up.
			"expander": pulumi.String("least-waste"),
		},
		"resources": pulumi.Map{
			"requests": pulumi.Map{"cpu": pulumi.String("100m"), "memory": pulumi.String("300Mi")},
			"limits":   pulumi.Map{"memory": pulumi.String("600Mi")},
		},
		"securityContext": pulumi.Map{
			"runAsNonRoot": pulumi.Bool(true),
			"runAsUser":    pulumi.Int(65534),
			"runAsGroup":   pulumi.Int(65534),
			// Lets the non-root process read the projected IRSA web identity token.
			"fsGroup": pulumi.Int(65534),
		},
		"containerSecurityContext": pulumi.Map{
			"allowPrivilegeEscalation": pulumi.Bool(false),
			"readOnlyRootFilesystem":   pulumi.Bool(true),
			"capabilities":             pulumi.Map{"drop": pulumi.StringArray{pulumi.String("ALL")}},
		},
	}
}
