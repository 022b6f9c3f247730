package cluster

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	storagev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/storage/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the Pulumi type of the Cluster component.
const TypeToken = "cutover:cluster:Cluster"

// StorageClassName is the cluster's default storage class (encrypted gp3 through EBS CSI).
const StorageClassName = "gp3"

const (
	managedPolicyPrefix = "arn:aws:iam::aws:policy/"
	// clusterPolicyName is the only managed policy the control-plane role needs.
	clusterPolicyName = "AmazonEKSClusterPolicy"
	// ebsCSIPolicyPath is the AWS-managed policy for the EBS CSI controller (under service-role/).
	ebsCSIPolicyPath = "service-role/AmazonEBSCSIDriverPolicy"
	// clusterAdminAccessPolicyARN is the EKS access policy equivalent to cluster-admin.
	clusterAdminAccessPolicyARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

	// eksOIDCRootCAThumbprint is the SHA-1 thumbprint of the root CA (Starfield Services Root
	// Certificate Authority - G2, valid until 2037) that the oidc.eks.<region>.amazonaws.com
	// issuers chain to. IAM validates EKS issuers against its own library of trusted root CAs
	// and no longer uses the thumbprint for them; it is still passed so the provider resource
	// is accepted by API paths and tools that require at least one thumbprint, and so the
	// input is a fixed value instead of whatever IAM computes on create.
	eksOIDCRootCAThumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

	// kmsDeletionWindowDays is the longest window KMS allows: a scheduled deletion of the key
	// that protects every Kubernetes secret should leave the most time to cancel it.
	kmsDeletionWindowDays = 30

	ebsCSINamespace      = "kube-system"
	ebsCSIServiceAccount = "ebs-csi-controller-sa"
)

// enabledLogTypes are the control-plane logs shipped to CloudWatch (policy EKS-03). The
// controllerManager and scheduler logs are left off: they are noisy and not needed for audit.
var enabledLogTypes = []string{"api", "audit", "authenticator"}

// addonNames are the EKS managed add-ons installed on every cluster, in creation order.
var addonNames = []string{"vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"}

// Cluster is an EKS control plane with its IAM, encryption, identity and access wiring.
type Cluster struct {
	pulumi.ResourceState

	// Name is the EKS cluster name (ClusterArgs.Name, or auto-named by Pulumi when empty).
	Name pulumi.StringOutput
	// Endpoint is the API server URL.
	Endpoint pulumi.StringOutput
	// CertificateAuthority is the base64 PEM of the cluster CA, as EKS reports it.
	CertificateAuthority pulumi.StringOutput
	// Kubeconfig authenticates with `aws eks get-token`, so it holds no credential; it is
	// still a secret so the production endpoint and CA stay out of logs and plain output.
	Kubeconfig pulumi.StringOutput
	// OIDCProviderARN is the IAM OIDC provider for IRSA roles.
	OIDCProviderARN pulumi.StringOutput
	// OIDCIssuer is the issuer host and path without https://, the prefix of IRSA condition
	// keys (see IRSATrustPolicy).
	OIDCIssuer pulumi.StringOutput

	// Provider is the Kubernetes provider built from Kubeconfig, usable as soon as the control
	// plane exists (the component's own storage class uses it). Objects that need nodes should go
	// through a provider whose kubeconfig also waits for the node groups, as infra/program does.
	// It is a documented exception to "Output fields only": a provider cannot be an Output.
	Provider *kubernetes.Provider
}

