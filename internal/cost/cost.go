package cost

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
)

// Sides of a Line.
const (
	SideAWS    = "aws"
	SideHeroku = "heroku"
)

// Capacity types of a Pool, as EKS managed node groups name them.
const (
	CapacityOnDemand = "ON_DEMAND"
	CapacitySpot     = "SPOT"
)

// Pool is one EKS managed node group, priced at its desired size.
type Pool struct {
	// Name is the pool's key in cutover:workerPools.
	Name string
	// InstanceTypes in the node group's order of preference; the first one is priced.
	InstanceTypes []string
	// DesiredSize is the node count priced (the group may scale between its min and max).
	DesiredSize int
	// CapacityType is ON_DEMAND or SPOT; empty means ON_DEMAND, EKS's default.
	CapacityType string
	// DiskSizeGiB is each node's gp3 root volume; 0 means none is priced.
	DiskSizeGiB int
}

// Process is one Heroku process type of a formation.
type Process struct {
	// Name is the process type (web, worker, ...).
	Name string
	// Size is the dyno type as the Heroku CLI prints it, e.g. performance-m.
	Size string
	// Quantity is the dyno count; 0 is a process scaled to zero.
	Quantity int
}

// Input is everything an estimate needs, in plain values the caller maps from a stack's config.
type Input struct {
	// Region is the AWS region code, e.g. us-east-1.
	Region string
	// Pools are the worker node groups.
	Pools []Pool
	// NATGateways is the number of NAT gateways (one per AZ, or one in single mode).
	NATGateways int
	// PublicIPv4 counts public IPv4 addresses: the egress Elastic IPs plus the API load
	// balancer's addresses (an internet-facing NLB holds one per AZ it is enabled in).
	PublicIPv4 int
	// AZs is the number of availability zones, shown next to the address count.
	AZs int
	// LoadBalancers is the number of Network Load Balancers (1: the API's).
	LoadBalancers int
	// MonthlyEgressGiB is data leaving for the internet through the NAT gateways, from config;
	// it is charged NAT processing plus data transfer out. 0 leaves both out (and says so).
	MonthlyEgressGiB float64
	// MonthlyLogGiB is CloudWatch Logs ingestion (flow logs and control plane logs), from
	// config. 0 leaves it out (and says so).
	MonthlyLogGiB float64
	// PersistentVolumeGiB is gp3 storage claimed by workloads (the Prometheus volume); 0 for none.
	PersistentVolumeGiB int
	// HerokuFormation is the formation at the current rung, after scale-down.
	HerokuFormation []Process
	// HerokuReferenceFormation is the formation before the move, the baseline of the saving.
	HerokuReferenceFormation []Process
}

// Line is one priced item. Monthly is Quantity x UnitPrice rounded to cents; an item without a
// price is Unpriced, has UnitPrice and Monthly 0 and says why in Detail (and in Estimate.Unknown).
type Line struct {
	Side      string  `json:"side"`
	Item      string  `json:"item"`
	Detail    string  `json:"detail,omitempty"`
	Quantity  float64 `json:"quantity"`
	Unit      string  `json:"unit"`
	UnitPrice float64 `json:"unitPrice"`
	Monthly   float64 `json:"monthly"`
	Unpriced  bool    `json:"unpriced,omitempty"`
}

// Estimate is a monthly cost estimate of both sides at one rung.
type Estimate struct {
	// AWSMonthly is the sum of the aws lines.
	AWSMonthly float64 `json:"awsMonthly"`
	// HerokuMonthly is the sum of the heroku lines: the formation at the current rung.
	HerokuMonthly float64 `json:"herokuMonthly"`
	// HerokuReferenceMonthly prices the formation before the move.
	HerokuReferenceMonthly float64 `json:"herokuReferenceMonthly"`
	// MonthlySaving is HerokuReferenceMonthly - (AWSMonthly + HerokuMonthly); negative while
	// both platforms run side by side.
	MonthlySaving  float64 `json:"monthlySaving"`
	Currency       string  `json:"currency"`
	PriceTableDate string  `json:"priceTableDate"`
	Region         string  `json:"region"`
	// Lines are the aws lines then the heroku lines, each in a fixed order.
	Lines []Line `json:"lines"`
	// Unknown lists items with no price; they count as 0, so the totals are lower bounds.
	Unknown []string `json:"unknown"`
	// Notes state the assumptions behind the figures.
	Notes []string `json:"notes"`
}

// Compute estimates the monthly cost of in with the embedded price table.
func Compute(in Input) (Estimate, error) {
	t, err := DefaultPrices()
	if err != nil {
		return Estimate{}, err
	}
	return t.Compute(in)
}

