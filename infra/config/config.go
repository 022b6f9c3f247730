package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cutover-dev/cutover"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Config is every cutover setting of one stack, read once and validated before anything is built.
type Config struct {
	Stack string
	// Region is derived from availabilityZones.
	Region string
	// ProviderRegion is aws:region as set on the stack (the AWS provider's region); it must match.
	ProviderRegion string

	AWSTrafficPercent int
	Phases            []int
	AllowPhaseSkip    bool

	AvailabilityZones     []string
	VPCCIDR               string
	NATGatewayMode        string
	EgressIPAllocationIDs []string
	HerokuEgressIPs       []string

	KubernetesVersion        string
	ClusterPublicAccessCIDRs []string
	ClusterAdminARNs         []string
	ProtectPlatform          bool

	APIHostname         string
	APICertificateARN   string
	HostedZoneID        string
	DNSTTL              int
	HealthCheckPath     string
	HealthCheckInterval int

	HerokuApp            string
	HerokuScaleWithPhase bool
	HerokuMinDynos       int
	HerokuDecommissioned bool

	MonitoringEnabled       bool
	MonitoringRetentionDays int
	MonitoringStorageGiB    int
	SLOMax5xxRatio          float64
	SLOMaxP99Ms             int
	// MonthlyEgressGiB and MonthlyLogGiB feed the cost estimate's per-GB lines.
	MonthlyEgressGiB int
	MonthlyLogGiB    int
	// GrafanaAdminPassword is secret: the program wraps it with pulumi.ToSecret and never logs it.
	GrafanaAdminPassword string

	AutoscalerEnabled bool
	// AutoscalerScaleDownUnneededTime and AutoscalerScaleDownDelayAfterAdd are Go durations, passed
	// to the autoscaler as written.
	AutoscalerScaleDownUnneededTime         string
	AutoscalerScaleDownDelayAfterAdd        string
	AutoscalerScaleDownUtilizationThreshold float64

	WorkerPools      map[string]WorkerPool
	Services         map[string]Service
	HerokuFormation  map[string]Process
	DatabaseNetworks map[string]DatabaseNetwork
}

// WorkerPool is one entry of workerPools: an EKS managed node group on EC2.
type WorkerPool struct {
	InstanceTypes []string          `json:"instanceTypes"`
	MinSize       int               `json:"minSize"`
	MaxSize       int               `json:"maxSize"`
	DesiredSize   int               `json:"desiredSize"`
	CapacityType  string            `json:"capacityType"` // ON_DEMAND (default) or SPOT
	DiskSizeGiB   int               `json:"diskSizeGiB"`  // default 50
	Labels        map[string]string `json:"labels"`
	Taints        []Taint           `json:"taints"`
}

// Taint is a Kubernetes node taint (effect in Kubernetes spelling).
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Effect string `json:"effect"` // NoSchedule, PreferNoSchedule or NoExecute
}

// Service is one entry of services: a Kubernetes workload sized from its Heroku dyno.
type Service struct {
	Image       string            `json:"image"`
	Port        int               `json:"port"`
	Public      bool              `json:"public"`
	Dyno        string            `json:"dyno"`
	CPU         string            `json:"cpu"`
	Memory      string            `json:"memory"`
	MinReplicas int               `json:"minReplicas"`
	MaxReplicas int               `json:"maxReplicas"`
	Pool        string            `json:"pool"`
	Command     []string          `json:"command"`
	Env         map[string]string `json:"env"`
	HealthPath  string            `json:"healthPath"` // default: healthCheckPath
	// ReadOnlyRootFilesystem defaults to true; set false for a service that writes outside /tmp.
	ReadOnlyRootFilesystem *bool `json:"readOnlyRootFilesystem"`
	// SafeToEvict, when set, is written as the cluster autoscaler's safe-to-evict pod annotation.
	SafeToEvict *bool `json:"safeToEvict"`
}

// DatabaseNetwork is one entry of databaseNetworks: a VPC holding databases the worker pools reach
// over VPC peering.
type DatabaseNetwork struct {
	VpcID     string `json:"vpcId"`
	CIDR      string `json:"cidr"`
	Region    string `json:"region"`
	AccountID string `json:"accountId"`
	Ports     []int  `json:"ports"`
	// SecurityGroupID, optional, is the database side's security group to add ingress rules to;
	// only for a VPC in this stack's account and region.
	SecurityGroupID string `json:"securityGroupId"`
}

// Process is one entry of herokuFormation: the Heroku formation before the move.
type Process struct {
	Size     string `json:"size"`
	Quantity int    `json:"quantity"`
}

// PublicService returns the name and settings of the single public service.
func (c Config) PublicService() (string, Service, bool) {
	for _, name := range SortedKeys(c.Services) {
		if c.Services[name].Public {
			return name, c.Services[name], true
		}
	}
	return "", Service{}, false
}

