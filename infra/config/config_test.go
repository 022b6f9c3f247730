package config

import (
	"errors"
	"strings"
	"testing"
)

// validValues is a complete, valid stack config in the engine's form (full keys, JSON text for
// arrays and objects); each test case changes one thing.
func validValues() map[string]string {
	return map[string]string{
		"cutover:awsTrafficPercent":    "25",
		"cutover:availabilityZones":    `["us-east-1a","us-east-1b","us-east-1c"]`,
		"cutover:apiHostname":          "api.example.com",
		"cutover:hostedZoneId":         "Z0PROD0EXAMPLE0000001",
		"cutover:herokuApp":            "acme-api",
		"cutover:grafanaAdminPassword": "[secret]",
		"cutover:workerPools": `{"general":{"instanceTypes":["m6i.large"],"minSize":2,"maxSize":6,"desiredSize":3},
			"bulk":{"instanceTypes":["r6i.xlarge"],"minSize":2,"maxSize":4,"desiredSize":2,"taints":[{"key":"bulk","value":"true","effect":"NoSchedule"}]}}`,
		"cutover:services": `{"api":{"image":"registry.example.com/api:1.2.3","port":8080,"public":true,"dyno":"performance-m","minReplicas":3,"maxReplicas":10,"pool":"general"},
			"imports":{"image":"registry.example.com/imports:1.2.3","port":8081,"dyno":"performance-l","minReplicas":2,"maxReplicas":4,"pool":"bulk"}}`,
		"cutover:herokuFormation": `{"web":{"size":"performance-m","quantity":6}}`,
	}
}

