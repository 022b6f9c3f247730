// Package service builds the Kubernetes side of one migrated Heroku process:
// its namespace guard rails, the workload (ServiceAccount, Deployment,
// Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy), the
// public API's TLS certificate and Network Load Balancer, and the AWS Load
// Balancer Controller that turns that Service into an NLB.
//
// Sizing comes either from a Heroku dyno type (internal/dyno) or from explicit
// Kubernetes quantities. Everything decidable without Pulumi (validation,
// rollout strategy, labels, IAM documents) lives in plain functions with table
// tests; the components only wire those results into resources.
package service
