package rules

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The fixture is a small, hand-written stack resembling what the components register: a VPC with
// public and private subnets in two zones, a NAT per zone on protected EIPs, private routes, an
// EKS cluster, a worker pool, IAM, the API and a worker workload, and the weighted Route53 pair
// with one health check per side. It is compliant; each test case mutates one thing.

const (
	fxStack   = "test"
	fxProject = "cutover"
	fxHost    = "api.cutover.example"
	fxAWSHost = "api-lb.aws.example"
	fxHeroku  = "cutover-app.herokudns.example"
	fxKMS     = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000001"
	fxOIDC    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
	fxNS      = "apps"
)

type fixture struct {
	t         *testing.T
	resources []*Resource
	cfg       map[string]string
}

func urnOf(stack, parentType, typ, name string) string {
	qualified := typ
	if parentType != "" {
		qualified = parentType + "$" + typ
	}
	return "urn:pulumi:" + stack + "::" + fxProject + "::" + qualified + "::" + name
}

// add registers a resource under parent (a component name added earlier, or "" for the stack).
func (f *fixture) add(parent, typ, name, id string, inputs map[string]any, opts ...func(*Resource)) *Resource {
	parentURN, parentType := "", ""
	if parent != "" {
		p := f.get(parent)
		parentURN, parentType = p.URN, p.Type
	}
	r := &Resource{
		URN: urnOf(fxStack, parentType, typ, name), Type: typ, Name: name, Parent: parentURN, ID: id,
		Inputs: resource.NewPropertyMapFromMap(inputs),
	}
	if strings.HasPrefix(typ, "aws:") {
		r.Provider = urnOf(fxStack, "", "pulumi:providers:aws", "default_6_83_4") + "::provider-aws"
	}
	for _, o := range opts {
		o(r)
	}
	f.resources = append(f.resources, r)
	return r
}

func (f *fixture) component(typ, name string) {
	f.add("", typ, name, "", nil)
}

func (f *fixture) get(name string) *Resource {
	for _, r := range f.resources {
		if r.Name == name {
			return r
		}
	}
	f.t.Fatalf("fixture has no resource %q", name)
	return nil
}

func (f *fixture) urn(name string) string { return f.get(name).URN }

// set writes value at a property path ("spec.template.spec.containers[0].image") of name's inputs.
func (f *fixture) set(name, path string, value any) {
	f.t.Helper()
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		f.t.Fatalf("path %q: %v", path, err)
	}
	r := f.get(name)
	if !p.Set(resource.NewObjectProperty(r.Inputs), resource.NewPropertyValue(value)) {
		f.t.Fatalf("cannot set %s on %s", path, name)
	}
}

// del removes a property path from name's inputs.
func (f *fixture) del(name, path string) {
	f.t.Helper()
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		f.t.Fatalf("path %q: %v", path, err)
	}
	if !p.Delete(resource.NewObjectProperty(f.get(name).Inputs)) {
		f.t.Fatalf("cannot delete %s on %s", path, name)
	}
}

func (f *fixture) remove(name string) {
	r := f.get(name)
	for i, x := range f.resources {
		if x == r {
			f.resources = append(f.resources[:i], f.resources[i+1:]...)
			return
		}
	}
}

// setStack moves every URN to another stack, as the same program deployed there would register.
func (f *fixture) setStack(stack string) {
	from, to := "urn:pulumi:"+fxStack+"::", "urn:pulumi:"+stack+"::"
	re := func(s string) string { return strings.ReplaceAll(s, from, to) }
	for _, r := range f.resources {
		r.URN, r.Parent, r.Provider = re(r.URN), re(r.Parent), re(r.Provider)
		for i := range r.Dependencies {
			r.Dependencies[i] = re(r.Dependencies[i])
		}
		for k, deps := range r.PropertyDependencies {
			for i := range deps {
				deps[i] = re(deps[i])
			}
			r.PropertyDependencies[k] = deps
		}
	}
}

func (f *fixture) list() []Resource {
	out := make([]Resource, len(f.resources))
	for i, r := range f.resources {
		out[i] = *r
	}
	return out
}

