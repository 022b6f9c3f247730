package rules

// Type tokens the rules know, as the providers register them.
const (
	typeSubnet                 = "aws:ec2/subnet:Subnet"
	typeVpc                    = "aws:ec2/vpc:Vpc"
	typeFlowLog                = "aws:ec2/flowLog:FlowLog"
	typeDefaultSecurityGroup   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	typeSecurityGroup          = "aws:ec2/securityGroup:SecurityGroup"
	typeSecurityGroupRule      = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeSGIngressRule          = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeSGEgressRule           = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	typeEip                    = "aws:ec2/eip:Eip"
	typeNatGateway             = "aws:ec2/natGateway:NatGateway"
	typeRouteTable             = "aws:ec2/routeTable:RouteTable"
	typeRoute                  = "aws:ec2/route:Route"
	typeRouteTableAssociation  = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	typeLaunchTemplate         = "aws:ec2/launchTemplate:LaunchTemplate"
	typeEksCluster             = "aws:eks/cluster:Cluster"
	typeEksNodeGroup           = "aws:eks/nodeGroup:NodeGroup"
	typeIamPolicy              = "aws:iam/policy:Policy"
	typeIamRolePolicy          = "aws:iam/rolePolicy:RolePolicy"
	typeIamRole                = "aws:iam/role:Role"
	typeRecord                 = "aws:route53/record:Record"
	typeHealthCheck            = "aws:route53/healthCheck:HealthCheck"
	typeDeployment             = "kubernetes:apps/v1:Deployment"
	typeHPA                    = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
	typePDB                    = "kubernetes:policy/v1:PodDisruptionBudget"
	typeNetworkPolicy          = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
	typeService                = "kubernetes:core/v1:Service"
	setIdentifierAWS           = "aws"
	setIdentifierHeroku        = "heroku"
	anyIPv4                    = "0.0.0.0/0"
	anyIPv6                    = "::/0"
	skipAwaitAnnotation        = "pulumi.com/skipAwait"
	zoneTopologyKey            = "topology.kubernetes.io/zone"
	legacyZoneTopologyKey      = "failure-domain.beta.kubernetes.io/zone"
	internalELBSubnetTag       = "kubernetes.io/role/internal-elb"
	publicELBSubnetTag         = "kubernetes.io/role/elb"
	maxWeightedTTLBelowFull    = 60
	maxHealthFailureThreshold  = 3
	maxNodeGroupUnavailablePct = 33
	maxIMDSHopLimit            = 2
)
