package workers

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the Pulumi type of the Workers component.
const TypeToken = "cutover:workers:Workers"

// PoolLabel is the node label every node carries with its pool name as value, so workloads
// can select a pool with a nodeSelector that does not depend on the generated node group name.
const PoolLabel = "cutover.dev/pool"

const managedPolicyPrefix = "arn:aws:iam::aws:policy/"

// nodePolicies are the AWS-managed policies a managed node needs: joining the cluster,
// pod networking through the VPC CNI (which runs with the node role in this setup), and
// pulling images from ECR. Exactly these three; anything else belongs to an IRSA role.
var nodePolicies = []string{
	"AmazonEKSWorkerNodePolicy",
	"AmazonEKS_CNI_Policy",
	"AmazonEC2ContainerRegistryReadOnly",
}

// Workers is a set of EKS managed node groups sharing one node IAM role.
type Workers struct {
	pulumi.ResourceState

	// NodeGroupNames are the EKS node group names, by pool name.
	NodeGroupNames pulumi.StringMapOutput
	// RoleARN is the node IAM role.
	RoleARN pulumi.StringOutput
	// AutoscalingGroupNames are the names of the EC2 Auto Scaling groups EKS created for the node
	// groups, by pool name. The cluster autoscaler acts on these groups, and tags meant for it must
	// be put on them: EKS does not copy node group tags to the group. Empty for a pool whose node
	// group reports no group (only before EKS has created it).
	AutoscalingGroupNames pulumi.StringMapOutput
}

// NewWorkers builds the node role and, for each pool in name order, a launch template and a
// managed node group.
func NewWorkers(ctx *pulumi.Context, name string, args *WorkersArgs, opts ...pulumi.ResourceOption) (*Workers, error) {
	if args == nil {
		args = &WorkersArgs{}
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("workers %q: invalid args:\n%w", name, err)
	}

	w := &Workers{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, fmt.Errorf("workers %q: register component: %w", name, err)
	}
	parent := pulumi.Parent(w)
	tags := pulumi.ToStringMap(args.Tags)

	trust, err := ec2TrustPolicy()
	if err != nil {
		return nil, fmt.Errorf("workers %q: role trust: %w", name, err)
	}
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("EKS managed node role for " + name),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("workers %q: role: %w", name, err)
	}
	var attachments []pulumi.Resource
	for _, policy := range nodePolicies {
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-role-"+policy, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(managedPolicyPrefix + policy),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("workers %q: role policy %s: %w", name, policy, err)
		}
		attachments = append(attachments, a)
	}

	// Cluster-autoscaler auto-discovery tags. The second key embeds the cluster name, which is
	// an Output, so the whole map is built in ApplyT (values only; no resources are created).
	// EKS also tags the node group's Auto Scaling group itself; these make the intent visible
	// on the node group and keep it if that behaviour changes.
	baseTags := maps.Clone(args.Tags)
	nodeGroupTags := args.ClusterName.ToStringOutput().ApplyT(func(cluster string) map[string]string {
		return nodeGroupTagMap(baseTags, cluster)
	}).(pulumi.StringMapOutput)

	nodeGroupNames := pulumi.StringMap{}
	autoscalingGroupNames := pulumi.StringMap{}
	for _, poolName := range slices.Sorted(maps.Keys(args.Pools)) {
		pool := args.Pools[poolName]

		lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt-"+poolName, launchTemplateArgs(name, poolName, pool, args.Tags), parent)
		if err != nil {
			return nil, fmt.Errorf("workers %q: pool %s: launch template: %w", name, poolName, err)
		}

		taints := eks.NodeGroupTaintArray{}
		for _, t := range pool.Taints {
			effect, err := TaintEffect(t.Effect)
			if err != nil { // unreachable after validate; kept so a future caller cannot skip it
				return nil, fmt.Errorf("workers %q: pool %s: %w", name, poolName, err)
			}
			taint := &eks.NodeGroupTaintArgs{Key: pulumi.String(t.Key), Effect: pulumi.String(effect)}
			if t.Value != "" {
				taint.Value = pulumi.String(t.Value)
			}
			taints = append(taints, taint)
		}

		labels := maps.Clone(pool.Labels)
		if labels == nil {
			labels = map[string]string{}
		}
		labels[PoolLabel] = poolName

		ngArgs := &eks.NodeGroupArgs{
			ClusterName:   args.ClusterName,
			NodeRoleArn:   role.Arn,
			SubnetIds:     args.SubnetIDs,
			InstanceTypes: pulumi.ToStringArray(pool.InstanceTypes),
			CapacityType:  pulumi.String(pool.CapacityType),
			AmiType:       pulumi.String(amiType(pool.InstanceTypes)),
			Labels:        pulumi.ToStringMap(labels),
			ScalingConfig: &eks.NodeGroupScalingConfigArgs{
				MinSize:     pulumi.Int(pool.MinSize),
				MaxSize:     pulumi.Int(pool.MaxSize),
				DesiredSize: pulumi.Int(pool.DesiredSize),
			},
			// One node at a time keeps PodDisruptionBudgets satisfiable during AMI rolls (EKS-05).
			UpdateConfig: &eks.NodeGroupUpdateConfigArgs{MaxUnavailable: pulumi.Int(1)},
			LaunchTemplate: &eks.NodeGroupLaunchTemplateArgs{
				Id: lt.ID(),
				// Follow the template's latest version so a template change rolls the nodes.
				Version: lt.LatestVersion.ApplyT(strconv.Itoa).(pulumi.StringOutput),
			},
			Tags: nodeGroupTags,
		}
		if len(taints) > 0 {
			ngArgs.Taints = taints
		}
		if args.KubernetesVersion != "" {
			ngArgs.Version = pulumi.String(args.KubernetesVersion)
		}
		ng, err := eks.NewNodeGroup(ctx, name+"-ng-"+poolName, ngArgs, parent,
			// The cluster autoscaler owns the desired size after creation.
			pulumi.IgnoreChanges([]string{"scalingConfig.desiredSize"}),
			// Nodes cannot join (or pull images) until the role has its policies; deleting the
			// policies before the node group would strand draining nodes.
			pulumi.DependsOn(attachments))
		if err != nil {
			return nil, fmt.Errorf("workers %q: pool %s: node group: %w", name, poolName, err)
		}
		nodeGroupNames[poolName] = ng.NodeGroupName
		autoscalingGroupNames[poolName] = autoscalingGroupName(ng)
	}

	w.NodeGroupNames = nodeGroupNames.ToStringMapOutput()
	w.RoleARN = role.Arn
	w.AutoscalingGroupNames = autoscalingGroupNames.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"nodeGroupNames":        w.NodeGroupNames,
		"roleArn":               w.RoleARN,
		"autoscalingGroupNames": w.AutoscalingGroupNames,
	}); err != nil {
		return nil, fmt.Errorf("workers %q: register outputs: %w", name, err)
	}
	return w, nil
}

