package cluster

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// policyDocument is the subset of the IAM policy grammar this package writes. Building the
// documents from structs (rather than string templates) keeps quoting and key order correct.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal"`
	Action    string                       `json:"Action"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

const policyVersion = "2012-10-17"

// stsAudience is the audience EKS-projected service-account tokens carry when they are meant
// for AWS STS; the IRSA trust pins it so a token minted for another audience cannot be used.
const stsAudience = "sts.amazonaws.com"

var (
	oidcProviderARNPattern = regexp.MustCompile(`^arn:aws[-a-z]*:iam::\d{12}:oidc-provider/[^\s/]+(/[^\s/]+)*$`)
	// dnsSubdomainPattern matches Kubernetes namespace and service-account names
	// (RFC 1123 labels joined by dots; namespaces are single labels, which this also accepts).
	dnsSubdomainPattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// serviceTrustPolicy returns a trust policy that lets one AWS service principal (for example
// eks.amazonaws.com) assume the role.
func serviceTrustPolicy(service string) (string, error) {
	if service == "" {
		return "", fmt.Errorf("service principal must not be empty")
	}
	doc := policyDocument{
		Version: policyVersion,
		Statement: []policyStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Service": service},
			Action:    "sts:AssumeRole",
		}},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("service trust policy for %q: %w", service, err)
	}
	return string(out), nil
}

// IRSATrustPolicy returns the trust policy of an IAM role for a Kubernetes service account
// (IRSA). It federates the cluster's OIDC provider and pins both the token subject to exactly
// one service account and the audience to STS, so no other workload in the cluster can assume
// the role (policy IAM-02).
//
// issuer is the issuer host and path without the scheme (as in OIDCIssuer), for example
// "oidc.eks.us-east-1.amazonaws.com/id/ABC"; IAM condition keys use that form.
func IRSATrustPolicy(oidcProviderARN, issuer, namespace, serviceAccount string) (string, error) {
	var problems []string
	if !oidcProviderARNPattern.MatchString(oidcProviderARN) {
		problems = append(problems, fmt.Sprintf("oidcProviderARN %q is not a valid IAM OIDC provider ARN: must match arn:aws:iam::<12-digit account>:oidc-provider/<issuer>", oidcProviderARN))
	}
	switch {
	case issuer == "":
		problems = append(problems, "issuer must not be empty: pass the issuer host and path, e.g. oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE")
	case strings.Contains(issuer, "://"):
		problems = append(problems, fmt.Sprintf("issuer %q must not include a scheme: IAM condition keys use the host and path only", issuer))
	case strings.ContainsAny(issuer, " \t\n\""):
		problems = append(problems, fmt.Sprintf("issuer %q must not contain whitespace or quotes", issuer))
	}
	if len(namespace) > 63 || !dnsSubdomainPattern.MatchString(namespace) || strings.Contains(namespace, ".") {
		problems = append(problems, fmt.Sprintf("namespace %q is not a valid Kubernetes namespace: must be a lowercase RFC 1123 label of at most 63 characters", namespace))
	}
	if len(serviceAccount) > 253 || !dnsSubdomainPattern.MatchString(serviceAccount) {
		problems = append(problems, fmt.Sprintf("serviceAccount %q is not a valid Kubernetes service account name: must be a lowercase RFC 1123 subdomain of at most 253 characters", serviceAccount))
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("irsa trust policy: %s", strings.Join(problems, "; "))
	}

	doc := policyDocument{
		Version: policyVersion,
		Statement: []policyStatement{{
			Effect:    "Allow",
			Principal: map[string]string{"Federated": oidcProviderARN},
			Action:    "sts:AssumeRoleWithWebIdentity",
			Condition: map[string]map[string]string{
				// StringEquals, not StringLike: a wildcard subject would let any service
				// account in the namespace (or cluster) assume the role.
				"StringEquals": {
					issuer + ":sub": "system:serviceaccount:" + namespace + ":" + serviceAccount,
					issuer + ":aud": stsAudience,
				},
			},
		}},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("irsa trust policy: %w", err)
	}
	return string(out), nil
}

// IRSATrustPolicyOutput is IRSATrustPolicy over Outputs, for use with the OIDCProviderARN and
// OIDCIssuer fields of a Cluster. Invalid inputs surface as an error of the resulting Output
// (and so of the resource that consumes it).
func IRSATrustPolicyOutput(oidcProviderARN, issuer pulumi.StringInput, namespace, serviceAccount string) pulumi.StringOutput {
	return pulumi.All(oidcProviderARN, issuer).ApplyT(func(v []any) (string, error) {
		return IRSATrustPolicy(v[0].(string), v[1].(string), namespace, serviceAccount)
	}).(pulumi.StringOutput)
}

// issuerHostPath strips the scheme from an OIDC issuer URL: IAM condition keys and the OIDC
// provider ARN use "host/path", while EKS reports "https://host/path".
func issuerHostPath(issuerURL string) string {
	return strings.TrimPrefix(issuerURL, "https://")
}
