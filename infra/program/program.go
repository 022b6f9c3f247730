package program

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/cutover-dev/cutover/components/autoscaler"
	"github.com/cutover-dev/cutover/components/cluster"
	"github.com/cutover-dev/cutover/components/egress"
	"github.com/cutover-dev/cutover/components/heroku"
	"github.com/cutover-dev/cutover/components/monitoring"
	"github.com/cutover-dev/cutover/components/network"
	"github.com/cutover-dev/cutover/components/peering"
	"github.com/cutover-dev/cutover/components/service"
	"github.com/cutover-dev/cutover/components/traffic"
	"github.com/cutover-dev/cutover/components/workers"
	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/internal/subnets"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ExportFunc receives each stack output; Run passes ctx.Export, the offline plan also records.
type ExportFunc func(name string, value pulumi.Input)

// Run is the Pulumi program: infra/main.go hands it to pulumi.Run.
func Run(ctx *pulumi.Context) error { return Deploy(ctx, ctx.Export) }

// Names of the top-level components; child names derive from them, so they are part of every URN.
const (
	// AppNamespace is the Kubernetes namespace of the application services.
	AppNamespace = "app"
	poolLabel    = "cutover.dev/pool"
)

// Deploy loads the config, checks the phase move and builds every component. It registers nothing
// when the config is invalid or the move is refused: both fail with a *config.Error.
func Deploy(ctx *pulumi.Context, export ExportFunc) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	deployed, err := DeployedPercent(ctx)
	if err != nil {
		return err
	}
	if err := traffic.CheckMove(cfg.Phases, deployed, cfg.AWSTrafficPercent, cfg.AllowPhaseSkip); err != nil {
		return &config.Error{Stack: cfg.Stack, Problems: []config.Problem{{
			Key: "cutover:awsTrafficPercent", Value: strconv.Itoa(cfg.AWSTrafficPercent), Message: err.Error(),
		}}}
	}
	return build(ctx, cfg, export)
}