// dep records that input key of r came from the named resources (as the engine records it).
func (f *fixture) dep(r *Resource, key string, names ...string) {
	if r.PropertyDependencies == nil {
		r.PropertyDependencies = map[string][]string{}
	}
	for _, n := range names {
		u := f.urn(n)
		r.PropertyDependencies[key] = append(r.PropertyDependencies[key], u)
		r.Dependencies = append(r.Dependencies, u)
	}
}

func protect(r *Resource) { r.Protect = true }
func retain(r *Resource)  { r.RetainOnDelete = true }
func outputs(m map[string]any) func(*Resource) {
	return func(r *Resource) { r.Outputs = resource.NewPropertyMapFromMap(m) }
}

func trustPolicy(service string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
}

const irsaTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + fxOIDC + `"},` +
	`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{` +
	`"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub":"system:serviceaccount:apps:api",` +
	`"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud":"sts.amazonaws.com"}}}]}`

const nodeUserData = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\n" +
	"--BOUNDARY\r\nContent-Type: application/node.eks.aws\r\n\r\n" +
	"apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: cutover-test\n    apiServerEndpoint: https://cluster.eks.example\n" +
	"\r\n--BOUNDARY--\r\n"

func fxContainer(name, image string) map[string]any {
	return map[string]any{
		"name":  name,
		"image": image,
		"readinessProbe": map[string]any{
			"httpGet": map[string]any{"path": "/health", "port": 8080},
		},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "250m", "memory": "512Mi"},
			"limits":   map[string]any{"memory": "512Mi"},
		},
		"securityContext": map[string]any{
			"allowPrivilegeEscalation": false,
			"capabilities":             map[string]any{"drop": []any{"ALL"}},
			"readOnlyRootFilesystem":   true,
		},
	}
}

