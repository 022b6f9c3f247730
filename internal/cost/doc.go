// Package cost estimates the monthly bill of both sides of the cutover at one rung: the AWS
// platform the stack builds (EC2 pools at desired size, EKS, NAT gateways, public IPv4
// addresses, the API's load balancer, logs and egress at volumes taken from config) and the
// Heroku formation left after scale-down, next to the formation before the move.
//
// Prices come from one data file, prices.yaml, embedded at build time with its date and
// sources. A region, instance type or dyno type the file has no price for is reported in
// Estimate.Unknown and counted as 0, never guessed. The package is pure Go: the caller maps
// stack config to an Input, so `cutover plan` can show the estimate offline.
package cost
