// Package rollout drives the phased Heroku-to-AWS cutover of a deployed stack: it reads the
// stack's current rung, moves `cutover:awsTrafficPercent` one rung up (promote) or down
// (rollback), refuses any preview that would touch more than the two weighted records and the
// Heroku formation quantity, and after a promotion watches a soak window of Route53 health checks
// and Prometheus SLO figures, rolling back on its own when a gate fails.
//
// The stack, the health checks and the metrics are reached through three small interfaces
// (StackRunner, HealthSource, MetricsSource) so the decisions can be tested with fakes; the real
// implementations use the Pulumi Automation API, the aws CLI and the Prometheus HTTP API. Every
// step and every decision is written to an io.Writer with a timestamp and the figures behind it,
// because an operator reading the log after an automatic rollback must be able to see why.
package rollout
