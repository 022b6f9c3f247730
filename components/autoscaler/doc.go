// Package autoscaler builds the Kubernetes Cluster Autoscaler for an EKS cluster: the pinned Helm
// release, its IRSA role limited to the cluster's own Auto Scaling groups, and the auto-discovery
// tags on each node group's Auto Scaling group.
//
// The tags are written as autoscaling.Tag resources on the groups EKS creates for the managed node
// groups. EKS does not copy node group tags to those groups, and although EKS currently puts the
// two discovery tags on them itself, discovery and the IAM conditions below both depend on them,
// so the component owns them rather than relying on that. Removing a Tag resource (turning the
// autoscaler off) deletes the tag from the group, which is what a cluster without the autoscaler
// wants.
package autoscaler
