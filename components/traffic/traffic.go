package traffic

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Set identifiers of the two weighted members. They are also the keys of HealthCheckIDs and
// the stable keys in child names; renaming them would replace the records.
const (
	SideAWS    = "aws"
	SideHeroku = "heroku"
)

const (
	defaultTTL              = 60
	defaultHealthCheckPath  = "/health"
	defaultRequestInterval  = 30
	defaultFailureThreshold = 3

	// maxTTLWhileSplit bounds how long resolvers keep an old answer, and so how long a
	// rollback takes to be seen by clients.
	maxTTLWhileSplit = 60
	// maxTTL is the largest TTL Route53 accepts on a record set.
	maxTTL = 86400
	// maxResourcePathLen is Route53's limit on a health check's resource path.
	maxResourcePathLen = 255
)

// TrafficArgs configures the weighted pair. Plain values are known at plan time; the three
// targets come from other components.
type TrafficArgs struct {
	// ZoneID is the Route53 hosted zone of Hostname. Required.
	ZoneID string
	// Hostname is the API hostname both members answer for (config apiHostname). Required;
	// lowercase, at least three labels. It can never be the zone apex because both members
	// are CNAMEs; the caller checks it against the zone, this package refuses two-label names.
	Hostname string
	// Percent is the AWS share of API traffic, 0..100 (config awsTrafficPercent). The caller
	// checks it against the phase ladder with CheckMove.
	Percent int
	// TTL of both records in seconds. Default 60; 1..60 while Percent < 100, 1..86400 at 100.
	TTL int
	// HealthCheckPath is probed on both sides. Default "/health"; must start with "/".
	HealthCheckPath string
	// RequestInterval is the seconds between probes from each checker: 10 or 30. Default 30.
	RequestInterval int
	// FailureThreshold is the consecutive failures before a side counts as unhealthy: 1..3.
	// Default 3.
	FailureThreshold int
	// AWSTarget is the AWS API load balancer hostname: the aws record's CNAME target and
	// the host the aws health check probes. Required.
	AWSTarget pulumi.StringInput
	// HerokuTarget is the Heroku custom domain's DNS target (*.herokudns.com): the heroku
	// record's CNAME target. Required unless HerokuDecommissioned.
	HerokuTarget pulumi.StringInput
	// HerokuHealthHost is the Heroku app's own host (<app>.herokuapp.com) that the heroku
	// health check probes. Required unless HerokuDecommissioned.
	HerokuHealthHost pulumi.StringInput
	// HerokuDecommissioned removes the heroku member and its health check, leaving the aws
	// member as a one-member weighted set. Allowed only at Percent 100. Default false.
	HerokuDecommissioned bool
}

// Traffic is the Route53 weighted pair for the API hostname.
type Traffic struct {
	pulumi.ResourceState

	// AWSWeight is the aws record's weight (equal to Percent).
	AWSWeight pulumi.IntOutput
	// HerokuWeight is the heroku record's weight (100 - Percent; 0 after decommission).
	HerokuWeight pulumi.IntOutput
	// HealthCheckIDs maps "aws" and "heroku" to their Route53 health check IDs; "heroku" is
	// absent once Heroku is decommissioned.
	HealthCheckIDs pulumi.StringMapOutput
}

func (a *TrafficArgs) withDefaults() {
	if a.TTL == 0 {
		a.TTL = defaultTTL
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = defaultHealthCheckPath
	}
	if a.RequestInterval == 0 {
		a.RequestInterval = defaultRequestInterval
	}
	if a.FailureThreshold == 0 {
		a.FailureThreshold = defaultFailureThreshold
	}
}