// NewCluster builds the EKS control plane.
//
// Authentication mode is API (access entries only, no aws-auth ConfigMap). The identity that
// runs `pulumi up` keeps the admin access entry EKS creates for the cluster creator, because
// the returned Provider acts as that identity; AdminPrincipalARNs add further administrators.
//
// The coredns and aws-ebs-csi-driver add-ons only become ACTIVE once worker nodes exist. Do
// not make worker node groups depend on this whole component (pulumi.DependsOn(cluster)):
// that would wait for those add-ons, which wait for the nodes. Pass Cluster.Name instead.
func NewCluster(ctx *pulumi.Context, name string, args *ClusterArgs, opts ...pulumi.ResourceOption) (*Cluster, error) {
	if args == nil {
		args = &ClusterArgs{}
	}
	args = args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("cluster %q: invalid args:\n%w", name, err)
	}

	c := &Cluster{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cluster %q: register component: %w", name, err)
	}
	parent := pulumi.Parent(c)
	tags := pulumi.ToStringMap(args.Tags)

	// Control-plane role.
	trust, err := serviceTrustPolicy("eks.amazonaws.com")
	if err != nil {
		return nil, fmt.Errorf("cluster %q: role trust: %w", name, err)
	}
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("EKS control plane role for " + name),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: role: %w", name, err)
	}
	rolePolicy, err := iam.NewRolePolicyAttachment(ctx, name+"-role-"+clusterPolicyName, &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(managedPolicyPrefix + clusterPolicyName),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: role policy %s: %w", name, clusterPolicyName, err)
	}

	// Envelope encryption key for Kubernetes secrets (policy EKS-02). Protected together with
	// the cluster: losing the key makes every secret in etcd unreadable.
	key, err := kms.NewKey(ctx, name+"-kms", &kms.KeyArgs{
		Description:          pulumi.String("EKS secrets envelope encryption for " + name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(kmsDeletionWindowDays),
		Tags:                 tags,
	}, parent, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("cluster %q: kms key: %w", name, err)
	}
	// A name prefix, not a fixed name: aliases are unique per account and region, and several
	// stacks may share an account.
	if _, err := kms.NewAlias(ctx, name+"-kms-alias", &kms.AliasArgs{
		NamePrefix:  pulumi.String("alias/" + aliasSafe(name) + "-eks-secrets-"),
		TargetKeyId: key.KeyId,
	}, parent); err != nil {
		return nil, fmt.Errorf("cluster %q: kms alias: %w", name, err)
	}

	// The control plane.
	vpcConfig := &eks.ClusterVpcConfigArgs{
		SubnetIds:             args.SubnetIDs,
		EndpointPrivateAccess: pulumi.Bool(true),
		EndpointPublicAccess:  pulumi.Bool(len(args.PublicAccessCIDRs) > 0),
	}
	if len(args.PublicAccessCIDRs) > 0 {
		vpcConfig.PublicAccessCidrs = pulumi.ToStringArray(args.PublicAccessCIDRs)
	}
	clusterArgs := &eks.ClusterArgs{
		Version:   pulumi.String(args.Version),
		RoleArn:   role.Arn,
		VpcConfig: vpcConfig,
		EncryptionConfig: &eks.ClusterEncryptionConfigArgs{
			Resources: pulumi.StringArray{pulumi.String("secrets")},
			Provider:  &eks.ClusterEncryptionConfigProviderArgs{KeyArn: key.Arn},
		},
		EnabledClusterLogTypes: pulumi.ToStringArray(enabledLogTypes),
		AccessConfig: &eks.ClusterAccessConfigArgs{
			AuthenticationMode: pulumi.String("API"),
			// Pinned explicitly because changing it replaces the cluster; true keeps the
			// deploying identity able to create in-cluster resources through Provider.
			BootstrapClusterCreatorAdminPermissions: pulumi.Bool(true),
		},
		Tags: tags,
	}
	if args.Name != "" {
		clusterArgs.Name = pulumi.String(args.Name)
	}
	eksCluster, err := eks.NewCluster(ctx, name+"-eks", clusterArgs, parent, pulumi.Protect(args.Protect),
		// Without the policy attached first, EKS can fail to create the ENIs and log groups.
		pulumi.DependsOn([]pulumi.Resource{rolePolicy}))
	if err != nil {
		return nil, fmt.Errorf("cluster %q: eks cluster: %w", name, err)
	}

	issuerURL := eksCluster.Identities.ApplyT(func(ids []eks.ClusterIdentity) (string, error) {
		for _, id := range ids {
			for _, o := range id.Oidcs {
				if o.Issuer != nil && *o.Issuer != "" {
					return *o.Issuer, nil
				}
			}
		}
		return "", fmt.Errorf("cluster %q: EKS reported no OIDC issuer", name)
	}).(pulumi.StringOutput)
	issuer := issuerURL.ApplyT(issuerHostPath).(pulumi.StringOutput)

	oidc, err := iam.NewOpenIdConnectProvider(ctx, name+"-oidc", &iam.OpenIdConnectProviderArgs{
		Url:             issuerURL,
		ClientIdLists:   pulumi.StringArray{pulumi.String(stsAudience)},
		ThumbprintLists: pulumi.StringArray{pulumi.String(eksOIDCRootCAThumbprint)},
		Tags:            tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: oidc provider: %w", name, err)
	}

	// Administrators, keyed by principal kind and name (never list position).
	admins := slices.Clone(args.AdminPrincipalARNs)
	slices.SortFunc(admins, func(a, b string) int { return strings.Compare(adminKey(a), adminKey(b)) })
	for _, arn := range admins {
		k := adminKey(arn)
		entry, err := eks.NewAccessEntry(ctx, name+"-admin-"+k, &eks.AccessEntryArgs{
			ClusterName:  eksCluster.Name,
			PrincipalArn: pulumi.String(arn),
			Type:         pulumi.String("STANDARD"),
			Tags:         tags,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("cluster %q: access entry %s: %w", name, k, err)
		}
		if _, err := eks.NewAccessPolicyAssociation(ctx, name+"-admin-"+k+"-cluster-admin", &eks.AccessPolicyAssociationArgs{
			ClusterName: eksCluster.Name,
			// From the entry, not the plain ARN, so the association waits for the entry.
			PrincipalArn: entry.PrincipalArn,
			PolicyArn:    pulumi.String(clusterAdminAccessPolicyARN),
			AccessScope:  &eks.AccessPolicyAssociationAccessScopeArgs{Type: pulumi.String("cluster")},
		}, parent); err != nil {
			return nil, fmt.Errorf("cluster %q: access policy %s: %w", name, k, err)
		}
	}

	// IRSA role for the EBS CSI controller.
	ebsRole, err := iam.NewRole(ctx, name+"-ebs-csi-role", &iam.RoleArgs{
		Description:      pulumi.String("EBS CSI controller (IRSA) for " + name),
		AssumeRolePolicy: IRSATrustPolicyOutput(oidc.Arn, issuer, ebsCSINamespace, ebsCSIServiceAccount),
		Tags:             tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: ebs csi role: %w", name, err)
	}
	ebsPolicy, err := iam.NewRolePolicyAttachment(ctx, name+"-ebs-csi-role-AmazonEBSCSIDriverPolicy", &iam.RolePolicyAttachmentArgs{
		Role:      ebsRole.Name,
		PolicyArn: pulumi.String(managedPolicyPrefix + ebsCSIPolicyPath),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: ebs csi role policy: %w", name, err)
	}

	// Managed add-ons. No addonVersion: EKS installs its default for the cluster version at
	// creation and the version then stays put until set here deliberately.
	var ebsAddon *eks.Addon
	for _, addon := range addonNames {
		addonArgs := &eks.AddonArgs{
			ClusterName: eksCluster.Name,
			AddonName:   pulumi.String(addon),
			// EKS pre-installs self-managed vpc-cni, coredns and kube-proxy; OVERWRITE lets the
			// managed add-on take them over. PRESERVE on update keeps later in-cluster tuning.
			ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
			ResolveConflictsOnUpdate: pulumi.String("PRESERVE"),
			Tags:                     tags,
		}
		addonOpts := []pulumi.ResourceOption{parent}
		if addon == "aws-ebs-csi-driver" {
			addonArgs.ServiceAccountRoleArn = ebsRole.Arn
			addonOpts = append(addonOpts, pulumi.DependsOn([]pulumi.Resource{ebsPolicy}))
		}
		created, err := eks.NewAddon(ctx, name+"-addon-"+addon, addonArgs, addonOpts...)
		if err != nil {
			return nil, fmt.Errorf("cluster %q: addon %s: %w", name, addon, err)
		}
		if addon == "aws-ebs-csi-driver" {
			ebsAddon = created
		}
	}

	caData := eksCluster.CertificateAuthority.Data().Elem()
	region := args.Region
	kubeconfig := pulumi.ToSecret(pulumi.All(eksCluster.Name, eksCluster.Endpoint, caData).ApplyT(
		func(v []any) (string, error) {
			return Kubeconfig(v[0].(string), v[1].(string), v[2].(string), region)
		})).(pulumi.StringOutput)

	provider, err := kubernetes.NewProvider(ctx, name+"-k8s", &kubernetes.ProviderArgs{
		Kubeconfig: kubeconfig,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cluster %q: kubernetes provider: %w", name, err)
	}

	// The default storage class: encrypted gp3 volumes through the EBS CSI add-on. EKS's own gp2
	// class uses the in-tree driver name and leaves volumes unencrypted; Prometheus's volume and any
	// workload that asks for storage get this one.
	if _, err := storagev1.NewStorageClass(ctx, name+"-gp3", &storagev1.StorageClassArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:        pulumi.String(StorageClassName),
			Annotations: pulumi.StringMap{"storageclass.kubernetes.io/is-default-class": pulumi.String("true")},
		},
		Provisioner:          pulumi.String("ebs.csi.aws.com"),
		Parameters:           pulumi.StringMap{"type": pulumi.String("gp3"), "encrypted": pulumi.String("true"), "fsType": pulumi.String("ext4")},
		VolumeBindingMode:    pulumi.String("WaitForFirstConsumer"),
		AllowVolumeExpansion: pulumi.Bool(true),
		ReclaimPolicy:        pulumi.String("Delete"),
	}, parent, pulumi.Provider(provider), pulumi.DependsOn([]pulumi.Resource{ebsAddon})); err != nil {
		return nil, fmt.Errorf("cluster %q: storage class: %w", name, err)
	}

	c.Name = eksCluster.Name
	c.Endpoint = eksCluster.Endpoint
	c.CertificateAuthority = caData
	c.Kubeconfig = kubeconfig
	c.OIDCProviderARN = oidc.Arn
	c.OIDCIssuer = issuer
	c.Provider = provider

	// Provider is not an Output and so is not registered as one.
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"name":                 c.Name,
		"endpoint":             c.Endpoint,
		"certificateAuthority": c.CertificateAuthority,
		"kubeconfig":           c.Kubeconfig,
		"oidcProviderArn":      c.OIDCProviderARN,
		"oidcIssuer":           c.OIDCIssuer,
	}); err != nil {
		return nil, fmt.Errorf("cluster %q: register outputs: %w", name, err)
	}
	return c, nil
}

// aliasSafe maps a component name onto the characters KMS alias names allow.
func aliasSafe(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
