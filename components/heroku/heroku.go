package heroku

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/components/heroku/herokusdk"
	"github.com/cutover-dev/cutover/internal/dyno"
)

// WebProcess is the only process type that serves API traffic, and so the only one whose
// formation follows the phase.
const WebProcess = "web"

const defaultMinDynos = 1

// Process is one process type's reference formation on Heroku: the size and count it ran
// with before the cutover started.
type Process struct {
	// Size is the dyno type, lower case as the Heroku CLI prints it, e.g. "standard-2x",
	// "performance-m". Must be a type internal/dyno knows.
	Size string
	// Quantity is the reference dyno count, >= 0.
	Quantity int
}

// HerokuSideArgs configures the Heroku side. Every field is known at plan time.
type HerokuSideArgs struct {
	// App is the existing Heroku app's name (config herokuApp). Required; Heroku's rules:
	// a lowercase letter first, then 1..29 lowercase letters, digits or hyphens.
	App string
	// Hostname is the API hostname (config apiHostname), added to the app as a custom
	// domain. Required; a lowercase FQDN.
	Hostname string
	// Formation maps process type to its reference size and quantity (config
	// herokuFormation). May be empty: the formation is then left entirely to Heroku and
	// nothing is scaled.
	Formation map[string]Process
	// AWSTrafficPercent is the phase, 0..100.
	AWSTrafficPercent int
	// ScaleWithPhase scales the web process down as AWS takes traffic. Default true. When
	// false every process stays at its reference quantity.
	ScaleWithPhase *bool
	// MinDynos is the web floor, default 1 (0 means the default): Heroku stays a warm
	// fallback even at 100 percent, because the heroku record keeps weight 0 as the failback
	// member. Scaling Heroku to nothing is decommissioning, not a phase. The floor never
	// raises a process above its reference quantity.
	MinDynos int
}

// HerokuSide is the Heroku half of the cutover.
type HerokuSide struct {
	pulumi.ResourceState

	// DNSTarget is the custom domain's DNS target (*.herokudns.com): the heroku member's
	// CNAME target.
	DNSTarget pulumi.StringOutput
	// AppHost is the app's own herokuapp.com host, which the Heroku health check probes.
	AppHost pulumi.StringOutput
	// Quantities is the formation quantity applied per process type.
	Quantities pulumi.IntMapOutput
}

// FormationQuantity is the dyno count for one process at a phase.
//
// When scaling, Heroku keeps its share of the reference rounded up, so capacity never drops
// below the traffic it still serves: ceil(reference * (100 - awsPercent) / 100). It never goes
// below the floor min(minDynos, reference) — the floor holds at 100 so Heroku stays a warm
// fallback, and it never starts dynos for a process whose reference is lower. Without
// scaling, the reference is returned unchanged.
func FormationQuantity(reference, awsPercent, minDynos int, scaleWithPhase bool) int {
	if !scaleWithPhase {
		return reference
	}
	herokuShare := 100 - awsPercent
	quantity := (reference*herokuShare + 99) / 100
	floor := min(minDynos, reference)
	return max(quantity, floor)
}

// ScalesWithPhase reports whether a process type's formation follows the phase. Only web
// serves API traffic through the weighted record. Workers consume queues and run schedules
// that do not follow DNS: they must keep their full reference capacity until their AWS twins
// take over the same queues, which is a separate decision from the traffic split.
func ScalesWithPhase(process string) bool {
	return process == WebProcess
}

// Quantities is the formation applied at a phase: FormationQuantity for web (when
// scaleWithPhase), the reference for every other process. minDynos 0 means the default 1.
func Quantities(formation map[string]Process, awsPercent, minDynos int, scaleWithPhase bool) map[string]int {
	if minDynos == 0 {
		minDynos = defaultMinDynos
	}
	out := make(map[string]int, len(formation))
	for process, ref := range formation {
		out[process] = FormationQuantity(ref.Quantity, awsPercent, minDynos, scaleWithPhase && ScalesWithPhase(process))
	}
	return out
}

func (a *HerokuSideArgs) withDefaults() {
	if a.ScaleWithPhase == nil {
		scale := true
		a.ScaleWithPhase = &scale
	}
	if a.MinDynos == 0 {
		a.MinDynos = defaultMinDynos
	}
}

