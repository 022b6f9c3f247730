package cost

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Expected figures below are worked out by hand from the prices in prices.yaml (us-east-1):
// hours 730; eks 0.10/h; m6i.xlarge 0.192/h; r6i.2xlarge 0.504/h; t3.large 0.0832/h; spot
// discount 60%; gp3 0.08/GiB-month; nat 0.045/h and 0.045/GiB; ipv4 0.005/h; nlb 0.0225/h;
// nlcu 0.006/h (1 assumed); logs 0.50/GiB; data out 0.09/GiB; dynos: standard-1x 25,
// standard-2x 50, performance-m 250, performance-l 500. TestPricesUsedByTests pins these
// figures, so a price update fails there first with a pointer back here.

// productionPools is the production sample stack's workerPools.
func productionPools() []Pool {
	return []Pool{
		{Name: "general", InstanceTypes: []string{"m6i.xlarge", "m6a.xlarge"}, DesiredSize: 4, CapacityType: CapacityOnDemand, DiskSizeGiB: 80},
		{Name: "bulk", InstanceTypes: []string{"r6i.2xlarge"}, DesiredSize: 2, CapacityType: CapacityOnDemand, DiskSizeGiB: 200},
	}
}

// productionFormation is the production sample's herokuFormation with web scaled to webDynos.
func productionFormation(webDynos int) []Process {
	return []Process{
		{Name: "web", Size: "performance-m", Quantity: webDynos},
		{Name: "worker", Size: "standard-2x", Quantity: 4},
		{Name: "imports", Size: "performance-l", Quantity: 2},
	}
}

// productionInput is the production sample at rung 0: 3 AZs, a NAT gateway and an EIP per AZ,
// the API NLB in 3 AZs (3 more addresses), the full Heroku formation.
func productionInput() Input {
	return Input{
		Region:                   "us-east-1",
		Pools:                    productionPools(),
		NATGateways:              3,
		PublicIPv4:               6,
		AZs:                      3,
		LoadBalancers:            1,
		HerokuFormation:          productionFormation(8),
		HerokuReferenceFormation: productionFormation(8),
	}
}

// Hand-worked monthly figures of the production sample's AWS side.
const (
	eksMonthly       = 73.00  // 0.10 * 730
	generalMonthly   = 560.64 // 4 * 730 * 0.192
	bulkMonthly      = 735.84 // 2 * 730 * 0.504
	generalEBS       = 25.60  // 80 GiB * 4 * 0.08
	bulkEBS          = 32.00  // 200 GiB * 2 * 0.08
	natHours         = 98.55  // 3 * 730 * 0.045
	ipv4Monthly      = 21.90  // 6 * 730 * 0.005
	nlbMonthly       = 16.43  // 730 * 0.0225 = 16.425, half rounds up
	nlcuMonthly      = 4.38   // 1 * 730 * 0.006
	productionAWS    = eksMonthly + generalMonthly + bulkMonthly + generalEBS + bulkEBS + natHours + ipv4Monthly + nlbMonthly + nlcuMonthly
	productionHeroku = 8*250 + 4*50 + 2*500 // 3,200
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.001 }

