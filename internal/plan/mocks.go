package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Recorded is one registration as the program made it.
type Recorded struct {
	URN                  string
	Type                 string
	Name                 string
	Parent               string
	Custom               bool
	Provider             string
	Inputs               resource.PropertyMap
	State                resource.PropertyMap // what the mock answered: inputs plus fake outputs
	ID                   string
	Protect              bool
	RetainOnDelete       bool
	DeleteBeforeReplace  bool
	IgnoreChanges        []string
	Dependencies         []string
	PropertyDependencies map[string][]string
	Aliases              int
	Read                 bool // a read (StackReference, get) rather than a managed resource
}

// recorder is a pulumi.MockResourceMonitor that keeps every registration and answers with
// deterministic, clearly fake outputs (documentation-range IPs, .example hosts, account
// 123456789012).
type recorder struct {
	stack  string
	region string
	// deployedPercent seeds the StackReference to the stack itself (nil: a stack with no outputs).
	deployedPercent *int

	mu        sync.Mutex
	resources []*Recorded
}

var _ pulumi.MockResourceMonitor = (*recorder)(nil)

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rec := &Recorded{Type: args.TypeToken, Name: args.Name, Custom: args.Custom, Provider: args.Provider, Inputs: args.Inputs}
	if rpc := args.RegisterRPC; rpc != nil {
		rec.Parent = rpc.GetParent()
		rec.Protect = rpc.GetProtect()
		rec.RetainOnDelete = rpc.GetRetainOnDelete()
		rec.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		rec.IgnoreChanges = rpc.GetIgnoreChanges()
		rec.Dependencies = rpc.GetDependencies()
		rec.Aliases = len(rpc.GetAliases()) + len(rpc.GetAliasURNs())
		if pd := rpc.GetPropertyDependencies(); len(pd) > 0 {
			rec.PropertyDependencies = make(map[string][]string, len(pd))
			for k, v := range pd {
				rec.PropertyDependencies[k] = v.GetUrns()
			}
		}
		rec.URN = urnOf(r.stack, rpc.GetParent(), args.TypeToken, args.Name)
	}
	if rpc := args.ReadRPC; rpc != nil {
		rec.Read = true
		rec.Parent = rpc.GetParent()
		rec.URN = urnOf(r.stack, rpc.GetParent(), args.TypeToken, args.Name)
	}
	id, state := r.fake(rec, args)
	rec.ID, rec.State = id, state
	r.mu.Lock()
	r.resources = append(r.resources, rec)
	r.mu.Unlock()
	return id, state, nil
}

// urnOf computes the URN the mock monitor gives a registration: the parent's type qualifies the
// child's type, as in the engine.
func urnOf(stack, parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName("cutover"), parentType, tokens.Type(typ), name))
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "aws:ec2/getElasticIp:getElasticIp":
		id := ""
		if v, ok := args.Args["id"]; ok && v.IsString() {
			id = v.StringValue()
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": id, "allocationId": id, "publicIp": fakeIP("adopted/" + id), "domain": "vpc",
		}), nil
	case "heroku:app/getApp:getApp":
		name := "app"
		if v, ok := args.Args["name"]; ok && v.IsString() {
			name = v.StringValue()
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": fakeUUID("heroku-app/" + name), "uuid": fakeUUID("heroku-app/" + name), "name": name,
			"webUrl": "https://" + name + "-" + shortHash(name, 12) + ".herokuapp.example/", "stack": "heroku-24",
		}), nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": fakeAccount, "arn": "arn:aws:iam::" + fakeAccount + ":user/plan", "userId": "AIDAEXAMPLE",
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com"}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": r.region, "id": r.region}), nil
	}
	return nil, fmt.Errorf("offline plan: no mock answer for function %s; add one to internal/plan/mocks.go", args.Token)
}

const fakeAccount = "123456789012"

// fake returns a deterministic ID and state for a registration.
func (r *recorder) fake(rec *Recorded, args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
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
		if r.deployedPercent != nil {
			outputs["awsTrafficPercent"] = float64(*r.deployedPercent)
		}
		state["outputs"] = resource.NewPropertyValue(outputs)
		state["secretOutputNames"] = resource.NewPropertyValue([]any{})
		return args.ID, state
	}
	if !args.Custom && args.RegisterRPC != nil {
		return "", state
	}
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", arnService(module), r.region, fakeAccount, strings.ToLower(kind), args.Name)
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
		arn = "arn:aws:iam::" + fakeAccount + ":role/" + args.Name
	case "aws:iam/policy:Policy":
		arn = "arn:aws:iam::" + fakeAccount + ":policy/" + args.Name
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		arn = "arn:aws:iam::" + fakeAccount + ":oidc-provider/oidc.eks." + r.region + ".example/id/" + strings.ToUpper(shortHash(key, 32))
	case "aws:kms/key:Key":
		id = shortHash(key, 8) + "-0000-4000-8000-" + shortHash(key+"/k", 12)
		set("keyId", id)
	case "aws:eks/cluster:Cluster":
		set("name", args.Name)
		set("endpoint", "https://"+strings.ToUpper(shortHash(key, 32))+".gr7."+r.region+".eks.example")
		set("certificateAuthority", map[string]any{"data": "RkFLRS1DQS1GT1ItT0ZGTElORS1QTEFO"}) // base64("FAKE-CA-FOR-OFFLINE-PLAN")
		set("identities", []any{map[string]any{"oidcs": []any{map[string]any{
			"issuer": "https://oidc.eks." + r.region + ".example/id/" + strings.ToUpper(shortHash(key, 32)),
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
		setLoadBalancerStatus(state, key, r.region)
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

// sorted returns the recorded registrations ordered by URN, so two runs print identical bytes.
func (r *recorder) sorted() []*Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]*Recorded(nil), r.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}
