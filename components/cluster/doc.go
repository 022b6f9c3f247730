// Package cluster builds the EKS control plane for cutover: its IAM role, a KMS key for
// envelope encryption of Kubernetes secrets, the cluster with a private endpoint and an
// optional CIDR-restricted public one, the IAM OIDC provider for service-account roles,
// access entries for administrators, the core managed add-ons, a kubeconfig and the
// Kubernetes provider that later components deploy through.
package cluster
