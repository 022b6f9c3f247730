package cost

import (
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/dyno"
)

// The hand-worked figures in cost_test.go rest on these prices. When prices.yaml is updated,
// this test fails first: refresh the constants in cost_test.go and the figures here together.
func TestPricesUsedByTests(t *testing.T) {
	t.Parallel()
	p, err := DefaultPrices()
	if err != nil {
		t.Fatal(err)
	}
	r := p.AWS["us-east-1"]
	cases := []struct {
		name      string
		got, want float64
	}{
		{"assumptions.hoursPerMonth", p.Assumptions.HoursPerMonth, 730},
		{"assumptions.spotDiscount", p.Assumptions.SpotDiscount, 0.60},
		{"assumptions.nlbCapacityUnitsPerHour", p.Assumptions.NLBCapacityUnitsPerHour, 1},
		{"eksClusterHourly", r.EKSClusterHourly, 0.10},
		{"natGatewayHourly", r.NATGatewayHourly, 0.045},
		{"natGatewayPerGiB", r.NATGatewayPerGiB, 0.045},
		{"publicIPv4Hourly", r.PublicIPv4Hourly, 0.005},
		{"nlbHourly", r.NLBHourly, 0.0225},
		{"nlbCapacityUnitHourly", r.NLBCapacityUnitHourly, 0.006},
		{"cloudWatchLogsIngestPerGiB", r.CloudWatchLogsIngestPerGiB, 0.50},
		{"ebsGp3PerGiBMonth", r.EBSGp3PerGiBMonth, 0.08},
		{"dataTransferOutPerGiB", r.DataTransferOutPerGiB, 0.09},
		{"m6i.xlarge", r.EC2OnDemandHourly["m6i.xlarge"], 0.192},
		{"r6i.2xlarge", r.EC2OnDemandHourly["r6i.2xlarge"], 0.504},
		{"t3.large", r.EC2OnDemandHourly["t3.large"], 0.0832},
		{"standard-2x", p.Heroku.DynoMonthly["standard-2x"], 50},
		{"performance-m", p.Heroku.DynoMonthly["performance-m"], 250},
		{"performance-l", p.Heroku.DynoMonthly["performance-l"], 500},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("prices.yaml %s = %v, the tests assume %v: update cost_test.go's expected figures with it", tc.name, tc.got, tc.want)
		}
	}
	if p.Currency != "USD" || p.PriceTableDate == "" || len(p.Sources) == 0 {
		t.Errorf("currency %q, date %q, %d sources: want USD, a date and sources", p.Currency, p.PriceTableDate, len(p.Sources))
	}
}

// Every dyno type the program accepts (internal/dyno) has a price or a stated reason why none
// is published, so config validation and the estimate cannot drift apart silently.
func TestEveryDynoTypeIsPricedOrExplained(t *testing.T) {
	t.Parallel()
	p, err := DefaultPrices()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, name := range dyno.Names() {
		known[name] = true
		_, priced := p.Heroku.DynoMonthly[name]
		_, unpublished := p.Heroku.Unpublished[name]
		if !priced && !unpublished {
			t.Errorf("dyno type %s is neither priced nor listed as unpublished in prices.yaml", name)
		}
	}
	for _, m := range []map[string]float64{p.Heroku.DynoMonthly} {
		for name := range m {
			if !known[name] {
				t.Errorf("prices.yaml prices dyno type %s, which internal/dyno does not know", name)
			}
		}
	}
	for name := range p.Heroku.Unpublished {
		if !known[name] {
			t.Errorf("prices.yaml lists unpublished dyno type %s, which internal/dyno does not know", name)
		}
	}
}

func TestParsePricesRejects(t *testing.T) {
	t.Parallel()
	const valid = `
priceTableDate: "2026-11-27"
currency: USD
sources:
  - {what: all, url: https://example.com/pricing, checked: "2026-11-27"}
assumptions: {hoursPerMonth: 730, spotDiscount: 0.6, nlbCapacityUnitsPerHour: 1}
aws:
  us-east-1:
    note: test
    eksClusterHourly: 0.10
    natGatewayHourly: 0.045
    natGatewayPerGiB: 0.045
    publicIPv4Hourly: 0.005
    nlbHourly: 0.0225
    nlbCapacityUnitHourly: 0.006
    cloudWatchLogsIngestPerGiB: 0.50
    ebsGp3PerGiBMonth: 0.08
    dataTransferOutPerGiB: 0.09
    ec2OnDemandHourly: {m6i.xlarge: 0.192}
heroku:
  note: test
  dynoMonthly: {standard-2x: 50}
  unpublished: {private-m: contract only}
`
	if _, err := ParsePrices([]byte(valid)); err != nil {
		t.Fatalf("the valid table is rejected: %v", err)
	}
	cases := []struct {
		name, old, new string
		wantErr        []string
	}{
		{"unknown field", "currency: USD", "currency: USD\nvat: 0.2", []string{"unknown field", "vat"}},
		{"bad date", `priceTableDate: "2026-11-27"`, `priceTableDate: "27/11/2026"`, []string{`priceTableDate "27/11/2026" is not valid`}},
		{"other currency", "currency: USD", "currency: EUR", []string{`currency "EUR" is not valid`}},
		{"missing service price", "    natGatewayPerGiB: 0.045\n", "", []string{"aws.us-east-1.natGatewayPerGiB 0 is not valid: must be a positive price"}},
		{"negative instance price", "m6i.xlarge: 0.192", "m6i.xlarge: -0.192", []string{"aws.us-east-1.ec2OnDemandHourly.m6i.xlarge -0.192 is not valid"}},
		{"malformed instance type", "m6i.xlarge: 0.192", "M6I-XLARGE: 0.192", []string{`"M6I-XLARGE" is not a valid instance type`}},
		{"bad region code", "  us-east-1:", "  virginia:", []string{`"virginia" is not a valid region code`}},
		{"spot discount of 100%", "spotDiscount: 0.6", "spotDiscount: 1", []string{"assumptions.spotDiscount 1 is not valid"}},
		{"odd hours per month", "hoursPerMonth: 730", "hoursPerMonth: 720.5e3", []string{"assumptions.hoursPerMonth 720500 is not valid"}},
		{"dyno priced and unpublished", "unpublished: {private-m: contract only}", "unpublished: {standard-2x: contract only}", []string{`dyno type "standard-2x" is both priced and listed as unpublished`}},
		{"unpublished without reason", "unpublished: {private-m: contract only}", `unpublished: {private-m: ""}`, []string{"heroku.unpublished.private-m: give the reason"}},
		{"upper-case dyno", "dynoMonthly: {standard-2x: 50}", "dynoMonthly: {Standard-2X: 50}", []string{`"Standard-2X" is not a valid dyno type`}},
		{"no sources", "sources:\n  - {what: all, url: https://example.com/pricing, checked: \"2026-11-27\"}", "sources: []", []string{"sources is empty"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mutated := strings.Replace(valid, tc.old, tc.new, 1)
			if mutated == valid {
				t.Fatalf("the mutation %q -> %q did not apply", tc.old, tc.new)
			}
			_, err := ParsePrices([]byte(mutated))
			if err == nil {
				t.Fatalf("ParsePrices accepted the table, want an error containing %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
