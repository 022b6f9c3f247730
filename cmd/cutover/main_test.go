package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command's contract: exit 0 clean, 1 on a mandatory policy violation, 2 on a config or usage
// error, with the reason on stderr.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	badAPI := `cutover:services={"api":{"image":"registry.example.com/acme/api:1.0.0","port":8080,"public":true,"dyno":"standard-2x","minReplicas":1,"maxReplicas":2,"pool":"general"}}`
	cases := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"clean plan", []string{"plan", "--stack", "dev", "--dir", "../.."}, 0, "Policy pack: 0 mandatory", ""},
		{"mandatory violation", []string{"plan", "--stack", "dev", "--dir", "../..", "--set", badAPI}, 1, "[mandatory] k8s-04", "mandatory policy violation(s) in stack dev"},
		{"invalid config", []string{"plan", "--stack", "dev", "--dir", "../..", "--set", "cutover:awsTrafficPercent=30"}, 2, "", "cutover:awsTrafficPercent = 30: not a rung of phases"},
		{"phase skip", []string{"plan", "--stack", "production", "--dir", "../..", "--set", "cutover:awsTrafficPercent=100"}, 2, "", "allowPhaseSkip"},
		{"phase skip allowed with assumed phase", []string{"plan", "--stack", "production", "--dir", "../..", "--set", "cutover:awsTrafficPercent=100", "--assume-deployed-percent", "50"}, 0, "AWS weight 100", ""},
		{"unknown key", []string{"plan", "--stack", "dev", "--dir", "../..", "--set", "cutover:dnsTTL=30"}, 2, "", "did you mean cutover:dnsTtl"},
		{"missing stack flag", []string{"plan", "--dir", "../.."}, 2, "", "--stack is required"},
		{"unknown stack", []string{"plan", "--stack", "qa", "--dir", "../.."}, 2, "", "does not exist"},
		{"bad assume value", []string{"plan", "--stack", "dev", "--dir", "../..", "--assume-deployed-percent", "ten"}, 2, "", "not a whole number"},
		{"unknown command", []string{"deploy"}, 2, "", `unknown command "deploy"`},
		{"no command", nil, 2, "", "cutover moves an API platform"},
		{"diff without overrides", []string{"diff", "--stack", "dev", "--dir", "../.."}, 2, "", "nothing to compare"},
		{"diff one rung", []string{"diff", "--stack", "production", "--dir", "../..", "--set", "cutover:awsTrafficPercent=50"}, 0, "0 to create, 0 to delete, 3 to change", ""},
		{"diff files must pair", []string{"diff", "--before", "x.json"}, 2, "", "--before and --after go together"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, tail(stdout.String()), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantStdout, tail(stdout.String()))
			}
			if !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantStderr, stderr.String())
			}
		})
	}
}

// --json prints one object with the contract's keys; --out writes plan.json and manifests; a diff
// of two saved plans one rung apart shows only the weights and the formation.
func TestJSONOutAndFileDiff(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plans := map[string]string{}
	for _, pct := range []string{"25", "50"} {
		var stdout, stderr bytes.Buffer
		out := filepath.Join(dir, "out-"+pct)
		code := run([]string{"plan", "--stack", "production", "--dir", "../..", "--json", "--out", out, "--set", "cutover:awsTrafficPercent=" + pct}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("plan at %s: exit %d: %s", pct, code, stderr.String())
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
			t.Fatalf("--json output is not one JSON object: %v", err)
		}
		for _, key := range []string{"project", "stack", "config", "resources", "outputs", "violations", "summary", "cost"} {
			if _, ok := doc[key]; !ok {
				t.Errorf("plan JSON lacks %q", key)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "plan.json")); err != nil {
			t.Fatal(err)
		}
		if m, _ := filepath.Glob(filepath.Join(out, "manifests", "app", "deployment-*.yaml")); len(m) != 5 {
			t.Errorf("want 5 Deployment manifests for production's 5 services, got %v", m)
		}
		plans[pct] = filepath.Join(out, "plan.json")
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"diff", "--before", plans["25"], "--after", plans["50"]}, &stdout, &stderr); code != 0 {
		t.Fatalf("diff: exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		"0 to create, 0 to delete, 3 to change",
		"weightedRoutingPolicies[0].weight: 25 => 50",
		"weightedRoutingPolicies[0].weight: 75 => 50",
		"quantity: 6 => 4",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("diff output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