func build(ctx *pulumi.Context, cfg config.Config, export ExportFunc) error {
	tags := map[string]string{"cutover:stack": ctx.Stack(), "cutover:managed-by": "pulumi"}
	natAZs := network.NATAZs(cfg.AvailabilityZones, cfg.NATGatewayMode)

	eg, err := egress.NewEgress(ctx, "egress", &egress.EgressArgs{
		AZs:                  natAZs,
		AdoptedAllocationIDs: cfg.EgressIPAllocationIDs,
		HerokuEgressIPs:      cfg.HerokuEgressIPs,
		Tags:                 tags,
	})
	if err != nil {
		return err
	}
	clusterName := "cutover-" + ctx.Stack()
	net, err := network.NewNetwork(ctx, "network", &network.NetworkArgs{
		CIDR:          cfg.VPCCIDR,
		AZs:           cfg.AvailabilityZones,
		NATMode:       cfg.NATGatewayMode,
		AllocationIDs: eg.AllocationIDsByAZ(),
		ClusterName:   clusterName,
		Protect:       cfg.ProtectPlatform,
		Tags:          tags,
	})
	if err != nil {
		return err
	}
	eks, err := cluster.NewCluster(ctx, "cluster", &cluster.ClusterArgs{
		Name:               clusterName,
		Version:            cfg.KubernetesVersion,
		SubnetIDs:          net.PrivateSubnetIDList,
		PublicAccessCIDRs:  cfg.ClusterPublicAccessCIDRs,
		AdminPrincipalARNs: cfg.ClusterAdminARNs,
		Protect:            cfg.ProtectPlatform,
		Region:             cfg.Region,
		Tags:               tags,
	})
	if err != nil {
		return err
	}
	pools := map[string]workers.Pool{}
	for _, name := range config.SortedKeys(cfg.WorkerPools) {
		p := cfg.WorkerPools[name]
		labels := map[string]string{poolLabel: name}
		for k, v := range p.Labels {
			labels[k] = v
		}
		taints := make([]workers.Taint, len(p.Taints))
		for i, t := range p.Taints {
			taints[i] = workers.Taint{Key: t.Key, Value: t.Value, Effect: t.Effect}
		}
		pools[name] = workers.Pool{
			InstanceTypes: p.InstanceTypes, MinSize: p.MinSize, MaxSize: p.MaxSize, DesiredSize: p.DesiredSize,
			CapacityType: p.CapacityType, DiskSizeGiB: p.DiskSizeGiB, Labels: labels, Taints: taints,
		}
	}
	nodes, err := workers.NewWorkers(ctx, "workers", &workers.WorkersArgs{
		ClusterName:       eks.Name,
		SubnetIDs:         net.PrivateSubnetIDList,
		Pools:             pools,
		KubernetesVersion: cfg.KubernetesVersion,
		Tags:              tags,
	})
	if err != nil {
		return err
	}

	dbs, err := newDatabaseNetworks(ctx, cfg, net, tags)
	if err != nil {
		return err
	}

	// Kubernetes objects go through providers that become usable only once what they need exists:
	// the node groups for everything, and the load balancer controller (whose webhooks must be
	// serving) for the application. A provider's inputs order every object that uses it, which a
	// dependsOn on a component cannot: it neither reaches the children of the dependent component
	// nor, in the Go SDK, reliably sees every child of the component depended on.
	platformK8s, err := providerAfter(ctx, "k8s-platform", eks.Kubeconfig, nodes.NodeGroupNames)
	if err != nil {
		return err
	}
	k8s := []pulumi.ResourceOption{pulumi.Providers(platformK8s)}
	autoscalerRole := pulumi.String("").ToStringOutput()
	if cfg.AutoscalerEnabled {
		groups := map[string]pulumi.StringInput{}
		for _, pool := range config.SortedKeys(cfg.WorkerPools) {
			groups[pool] = nodes.AutoscalingGroupNames.MapIndex(pulumi.String(pool))
		}
		ca, err := autoscaler.NewClusterAutoscaler(ctx, "cluster-autoscaler", &autoscaler.ClusterAutoscalerArgs{
			ClusterName:                   eks.Name,
			OIDCProviderARN:               eks.OIDCProviderARN,
			OIDCIssuer:                    eks.OIDCIssuer,
			Region:                        cfg.Region,
			KubernetesVersion:             cfg.KubernetesVersion,
			AutoscalingGroups:             groups,
			ScaleDownUnneededTime:         cfg.AutoscalerScaleDownUnneededTime,
			ScaleDownDelayAfterAdd:        cfg.AutoscalerScaleDownDelayAfterAdd,
			ScaleDownUtilizationThreshold: cfg.AutoscalerScaleDownUtilizationThreshold,
			Tags:                          tags,
		}, k8s...)
		if err != nil {
			return err
		}
		autoscalerRole = ca.RoleARN
	}
	lbc, err := service.NewLoadBalancerController(ctx, "lb-controller", &service.LoadBalancerControllerArgs{
		ClusterName:     eks.Name,
		OIDCProviderARN: eks.OIDCProviderARN,
		OIDCIssuer:      eks.OIDCIssuer,
		Region:          cfg.Region,
		VpcID:           net.VpcID,
	}, k8s...)
	if err != nil {
		return err
	}
	appK8s, err := providerAfter(ctx, "k8s-apps", eks.Kubeconfig, nodes.NodeGroupNames, lbc.ReleaseName)
	if err != nil {
		return err
	}
	svcOpts := []pulumi.ResourceOption{pulumi.Providers(appK8s)}
	ns, err := service.NewNamespace(ctx, AppNamespace, &service.NamespaceArgs{Name: AppNamespace}, svcOpts...)
	if err != nil {
		return err
	}
	apiName, _, _ := cfg.PublicService()
	var api *service.Service
	for _, name := range config.SortedKeys(cfg.Services) {
		s, err := newService(ctx, cfg, name, ns, svcOpts)
		if err != nil {
			return err
		}
		if name == apiName {
			api = s
		}
	}
	if api == nil {
		return errors.New("program: no public service was built; config validation should have refused this")
	}

	grafana, prometheus := pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if cfg.MonitoringEnabled {
		mon, err := monitoring.NewMonitoring(ctx, "monitoring", &monitoring.MonitoringArgs{
			GrafanaAdminPassword: pulumi.ToSecret(pulumi.String(cfg.GrafanaAdminPassword)).(pulumi.StringOutput),
			RetentionDays:        cfg.MonitoringRetentionDays,
			StorageGiB:           cfg.MonitoringStorageGiB,
			APINamespace:         AppNamespace,
			APIService:           apiName,
			APIPortName:          "http",
			ErrorRatioThreshold:  cfg.SLOMax5xxRatio,
			P99LatencySeconds:    float64(cfg.SLOMaxP99Ms) / 1000,
		}, k8s...)
		if err != nil {
			return err
		}
		grafana, prometheus = mon.GrafanaService, mon.PrometheusService
	}

	formation := map[string]heroku.Process{}
	for _, name := range config.SortedKeys(cfg.HerokuFormation) {
		p := cfg.HerokuFormation[name]
		formation[name] = heroku.Process{Size: p.Size, Quantity: p.Quantity}
	}
	scale := cfg.HerokuScaleWithPhase
	side, err := heroku.NewHerokuSide(ctx, "heroku", &heroku.HerokuSideArgs{
		App:               cfg.HerokuApp,
		Hostname:          cfg.APIHostname,
		Formation:         formation,
		AWSTrafficPercent: cfg.AWSTrafficPercent,
		ScaleWithPhase:    &scale,
		MinDynos:          cfg.HerokuMinDynos,
	})
	if err != nil {
		return err
	}
	split, err := traffic.NewTraffic(ctx, "traffic", &traffic.TrafficArgs{
		ZoneID:               cfg.HostedZoneID,
		Hostname:             cfg.APIHostname,
		Percent:              cfg.AWSTrafficPercent,
		TTL:                  cfg.DNSTTL,
		HealthCheckPath:      cfg.HealthCheckPath,
		RequestInterval:      cfg.HealthCheckInterval,
		AWSTarget:            api.LoadBalancerHostname,
		HerokuTarget:         side.DNSTarget,
		HerokuHealthHost:     side.AppHost,
		HerokuDecommissioned: cfg.HerokuDecommissioned,
	})
	if err != nil {
		return err
	}

	export(OutAWSTrafficPercent, pulumi.Int(cfg.AWSTrafficPercent))
	export(OutAWSWeight, split.AWSWeight)
	export(OutHerokuWeight, split.HerokuWeight)
	export(OutEgressIPs, eg.PublicIPs)
	export(OutEgressAllowlist, eg.Allowlist)
	export(OutEgressAllocationIDs, eg.AllocationIDs)
	export(OutVpcID, net.VpcID)
	export(OutPrivateSubnetIDs, net.PrivateSubnetIDList)
	export(OutClusterName, eks.Name)
	export(OutKubeconfig, eks.Kubeconfig)
	export(OutNodeGroupNames, nodes.NodeGroupNames)
	export(OutAPILoadBalancerHostname, api.LoadBalancerHostname)
	export(OutHealthCheckIDs, split.HealthCheckIDs)
	export(OutGrafanaService, grafana)
	export(OutPrometheusService, prometheus)
	export(OutHerokuDNSTarget, side.DNSTarget)
	export(OutHerokuFormation, side.Quantities)
	export(OutClusterAutoscalerRoleARN, autoscalerRole)
	export(OutDatabasePeeringConnections, dbs.connections)
	export(OutDatabaseRoutes, dbs.routes)
	export(OutDatabaseSecurityGroupID, dbs.securityGroupID)
	return nil
}

