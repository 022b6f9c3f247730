// Package peering builds the network path from the worker pools to the VPCs where the existing
// databases live: one VPC peering connection per database network (accepted here when it is in
// the same account and region, otherwise left pending for the other side), a route to it from
// every private route table, a database egress security group in our VPC, and, where the database
// side's security group is ours to change, ingress rules that admit only our private subnets on
// the database ports.
package peering