func lineByItem(t *testing.T, e Estimate, item string) Line {
	t.Helper()
	for _, l := range e.Lines {
		if l.Item == item {
			return l
		}
	}
	var items []string
	for _, l := range e.Lines {
		items = append(items, l.Item)
	}
	t.Fatalf("no line %q; lines: %q", item, items)
	return Line{}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		input func() Input
		// wantLines maps item -> monthly; only these lines are checked individually.
		wantLines     map[string]float64
		wantAWS       float64
		wantHeroku    float64
		wantReference float64
		wantUnknown   []string // substrings, one per Unknown entry, in order
		wantNotes     []string // substrings that must appear in some note
		wantNoItems   []string // items that must not appear
	}{
		{
			name:  "production sample at rung 0",
			input: productionInput,
			wantLines: map[string]float64{
				"eks control plane":           eksMonthly,
				"ec2 general (m6i.xlarge x4)": generalMonthly,
				"ec2 bulk (r6i.2xlarge x2)":   bulkMonthly,
				"ebs gp3 general (80 GiB x4)": generalEBS,
				"ebs gp3 bulk (200 GiB x2)":   bulkEBS,
				"nat gateways (x3)":           natHours,
				"public ipv4 (x6)":            ipv4Monthly,
				"nlb (x1)":                    nlbMonthly,
				"nlb capacity units":          nlcuMonthly,
				"web (performance-m x8)":      2000,
				"worker (standard-2x x4)":     200,
				"imports (performance-l x2)":  1000,
			},
			wantAWS:       productionAWS, // 1,568.34
			wantHeroku:    productionHeroku,
			wantReference: productionHeroku,
			wantUnknown:   []string{},
			wantNotes: []string{
				"730 hours a month",
				"priced at the first",
				"No monthly egress volume in config",
				"No monthly log volume in config",
			},
			wantNoItems: []string{"nat data processing", "data transfer out", "cloudwatch logs ingestion"},
		},
		{
			name: "volumes from config and the Prometheus volume",
			input: func() Input {
				in := productionInput()
				in.MonthlyEgressGiB = 1000
				in.MonthlyLogGiB = 50
				in.PersistentVolumeGiB = 200
				return in
			},
			wantLines: map[string]float64{
				"nat data processing":       45.00, // 1000 * 0.045
				"data transfer out":         90.00, // 1000 * 0.09
				"cloudwatch logs ingestion": 25.00, // 50 * 0.50
				"ebs gp3 volumes (200 GiB)": 16.00, // 200 * 0.08
			},
			wantAWS:       productionAWS + 45 + 90 + 25 + 16,
			wantHeroku:    productionHeroku,
			wantReference: productionHeroku,
			wantUnknown:   []string{},
			wantNotes:     []string{"Egress of 1000 GiB a month is the config's assumption", "CloudWatch Logs ingestion of 50 GiB"},
		},
		{
			name: "egress without NAT gateways is only data transfer out",
			input: func() Input {
				return Input{Region: "us-east-1", MonthlyEgressGiB: 100}
			},
			wantLines:   map[string]float64{"eks control plane": eksMonthly, "data transfer out": 9.00},
			wantAWS:     eksMonthly + 9,
			wantUnknown: []string{},
			wantNoItems: []string{"nat data processing", "nat gateways (x0)", "nlb (x0)"},
		},
		{
			name: "spot pool takes the assumed discount",
			input: func() Input {
				return Input{
					Region: "us-east-1",
					Pools:  []Pool{{Name: "general", InstanceTypes: []string{"t3.large"}, DesiredSize: 2, CapacityType: CapacitySpot, DiskSizeGiB: 40}},
				}
			},
			wantLines: map[string]float64{
				"ec2 general (t3.large x2)":   48.59, // 2 * 730 * 0.0832 * (1 - 0.60) = 48.5888
				"ebs gp3 general (40 GiB x2)": 6.40,  // 40 * 2 * 0.08
			},
			wantAWS:     eksMonthly + 48.59 + 6.40,
			wantUnknown: []string{},
			wantNotes:   []string{"SPOT capacity is priced at the on-demand rate less an assumed 60%"},
		},
		{
			name: "unknown instance type is reported and counts as zero",
			input: func() Input {
				in := productionInput()
				in.Pools = append(in.Pools, Pool{Name: "gpu", InstanceTypes: []string{"p9.48xlarge"}, DesiredSize: 1})
				return in
			},
			wantLines:     map[string]float64{"ec2 gpu (p9.48xlarge x1)": 0, "ec2 general (m6i.xlarge x4)": generalMonthly},
			wantAWS:       productionAWS,
			wantHeroku:    productionHeroku,
			wantReference: productionHeroku,
			wantUnknown:   []string{"ec2 instance type p9.48xlarge (pool gpu): no price in the table for us-east-1"},
			wantNotes:     []string{"1 item(s) have no price and count as 0"},
		},
		{
			name: "unknown and unpublished dyno types are reported and count as zero",
			input: func() Input {
				in := productionInput()
				in.HerokuFormation = append(productionFormation(8), Process{Name: "clock", Size: "turbo-9x", Quantity: 1})
				in.HerokuReferenceFormation = append(productionFormation(8), Process{Name: "egress", Size: "private-m", Quantity: 2})
				return in
			},
			wantLines:     map[string]float64{"clock (turbo-9x x1)": 0, "web (performance-m x8)": 2000},
			wantAWS:       productionAWS,
			wantHeroku:    productionHeroku,
			wantReference: productionHeroku,
			wantUnknown: []string{
				"heroku dyno type turbo-9x (process clock): not in the price table",
				"heroku dyno type private-m (process egress (before the move)): Private Spaces dynos are priced under a Heroku Enterprise contract",
			},
			wantNotes: []string{"2 item(s) have no price"},
		},
		{
			name: "region without prices prices no AWS item",
			input: func() Input {
				in := productionInput()
				in.Region = "eu-central-1"
				return in
			},
			wantLines:     map[string]float64{"web (performance-m x8)": 2000},
			wantAWS:       0,
			wantHeroku:    productionHeroku,
			wantReference: productionHeroku,
			wantUnknown:   []string{"aws region eu-central-1: the price table has no prices for it (it has us-east-1)"},
			wantNoItems:   []string{"eks control plane", "ec2 general (m6i.xlarge x4)"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := Compute(tc.input())
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}
			for item, want := range tc.wantLines {
				if got := lineByItem(t, e, item).Monthly; !near(got, want) {
					t.Errorf("line %q monthly = %.2f, want %.2f", item, got, want)
				}
			}
			for _, item := range tc.wantNoItems {
				for _, l := range e.Lines {
					if l.Item == item {
						t.Errorf("unexpected line %q", item)
					}
				}
			}
			if !near(e.AWSMonthly, tc.wantAWS) {
				t.Errorf("AWSMonthly = %.2f, want %.2f", e.AWSMonthly, tc.wantAWS)
			}
			if !near(e.HerokuMonthly, tc.wantHeroku) {
				t.Errorf("HerokuMonthly = %.2f, want %.2f", e.HerokuMonthly, tc.wantHeroku)
			}
			if !near(e.HerokuReferenceMonthly, tc.wantReference) {
				t.Errorf("HerokuReferenceMonthly = %.2f, want %.2f", e.HerokuReferenceMonthly, tc.wantReference)
			}
			if want := tc.wantReference - tc.wantAWS - tc.wantHeroku; !near(e.MonthlySaving, want) {
				t.Errorf("MonthlySaving = %.2f, want %.2f", e.MonthlySaving, want)
			}
			if len(e.Unknown) != len(tc.wantUnknown) {
				t.Fatalf("Unknown = %q, want %d entries like %q", e.Unknown, len(tc.wantUnknown), tc.wantUnknown)
			}
			for i, want := range tc.wantUnknown {
				if !strings.Contains(e.Unknown[i], want) {
					t.Errorf("Unknown[%d] = %q, want it to contain %q", i, e.Unknown[i], want)
				}
			}
			notes := strings.Join(e.Notes, "\n")
			for _, want := range tc.wantNotes {
				if !strings.Contains(notes, want) {
					t.Errorf("notes lack %q:\n%s", want, notes)
				}
			}
			if e.Currency != "USD" || e.PriceTableDate == "" {
				t.Errorf("Currency %q, PriceTableDate %q: want USD and the table's date", e.Currency, e.PriceTableDate)
			}
		})
	}
}