// Compute estimates the monthly cost of in with this price table. It fails only on invalid
// input; a region, instance type or dyno type without a price is reported in Unknown.
func (t *PriceTable) Compute(in Input) (Estimate, error) {
	if err := in.validate(); err != nil {
		return Estimate{}, err
	}
	e := Estimate{
		Currency:       t.Currency,
		PriceTableDate: t.PriceTableDate,
		Region:         in.Region,
		Lines:          []Line{},
		Unknown:        []string{},
		Notes:          []string{},
	}
	hours := t.Assumptions.HoursPerMonth
	e.note("Monthly figures are list prices at %s hours a month, in %s, before tax, credits and commitment discounts (price table of %s).",
		num(hours), t.Currency, t.PriceTableDate)

	e.awsLines(t, in)
	e.Lines = append(e.Lines, t.herokuLines(in.HerokuFormation, "", &e)...)
	for _, l := range t.herokuLines(in.HerokuReferenceFormation, " (before the move)", &e) {
		e.HerokuReferenceMonthly += l.Monthly
	}

	for _, l := range e.Lines {
		switch l.Side {
		case SideAWS:
			e.AWSMonthly += l.Monthly
		case SideHeroku:
			e.HerokuMonthly += l.Monthly
		}
	}
	// Totals are sums of already-rounded lines, so a table of the lines adds up to them.
	e.AWSMonthly = cents(e.AWSMonthly)
	e.HerokuMonthly = cents(e.HerokuMonthly)
	e.HerokuReferenceMonthly = cents(e.HerokuReferenceMonthly)
	e.MonthlySaving = cents(e.HerokuReferenceMonthly - e.AWSMonthly - e.HerokuMonthly)

	if len(e.Unknown) > 0 {
		e.note("%d item(s) have no price and count as 0, so the totals are lower bounds: see unknown.", len(e.Unknown))
	}
	e.note("Not included: Route53 zone and health checks, KMS keys, cross-AZ traffic, CloudWatch log storage and metrics, container registry, and databases or add-ons on either side.")
	return e, nil
}

