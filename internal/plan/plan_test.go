package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/infra/config"
)

// Invalid config fails with a *config.Error (exit 2 in the command) before anything is registered,
// naming every bad key; a refused phase move registers nothing managed either.
func TestInvalidConfigRegistersNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		opts     Options
		wantKeys []string
		wantMsg  string
	}{
		{
			name:     "bad values",
			opts:     Options{Sets: []string{"cutover:awsTrafficPercent=30", "cutover:natGatewayMode=dual", "cutover:dnsTtl=0"}},
			wantKeys: []string{"cutover:awsTrafficPercent = 30", `cutover:natGatewayMode = "dual"`, "cutover:dnsTtl = 0"},
		},
		{
			name:     "phase skip",
			opts:     Options{Sets: []string{"cutover:awsTrafficPercent=100"}},
			wantKeys: []string{"cutover:awsTrafficPercent = 100"},
			wantMsg:  "allowPhaseSkip",
		},
		{
			name:     "new stack starting high",
			opts:     Options{NewStack: true},
			wantKeys: []string{"cutover:awsTrafficPercent = 25"},
			wantMsg:  "no deployed phase",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opts.Dir, tc.opts.Stack = "../..", "production"
			_, rec, err := run(tc.opts)
			var cfgErr *config.Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("error = %v, want *config.Error", err)
			}
			for _, k := range tc.wantKeys {
				if !strings.Contains(err.Error(), k) {
					t.Errorf("error does not name %q:\n%v", k, err)
				}
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error does not say %q:\n%v", tc.wantMsg, err)
			}
			if rec == nil {
				t.Fatal("no recorder: the program did not run")
			}
			for _, r := range rec.Sorted() {
				if !r.Read {
					t.Errorf("registered %s although the config is refused", r.URN)
				}
			}
		})
	}
}

// Rollback to any lower rung and a skip with allowPhaseSkip are accepted.
func TestPhaseMovesAccepted(t *testing.T) {
	t.Parallel()
	for _, sets := range [][]string{
		{"cutover:awsTrafficPercent=0"},
		{"cutover:awsTrafficPercent=50"},
		{"cutover:awsTrafficPercent=100", "cutover:allowPhaseSkip=true"},
	} {
		p, err := Run(Options{Dir: "../..", Stack: "production", Sets: sets, SkipPolicies: true})
		if err != nil {
			t.Fatalf("%v: %v", sets, err)
		}
		if p.Summary.Resources == 0 {
			t.Fatalf("%v: no resources", sets)
		}
	}
	if _, err := Run(Options{Dir: "../..", Stack: "production", Sets: []string{"cutover:awsTrafficPercent=100"}, AssumeDeployedPercent: intPtr(50), SkipPolicies: true}); err != nil {
		t.Fatalf("50 -> 100 with --assume-deployed-percent 50: %v", err)
	}
}

func intPtr(n int) *int { return &n }

// Secrets never reach the plan in clear: config and outputs show the placeholder.
func TestSecretsArePlaceholders(t *testing.T) {
	t.Parallel()
	p, err := Run(Options{Dir: "../..", Stack: "production", SkipPolicies: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Config["cutover:grafanaAdminPassword"]; got != SecretPlaceholder {
		t.Fatalf("config shows %q", got)
	}
	if got := p.Outputs["kubeconfig"]; got != SecretPlaceholder {
		t.Fatalf("kubeconfig output shows %v", got)
	}
	found := false
	for _, s := range p.SecretOutputs {
		found = found || s == "kubeconfig"
	}
	if !found {
		t.Fatalf("kubeconfig not listed as secret: %v", p.SecretOutputs)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"no stack", Options{Dir: "../.."}, "--stack is required"},
		{"unknown stack", Options{Dir: "../..", Stack: "qa"}, "does not exist"},
		{"typo key", Options{Dir: "../..", Stack: "dev", Sets: []string{"awsTraficPercent=10"}}, "did you mean cutover:awsTrafficPercent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Run(tc.opts)
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want a UsageError with %q", err, tc.wantErr)
			}
		})
	}
}