func TestLoadValid(t *testing.T) {
	t.Parallel()
	c, err := FromMap("production", validValues())
	if err != nil {
		t.Fatalf("FromMap: %v", err)
	}
	// Values as written, and defaults from Pulumi.yaml for what is missing.
	checks := []struct {
		name      string
		got, want any
	}{
		{"awsTrafficPercent", c.AWSTrafficPercent, 25},
		{"phases default", joinInts(c.Phases), "0, 10, 25, 50, 100"},
		{"vpcCidr default", c.VPCCIDR, "10.0.0.0/16"},
		{"natGatewayMode default", c.NATGatewayMode, "per-az"},
		{"dnsTtl default", c.DNSTTL, 60},
		{"kubernetesVersion default", c.KubernetesVersion, "1.33"},
		{"healthCheckInterval default", c.HealthCheckInterval, 30},
		{"monitoringEnabled default", c.MonitoringEnabled, true},
		{"herokuScaleWithPhase default", c.HerokuScaleWithPhase, true},
		{"herokuMinDynos default", c.HerokuMinDynos, 1},
		{"sloMax5xxRatio default", c.SLOMax5xxRatio, 0.01},
		{"region derived", c.Region, "us-east-1"},
		{"NAT count", c.NATCount(), 3},
		{"bulk taint", c.WorkerPools["bulk"].Taints[0].Effect, "NoSchedule"},
		{"formation", c.HerokuFormation["web"].Quantity, 6},
		{"autoscalerEnabled default", c.AutoscalerEnabled, true},
		{"autoscalerScaleDownUnneededTime default", c.AutoscalerScaleDownUnneededTime, "10m"},
		{"autoscalerScaleDownDelayAfterAdd default", c.AutoscalerScaleDownDelayAfterAdd, "10m"},
		{"autoscalerScaleDownUtilizationThreshold default", c.AutoscalerScaleDownUtilizationThreshold, 0.5},
		{"no database networks", len(c.DatabaseNetworks), 0},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	name, svc, ok := c.PublicService()
	if !ok || name != "api" || svc.Port != 8080 {
		t.Errorf("PublicService() = %q, %+v, %v", name, svc, ok)
	}
}

// Every refusal the contract lists: the problem names the key, the value and what is allowed.
func TestLoadRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		set     map[string]string // values to set ("" deletes the key)
		wantKey string
		wantMsg string
	}{
		{"percent not a rung", map[string]string{"cutover:awsTrafficPercent": "30"}, "cutover:awsTrafficPercent = 30", "not a rung of phases: allowed 0, 10, 25, 50, 100"},
		{"percent not an integer", map[string]string{"cutover:awsTrafficPercent": "12.5"}, `cutover:awsTrafficPercent = "12.5"`, "not an integer"},
		{"percent above 100", map[string]string{"cutover:awsTrafficPercent": "150"}, "cutover:awsTrafficPercent = 150", "out of range: allowed 0..100"},
		{"percent negative", map[string]string{"cutover:awsTrafficPercent": "-10"}, "cutover:awsTrafficPercent = -10", "out of range"},
		{"phases not increasing", map[string]string{"cutover:phases": "[0,50,25,100]"}, "cutover:phases = [0, 50, 25, 100]", "strictly increasing"},
		{"phases not from 0", map[string]string{"cutover:phases": "[10,25,100]", "cutover:awsTrafficPercent": "25"}, "cutover:phases", "starting at 0"},
		{"phases not to 100", map[string]string{"cutover:phases": "[0,25,50]"}, "cutover:phases", "ending at 100"},
		{"phases not integers", map[string]string{"cutover:phases": `["0","100"]`}, "cutover:phases", "not a list of integers"},
		{"one AZ", map[string]string{"cutover:availabilityZones": `["us-east-1a"]`}, "cutover:availabilityZones = [us-east-1a]", "at least 2"},
		{"duplicate AZ", map[string]string{"cutover:availabilityZones": `["us-east-1a","us-east-1a","us-east-1b"]`}, `cutover:availabilityZones = "us-east-1a"`, "listed twice"},
		{"AZs of two regions", map[string]string{"cutover:availabilityZones": `["us-east-1a","us-west-2b"]`}, "cutover:availabilityZones", "different regions (us-east-1, us-west-2)"},
		{"AZ not a zone", map[string]string{"cutover:availabilityZones": `["us-east-1","us-east-1b"]`}, `cutover:availabilityZones = "us-east-1"`, "not an availability zone"},
		{"AZ vs provider region", map[string]string{"aws:region": "eu-west-1"}, "cutover:availabilityZones", "aws:region is eu-west-1"},
		{"vpcCidr not a CIDR", map[string]string{"cutover:vpcCidr": "10.0.0.0"}, `cutover:vpcCidr = "10.0.0.0"`, "not a CIDR"},
		{"vpcCidr too small", map[string]string{"cutover:vpcCidr": "10.0.0.0/26"}, `cutover:vpcCidr = "10.0.0.0/26"`, "cannot be carved"},
		{"natGatewayMode", map[string]string{"cutover:natGatewayMode": "dual"}, `cutover:natGatewayMode = "dual"`, "allowed: per-az or single"},
		{"allocation count per-az", map[string]string{"cutover:egressIpAllocationIds": `["eipalloc-0123456789abcdef0"]`}, "cutover:egressIpAllocationIds", "1 allocation IDs for 3 NAT gateways"},
		{"allocation count single", map[string]string{"cutover:natGatewayMode": "single", "cutover:egressIpAllocationIds": `["eipalloc-0123456789abcdef0","eipalloc-0123456789abcdef1"]`}, "cutover:egressIpAllocationIds", "2 allocation IDs for 1 NAT gateways"},
		{"allocation id format", map[string]string{"cutover:natGatewayMode": "single", "cutover:egressIpAllocationIds": `["eip-1"]`}, `cutover:egressIpAllocationIds = "eip-1"`, "not an Elastic IP allocation ID"},
		{"heroku egress ip", map[string]string{"cutover:herokuEgressIps": `["203.0.113.300"]`}, `cutover:herokuEgressIps = "203.0.113.300"`, "not an IP address"},
		{"missing apiHostname", map[string]string{"cutover:apiHostname": ""}, "cutover:apiHostname", "missing: required"},
		{"missing hostedZoneId", map[string]string{"cutover:hostedZoneId": ""}, "cutover:hostedZoneId", "missing: required"},
		{"missing herokuApp", map[string]string{"cutover:herokuApp": ""}, "cutover:herokuApp", "missing: required"},
		{"missing AZs", map[string]string{"cutover:availabilityZones": ""}, "cutover:availabilityZones", "missing: required"},
		{"missing grafana password", map[string]string{"cutover:grafanaAdminPassword": ""}, "cutover:grafanaAdminPassword", "while monitoringEnabled is true"},
		{"apex hostname", map[string]string{"cutover:apiHostname": "example.com"}, `cutover:apiHostname = "example.com"`, "zone apex"},
		{"hosted zone format", map[string]string{"cutover:hostedZoneId": "zone-1"}, `cutover:hostedZoneId = "zone-1"`, "not a Route53 hosted zone ID"},
		{"dnsTtl zero", map[string]string{"cutover:dnsTtl": "0"}, "cutover:dnsTtl = 0", "must be positive"},
		{"dnsTtl long below 100", map[string]string{"cutover:dnsTtl": "300"}, "cutover:dnsTtl = 300", "too long while awsTrafficPercent is 25: allowed 1..60"},
		{"certificate not an ACM ARN", map[string]string{"cutover:apiCertificateArn": "arn:aws:iam::123456789012:role/x"}, `cutover:apiCertificateArn = "arn:aws:iam::123456789012:role/x"`, "not an ACM certificate ARN"},
		{"certificate of another region", map[string]string{"cutover:apiCertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50"}, "cutover:apiCertificateArn", "is in eu-west-1 but the load balancer is in us-east-1"},
		{"health interval", map[string]string{"cutover:healthCheckInterval": "15"}, "cutover:healthCheckInterval = 15", "10 or 30"},
		{"health path", map[string]string{"cutover:healthCheckPath": "health"}, `cutover:healthCheckPath = "health"`, "starting with /"},
		{"decommission below 100", map[string]string{"cutover:herokuDecommissioned": "true"}, "cutover:herokuDecommissioned = true", "allowed only at awsTrafficPercent 100"},
		{"negative egress volume", map[string]string{"cutover:monthlyEgressGiB": "-5"}, "cutover:monthlyEgressGiB = -5", "must be 0 or more"},
		{"boolean typo", map[string]string{"cutover:allowPhaseSkip": "yes"}, `cutover:allowPhaseSkip = "yes"`, "not a boolean"},
		{"public access everywhere", map[string]string{"cutover:clusterPublicAccessCidrs": `["0.0.0.0/0"]`}, `cutover:clusterPublicAccessCidrs = "0.0.0.0/0"`, "whole internet"},
		{"admin arn", map[string]string{"cutover:clusterAdminArns": `["admin"]`}, `cutover:clusterAdminArns = "admin"`, "not an IAM role or user ARN"},
		{"no public service", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, "cutover:services", "no public service"},
		{"two public services", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"},"dash":{"image":"r.example.com/dash:1","port":8081,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, `cutover:services = "api, dash"`, "2 public services"},
		{"pool not a worker pool", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"gpu"}}`}, `cutover:services.api.pool = "gpu"`, "not a worker pool: allowed bulk, general"},
		{"unknown dyno", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"hobby","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, `cutover:services.api.dyno = "hobby"`, "unknown dyno type: allowed"},
		{"unknown formation dyno", map[string]string{"cutover:herokuFormation": `{"web":{"size":"standard-3x","quantity":2}}`}, `cutover:herokuFormation.web.size = "standard-3x"`, "unknown dyno type"},
		{"replicas min > max", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"standard-1x","minReplicas":5,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.api.minReplicas = 5", "greater than maxReplicas 4"},
		{"pool min > max", map[string]string{"cutover:workerPools": `{"general":{"instanceTypes":["m6i.large"],"minSize":5,"maxSize":3,"desiredSize":4},"bulk":{"instanceTypes":["r6i.xlarge"],"minSize":2,"maxSize":4,"desiredSize":2}}`}, "cutover:workerPools.general.minSize = 5", "greater than maxSize 3"},
		{"pool desired outside", map[string]string{"cutover:workerPools": `{"general":{"instanceTypes":["m6i.large"],"minSize":2,"maxSize":3,"desiredSize":9},"bulk":{"instanceTypes":["r6i.xlarge"],"minSize":2,"maxSize":4,"desiredSize":2}}`}, "cutover:workerPools.general.desiredSize = 9", "outside minSize..maxSize (2..3)"},
		{"pool capacity type", map[string]string{"cutover:workerPools": `{"general":{"instanceTypes":["m6i.large"],"minSize":2,"maxSize":3,"desiredSize":2,"capacityType":"RESERVED"},"bulk":{"instanceTypes":["r6i.xlarge"],"minSize":2,"maxSize":4,"desiredSize":2}}`}, `cutover:workerPools.general.capacityType = "RESERVED"`, "ON_DEMAND or SPOT"},
		{"taint effect", map[string]string{"cutover:workerPools": `{"general":{"instanceTypes":["m6i.large"],"minSize":2,"maxSize":3,"desiredSize":2},"bulk":{"instanceTypes":["r6i.xlarge"],"minSize":2,"maxSize":4,"desiredSize":2,"taints":[{"key":"k","value":"v","effect":"NO_SCHEDULE"}]}}`}, `cutover:workerPools.bulk.taints = "k=v:NO_SCHEDULE"`, "NoSchedule, PreferNoSchedule or NoExecute"},
		{"duplicate ports", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"},"hooks":{"image":"r.example.com/hooks:1","port":8080,"dyno":"standard-1x","minReplicas":2,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.hooks.port = 8080", `already used by service "api"`},
		{"image without tag", map[string]string{"cutover:services": `{"api":{"image":"registry.example.com/api","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, `cutover:services.api.image = "registry.example.com/api"`, "has no tag"},
		{"image with registry port, no tag", map[string]string{"cutover:services": `{"api":{"image":"registry.example.com:5000/api","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, `cutover:services.api.image = "registry.example.com:5000/api"`, "has no tag"},
		{"image latest", map[string]string{"cutover:services": `{"api":{"image":"registry.example.com/api:latest","port":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.api.image", "latest tag"},
		{"dyno and cpu", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"dyno":"standard-1x","cpu":"1","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.api", "either dyno or cpu/memory"},
		{"no size", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","port":8080,"public":true,"minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.api", "needs a size"},
		{"unknown service field", map[string]string{"cutover:services": `{"api":{"image":"r.example.com/api:1","prot":8080,"public":true,"dyno":"standard-1x","minReplicas":3,"maxReplicas":4,"pool":"general"}}`}, "cutover:services.api", `unknown field "prot"`},
		{"wrong field type", map[string]string{"cutover:workerPools": `{"general":{"instanceTypes":"m6i.large","minSize":2,"maxSize":3,"desiredSize":2}}`}, "cutover:workerPools.general", `field "instanceTypes"`},
		{"unknown pool field", map[string]string{"cutover:herokuFormation": `{"web":{"size":"standard-1x","quantity":2,"autoscale":true}}`}, "cutover:herokuFormation.web", `unknown field "autoscale"`},
		{"no pools", map[string]string{"cutover:workerPools": ""}, "cutover:workerPools", "at least one pool"},
		{"objects not objects", map[string]string{"cutover:services": `["api"]`}, "cutover:services", "must be an object of name -> settings"},
		{"autoscaler duration", map[string]string{"cutover:autoscalerScaleDownUnneededTime": "ten minutes"}, `cutover:autoscalerScaleDownUnneededTime = "ten minutes"`, "not a duration: write e.g. 10m"},
		{"autoscaler duration unitless", map[string]string{"cutover:autoscalerScaleDownDelayAfterAdd": "600"}, `cutover:autoscalerScaleDownDelayAfterAdd = "600"`, "not a duration"},
		{"autoscaler duration too long", map[string]string{"cutover:autoscalerScaleDownDelayAfterAdd": "48h"}, `cutover:autoscalerScaleDownDelayAfterAdd = "48h"`, "out of range: allowed above 0 and at most 24h"},
		{"autoscaler duration zero", map[string]string{"cutover:autoscalerScaleDownUnneededTime": "0s"}, `cutover:autoscalerScaleDownUnneededTime = "0s"`, "out of range"},
		{"autoscaler ratio above 1", map[string]string{"cutover:autoscalerScaleDownUtilizationThreshold": "1.5"}, "cutover:autoscalerScaleDownUtilizationThreshold = 1.5", "a ratio above 0 and at most 1"},
		{"autoscaler ratio zero", map[string]string{"cutover:autoscalerScaleDownUtilizationThreshold": "0"}, "cutover:autoscalerScaleDownUtilizationThreshold = 0", "a ratio above 0"},
		{"autoscaler ratio not a number", map[string]string{"cutover:autoscalerScaleDownUtilizationThreshold": "half"}, `cutover:autoscalerScaleDownUtilizationThreshold = "half"`, "not a number"},
		{"autoscaler enabled typo", map[string]string{"cutover:autoscalerEnabled": "on"}, `cutover:autoscalerEnabled = "on"`, "not a boolean"},
		{"db unknown field", map[string]string{"cutover:databaseNetworks": `{"pg":{"vpcId":"vpc-0123456789abcdef0","cidr":"10.60.0.0/16","region":"us-east-1","accountId":"123456789012","ports":[5432],"port":5432}}`}, "cutover:databaseNetworks.pg", `unknown field "port"`},
		{"db wrong type", map[string]string{"cutover:databaseNetworks": `{"pg":{"vpcId":"vpc-0123456789abcdef0","cidr":"10.60.0.0/16","region":"us-east-1","accountId":123456789012,"ports":[5432]}}`}, "cutover:databaseNetworks.pg", `field "accountId"`},
		{"db not an object", map[string]string{"cutover:databaseNetworks": `[{"vpcId":"vpc-0123456789abcdef0"}]`}, "cutover:databaseNetworks", "must be an object of name -> settings"},
		{"db vpc id", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"vpcId":"vpc-PG"`)}, `cutover:databaseNetworks.pg.vpcId = "vpc-PG"`, "not a VPC ID"},
		{"db vpc missing", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"vpcId":""`)}, "cutover:databaseNetworks.pg.vpcId", "missing"},
		{"db cidr", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"cidr":"10.60.0.1/16"`)}, `cutover:databaseNetworks.pg.cidr = "10.60.0.1/16"`, "not a VPC range"},
		{"db cidr too wide", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"cidr":"10.0.0.0/8"`)}, `cutover:databaseNetworks.pg.cidr = "10.0.0.0/8"`, "between /16 and /28"},
		{"db region", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"region":"virginia"`)}, `cutover:databaseNetworks.pg.region = "virginia"`, "not an AWS region"},
		{"db account", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"accountId":"12345"`)}, `cutover:databaseNetworks.pg.accountId = "12345"`, "12 digits"},
		{"db no ports", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"ports":[]`)}, "cutover:databaseNetworks.pg.ports", "missing: the database ports"},
		{"db port range", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"ports":[0]`)}, "cutover:databaseNetworks.pg.ports = 0", "allowed 1..65535"},
		{"db port twice", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"ports":[5432,5432]`)}, "cutover:databaseNetworks.pg.ports = 5432", "listed twice"},
		{"db sg format", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"securityGroupId":"default"`)}, `cutover:databaseNetworks.pg.securityGroupId = "default"`, "not a security group ID"},
		{"db sg other region", map[string]string{"cutover:databaseNetworks": dbNet("pg", `"region":"eu-central-1","securityGroupId":"sg-0123456789abcdef0"`)}, `cutover:databaseNetworks.pg.securityGroupId = "sg-0123456789abcdef0"`, "only for a database VPC in this stack's region (us-east-1), not eu-central-1"},
		{"db name", map[string]string{"cutover:databaseNetworks": dbNet("Postgres_Main", "")}, `cutover:databaseNetworks.Postgres_Main = "Postgres_Main"`, "not a valid network name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			values := validValues()
			for k, v := range tc.set {
				if v == "" {
					delete(values, k)
				} else {
					values[k] = v
				}
			}
			_, err := FromMap("test", values)
			var cfgErr *Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("FromMap error = %v, want *config.Error", err)
			}
			for _, p := range cfgErr.Problems {
				line := p.String()
				if strings.HasPrefix(line, tc.wantKey) && strings.Contains(line, tc.wantMsg) {
					return
				}
			}
			t.Fatalf("no problem starting %q containing %q in:\n%v", tc.wantKey, tc.wantMsg, err)
		})
	}
}

