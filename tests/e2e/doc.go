//go:build e2e

// Package e2e runs the workload layer of cutover end to end, offline, with the
// real Pulumi engine, the real Kubernetes provider plugin and a real
// kube-apiserver backed by etcd, all built from the Go module proxy by
// tools/build.sh into .tools/bin.
//
// The mock tests elsewhere record what the program declares; they cannot tell
// whether the engine, the provider and an API server would accept it. This
// package closes that gap for everything that does not need AWS: the
// namespace with its default-deny policy and, for every service of each
// committed stack, the ServiceAccount, Deployment, Service,
// HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy, driven
// through the Automation API (preview, up, an idempotence preview, an
// in-place update of an image and a replica range, refresh and destroy). After
// up, each Deployment's pod is dry-run on the API server, so the namespace's
// "restricted" pod security level and the service account lookup judge it as
// they would when a ReplicaSet creates it. The policy pack binary runs
// through the engine and must report what the in-process rules report, and a
// broken Deployment that the mocks accept is shown refused by the API server.
//
// Left out, and printed at the start of every run: the Helm charts (AWS Load
// Balancer Controller, kube-prometheus-stack) need a chart repository; the
// public API's ACM certificate and all other AWS and Heroku resources need
// those clouds. The cluster has no nodes and no kube-controller-manager, so
// the harness (never the product) adds two annotations through a stack
// transform: skipAwait where the provider would wait for a controller, and
// background deletion instead of the garbage collector's foreground deletion.
//
// Run it with `make e2e` (which builds the tools first) or, once the tools are
// in .tools/bin, `go test -tags e2e -count=1 ./tests/e2e/ -v`. Logs of every
// engine operation and of etcd and kube-apiserver stay in .tools/e2e-run.
package e2e