func (a *TrafficArgs) validate() error {
	var errs []error
	if strings.TrimSpace(a.ZoneID) == "" {
		errs = append(errs, errors.New("ZoneID is empty: the Route53 hosted zone ID of the API hostname is required"))
	}
	if err := checkHostname(a.Hostname); err != nil {
		errs = append(errs, err)
	}
	if _, _, err := Weights(a.Percent); err != nil {
		errs = append(errs, fmt.Errorf("Percent: %w", err))
	}
	switch {
	case a.Percent < 100 && (a.TTL < 1 || a.TTL > maxTTLWhileSplit):
		errs = append(errs, fmt.Errorf("TTL %d is not allowed at awsTrafficPercent %d: must be between 1 and %d while traffic is split, so a rollback reaches clients within one TTL",
			a.TTL, a.Percent, maxTTLWhileSplit))
	case a.Percent == 100 && (a.TTL < 1 || a.TTL > maxTTL):
		errs = append(errs, fmt.Errorf("TTL %d is out of range: must be between 1 and %d", a.TTL, maxTTL))
	}
	if !strings.HasPrefix(a.HealthCheckPath, "/") || len(a.HealthCheckPath) > maxResourcePathLen {
		errs = append(errs, fmt.Errorf("HealthCheckPath %q is not a valid path: must start with \"/\" and be at most %d characters",
			a.HealthCheckPath, maxResourcePathLen))
	}
	if a.RequestInterval != 10 && a.RequestInterval != 30 {
		errs = append(errs, fmt.Errorf("RequestInterval %d is not allowed: Route53 accepts 10 or 30 seconds", a.RequestInterval))
	}
	if a.FailureThreshold < 1 || a.FailureThreshold > 3 {
		errs = append(errs, fmt.Errorf("FailureThreshold %d is not allowed: must be between 1 and 3 so a dead side leaves the answer quickly",
			a.FailureThreshold))
	}
	if a.HerokuDecommissioned && a.Percent != 100 {
		errs = append(errs, fmt.Errorf("HerokuDecommissioned is true at awsTrafficPercent %d: Heroku can only be decommissioned at 100", a.Percent))
	}
	if a.AWSTarget == nil {
		errs = append(errs, errors.New("AWSTarget is nil: the AWS API load balancer hostname is required"))
	}
	if !a.HerokuDecommissioned {
		if a.HerokuTarget == nil {
			errs = append(errs, errors.New("HerokuTarget is nil: the Heroku domain's DNS target is required until Heroku is decommissioned"))
		}
		if a.HerokuHealthHost == nil {
			errs = append(errs, errors.New("HerokuHealthHost is nil: the Heroku app host is required until Heroku is decommissioned"))
		}
	}
	return errors.Join(errs...)
}

// hostnameLabel is one lowercase RFC 1123 label. Uppercase is refused because Route53 stores
// names in lowercase and a mixed-case input would show a diff on every run.
var hostnameLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func checkHostname(h string) error {
	if h == "" {
		return errors.New("Hostname is empty: the API hostname (e.g. api.example.com) is required")
	}
	if len(h) > 253 || strings.HasSuffix(h, ".") {
		return fmt.Errorf("Hostname %q is not a valid FQDN: at most 253 characters, without a trailing dot", h)
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if !hostnameLabel.MatchString(l) {
			return fmt.Errorf("Hostname %q is not a valid FQDN: label %q must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen", h, l)
		}
	}
	if len(labels) < 3 {
		return fmt.Errorf("Hostname %q has only %d labels: the weighted members are CNAMEs, which cannot sit at a zone apex; use a subdomain such as api.%s",
			h, len(labels), h)
	}
	return nil
}

