package cost

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestWriteTextGolden(t *testing.T) {
	cases := []struct {
		name  string
		input func() Input
	}{
		{"production-rung-0", productionInput},
		{"production-rung-100-with-volumes", func() Input {
			in := productionInput()
			in.HerokuFormation = productionFormation(0)
			in.MonthlyEgressGiB = 500
			in.MonthlyLogGiB = 40
			in.PersistentVolumeGiB = 200
			return in
		}},
		{"unknown-items", func() Input {
			in := productionInput()
			in.Pools = append(in.Pools, Pool{Name: "gpu", InstanceTypes: []string{"p9.48xlarge"}, DesiredSize: 1, CapacityType: CapacitySpot})
			in.HerokuFormation = append(in.HerokuFormation, Process{Name: "egress", Size: "private-s", Quantity: 1})
			return in
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Compute(tc.input())
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			e.WriteText(&buf)
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cost -update to create it)", err)
			}
			if buf.String() != string(want) {
				t.Errorf("%s differs (go test ./internal/cost -update refreshes it):\n--- got\n%s--- want\n%s", path, buf.String(), want)
			}
		})
	}
}

func TestWriteTextContent(t *testing.T) {
	t.Parallel()
	in := productionInput()
	in.HerokuFormation = productionFormation(0)
	in.Pools = append(in.Pools, Pool{Name: "odd", InstanceTypes: []string{"x9.large"}, DesiredSize: 1})
	e, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e.WriteText(&buf)
	out := buf.String()
	for _, want := range []string{
		"Cost estimate (monthly, USD, list prices of " + e.PriceTableDate + ", us-east-1)",
		"side    item",
		"  aws     ec2 general (m6i.xlarge x4)",
		"2920 instance-hour",
		"560.64",
		"  heroku  web (performance-m x0)",
		"Total: AWS 1,568.34 + Heroku now 1,200.00 = 2,768.34 a month",
		"Saving: 431.66 a month against Heroku before the move (3,200.00)",
		"No price (counted as 0):\n    - ec2 instance type x9.large (pool odd)",
		"Notes:\n    - Monthly figures are list prices at 730 hours a month",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var oddRow string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "ec2 odd (x9.large x1)") {
			oddRow = line
		}
	}
	if !strings.HasSuffix(oddRow, "unknown      0.00") {
		t.Errorf("the unpriced row should show unit price unknown and 0.00, got %q", oddRow)
	}
}

func TestWriteTextOverlap(t *testing.T) {
	t.Parallel()
	e, err := Compute(productionInput())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e.WriteText(&buf)
	if want := "Overlap: 1,568.34 a month more than Heroku before the move (3,200.00) while both platforms run"; !strings.Contains(buf.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, buf.String())
	}
}

// failingWriter fails after n writes.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

func TestWriteTextStopsAtFirstError(t *testing.T) {
	t.Parallel()
	e, err := Compute(productionInput())
	if err != nil {
		t.Fatal(err)
	}
	w := &failingWriter{n: 2}
	e.WriteText(w) // must neither panic nor keep writing
	if w.n != 0 {
		t.Errorf("writer has %d writes left, want 0 (two writes, then the failure stops output)", w.n)
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0.00"},
		{4.38, "4.38"},
		{560.64, "560.64"},
		{1568.34, "1,568.34"},
		{1234567.891, "1,234,567.89"},
		{-1568.34, "-1,568.34"},
		{-12.5, "-12.50"},
	}
	for _, tc := range cases {
		if got := money(tc.in); got != tc.want {
			t.Errorf("money(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want float64
	}{
		{0.0225 * 730, 16.43}, // 16.425 in decimal; float noise must not round it down
		{2 * 730 * 0.03328, 48.59},
		{0.004999, 0},
		{0.005, 0.01},
		{-16.425, -16.43},
	}
	for _, tc := range cases {
		if got := cents(tc.in); got != tc.want {
			t.Errorf("cents(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