// SortedKeys returns a map's keys in order, the only order in which cutover walks maps.
func SortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Problem is one invalid setting.
type Problem struct {
	Key     string // full key, e.g. cutover:awsTrafficPercent or cutover:services.api.image
	Value   string // the offending value as written ("" when missing)
	Message string // what is wrong and what is allowed
}

func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Key, p.Message)
	}
	return fmt.Sprintf("%s = %s: %s", p.Key, p.Value, p.Message)
}

// Error lists every problem found in a stack's config. Programs and the plan report it with exit
// code 2 before any resource is registered.
type Error struct {
	Stack    string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config for stack %q (%d problem", e.Stack, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Getter returns the raw value of a full key (cutover:name), and false when it is not set.
type Getter func(key string) (string, bool, error)

// Load reads every cutover key from the stack's config once, applies the defaults of Pulumi.yaml to
// missing keys only, and validates the result. Any problem, a typo'd type as much as a bad value,
// fails the load.
func Load(ctx *pulumi.Context) (Config, error) {
	return LoadFrom(ctx.Stack(), func(key string) (string, bool, error) {
		v, err := pconfig.Try(ctx, key)
		if errors.Is(err, pconfig.ErrMissingVar) {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		return v, true, nil
	})
}

// FromMap loads a config from raw key/value pairs as the Pulumi engine passes them (full keys,
// arrays and objects as JSON text).
func FromMap(stack string, values map[string]string) (Config, error) {
	return LoadFrom(stack, func(key string) (string, bool, error) {
		v, ok := values[key]
		return v, ok, nil
	})
}

// LoadFrom is Load over any source of raw values.
func LoadFrom(stack string, get Getter) (Config, error) {
	schema, err := Schema()
	if err != nil {
		return Config{}, err
	}
	r := &reader{get: get, stack: stack, specs: map[string]KeySpec{}}
	for _, s := range schema {
		r.specs[s.Name] = s
	}
	c := Config{Stack: stack}
	c.AWSTrafficPercent = r.integer("awsTrafficPercent")
	c.Phases = r.ints("phases")
	c.AllowPhaseSkip = r.boolean("allowPhaseSkip")
	c.AvailabilityZones = r.strings("availabilityZones")
	c.VPCCIDR = r.str("vpcCidr")
	c.NATGatewayMode = r.str("natGatewayMode")
	c.EgressIPAllocationIDs = r.strings("egressIpAllocationIds")
	c.HerokuEgressIPs = r.strings("herokuEgressIps")
	c.KubernetesVersion = r.str("kubernetesVersion")
	c.ClusterPublicAccessCIDRs = r.strings("clusterPublicAccessCidrs")
	c.ClusterAdminARNs = r.strings("clusterAdminArns")
	c.ProtectPlatform = r.boolean("protectPlatform")
	c.APIHostname = r.str("apiHostname")
	c.APICertificateARN = r.str("apiCertificateArn")
	c.HostedZoneID = r.str("hostedZoneId")
	c.DNSTTL = r.integer("dnsTtl")
	c.HealthCheckPath = r.str("healthCheckPath")
	c.HealthCheckInterval = r.integer("healthCheckInterval")
	c.HerokuApp = r.str("herokuApp")
	c.HerokuScaleWithPhase = r.boolean("herokuScaleWithPhase")
	c.HerokuMinDynos = r.integer("herokuMinDynos")
	c.HerokuDecommissioned = r.boolean("herokuDecommissioned")
	c.MonitoringEnabled = r.boolean("monitoringEnabled")
	c.MonitoringRetentionDays = r.integer("monitoringRetentionDays")
	c.MonitoringStorageGiB = r.integer("monitoringStorageGiB")
	c.SLOMax5xxRatio = r.float("sloMax5xxRatio")
	c.SLOMaxP99Ms = r.integer("sloMaxP99Ms")
	c.GrafanaAdminPassword = r.str("grafanaAdminPassword")
	c.MonthlyEgressGiB = r.integer("monthlyEgressGiB")
	c.MonthlyLogGiB = r.integer("monthlyLogGiB")
	c.AutoscalerEnabled = r.boolean("autoscalerEnabled")
	c.AutoscalerScaleDownUnneededTime = r.str("autoscalerScaleDownUnneededTime")
	c.AutoscalerScaleDownDelayAfterAdd = r.str("autoscalerScaleDownDelayAfterAdd")
	c.AutoscalerScaleDownUtilizationThreshold = r.float("autoscalerScaleDownUtilizationThreshold")
	if region, ok, err := get("aws:region"); err == nil && ok {
		c.ProviderRegion = region
	}
	c.WorkerPools = objectMap[WorkerPool](r, "workerPools")
	c.Services = objectMap[Service](r, "services")
	c.HerokuFormation = objectMap[Process](r, "herokuFormation")
	c.DatabaseNetworks = objectMap[DatabaseNetwork](r, "databaseNetworks")
	for _, s := range schema {
		if !r.read[s.Name] {
			// A key declared in Pulumi.yaml that Load does not read is a programming error: fail loudly
			// rather than silently ignoring a setting users believe is in force.
			return Config{}, fmt.Errorf("config: Pulumi.yaml declares %s:%s but Load does not read it", cutover.Namespace, s.Name)
		}
	}
	r.problems = append(r.problems, c.validate()...)
	if len(r.problems) > 0 {
		return c, &Error{Stack: stack, Problems: r.problems}
	}
	return c, nil
}

// Validate checks a Config built in Go (tests, synthetic stacks) the way Load does.
func (c Config) Validate() error {
	if ps := c.validate(); len(ps) > 0 {
		return &Error{Stack: c.Stack, Problems: ps}
	}
	return nil
}

// ObjectKeys are the keys decoded strictly from JSON objects rather than declared in Pulumi.yaml.
var ObjectKeys = []string{"databaseNetworks", "herokuFormation", "services", "workerPools"}

// reader fetches raw values, applies declared defaults and records parse problems.
type reader struct {
	get      Getter
	stack    string
	specs    map[string]KeySpec
	read     map[string]bool
	problems []Problem
}

func full(name string) string { return cutover.Namespace + ":" + name }

func (r *reader) add(key, value, msg string) {
	r.problems = append(r.problems, Problem{Key: key, Value: value, Message: msg})
}

// raw returns the value of a key or its declared default; ok is false when neither exists.
func (r *reader) raw(name, wantType string) (string, bool) {
	spec, declared := r.specs[name]
	if !declared || spec.Type != wantType {
		panic(fmt.Sprintf("config: %s read as %s but Pulumi.yaml declares %+v", name, wantType, spec))
	}
	if r.read == nil {
		r.read = map[string]bool{}
	}
	r.read[name] = true
	v, ok, err := r.get(full(name))
	if err != nil {
		r.add(full(name), "", err.Error())
		return "", false
	}
	if ok {
		return v, true
	}
	if spec.HasDefault() {
		return spec.DefaultString(), true
	}
	return "", false
}

func (r *reader) str(name string) string {
	v, _ := r.raw(name, "string")
	return v
}

func (r *reader) integer(name string) int {
	v, ok := r.raw(name, "integer")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.add(full(name), strconv.Quote(v), "not an integer: write a whole number such as 25")
		return 0
	}
	return n
}

func (r *reader) float(name string) float64 {
	v, ok := r.raw(name, "string")
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		r.add(full(name), strconv.Quote(v), "not a number: write a decimal such as 0.01")
		return 0
	}
	return f
}

func (r *reader) boolean(name string) bool {
	v, ok := r.raw(name, "boolean")
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		r.add(full(name), strconv.Quote(v), "not a boolean: allowed: true or false")
		return false
	}
	return b
}

