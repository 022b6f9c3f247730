package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn"
)

// configNamespace is the project's config namespace; keys arrive as "cutover:<key>".
const configNamespace = "cutover"

// Config keys the pack reads (without the namespace). Everything else is ignored: the program's
// own config loader is the place that rejects unknown or malformed keys.
const (
	keyAWSTrafficPercent     = "awsTrafficPercent"
	keyPhases                = "phases"
	keyNatGatewayMode        = "natGatewayMode"
	keyEgressAllocationIDs   = "egressIpAllocationIds"
	keyAPIHostname           = "apiHostname"
	keyServices              = "services"
	natModePerAZ             = "per-az"
	natModeSingle            = "single"
	productionStackName      = "production"
	defaultNamespaceK8s      = "default"
	publicServicePlaceholder = "{publicService}"
)

// configKeys lists the keys NewPack reads from the stack config, in a stable order.
var configKeys = []string{
	keyAWSTrafficPercent, keyPhases, keyNatGatewayMode, keyEgressAllocationIDs, keyAPIHostname,
	keyServices,
}

// DefaultPhases is the ladder used when cutover:phases is absent (ARCHITECTURE.md config contract).
var DefaultPhases = []int{0, 10, 25, 50, 100}

// StackConfig is the part of the stack config the rules depend on. A nil or empty field means the
// key was absent; each rule documents what it assumes then (the unsafe reading, or the program's
// documented default where that is what will be deployed).
type StackConfig struct {
	// AWSTrafficPercent is cutover:awsTrafficPercent. Absent: MIG-02 expects the program default
	// (0), while MIG-04 and MIG-11 apply their strict form as if traffic were already on AWS.
	AWSTrafficPercent *int
	// Phases is cutover:phases; nil means DefaultPhases.
	Phases []int
	// Stack is the stack name (the last segment of an org/project/stack name counts). Empty: the
	// stack is read from the analysed URNs.
	Stack string
	// NatGatewayMode is cutover:natGatewayMode; empty means "per-az".
	NatGatewayMode string
	// AdoptedAllocationIDs is cutover:egressIpAllocationIds: allocation IDs a NAT may use without
	// an Eip resource in the stack.
	AdoptedAllocationIDs []string
	// APIHostname is cutover:apiHostname, the weighted record name.
	APIHostname string
	// PublicService is the name of the service marked public in cutover:services (the API).
	// Empty: every Deployment is held to the API's stricter rules.
	PublicService string
}

// ParseStackConfig reads the keys the rules use from a flat config map keyed "cutover:<key>" with
// Pulumi's string encoding (arrays and objects as JSON). It returns every malformed value at once,
// each error naming the key, the value and what is allowed.
func ParseStackConfig(cfg map[string]string) (StackConfig, error) {
	var sc StackConfig
	var errs []error
	get := func(key string) (string, bool) {
		v, ok := cfg[configNamespace+":"+key]
		return v, ok
	}
	bad := func(key, value, allowed string) {
		errs = append(errs, fmt.Errorf("config %s:%s: %q is not valid: %s", configNamespace, key, value, allowed))
	}
	if v, ok := get(keyAWSTrafficPercent); ok {
		if p, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
			bad(keyAWSTrafficPercent, v, "must be an integer percentage")
		} else {
			sc.AWSTrafficPercent = &p
		}
	}
	if v, ok := get(keyPhases); ok {
		var phases []int
		if err := json.Unmarshal([]byte(v), &phases); err != nil {
			bad(keyPhases, v, "must be a JSON array of integers")
		} else {
			sc.Phases = phases
		}
	}
	if v, ok := get(keyNatGatewayMode); ok {
		switch v {
		case natModePerAZ, natModeSingle:
			sc.NatGatewayMode = v
		default:
			bad(keyNatGatewayMode, v, `must be "per-az" or "single"`)
		}
	}
	if v, ok := get(keyEgressAllocationIDs); ok {
		if err := json.Unmarshal([]byte(v), &sc.AdoptedAllocationIDs); err != nil {
			bad(keyEgressAllocationIDs, v, "must be a JSON array of strings")
		}
	}
	if v, ok := get(keyAPIHostname); ok {
		sc.APIHostname = v
	}
	if v, ok := get(keyServices); ok {
		// Only the public flag matters here; the program decodes the rest strictly.
		var services map[string]struct {
			Public bool `json:"public"`
		}
		if err := json.Unmarshal([]byte(v), &services); err != nil {
			bad(keyServices, v, "must be a JSON object of service name to settings")
		} else {
			var public []string
			for name, s := range services {
				if s.Public {
					public = append(public, name)
				}
			}
			sort.Strings(public)
			switch len(public) {
			case 0:
			case 1:
				sc.PublicService = public[0]
			default:
				bad(keyServices, strings.Join(public, ","), "exactly one service may be public")
			}
		}
	}
	return sc, errors.Join(errs...)
}

// percent returns the AWS share, or the program default 0 when the key is absent.
func (sc StackConfig) percentOrDefault() int {
	if sc.AWSTrafficPercent == nil {
		return 0
	}
	return *sc.AWSTrafficPercent
}

// mayCarryTraffic reports whether the AWS side may receive traffic: true when the share is
// positive or unknown (absent is read as the unsafe case for the gates that protect traffic).
func (sc StackConfig) mayCarryTraffic() bool {
	return sc.AWSTrafficPercent == nil || *sc.AWSTrafficPercent > 0
}

func (sc StackConfig) phases() []int {
	if sc.Phases == nil {
		return DefaultPhases
	}
	return sc.Phases
}

func (sc StackConfig) natMode() string {
	if sc.NatGatewayMode == "" {
		return natModePerAZ
	}
	return sc.NatGatewayMode
}

// isProduction reports whether stack (or, when the config has no stack, the resource's URN
// stack) is the production stack or one of its region stacks ("production-eu").
func (sc StackConfig) isProduction(resourceURN string) bool {
	stack := sc.Stack
	if stack == "" {
		stack = stackOfURN(resourceURN)
	}
	if i := strings.LastIndex(stack, "/"); i >= 0 {
		stack = stack[i+1:]
	}
	return stack == productionStackName || strings.HasPrefix(stack, productionStackName+"-")
}

func stackOfURN(u string) string {
	if !urn.URN(u).IsValid() {
		return ""
	}
	return string(urn.URN(u).Stack())
}

// typeOfURN and nameOfURN read the type and name of a well-formed URN ("" otherwise).
func typeOfURN(u string) string {
	if !urn.URN(u).IsValid() {
		return ""
	}
	return string(urn.URN(u).Type())
}

func nameOfURN(u string) string {
	if !urn.URN(u).IsValid() {
		return ""
	}
	return urn.URN(u).Name()
}
