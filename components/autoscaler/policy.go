package autoscaler

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Names tying the autoscaler's Kubernetes identity to its IAM role.
const (
	Namespace      = "kube-system"
	ServiceAccount = "cluster-autoscaler"
)

// Tag keys the autoscaler discovers its Auto Scaling groups by; the IAM policy only lets it
// resize or shrink groups that carry both.
const (
	EnabledTagKey     = "k8s.io/cluster-autoscaler/enabled"
	ownerTagKeyPrefix = "k8s.io/cluster-autoscaler/"
	ownerTagValue     = "owned"
	enabledTagValue   = "true"
	stsAudience       = "sts.amazonaws.com"
	policyVersion     = "2012-10-17"
)

// OwnerTagKey is the discovery tag key that names the cluster, valued "owned".
func OwnerTagKey(clusterName string) string { return ownerTagKeyPrefix + clusterName }

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

// policyStatement lists Action and Resource even with one entry, so the policy pack reads one
// shape; encoding/json sorts Condition's map keys, so the rendered document is deterministic.
type policyStatement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

var (
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	oidcARNPattern     = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::([0-9]{12}):oidc-provider/([^\s"]+)$`)
)

// discoveryReads are the calls the autoscaler makes to find its groups and model their nodes.
// None of them supports resource-level permissions, so they are granted on "*"; they read only.
var discoveryReads = []string{
	"autoscaling:DescribeAutoScalingGroups",
	"autoscaling:DescribeAutoScalingInstances",
	"autoscaling:DescribeLaunchConfigurations",
	"autoscaling:DescribeScalingActivities",
	"autoscaling:DescribeTags",
	"ec2:DescribeImages",
	"ec2:DescribeInstanceTypes",
	"ec2:DescribeLaunchTemplateVersions",
	"ec2:GetInstanceTypesFromInstanceRequirements",
}

// scalingWrites are the only calls that change anything: resizing a group and removing one
// drained instance from it.
var scalingWrites = []string{
	"autoscaling:SetDesiredCapacity",
	"autoscaling:TerminateInstanceInAutoScalingGroup",
}

// PolicyParams are the plain values the autoscaler's permissions are scoped to.
type PolicyParams struct {
	// ClusterName is the EKS cluster name; the discovery tag key embeds it.
	ClusterName string
	// Region is the cluster's region; every ARN is limited to it.
	Region string
	// OIDCProviderARN is the cluster's IAM OIDC provider; its account is the account of every ARN.
	OIDCProviderARN string
}

func (p PolicyParams) validate() (partition, account string, err error) {
	var errs []error
	if !clusterNamePattern.MatchString(p.ClusterName) {
		errs = append(errs, fmt.Errorf("ClusterName: '%s' is not a valid EKS cluster name: letters, digits, - and _, at most 100 characters", p.ClusterName))
	}
	if !regionPattern.MatchString(p.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", p.Region))
	}
	m := oidcARNPattern.FindStringSubmatch(p.OIDCProviderARN)
	if m == nil {
		errs = append(errs, fmt.Errorf("OIDCProviderARN: '%s' is not an IAM OIDC provider ARN: must look like arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE", p.OIDCProviderARN))
		return "", "", errors.Join(errs...)
	}
	return m[1], m[2], errors.Join(errs...)
}

// PermissionsPolicy builds the autoscaler's IAM policy:
//   - the two scaling writes only on Auto Scaling groups of the cluster's account and region that
//     carry both discovery tags with this cluster's name (a condition on the group's own tags, so
//     another cluster's or an untagged group cannot be resized even though group ARNs hold a
//     random ID that cannot be listed in advance);
//   - eks:DescribeNodegroup only on this cluster's node groups (it reads labels and taints of a
//     group scaled to zero);
//   - the discovery reads on "*", as they allow nothing narrower.
func PermissionsPolicy(p PolicyParams) (string, error) {
	partition, account, err := p.validate()
	if err != nil {
		return "", fmt.Errorf("cluster autoscaler policy: %w", err)
	}
	doc := policyDocument{
		Version: policyVersion,
		Statement: []policyStatement{
			{
				Sid:    "ScaleOwnNodeGroups",
				Effect: "Allow",
				Action: append([]string(nil), scalingWrites...),
				Resource: []string{
					fmt.Sprintf("arn:%s:autoscaling:%s:%s:autoScalingGroup:*:autoScalingGroupName/*", partition, p.Region, account),
				},
				Condition: map[string]map[string]string{
					"StringEquals": {
						"aws:ResourceTag/" + OwnerTagKey(p.ClusterName): ownerTagValue,
						"aws:ResourceTag/" + EnabledTagKey:              enabledTagValue,
					},
				},
			},
			{
				Sid:      "DescribeOwnManagedNodeGroups",
				Effect:   "Allow",
				Action:   []string{"eks:DescribeNodegroup"},
				Resource: []string{fmt.Sprintf("arn:%s:eks:%s:%s:nodegroup/%s/*/*", partition, p.Region, account, p.ClusterName)},
			},
			{
				Sid:      "DiscoverNodeGroups",
				Effect:   "Allow",
				Action:   append([]string(nil), discoveryReads...),
				Resource: []string{"*"},
			},
		},
	}
	return marshal(doc)
}

// TrustPolicy lets only the kube-system/cluster-autoscaler service account assume the role,
// through the cluster's OIDC provider, with tokens minted for STS. issuer may be given with or
// without its https:// scheme; the condition keys use host and path.
func TrustPolicy(oidcProviderARN, issuer string) (string, error) {
	var errs []error
	if !oidcARNPattern.MatchString(oidcProviderARN) {
		errs = append(errs, fmt.Errorf("OIDCProviderARN: '%s' is not an IAM OIDC provider ARN: must look like arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE", oidcProviderARN))
	}
	hostPath := strings.TrimPrefix(issuer, "https://")
	if hostPath == "" || strings.Contains(hostPath, "://") || strings.ContainsAny(hostPath, " \t\n\"") || strings.HasSuffix(hostPath, "/") {
		errs = append(errs, fmt.Errorf("OIDCIssuer: '%s' is not an OIDC issuer: must look like oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE (with or without https://)", issuer))
	}
	if len(errs) > 0 {
		return "", fmt.Errorf("cluster autoscaler trust policy: %w", errors.Join(errs...))
	}
	return marshal(policyDocument{
		Version: policyVersion,
		Statement: []policyStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Federated": oidcProviderARN},
			Action:    []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: map[string]map[string]string{
				// StringEquals on the full subject: a StringLike wildcard would let other service
				// accounts resize the cluster's node groups.
				"StringEquals": {
					hostPath + ":sub": "system:serviceaccount:" + Namespace + ":" + ServiceAccount,
					hostPath + ":aud": stsAudience,
				},
			},
		}},
	})
}

func marshal(doc policyDocument) (string, error) {
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("marshal IAM document: %w", err)
	}
	return string(out), nil
}
