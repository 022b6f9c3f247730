package cost

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sync"
	"time"

	"sigs.k8s.io/yaml"
)

// pricesYAML is the one price data file; see its header for how to update it.
//
//go:embed prices.yaml
var pricesYAML []byte

// PriceTable is the decoded prices.yaml.
type PriceTable struct {
	// PriceTableDate is the day the figures were last checked, YYYY-MM-DD.
	PriceTableDate string `json:"priceTableDate"`
	// Currency is the ISO code of every figure (USD).
	Currency string `json:"currency"`
	// Sources say where each group of figures comes from.
	Sources []Source `json:"sources"`
	// Assumptions are the non-price inputs the estimate states in its notes.
	Assumptions Assumptions `json:"assumptions"`
	// AWS holds prices per region code ("us-east-1").
	AWS map[string]AWSRegion `json:"aws"`
	// Heroku holds dyno prices.
	Heroku HerokuPrices `json:"heroku"`
}

// Source records where a group of figures was taken from.
type Source struct {
	What    string `json:"what"`
	URL     string `json:"url"`
	Checked string `json:"checked"`
	Note    string `json:"note,omitempty"`
}

// Assumptions are stated, not measured.
type Assumptions struct {
	// HoursPerMonth converts hourly prices to a month (730 = 365*24/12).
	HoursPerMonth float64 `json:"hoursPerMonth"`
	// SpotDiscount is the fraction taken off the on-demand price for SPOT capacity, in [0, 1).
	SpotDiscount float64 `json:"spotDiscount"`
	// NLBCapacityUnitsPerHour is the NLCU use assumed per load balancer per hour.
	NLBCapacityUnitsPerHour float64 `json:"nlbCapacityUnitsPerHour"`
}

// AWSRegion holds one region's prices. Per-GiB prices take AWS's "GB" as GiB.
type AWSRegion struct {
	Note                       string             `json:"note"`
	EKSClusterHourly           float64            `json:"eksClusterHourly"`
	NATGatewayHourly           float64            `json:"natGatewayHourly"`
	NATGatewayPerGiB           float64            `json:"natGatewayPerGiB"`
	PublicIPv4Hourly           float64            `json:"publicIPv4Hourly"`
	NLBHourly                  float64            `json:"nlbHourly"`
	NLBCapacityUnitHourly      float64            `json:"nlbCapacityUnitHourly"`
	CloudWatchLogsIngestPerGiB float64            `json:"cloudWatchLogsIngestPerGiB"`
	EBSGp3PerGiBMonth          float64            `json:"ebsGp3PerGiBMonth"`
	DataTransferOutPerGiB      float64            `json:"dataTransferOutPerGiB"`
	EC2OnDemandHourly          map[string]float64 `json:"ec2OnDemandHourly"`
}

// HerokuPrices holds the monthly price per dyno type, and the dyno types Heroku publishes no
// per-type price for (with the reason), so they are reported as unknown rather than guessed.
type HerokuPrices struct {
	Note        string             `json:"note"`
	DynoMonthly map[string]float64 `json:"dynoMonthly"`
	Unpublished map[string]string  `json:"unpublished"`
}

// DefaultPrices returns the embedded price table, decoded and checked once. The table is shared
// by every caller: treat it as read-only.
func DefaultPrices() (*PriceTable, error) { return defaultPrices() }

var defaultPrices = sync.OnceValues(func() (*PriceTable, error) {
	t, err := ParsePrices(pricesYAML)
	if err != nil {
		return nil, fmt.Errorf("embedded prices.yaml: %w", err)
	}
	return t, nil
})