func TestComputeLineDetails(t *testing.T) {
	t.Parallel()
	in := productionInput()
	in.Pools = append(in.Pools,
		Pool{Name: "batch", InstanceTypes: []string{"t3.large", "t3a.large"}, DesiredSize: 1, CapacityType: CapacitySpot},
		Pool{Name: "odd", InstanceTypes: []string{"x9.large"}, DesiredSize: 1})
	in.HerokuFormation = append(in.HerokuFormation, Process{Name: "clock", Size: "turbo-9x", Quantity: 1})
	e, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		item               string
		wantDetail         []string
		wantQty, wantPrice float64
		wantUnit           string
	}{
		{"ec2 general (m6i.xlarge x4)", []string{"priced at m6i.xlarge, the first of m6i.xlarge, m6a.xlarge", "on-demand"}, 2920, 0.192, "instance-hour"},
		{"ec2 batch (t3.large x1)", []string{"spot: on-demand 0.0832 less the assumed 60% discount"}, 730, 0.03328, "instance-hour"},
		{"ec2 odd (x9.large x1)", []string{"no price for this instance type in us-east-1: counted as 0"}, 730, 0, "instance-hour"},
		{"public ipv4 (x6)", []string{"one per AZ; 3 AZs"}, 4380, 0.005, "address-hour"},
		{"nlb capacity units", []string{"assumed 1 NLCU per load balancer per hour"}, 730, 0.006, "NLCU-hour"},
		{"web (performance-m x8)", []string{"list price per dyno-month"}, 8, 250, "dyno-month"},
		{"clock (turbo-9x x1)", []string{"no price (not in the price table): counted as 0"}, 1, 0, "dyno-month"},
	}
	for _, tc := range cases {
		l := lineByItem(t, e, tc.item)
		for _, want := range tc.wantDetail {
			if !strings.Contains(l.Detail, want) {
				t.Errorf("%s: detail %q lacks %q", tc.item, l.Detail, want)
			}
		}
		if l.Unpriced != (tc.wantPrice == 0) {
			t.Errorf("%s: Unpriced = %v, want %v", tc.item, l.Unpriced, tc.wantPrice == 0)
		}
		if !near(l.Quantity, tc.wantQty) || l.UnitPrice != tc.wantPrice || l.Unit != tc.wantUnit {
			t.Errorf("%s: quantity %v %s at %v, want %v %s at %v", tc.item, l.Quantity, l.Unit, l.UnitPrice, tc.wantQty, tc.wantUnit, tc.wantPrice)
		}
	}
}