// autoscalingGroupName is the name of the one Auto Scaling group EKS runs a managed node group on
// (resources[0].autoscalingGroups[0].name). A managed node group has exactly one; out-of-range
// indexes resolve to the empty string rather than failing, which only happens before EKS reports
// the group.
func autoscalingGroupName(ng *eks.NodeGroup) pulumi.StringOutput {
	return ng.Resources.Index(pulumi.Int(0)).AutoscalingGroups().Index(pulumi.Int(0)).Name().Elem()
}

// launchTemplateArgs builds one pool's launch template. It carries what the node group API
// cannot express (IMDSv2, the encrypted gp3 root volume, tag propagation) and nothing the
// node group must own: no instance type, no AMI, no user data, no IAM instance profile, no
// SSH key.
//
// There is deliberately no networkInterfaces block. With an interface block EC2 takes the
// security groups from that block only; left empty, nodes would get the VPC default security
// group instead of the EKS cluster security group EKS adds on its own, and could not reach the
// control plane. Public addressing (LT-02) is instead decided by the private subnets, which
// never map public IPs (NET-01), and managed node groups follow the subnet setting. So the
// template never sets associatePublicIpAddress at all, let alone true.
func launchTemplateArgs(component, poolName string, pool Pool, tags map[string]string) *ec2.LaunchTemplateArgs {
	propagated := maps.Clone(tags)
	if propagated == nil {
		propagated = map[string]string{}
	}
	if _, ok := propagated["Name"]; !ok {
		propagated["Name"] = component + "-" + poolName
	}
	propagated[PoolLabel] = poolName

	return &ec2.LaunchTemplateArgs{
		Description:          pulumi.String(fmt.Sprintf("EKS managed nodes for %s pool %s", component, poolName)),
		UpdateDefaultVersion: pulumi.Bool(true),
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"),
			HttpTokens:   pulumi.String("required"), // IMDSv2 only (LT-01)
			// 2, not 1: pods that still use the node's instance metadata (the VPC CNI, the EBS
			// CSI node plugin) sit one network hop behind the node.
			HttpPutResponseHopLimit: pulumi.Int(2),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
			&ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String("/dev/xvda"), // root device of the EKS AL2023 AMIs
				Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
					VolumeSize:          pulumi.Int(pool.DiskSizeGiB),
					VolumeType:          pulumi.String("gp3"),
					Encrypted:           pulumi.String("true"), // LT-03
					DeleteOnTermination: pulumi.String("true"),
				},
			},
		},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{
				ResourceType: pulumi.String("instance"),
				Tags:         pulumi.ToStringMap(propagated),
			},
			&ec2.LaunchTemplateTagSpecificationArgs{
				ResourceType: pulumi.String("volume"),
				Tags:         pulumi.ToStringMap(propagated),
			},
		},
		Tags: pulumi.ToStringMap(tags),
	}
}

// nodeGroupTagMap merges the user's tags with the cluster-autoscaler discovery tags.
func nodeGroupTagMap(tags map[string]string, clusterName string) map[string]string {
	out := maps.Clone(tags)
	if out == nil {
		out = map[string]string{}
	}
	out["k8s.io/cluster-autoscaler/enabled"] = "true"
	out["k8s.io/cluster-autoscaler/"+clusterName] = "owned"
	return out
}

// amiType picks the EKS-optimised Amazon Linux 2023 AMI family for a pool's instance types
// (validation guarantees one architecture per pool). Set explicitly so Graviton pools get the
// arm64 AMI and the AMI family never depends on EKS's version-dependent default. GPU
// instance types would need the NVIDIA variant, which Pool does not offer yet.
func amiType(instanceTypes []string) string {
	if len(instanceTypes) > 0 && isGraviton(instanceTypes[0]) {
		return "AL2023_ARM_64_STANDARD"
	}
	return "AL2023_x86_64_STANDARD"
}

type trustStatement struct {
	Effect    string            `json:"Effect"`
	Principal map[string]string `json:"Principal"`
	Action    string            `json:"Action"`
}

type trustDocument struct {
	Version   string           `json:"Version"`
	Statement []trustStatement `json:"Statement"`
}

// ec2TrustPolicy lets EC2 instances (the nodes) assume the node role.
func ec2TrustPolicy() (string, error) {
	out, err := json.Marshal(trustDocument{
		Version: "2012-10-17",
		Statement: []trustStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Service": "ec2.amazonaws.com"},
			Action:    "sts:AssumeRole",
		}},
	})
	if err != nil {
		return "", fmt.Errorf("ec2 trust policy: %w", err)
	}
	return string(out), nil
}
