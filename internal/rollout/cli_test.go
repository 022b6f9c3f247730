package rollout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cliWorld is a fake process environment: which tools exist, the stack, the gates.
type cliWorld struct {
	tools   map[string]bool
	env     map[string]string
	stack   *fakeStack
	health  *fakeHealth
	metrics *fakeMetrics
	clock   *fakeClock
	// realRunner uses NewAutoRunner, to test its missing-CLI check.
	realRunner bool

	gotRunner     RunnerConfig
	gotMetricsURL string
}

func newCLIWorld(deployed int) *cliWorld {
	return &cliWorld{
		tools:   map[string]bool{"pulumi": true, "aws": true},
		env:     map[string]string{},
		stack:   newFakeStack(deployed),
		health:  &fakeHealth{},
		metrics: &fakeMetrics{},
		clock:   newFakeClock(),
	}
}

func (w *cliWorld) Env() Env {
	lookPath := func(file string) (string, error) {
		if w.tools[file] {
			return "/usr/local/bin/" + file, nil
		}
		return "", errors.New(`exec: "` + file + `": executable file not found in $PATH`)
	}
	return Env{
		LookPath: lookPath,
		Getenv:   func(k string) string { return w.env[k] },
		Clock:    w.clock,
		NewRunner: func(ctx context.Context, cfg RunnerConfig) (StackRunner, error) {
			w.gotRunner = cfg
			if w.realRunner {
				return NewAutoRunner(ctx, cfg)
			}
			if err := RequirePulumiCLI(cfg.Command, cfg.LookPath); err != nil {
				return nil, err
			}
			return w.stack, nil
		},
		NewHealth: func(cfg HealthConfig) (HealthSource, error) {
			// The real constructor with a fake runner: its LookPath check is what is tested.
			if _, err := NewAWSCLIHealth(cfg); err != nil {
				return nil, err
			}
			return w.health, nil
		},
		NewMetrics: func(url string) (MetricsSource, error) {
			w.gotMetricsURL = url
			if _, err := NewPrometheus(url, nil); err != nil {
				return nil, err
			}
			return w.metrics, nil
		},
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	promote := func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer, env Env) int {
		return RunPromote(ctx, args, stdout, stderr, env)
	}
	rollback := func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer, env Env) int {
		return RunRollback(ctx, args, stdout, stderr, env)
	}
	status := func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer, env Env) int {
		return RunStatus(ctx, args, stdout, stderr, env)
	}
	cases := []struct {
		name       string
		run        func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer, env Env) int
		args       []string
		deployed   int
		setup      func(w *cliWorld)
		wantCode   int
		wantStdout []string
		wantStderr []string
		check      func(t *testing.T, w *cliWorld)
	}{
		{
			name: "promote needs --stack", run: promote, args: []string{"--soak", "1m"},
			wantCode: ExitUsage, wantStderr: []string{"cutover promote: --stack is required", "-soak duration"},
		},
		{
			name: "promote rejects positional arguments", run: promote, args: []string{"--stack", "dev", "50"},
			wantCode: ExitUsage, wantStderr: []string{`cutover promote: unexpected arguments ["50"]`},
		},
		{
			name: "promote rejects bad values all at once", run: promote,
			args:     []string{"--stack", "dev", "--soak", "0s", "--interval", "-1s", "--max-5xx-ratio", "2"},
			wantCode: ExitUsage,
			wantStderr: []string{
				"--soak 0s is not valid: must be > 0",
				"--interval -1s is not valid: must be > 0",
				"--max-5xx-ratio 2 is not valid: must be between 0 and 1",
			},
		},
		{
			name: "promote help", run: promote, args: []string{"-h"},
			wantCode: ExitOK, wantStderr: []string{"usage: cutover promote --stack NAME [flags]: move one rung up", "-prometheus-url string", "env CUTOVER_PROMETHEUS_URL", "-dry-run"},
		},
		{
			name: "promote without the pulumi CLI", run: promote, args: []string{"--stack", "dev"}, deployed: 25,
			setup: func(w *cliWorld) {
				w.tools["pulumi"] = false
				w.realRunner = true
			},
			wantCode: ExitUsage,
			wantStderr: []string{
				"cutover promote: cutover promote needs the Pulumi CLI (pulumi) on PATH: install it from https://www.pulumi.com/docs/install/ ; offline checks: cutover plan / cutover diff",
			},
		},
		{
			name: "rollback without the pulumi CLI", run: rollback, args: []string{"--stack", "dev"},
			setup: func(w *cliWorld) {
				w.tools["pulumi"] = false
				w.realRunner = true
			},
			wantCode:   ExitUsage,
			wantStderr: []string{"cutover rollback needs the Pulumi CLI (pulumi) on PATH"},
		},
		{
			name: "promote without the aws CLI changes nothing", run: promote, args: []string{"--stack", "dev"}, deployed: 25,
			setup:      func(w *cliWorld) { w.tools["aws"] = false },
			wantCode:   ExitUsage,
			wantStderr: []string{"cutover promote needs the AWS CLI (aws) on PATH"},
			check: func(t *testing.T, w *cliWorld) {
				calls, _, _ := w.stack.snapshot()
				assert.Empty(t, calls)
			},
		},
		{
			name: "promote passes flags through and succeeds", run: promote, deployed: 25,
			args:     []string{"--stack", "staging", "--project-dir", "/src/cutover", "--soak", "2m", "--interval", "20s", "--max-p99", "300ms", "--max-5xx-ratio", "0.02"},
			setup:    func(w *cliWorld) { w.env[PrometheusURLEnv] = "http://prometheus.example:9090" },
			wantCode: ExitOK,
			wantStdout: []string{
				"poll 6/6 gate p99 latency 0.231s <= 0.300s ok",
				"gate 5xx ratio 0.0031 <= 0.0200 ok",
				"result: promoted (from 25 to 50, now at 50)",
			},
			check: func(t *testing.T, w *cliWorld) {
				assert.Equal(t, "http://prometheus.example:9090", w.gotMetricsURL, "env var sets the default URL")
				assert.Equal(t, "promote", w.gotRunner.Command)
				assert.Equal(t, "staging", w.gotRunner.Stack)
				assert.Equal(t, "/src/cutover", w.gotRunner.ProjectDir)
				assert.NotNil(t, w.gotRunner.Progress, "pulumi's own output goes to stdout")
			},
		},
		{
			name: "--prometheus-url beats the environment", run: promote, deployed: 25,
			args:     []string{"--stack", "dev", "--dry-run", "--prometheus-url", "http://127.0.0.1:19090"},
			setup:    func(w *cliWorld) { w.env[PrometheusURLEnv] = "http://prometheus.example:9090" },
			wantCode: ExitOK, wantStdout: []string{"dry run: nothing will be changed", "result: dry run (from 25 to 50, now at 25)"},
			check: func(t *testing.T, w *cliWorld) {
				assert.Equal(t, "http://127.0.0.1:19090", w.gotMetricsURL)
				calls, _, _ := w.stack.snapshot()
				assert.Empty(t, calls)
			},
		},
		{
			name: "invalid prometheus URL is a usage error", run: promote, args: []string{"--stack", "dev", "--prometheus-url", "localhost:9090"},
			wantCode: ExitUsage, wantStderr: []string{`prometheus URL "localhost:9090" is not valid`},
		},
		{
			name: "status with an invalid prometheus URL is a usage error", run: status, args: []string{"--stack", "dev", "--prometheus-url", "ftp://prometheus.example"},
			wantCode: ExitUsage, wantStderr: []string{`cutover status: prometheus URL "ftp://prometheus.example" is not valid`},
			check: func(t *testing.T, w *cliWorld) {
				assert.Empty(t, w.gotRunner.Stack, "stopped before touching the stack")
			},
		},
		{
			name: "promote that rolls back exits 1", run: promote, deployed: 25, args: []string{"--stack", "dev"},
			setup: func(w *cliWorld) {
				w.metrics.fn = func(q string, call int) (float64, error) {
					if q == Query5xxRatio && call == 2 {
						return 0.5, nil
					}
					return goodFigure(q), nil
				}
			},
			wantCode: ExitFailed,
			wantStdout: []string{
				"result: rolled back (from 25, aimed at 50, now at 25): a gate failed at poll 2, 1m0s into the soak",
				"  - gate 5xx ratio 0.5000 > 0.0100 FAIL",
			},
		},
		{
			name: "promote refused exits 1", run: promote, deployed: 25, args: []string{"--stack", "dev"},
			setup: func(w *cliWorld) {
				w.stack.preview = previewWith(PreviewStep{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "delete"})
			},
			wantCode:   ExitFailed,
			wantStdout: []string{"result: refused (from 25, aimed at 50, now at 25): the preview shows changes a phase change must not make", "  - unexpected delete aws:ec2/eip:Eip"},
		},
		{
			name: "rollback --to 0", run: rollback, deployed: 50, args: []string{"--stack", "dev", "--to", "0"},
			wantCode: ExitOK, wantStdout: []string{"ROLLED BACK to 0", "result: rolled back (from 50 to 0)"},
		},
		{
			name: "rollback --to off the ladder", run: rollback, deployed: 50, args: []string{"--stack", "dev", "--to", "30"},
			wantCode: ExitFailed, wantStdout: []string{"result: refused (from 50, aimed at 50, now at 50): --to 30 is not a rung of the ladder 0 10 25 50 100"},
		},
		{
			name: "rollback --to not a number", run: rollback, args: []string{"--stack", "dev", "--to", "half"},
			wantCode: ExitUsage, wantStderr: []string{`invalid value "half" for flag -to: "half" is not an integer percentage`},
		},
		{
			name: "rollback at the bottom", run: rollback, deployed: 0, args: []string{"--stack", "dev"},
			wantCode: ExitOK, wantStdout: []string{"result: nothing to do (from 0 to 0, now at 0)"},
		},
		{
			name: "status", run: status, deployed: 25, args: []string{"--stack", "dev"},
			wantCode: ExitOK,
			wantStdout: []string{
				"stack dev: deployed rung 25",
				"health aws hc-aws-0001: 16/16 checkers report Success: healthy",
				"gate p99 latency 0.231s <= 0.500s ok",
			},
		},
		{
			name: "status without the aws CLI shows the rest and exits 2", run: status, deployed: 25, args: []string{"--stack", "dev"},
			setup:      func(w *cliWorld) { w.tools["aws"] = false },
			wantCode:   ExitUsage,
			wantStdout: []string{"stack dev: deployed rung 25", "weights: aws 25, heroku 75 (stack outputs)", "gate 5xx ratio 0.0031 <= 0.0100 ok"},
			wantStderr: []string{"cutover status: cutover status needs the AWS CLI (aws) on PATH"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newCLIWorld(tc.deployed)
			if tc.setup != nil {
				tc.setup(w)
			}
			var stdout, stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := tc.run(ctx, tc.args, &stdout, &stderr, w.Env())
			assert.Equal(t, tc.wantCode, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			for _, s := range tc.wantStdout {
				assert.Contains(t, stdout.String(), s)
			}
			for _, s := range tc.wantStderr {
				assert.Contains(t, stderr.String(), s)
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

func TestRequirePulumiCLI(t *testing.T) {
	t.Parallel()
	err := RequirePulumiCLI("status", func(string) (string, error) { return "", errors.New("not found") })
	var toolErr *ToolError
	require.ErrorAs(t, err, &toolErr)
	assert.Equal(t, "cutover status needs the Pulumi CLI (pulumi) on PATH: install it from https://www.pulumi.com/docs/install/ ; offline checks: cutover plan / cutover diff (not found)", err.Error())
	assert.NoError(t, RequirePulumiCLI("status", func(string) (string, error) { return "/usr/bin/pulumi", nil }))
}

// Promote and rollback run the project's policy pack unless told otherwise.
func TestPolicyPackFlag(t *testing.T) {
	t.Parallel()
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dir, flag string
		withPack        bool
		want            []string
	}{
		{name: "project pack by default", dir: project, withPack: true, want: []string{filepath.Join(project, "policies")}},
		{name: "no pack in project", dir: t.TempDir(), want: nil},
		{name: "explicit binary", dir: project, flag: "/opt/cutover-policies", want: []string{"/opt/cutover-policies"}},
		{name: "none", dir: project, flag: "none", withPack: true, want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.withPack {
				if err := os.WriteFile(filepath.Join(tc.dir, "policies", "PulumiPolicy.yaml"), []byte("runtime: go\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c := commonFlags{projectDir: tc.dir, policyPack: tc.flag}
			got := c.runnerConfig("promote", io.Discard, Env{}).PolicyPacks
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("PolicyPacks = %v, want %v", got, tc.want)
			}
		})
	}
}