var (
	appName = regexp.MustCompile(`^[a-z][a-z0-9-]{1,29}$`)
	// processType follows Procfile process names: letters, digits, underscores, hyphens.
	processType   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,63}$`)
	hostnameLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

func (a *HerokuSideArgs) validate() error {
	var errs []error
	if !appName.MatchString(a.App) {
		errs = append(errs, fmt.Errorf("App %q is not a valid Heroku app name: must match %s (a lowercase letter, then 1-29 lowercase letters, digits or hyphens)",
			a.App, appName))
	}
	if err := checkFQDN(a.Hostname); err != nil {
		errs = append(errs, err)
	}
	if a.AWSTrafficPercent < 0 || a.AWSTrafficPercent > 100 {
		errs = append(errs, fmt.Errorf("AWSTrafficPercent %d is out of range: must be between 0 and 100", a.AWSTrafficPercent))
	}
	if a.MinDynos < 0 {
		errs = append(errs, fmt.Errorf("MinDynos %d is negative: must be 0 (default 1) or more", a.MinDynos))
	}
	for _, process := range slices.Sorted(maps.Keys(a.Formation)) {
		ref := a.Formation[process]
		if !processType.MatchString(process) {
			errs = append(errs, fmt.Errorf("Formation process %q is not a valid process type: must match %s", process, processType))
		}
		if ref.Quantity < 0 {
			errs = append(errs, fmt.Errorf("Formation[%s].Quantity %d is negative: must be 0 or more", process, ref.Quantity))
		}
		if _, ok := dyno.Lookup(ref.Size); !ok {
			errs = append(errs, fmt.Errorf("Formation[%s].Size %q is not a known dyno type: must be one of %s",
				process, ref.Size, strings.Join(dyno.Names(), ", ")))
		}
	}
	return errors.Join(errs...)
}

func checkFQDN(h string) error {
	if h == "" {
		return errors.New("Hostname is empty: the API hostname (e.g. api.example.com) is required")
	}
	if len(h) > 253 || strings.HasSuffix(h, ".") {
		return fmt.Errorf("Hostname %q is not a valid FQDN: at most 253 characters, without a trailing dot", h)
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return fmt.Errorf("Hostname %q is not a valid FQDN: it needs at least two labels, e.g. api.example.com", h)
	}
	for _, l := range labels {
		if !hostnameLabel.MatchString(l) {
			return fmt.Errorf("Hostname %q is not a valid FQDN: label %q must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen", h, l)
		}
	}
	return nil
}

// NewHerokuSide registers the custom domain and one formation per process type.
func NewHerokuSide(ctx *pulumi.Context, name string, args *HerokuSideArgs, opts ...pulumi.ResourceOption) (*HerokuSide, error) {
	if args == nil {
		return nil, fmt.Errorf("heroku %q: args are required", name)
	}
	a := *args
	a.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("heroku %q: invalid arguments:\n%w", name, err)
	}
	quantities := Quantities(a.Formation, a.AWSTrafficPercent, a.MinDynos, *a.ScaleWithPhase)

	c := &HerokuSide{}
	if err := ctx.RegisterComponentResource("cutover:heroku:HerokuSide", name, c, opts...); err != nil {
		return nil, err
	}

	app := herokusdk.LookupAppOutput(ctx, herokusdk.LookupAppOutputArgs{Name: pulumi.String(a.App)}, pulumi.Parent(c))
	appID := app.Uuid()

	domain, err := herokusdk.NewDomain(ctx, name+"-domain", &herokusdk.DomainArgs{
		AppId:    appID,
		Hostname: pulumi.String(a.Hostname),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("heroku %q: domain: %w", name, err)
	}

	applied := pulumi.IntMap{}
	for _, process := range slices.Sorted(maps.Keys(a.Formation)) {
		ref := a.Formation[process]
		_, err := herokusdk.NewFormation(ctx, fmt.Sprintf("%s-formation-%s", name, process), &herokusdk.FormationArgs{
			AppId:    appID,
			Type:     pulumi.String(process),
			Size:     pulumi.String(ref.Size),
			Quantity: pulumi.Int(quantities[process]),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, fmt.Errorf("heroku %q: formation %s: %w", name, process, err)
		}
		applied[process] = pulumi.Int(quantities[process])
	}

	c.DNSTarget = domain.Cname
	c.AppHost = app.WebUrl().ApplyT(func(webURL string) (string, error) {
		return appHost(a.App, webURL)
	}).(pulumi.StringOutput)
	c.Quantities = applied.ToIntMapOutput()

	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"dnsTarget":  c.DNSTarget,
		"appHost":    c.AppHost,
		"quantities": c.Quantities,
	})
}

// appHost is the host the Heroku health check probes: the host of the app's web URL, which
// carries the random suffix Heroku adds to app hosts created since 2023. Apps older than that
// (and a lookup that returns no URL) use "<app>.herokuapp.com".
func appHost(app, webURL string) (string, error) {
	if webURL == "" {
		return app + ".herokuapp.com", nil
	}
	u, err := url.Parse(webURL)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("heroku app %q: web URL %q has no host", app, webURL)
	}
	return u.Hostname(), nil
}