func (r *reader) strings(name string) []string {
	v, ok := r.raw(name, "array")
	if !ok {
		return nil
	}
	var out []string
	if err := decodeStrict(v, &out); err != nil {
		r.add(full(name), v, "not a list of strings: "+err.Error())
		return nil
	}
	return out
}

func (r *reader) ints(name string) []int {
	v, ok := r.raw(name, "array")
	if !ok {
		return nil
	}
	var out []int
	if err := decodeStrict(v, &out); err != nil {
		r.add(full(name), v, "not a list of integers: "+err.Error())
		return nil
	}
	return out
}

// objectMap decodes a map-valued key strictly, entry by entry, so a problem names the entry:
// unknown fields, wrong types and trailing data are errors.
func objectMap[T any](r *reader, name string) map[string]T {
	v, ok, err := r.get(full(name))
	if err != nil {
		r.add(full(name), "", err.Error())
		return nil
	}
	if !ok {
		return nil
	}
	var entries map[string]json.RawMessage
	if err := decodeStrict(v, &entries); err != nil {
		r.add(full(name), abbreviate(v), "must be an object of name -> settings: "+err.Error())
		return nil
	}
	out := make(map[string]T, len(entries))
	for _, key := range SortedKeys(entries) {
		var entry T
		if err := decodeStrict(string(entries[key]), &entry); err != nil {
			r.add(full(name)+"."+key, abbreviate(string(entries[key])), err.Error())
			continue
		}
		out[key] = entry
	}
	return out
}

func decodeStrict(text string, into any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return describeJSONError(err)
	}
	if dec.More() {
		return errors.New("unexpected data after the value")
	}
	return nil
}

// describeJSONError turns encoding/json errors into messages that name the field.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field != "" {
			return fmt.Errorf("field %q: %s is not a %s", typeErr.Field, typeErr.Value, typeErr.Type)
		}
		return fmt.Errorf("%s is not a %s", typeErr.Value, typeErr.Type)
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s", rest)
	}
	return errors.New(strings.TrimPrefix(msg, "json: "))
}

func abbreviate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
