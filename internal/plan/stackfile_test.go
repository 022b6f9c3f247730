package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeStack(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Pulumi.test.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadStackConfig(t *testing.T) {
	t.Parallel()
	path := writeStack(t, `encryptionsalt: v1:abc:v1:def:ghi
config:
  aws:region: us-east-1
  cutover:awsTrafficPercent: 25
  cutover:allowPhaseSkip: false
  cutover:kubernetesVersion: "1.33"
  dnsTtl: 30
  cutover:availabilityZones: [us-east-1a, us-east-1b]
  cutover:grafanaAdminPassword:
    secure: v1:nonce:cipher
  cutover:services:
    api: {port: 8080, public: true}
`)
	sc, err := ReadStackConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"aws:region":                   "us-east-1",
		"cutover:awsTrafficPercent":    "25",
		"cutover:allowPhaseSkip":       "false",
		"cutover:kubernetesVersion":    "1.33",
		"cutover:dnsTtl":               "30",
		"cutover:availabilityZones":    `["us-east-1a","us-east-1b"]`,
		"cutover:grafanaAdminPassword": SecretPlaceholder,
		"cutover:services":             `{"api":{"port":8080,"public":true}}`,
	}
	for k, v := range want {
		if sc.Values[k] != v {
			t.Errorf("%s = %q, want %q", k, sc.Values[k], v)
		}
	}
	if len(sc.Values) != len(want) {
		t.Errorf("got %d values, want %d: %v", len(sc.Values), len(want), sc.Values)
	}
	if !sc.Secrets["cutover:grafanaAdminPassword"] || len(sc.Secrets) != 1 {
		t.Errorf("secrets = %v", sc.Secrets)
	}
}

func TestReadStackConfigErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, body, wantErr string }{
		{"unknown top-level field", "config: {}\nconfg: {}\n", `unknown field "confg"`},
		{"not yaml", "config: [\n", "stack file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadStackConfig(writeStack(t, tc.body))
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want a UsageError containing %q", err, tc.wantErr)
			}
		})
	}
	_, err := ReadStackConfig(filepath.Join(t.TempDir(), "Pulumi.none.yaml"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing file error = %v", err)
	}
}

func TestApplySets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, set, key, want, wantErr string
	}{
		{name: "number", set: "cutover:awsTrafficPercent=50", key: "cutover:awsTrafficPercent", want: "50"},
		{name: "bare key is cutover", set: "dnsTtl=30", key: "cutover:dnsTtl", want: "30"},
		{name: "json list", set: `phases=[0, 50, 100]`, key: "cutover:phases", want: "[0,50,100]"},
		{name: "json object", set: `services={"a": {"port": 1}}`, key: "cutover:services", want: `{"a":{"port":1}}`},
		{name: "plain string", set: "cutover:apiHostname=api.example.com", key: "cutover:apiHostname", want: "api.example.com"},
		{name: "quoted json string", set: `cutover:kubernetesVersion="1.34"`, key: "cutover:kubernetesVersion", want: "1.34"},
		{name: "boolean", set: "allowPhaseSkip=true", key: "cutover:allowPhaseSkip", want: "true"},
		{name: "other namespace", set: "aws:region=eu-west-1", key: "aws:region", want: "eu-west-1"},
		{name: "value with =", set: "cutover:herokuApp=a=b", key: "cutover:herokuApp", want: "a=b"},
		{name: "no equals", set: "awsTrafficPercent", wantErr: "expected key=value"},
		{name: "empty key", set: "=5", wantErr: "expected key=value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := StackConfig{Values: map[string]string{}, Secrets: map[string]bool{tc.key: true}}
			err := sc.ApplySets([]string{tc.set})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Values[tc.key]; got != tc.want {
				t.Fatalf("%s = %q, want %q", tc.key, got, tc.want)
			}
			if sc.Secrets[tc.key] {
				t.Fatal("an override must clear the secret flag (its value is in plain sight)")
			}
		})
	}
}

func TestCheckKeysNamesTheClosestKey(t *testing.T) {
	t.Parallel()
	sc := StackConfig{Values: map[string]string{
		"cutover:awsTraficPercent": "10", "cutover:servces": "{}", "aws:region": "us-east-1", "cutover:dnsTtl": "60",
	}}
	err := sc.CheckKeys()
	if err == nil {
		t.Fatal("want an error for unknown keys")
	}
	for _, want := range []string{
		"unknown config key cutover:awsTraficPercent: did you mean cutover:awsTrafficPercent?",
		"unknown config key cutover:servces: did you mean cutover:services?",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "aws:region") || strings.Contains(err.Error(), "dnsTtl") {
		t.Errorf("known or foreign keys reported: %v", err)
	}
}