// ParsePrices decodes a price table strictly (unknown or duplicate keys are errors) and checks
// it: a price file with a zero, negative or missing figure would make an estimate quietly wrong.
func ParsePrices(data []byte) (*PriceTable, error) {
	var t PriceTable
	if err := yaml.UnmarshalStrict(data, &t); err != nil {
		return nil, fmt.Errorf("decode price table: %w", err)
	}
	if err := t.validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

var (
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	instancePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)
	dynoPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func (t *PriceTable) validate() error {
	var errs []error
	if _, err := time.Parse(time.DateOnly, t.PriceTableDate); err != nil {
		errs = append(errs, fmt.Errorf("priceTableDate %q is not valid: must be a date YYYY-MM-DD", t.PriceTableDate))
	}
	if t.Currency != "USD" {
		errs = append(errs, fmt.Errorf("currency %q is not valid: must be USD (every figure in the file is in US dollars)", t.Currency))
	}
	if len(t.Sources) == 0 {
		errs = append(errs, errors.New("sources is empty: every price table must say where its figures come from"))
	}
	for i, s := range t.Sources {
		if s.What == "" || s.URL == "" {
			errs = append(errs, fmt.Errorf("sources[%d]: what and url are required", i))
		}
		if _, err := time.Parse(time.DateOnly, s.Checked); err != nil {
			errs = append(errs, fmt.Errorf("sources[%d] (%s): checked %q is not valid: must be a date YYYY-MM-DD", i, s.What, s.Checked))
		}
	}
	a := t.Assumptions
	if a.HoursPerMonth < 672 || a.HoursPerMonth > 744 {
		errs = append(errs, fmt.Errorf("assumptions.hoursPerMonth %v is not valid: must be between 672 and 744 (hours in 28 to 31 days)", a.HoursPerMonth))
	}
	if a.SpotDiscount < 0 || a.SpotDiscount >= 1 || math.IsNaN(a.SpotDiscount) {
		errs = append(errs, fmt.Errorf("assumptions.spotDiscount %v is not valid: must be a fraction in [0, 1)", a.SpotDiscount))
	}
	if !(a.NLBCapacityUnitsPerHour >= 0) {
		errs = append(errs, fmt.Errorf("assumptions.nlbCapacityUnitsPerHour %v is not valid: must be >= 0", a.NLBCapacityUnitsPerHour))
	}
	if len(t.AWS) == 0 {
		errs = append(errs, errors.New("aws has no region"))
	}
	for _, region := range slices.Sorted(maps.Keys(t.AWS)) {
		errs = append(errs, t.AWS[region].validate(region)...)
	}
	errs = append(errs, t.Heroku.validate()...)
	return errors.Join(errs...)
}

func (r AWSRegion) validate(region string) []error {
	var errs []error
	if !regionPattern.MatchString(region) {
		errs = append(errs, fmt.Errorf("aws.%s: %q is not a valid region code: must look like us-east-1", region, region))
	}
	for _, p := range []struct {
		field string
		value float64
	}{
		{"eksClusterHourly", r.EKSClusterHourly},
		{"natGatewayHourly", r.NATGatewayHourly},
		{"natGatewayPerGiB", r.NATGatewayPerGiB},
		{"publicIPv4Hourly", r.PublicIPv4Hourly},
		{"nlbHourly", r.NLBHourly},
		{"nlbCapacityUnitHourly", r.NLBCapacityUnitHourly},
		{"cloudWatchLogsIngestPerGiB", r.CloudWatchLogsIngestPerGiB},
		{"ebsGp3PerGiBMonth", r.EBSGp3PerGiBMonth},
		{"dataTransferOutPerGiB", r.DataTransferOutPerGiB},
	} {
		if !(p.value > 0) || math.IsInf(p.value, 0) {
			errs = append(errs, fmt.Errorf("aws.%s.%s %v is not valid: must be a positive price (a missing figure reads as 0)", region, p.field, p.value))
		}
	}
	if len(r.EC2OnDemandHourly) == 0 {
		errs = append(errs, fmt.Errorf("aws.%s.ec2OnDemandHourly is empty", region))
	}
	for _, it := range slices.Sorted(maps.Keys(r.EC2OnDemandHourly)) {
		if !instancePattern.MatchString(it) {
			errs = append(errs, fmt.Errorf("aws.%s.ec2OnDemandHourly: %q is not a valid instance type: must look like m6i.xlarge", region, it))
		}
		if v := r.EC2OnDemandHourly[it]; !(v > 0) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("aws.%s.ec2OnDemandHourly.%s %v is not valid: must be a positive hourly price", region, it, v))
		}
	}
	return errs
}

func (h HerokuPrices) validate() []error {
	var errs []error
	if len(h.DynoMonthly) == 0 {
		errs = append(errs, errors.New("heroku.dynoMonthly is empty"))
	}
	for _, d := range slices.Sorted(maps.Keys(h.DynoMonthly)) {
		if !dynoPattern.MatchString(d) {
			errs = append(errs, fmt.Errorf("heroku.dynoMonthly: %q is not a valid dyno type: must be lower case as the Heroku CLI prints it, e.g. standard-2x", d))
		}
		if v := h.DynoMonthly[d]; !(v > 0) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("heroku.dynoMonthly.%s %v is not valid: must be a positive monthly price", d, v))
		}
		if _, dup := h.Unpublished[d]; dup {
			errs = append(errs, fmt.Errorf("heroku: dyno type %q is both priced and listed as unpublished: keep one", d))
		}
	}
	for _, d := range slices.Sorted(maps.Keys(h.Unpublished)) {
		if !dynoPattern.MatchString(d) {
			errs = append(errs, fmt.Errorf("heroku.unpublished: %q is not a valid dyno type: must be lower case, e.g. private-m", d))
		}
		if h.Unpublished[d] == "" {
			errs = append(errs, fmt.Errorf("heroku.unpublished.%s: give the reason no price is published", d))
		}
	}
	return errs
}