// All problems come back together, one line each.
func TestLoadCollectsEveryProblem(t *testing.T) {
	t.Parallel()
	values := validValues()
	values["cutover:awsTrafficPercent"] = "30"
	values["cutover:natGatewayMode"] = "dual"
	values["cutover:dnsTtl"] = "0"
	_, err := FromMap("test", values)
	var cfgErr *Error
	if !errors.As(err, &cfgErr) {
		t.Fatalf("want *config.Error, got %v", err)
	}
	if len(cfgErr.Problems) != 3 {
		t.Fatalf("got %d problems, want 3:\n%v", len(cfgErr.Problems), err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], `invalid config for stack "test" (3 problems)`) {
		t.Fatalf("error text = %q", err.Error())
	}
}

// Defaults apply only to missing keys: a present but empty or mistyped value is an error, never a
// silent default.
func TestDefaultsOnlyOnMissing(t *testing.T) {
	t.Parallel()
	values := validValues()
	values["cutover:dnsTtl"] = "sixty"
	_, err := FromMap("test", values)
	if err == nil || !strings.Contains(err.Error(), `cutover:dnsTtl = "sixty": not an integer`) {
		t.Fatalf("error = %v", err)
	}
}

// Every key declared in Pulumi.yaml has a description and a type the engine knows; Load reads
// every one of them (LoadFrom fails otherwise, which this valid load proves).
func TestSchemaDeclaresEveryKey(t *testing.T) {
	t.Parallel()
	schema, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"awsTrafficPercent", "phases", "allowPhaseSkip", "availabilityZones", "vpcCidr", "natGatewayMode",
		"egressIpAllocationIds", "herokuEgressIps", "kubernetesVersion", "clusterPublicAccessCidrs", "apiHostname",
		"hostedZoneId", "dnsTtl", "healthCheckPath", "herokuApp", "monitoringEnabled", "grafanaAdminPassword",
		"autoscalerEnabled", "autoscalerScaleDownUnneededTime", "autoscalerScaleDownDelayAfterAdd", "autoscalerScaleDownUtilizationThreshold"}
	declared := map[string]KeySpec{}
	for _, s := range schema {
		declared[s.Name] = s
	}
	for _, k := range want {
		if _, ok := declared[k]; !ok {
			t.Errorf("Pulumi.yaml does not declare contract key %s", k)
		}
	}
	if !declared["grafanaAdminPassword"].Secret {
		t.Error("grafanaAdminPassword must be declared secret")
	}
	if got := declared["phases"].DefaultString(); got != "[0,10,25,50,100]" && got != "[0, 10, 25, 50, 100]" {
		t.Errorf("phases default = %s", got)
	}
}

