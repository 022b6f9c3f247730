package cluster

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// The kubeconfig types mirror the parts of client-go's clientcmd v1 schema that an EKS
// kubeconfig needs. JSON is valid YAML, so kubectl and the Kubernetes provider read it as is.
type kubeconfigFile struct {
	APIVersion     string              `json:"apiVersion"`
	Kind           string              `json:"kind"`
	Clusters       []kubeconfigCluster `json:"clusters"`
	Contexts       []kubeconfigContext `json:"contexts"`
	CurrentContext string              `json:"current-context"`
	Preferences    struct{}            `json:"preferences"`
	Users          []kubeconfigUser    `json:"users"`
}

type kubeconfigCluster struct {
	Name    string `json:"name"`
	Cluster struct {
		Server                   string `json:"server"`
		CertificateAuthorityData string `json:"certificate-authority-data"`
	} `json:"cluster"`
}

type kubeconfigContext struct {
	Name    string `json:"name"`
	Context struct {
		Cluster string `json:"cluster"`
		User    string `json:"user"`
	} `json:"context"`
}

type kubeconfigUser struct {
	Name string `json:"name"`
	User struct {
		Exec kubeconfigExec `json:"exec"`
	} `json:"user"`
}

type kubeconfigExec struct {
	APIVersion string   `json:"apiVersion"`
	Command    string   `json:"command"`
	Args       []string `json:"args"`
	// InteractiveMode Never: the token command never prompts, so a CI run fails fast instead
	// of hanging on a credential prompt.
	InteractiveMode string `json:"interactiveMode"`
}

// execAPIVersion is the client authentication API that current kubectl, client-go and the AWS
// CLI all speak (v1alpha1 was removed from kubectl in 1.24).
const execAPIVersion = "client.authentication.k8s.io/v1beta1"

// Kubeconfig renders a kubeconfig for an EKS cluster that authenticates with short-lived
// tokens from `aws eks get-token`, so it holds no long-lived credential. name is the EKS
// cluster name (also used for the cluster, context and user entries), endpoint the API server
// URL, caData the base64 certificate authority data EKS reports, and region the cluster's
// region (passed explicitly so the token is not minted for whatever region the caller's
// environment defaults to).
func Kubeconfig(name, endpoint, caData, region string) (string, error) {
	var problems []string
	if name == "" {
		problems = append(problems, "name must not be empty")
	}
	if !strings.HasPrefix(endpoint, "https://") || len(endpoint) == len("https://") {
		problems = append(problems, fmt.Sprintf("endpoint %q must be an https:// URL", endpoint))
	}
	if caData == "" {
		problems = append(problems, "caData must not be empty")
	} else if _, err := base64.StdEncoding.DecodeString(caData); err != nil {
		problems = append(problems, fmt.Sprintf("caData is not valid base64: %v", err))
	}
	if !regionPattern.MatchString(region) {
		problems = append(problems, fmt.Sprintf("region %q is not a valid AWS region: must look like us-east-1", region))
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("kubeconfig: %s", strings.Join(problems, "; "))
	}

	var clusterEntry kubeconfigCluster
	clusterEntry.Name = name
	clusterEntry.Cluster.Server = endpoint
	clusterEntry.Cluster.CertificateAuthorityData = caData

	var contextEntry kubeconfigContext
	contextEntry.Name = name
	contextEntry.Context.Cluster = name
	contextEntry.Context.User = name

	var userEntry kubeconfigUser
	userEntry.Name = name
	userEntry.User.Exec = kubeconfigExec{
		APIVersion:      execAPIVersion,
		Command:         "aws",
		Args:            []string{"eks", "get-token", "--cluster-name", name, "--region", region},
		InteractiveMode: "Never",
	}

	doc := kubeconfigFile{
		APIVersion:     "v1",
		Kind:           "Config",
		Clusters:       []kubeconfigCluster{clusterEntry},
		Contexts:       []kubeconfigContext{contextEntry},
		CurrentContext: name,
		Users:          []kubeconfigUser{userEntry},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kubeconfig: %w", err)
	}
	return string(out), nil
}
