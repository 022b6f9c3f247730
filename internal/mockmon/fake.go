package mockmon

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// answer is the built-in answer to the functions the program calls.
func (m *Monitor) answer(args pulumi.MockCallArgs) (resource.PropertyMap, bool) {
	switch args.Token {
	case "aws:ec2/getElasticIp:getElasticIp":
		id := ""
		if v, ok := args.Args["id"]; ok && v.IsString() {
			id = v.StringValue()
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": id, "allocationId": id, "publicIp": fakeIP("adopted/" + id), "domain": "vpc",
		}), true
	case "heroku:app/getApp:getApp":
		name := "app"
		if v, ok := args.Args["name"]; ok && v.IsString() {
			name = v.StringValue()
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": fakeUUID("heroku-app/" + name), "uuid": fakeUUID("heroku-app/" + name), "name": name,
			"webUrl": "https://" + name + "-" + shortHash(name, 12) + ".herokuapp.example/", "stack": "heroku-24",
		}), true
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": Account, "arn": "arn:aws:iam::" + Account + ":user/plan", "userId": "AIDAEXAMPLE",
		}), true
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com"}), true
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": m.Region, "id": m.Region}), true
	}
	return nil, false
}

// fake returns a deterministic ID and state for a registration: the inputs, plus the outputs the
// provider would add, never overwriting an input.
func (m *Monitor) fake(rec *Recorded, args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
	key := rec.URN
	if key == "" {
		key = args.TypeToken + "::" + args.Name
	}
	state := args.Inputs.Copy()
	set := func(k string, v any) {
		if _, ok := state[resource.PropertyKey(k)]; !ok {
			state[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
		}
	}
	module, kind := splitType(args.TypeToken)
	if args.TypeToken == "pulumi:pulumi:StackReference" {
		outputs := map[string]any{}
		if m.DeployedPercent != nil {
			outputs["awsTrafficPercent"] = float64(*m.DeployedPercent)
		}
		state["outputs"] = resource.NewPropertyValue(outputs)
		state["secretOutputNames"] = resource.NewPropertyValue([]any{})
		return args.ID, state
	}
	if !args.Custom && args.RegisterRPC != nil {
		return "", state
	}
	region := m.Region
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", arnService(module), region, Account, strings.ToLower(kind), args.Name)
	id := args.Name + "-" + shortHash(key, 8)
	switch args.TypeToken {
	case "aws:ec2/eip:Eip":
		id = "eipalloc-" + shortHash(key, 17)
		set("allocationId", id)
		set("publicIp", fakeIP(key))
		set("publicDns", "ec2-"+strings.ReplaceAll(fakeIP(key), ".", "-")+".compute.example")
	case "aws:ec2/vpc:Vpc":
		id = "vpc-" + shortHash(key, 17)
		set("defaultSecurityGroupId", "sg-"+shortHash(key+"/default-sg", 17))
		set("mainRouteTableId", "rtb-"+shortHash(key+"/main", 17))
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + shortHash(key, 17)
	case "aws:ec2/natGateway:NatGateway":
		id = "nat-" + shortHash(key, 17)
	case "aws:ec2/internetGateway:InternetGateway":
		id = "igw-" + shortHash(key, 17)
	case "aws:ec2/routeTable:RouteTable":
		id = "rtb-" + shortHash(key, 17)
	case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
		id = "sg-" + shortHash(key, 17)
	case "aws:ec2/launchTemplate:LaunchTemplate":
		id = "lt-" + shortHash(key, 17)
		set("latestVersion", 1)
		set("defaultVersion", 1)
	case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
		id = "pcx-" + shortHash(key, 17)
		status := "pending-acceptance"
		if v, ok := state["autoAccept"]; ok && v.IsBool() && v.BoolValue() {
			status = "active"
		}
		set("acceptStatus", status)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + shortHash(key, 17)
	case "aws:ec2/flowLog:FlowLog":
		id = "fl-" + shortHash(key, 17)
	case "aws:iam/role:Role":
		set("name", args.Name)
		arn = "arn:aws:iam::" + Account + ":role/" + args.Name
	case "aws:iam/policy:Policy":
		arn = "arn:aws:iam::" + Account + ":policy/" + args.Name
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		arn = "arn:aws:iam::" + Account + ":oidc-provider/oidc.eks." + region + ".example/id/" + strings.ToUpper(shortHash(key, 32))
	case "aws:kms/key:Key":
		id = shortHash(key, 8) + "-0000-4000-8000-" + shortHash(key+"/k", 12)
		set("keyId", id)
	case "aws:eks/cluster:Cluster":
		set("name", args.Name)
		set("endpoint", "https://"+strings.ToUpper(shortHash(key, 32))+".gr7."+region+".eks.example")
		set("certificateAuthority", map[string]any{"data": "RkFLRS1DQS1GT1ItT0ZGTElORS1QTEFO"}) // base64("FAKE-CA-FOR-OFFLINE-PLAN")
		set("identities", []any{map[string]any{"oidcs": []any{map[string]any{
			"issuer": "https://oidc.eks." + region + ".example/id/" + strings.ToUpper(shortHash(key, 32)),
		}}}})
		set("status", "ACTIVE")
		id = args.Name
	case "aws:eks/nodeGroup:NodeGroup":
		set("nodeGroupName", args.Name)
		set("status", "ACTIVE")
		// EKS creates one Auto Scaling group per node group, named eks-<node group>-<uuid>.
		set("resources", []any{map[string]any{
			"autoscalingGroups":           []any{map[string]any{"name": "eks-" + args.Name + "-" + fakeUUID(key)}},
			"remoteAccessSecurityGroupId": "",
		}})
	case "aws:acm/certificate:Certificate":
		domain := "api.example"
		if v, ok := state["domainName"]; ok && v.IsString() {
			domain = v.StringValue()
		}
		set("domainValidationOptions", []any{map[string]any{
			"domainName":          domain,
			"resourceRecordName":  "_" + shortHash(key, 32) + "." + domain + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + shortHash(key+"/v", 32) + ".acm-validations.example.",
		}})
		set("status", "ISSUED")
	case "aws:route53/healthCheck:HealthCheck":
		id = fakeUUID(key)
	case "aws:route53/record:Record":
		if v, ok := state["name"]; ok && v.IsString() {
			set("fqdn", v.StringValue())
		}
	case "kubernetes:core/v1:Service":
		setLoadBalancerStatus(state, key, region)
	case "heroku:domain/domain:Domain":
		set("cname", adjectiveHost(key)+".herokudns.example")
	}
	if strings.HasPrefix(args.TypeToken, "aws:") {
		set("arn", arn)
	}
	set("id", id)
	return id, state
}

// setLoadBalancerStatus gives a LoadBalancer Service the hostname the AWS Load Balancer Controller
// would publish.
func setLoadBalancerStatus(state resource.PropertyMap, key, region string) {
	spec, ok := state["spec"]
	if !ok || !spec.IsObject() {
		return
	}
	if t, ok := spec.ObjectValue()["type"]; !ok || !t.IsString() || t.StringValue() != "LoadBalancer" {
		return
	}
	host := "k8s-" + shortHash(key, 10) + "-" + shortHash(key+"/lb", 10) + ".elb." + region + ".example"
	state["status"] = resource.NewPropertyValue(map[string]any{
		"loadBalancer": map[string]any{"ingress": []any{map[string]any{"hostname": host}}},
	})
}

func splitType(token string) (module, kind string) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return token, token
	}
	module = parts[1]
	if i := strings.Index(module, "/"); i >= 0 {
		module = module[:i]
	}
	return module, parts[2]
}

func arnService(module string) string {
	switch module {
	case "cloudwatch":
		return "logs"
	case "route53":
		return "route53"
	default:
		return module
	}
}

// shortHash is the first n hex digits of the SHA-256 of s (repeated when n is over 64).
func shortHash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])
	for len(h) < n {
		h += h
	}
	return h[:n]
}

// fakeIP maps a key to an address in the three documentation ranges (RFC 5737), stable per key.
func fakeIP(key string) string {
	sum := sha256.Sum256([]byte(key))
	n := binary.BigEndian.Uint32(sum[:4]) % (3 * 254)
	nets := []string{"192.0.2", "198.51.100", "203.0.113"}
	return fmt.Sprintf("%s.%d", nets[n/254], n%254+1)
}

// fakeUUID is a version-4-shaped UUID derived from key.
func fakeUUID(key string) string {
	h := shortHash(key, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

func adjectiveHost(key string) string {
	words := []string{"amber", "brisk", "calm", "deep", "eager", "fair", "glad", "hushed"}
	sum := sha256.Sum256([]byte(key))
	return words[int(sum[0])%len(words)] + "-" + shortHash(key, 12)
}
