package heroku

import (
	"reflect"
	"testing"
)

var rungs = []int{0, 10, 25, 50, 100}

func TestFormationQuantity(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		reference int
		minDynos  int
		scale     bool
		want      []int // one per rung 0/10/25/50/100
	}{
		// ceil(6*0.9)=6, ceil(6*0.75)=5, ceil(6*0.5)=3, 0 -> floor 1
		{name: "reference 6 floor 1", reference: 6, minDynos: 1, scale: true, want: []int{6, 6, 5, 3, 1}},
		{name: "reference 1 stays at the floor", reference: 1, minDynos: 1, scale: true, want: []int{1, 1, 1, 1, 1}},
		{name: "reference 10 floor 2", reference: 10, minDynos: 2, scale: true, want: []int{10, 9, 8, 5, 2}},
		{name: "reference 4 floor 3 holds from 50 on", reference: 4, minDynos: 3, scale: true, want: []int{4, 4, 3, 3, 3}},
		{name: "floor never raises above reference", reference: 2, minDynos: 5, scale: true, want: []int{2, 2, 2, 2, 2}},
		{name: "process at 0 is never started", reference: 0, minDynos: 1, scale: true, want: []int{0, 0, 0, 0, 0}},
		{name: "floor 0 lets heroku reach 0 at 100", reference: 6, minDynos: 0, scale: true, want: []int{6, 6, 5, 3, 0}},
		{name: "not scaling keeps the reference", reference: 6, minDynos: 1, scale: false, want: []int{6, 6, 6, 6, 6}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for i, p := range rungs {
				if got := FormationQuantity(tc.reference, p, tc.minDynos, tc.scale); got != tc.want[i] {
					t.Errorf("FormationQuantity(%d, %d, %d, %v) = %d, want %d", tc.reference, p, tc.minDynos, tc.scale, got, tc.want[i])
				}
			}
		})
	}
}

// TestFormationQuantityCoversHerokuShare checks the rounding rule over every reference and
// percent: Heroku keeps at least its traffic share of the reference and never more than the
// reference.
func TestFormationQuantityCoversHerokuShare(t *testing.T) {
	t.Parallel()
	for ref := 0; ref <= 20; ref++ {
		for p := 0; p <= 100; p++ {
			q := FormationQuantity(ref, p, 1, true)
			if q*100 < ref*(100-p) {
				t.Fatalf("reference %d at %d%%: %d dynos below Heroku's share", ref, p, q)
			}
			if q > ref {
				t.Fatalf("reference %d at %d%%: %d dynos above the reference", ref, p, q)
			}
			if ref > 0 && q < 1 {
				t.Fatalf("reference %d at %d%%: below the floor", ref, p)
			}
		}
	}
}

func TestQuantities(t *testing.T) {
	t.Parallel()
	formation := map[string]Process{
		"web":    {Size: "performance-m", Quantity: 6},
		"worker": {Size: "standard-2x", Quantity: 4},
		"clock":  {Size: "standard-1x", Quantity: 1},
	}
	cases := []struct {
		name     string
		percent  int
		minDynos int
		scale    bool
		want     map[string]int
	}{
		{name: "0 percent", percent: 0, scale: true, want: map[string]int{"web": 6, "worker": 4, "clock": 1}},
		{name: "50 percent scales only web", percent: 50, scale: true, want: map[string]int{"web": 3, "worker": 4, "clock": 1}},
		{name: "100 percent web at default floor, workers at reference", percent: 100, minDynos: 0, scale: true,
			want: map[string]int{"web": 1, "worker": 4, "clock": 1}},
		{name: "100 percent explicit floor", percent: 100, minDynos: 2, scale: true, want: map[string]int{"web": 2, "worker": 4, "clock": 1}},
		{name: "scaling off", percent: 100, scale: false, want: map[string]int{"web": 6, "worker": 4, "clock": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Quantities(formation, tc.percent, tc.minDynos, tc.scale); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Quantities at %d = %v, want %v", tc.percent, got, tc.want)
			}
		})
	}
}

func TestScalesWithPhase(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{"web": true, "worker": false, "clock": false, "release": false, "Web": false}
	for process, want := range cases {
		if got := ScalesWithPhase(process); got != want {
			t.Errorf("ScalesWithPhase(%q) = %v, want %v", process, got, want)
		}
	}
}

func TestAppHost(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, app, webURL, want, wantErr string
	}{
		{name: "suffixed host from web URL", app: "cutover-api", webURL: "https://cutover-api-0123abcd.herokuapp.com/", want: "cutover-api-0123abcd.herokuapp.com"},
		{name: "legacy host from web URL", app: "cutover-api", webURL: "https://cutover-api.herokuapp.com/", want: "cutover-api.herokuapp.com"},
		{name: "no web URL falls back to the app name", app: "cutover-api", webURL: "", want: "cutover-api.herokuapp.com"},
		{name: "web URL without host", app: "cutover-api", webURL: "not a url", wantErr: `web URL "not a url" has no host`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := appHost(tc.app, tc.webURL)
			if tc.wantErr != "" {
				if err == nil || !contains(err.Error(), tc.wantErr) {
					t.Fatalf("appHost error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("appHost(%q, %q) = %q, %v; want %q", tc.app, tc.webURL, got, err, tc.want)
			}
		})
	}
}
