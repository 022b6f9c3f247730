package program

// Stack output names: a contract relied on by users, `cutover status/promote` and outside checks.
const (
	OutAWSTrafficPercent       = "awsTrafficPercent"
	OutAWSWeight               = "awsWeight"
	OutHerokuWeight            = "herokuWeight"
	OutEgressIPs               = "egressIps"
	OutEgressAllowlist         = "egressAllowlist"
	OutVpcID                   = "vpcId"
	OutPrivateSubnetIDs        = "privateSubnetIds"
	OutClusterName             = "clusterName"
	OutKubeconfig              = "kubeconfig"
	OutAPILoadBalancerHostname = "apiLoadBalancerHostname"
	OutHealthCheckIDs          = "healthCheckIds"
	OutGrafanaService          = "grafanaService"

	// Additions beyond the original contract.
	OutEgressAllocationIDs = "egressAllocationIds"
	OutNodeGroupNames      = "nodeGroupNames"
	OutHerokuDNSTarget     = "herokuDnsTarget"
	OutHerokuFormation     = "herokuFormation"
	OutPrometheusService   = "prometheusService"

	OutClusterAutoscalerRoleARN   = "clusterAutoscalerRoleArn"
	OutDatabasePeeringConnections = "databasePeeringConnections"
	OutDatabaseRoutes             = "databaseRoutes"
	OutDatabaseSecurityGroupID    = "databaseSecurityGroupId"
)

// OutputDoc describes one stack output for the README's generated table.
type OutputDoc struct{ Name, Description string }

// Documented lists every stack output in the order the README shows them.
var Documented = []OutputDoc{
	{OutAWSTrafficPercent, "the deployed phase (read back by the phase guard through a StackReference to the stack itself)"},
	{OutAWSWeight, "Route53 weight of the `aws` member (= awsTrafficPercent)"},
	{OutHerokuWeight, "Route53 weight of the `heroku` member (= 100 - awsTrafficPercent; 0 after decommission)"},
	{OutEgressIPs, "AWS NAT egress IPs, sorted"},
	{OutEgressAllowlist, "what customers allow-list: AWS egress IPs plus herokuEgressIps, sorted and de-duplicated"},
	{OutEgressAllocationIDs, "Elastic IP allocation IDs by AZ (adopt them elsewhere with egressIpAllocationIds)"},
	{OutVpcID, "VPC ID"},
	{OutPrivateSubnetIDs, "private subnet IDs in AZ order"},
	{OutClusterName, "EKS cluster name"},
	{OutKubeconfig, "kubeconfig using `aws eks get-token` (secret)"},
	{OutNodeGroupNames, "EKS managed node group names by pool"},
	{OutAPILoadBalancerHostname, "hostname of the API's network load balancer: the `aws` member's CNAME target"},
	{OutHerokuDNSTarget, "Heroku's DNS target for apiHostname: the `heroku` member's CNAME target"},
	{OutHerokuFormation, "Heroku formation quantities per process at this phase"},
	{OutHealthCheckIDs, "Route53 health check IDs by side (`aws`, `heroku`)"},
	{OutGrafanaService, "Grafana's in-cluster service (namespace/name:port); empty when monitoring is off"},
	{OutPrometheusService, "Prometheus's in-cluster service (namespace/name:port); empty when monitoring is off"},
	{OutClusterAutoscalerRoleARN, "IAM role of the Cluster Autoscaler (IRSA); empty when autoscalerEnabled is false"},
	{OutDatabasePeeringConnections, "per database network: peering connection id, status, acceptance (auto-accepted, or what the other account/region must run), peer VPC/CIDR/region/account, and what the database side must route and allow"},
	{OutDatabaseRoutes, "routes added to the private route tables: network, availabilityZone, routeTableId, destinationCidrBlock, vpcPeeringConnectionId"},
	{OutDatabaseSecurityGroupID, "database egress security group in the VPC (egress only to the database networks on their ports); empty without databaseNetworks"},
}
