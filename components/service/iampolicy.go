package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// PolicyDocument is an IAM policy document. Every Action and Resource is a
// list, even with one entry, so the policy pack reads one shape.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one statement of a PolicyDocument. Condition maps an
// operator (StringEquals, Null, ArnLike) to condition keys and their values;
// encoding/json sorts map keys, so the rendered document is deterministic.
type PolicyStatement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]string         `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

const policyVersion = "2012-10-17"

// Names tying the controller's Kubernetes identity to its IAM role.
const (
	ControllerNamespace      = "kube-system"
	ControllerServiceAccount = "aws-load-balancer-controller"
	// clusterTagKey is the tag the controller puts on every load balancer,
	// target group and security group it creates, valued with the cluster
	// name; the policy only lets it modify or delete resources carrying it.
	clusterTagKey = "elbv2.k8s.aws/cluster"
)

// ControllerPolicyParams are the plain values the controller policy is scoped to.
type ControllerPolicyParams struct {
	// ClusterName is the EKS cluster name, the value of the cluster tag.
	ClusterName string
	// Region is the AWS region of the cluster; every ARN is limited to it.
	Region string
	// VpcID is the cluster VPC; security groups are only created in it and
	// node security groups only opened within it.
	VpcID string
}

var (
	regionRE = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	vpcIDRE  = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

func (p ControllerPolicyParams) validate() error {
	var errs []error
	if p.ClusterName == "" {
		errs = append(errs, errors.New("ClusterName: '' is not a valid cluster name: must not be empty"))
	}
	if !regionRE.MatchString(p.Region) {
		errs = append(errs, fmt.Errorf("Region: '%s' is not a valid AWS region: must look like us-east-1", p.Region))
	}
	if !vpcIDRE.MatchString(p.VpcID) {
		errs = append(errs, fmt.Errorf("VpcID: '%s' is not a valid VPC ID: must look like vpc-0123456789abcdef0", p.VpcID))
	}
	return errors.Join(errs...)
}

// partitionForRegion returns the ARN partition of a region.
func partitionForRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

// ControllerPolicy builds the AWS Load Balancer Controller's IAM policy.
//
// It follows the shape of the policy AWS publishes for the controller, made
// narrower where IAM allows:
//   - Resource "*" only for Describe*/Get* reads (which have no resource-level
//     permissions) and for creates whose request must carry the cluster tag;
//   - writes on load balancers, target groups and security groups require the
//     resource's cluster tag to equal this cluster's name (AWS's published
//     policy only requires the tag to exist, i.e. any cluster's);
//   - every ARN is limited to the cluster's region, security groups are only
//     created in the cluster VPC and untagged (node) security groups only
//     opened within it;
//   - listeners and rules have no cluster tag to test, so they are limited by
//     ARN type to NLB/ALB listeners and rules in the region;
//   - WAF, Shield and Cognito permissions are left out: the chart is installed
//     with those add-ons disabled, since only NLB Services are used.
func ControllerPolicy(p ControllerPolicyParams) (PolicyDocument, error) {
	if err := p.validate(); err != nil {
		return PolicyDocument{}, err
	}
	partition := partitionForRegion(p.Region)
	ec2ARN := func(resource string) string {
		return fmt.Sprintf("arn:%s:ec2:%s:*:%s", partition, p.Region, resource)
	}
	elbARN := func(resource string) string {
		return fmt.Sprintf("arn:%s:elasticloadbalancing:%s:*:%s", partition, p.Region, resource)
	}
	securityGroups := []string{ec2ARN("security-group/*")}
	vpcARN := ec2ARN("vpc/" + p.VpcID)
	loadBalancersAndTargetGroups := []string{
		elbARN("loadbalancer/net/*/*"),
		elbARN("loadbalancer/app/*/*"),
		elbARN("targetgroup/*/*"),
	}
	listeners := []string{
		elbARN("listener/net/*/*/*"),
		elbARN("listener/app/*/*/*"),
		elbARN("listener-rule/app/*/*/*"),
	}
	// CreateListener is authorised against the load balancer it adds to.
	listenerParents := append([]string{
		elbARN("loadbalancer/net/*/*"),
		elbARN("loadbalancer/app/*/*"),
	}, listeners...)
	requestTagged := map[string]any{"aws:RequestTag/" + clusterTagKey: p.ClusterName}
	resourceTagged := map[string]any{"aws:ResourceTag/" + clusterTagKey: p.ClusterName}
	// Tag edits on the controller's own resources may not touch the cluster
	// tag itself, or the controller could adopt or orphan another resource.
	keepClusterTag := map[string]any{"aws:RequestTag/" + clusterTagKey: "true"}

	statements := []PolicyStatement{
		{
			Sid:      "CreateELBServiceLinkedRole",
			Action:   []string{"iam:CreateServiceLinkedRole"},
			Resource: []string{fmt.Sprintf("arn:%s:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing", partition)},
			Condition: map[string]map[string]any{
				"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"},
			},
		},
		{
			Sid: "ReadOnlyDiscovery",
			Action: []string{
				"acm:DescribeCertificate",
				"ec2:DescribeAccountAttributes",
				"ec2:DescribeAddresses",
				"ec2:DescribeAvailabilityZones",
				"ec2:DescribeCoipPools",
				"ec2:DescribeInstances",
				"ec2:DescribeInternetGateways",
				"ec2:DescribeIpamPools",
				"ec2:DescribeNetworkInterfaces",
				"ec2:DescribeRouteTables",
				"ec2:DescribeSecurityGroups",
				"ec2:DescribeSubnets",
				"ec2:DescribeTags",
				"ec2:DescribeVpcPeeringConnections",
				"ec2:DescribeVpcs",
				"ec2:GetCoipPoolUsage",
				"ec2:GetSecurityGroupsForVpc",
				"elasticloadbalancing:DescribeCapacityReservation",
				"elasticloadbalancing:DescribeListenerAttributes",
				"elasticloadbalancing:DescribeListenerCertificates",
				"elasticloadbalancing:DescribeListeners",
				"elasticloadbalancing:DescribeLoadBalancerAttributes",
				"elasticloadbalancing:DescribeLoadBalancers",
				"elasticloadbalancing:DescribeRules",
				"elasticloadbalancing:DescribeSSLPolicies",
				"elasticloadbalancing:DescribeTags",
				"elasticloadbalancing:DescribeTargetGroupAttributes",
				"elasticloadbalancing:DescribeTargetGroups",
				"elasticloadbalancing:DescribeTargetHealth",
				"elasticloadbalancing:DescribeTrustStores",
			},
			Resource: []string{"*"},
		},
		{
			Sid:       "CreateTaggedSecurityGroups",
			Action:    []string{"ec2:CreateSecurityGroup"},
			Resource:  securityGroups,
			Condition: map[string]map[string]any{"StringEquals": requestTagged},
		},
		{
			// CreateSecurityGroup is also authorised against the VPC it is created in.
			Sid:      "CreateSecurityGroupsInClusterVpc",
			Action:   []string{"ec2:CreateSecurityGroup"},
			Resource: []string{vpcARN},
		},
		{
			Sid:      "TagSecurityGroupsOnCreate",
			Action:   []string{"ec2:CreateTags"},
			Resource: securityGroups,
			Condition: map[string]map[string]any{
				"StringEquals": {
					"ec2:CreateAction":                "CreateSecurityGroup",
					"aws:RequestTag/" + clusterTagKey: p.ClusterName,
				},
			},
		},
		{
			Sid:      "RetagOwnSecurityGroups",
			Action:   []string{"ec2:CreateTags", "ec2:DeleteTags"},
			Resource: securityGroups,
			Condition: map[string]map[string]any{
				"StringEquals": resourceTagged,
				"Null":         keepClusterTag,
			},
		},
		{
			Sid:       "ManageOwnSecurityGroups",
			Action:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupIngress"},
			Resource:  securityGroups,
			Condition: map[string]map[string]any{"StringEquals": resourceTagged},
		},
		{
			// The controller also adds the NLB's rules to the pods' own (node
			// or cluster) security groups, which it did not create and which
			// carry no cluster tag; those are limited to the cluster VPC.
			Sid:       "OpenClusterVpcSecurityGroupsToLoadBalancers",
			Action:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"},
			Resource:  securityGroups,
			Condition: map[string]map[string]any{"ArnLike": {"ec2:Vpc": vpcARN}},
		},
		{
			Sid:       "CreateTaggedLoadBalancersAndTargetGroups",
			Action:    []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"},
			Resource:  loadBalancersAndTargetGroups,
			Condition: map[string]map[string]any{"StringEquals": requestTagged},
		},
		{
			// Tags passed to a Create* call are authorised as AddTags.
			Sid:      "TagLoadBalancersAndTargetGroupsOnCreate",
			Action:   []string{"elasticloadbalancing:AddTags"},
			Resource: loadBalancersAndTargetGroups,
			Condition: map[string]map[string]any{
				"StringEquals": {
					"elasticloadbalancing:CreateAction": []string{"CreateLoadBalancer", "CreateTargetGroup"},
					"aws:RequestTag/" + clusterTagKey:   p.ClusterName,
				},
			},
		},
		{
			Sid:      "RetagOwnLoadBalancersAndTargetGroups",
			Action:   []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
			Resource: loadBalancersAndTargetGroups,
			Condition: map[string]map[string]any{
				"StringEquals": resourceTagged,
				"Null":         keepClusterTag,
			},
		},
		{
			Sid: "ManageOwnLoadBalancersAndTargetGroups",
			Action: []string{
				"elasticloadbalancing:DeleteLoadBalancer",
				"elasticloadbalancing:DeleteTargetGroup",
				"elasticloadbalancing:DeregisterTargets",
				"elasticloadbalancing:ModifyCapacityReservation",
				"elasticloadbalancing:ModifyIpPools",
				"elasticloadbalancing:ModifyLoadBalancerAttributes",
				"elasticloadbalancing:ModifyTargetGroup",
				"elasticloadbalancing:ModifyTargetGroupAttributes",
				"elasticloadbalancing:RegisterTargets",
				"elasticloadbalancing:SetIpAddressType",
				"elasticloadbalancing:SetSecurityGroups",
				"elasticloadbalancing:SetSubnets",
			},
			Resource:  loadBalancersAndTargetGroups,
			Condition: map[string]map[string]any{"StringEquals": resourceTagged},
		},
		{
			Sid: "ManageListenersAndRules",
			Action: []string{
				"elasticloadbalancing:AddListenerCertificates",
				"elasticloadbalancing:CreateListener",
				"elasticloadbalancing:CreateRule",
				"elasticloadbalancing:DeleteListener",
				"elasticloadbalancing:DeleteRule",
				"elasticloadbalancing:ModifyListener",
				"elasticloadbalancing:ModifyListenerAttributes",
				"elasticloadbalancing:ModifyRule",
				"elasticloadbalancing:RemoveListenerCertificates",
			},
			Resource: listenerParents,
		},
		{
			// Listeners and rules only; tags on load balancers and target
			// groups stay under the cluster-tag statements above.
			Sid:      "TagListenersAndRules",
			Action:   []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
			Resource: listeners,
		},
	}
	for i := range statements {
		statements[i].Effect = "Allow"
	}
	return PolicyDocument{Version: policyVersion, Statement: statements}, nil
}

// ControllerPolicyJSON renders ControllerPolicy as indented JSON (indented so
// the golden file and the IAM console diff read line by line).
func ControllerPolicyJSON(p ControllerPolicyParams) (string, error) {
	doc, err := ControllerPolicy(p)
	if err != nil {
		return "", err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// IRSATrustPolicy lets exactly one Kubernetes service account assume a role
// through the cluster's OIDC provider: the token's subject must be that
// service account and its audience STS.
func IRSATrustPolicy(oidcProviderARN, oidcIssuerURL, namespace, serviceAccount string) (string, error) {
	var errs []error
	if !strings.HasPrefix(oidcProviderARN, "arn:") || !strings.Contains(oidcProviderARN, ":oidc-provider/") {
		errs = append(errs, fmt.Errorf("OIDCProviderARN: '%s' is not a valid OIDC provider ARN: must look like arn:aws:iam::123456789012:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>", oidcProviderARN))
	}
	issuer := strings.TrimPrefix(oidcIssuerURL, "https://")
	if issuer == "" || strings.Contains(issuer, "://") || strings.HasSuffix(issuer, "/") {
		errs = append(errs, fmt.Errorf("OIDCIssuer: '%s' is not a valid issuer URL: must look like https://oidc.eks.<region>.amazonaws.com/id/<id>", oidcIssuerURL))
	}
	if namespace == "" || serviceAccount == "" {
		errs = append(errs, fmt.Errorf("service account '%s/%s' is not valid: namespace and name must be set", namespace, serviceAccount))
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	doc := PolicyDocument{
		Version: policyVersion,
		Statement: []PolicyStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Federated": oidcProviderARN},
			Action:    []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: map[string]map[string]any{
				"StringEquals": {
					issuer + ":sub": "system:serviceaccount:" + namespace + ":" + serviceAccount,
					issuer + ":aud": "sts.amazonaws.com",
				},
			},
		}},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	return string(out), nil
}