func TestParseSchemaRefusesBadDeclarations(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, doc, wantErr string }{
		{"bad type", "name: x\nconfig:\n  a:\n    type: number\n    description: d\n", `type "number"`},
		{"no description", "name: x\nconfig:\n  a:\n    type: string\n", "has no description"},
		{"array without items", "name: x\nconfig:\n  a:\n    type: array\n    description: d\n", "needs items.type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSchema([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseSchema error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// dbNet is a one-entry databaseNetworks value whose fields are overridden by the given JSON members
// (later members win in encoding/json).
func dbNet(name, override string) string {
	fields := `"vpcId":"vpc-0123456789abcdef0","cidr":"10.60.0.0/16","region":"us-east-1","accountId":"123456789012","ports":[5432]`
	if override != "" {
		fields += "," + override
	}
	return `{"` + name + `":{` + fields + `}}`
}

func TestDatabaseNetworksDecode(t *testing.T) {
	t.Parallel()
	values := validValues()
	values["cutover:databaseNetworks"] = `{
		"postgres":{"vpcId":"vpc-0123456789abcdef0","cidr":"10.60.0.0/16","region":"us-east-1","accountId":"123456789012","ports":[5432],"securityGroupId":"sg-0123456789abcdef0"},
		"redis-eu":{"vpcId":"vpc-0fedcba9876543210","cidr":"10.62.0.0/20","region":"eu-central-1","accountId":"210987654321","ports":[6379,6380]}}`
	c, err := FromMap("production", values)
	if err != nil {
		t.Fatalf("FromMap: %v", err)
	}
	if got := SortedKeys(c.DatabaseNetworks); strings.Join(got, ",") != "postgres,redis-eu" {
		t.Fatalf("networks = %v", got)
	}
	pg, redis := c.DatabaseNetworks["postgres"], c.DatabaseNetworks["redis-eu"]
	if pg.VpcID != "vpc-0123456789abcdef0" || pg.CIDR != "10.60.0.0/16" || pg.Region != "us-east-1" || pg.AccountID != "123456789012" ||
		len(pg.Ports) != 1 || pg.Ports[0] != 5432 || pg.SecurityGroupID != "sg-0123456789abcdef0" {
		t.Errorf("postgres = %+v", pg)
	}
	if redis.SecurityGroupID != "" || len(redis.Ports) != 2 || redis.Ports[1] != 6380 || redis.AccountID != "210987654321" {
		t.Errorf("redis-eu = %+v", redis)
	}
}

// Overlapping ranges are refused, naming both sides: against vpcCidr (10.40.0.0/16 here), against
// another database network, and against the ranges EKS takes Service addresses from.
func TestDatabaseNetworkOverlapRefusal(t *testing.T) {
	t.Parallel()
	net := func(name, cidr, vpc string) string {
		return `"` + name + `":{"vpcId":"` + vpc + `","cidr":"` + cidr + `","region":"us-east-1","accountId":"123456789012","ports":[5432]}`
	}
	cases := []struct {
		name     string
		networks string
		want     []string // each a problem line; none means valid
	}{
		{"disjoint", net("a", "10.60.0.0/16", "vpc-0000000000000000a") + "," + net("b", "10.61.0.0/16", "vpc-0000000000000000b"), nil},
		{"adjacent is fine", net("a", "10.41.0.0/16", "vpc-0000000000000000a"), nil},
		{"inside the vpc", net("a", "10.40.16.0/20", "vpc-0000000000000000a"),
			[]string{`cutover:databaseNetworks.a.cidr = "10.40.16.0/20": overlaps vpcCidr 10.40.0.0/16`}},
		{"containing the vpc", net("a", "10.40.0.0/16", "vpc-0000000000000000a"),
			[]string{`cutover:databaseNetworks.a.cidr = "10.40.0.0/16": overlaps vpcCidr 10.40.0.0/16`}},
		{"two networks", net("a", "10.60.0.0/16", "vpc-0000000000000000a") + "," + net("b", "10.60.8.0/24", "vpc-0000000000000000b"),
			[]string{`cutover:databaseNetworks.a.cidr = "10.60.0.0/16": overlaps databaseNetworks.b.cidr 10.60.8.0/24`}},
		{"eks service range", net("a", "172.20.0.0/20", "vpc-0000000000000000a"),
			[]string{`cutover:databaseNetworks.a.cidr = "172.20.0.0/20": overlaps 172.20.0.0/16, a range EKS may assign Kubernetes Service addresses from`}},
		{"same vpc twice", net("a", "10.60.0.0/16", "vpc-0000000000000000a") + "," + net("b", "10.61.0.0/16", "vpc-0000000000000000a"),
			[]string{`cutover:databaseNetworks.b.vpcId = "vpc-0000000000000000a": also the VPC of databaseNetworks.a`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			values := validValues()
			values["cutover:vpcCidr"] = "10.40.0.0/16"
			values["cutover:databaseNetworks"] = "{" + tc.networks + "}"
			_, err := FromMap("test", values)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var cfgErr *Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("FromMap error = %v, want *config.Error", err)
			}
			if len(cfgErr.Problems) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(cfgErr.Problems), len(tc.want), err)
			}
			for i, w := range tc.want {
				if line := cfgErr.Problems[i].String(); !strings.HasPrefix(line, w) {
					t.Errorf("problem %d = %q, want prefix %q", i, line, w)
				}
			}
		})
	}
}
