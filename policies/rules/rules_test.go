package rules

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hit names an expected violation: the policy and the resource (by fixture name; "" for the
// stack as a whole).
type hit struct{ policy, resource string }

func hitsOf(vs []Violation, f *fixture) []string {
	names := map[string]string{"": ""}
	for _, r := range f.resources {
		names[r.URN] = r.Name
	}
	seen := map[string]bool{}
	out := []string{}
	for _, v := range vs {
		name, ok := names[v.URN]
		if !ok {
			name = v.URN
		}
		key := v.Policy + " @ " + name
		if !seen[key] {
			seen[key] = true
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

func want(hs ...hit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.policy+" @ "+h.resource)
	}
	sort.Strings(out)
	return out
}

func TestBaselineIsCompliant(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	report, err := CheckReport(f.list(), f.cfg)
	require.NoError(t, err)
	assert.Empty(t, report.Violations)
	var waived []Violation
	for _, w := range report.Waived {
		waived = append(waived, w.Violation)
		assert.NotEmpty(t, w.Reason, "waived %s on %s", w.Policy, w.URN)
	}
	assert.Equal(t, want(
		hit{"k8s-11-service-cluster-ip", "api-service"},
		hit{"sg-03-egress-restricted", "workers-node-sg"},
	), hitsOf(waived, f))
}

// preview turns the fixture into what a first preview shows: no IDs or outputs yet, and every
// input that refers to another resource unknown, so only dependencies link resources.
func (f *fixture) preview() {
	for _, r := range f.resources {
		r.ID, r.Outputs = "", nil
		for key := range r.PropertyDependencies {
			r.Inputs[resource.PropertyKey(key)] = computed()
		}
	}
}

func TestPreviewBaselineIsCompliant(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.preview()
	vs, err := Check(f.list(), f.cfg)
	require.NoError(t, err)
	assert.Empty(t, vs)
}

const (
	pNet01  = "net-01-private-subnet-no-public-ip"
	pNet02  = "net-02-private-subnets-multi-az"
	pNet03  = "net-03-nat-per-az"
	pNet04  = "net-04-flow-logs-and-default-sg"
	pSG01   = "sg-01-no-public-admin-ingress"
	pSG02   = "sg-02-descriptions"
	pSG03   = "sg-03-egress-restricted"
	pLT01   = "lt-01-imdsv2"
	pLT02   = "lt-02-no-public-ip"
	pLT03   = "lt-03-ebs-encrypted"
	pLT04   = "lt-04-user-data-no-aws-keys"
	pEKS01  = "eks-01-endpoint-access"
	pEKS02  = "eks-02-secrets-encryption"
	pEKS03  = "eks-03-logs-and-version"
	pEKS04a = "eks-04-node-group-remote-access"
	pEKS04b = "eks-04-node-group-private-subnets"
	pEKS05  = "eks-05-node-group-availability"
	pIAM01  = "iam-01-no-wildcard-permissions"
	pIAM02  = "iam-02-trust-policy-scoped"
	pK8S01  = "k8s-01-readiness-probe"
	pK8S02  = "k8s-02-resources"
	pK8S03  = "k8s-03-image-pinned"
	pK8S04  = "k8s-04-replicas-and-zone-spread"
	pK8S05  = "k8s-05-rolling-update"
	pK8S06  = "k8s-06-pod-disruption-budget"
	pK8S07  = "k8s-07-hpa-target"
	pK8S08  = "k8s-08-network-policies"
	pK8S09  = "k8s-09-security-context"
	pK8S10  = "k8s-10-no-skip-await"
	pK8S11  = "k8s-11-service-cluster-ip"
	pMIG01  = "mig-01-weighted-record-pair"
	pMIG02  = "mig-02-record-weights"
	pMIG03  = "mig-03-phase-on-ladder"
	pMIG04  = "mig-04-record-type-and-ttl"
	pMIG05  = "mig-05-health-checks"
	pMIG06  = "mig-06-heroku-failback-record"
	pMIG07  = "mig-07-protected-resources"
	pMIG08  = "mig-08-nat-uses-protected-eip"
	pMIG09  = "mig-09-no-delete-before-replace"
	pMIG11  = "mig-11-api-ready-for-traffic"
)

const (
	apiContainer    = "spec.template.spec.containers[0]"
	workerContainer = "spec.template.spec.containers[0]"
)

func policyJSON(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

func mimeUserData(script string) string {
	doc := "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/x-shellscript\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(script)) + "\r\n--B--\r\n"
	return base64.StdEncoding.EncodeToString([]byte(doc))
}

func TestRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(f *fixture)
		want   []hit
		msg    string // a substring of the first wanted violation's message
	}{
		// NET-01
		{"private subnet maps public IPs", func(f *fixture) { f.set("network-private-a", "mapPublicIpOnLaunch", true) },
			[]hit{{pNet01, "network-private-a"}}, `private subnet "network-private-a" sets mapPublicIpOnLaunch to true`},
		{"untagged subnet named private counts as private", func(f *fixture) {
			f.del("network-private-b", "tags")
			f.set("network-private-b", "mapPublicIpOnLaunch", "true")
		}, []hit{{pNet01, "network-private-b"}}, "mapPublicIpOnLaunch"},
		{"public subnet may map public IPs", func(f *fixture) { f.set("network-public-a", "mapPublicIpOnLaunch", true) }, nil, ""},
		{"unknown mapPublicIpOnLaunch cannot be told", func(f *fixture) { f.set("network-private-a", "mapPublicIpOnLaunch", computed()) }, nil, ""},

		// NET-02
		{"private subnet without zone", func(f *fixture) { f.del("network-private-b", "availabilityZone") },
			[]hit{{pNet02, "network-private-a"}, {pNet02, "network-private-b"}}, "span 1 availability zone(s) [us-east-1a]"},
		{"node group in one subnet", func(f *fixture) { f.set("workers-ng-general", "subnetIds", []any{"subnet-private-a"}) },
			[]hit{{pNet02, "workers-ng-general"}}, `node group "workers-ng-general" uses 1 subnet(s)`},
		{"all private subnets in one zone", func(f *fixture) { f.set("network-private-b", "availabilityZone", "us-east-1a") },
			[]hit{{pNet02, "network-private-a"}, {pNet02, "workers-ng-general"}, {pNet03, "network-route-private-b"}}, "at least 2 are required"},

		// NET-03
		{"private route to the other zone's NAT", func(f *fixture) { f.set("network-route-private-b", "natGatewayId", "nat-a") },
			[]hit{{pNet03, "network-route-private-b"}}, `goes to NAT gateway "network-nat-a" in us-east-1a`},
		{"zone without NAT", func(f *fixture) { f.remove("network-nat-b") },
			[]hit{{pNet03, "network-private-b"}}, "availability zone us-east-1b has no NAT gateway"},
		{"two NATs in one zone", func(f *fixture) {
			f.add("egress", typeEip, "egress-eip-a2", "eipalloc-0a2", map[string]any{"domain": "vpc"}, protect, retain)
			f.add("network", typeNatGateway, "network-nat-a2", "nat-a2", map[string]any{"allocationId": "eipalloc-0a2", "subnetId": "subnet-public-a"})
		}, []hit{{pNet03, "network-nat-a2"}}, "has 2 NAT gateways [network-nat-a network-nat-a2]"},
		{"private default route to the internet gateway", func(f *fixture) {
			f.del("network-route-private-a", "natGatewayId")
			delete(f.get("network-route-private-a").PropertyDependencies, "natGatewayId")
			f.set("network-route-private-a", "gatewayId", "igw-0001")
		}, []hit{{pNet03, "network-route-private-a"}}, "sends 0.0.0.0/0 to gatewayId igw-0001"},
		{"private subnet without route table association", func(f *fixture) { f.remove("network-rta-private-a") },
			[]hit{{pNet03, "network-private-a"}}, "has no route table association"},
		{"private route table without default route", func(f *fixture) { f.remove("network-route-private-a") },
			[]hit{{pNet03, "network-rt-private-a"}}, "has no default route"},
		{"single NAT mode does not ask for zonal NATs", func(f *fixture) {
			f.cfg["cutover:natGatewayMode"] = "single"
			f.set("network-route-private-b", "natGatewayId", "nat-a")
		}, nil, ""},
		{"preview links the route to its NAT through dependencies", func(f *fixture) {
			f.preview()
			f.get("network-route-private-b").PropertyDependencies["natGatewayId"] = []string{f.urn("network-nat-a")}
		}, []hit{{pNet03, "network-route-private-b"}}, `goes to NAT gateway "network-nat-a"`},

		// NET-04
		{"VPC without flow log", func(f *fixture) { f.remove("network-flow-log") },
			[]hit{{pNet04, "network-vpc"}}, `VPC "network-vpc" has no flow log`},
		{"default security group with rules", func(f *fixture) {
			f.set("network-default-sg", "ingress", []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}})
		}, []hit{{pNet04, "network-default-sg"}}, "has 1 ingress rule(s)"},
		{"default security group not managed", func(f *fixture) { f.remove("network-default-sg") },
			[]hit{{pNet04, "network-vpc"}}, "does not manage its default security group"},

		// SG-01
		{"SSH from anywhere", func(f *fixture) {
			f.set("workers-node-sg", "ingress[0]", map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{anyIPv4}, "description": "ssh"})
		}, []hit{{pSG01, "workers-node-sg"}}, "opens port 22 to [0.0.0.0/0]"},
		{"all traffic from ::/0 as a rule resource", func(f *fixture) {
			f.add("workers", typeSGIngressRule, "workers-ingress-all", "sgr-all", map[string]any{
				"securityGroupId": "sg-nodes", "ipProtocol": "-1", "cidrIpv6": anyIPv6, "description": "everything"})
		}, []hit{{pSG01, "workers-ingress-all"}}, "opens all ports to [::/0]"},
		{"port range covering RDP", func(f *fixture) {
			f.add("workers", typeSecurityGroupRule, "workers-rule-range", "sgrule-range", map[string]any{
				"type": "ingress", "securityGroupId": "sg-nodes", "protocol": "tcp", "fromPort": 3000, "toPort": 4000,
				"cidrBlocks": []any{anyIPv4}, "description": "range"})
		}, []hit{{pSG01, "workers-rule-range"}}, "opens port 3389"},
		{"HTTPS from anywhere is not an admin port", func(f *fixture) {
			f.add("workers", typeSGIngressRule, "workers-ingress-https", "sgr-https", map[string]any{
				"securityGroupId": "sg-nodes", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": anyIPv4, "description": "https"})
		}, nil, ""},

		// SG-02
		{"security group without description", func(f *fixture) { f.del("workers-node-sg", "description") },
			[]hit{{pSG02, "workers-node-sg"}}, `security group "workers-node-sg" has no description of its own: (absent)`},
		{"security group with the provider's description", func(f *fixture) { f.set("workers-node-sg", "description", "Managed by Pulumi") },
			[]hit{{pSG02, "workers-node-sg"}}, `"Managed by Pulumi"`},
		{"rule without description", func(f *fixture) { f.del("workers-node-sg", "ingress[0].description") },
			[]hit{{pSG02, "workers-node-sg"}}, `ingress rule 0 of security group "workers-node-sg"`},

		// SG-03
		{"unrestricted egress outside the worker waiver", func(f *fixture) {
			f.add("network", typeSGEgressRule, "network-endpoints-egress", "sgr-endpoints", map[string]any{
				"securityGroupId": "sg-endpoints", "ipProtocol": "-1", "cidrIpv4": anyIPv4, "description": "all"})
		}, []hit{{pSG03, "network-endpoints-egress"}}, "allows all egress to [0.0.0.0/0]"},

		// LT-01
		{"IMDSv1 allowed", func(f *fixture) { f.set("workers-lt-general", "metadataOptions.httpTokens", "optional") },
			[]hit{{pLT01, "workers-lt-general"}}, `httpTokens "optional"`},
		{"metadata options absent", func(f *fixture) { f.del("workers-lt-general", "metadataOptions") },
			[]hit{{pLT01, "workers-lt-general"}}, "httpTokens (absent)"},
		{"metadata hop limit 3", func(f *fixture) { f.set("workers-lt-general", "metadataOptions.httpPutResponseHopLimit", 3) },
			[]hit{{pLT01, "workers-lt-general"}}, "httpPutResponseHopLimit 3"},
		{"unknown httpTokens cannot be told", func(f *fixture) { f.set("workers-lt-general", "metadataOptions.httpTokens", computed()) }, nil, ""},

		// LT-02
		{"public IP on worker interface", func(f *fixture) {
			f.get("workers-lt-general").Inputs["networkInterfaces"] = resource.NewPropertyValue([]any{map[string]any{"associatePublicIpAddress": "true"}})
		}, []hit{{pLT02, "workers-lt-general"}}, `networkInterfaces[0].associatePublicIpAddress is "true"`},

		// LT-03
		{"unencrypted EBS volume", func(f *fixture) { f.set("workers-lt-general", "blockDeviceMappings[0].ebs.encrypted", "false") },
			[]hit{{pLT03, "workers-lt-general"}}, `blockDeviceMappings[0] ("/dev/xvda") has ebs.encrypted "false"`},
		{"EBS encryption absent", func(f *fixture) { f.del("workers-lt-general", "blockDeviceMappings[0].ebs.encrypted") },
			[]hit{{pLT03, "workers-lt-general"}}, "ebs.encrypted (absent)"},
		{"no block device mappings", func(f *fixture) { f.del("workers-lt-general", "blockDeviceMappings") },
			[]hit{{pLT03, "workers-lt-general"}}, "declares no EBS blockDeviceMappings"},

		// LT-04
		{"access key in a MIME part", func(f *fixture) {
			f.set("workers-lt-general", "userData", mimeUserData("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"))
		}, []hit{{pLT04, "workers-lt-general"}}, "access key ID AKIA************MPLE"},
		{"secret key assignment in plain user data", func(f *fixture) {
			f.set("workers-lt-general", "userData", "#!/bin/sh\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
		}, []hit{{pLT04, "workers-lt-general"}}, "assignment of AWS_SECRET_ACCESS_KEY"},

		// EKS-01
		{"private endpoint off", func(f *fixture) { f.set("cluster-eks", "vpcConfig.endpointPrivateAccess", false) },
			[]hit{{pEKS01, "cluster-eks"}}, "endpointPrivateAccess false"},
		{"public endpoint open to the world", func(f *fixture) {
			f.set("cluster-eks", "vpcConfig.publicAccessCidrs", []any{"198.51.100.0/24", anyIPv4})
		}, []hit{{pEKS01, "cluster-eks"}}, "public endpoint allows 0.0.0.0/0"},
		{"public endpoint by default", func(f *fixture) {
			f.del("cluster-eks", "vpcConfig.endpointPublicAccess")
			f.del("cluster-eks", "vpcConfig.publicAccessCidrs")
		}, []hit{{pEKS01, "cluster-eks"}}, "AWS reads as 0.0.0.0/0"},
		{"public endpoint off needs no CIDRs", func(f *fixture) {
			f.set("cluster-eks", "vpcConfig.endpointPublicAccess", false)
			f.del("cluster-eks", "vpcConfig.publicAccessCidrs")
		}, nil, ""},

		// EKS-02
		{"no secrets encryption", func(f *fixture) { f.del("cluster-eks", "encryptionConfig") },
			[]hit{{pEKS02, "cluster-eks"}}, "has no encryptionConfig"},
		{"encryption without secrets", func(f *fixture) { f.set("cluster-eks", "encryptionConfig.resources", []any{"configmaps"}) },
			[]hit{{pEKS02, "cluster-eks"}}, "[configmaps]"},
		{"encryption without key", func(f *fixture) { f.set("cluster-eks", "encryptionConfig.provider.keyArn", "") },
			[]hit{{pEKS02, "cluster-eks"}}, "keyArn"},

		// EKS-03
		{"audit logs off", func(f *fixture) { f.set("cluster-eks", "enabledClusterLogTypes", []any{"api"}) },
			[]hit{{pEKS03, "cluster-eks"}}, "lacks [audit authenticator]"},
		{"version not pinned", func(f *fixture) { f.del("cluster-eks", "version") },
			[]hit{{pEKS03, "cluster-eks"}}, "sets no version"},

		// EKS-04
		{"SSH key without source security groups", func(f *fixture) {
			f.get("workers-ng-general").Inputs["remoteAccess"] = resource.NewPropertyValue(map[string]any{"ec2SshKey": "ops"})
		}, []hit{{pEKS04a, "workers-ng-general"}}, `allows SSH with key "ops"`},
		{"SSH key limited to a security group", func(f *fixture) {
			f.get("workers-ng-general").Inputs["remoteAccess"] = resource.NewPropertyValue(map[string]any{"ec2SshKey": "ops", "sourceSecurityGroupIds": []any{"sg-bastion"}})
		}, nil, ""},
		{"node group in public subnets", func(f *fixture) {
			f.set("workers-ng-general", "subnetIds", []any{"subnet-public-a", "subnet-public-b"})
		}, []hit{{pEKS04b, "workers-ng-general"}}, `public subnet "network-public-a"`},

		// EKS-05
		{"node group min size 1", func(f *fixture) { f.set("workers-ng-general", "scalingConfig.minSize", 1) },
			[]hit{{pEKS05, "workers-ng-general"}}, "scalingConfig.minSize 1"},
		{"node group rolls two nodes", func(f *fixture) { f.set("workers-ng-general", "updateConfig.maxUnavailable", 2) },
			[]hit{{pEKS05, "workers-ng-general"}}, "updateConfig.maxUnavailable 2"},
		{"node group rolls half the nodes", func(f *fixture) {
			f.set("workers-ng-general", "updateConfig", map[string]any{"maxUnavailablePercentage": 50})
		}, []hit{{pEKS05, "workers-ng-general"}}, "maxUnavailablePercentage 50"},
		{"node group update config absent means one at a time", func(f *fixture) { f.del("workers-ng-general", "updateConfig") }, nil, ""},

		// IAM-01
		{"action star", func(f *fixture) {
			f.set("workers-node-policy", "policy", policyJSON(`{"Effect":"Allow","Action":"*","Resource":"*"}`))
		}, []hit{{pIAM01, "workers-node-policy"}}, `allows Action "*"`},
		{"scopable write on every resource", func(f *fixture) {
			f.set("cluster-irsa-api-policy", "policy", policyJSON(`{"Sid":"Uploads","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}`))
		}, []hit{{pIAM01, "cluster-irsa-api-policy"}}, `statement "Uploads" allows write actions [s3:PutObject] on Resource "*"`},
		{"not action", func(f *fixture) {
			f.set("workers-node-policy", "policy", policyJSON(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`))
		}, []hit{{pIAM01, "workers-node-policy"}}, "NotAction [iam:*]"},
		{"tag-scoped write on every resource is fine", func(f *fixture) {
			f.set("workers-node-policy", "policy", policyJSON(`{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/cutover":"owned"}}}`))
		}, nil, ""},
		{"inline role policy with action star", func(f *fixture) {
			f.get("workers-node-role").Inputs["inlinePolicies"] = resource.NewPropertyValue([]any{map[string]any{
				"name": "all", "policy": policyJSON(`{"Effect":"Allow","Action":["*"],"Resource":"*"}`)}})
		}, []hit{{pIAM01, "workers-node-role"}}, `inline policy 0 ("all")`},
		{"invalid policy document", func(f *fixture) { f.set("workers-node-policy", "policy", "{not json") },
			[]hit{{pIAM01, "workers-node-policy"}}, "is not a valid JSON policy document"},

		// IAM-02
		{"anyone may assume", func(f *fixture) {
			f.set("cluster-role", "assumeRolePolicy", policyJSON(`{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}`))
		}, []hit{{pIAM02, "cluster-role"}}, `allows principal * "*"`},
		{"any AWS account may assume", func(f *fixture) {
			f.set("cluster-role", "assumeRolePolicy", policyJSON(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},"Action":"sts:AssumeRole"}`))
		}, []hit{{pIAM02, "cluster-role"}}, `principal AWS "*"`},
		{"IRSA role without sub", func(f *fixture) {
			f.set("cluster-irsa-api", "assumeRolePolicy", policyJSON(`{"Effect":"Allow","Principal":{"Federated":"`+fxOIDC+`"},"Action":"sts:AssumeRoleWithWebIdentity"}`))
		}, []hit{{pIAM02, "cluster-irsa-api"}}, "with sub values []"},
		{"IRSA role with wildcard sub", func(f *fixture) {
			f.set("cluster-irsa-api", "assumeRolePolicy", strings.Replace(irsaTrust, `"StringEquals":{`, `"StringLike":{`, 1))
		}, []hit{{pIAM02, "cluster-irsa-api"}}, "StringLike"},
		{"IRSA role for a whole namespace", func(f *fixture) {
			f.set("cluster-irsa-api", "assumeRolePolicy", strings.Replace(irsaTrust, "system:serviceaccount:apps:api", "system:serviceaccount:apps:*", 1))
		}, []hit{{pIAM02, "cluster-irsa-api"}}, `pins sub "system:serviceaccount:apps:*"`},

		// K8S-01
		{"worker without readiness probe", func(f *fixture) { f.del("worker-deployment", workerContainer+".readinessProbe") },
			[]hit{{pK8S01, "worker-deployment"}}, `deployment "worker-deployment" container "worker" has no readinessProbe`},
		{"API without readiness probe", func(f *fixture) { f.del("api-deployment", apiContainer+".readinessProbe") },
			[]hit{{pK8S01, "api-deployment"}, {pMIG11, "api-deployment"}}, `container "api" has no readinessProbe`},

		// K8S-02
		{"no memory limit", func(f *fixture) { f.del("worker-deployment", workerContainer+".resources.limits") },
			[]hit{{pK8S02, "worker-deployment"}}, "sets no resources.limits.memory"},
		{"no requests", func(f *fixture) { f.del("worker-deployment", workerContainer+".resources.requests") },
			[]hit{{pK8S02, "worker-deployment"}}, "resources.requests.cpu, resources.requests.memory"},

		// K8S-03
		{"latest tag", func(f *fixture) {
			f.set("worker-deployment", workerContainer+".image", "registry.example/worker:latest")
		},
			[]hit{{pK8S03, "worker-deployment"}}, `image "registry.example/worker:latest" uses the latest tag`},
		{"no tag behind a registry port", func(f *fixture) { f.set("worker-deployment", workerContainer+".image", "registry.example:5000/worker") },
			[]hit{{pK8S03, "worker-deployment"}}, "has no tag"},
		{"unknown image cannot be told", func(f *fixture) { f.set("worker-deployment", workerContainer+".image", computed()) }, nil, ""},

		// K8S-04
		{"worker with one replica", func(f *fixture) { f.set("worker-deployment", "spec.replicas", 1) },
			[]hit{{pK8S04, "worker-deployment"}, {pK8S06, "worker-pdb"}}, "runs as few as 1 pod(s) (spec.replicas)"},
		{"API HPA minimum 2", func(f *fixture) { f.set("api-hpa", "spec.minReplicas", 2) },
			[]hit{{pK8S04, "api-deployment"}, {pMIG11, "api-deployment"}}, `HPA "api-hpa" minReplicas); the API needs at least 3`},
		{"API without HPA", func(f *fixture) { f.remove("api-hpa") },
			[]hit{{pK8S04, "api-deployment"}, {pMIG11, "api-deployment"}}, "spec.replicas (absent, default 1)"},
		{"worker not spread across zones", func(f *fixture) { f.del("worker-deployment", "spec.template.spec.affinity") },
			[]hit{{pK8S04, "worker-deployment"}}, "does not spread its pods across zones"},

		// K8S-05
		{"worker recreates", func(f *fixture) {
			f.get("worker-deployment").Inputs["spec"].ObjectValue()["strategy"] = resource.NewPropertyValue(map[string]any{"type": "Recreate"})
		}, []hit{{pK8S05, "worker-deployment"}}, `uses strategy "Recreate"`},
		{"API may lose a pod in a rollout", func(f *fixture) { f.set("api-deployment", "spec.strategy.rollingUpdate.maxUnavailable", 1) },
			[]hit{{pK8S05, "api-deployment"}, {pMIG11, "api-deployment"}}, "rollingUpdate.maxUnavailable 1"},
		{"API rolling update defaults", func(f *fixture) { f.del("api-deployment", "spec.strategy.rollingUpdate") },
			[]hit{{pK8S05, "api-deployment"}, {pMIG11, "api-deployment"}}, "(absent) (Kubernetes default 25%)"},
		{"API with zero surge", func(f *fixture) { f.set("api-deployment", "spec.strategy.rollingUpdate.maxSurge", "0%") },
			[]hit{{pK8S05, "api-deployment"}, {pMIG11, "api-deployment"}}, `maxSurge "0%"`},

		// K8S-06
		{"worker without PDB", func(f *fixture) { f.remove("worker-pdb") },
			[]hit{{pK8S06, "worker-deployment"}}, `deployment "worker-deployment" has no PodDisruptionBudget`},
		{"PDB in another namespace", func(f *fixture) { f.set("worker-pdb", "metadata.namespace", "other") },
			[]hit{{pK8S06, "worker-deployment"}}, "has no PodDisruptionBudget"},
		{"PDB keeps every worker pod", func(f *fixture) { f.set("worker-pdb", "spec.minAvailable", 2) },
			[]hit{{pK8S06, "worker-pdb"}}, "minAvailable 2 is not below the 2 pod(s)"},
		{"PDB keeps 100 percent", func(f *fixture) { f.set("worker-pdb", "spec.minAvailable", "100%") },
			[]hit{{pK8S06, "worker-pdb"}}, "minAvailable 100%"},
		{"API PDB allows no eviction", func(f *fixture) { f.set("api-pdb", "spec.maxUnavailable", 0) },
			[]hit{{pK8S06, "api-pdb"}, {pMIG11, "api-deployment"}}, "maxUnavailable is 0"},

		// K8S-07
		{"HPA targets a missing Deployment", func(f *fixture) { f.set("api-hpa", "spec.scaleTargetRef.name", "apii") },
			[]hit{{pK8S07, "api-hpa"}, {pK8S04, "api-deployment"}, {pMIG11, "api-deployment"}}, "which is no Deployment of this stack"},
		{"HPA scales a StatefulSet", func(f *fixture) { f.set("api-hpa", "spec.scaleTargetRef.kind", "StatefulSet") },
			[]hit{{pK8S07, "api-hpa"}, {pK8S04, "api-deployment"}, {pMIG11, "api-deployment"}}, "scales a StatefulSet"},
		{"HPA target pins replicas", func(f *fixture) {
			f.get("api-deployment").Inputs["spec"].ObjectValue()["replicas"] = resource.NewNumberProperty(3)
		}, []hit{{pK8S07, "api-deployment"}}, `pins spec.replicas to 3 while HPA "api-hpa" scales it`},
		{"pinned replicas with ignoreChanges are left to the HPA", func(f *fixture) {
			f.get("api-deployment").Inputs["spec"].ObjectValue()["replicas"] = resource.NewNumberProperty(3)
			f.get("api-deployment").IgnoreChanges = []string{"spec.replicas"}
		}, nil, ""},

		// K8S-08
		{"namespace without default deny", func(f *fixture) { f.remove("apps-default-deny") },
			[]hit{{pK8S08, "api-deployment"}}, `namespace "apps" has no default-deny NetworkPolicy`},
		{"worker without its own network policy", func(f *fixture) { f.remove("worker-network-policy") },
			[]hit{{pK8S08, "worker-deployment"}}, "is selected by no NetworkPolicy of its own"},

		// K8S-09
		{"privilege escalation by default", func(f *fixture) { f.del("api-deployment", apiContainer+".securityContext.allowPrivilegeEscalation") },
			[]hit{{pK8S09, "api-deployment"}}, "allowPrivilegeEscalation is (absent) (Kubernetes default true)"},
		{"root container", func(f *fixture) { f.set("worker-deployment", workerContainer+".securityContext.runAsNonRoot", false) },
			[]hit{{pK8S09, "worker-deployment"}}, "runAsNonRoot is false"},
		{"capabilities kept", func(f *fixture) {
			f.set("worker-deployment", workerContainer+".securityContext.capabilities.drop", []any{"NET_RAW"})
		},
			[]hit{{pK8S09, "worker-deployment"}}, `capabilities.drop is ["NET_RAW"], without ALL`},
		{"privileged container", func(f *fixture) { f.set("worker-deployment", workerContainer+".securityContext.privileged", true) },
			[]hit{{pK8S09, "worker-deployment"}}, "privileged is true"},
		{"host network", func(f *fixture) { f.set("worker-deployment", "spec.template.spec.hostNetwork", true) },
			[]hit{{pK8S09, "worker-deployment"}}, "sets hostNetwork"},

		// K8S-10
		{"skipAwait on a Deployment", func(f *fixture) {
			f.set("worker-deployment", "metadata.annotations", map[string]any{skipAwaitAnnotation: "true"})
		}, []hit{{pK8S10, "worker-deployment"}}, `annotation pulumi.com/skipAwait="true"`},
		{"skipAwait on a Service", func(f *fixture) { f.set("api-service", `metadata.annotations["pulumi.com/skipAwait"]`, "true") },
			[]hit{{pK8S10, "api-service"}}, `service "api-service"`},

		// K8S-11
		{"NodePort service outside the waiver", func(f *fixture) {
			f.add("svc-worker", typeService, "worker-service", "apps/worker", map[string]any{
				"metadata": map[string]any{"name": "worker", "namespace": fxNS},
				"spec":     map[string]any{"type": "NodePort", "selector": map[string]any{"app": "worker"}},
			})
		}, []hit{{pK8S11, "worker-service"}}, "is of type NodePort"},
		{"no public service in config: waiver off, API rules for all", func(f *fixture) {
			f.cfg["cutover:services"] = `{"api":{},"worker":{}}`
		}, []hit{{pK8S11, "api-service"}, {pK8S05, "worker-deployment"}}, "is of type LoadBalancer"},

		// MIG-01
		{"Heroku record missing", func(f *fixture) { f.remove("traffic-record-heroku") },
			[]hit{{pMIG01, "traffic-record-aws"}}, `lacks the "heroku" member`},
		{"third member", func(f *fixture) {
			f.add("traffic", typeRecord, "traffic-record-blue", "blue", map[string]any{
				"zoneId": "Z0EXAMPLE", "name": fxHost, "type": "CNAME", "ttl": 60, "setIdentifier": "blue",
				"weightedRoutingPolicies": []any{map[string]any{"weight": 0}}, "records": []any{"blue.example"}})
		}, []hit{{pMIG01, "traffic-record-blue"}, {pMIG05, "traffic-record-blue"}}, `set identifier "blue"`},
		{"members in different zones", func(f *fixture) { f.set("traffic-record-heroku", "zoneId", "Z0OTHER") },
			[]hit{{pMIG01, "traffic-record-heroku"}}, `zoneId "Z0OTHER"`},
		{"no weighted records", func(f *fixture) {
			f.remove("traffic-record-aws")
			f.remove("traffic-record-heroku")
		}, []hit{{pMIG01, ""}}, "no weighted Route53 record for the API name"},

		// MIG-02
		{"aws weight off the phase", func(f *fixture) { f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 30) },
			[]hit{{pMIG02, "traffic-record-aws"}}, "has weight 30; cutover:awsTrafficPercent 25 means 25"},
		{"heroku weight off the phase", func(f *fixture) { f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 70) },
			[]hit{{pMIG02, "traffic-record-heroku"}}, "means 75"},
		{"absent percent means the program default 0", func(f *fixture) { delete(f.cfg, "cutover:awsTrafficPercent") },
			[]hit{{pMIG02, "traffic-record-aws"}, {pMIG02, "traffic-record-heroku"}}, "cutover:awsTrafficPercent absent means 0"},
		{"both weights 0", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "0"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 0)
			f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 0)
		}, []hit{{pMIG02, "traffic-record-heroku"}}, "has weight 0; cutover:awsTrafficPercent 0 means 100"},

		// MIG-03
		{"percent off the ladder", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "30"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 30)
			f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 70)
		}, []hit{{pMIG03, "traffic-record-aws"}}, "cutover:awsTrafficPercent 30 is not a rung of the ladder [0 10 25 50 100]"},
		{"ladder not increasing", func(f *fixture) { f.cfg["cutover:phases"] = "[0,50,25,100]" },
			[]hit{{pMIG03, "traffic-record-aws"}}, "must be strictly increasing (25 after 50)"},

		// MIG-04
		{"A record", func(f *fixture) { f.set("traffic-record-heroku", "type", "A") },
			[]hit{{pMIG04, "traffic-record-heroku"}, {pMIG01, "traffic-record-heroku"}}, `has type "A"`},
		{"different TTLs", func(f *fixture) { f.set("traffic-record-heroku", "ttl", 30) },
			[]hit{{pMIG04, "traffic-record-heroku"}}, `has ttl 30 but "traffic-record-aws" has 60`},
		{"long TTL below 100", func(f *fixture) {
			f.set("traffic-record-aws", "ttl", 300)
			f.set("traffic-record-heroku", "ttl", 300)
		}, []hit{{pMIG04, "traffic-record-aws"}, {pMIG04, "traffic-record-heroku"}}, "has ttl 300 while cutover:awsTrafficPercent is 25"},
		{"long TTL at 100", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "100"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 100)
			f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 0)
			f.set("traffic-record-aws", "ttl", 300)
			f.set("traffic-record-heroku", "ttl", 300)
		}, nil, ""},

		// MIG-05
		{"record without health check", func(f *fixture) {
			f.del("traffic-record-heroku", "healthCheckId")
			f.get("traffic-record-heroku").PropertyDependencies = nil
		}, []hit{{pMIG05, "traffic-record-heroku"}}, `record "traffic-record-heroku" (set identifier "heroku") has no health check`},
		{"HTTP health check", func(f *fixture) { f.set("traffic-health-aws", "type", "HTTP") },
			[]hit{{pMIG05, "traffic-health-aws"}}, `type is "HTTP", not HTTPS`},
		{"health check on the weighted name", func(f *fixture) { f.set("traffic-health-aws", "fqdn", fxHost+".") },
			[]hit{{pMIG05, "traffic-health-aws"}}, "is the weighted name itself"},
		{"health check aimed at the other side", func(f *fixture) { f.set("traffic-health-heroku", "fqdn", fxAWSHost) },
			[]hit{{pMIG05, "traffic-health-heroku"}}, "is the other side's host"},
		{"slow health check", func(f *fixture) {
			f.set("traffic-health-aws", "failureThreshold", 5)
			f.set("traffic-health-aws", "requestInterval", 15)
		}, []hit{{pMIG05, "traffic-health-aws"}}, "failureThreshold is 5; at most 3; requestInterval is 15"},
		{"health check without path", func(f *fixture) { f.del("traffic-health-aws", "resourcePath") },
			[]hit{{pMIG05, "traffic-health-aws"}}, "resourcePath is (absent)"},
		{"shared health check", func(f *fixture) {
			f.set("traffic-record-heroku", "healthCheckId", "hc-aws")
			f.get("traffic-record-heroku").PropertyDependencies["healthCheckId"] = []string{f.urn("traffic-health-aws")}
		}, []hit{{pMIG05, "traffic-record-heroku"}}, `shares health check "traffic-health-aws"`},
		{"unknown health check host cannot be told", func(f *fixture) { f.set("traffic-health-aws", "fqdn", computed()) }, nil, ""},

		// MIG-06
		{"Heroku record removed at 100", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "100"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 100)
			f.remove("traffic-record-heroku")
		}, []hit{{pMIG06, "traffic-record-aws"}}, "the Heroku record is gone"},
		{"Heroku record at weight 0 at 100", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "100"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 100)
			f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 0)
		}, nil, ""},

		// MIG-07
		{"unprotected egress EIP", func(f *fixture) { f.get("egress-eip-a").Protect = false },
			[]hit{{pMIG07, "egress-eip-a"}, {pMIG08, "network-nat-a"}}, `egress Elastic IP "egress-eip-a" is not protected`},
		{"EIP not retained on delete", func(f *fixture) { f.get("egress-eip-b").RetainOnDelete = false },
			[]hit{{PolicyEipRetainOnDelete, "egress-eip-b"}}, `"egress-eip-b" is not retainOnDelete`},
		{"unprotected VPC outside production", func(f *fixture) { f.get("network-vpc").Protect = false }, nil, ""},
		{"unprotected VPC in production", func(f *fixture) {
			f.setStack("production")
			f.get("network-vpc").Protect = false
		}, []hit{{pMIG07, "network-vpc"}}, `vpc "network-vpc" is not protected in production`},
		{"unprotected cluster in a production region stack", func(f *fixture) {
			f.setStack("production-eu")
			f.get("cluster-eks").Protect = false
		}, []hit{{pMIG07, "cluster-eks"}}, `cluster "cluster-eks" is not protected in production`},

		// MIG-08
		{"NAT on a foreign allocation", func(f *fixture) {
			f.set("network-nat-a", "allocationId", "eipalloc-elsewhere")
			delete(f.get("network-nat-a").PropertyDependencies, "allocationId")
		}, []hit{{pMIG08, "network-nat-a"}}, `allocationId "eipalloc-elsewhere", which is neither`},
		{"NAT on an adopted allocation", func(f *fixture) {
			f.cfg["cutover:egressIpAllocationIds"] = `["eipalloc-elsewhere"]`
			f.set("network-nat-a", "allocationId", "eipalloc-elsewhere")
			delete(f.get("network-nat-a").PropertyDependencies, "allocationId")
		}, nil, ""},
		{"NAT without allocation", func(f *fixture) {
			f.del("network-nat-a", "allocationId")
			delete(f.get("network-nat-a").PropertyDependencies, "allocationId")
		}, []hit{{pMIG08, "network-nat-a"}}, "has no allocationId"},

		{"preview: NAT allocation from a map of EIPs", func(f *fixture) {
			f.preview()
			for _, nat := range []string{"network-nat-a", "network-nat-b"} {
				f.get(nat).PropertyDependencies["allocationId"] = []string{f.urn("egress-eip-a"), f.urn("egress-eip-b")}
			}
			f.get("egress-eip-b").Protect = false
		}, []hit{{pMIG08, "network-nat-a"}, {pMIG08, "network-nat-b"}, {pMIG07, "egress-eip-b"}},
			`takes its allocationId from one of 2 Elastic IPs, and "egress-eip-b" among them is not protected`},

		// MIG-09
		{"EIP delete before replace", func(f *fixture) { f.get("egress-eip-a").DeleteBeforeReplace = true },
			[]hit{{pMIG09, "egress-eip-a"}}, `eip "egress-eip-a" sets deleteBeforeReplace`},
		{"record delete before replace", func(f *fixture) { f.get("traffic-record-aws").DeleteBeforeReplace = true },
			[]hit{{pMIG09, "traffic-record-aws"}}, `record "traffic-record-aws" sets deleteBeforeReplace`},

		// Unknown values are never violations, however much of a resource is unknown.
		{"preview: whole Deployment spec unknown", func(f *fixture) {
			f.preview()
			f.get("api-deployment").Inputs["spec"] = computed()
		}, nil, ""},
		{"preview: set identifiers unknown", func(f *fixture) {
			f.set("traffic-record-aws", "setIdentifier", computed())
			f.set("traffic-record-heroku", "setIdentifier", computed())
		}, nil, ""},
		{"preview: API metadata unknown", func(f *fixture) {
			f.get("api-deployment").Inputs["metadata"] = computed()
			f.get("api-deployment").Inputs["spec"].ObjectValue()["template"].ObjectValue()["metadata"] = computed()
		}, nil, ""},

		// MIG-11
		{"API gaps do not gate at 0 percent", func(f *fixture) {
			f.cfg["cutover:awsTrafficPercent"] = "0"
			f.set("traffic-record-aws", "weightedRoutingPolicies[0].weight", 0)
			f.set("traffic-record-heroku", "weightedRoutingPolicies[0].weight", 100)
			f.del("api-deployment", apiContainer+".readinessProbe")
		}, []hit{{pK8S01, "api-deployment"}}, "has no readinessProbe"},
		{"no API workload", func(f *fixture) { f.remove("api-deployment") },
			[]hit{{pMIG11, ""}, {pK8S07, "api-hpa"}}, `with cutover:awsTrafficPercent 25 no Deployment of the public service "api"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.mutate(f)
			vs, err := Check(f.list(), f.cfg)
			require.NoError(t, err)
			assert.Equal(t, want(tc.want...), hitsOf(vs, f))
			if tc.msg == "" || len(tc.want) == 0 {
				return
			}
			first := tc.want[0]
			var messages []string
			for _, v := range vs {
				if v.Policy == first.policy && hitsOf([]Violation{v}, f)[0] == first.policy+" @ "+first.resource {
					messages = append(messages, v.Message)
				}
			}
			assert.True(t, containsSubstring(messages, tc.msg), "no %s message contains %q: %q", first.policy, tc.msg, messages)
		})
	}
}

func containsSubstring(messages []string, sub string) bool {
	for _, m := range messages {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func TestCheckRejectsMalformedConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		key     string
		value   string
		wantErr string
	}{
		{"percent not a number", "cutover:awsTrafficPercent", "abc", `config cutover:awsTrafficPercent: "abc" is not valid: must be an integer percentage`},
		{"phases not an array", "cutover:phases", "0,10", `config cutover:phases: "0,10" is not valid`},
		{"unknown NAT mode", "cutover:natGatewayMode", "zonal", `"zonal" is not valid: must be "per-az" or "single"`},
		{"two public services", "cutover:services", `{"a":{"public":true},"b":{"public":true}}`, "exactly one service may be public"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.cfg[tc.key] = tc.value
			_, err := Check(f.list(), f.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestViolationsAreSorted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.set("workers-lt-general", "metadataOptions.httpTokens", "optional")
	f.del("cluster-eks", "version")
	f.remove("network-flow-log")
	vs, err := Check(f.list(), f.cfg)
	require.NoError(t, err)
	require.Len(t, vs, 3)
	assert.True(t, sort.SliceIsSorted(vs, func(i, j int) bool { return lessViolation(vs[i], vs[j]) }), fmt.Sprint(vs))
	assert.Equal(t, []string{pEKS03, pLT01, pNet04}, []string{vs[0].Policy, vs[1].Policy, vs[2].Policy})
	assert.Equal(t, LevelAdvisory, vs[0].Level)
	assert.Equal(t, LevelMandatory, vs[1].Level)
}
