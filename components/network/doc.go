// Package network builds the AWS network the cluster runs in: a VPC with one public and one private
// subnet per availability zone (carved by zone letter so that adding a zone never moves another),
// an internet gateway, NAT gateways that consume the egress component's allocation IDs (one per AZ
// or a single one), per-AZ private route tables, VPC flow logs to CloudWatch, and a default
// security group stripped of its rules.
package network