// databaseOutputs are the database-network outputs, empty when the stack lists none.
type databaseOutputs struct {
	connections     pulumi.StringMapMapOutput
	routes          pulumi.StringMapArrayOutput
	securityGroupID pulumi.StringOutput
}

// newDatabaseNetworks peers the VPC with the databaseNetworks, routing every private route table to
// them and admitting only the private subnets on the database side.
func newDatabaseNetworks(ctx *pulumi.Context, cfg config.Config, net *network.Network, tags map[string]string) (databaseOutputs, error) {
	out := databaseOutputs{
		connections:     pulumi.StringMapMap{}.ToStringMapMapOutput(),
		routes:          pulumi.StringMapArray{}.ToStringMapArrayOutput(),
		securityGroupID: pulumi.String("").ToStringOutput(),
	}
	if len(cfg.DatabaseNetworks) == 0 {
		return out, nil
	}
	// Whether a peering can be accepted here depends on the account the stack deploys into, which
	// no config key states; asking AWS keeps a copied stack file from claiming the wrong account.
	account, err := callerAccountID(ctx)
	if err != nil {
		return out, err
	}
	routeTables := map[string]pulumi.StringInput{}
	var sources []string
	for _, az := range cfg.AvailabilityZones {
		routeTables[az] = net.PrivateRouteTableIDs.MapIndex(pulumi.String(az))
		letter, err := subnets.AZLetter(az)
		if err != nil {
			return out, err
		}
		// The same carving the network component uses: the private subnets hold the nodes and,
		// through the VPC CNI, the pods.
		_, private, err := subnets.Carve(cfg.VPCCIDR, letter)
		if err != nil {
			return out, err
		}
		sources = append(sources, private)
	}
	sort.Strings(sources)
	networks := map[string]peering.Network{}
	for _, name := range config.SortedKeys(cfg.DatabaseNetworks) {
		n := cfg.DatabaseNetworks[name]
		networks[name] = peering.Network{
			VpcID: n.VpcID, CIDR: n.CIDR, Region: n.Region, AccountID: n.AccountID,
			Ports: n.Ports, SecurityGroupID: n.SecurityGroupID,
		}
	}
	dbs, err := peering.NewDatabaseNetworks(ctx, "databases", &peering.DatabaseNetworksArgs{
		VpcID:                net.VpcID,
		VpcCIDR:              cfg.VPCCIDR,
		Region:               cfg.Region,
		AccountID:            account,
		PrivateRouteTableIDs: routeTables,
		SourceCIDRs:          sources,
		Networks:             networks,
		Tags:                 tags,
	})
	if err != nil {
		return out, err
	}
	return databaseOutputs{connections: dbs.Connections, routes: dbs.Routes, securityGroupID: dbs.SecurityGroupID}, nil
}

