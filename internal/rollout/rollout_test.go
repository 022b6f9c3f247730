package rollout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type promoteCase struct {
	name     string
	deployed int
	// setup adjusts the fakes before the run.
	setup func(s *fakeStack, h *fakeHealth, m *fakeMetrics, c *fakeClock)
	opts  PromoteOptions

	wantErr     string
	wantOutcome Outcome
	wantFinal   int
	wantPolls   int
	wantCalls   []string
	// wantConfig is the stored cutover:awsTrafficPercent at the end ("" = unset).
	wantConfig string
	wantOut    []string
	wantNotOut []string
	wantFind   []string
}

var (
	promoteCalls50  = []string{"set cutover:awsTrafficPercent=50", "preview", "up"}
	rolledBackTo25  = []string{"set cutover:awsTrafficPercent=50", "preview", "up", "set cutover:awsTrafficPercent=25", "up"}
	refusedAt25To50 = []string{"set cutover:awsTrafficPercent=50", "preview", "set cutover:awsTrafficPercent=25"}
)

func TestPromote(t *testing.T) {
	t.Parallel()
	cases := []promoteCase{
		{
			name: "happy path 25 to 50", deployed: 25,
			wantOutcome: OutcomePromoted, wantFinal: 50, wantPolls: 20, wantCalls: promoteCalls50, wantConfig: "50",
			wantOut: []string{
				"[12:00:00] stack production: deployed rung 25 (from output awsTrafficPercent); ladder 0 10 [25] 50 100",
				"preflight health aws hc-aws-0001: 16/16 checkers report Success: healthy",
				"set config cutover:awsTrafficPercent 25 -> 50 (aws weight 50, heroku weight 50)",
				"preview: expected update aws:route53/record:Record " + urnRecordAWS + " [weightedRoutingPolicies[0].weight]",
				"preview ok: 3 expected update(s), nothing else",
				"up done: result succeeded, changes same=40 update=3",
				"soak: watching rung 50 for 10m0s, 20 polls every 30s",
				"[12:00:30] poll 1/20 gate 5xx ratio 0.0031 <= 0.0100 ok",
				"[12:00:30] poll 1/20 gate p99 latency 0.231s <= 0.500s ok",
				"[12:10:00] poll 20/20 health heroku hc-heroku-0002: 16/16 checkers report Success: healthy",
				"PROMOTED: rung 50 held for 10m0s (20 polls, every gate passing); aws weight 50, heroku weight 50",
			},
			wantNotOut: []string{"ROLLING BACK"},
		},
		{
			name: "5xx gate fails at poll 7", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if q == Query5xxRatio && call == 7 {
						return 0.042, nil
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantPolls: 7, wantCalls: rolledBackTo25, wantConfig: "25",
			wantOut: []string{
				"[12:03:30] poll 7/20 gate 5xx ratio 0.0420 > 0.0100 FAIL",
				"[12:03:30] FAIL gate 5xx ratio 0.0420 > 0.0100 FAIL",
				"[12:03:30] ROLLING BACK to 25: a gate failed at poll 7, 3m30s into the soak",
				"ROLLED BACK to 25 (aws weight 25, heroku weight 75)",
			},
			wantNotOut: []string{"PROMOTED", "poll 8/20"},
			wantFind:   []string{"gate 5xx ratio 0.0420 > 0.0100 FAIL"},
		},
		{
			name: "p99 gate fails at the last poll", deployed: 10,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if q == QueryLatencyP99 && call == 20 {
						return 0.75, nil
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 10, wantPolls: 20, wantConfig: "10",
			wantCalls: []string{"set cutover:awsTrafficPercent=25", "preview", "up", "set cutover:awsTrafficPercent=10", "up"},
			wantOut:   []string{"poll 20/20 gate p99 latency 0.750s > 0.500s FAIL", "ROLLING BACK to 10"},
			wantFind:  []string{"gate p99 latency 0.750s > 0.500s FAIL"},
		},
		{
			name: "heroku health check unhealthy at poll 2", deployed: 25,
			setup: func(_ *fakeStack, h *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				h.fn = func(id string, call int) (HealthStatus, error) {
					if id == "hc-heroku-0002" && call == 2 {
						return unhealthy(id), nil
					}
					return healthy(id), nil
				}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantPolls: 2, wantCalls: rolledBackTo25, wantConfig: "25",
			wantOut: []string{
				`poll 2/20 health heroku hc-heroku-0002: 3/16 checkers report Success (e.g. "eu-west-1: Failure: HTTP Status Code 503, Service Unavailable"): UNHEALTHY`,
				"ROLLING BACK to 25: a gate failed at poll 2, 1m0s into the soak",
			},
			wantFind: []string{"health heroku hc-heroku-0002: 3/16 checkers report Success"},
		},
		{
			name: "preview with a replace is refused before up", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.preview = previewWith(PreviewStep{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "replace", ChangedPaths: []string{"domain"}})
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantCalls: refusedAt25To50, wantConfig: "25",
			wantOut: []string{
				`preview REFUSED: unexpected replace aws:ec2/eip:Eip ` + urnEIP + ` [domain]: a phase change never does "replace"`,
				`restoring config cutover:awsTrafficPercent to "25"`,
			},
			wantNotOut: []string{"up:"},
			wantFind:   []string{`unexpected replace aws:ec2/eip:Eip`},
		},
		{
			name: "preview with a create is refused before up", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.preview = previewWith(PreviewStep{URN: urnCheck, Type: "aws:route53/healthCheck:HealthCheck", Op: "create"})
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantCalls: refusedAt25To50, wantConfig: "25",
			wantFind: []string{`unexpected create aws:route53/healthCheck:HealthCheck ` + urnCheck + `: a phase change never does "create"`},
		},
		{
			name: "preview that misses the records is refused", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.preview = func(string) PreviewSummary {
					return PreviewSummary{Steps: []PreviewStep{{URN: urnStack, Type: TypeStack, Op: "same"}}}
				}
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantCalls: refusedAt25To50, wantConfig: "25",
			wantFind: []string{"missing: no update of aws:route53/record:Record"},
		},
		{
			name: "refusal on a fresh stack restores the unset key", deployed: 0,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				delete(s.config, ConfigPercentKey)
				delete(s.outputs, OutputPercent)
				s.preview = previewWith(PreviewStep{URN: urnRecordHk, Type: TypeRecord, Op: "delete"})
			},
			wantOutcome: OutcomeRefused, wantFinal: 0, wantConfig: "",
			wantCalls: []string{"set cutover:awsTrafficPercent=10", "preview", "remove cutover:awsTrafficPercent"},
			wantOut: []string{
				"deployed rung 0 (from the first rung (neither output nor config is set))",
				"restoring config cutover:awsTrafficPercent to unset",
			},
			wantFind: []string{`unexpected delete aws:route53/record:Record ` + urnRecordHk},
		},
		{
			name: "preview error restores the config and fails", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.previewErr = errors.New("preview: policy violation MIG-02")
			},
			wantErr:   "preview: policy violation MIG-02",
			wantCalls: refusedAt25To50, wantConfig: "25",
		},
		{
			name: "at 100 there is nothing to do", deployed: 100,
			wantOutcome: OutcomeNothingToDo, wantFinal: 100, wantConfig: "100",
			wantOut: []string{"already at the top rung 100: nothing to promote"},
		},
		{
			name: "dry run changes nothing", deployed: 25, opts: PromoteOptions{DryRun: true},
			wantOutcome: OutcomeDryRun, wantFinal: 25, wantConfig: "25",
			wantOut: []string{
				"dry run: nothing will be changed. Plan:",
				"1. set config cutover:awsTrafficPercent 25 -> 50 (aws weight 50, heroku weight 50)",
				"2. preview; refuse and restore the config unless it shows only update aws:route53/record:Record [weightedRoutingPolicies] (required), update heroku:formation/formation:Formation [quantity], update pulumi:pulumi:Stack",
				"4. soak 10m0s: 20 polls every 30s of health checks aws=hc-aws-0001, heroku=hc-heroku-0002 and gates 5xx ratio (cutover:api_5xx_ratio:rate5m) <= 0.0100, p99 latency (cutover:api_latency_p99_seconds:5m) <= 0.500s; a gate without a passing reading for more than 2m0s fails",
				"5. on a failing gate: set config cutover:awsTrafficPercent back to 25 and up",
			},
		},
		{
			name: "preflight refuses a rung that already fails", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if q == Query5xxRatio {
						return 0.05, nil
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantConfig: "25",
			wantOut:  []string{"preflight gate 5xx ratio 0.0500 > 0.0100 FAIL", "REFUSED: the gates do not pass at the current rung 25"},
			wantFind: []string{"gate 5xx ratio 0.0500 > 0.0100 FAIL"},
		},
		{
			name: "preflight refuses an unreachable Prometheus", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(string, int) (float64, error) { return 0, errors.New("connection refused") }
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantConfig: "25",
			wantFind: []string{"gate 5xx ratio: no reading: connection refused", "gate p99 latency: no reading: connection refused"},
		},
		{
			name: "preflight accepts no data before the first promotion", deployed: 0,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if call == 0 {
						return 0, ErrNoData
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomePromoted, wantFinal: 10, wantPolls: 20, wantConfig: "10",
			wantCalls: []string{"set cutover:awsTrafficPercent=10", "preview", "up"},
			wantOut:   []string{"preflight gate 5xx ratio: no data for cutover:api_5xx_ratio:rate5m"},
		},
		{
			name: "missing aws credentials stop before any change", deployed: 25,
			setup: func(_ *fakeStack, h *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				h.fn = func(string, int) (HealthStatus, error) {
					return HealthStatus{}, &ToolError{Command: "promote", Tool: "the AWS CLI (aws)", Problem: "with usable credentials"}
				}
			},
			wantErr: "cutover promote needs the AWS CLI (aws) with usable credentials", wantConfig: "25",
		},
		{
			name: "no data shortly after the update is tolerated", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if call >= 1 && call <= 4 { // 2 minutes of silence: exactly the grace
						return 0, ErrNoData
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomePromoted, wantFinal: 50, wantPolls: 20, wantCalls: promoteCalls50, wantConfig: "50",
			wantOut: []string{"poll 4/20 gate p99 latency: no data for cutover:api_latency_p99_seconds:5m"},
		},
		{
			name: "no data beyond the grace fails", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				m.fn = func(q string, call int) (float64, error) {
					if q == Query5xxRatio && call >= 1 {
						return 0, ErrNoData
					}
					return goodFigure(q), nil
				}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantPolls: 5, wantCalls: rolledBackTo25, wantConfig: "25",
			wantFind: []string{"5xx ratio: no passing reading for 2m30s (grace 2m0s): no data"},
		},
		{
			name: "a soak shorter than the grace still needs a passing reading", deployed: 25,
			opts: PromoteOptions{Soak: time.Minute, Interval: 30 * time.Second, NoDataGrace: 5 * time.Minute},
			setup: func(_ *fakeStack, h *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				h.fn = func(id string, call int) (HealthStatus, error) {
					if id == "hc-aws-0001" && call >= 1 {
						return HealthStatus{}, errors.New("health check hc-aws-0001: no checker has reported yet")
					}
					return healthy(id), nil
				}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantPolls: 2, wantCalls: rolledBackTo25, wantConfig: "25",
			wantFind: []string{"health aws: no passing reading during the whole soak"},
		},
		{
			name: "soak not a multiple of the interval", deployed: 25,
			opts:        PromoteOptions{Soak: 100 * time.Second, Interval: 30 * time.Second},
			wantOutcome: OutcomePromoted, wantFinal: 50, wantPolls: 4, wantCalls: promoteCalls50, wantConfig: "50",
			wantOut: []string{"[12:01:40] poll 4/4 gate 5xx ratio 0.0031 <= 0.0100 ok"},
		},
		{
			name: "failed up rolls back", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.upErr = map[int]error{1: errors.New("updating urn:...traffic-record-aws: InvalidChangeBatch")}
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantCalls: rolledBackTo25, wantConfig: "25",
			wantOut:  []string{"up FAILED: updating urn:...traffic-record-aws: InvalidChangeBatch", "ROLLING BACK to 25: the update failed"},
			wantFind: []string{"InvalidChangeBatch"},
		},
		{
			name: "up that does not deploy the rung rolls back", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.upIgnoresConfig = true
			},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantCalls: rolledBackTo25, wantConfig: "25",
			wantOut:  []string{"up FAILED: after up the stack output awsTrafficPercent is 25, want 50", "ROLLING BACK to 25: the update did not deploy the new rung"},
			wantFind: []string{"after up the stack output awsTrafficPercent is 25, want 50"},
		},
		{
			name: "failed rollback is an error that says what to run", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, m *fakeMetrics, _ *fakeClock) {
				s.upErr = map[int]error{2: errors.New("conflict: another update is in progress")}
				m.fn = func(q string, call int) (float64, error) {
					if q == Query5xxRatio && call == 1 {
						return 0.2, nil
					}
					return goodFigure(q), nil
				}
			},
			wantErr:   "automatic rollback to 25 failed (a gate failed at poll 1, 30s into the soak); config says 25 but the deployment may still be at 50: run cutover rollback --stack production --to 25 or pulumi up: conflict",
			wantCalls: rolledBackTo25, wantConfig: "25",
		},
		{
			name: "interrupted soak leaves the new rung and says how to undo", deployed: 25,
			setup: func(_ *fakeStack, _ *fakeHealth, _ *fakeMetrics, c *fakeClock) {
				c.cancelAt = 4
			},
			wantOutcome: OutcomeInterrupted, wantFinal: 50, wantPolls: 3, wantCalls: promoteCalls50, wantConfig: "50",
			wantOut: []string{"soak interrupted after 3 polls (context canceled); the stack stays at 50: run cutover rollback --stack production to undo"},
		},
		{
			name: "deployed value off the ladder", deployed: 30,
			wantErr:    "deployed awsTrafficPercent 30 is not a rung of the ladder 0 10 25 50 100",
			wantConfig: "30",
		},
		{
			name: "custom ladder from config", deployed: 5,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				s.config[ConfigPhasesKey] = "[0,5,100]"
			},
			opts:        PromoteOptions{Soak: time.Minute},
			wantOutcome: OutcomePromoted, wantFinal: 100, wantPolls: 2, wantConfig: "100",
			wantCalls: []string{"set cutover:awsTrafficPercent=100", "preview", "up"},
			wantOut:   []string{"ladder 0 [5] 100"},
		},
		{
			name: "no health check output refuses", deployed: 25,
			setup: func(s *fakeStack, _ *fakeHealth, _ *fakeMetrics, _ *fakeClock) {
				delete(s.outputs, OutputHealthCheckIDs)
			},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantConfig: "25",
			wantOut: []string{"REFUSED: the stack has no healthCheckIds output"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stack, health, metrics, clock := newFakeStack(tc.deployed), &fakeHealth{}, &fakeMetrics{}, newFakeClock()
			if tc.setup != nil {
				tc.setup(stack, health, metrics, clock)
			}
			var out bytes.Buffer
			opts := tc.opts
			opts.StackName = "production"
			res, err := Promote(context.Background(), opts, Deps{Stack: stack, Health: health, Metrics: metrics, Clock: clock, Out: &out})
			if testing.Verbose() {
				t.Logf("promote log:\n%s", out.String()) // `go test -v -run TestPromote/...` shows a whole run
			}
			calls, percent, _ := stack.snapshot()
			assert.Equal(t, tc.wantCalls, calls, "stack calls")
			assert.Equal(t, tc.wantConfig, percent, "final %s", ConfigPercentKey)
			for _, w := range tc.wantOut {
				assert.Contains(t, out.String(), w)
			}
			for _, w := range tc.wantNotOut {
				assert.NotContains(t, out.String(), w)
			}
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err, "output:\n%s", out.String())
			assert.Equal(t, tc.wantOutcome, res.Outcome, "output:\n%s", out.String())
			assert.Equal(t, tc.deployed, res.From)
			assert.Equal(t, tc.wantFinal, res.Final)
			assert.Equal(t, tc.wantPolls, res.Polls)
			assert.Equal(t, len(tc.wantFind), len(res.Findings), "findings: %v", res.Findings)
			for i, w := range tc.wantFind {
				if i < len(res.Findings) {
					assert.Contains(t, res.Findings[i], w)
				}
			}
			if res.Outcome == OutcomePromoted {
				// The soak slept its whole window and no longer.
				var slept time.Duration
				for _, d := range clock.sleeps {
					slept += d
				}
				soak := tc.opts.withDefaults().Soak
				assert.Equal(t, soak, slept)
			}
		})
	}
}

func TestPromoteValidatesOptions(t *testing.T) {
	t.Parallel()
	_, err := Promote(context.Background(), PromoteOptions{
		Soak: -time.Minute, Interval: -time.Second, NoDataGrace: -time.Second,
		Gates: []MetricGate{{Name: "bad", Query: "", Max: -1}},
	}, Deps{Stack: newFakeStack(25), Health: &fakeHealth{}, Metrics: &fakeMetrics{}})
	require.Error(t, err)
	for _, w := range []string{
		"soak -1m0s is not valid: must be > 0",
		"interval -1s is not valid: must be > 0",
		"no-data grace -1s is not valid: must be >= 0",
		`metric gate "bad": Query is empty`,
		`metric gate "bad": Max -1 is not valid: must be a number >= 0`,
	} {
		assert.Contains(t, err.Error(), w)
	}
}

func intPtr(v int) *int { return &v }

func TestRollback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		deployed    int
		setup       func(s *fakeStack)
		opts        RollbackOptions
		wantErr     string
		wantOutcome Outcome
		wantFinal   int
		wantCalls   []string
		wantConfig  string
		wantOut     []string
	}{
		{
			name: "one rung down", deployed: 50,
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantConfig: "25",
			wantCalls: []string{"set cutover:awsTrafficPercent=25", "preview", "up"},
			wantOut:   []string{"set config cutover:awsTrafficPercent 50 -> 25 (aws weight 25, heroku weight 75)", "ROLLED BACK to 25 (aws weight 25, heroku weight 75)"},
		},
		{
			name: "to 0 at once", deployed: 100, opts: RollbackOptions{To: intPtr(0)},
			wantOutcome: OutcomeRolledBack, wantFinal: 0, wantConfig: "0",
			wantCalls: []string{"set cutover:awsTrafficPercent=0", "preview", "up"},
			wantOut:   []string{"ROLLED BACK to 0 (aws weight 0, heroku weight 100)"},
		},
		{
			name: "to a value off the ladder", deployed: 50, opts: RollbackOptions{To: intPtr(30)},
			wantOutcome: OutcomeRefused, wantFinal: 50, wantConfig: "50",
			wantOut: []string{"REFUSED: --to 30 is not a rung of the ladder 0 10 25 50 100"},
		},
		{
			name: "to a higher rung", deployed: 25, opts: RollbackOptions{To: intPtr(50)},
			wantOutcome: OutcomeRefused, wantFinal: 25, wantConfig: "25",
			wantOut: []string{"REFUSED: --to 50 is above the deployed rung 25: rollback only moves down; use cutover promote"},
		},
		{
			name: "at the bottom", deployed: 0,
			wantOutcome: OutcomeNothingToDo, wantFinal: 0, wantConfig: "0",
			wantOut: []string{"already at rung 0: nothing to roll back"},
		},
		{
			name: "to the current rung", deployed: 25, opts: RollbackOptions{To: intPtr(25)},
			wantOutcome: OutcomeNothingToDo, wantFinal: 25, wantConfig: "25",
		},
		{
			name: "off-ladder deployment needs --to", deployed: 30,
			wantOutcome: OutcomeRefused, wantFinal: 30, wantConfig: "30",
			wantOut: []string{"REFUSED: the deployed rung 30 is not on the ladder 0 10 25 50 100: name the target with --to"},
		},
		{
			name: "off-ladder deployment with --to", deployed: 30, opts: RollbackOptions{To: intPtr(25)},
			wantOutcome: OutcomeRolledBack, wantFinal: 25, wantConfig: "25",
			wantCalls: []string{"set cutover:awsTrafficPercent=25", "preview", "up"},
		},
		{
			name: "dry run changes nothing", deployed: 50, opts: RollbackOptions{DryRun: true},
			wantOutcome: OutcomeDryRun, wantFinal: 50, wantConfig: "50",
			wantOut: []string{"dry run: nothing will be changed. Plan:", "1. set config cutover:awsTrafficPercent 50 -> 25"},
		},
		{
			name: "unexpected delete is refused and the config restored", deployed: 50,
			setup: func(s *fakeStack) {
				s.preview = previewWith(PreviewStep{URN: urnRecordHk, Type: TypeRecord, Op: "delete"})
			},
			wantOutcome: OutcomeRefused, wantFinal: 50, wantConfig: "50",
			wantCalls: []string{"set cutover:awsTrafficPercent=25", "preview", "set cutover:awsTrafficPercent=50"},
			wantOut:   []string{`preview REFUSED: unexpected delete aws:route53/record:Record ` + urnRecordHk},
		},
		{
			name: "failed up is an error", deployed: 50,
			setup: func(s *fakeStack) {
				s.upErr = map[int]error{1: errors.New("throttled")}
			},
			wantErr:    "rollback to 25: config says 25, the deployment may be partly applied: re-run the rollback or pulumi up: throttled",
			wantCalls:  []string{"set cutover:awsTrafficPercent=25", "preview", "up"},
			wantConfig: "25",
		},
		{
			name: "broken ladder config", deployed: 50,
			setup: func(s *fakeStack) {
				s.config[ConfigPhasesKey] = "[10,50,100]"
			},
			wantErr:    "the first rung must be 0, got 10",
			wantConfig: "50",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stack := newFakeStack(tc.deployed)
			if tc.setup != nil {
				tc.setup(stack)
			}
			var out bytes.Buffer
			opts := tc.opts
			opts.StackName = "production"
			res, err := Rollback(context.Background(), opts, Deps{Stack: stack, Clock: newFakeClock(), Out: &out})
			calls, percent, _ := stack.snapshot()
			assert.Equal(t, tc.wantCalls, calls, "stack calls")
			assert.Equal(t, tc.wantConfig, percent)
			for _, w := range tc.wantOut {
				assert.Contains(t, out.String(), w)
			}
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantOutcome, res.Outcome, "output:\n%s", out.String())
			assert.Equal(t, tc.wantFinal, res.Final)
		})
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	stack := newFakeStack(25)
	stack.config[ConfigPercentKey] = "50" // edited but not applied
	health := &fakeHealth{fn: func(id string, _ int) (HealthStatus, error) {
		if id == "hc-heroku-0002" {
			return unhealthy(id), nil
		}
		return healthy(id), nil
	}}
	metrics := &fakeMetrics{fn: func(q string, _ int) (float64, error) {
		if q == QueryLatencyP99 {
			return 0, fmt.Errorf("wrapped: %w", ErrNoData)
		}
		return 0.0031, nil
	}}
	var out bytes.Buffer
	rep, err := Status(context.Background(), StatusOptions{StackName: "production"},
		Deps{Stack: stack, Health: health, Metrics: metrics, Clock: newFakeClock(), Out: &out})
	require.NoError(t, err)
	assert.Equal(t, 25, rep.Deployed)
	assert.Equal(t, "50", rep.Config)
	assert.Equal(t, 25, rep.AWSWeight)
	assert.Equal(t, 75, rep.HerokuWeight)
	assert.Empty(t, rep.ToolErrors)
	assert.Equal(t, []string{
		"health aws hc-aws-0001: 16/16 checkers report Success: healthy",
		`health heroku hc-heroku-0002: 3/16 checkers report Success (e.g. "eu-west-1: Failure: HTTP Status Code 503, Service Unavailable"): UNHEALTHY`,
		"gate 5xx ratio 0.0031 <= 0.0100 ok",
		"gate p99 latency: no data for cutover:api_latency_p99_seconds:5m",
	}, rep.Lines)
	for _, w := range []string{
		"stack production: deployed rung 25 (from output awsTrafficPercent); ladder 0 10 [25] 50 100",
		`note: config cutover:awsTrafficPercent is "50" but the deployed rung is 25; moves start from the deployed rung`,
		"weights: aws 25, heroku 75 (stack outputs)",
		"next rung: 50 (cutover promote)",
		"previous rung: 10 (cutover rollback)",
	} {
		assert.Contains(t, out.String(), w)
	}
	calls, _, _ := stack.snapshot()
	assert.Empty(t, calls, "status changes nothing")
}

func TestStatusWithoutSources(t *testing.T) {
	t.Parallel()
	stack := newFakeStack(100)
	delete(stack.outputs, OutputAWSWeight)
	delete(stack.outputs, OutputHealthCheckIDs)
	var out bytes.Buffer
	rep, err := Status(context.Background(), StatusOptions{StackName: "dev"}, Deps{Stack: stack, Clock: newFakeClock(), Out: &out})
	require.NoError(t, err)
	assert.Empty(t, rep.Lines)
	assert.Equal(t, 100, rep.AWSWeight)
	assert.Equal(t, 0, rep.HerokuWeight)
	assert.Contains(t, out.String(), "weights: aws 100, heroku 0 (computed from the rung)")
	assert.Contains(t, out.String(), "health checks: the stack has no healthCheckIds output")
	assert.NotContains(t, out.String(), "next rung")
	assert.True(t, strings.HasPrefix(out.String(), "[12:00:00] "))
}