func podTemplate(app string, spread map[string]any, containers ...map[string]any) map[string]any {
	spec := map[string]any{
		"serviceAccountName": app,
		"securityContext":    map[string]any{"runAsNonRoot": true},
		"containers":         toAny(containers),
	}
	for k, v := range spread {
		spec[k] = v
	}
	return map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": app}}, "spec": spec}
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

var zoneSpreadConstraint = map[string]any{"topologySpreadConstraints": []any{map[string]any{
	"maxSkew": 1, "topologyKey": zoneTopologyKey, "whenUnsatisfiable": "DoNotSchedule",
	"labelSelector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
}}}

var zoneAntiAffinity = map[string]any{"affinity": map[string]any{"podAntiAffinity": map[string]any{
	"preferredDuringSchedulingIgnoredDuringExecution": []any{map[string]any{
		"weight": 100,
		"podAffinityTerm": map[string]any{
			"topologyKey":   zoneTopologyKey,
			"labelSelector": map[string]any{"matchLabels": map[string]any{"app": "worker"}},
		},
	}},
}}}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, cfg: map[string]string{
		"cutover:awsTrafficPercent": "25",
		"cutover:apiHostname":       fxHost,
		"cutover:natGatewayMode":    "per-az",
		"cutover:services":          `{"api":{"image":"registry.example/api:1.4.2","port":8080,"public":true},"worker":{"image":"registry.example/worker:1.4.2"}}`,
	}}
	for _, c := range [][2]string{
		{"cutover:egress:Egress", "egress"}, {"cutover:network:Network", "network"},
		{"cutover:cluster:Cluster", "cluster"}, {"cutover:workers:Workers", "workers"},
		{"cutover:service:Service", "svc-api"}, {"cutover:service:Service", "svc-worker"},
		{"cutover:traffic:Traffic", "traffic"},
	} {
		f.component(c[0], c[1])
	}

	// egress
	for i, az := range []string{"a", "b"} {
		f.add("egress", typeEip, "egress-eip-"+az, "eipalloc-0"+az, map[string]any{
			"domain": "vpc", "tags": map[string]any{"Name": "cutover-egress-" + az},
		}, protect, retain, outputs(map[string]any{"allocationId": "eipalloc-0" + az, "publicIp": "203.0.113." + string(rune('1'+i))}))
	}

	// network
	f.add("network", typeVpc, "network-vpc", "vpc-0001", map[string]any{
		"cidrBlock": "10.0.0.0/16", "enableDnsHostnames": true, "enableDnsSupport": true,
	}, protect)
	vpcRef := func(r *Resource) { f.dep(r, "vpcId", "network-vpc") }
	f.add("network", typeFlowLog, "network-flow-log", "fl-0001", map[string]any{
		"vpcId": "vpc-0001", "trafficType": "ALL", "logDestinationType": "cloud-watch-logs",
		"logDestination": "arn:aws:logs:us-east-1:123456789012:log-group:cutover-flow",
	}, vpcRef)
	f.add("network", typeDefaultSecurityGroup, "network-default-sg", "sg-default", map[string]any{"vpcId": "vpc-0001"}, vpcRef)
	f.add("network", "aws:ec2/internetGateway:InternetGateway", "network-igw", "igw-0001", map[string]any{"vpcId": "vpc-0001"}, vpcRef)
	f.add("network", typeRouteTable, "network-rt-public", "rtb-public", map[string]any{
		"vpcId":  "vpc-0001",
		"routes": []any{map[string]any{"cidrBlock": anyIPv4, "gatewayId": "igw-0001"}},
	}, vpcRef)
	for i, az := range []string{"a", "b"} {
		zone := "us-east-1" + az
		f.add("network", typeSubnet, "network-public-"+az, "subnet-public-"+az, map[string]any{
			"vpcId": "vpc-0001", "cidrBlock": "10.0." + string(rune('0'+i)) + ".0/24", "availabilityZone": zone,
			"mapPublicIpOnLaunch": false,
			"tags":                map[string]any{"Name": "cutover-public-" + az, publicELBSubnetTag: "1"},
		}, vpcRef)
		f.add("network", typeSubnet, "network-private-"+az, "subnet-private-"+az, map[string]any{
			"vpcId": "vpc-0001", "cidrBlock": "10.0.1" + string(rune('0'+i)) + ".0/24", "availabilityZone": zone,
			"tags": map[string]any{"Name": "cutover-private-" + az, internalELBSubnetTag: "1"},
		}, vpcRef)
		f.add("network", typeRouteTableAssociation, "network-rta-public-"+az, "rtbassoc-public-"+az, map[string]any{
			"subnetId": "subnet-public-" + az, "routeTableId": "rtb-public",
		}, func(r *Resource) {
			f.dep(r, "subnetId", "network-public-"+az)
			f.dep(r, "routeTableId", "network-rt-public")
		})
		f.add("network", typeNatGateway, "network-nat-"+az, "nat-"+az, map[string]any{
			"allocationId": "eipalloc-0" + az, "subnetId": "subnet-public-" + az,
			"tags": map[string]any{"Name": "cutover-nat-" + az},
		}, func(r *Resource) {
			f.dep(r, "allocationId", "egress-eip-"+az)
			f.dep(r, "subnetId", "network-public-"+az)
		})
		f.add("network", typeRouteTable, "network-rt-private-"+az, "rtb-private-"+az, map[string]any{"vpcId": "vpc-0001"}, vpcRef)
		f.add("network", typeRoute, "network-route-private-"+az, "r-private-"+az, map[string]any{
			"routeTableId": "rtb-private-" + az, "destinationCidrBlock": anyIPv4, "natGatewayId": "nat-" + az,
		}, func(r *Resource) {
			f.dep(r, "routeTableId", "network-rt-private-"+az)
			f.dep(r, "natGatewayId", "network-nat-"+az)
		})
		f.add("network", typeRouteTableAssociation, "network-rta-private-"+az, "rtbassoc-private-"+az, map[string]any{
			"subnetId": "subnet-private-" + az, "routeTableId": "rtb-private-" + az,
		}, func(r *Resource) {
			f.dep(r, "subnetId", "network-private-"+az)
			f.dep(r, "routeTableId", "network-rt-private-"+az)
		})
	}

	// cluster
	f.add("cluster", typeIamRole, "cluster-role", "cutover-cluster-role", map[string]any{
		"assumeRolePolicy": trustPolicy("eks.amazonaws.com"),
	})
	f.add("cluster", typeEksCluster, "cluster-eks", "cutover-test", map[string]any{
		"roleArn": "arn:aws:iam::123456789012:role/cutover-cluster-role", "version": "1.33",
		"vpcConfig": map[string]any{
			"subnetIds":             []any{"subnet-private-a", "subnet-private-b"},
			"endpointPrivateAccess": true, "endpointPublicAccess": true,
			"publicAccessCidrs": []any{"198.51.100.0/24"},
		},
		"encryptionConfig": map[string]any{
			"resources": []any{"secrets"}, "provider": map[string]any{"keyArn": fxKMS},
		},
		"enabledClusterLogTypes": []any{"api", "audit", "authenticator"},
	}, protect)
	f.add("cluster", typeIamRole, "cluster-irsa-api", "cutover-api-irsa", map[string]any{
		"assumeRolePolicy": irsaTrust,
	})
	f.add("cluster", typeIamRolePolicy, "cluster-irsa-api-policy", "cutover-api-irsa:policy", map[string]any{
		"role": "cutover-api-irsa",
		"policy": `{"Version":"2012-10-17","Statement":[` +
			`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::cutover-uploads/*"},` +
			`{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*"}]}`,
	})

	// workers
	f.add("workers", typeIamRole, "workers-node-role", "cutover-node-role", map[string]any{
		"assumeRolePolicy": trustPolicy("ec2.amazonaws.com"),
	})
	f.add("workers", typeIamPolicy, "workers-node-policy", "arn:aws:iam::123456789012:policy/cutover-node", map[string]any{
		"policy": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ec2:Describe*","ecr:GetAuthorizationToken"],"Resource":"*"}}`,
	})
	f.add("workers", typeSecurityGroup, "workers-node-sg", "sg-nodes", map[string]any{
		"vpcId": "vpc-0001", "description": "EKS worker nodes of cutover",
		"ingress": []any{map[string]any{
			"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"10.0.0.0/16"},
			"description": "control plane to admission webhooks",
		}},
		"egress": []any{map[string]any{
			"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{anyIPv4},
			"description": "all egress, through the NAT gateways",
		}},
	}, vpcRef)
	f.add("workers", typeLaunchTemplate, "workers-lt-general", "lt-general", map[string]any{
		"metadataOptions": map[string]any{"httpTokens": "required", "httpPutResponseHopLimit": 2, "httpEndpoint": "enabled"},
		"blockDeviceMappings": []any{map[string]any{
			"deviceName": "/dev/xvda",
			"ebs":        map[string]any{"encrypted": "true", "volumeSize": 50, "volumeType": "gp3"},
		}},
		"vpcSecurityGroupIds": []any{"sg-nodes"},
		"userData":            base64.StdEncoding.EncodeToString([]byte(nodeUserData)),
	})
	f.add("workers", typeEksNodeGroup, "workers-ng-general", "cutover-test:general", map[string]any{
		"clusterName": "cutover-test", "nodeRoleArn": "arn:aws:iam::123456789012:role/cutover-node-role",
		"subnetIds":      []any{"subnet-private-a", "subnet-private-b"},
		"scalingConfig":  map[string]any{"minSize": 2, "maxSize": 6, "desiredSize": 3},
		"updateConfig":   map[string]any{"maxUnavailable": 1},
		"launchTemplate": map[string]any{"id": "lt-general", "version": "1"},
	}, func(r *Resource) { f.dep(r, "subnetIds", "network-private-a", "network-private-b") })

	// workloads
	f.add("", typeNetworkPolicy, "apps-default-deny", "apps/default-deny", map[string]any{
		"metadata": map[string]any{"name": "default-deny", "namespace": fxNS},
		"spec":     map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress"}},
	})
	f.add("svc-api", typeDeployment, "api-deployment", "apps/api", map[string]any{
		"metadata": map[string]any{"name": "api", "namespace": fxNS, "labels": map[string]any{"app.kubernetes.io/name": "api"}},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
			"strategy": map[string]any{"type": "RollingUpdate", "rollingUpdate": map[string]any{"maxUnavailable": 0, "maxSurge": 1}},
			"template": podTemplate("api", zoneSpreadConstraint, fxContainer("api", "registry.example/api:1.4.2")),
		},
	})
	f.add("svc-api", typeHPA, "api-hpa", "apps/api", map[string]any{
		"metadata": map[string]any{"name": "api", "namespace": fxNS},
		"spec": map[string]any{
			"scaleTargetRef": map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
			"minReplicas":    3, "maxReplicas": 12,
		},
	}, func(r *Resource) { f.dep(r, "spec", "api-deployment") })
	f.add("svc-api", typePDB, "api-pdb", "apps/api", map[string]any{
		"metadata": map[string]any{"name": "api", "namespace": fxNS},
		"spec":     map[string]any{"maxUnavailable": 1, "selector": map[string]any{"matchLabels": map[string]any{"app": "api"}}},
	})
	f.add("svc-api", typeNetworkPolicy, "api-network-policy", "apps/api", map[string]any{
		"metadata": map[string]any{"name": "api", "namespace": fxNS},
		"spec": map[string]any{
			"podSelector": map[string]any{"matchLabels": map[string]any{"app": "api"}},
			"policyTypes": []any{"Ingress"},
			"ingress":     []any{map[string]any{"ports": []any{map[string]any{"port": 8080}}}},
		},
	})
	f.add("svc-api", typeService, "api-service", "apps/api", map[string]any{
		"metadata": map[string]any{"name": "api", "namespace": fxNS, "annotations": map[string]any{
			"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
		}},
		"spec": map[string]any{
			"type": "LoadBalancer", "selector": map[string]any{"app": "api"},
			"ports": []any{map[string]any{"port": 443, "targetPort": 8080}},
		},
	})
	f.add("svc-worker", typeDeployment, "worker-deployment", "apps/worker", map[string]any{
		"metadata": map[string]any{"name": "worker", "namespace": fxNS},
		"spec": map[string]any{
			"replicas": 2,
			"selector": map[string]any{"matchLabels": map[string]any{"app": "worker"}},
			"template": podTemplate("worker", zoneAntiAffinity, fxContainer("worker", "registry.example/worker@sha256:"+strings.Repeat("ab", 32))),
		},
	})
	f.add("svc-worker", typePDB, "worker-pdb", "apps/worker", map[string]any{
		"metadata": map[string]any{"name": "worker", "namespace": fxNS},
		"spec":     map[string]any{"minAvailable": 1, "selector": map[string]any{"matchLabels": map[string]any{"app": "worker"}}},
	})
	f.add("svc-worker", typeNetworkPolicy, "worker-network-policy", "apps/worker", map[string]any{
		"metadata": map[string]any{"name": "worker", "namespace": fxNS},
		"spec": map[string]any{
			"podSelector": map[string]any{"matchLabels": map[string]any{"app": "worker"}},
			"policyTypes": []any{"Ingress"},
		},
	})

	// traffic
	for _, side := range []struct{ id, host string }{{"aws", fxAWSHost}, {"heroku", fxHeroku}} {
		f.add("traffic", typeHealthCheck, "traffic-health-"+side.id, "hc-"+side.id, map[string]any{
			"type": "HTTPS", "fqdn": side.host, "port": 443, "resourcePath": "/health",
			"failureThreshold": 3, "requestInterval": 10, "enableSni": true,
		})
		weight := 25
		if side.id == "heroku" {
			weight = 75
		}
		f.add("traffic", typeRecord, "traffic-record-"+side.id, "Z0EXAMPLE_api.cutover.example_CNAME_"+side.id, map[string]any{
			"zoneId": "Z0EXAMPLE", "name": fxHost, "type": "CNAME", "ttl": 60,
			"setIdentifier":           side.id,
			"weightedRoutingPolicies": []any{map[string]any{"weight": weight}},
			"healthCheckId":           "hc-" + side.id,
			"records":                 []any{side.host},
		}, func(r *Resource) { f.dep(r, "healthCheckId", "traffic-health-"+side.id) })
	}
	return f
}

// computed is an unknown value, as a preview has for outputs of resources not yet created.
func computed() resource.PropertyValue {
	return resource.MakeComputed(resource.NewStringProperty(""))
}