// callerAccountID returns the AWS account the stack deploys into, through the AWS provider's
// getCallerIdentity function. It is invoked by token so the program does not import the AWS SDK's
// root package (its compile cost dwarfs this one call); the engine pins the provider version the
// program's resources use.
func callerAccountID(ctx *pulumi.Context) (string, error) {
	var identity struct {
		AccountID string `pulumi:"accountId"`
	}
	if err := ctx.Invoke("aws:index/getCallerIdentity:getCallerIdentity", nil, &identity); err != nil {
		return "", fmt.Errorf("program: read the deploying AWS account: %w", err)
	}
	if identity.AccountID == "" {
		return "", errors.New("program: AWS reported no account ID for the deploying identity")
	}
	return identity.AccountID, nil
}

// providerAfter builds a Kubernetes provider for the cluster whose kubeconfig resolves only after
// every value in after: each object created through it therefore waits for the resources those
// values come from. The kubeconfig stays secret.
func providerAfter(ctx *pulumi.Context, name string, kubeconfig pulumi.StringOutput, after ...pulumi.Input) (*kubernetes.Provider, error) {
	gated := pulumi.All(append([]any{kubeconfig}, inputsAsAny(after)...)...).ApplyT(func(v []any) string {
		return v[0].(string)
	}).(pulumi.StringOutput)
	return kubernetes.NewProvider(ctx, name, &kubernetes.ProviderArgs{Kubeconfig: gated})
}

func inputsAsAny(in []pulumi.Input) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

func newService(ctx *pulumi.Context, cfg config.Config, name string, ns *service.Namespace, opts []pulumi.ResourceOption) (*service.Service, error) {
	args, err := ServiceArgs(cfg, name, ns.Name)
	if err != nil {
		return nil, err
	}
	return service.NewService(ctx, ServiceComponentName(name), args, opts...)
}

// ServiceComponentName is the component name of a configured service (part of its URNs).
func ServiceComponentName(service string) string { return "svc-" + service }

// ServiceArgs maps one entry of services to the service component's arguments: size from the dyno
// table or explicit cpu/memory, placement on its pool (node selector and the pool's taints as
// tolerations), health path, and for the public API the hostname and zone of its certificate.
// The end-to-end tests build the same workloads from it.
func ServiceArgs(cfg config.Config, name string, namespace pulumi.StringInput) (*service.ServiceArgs, error) {
	s, ok := cfg.Services[name]
	if !ok {
		return nil, fmt.Errorf("service %q is not configured", name)
	}
	var res service.Resources
	var err error
	if s.Dyno != "" {
		res, err = service.ResourcesForDyno(s.Dyno)
	} else {
		res, err = service.ExplicitResources(s.CPU, s.Memory)
	}
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	pool := cfg.WorkerPools[s.Pool]
	selector := map[string]string{poolLabel: s.Pool}
	tolerations := make([]service.Toleration, len(pool.Taints))
	for i, t := range pool.Taints {
		tolerations[i] = service.Toleration{Key: t.Key, Value: t.Value, Effect: t.Effect}
	}
	healthPath := s.HealthPath
	if healthPath == "" {
		healthPath = cfg.HealthCheckPath
	}
	args := &service.ServiceArgs{
		Namespace:              namespace,
		Name:                   name,
		Image:                  s.Image,
		Port:                   s.Port,
		Public:                 s.Public,
		Command:                s.Command,
		Env:                    s.Env,
		HealthPath:             healthPath,
		MinReplicas:            s.MinReplicas,
		MaxReplicas:            s.MaxReplicas,
		Resources:              res,
		NodeSelector:           selector,
		Tolerations:            tolerations,
		ReadOnlyRootFilesystem: s.ReadOnlyRootFilesystem,
		SafeToEvict:            s.SafeToEvict,
		IngressFromNamespaces:  []string{AppNamespace},
	}
	if s.Public {
		args.Hostname, args.HostedZoneID, args.CertificateARN = cfg.APIHostname, cfg.HostedZoneID, cfg.APICertificateARN
	}
	return args, nil
}