// The estimate is per phase: as the rungs scale Heroku's web formation down, herokuMonthly
// falls by exactly the dynos removed, and the AWS side does not move.
func TestComputePerPhase(t *testing.T) {
	t.Parallel()
	webByRung := []struct {
		rung, web  int
		wantHeroku float64
	}{
		{0, 8, 3200},   // 8*250 + 200 + 1000
		{25, 6, 2700},  // 6*250 + 200 + 1000
		{50, 4, 2200},  // 4*250 + 200 + 1000
		{100, 0, 1200}, // web scaled to zero; worker and imports stay until they move
	}
	prevHeroku := math.Inf(1)
	for _, r := range webByRung {
		in := productionInput()
		in.HerokuFormation = productionFormation(r.web)
		e, err := Compute(in)
		if err != nil {
			t.Fatalf("rung %d: %v", r.rung, err)
		}
		if !near(e.HerokuMonthly, r.wantHeroku) {
			t.Errorf("rung %d: HerokuMonthly = %.2f, want %.2f", r.rung, e.HerokuMonthly, r.wantHeroku)
		}
		if !(e.HerokuMonthly < prevHeroku) {
			t.Errorf("rung %d: HerokuMonthly %.2f did not fall below the previous rung's %.2f", r.rung, e.HerokuMonthly, prevHeroku)
		}
		prevHeroku = e.HerokuMonthly
		if !near(e.AWSMonthly, productionAWS) || !near(e.HerokuReferenceMonthly, 3200) {
			t.Errorf("rung %d: AWS %.2f and reference %.2f should not change with the rung", r.rung, e.AWSMonthly, e.HerokuReferenceMonthly)
		}
		if want := 3200 - productionAWS - r.wantHeroku; !near(e.MonthlySaving, want) {
			t.Errorf("rung %d: MonthlySaving = %.2f, want %.2f", r.rung, e.MonthlySaving, want)
		}
		if l := lineByItem(t, e, "web (performance-m x"+strconv.Itoa(r.web)+")"); !near(l.Monthly, float64(r.web*250)) {
			t.Errorf("rung %d: web line %.2f, want %d", r.rung, l.Monthly, r.web*250)
		}
	}
}

