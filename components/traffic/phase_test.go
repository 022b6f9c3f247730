package traffic

import (
	"strings"
	"testing"
)

func TestWeights(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name              string
		percent           int
		wantAWS, wantHero int
		wantErr           string
	}{
		{name: "all heroku", percent: 0, wantAWS: 0, wantHero: 100},
		{name: "first rung", percent: 10, wantAWS: 10, wantHero: 90},
		{name: "quarter", percent: 25, wantAWS: 25, wantHero: 75},
		{name: "half", percent: 50, wantAWS: 50, wantHero: 50},
		{name: "all aws keeps heroku at zero", percent: 100, wantAWS: 100, wantHero: 0},
		{name: "odd value still sums to 100", percent: 37, wantAWS: 37, wantHero: 63},
		{name: "negative", percent: -1, wantErr: "awsTrafficPercent -1 is out of range"},
		{name: "above 100", percent: 101, wantErr: "awsTrafficPercent 101 is out of range: must be between 0 and 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			aws, heroku, err := Weights(tc.percent)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Weights(%d) error = %v, want it to contain %q", tc.percent, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Weights(%d) unexpected error: %v", tc.percent, err)
			}
			if aws != tc.wantAWS || heroku != tc.wantHero {
				t.Fatalf("Weights(%d) = %d/%d, want %d/%d", tc.percent, aws, heroku, tc.wantAWS, tc.wantHero)
			}
			if aws+heroku != 100 {
				t.Fatalf("Weights(%d) sums to %d, want 100 (never 0/0)", tc.percent, aws+heroku)
			}
		})
	}
}

func TestWeightsNeverBothZero(t *testing.T) {
	t.Parallel()
	for p := 0; p <= 100; p++ {
		aws, heroku, err := Weights(p)
		if err != nil {
			t.Fatalf("Weights(%d): %v", p, err)
		}
		if aws == 0 && heroku == 0 {
			t.Fatalf("Weights(%d) = 0/0", p)
		}
	}
}

func TestCheckMove(t *testing.T) {
	t.Parallel()
	ladder := []int{0, 10, 25, 50, 100}
	at := func(p int) *int { return &p }
	cases := []struct {
		name      string
		ladder    []int
		deployed  *int
		target    int
		allowSkip bool
		wantErr   []string // every substring must appear; empty means the move is allowed
	}{
		{name: "stay put", deployed: at(25), target: 25},
		{name: "one rung forward 0->10", deployed: at(0), target: 10},
		{name: "one rung forward 10->25", deployed: at(10), target: 25},
		{name: "one rung forward 25->50", deployed: at(25), target: 50},
		{name: "one rung forward 50->100", deployed: at(50), target: 100},
		{name: "skip refused 10->50", deployed: at(10), target: 50,
			wantErr: []string{"awsTrafficPercent 10 -> 50", "skips rung(s) [25]", "allowPhaseSkip is false", "allowPhaseSkip=true", "move to 25 first"}},
		{name: "skip refused 0->100 lists every skipped rung", deployed: at(0), target: 100,
			wantErr: []string{"awsTrafficPercent 0 -> 100", "skips rung(s) [10 25 50]", "allowPhaseSkip"}},
		{name: "skip allowed with override", deployed: at(10), target: 100, allowSkip: true},
		{name: "rollback 100->0 at once", deployed: at(100), target: 0},
		{name: "rollback 50->10", deployed: at(50), target: 10},
		{name: "rollback 100->50", deployed: at(100), target: 50},
		{name: "new stack at 0", deployed: nil, target: 0},
		{name: "new stack at first non-zero rung", deployed: nil, target: 10},
		{name: "new stack beyond first non-zero rung refused", deployed: nil, target: 25,
			wantErr: []string{"awsTrafficPercent 25", "no deployed phase", "at most at 10", "allowPhaseSkip is false"}},
		{name: "new stack at 100 refused", deployed: nil, target: 100,
			wantErr: []string{"awsTrafficPercent 100", "allowPhaseSkip"}},
		{name: "new stack beyond first rung with override", deployed: nil, target: 100, allowSkip: true},
		{name: "new stack on a ladder starting above 0", ladder: []int{5, 50, 100}, deployed: nil, target: 5},
		{name: "non-rung target refused", deployed: at(10), target: 20,
			wantErr: []string{"awsTrafficPercent 20 is not a rung of phases [0 10 25 50 100]"}},
		{name: "non-rung target refused even with override", deployed: at(10), target: 30, allowSkip: true,
			wantErr: []string{"awsTrafficPercent 30 is not a rung"}},
		{name: "non-rung target refused on a new stack", deployed: nil, target: 5,
			wantErr: []string{"awsTrafficPercent 5 is not a rung"}},
		{name: "deployed phase no longer on the ladder, next rung allowed", deployed: at(30), target: 50},
		{name: "deployed phase no longer on the ladder, skip refused", deployed: at(30), target: 100,
			wantErr: []string{"awsTrafficPercent 30 -> 100", "skips rung(s) [50]"}},
		{name: "empty ladder", ladder: []int{}, deployed: nil, target: 0,
			wantErr: []string{"phases is empty"}},
		{name: "unsorted ladder", ladder: []int{0, 50, 25, 100}, deployed: at(0), target: 25,
			wantErr: []string{"phases [0 50 25 100] is not strictly increasing"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := ladder
			if tc.ladder != nil {
				l = tc.ladder
			}
			err := CheckMove(l, tc.deployed, tc.target, tc.allowSkip)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("CheckMove(%v, %v, %d, %v) refused: %v", l, deref(tc.deployed), tc.target, tc.allowSkip, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckMove(%v, %v, %d, %v) allowed, want error containing %q", l, deref(tc.deployed), tc.target, tc.allowSkip, tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func deref(p *int) any {
	if p == nil {
		return "nil"
	}
	return *p
}
