package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cutover-dev/cutover/internal/dyno"
	"github.com/cutover-dev/cutover/internal/subnets"
)

var (
	dnsLabel          = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	fqdnPattern       = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	hostedZonePat     = regexp.MustCompile(`^Z[0-9A-Z]{1,31}$`)
	herokuAppPat      = regexp.MustCompile(`^[a-z][a-z0-9-]{1,29}$`)
	acmCertificatePat = regexp.MustCompile(`^arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate/[0-9a-f-]+$`)
	allocationIDPat   = regexp.MustCompile(`^eipalloc-[0-9a-f]{8,17}$`)
	k8sVersionPat     = regexp.MustCompile(`^1\.[0-9]{2}$`)
	iamPrincipalPat   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\w+=,.@/-]+$`)
	cpuQuantityPat    = regexp.MustCompile(`^([0-9]+m|[0-9]+(\.[0-9]{1,3})?)$`)
	memQuantityPat    = regexp.MustCompile(`^[0-9]+(Mi|Gi)$`)
	instanceTypePat   = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[0-9a-z]+$`)
	capacityTypes     = []string{"ON_DEMAND", "SPOT"}
	taintEffects      = []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}
	natModes          = []string{"per-az", "single"}
	healthIntervals   = []int{10, 30}
	maxTTLBelow100    = 60
	maxTTL            = 86400
	minPoolDiskGiB    = 20
	defaultPoolDisk   = 50
	imageTagOrDigest  = regexp.MustCompile(`^[^\s@]+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$`)
	vpcIDPat          = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	securityGroupPat  = regexp.MustCompile(`^sg-[0-9a-f]{8}([0-9a-f]{9})?$`)
	accountIDPat      = regexp.MustCompile(`^[0-9]{12}$`)
	regionPat         = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	// networkNamePat keys child resource names, so it is a short DNS label.
	networkNamePat    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$`)
	maxScaleDownDelay = 24 * time.Hour
	// eksServiceRanges are the ranges EKS assigns Kubernetes Service addresses from when the cluster
	// does not pin serviceIpv4Cidr (it does not here): kube-proxy captures traffic to them, so a
	// database there would be unreachable from pods.
	eksServiceRanges = []netip.Prefix{netip.MustParsePrefix("10.100.0.0/16"), netip.MustParsePrefix("172.20.0.0/16")}
)

type problems []Problem

// raw is a value shown as written (lists, composite values), where a string would be quoted.
type raw string

func (ps *problems) add(key string, value any, format string, args ...any) {
	v := ""
	switch x := value.(type) {
	case nil:
	case raw:
		v = string(x)
	case string:
		v = strconv.Quote(x)
	default:
		v = fmt.Sprint(x)
	}
	*ps = append(*ps, Problem{Key: key, Value: v, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) required(name, value, what string) bool {
	if strings.TrimSpace(value) == "" {
		ps.add(full(name), nil, "missing: required, %s", what)
		return false
	}
	return true
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// validate returns one problem per invalid setting, in key order of the contract.
func (c *Config) validate() []Problem {
	var ps problems
	c.validatePhases(&ps)
	c.validateNetwork(&ps)
	c.validateCluster(&ps)
	c.validateDNS(&ps)
	c.validateHeroku(&ps)
	c.validateMonitoring(&ps)
	c.validateCostInputs(&ps)
	c.validatePools(&ps)
	c.validateServices(&ps)
	c.validateAutoscaler(&ps)
	c.validateDatabaseNetworks(&ps)
	return ps
}

func (c *Config) validateAutoscaler(ps *problems) {
	for _, d := range []struct{ name, value string }{
		{"autoscalerScaleDownUnneededTime", c.AutoscalerScaleDownUnneededTime},
		{"autoscalerScaleDownDelayAfterAdd", c.AutoscalerScaleDownDelayAfterAdd},
	} {
		v, err := time.ParseDuration(d.value)
		switch {
		case err != nil:
			ps.add(full(d.name), d.value, "not a duration: write e.g. 10m, 90s or 1h (Go duration syntax, as the autoscaler's flags take it)")
		case v <= 0 || v > maxScaleDownDelay:
			ps.add(full(d.name), d.value, "out of range: allowed above 0 and at most 24h")
		}
	}
	if t := c.AutoscalerScaleDownUtilizationThreshold; !(t > 0 && t <= 1) {
		ps.add(full("autoscalerScaleDownUtilizationThreshold"), t, "a ratio above 0 and at most 1, e.g. 0.5: nodes whose requested CPU and memory are below it may be removed")
	}
}

func (c *Config) validateDatabaseNetworks(ps *problems) {
	ours, oursErr := subnets.ParseVPC(c.VPCCIDR)
	vpcs := map[string]string{}
	ranges := map[string]netip.Prefix{}
	names := SortedKeys(c.DatabaseNetworks)
	for _, name := range names {
		n := c.DatabaseNetworks[name]
		key := full("databaseNetworks") + "." + name
		if !networkNamePat.MatchString(name) {
			ps.add(key, name, "not a valid network name: lower-case letters, digits and dashes, at most 40 characters (it becomes part of resource names)")
		}
		switch {
		case n.VpcID == "":
			ps.add(key+".vpcId", nil, "missing: the database VPC's ID, e.g. vpc-0123456789abcdef0")
		case !vpcIDPat.MatchString(n.VpcID):
			ps.add(key+".vpcId", n.VpcID, "not a VPC ID: must look like vpc-0123456789abcdef0")
		case vpcs[n.VpcID] != "":
			ps.add(key+".vpcId", n.VpcID, "also the VPC of databaseNetworks.%s: AWS allows one peering connection per pair of VPCs, so list the VPC once with all its ports", vpcs[n.VpcID])
		default:
			vpcs[n.VpcID] = name
		}
		if p, err := netip.ParsePrefix(n.CIDR); err != nil || !p.Addr().Is4() || p.Masked() != p || p.Bits() < 16 || p.Bits() > 28 {
			ps.add(key+".cidr", n.CIDR, "not a VPC range: an IPv4 network address with a prefix between /16 and /28, e.g. 10.60.0.0/16")
		} else {
			ranges[name] = p
		}
		switch {
		case n.Region == "":
			ps.add(key+".region", nil, "missing: the database VPC's region, e.g. %s", c.regionOr("us-east-1"))
		case !regionPat.MatchString(n.Region):
			ps.add(key+".region", n.Region, "not an AWS region: must look like us-east-1")
		}
		if !accountIDPat.MatchString(n.AccountID) {
			ps.add(key+".accountId", n.AccountID, "not an AWS account ID: 12 digits, as a string (quote it in YAML so leading zeros survive)")
		}
		if len(n.Ports) == 0 {
			ps.add(key+".ports", nil, "missing: the database ports the workers reach, e.g. [5432] (Postgres), [27017] (MongoDB), [6379] (Redis)")
		}
		seen := map[int]bool{}
		for _, port := range n.Ports {
			switch {
			case port < 1 || port > 65535:
				ps.add(key+".ports", port, "not a port: allowed 1..65535")
			case seen[port]:
				ps.add(key+".ports", port, "listed twice")
			}
			seen[port] = true
		}
		if n.SecurityGroupID != "" {
			if !securityGroupPat.MatchString(n.SecurityGroupID) {
				ps.add(key+".securityGroupId", n.SecurityGroupID, "not a security group ID: must look like sg-0123456789abcdef0")
			}
			if n.Region != "" && c.Region != "" && n.Region != c.Region {
				ps.add(key+".securityGroupId", n.SecurityGroupID, "only for a database VPC in this stack's region (%s), not %s: the other region's side adds its own ingress rules", c.Region, n.Region)
			}
		}
	}
	// Overlaps: peering cannot route an overlapping range, and two database networks sharing
	// addresses would need two routes for the same destination.
	for i, name := range names {
		p, ok := ranges[name]
		if !ok {
			continue
		}
		key := full("databaseNetworks") + "." + name + ".cidr"
		if oursErr == nil && p.Overlaps(ours) {
			ps.add(key, p.String(), "overlaps vpcCidr %s: a peered range must not share addresses with this VPC", ours)
		}
		for _, svc := range eksServiceRanges {
			if p.Overlaps(svc) {
				ps.add(key, p.String(), "overlaps %s, a range EKS may assign Kubernetes Service addresses from: pods could not reach the database", svc)
			}
		}
		for _, other := range names[i+1:] {
			if q, ok := ranges[other]; ok && p.Overlaps(q) {
				ps.add(key, p.String(), "overlaps databaseNetworks.%s.cidr %s: each database network needs its own range", other, q)
			}
		}
	}
}

// regionOr returns the stack's region, or fallback before it is known.
func (c *Config) regionOr(fallback string) string {
	if c.Region != "" {
		return c.Region
	}
	return fallback
}

func (c *Config) validatePhases(ps *problems) {
	ladderOK := len(c.Phases) >= 2 && c.Phases[0] == 0 && c.Phases[len(c.Phases)-1] == 100
	for i := 1; ladderOK && i < len(c.Phases); i++ {
		ladderOK = c.Phases[i] > c.Phases[i-1]
	}
	if !ladderOK {
		ps.add(full("phases"), raw("["+joinInts(c.Phases)+"]"), "must be strictly increasing integers starting at 0 and ending at 100, e.g. [0, 10, 25, 50, 100]")
	}
	switch {
	case c.AWSTrafficPercent < 0 || c.AWSTrafficPercent > 100:
		ps.add(full("awsTrafficPercent"), c.AWSTrafficPercent, "out of range: allowed 0..100, and only the rungs of phases (%s)", joinInts(c.Phases))
	case ladderOK && !contains(c.Phases, c.AWSTrafficPercent):
		ps.add(full("awsTrafficPercent"), c.AWSTrafficPercent, "not a rung of phases: allowed %s", joinInts(c.Phases))
	}
}

func (c *Config) validateNetwork(ps *problems) {
	azKey := full("availabilityZones")
	if len(c.AvailabilityZones) == 0 {
		ps.add(azKey, nil, "missing: required, at least 2 availability zones of one region, e.g. [us-east-1a, us-east-1b]")
	} else if len(c.AvailabilityZones) < 2 {
		ps.add(azKey, raw("["+strings.Join(c.AvailabilityZones, ", ")+"]"), "needs at least 2 availability zones: EKS and the NAT layout span 2 or more")
	}
	seen := map[string]bool{}
	regions := map[string]bool{}
	for _, az := range c.AvailabilityZones {
		if seen[az] {
			ps.add(azKey, az, "listed twice: each availability zone once")
			continue
		}
		seen[az] = true
		region, _, err := subnets.SplitAZ(az)
		if err != nil {
			ps.add(azKey, az, "%v", err)
			continue
		}
		regions[region] = true
		if c.Region == "" {
			c.Region = region
		}
	}
	if len(regions) > 1 {
		ps.add(azKey, raw("["+strings.Join(c.AvailabilityZones, ", ")+"]"), "zones of different regions (%s): all must be in one region", strings.Join(SortedKeys(regions), ", "))
	}
	if c.ProviderRegion != "" && len(regions) == 1 && !regions[c.ProviderRegion] {
		ps.add(azKey, raw("["+strings.Join(c.AvailabilityZones, ", ")+"]"), "zones are in %s but aws:region is %s: the AWS provider can only create resources in its own region", c.Region, c.ProviderRegion)
	}
	if _, err := subnets.ParseVPC(c.VPCCIDR); err != nil {
		ps.add(full("vpcCidr"), c.VPCCIDR, "%s", strings.TrimPrefix(err.Error(), strconv.Quote(c.VPCCIDR)+" "))
	}
	if !contains(natModes, c.NATGatewayMode) {
		ps.add(full("natGatewayMode"), c.NATGatewayMode, "allowed: per-az or single")
	} else if len(c.EgressIPAllocationIDs) > 0 {
		want := c.NATCount()
		if len(c.EgressIPAllocationIDs) != want {
			ps.add(full("egressIpAllocationIds"), raw("["+strings.Join(c.EgressIPAllocationIDs, ", ")+"]"),
				"%d allocation IDs for %d NAT gateways (natGatewayMode %s over %d zones): give exactly %d, or none to allocate new IPs",
				len(c.EgressIPAllocationIDs), want, c.NATGatewayMode, len(c.AvailabilityZones), want)
		}
	}
	dup := map[string]bool{}
	for _, id := range c.EgressIPAllocationIDs {
		if !allocationIDPat.MatchString(id) {
			ps.add(full("egressIpAllocationIds"), id, "not an Elastic IP allocation ID: must look like eipalloc-0123456789abcdef0")
		} else if dup[id] {
			ps.add(full("egressIpAllocationIds"), id, "listed twice: one NAT gateway per allocation")
		}
		dup[id] = true
	}
	for _, ip := range c.HerokuEgressIPs {
		if _, err := netip.ParseAddr(ip); err != nil {
			ps.add(full("herokuEgressIps"), ip, "not an IP address: write each address alone, e.g. 203.0.113.10")
		}
	}
}

// NATCount is the number of NAT gateways, and so of egress IPs, the stack runs.
func (c Config) NATCount() int {
	if c.NATGatewayMode == "single" {
		return 1
	}
	return len(c.AvailabilityZones)
}

func (c *Config) validateCluster(ps *problems) {
	if !k8sVersionPat.MatchString(c.KubernetesVersion) {
		ps.add(full("kubernetesVersion"), c.KubernetesVersion, "not an EKS version: write major.minor, e.g. 1.33")
	}
	for _, cidr := range c.ClusterPublicAccessCIDRs {
		p, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil:
			ps.add(full("clusterPublicAccessCidrs"), cidr, "not a CIDR: write e.g. 198.51.100.0/24")
		case p.Bits() == 0:
			ps.add(full("clusterPublicAccessCidrs"), cidr, "opens the Kubernetes API to the whole internet: list your office or VPN ranges, or leave empty for a private endpoint")
		}
	}
	for _, arn := range c.ClusterAdminARNs {
		if !iamPrincipalPat.MatchString(arn) {
			ps.add(full("clusterAdminArns"), arn, "not an IAM role or user ARN: must look like arn:aws:iam::123456789012:role/platform-admins")
		}
	}
}

func (c *Config) validateDNS(ps *problems) {
	if ps.required("apiHostname", c.APIHostname, "the public API name, e.g. api.example.com") {
		switch {
		case !fqdnPattern.MatchString(c.APIHostname):
			ps.add(full("apiHostname"), c.APIHostname, "not a lower-case DNS name: write e.g. api.example.com")
		case strings.Count(c.APIHostname, ".") < 2:
			ps.add(full("apiHostname"), c.APIHostname, "looks like a zone apex: both weighted members are CNAME records, which the apex cannot hold; use a subdomain such as api.%s", c.APIHostname)
		}
	}
	if ps.required("hostedZoneId", c.HostedZoneID, "the Route53 zone ID of apiHostname, e.g. Z0123456789ABCDEFGHIJ") && !hostedZonePat.MatchString(c.HostedZoneID) {
		ps.add(full("hostedZoneId"), c.HostedZoneID, "not a Route53 hosted zone ID: must look like Z0123456789ABCDEFGHIJ")
	}
	switch {
	case c.DNSTTL <= 0:
		ps.add(full("dnsTtl"), c.DNSTTL, "must be positive: allowed 1..%d seconds while awsTrafficPercent is below 100", maxTTLBelow100)
	case c.AWSTrafficPercent < 100 && c.DNSTTL > maxTTLBelow100:
		ps.add(full("dnsTtl"), c.DNSTTL, "too long while awsTrafficPercent is %d: allowed 1..%d so a rollback takes effect within a minute", c.AWSTrafficPercent, maxTTLBelow100)
	case c.DNSTTL > maxTTL:
		ps.add(full("dnsTtl"), c.DNSTTL, "too long: allowed 1..%d", maxTTL)
	}
	if c.APICertificateARN != "" {
		m := acmCertificatePat.FindStringSubmatch(c.APICertificateARN)
		switch {
		case m == nil:
			ps.add(full("apiCertificateArn"), c.APICertificateARN, "not an ACM certificate ARN: must look like arn:aws:acm:us-east-1:123456789012:certificate/<id>, or leave empty to issue one")
		case c.Region != "" && m[1] != c.Region:
			ps.add(full("apiCertificateArn"), c.APICertificateARN, "is in %s but the load balancer is in %s: a load balancer can only use a certificate of its own region", m[1], c.Region)
		}
	}
	if !strings.HasPrefix(c.HealthCheckPath, "/") {
		ps.add(full("healthCheckPath"), c.HealthCheckPath, "must be an absolute path starting with /, e.g. /health")
	}
	if !contains(healthIntervals, c.HealthCheckInterval) {
		ps.add(full("healthCheckInterval"), c.HealthCheckInterval, "Route53 supports 10 or 30 seconds")
	}
}

func (c *Config) validateHeroku(ps *problems) {
	if ps.required("herokuApp", c.HerokuApp, "the Heroku app serving the API today") && !herokuAppPat.MatchString(c.HerokuApp) {
		ps.add(full("herokuApp"), c.HerokuApp, "not a Heroku app name: lower-case letters, digits and dashes, starting with a letter, 2..30 characters")
	}
	if c.HerokuMinDynos < 0 {
		ps.add(full("herokuMinDynos"), c.HerokuMinDynos, "must be 0 or more")
	}
	if c.HerokuDecommissioned && c.AWSTrafficPercent != 100 {
		ps.add(full("herokuDecommissioned"), true, "allowed only at awsTrafficPercent 100 (now %d): Heroku still serves traffic", c.AWSTrafficPercent)
	}
	for _, name := range SortedKeys(c.HerokuFormation) {
		p := c.HerokuFormation[name]
		key := full("herokuFormation") + "." + name
		if !dnsLabel.MatchString(name) {
			ps.add(key, name, "not a Heroku process type name: lower-case letters, digits and dashes")
		}
		if _, ok := dyno.Lookup(p.Size); !ok {
			ps.add(key+".size", p.Size, "unknown dyno type: allowed %s", strings.Join(dyno.Names(), ", "))
		}
		if p.Quantity < 0 {
			ps.add(key+".quantity", p.Quantity, "must be 0 or more")
		}
	}
}

func (c *Config) validateCostInputs(ps *problems) {
	volumes := []struct {
		key string
		gib int
	}{{"monthlyEgressGiB", c.MonthlyEgressGiB}, {"monthlyLogGiB", c.MonthlyLogGiB}}
	for _, v := range volumes {
		if v.gib < 0 {
			ps.add(full(v.key), v.gib, "must be 0 or more GiB a month")
		}
	}
}

func (c *Config) validateMonitoring(ps *problems) {
	if !c.MonitoringEnabled {
		return
	}
	ps.required("grafanaAdminPassword", c.GrafanaAdminPassword, "while monitoringEnabled is true: set it with `pulumi config set --secret grafanaAdminPassword ...`")
	if c.MonitoringRetentionDays < 1 || c.MonitoringRetentionDays > 365 {
		ps.add(full("monitoringRetentionDays"), c.MonitoringRetentionDays, "allowed 1..365 days")
	}
	if c.MonitoringStorageGiB < 10 || c.MonitoringStorageGiB > 16384 {
		ps.add(full("monitoringStorageGiB"), c.MonitoringStorageGiB, "allowed 10..16384 GiB")
	}
	if c.SLOMax5xxRatio <= 0 || c.SLOMax5xxRatio >= 1 {
		ps.add(full("sloMax5xxRatio"), c.SLOMax5xxRatio, "a ratio strictly between 0 and 1, e.g. 0.01 for 1%%")
	}
	if c.SLOMaxP99Ms <= 0 {
		ps.add(full("sloMaxP99Ms"), c.SLOMaxP99Ms, "must be positive milliseconds, e.g. 500")
	}
}

func (c *Config) validatePools(ps *problems) {
	if len(c.WorkerPools) == 0 {
		ps.add(full("workerPools"), nil, "missing: required, at least one pool, e.g. {\"general\": {\"instanceTypes\": [\"m6i.large\"], \"minSize\": 2, \"maxSize\": 6, \"desiredSize\": 3}}")
	}
	for _, name := range SortedKeys(c.WorkerPools) {
		p := c.WorkerPools[name]
		key := full("workerPools") + "." + name
		if !dnsLabel.MatchString(name) {
			ps.add(key, name, "not a valid pool name: lower-case letters, digits and dashes (it becomes a node label and resource name)")
		}
		if len(p.InstanceTypes) == 0 {
			ps.add(key+".instanceTypes", nil, "missing: at least one EC2 instance type, e.g. [\"m6i.large\"]")
		}
		for _, it := range p.InstanceTypes {
			if !instanceTypePat.MatchString(it) {
				ps.add(key+".instanceTypes", it, "not an EC2 instance type: must look like m6i.large")
			}
		}
		if p.MinSize < 0 || p.MaxSize < 1 {
			ps.add(key, fmt.Sprintf("minSize %d, maxSize %d", p.MinSize, p.MaxSize), "sizes must be minSize >= 0 and maxSize >= 1")
		}
		if p.MinSize > p.MaxSize {
			ps.add(key+".minSize", p.MinSize, "greater than maxSize %d: allowed minSize <= maxSize", p.MaxSize)
		}
		if p.DesiredSize < p.MinSize || p.DesiredSize > p.MaxSize {
			ps.add(key+".desiredSize", p.DesiredSize, "outside minSize..maxSize (%d..%d)", p.MinSize, p.MaxSize)
		}
		if p.CapacityType != "" && !contains(capacityTypes, p.CapacityType) {
			ps.add(key+".capacityType", p.CapacityType, "allowed ON_DEMAND or SPOT")
		}
		if p.DiskSizeGiB != 0 && p.DiskSizeGiB < minPoolDiskGiB {
			ps.add(key+".diskSizeGiB", p.DiskSizeGiB, "too small for the node image and container images: allowed %d or more (default %d)", minPoolDiskGiB, defaultPoolDisk)
		}
		for _, t := range p.Taints {
			if !contains(taintEffects, t.Effect) {
				ps.add(key+".taints", t.Key+"="+t.Value+":"+t.Effect, "effect must be NoSchedule, PreferNoSchedule or NoExecute")
			}
			if t.Key == "" {
				ps.add(key+".taints", t.Key+"="+t.Value+":"+t.Effect, "taint key is empty")
			}
		}
	}
}

func (c *Config) validateServices(ps *problems) {
	if len(c.Services) == 0 {
		ps.add(full("services"), nil, "missing: required, the public API and any microservices")
		return
	}
	var public []string
	ports := map[int]string{}
	for _, name := range SortedKeys(c.Services) {
		s := c.Services[name]
		key := full("services") + "." + name
		if s.Public {
			public = append(public, name)
		}
		if !dnsLabel.MatchString(name) || len(name) > 50 {
			ps.add(key, name, "not a valid service name: lower-case letters, digits and dashes, at most 50 characters")
		}
		validateImage(ps, key+".image", s.Image)
		if s.Port < 1 || s.Port > 65535 {
			ps.add(key+".port", s.Port, "allowed 1..65535")
		} else if other, dup := ports[s.Port]; dup {
			ps.add(key+".port", s.Port, "already used by service %q: give each service its own port", other)
		} else {
			ports[s.Port] = name
		}
		switch {
		case s.Dyno != "" && (s.CPU != "" || s.Memory != ""):
			ps.add(key, "dyno "+s.Dyno, "set either dyno or cpu/memory, not both")
		case s.Dyno != "":
			if _, ok := dyno.Lookup(s.Dyno); !ok {
				ps.add(key+".dyno", s.Dyno, "unknown dyno type: allowed %s", strings.Join(dyno.Names(), ", "))
			}
		case s.CPU == "" || s.Memory == "":
			ps.add(key, nil, "needs a size: a Heroku dyno type (dyno: standard-2x) or both cpu and memory (cpu: 500m, memory: 1Gi)")
		}
		if s.CPU != "" && !cpuQuantityPat.MatchString(s.CPU) {
			ps.add(key+".cpu", s.CPU, "not a CPU quantity: write millicores such as 500m or cores such as 2")
		}
		if s.Memory != "" && !memQuantityPat.MatchString(s.Memory) {
			ps.add(key+".memory", s.Memory, "not a memory quantity: write Mi or Gi, e.g. 512Mi or 2Gi")
		}
		if s.MinReplicas < 1 {
			ps.add(key+".minReplicas", s.MinReplicas, "must be at least 1 (the public API at least 3)")
		}
		if s.MinReplicas > s.MaxReplicas {
			ps.add(key+".minReplicas", s.MinReplicas, "greater than maxReplicas %d: allowed minReplicas <= maxReplicas", s.MaxReplicas)
		}
		if s.Pool == "" {
			ps.add(key+".pool", nil, "missing: the worker pool the service runs on; allowed %s", strings.Join(SortedKeys(c.WorkerPools), ", "))
		} else if _, ok := c.WorkerPools[s.Pool]; !ok {
			ps.add(key+".pool", s.Pool, "not a worker pool: allowed %s", strings.Join(SortedKeys(c.WorkerPools), ", "))
		}
		if s.HealthPath != "" && !strings.HasPrefix(s.HealthPath, "/") {
			ps.add(key+".healthPath", s.HealthPath, "must start with /")
		}
		for _, env := range SortedKeys(s.Env) {
			if !envNamePat.MatchString(env) {
				ps.add(key+".env", env, "not an environment variable name: letters, digits and _, not starting with a digit")
			}
		}
	}
	switch len(public) {
	case 0:
		ps.add(full("services"), nil, "no public service: exactly one service (the API) must have public: true")
	case 1:
	default:
		ps.add(full("services"), strings.Join(public, ", "), "%d public services: exactly one service (the API) may have public: true", len(public))
	}
}

var envNamePat = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateImage requires a pinned image: a tag other than latest, or a digest.
func validateImage(ps *problems, key, image string) {
	if image == "" {
		ps.add(key, nil, "missing: a container image with a tag, e.g. registry.example.com/api:1.42.0")
		return
	}
	if !imageTagOrDigest.MatchString(image) {
		ps.add(key, image, "not an image reference: write registry/name:tag")
		return
	}
	name, digest, hasDigest := strings.Cut(image, "@")
	lastSlash := strings.LastIndex(name, "/")
	_, tag, hasTag := strings.Cut(name[lastSlash+1:], ":")
	switch {
	case hasDigest && digest != "":
		return
	case !hasTag || tag == "":
		ps.add(key, image, "has no tag: pin a version, e.g. %s:1.0.0 (or a @sha256 digest)", image)
	case tag == "latest":
		ps.add(key, image, "uses the latest tag: pin a version so every rollout is reproducible")
	}
}