// Lines come out in a fixed order whatever the order of the input.
func TestComputeOrderIsStable(t *testing.T) {
	t.Parallel()
	a := productionInput()
	b := productionInput()
	b.Pools = []Pool{b.Pools[1], b.Pools[0]}
	b.HerokuFormation = []Process{b.HerokuFormation[2], b.HerokuFormation[0], b.HerokuFormation[1]}
	ea, err := Compute(a)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := Compute(b)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(ea)
	jb, _ := json.Marshal(eb)
	if string(ja) != string(jb) {
		t.Errorf("estimate depends on input order:\n%s\n%s", ja, jb)
	}
	want := []string{
		"eks control plane", "ec2 bulk (r6i.2xlarge x2)", "ec2 general (m6i.xlarge x4)",
		"ebs gp3 bulk (200 GiB x2)", "ebs gp3 general (80 GiB x4)", "nat gateways (x3)", "public ipv4 (x6)",
		"nlb (x1)", "nlb capacity units",
		"imports (performance-l x2)", "web (performance-m x8)", "worker (standard-2x x4)",
	}
	var got []string
	for _, l := range ea.Lines {
		got = append(got, l.Item)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("line order:\n got %q\nwant %q", got, want)
	}
}

func TestEstimateJSON(t *testing.T) {
	t.Parallel()
	e, err := Compute(productionInput())
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"awsMonthly", "herokuMonthly", "herokuReferenceMonthly", "monthlySaving", "currency", "priceTableDate", "region", "lines", "unknown", "notes"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, data)
		}
	}
	if string(m["unknown"]) != "[]" {
		t.Errorf(`unknown = %s, want [] (an empty list, not null)`, m["unknown"])
	}
	if string(m["awsMonthly"]) != "1568.34" {
		t.Errorf("awsMonthly = %s, want 1568.34", m["awsMonthly"])
	}
	var lines []map[string]any
	if err := json.Unmarshal(m["lines"], &lines); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"side", "item", "quantity", "unit", "unitPrice", "monthly"} {
		if _, ok := lines[0][key]; !ok {
			t.Errorf("line JSON lacks %q: %v", key, lines[0])
		}
	}
}

func TestComputeRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(*Input)
		wantErr []string
	}{
		{"empty region", func(in *Input) { in.Region = "" }, []string{"Region is empty"}},
		{"pool without instance types", func(in *Input) { in.Pools[0].InstanceTypes = nil }, []string{`Pools[0] ("general"): InstanceTypes`, "at least one instance type"}},
		{"negative desired size", func(in *Input) { in.Pools[1].DesiredSize = -1 }, []string{`Pools[1] ("bulk"): DesiredSize -1 is not valid`}},
		{"bad capacity type", func(in *Input) { in.Pools[0].CapacityType = "spot" }, []string{`CapacityType "spot" is not valid: must be ON_DEMAND or SPOT`}},
		{"duplicate pool", func(in *Input) { in.Pools[1].Name = "general" }, []string{`Pools[1] ("general"): Name is used by another pool`}},
		{"negative NAT count", func(in *Input) { in.NATGateways = -3 }, []string{"NATGateways -3 is not valid"}},
		{"NaN egress", func(in *Input) { in.MonthlyEgressGiB = math.NaN() }, []string{"MonthlyEgressGiB NaN is not valid"}},
		{"negative logs", func(in *Input) { in.MonthlyLogGiB = -1 }, []string{"MonthlyLogGiB -1 is not valid"}},
		{"process without size", func(in *Input) { in.HerokuFormation[0].Size = "" }, []string{`HerokuFormation[0] ("web"): Size is empty`}},
		{"negative quantity in reference", func(in *Input) { in.HerokuReferenceFormation[1].Quantity = -2 }, []string{`HerokuReferenceFormation[1] ("worker"): Quantity -2 is not valid`}},
		{"every problem at once", func(in *Input) {
			in.Region = ""
			in.LoadBalancers = -1
			in.HerokuFormation[2].Name = ""
		}, []string{"Region is empty", "LoadBalancers -1 is not valid", `HerokuFormation[2] (""): Name is empty`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := productionInput()
			tc.mutate(&in)
			_, err := Compute(in)
			if err == nil {
				t.Fatalf("Compute succeeded, want an error containing %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