func (e *Estimate) awsLines(t *PriceTable, in Input) {
	region, ok := t.AWS[in.Region]
	if !ok {
		e.unknown("aws region %s: the price table has no prices for it (it has %s), so no AWS item is priced",
			in.Region, strings.Join(slices.Sorted(maps.Keys(t.AWS)), ", "))
		return
	}
	hours := t.Assumptions.HoursPerMonth
	add := func(item, detail string, qty float64, unit string, price float64) *Line {
		e.Lines = append(e.Lines, Line{Side: SideAWS, Item: item, Detail: detail, Quantity: qty, Unit: unit,
			UnitPrice: price, Monthly: cents(qty * price)})
		return &e.Lines[len(e.Lines)-1]
	}

	add("eks control plane", "one cluster, standard version support", hours, "cluster-hour", region.EKSClusterHourly)

	pools := append([]Pool(nil), in.Pools...)
	sort.Slice(pools, func(i, j int) bool { return pools[i].Name < pools[j].Name })
	var spot, multiType bool
	for _, p := range pools {
		it := p.InstanceTypes[0]
		item := fmt.Sprintf("ec2 %s (%s x%d)", p.Name, it, p.DesiredSize)
		var details []string
		if len(p.InstanceTypes) > 1 {
			multiType = true
			details = append(details, fmt.Sprintf("priced at %s, the first of %s (the node group's preferred type)",
				it, strings.Join(p.InstanceTypes, ", ")))
		}
		onDemand, priced := region.EC2OnDemandHourly[it]
		price := onDemand
		if p.CapacityType == CapacitySpot {
			spot = true
			price = micros(onDemand * (1 - t.Assumptions.SpotDiscount))
			if priced {
				details = append(details, fmt.Sprintf("spot: on-demand %s less the assumed %s%% discount", num(onDemand), num(t.Assumptions.SpotDiscount*100)))
			}
		} else {
			details = append(details, "on-demand")
		}
		if !priced {
			price = 0
			details = append(details, "no price for this instance type in "+in.Region+": counted as 0")
			e.unknown("ec2 instance type %s (pool %s): no price in the table for %s", it, p.Name, in.Region)
		}
		line := add(item, strings.Join(details, "; "), float64(p.DesiredSize)*hours, "instance-hour", price)
		line.Unpriced = !priced
	}
	for _, p := range pools {
		if p.DiskSizeGiB == 0 || p.DesiredSize == 0 {
			continue
		}
		add(fmt.Sprintf("ebs gp3 %s (%d GiB x%d)", p.Name, p.DiskSizeGiB, p.DesiredSize), "node root volumes",
			float64(p.DiskSizeGiB*p.DesiredSize), "GiB-month", region.EBSGp3PerGiBMonth)
	}
	if in.PersistentVolumeGiB > 0 {
		add(fmt.Sprintf("ebs gp3 volumes (%d GiB)", in.PersistentVolumeGiB), "persistent volumes claimed by workloads (Prometheus)",
			float64(in.PersistentVolumeGiB), "GiB-month", region.EBSGp3PerGiBMonth)
	}
	if in.NATGateways > 0 {
		add(fmt.Sprintf("nat gateways (x%d)", in.NATGateways), "hourly charge, whether or not traffic flows",
			float64(in.NATGateways)*hours, "gateway-hour", region.NATGatewayHourly)
	}
	if in.PublicIPv4 > 0 {
		detail := "egress Elastic IPs and the load balancer's addresses (an internet-facing NLB holds one per AZ)"
		if in.AZs > 0 {
			detail = fmt.Sprintf("egress Elastic IPs and the load balancer's addresses (an internet-facing NLB holds one per AZ; %d AZs)", in.AZs)
		}
		add(fmt.Sprintf("public ipv4 (x%d)", in.PublicIPv4), detail, float64(in.PublicIPv4)*hours, "address-hour", region.PublicIPv4Hourly)
	}
	if in.LoadBalancers > 0 {
		add(fmt.Sprintf("nlb (x%d)", in.LoadBalancers), "the API's Network Load Balancer",
			float64(in.LoadBalancers)*hours, "lb-hour", region.NLBHourly)
		if units := t.Assumptions.NLBCapacityUnitsPerHour; units > 0 {
			add("nlb capacity units", fmt.Sprintf("assumed %s NLCU per load balancer per hour (price table assumption)", num(units)),
				float64(in.LoadBalancers)*units*hours, "NLCU-hour", region.NLBCapacityUnitHourly)
		}
	}
	if in.MonthlyEgressGiB > 0 {
		detail := "monthly volume from config (an assumption, not a measurement)"
		if in.NATGateways > 0 {
			add("nat data processing", detail, in.MonthlyEgressGiB, "GiB", region.NATGatewayPerGiB)
		}
		add("data transfer out", detail+"; first 10 TB tier", in.MonthlyEgressGiB, "GiB", region.DataTransferOutPerGiB)
		e.note("Egress of %s GiB a month is the config's assumption; NAT processing and data transfer out scale with it.", num(in.MonthlyEgressGiB))
	} else {
		e.note("No monthly egress volume in config: NAT data processing and data transfer out are not counted.")
	}
	if in.MonthlyLogGiB > 0 {
		add("cloudwatch logs ingestion", "monthly volume from config (an assumption, not a measurement): flow logs and control plane logs",
			in.MonthlyLogGiB, "GiB", region.CloudWatchLogsIngestPerGiB)
		e.note("CloudWatch Logs ingestion of %s GiB a month is the config's assumption.", num(in.MonthlyLogGiB))
	} else {
		e.note("No monthly log volume in config: CloudWatch Logs ingestion is not counted.")
	}
	if spot {
		e.note("SPOT capacity is priced at the on-demand rate less an assumed %s%%; real spot prices move with supply.", num(t.Assumptions.SpotDiscount*100))
	}
	if multiType {
		e.note("Pools with several instance types are priced at the first (the node group's preferred type).")
	}
	e.note("EC2 pools are priced at their desired size, running all month.")
}

// herokuLines prices a formation in process-name order. Unpriced dynos go to e.Unknown with
// the given suffix naming the formation.
func (t *PriceTable) herokuLines(formation []Process, which string, e *Estimate) []Line {
	procs := append([]Process(nil), formation...)
	sort.Slice(procs, func(i, j int) bool { return procs[i].Name < procs[j].Name })
	lines := make([]Line, 0, len(procs))
	for _, p := range procs {
		price, ok := t.Heroku.DynoMonthly[p.Size]
		detail := "list price per dyno-month"
		if !ok {
			reason, unpublished := t.Heroku.Unpublished[p.Size]
			if !unpublished {
				reason = "not in the price table"
			}
			detail = "no price (" + reason + "): counted as 0"
			e.unknown("heroku dyno type %s (process %s%s): %s", p.Size, p.Name, which, reason)
		}
		lines = append(lines, Line{Side: SideHeroku, Item: fmt.Sprintf("%s (%s x%d)", p.Name, p.Size, p.Quantity),
			Detail: detail, Quantity: float64(p.Quantity), Unit: "dyno-month", UnitPrice: price,
			Monthly: cents(float64(p.Quantity) * price), Unpriced: !ok})
	}
	return lines
}