// NewTraffic registers the weighted pair (or, after decommission, the aws member alone).
func NewTraffic(ctx *pulumi.Context, name string, args *TrafficArgs, opts ...pulumi.ResourceOption) (*Traffic, error) {
	if args == nil {
		return nil, fmt.Errorf("traffic %q: args are required", name)
	}
	a := *args
	a.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("traffic %q: invalid arguments:\n%w", name, err)
	}
	awsWeight, herokuWeight, _ := Weights(a.Percent) // validated above

	c := &Traffic{}
	if err := ctx.RegisterComponentResource("cutover:traffic:Traffic", name, c, opts...); err != nil {
		return nil, err
	}

	healthCheckIDs := pulumi.StringMap{}

	awsID, err := newMember(ctx, c, name, &a, SideAWS, a.AWSTarget, a.AWSTarget, awsWeight)
	if err != nil {
		return nil, err
	}
	healthCheckIDs[SideAWS] = awsID

	if !a.HerokuDecommissioned {
		herokuID, err := newMember(ctx, c, name, &a, SideHeroku, a.HerokuTarget, a.HerokuHealthHost, herokuWeight)
		if err != nil {
			return nil, err
		}
		healthCheckIDs[SideHeroku] = herokuID
	} else {
		// After decommission nothing serves on Heroku; the output says so rather than
		// pretending a weight-0 member still exists.
		herokuWeight = 0
	}

	c.AWSWeight = pulumi.Int(awsWeight).ToIntOutput()
	c.HerokuWeight = pulumi.Int(herokuWeight).ToIntOutput()
	c.HealthCheckIDs = healthCheckIDs.ToStringMapOutput()

	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"awsWeight":      c.AWSWeight,
		"herokuWeight":   c.HerokuWeight,
		"healthCheckIds": c.HealthCheckIDs,
	})
}

// newMember registers one side: its health check and its weighted record, and returns the
// health check's ID.
//
// The health check probes probeHost, the side's own host, not the API hostname. Route53
// resolves the FQDN it is given and sends it as both the TLS SNI name and the Host header,
// and it does not validate the certificate. Probing the weighted API name would reach
// whichever side Route53 itself picked for the checker, so it would measure the mix and could
// keep a dead side in the answer; probing each side's own host tells Route53 about exactly
// the member the check is attached to. For Heroku that host is <app>.herokuapp.com, which
// Heroku's router maps to the app; for AWS it is the load balancer's DNS name, which reaches
// the API Service directly without host-based routing.
//
// Every input except the weight is independent of the phase, so a phase change is an
// in-place update of weightedRoutingPolicies and nothing else.
func newMember(ctx *pulumi.Context, parent *Traffic, name string, a *TrafficArgs, side string,
	target, probeHost pulumi.StringInput, weight int) (pulumi.StringOutput, error) {
	hc, err := route53.NewHealthCheck(ctx, fmt.Sprintf("%s-hc-%s", name, side), &route53.HealthCheckArgs{
		Type:             pulumi.String("HTTPS"),
		Port:             pulumi.Int(443),
		EnableSni:        pulumi.Bool(true),
		Fqdn:             probeHost.ToStringOutput(),
		ResourcePath:     pulumi.String(a.HealthCheckPath),
		FailureThreshold: pulumi.Int(a.FailureThreshold),
		RequestInterval:  pulumi.Int(a.RequestInterval),
		Tags: pulumi.StringMap{
			"Name":         pulumi.String(a.Hostname + " " + side),
			"cutover:side": pulumi.String(side),
		},
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("traffic %q: health check %s: %w", name, side, err)
	}

	_, err = route53.NewRecord(ctx, fmt.Sprintf("%s-record-%s", name, side), &route53.RecordArgs{
		ZoneId:        pulumi.String(a.ZoneID),
		Name:          pulumi.String(a.Hostname),
		Type:          pulumi.String("CNAME"),
		Ttl:           pulumi.Int(a.TTL),
		Records:       pulumi.StringArray{target},
		SetIdentifier: pulumi.String(side),
		WeightedRoutingPolicies: route53.RecordWeightedRoutingPolicyArray{
			route53.RecordWeightedRoutingPolicyArgs{Weight: pulumi.Int(weight)},
		},
		HealthCheckId: hc.ID().ToStringOutput(),
	}, pulumi.Parent(parent))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("traffic %q: record %s: %w", name, side, err)
	}
	return hc.ID().ToStringOutput(), nil
}
