// Package monitoring builds the migration's observability: the
// kube-prometheus-stack Helm release (Prometheus, Alertmanager, Grafana) at a
// pinned chart version, a ServiceMonitor for the public API, and the SLO
// recording rules and alerts the rollout gate reads before each traffic phase.
//
// The rule expressions are plain functions of the API's namespace and service
// name, and the metric and rule names are exported constants, so the gate
// queries exactly what Prometheus records.
package monitoring