func (e *Estimate) unknown(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, u := range e.Unknown {
		if u == msg {
			return
		}
	}
	e.Unknown = append(e.Unknown, msg)
}

func (e *Estimate) note(format string, args ...any) {
	e.Notes = append(e.Notes, fmt.Sprintf(format, args...))
}

func (in Input) validate() error {
	var errs []error
	if in.Region == "" {
		errs = append(errs, errors.New("cost: Region is empty: give the AWS region code, e.g. us-east-1"))
	}
	seen := map[string]bool{}
	for i, p := range in.Pools {
		where := fmt.Sprintf("cost: Pools[%d] (%q)", i, p.Name)
		if p.Name == "" {
			errs = append(errs, fmt.Errorf("%s: Name is empty", where))
		} else if seen[p.Name] {
			errs = append(errs, fmt.Errorf("%s: Name is used by another pool: names must be unique", where))
		}
		seen[p.Name] = true
		if len(p.InstanceTypes) == 0 || p.InstanceTypes[0] == "" {
			errs = append(errs, fmt.Errorf("%s: InstanceTypes %q is not valid: must list at least one instance type, e.g. m6i.xlarge", where, p.InstanceTypes))
		}
		if p.DesiredSize < 0 {
			errs = append(errs, fmt.Errorf("%s: DesiredSize %d is not valid: must be >= 0", where, p.DesiredSize))
		}
		if p.DiskSizeGiB < 0 {
			errs = append(errs, fmt.Errorf("%s: DiskSizeGiB %d is not valid: must be >= 0", where, p.DiskSizeGiB))
		}
		switch p.CapacityType {
		case "", CapacityOnDemand, CapacitySpot:
		default:
			errs = append(errs, fmt.Errorf("%s: CapacityType %q is not valid: must be %s or %s (empty means %s)",
				where, p.CapacityType, CapacityOnDemand, CapacitySpot, CapacityOnDemand))
		}
	}
	for _, c := range []struct {
		field string
		value int
	}{
		{"NATGateways", in.NATGateways}, {"PublicIPv4", in.PublicIPv4}, {"AZs", in.AZs},
		{"LoadBalancers", in.LoadBalancers}, {"PersistentVolumeGiB", in.PersistentVolumeGiB},
	} {
		if c.value < 0 {
			errs = append(errs, fmt.Errorf("cost: %s %d is not valid: must be >= 0", c.field, c.value))
		}
	}
	for _, v := range []struct {
		field string
		value float64
	}{
		{"MonthlyEgressGiB", in.MonthlyEgressGiB}, {"MonthlyLogGiB", in.MonthlyLogGiB},
	} {
		if !(v.value >= 0) || math.IsInf(v.value, 0) {
			errs = append(errs, fmt.Errorf("cost: %s %v is not valid: must be a finite number >= 0", v.field, v.value))
		}
	}
	errs = append(errs, validateFormation("HerokuFormation", in.HerokuFormation)...)
	errs = append(errs, validateFormation("HerokuReferenceFormation", in.HerokuReferenceFormation)...)
	return errors.Join(errs...)
}

func validateFormation(field string, procs []Process) []error {
	var errs []error
	seen := map[string]bool{}
	for i, p := range procs {
		where := fmt.Sprintf("cost: %s[%d] (%q)", field, i, p.Name)
		if p.Name == "" {
			errs = append(errs, fmt.Errorf("%s: Name is empty", where))
		} else if seen[p.Name] {
			errs = append(errs, fmt.Errorf("%s: Name is used by another process: names must be unique", where))
		}
		seen[p.Name] = true
		if p.Size == "" {
			errs = append(errs, fmt.Errorf("%s: Size is empty: give the dyno type, e.g. standard-2x", where))
		}
		if p.Quantity < 0 {
			errs = append(errs, fmt.Errorf("%s: Quantity %d is not valid: must be >= 0", where, p.Quantity))
		}
	}
	return errs
}

// cents rounds an amount to cents, half away from zero. It first rounds to millionths so that
// float noise (16.425 stored as 16.42499...) does not decide the cent.
func cents(x float64) float64 {
	return math.Round(math.Round(x*1e6)/1e4) / 100
}

// micros rounds a unit price to millionths of a dollar, the precision of the price list.
func micros(x float64) float64 {
	return math.Round(x*1e6) / 1e6
}

// num prints a number without trailing zeros (730, 0.6, 0.0832).
func num(x float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", x), "0"), ".")
}
