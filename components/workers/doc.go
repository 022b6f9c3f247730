// Package workers builds the EC2 worker pools of the EKS cluster: one node IAM role shared by
// all pools and, per pool, a launch template (IMDSv2, encrypted gp3 root volume) and an EKS
// managed node group whose desired size is left to the cluster autoscaler.
package workers
