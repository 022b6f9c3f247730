package rollout

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Exit codes of status, promote and rollback.
const (
	ExitOK = 0
	// ExitFailed: rolled back, refused, interrupted, or an operation failed.
	ExitFailed = 1
	// ExitUsage: bad flags, or a missing tool or credentials (nothing was changed).
	ExitUsage = 2
)

// PrometheusURLEnv overrides the default of --prometheus-url.
const PrometheusURLEnv = "CUTOVER_PROMETHEUS_URL"

// Env is what the command functions take from the process; tests replace every part.
type Env struct {
	LookPath   LookPathFunc
	Getenv     func(string) string
	Clock      Clock
	NewRunner  func(ctx context.Context, cfg RunnerConfig) (StackRunner, error)
	NewHealth  func(cfg HealthConfig) (HealthSource, error)
	NewMetrics func(baseURL string) (MetricsSource, error)
}

// DefaultEnv uses the real pulumi and aws CLIs, Prometheus over HTTP and the wall clock.
func DefaultEnv() Env {
	return Env{
		LookPath:  exec.LookPath,
		Getenv:    os.Getenv,
		Clock:     RealClock(),
		NewRunner: NewAutoRunner,
		NewHealth: func(cfg HealthConfig) (HealthSource, error) {
			h, err := NewAWSCLIHealth(cfg)
			if err != nil {
				return nil, err
			}
			return h, nil
		},
		NewMetrics: func(baseURL string) (MetricsSource, error) {
			p, err := NewPrometheus(baseURL, nil)
			if err != nil {
				return nil, err
			}
			return p, nil
		},
	}
}

// newFlagSet returns a flag set that prints "usage: cutover <command> <synopsis>" and the flags.
func newFlagSet(command, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cutover %s %s\n", command, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// commonFlags are shared by the three commands.
type commonFlags struct {
	stack, projectDir string
	policyPack        string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.stack, "stack", "", "stack name (required)")
	fs.StringVar(&c.projectDir, "project-dir", ".", "directory holding Pulumi.yaml")
	fs.StringVar(&c.policyPack, "policy-pack", "", "policy pack (directory or prebuilt binary) run with every preview and update; default <project-dir>/policies when present, \"none\" to skip")
}

// runnerConfig is the stack runner's configuration for these flags.
func (c *commonFlags) runnerConfig(command string, stdout io.Writer, env Env) RunnerConfig {
	return RunnerConfig{
		Command: command, Stack: c.stack, ProjectDir: c.projectDir, Progress: stdout, LookPath: env.LookPath,
		PolicyPacks: c.policyPacks(),
	}
}

// policyPacks resolves --policy-pack: the project's own pack unless told otherwise, so a promote
// or rollback is held to the same rules as `pulumi preview --policy-pack policies` in CI.
func (c *commonFlags) policyPacks() []string {
	switch c.policyPack {
	case "none":
		return nil
	case "":
		def := filepath.Join(c.projectDir, "policies")
		if _, err := os.Stat(filepath.Join(def, "PulumiPolicy.yaml")); err == nil {
			return []string{def}
		}
		return nil
	default:
		return []string{c.policyPack}
	}
}

// gateFlags are the metric gate settings of status and promote.
type gateFlags struct {
	prometheusURL string
	max5xx        float64
	maxP99        time.Duration
}

func (g *gateFlags) register(fs *flag.FlagSet, env Env) {
	def := DefaultPrometheusURL
	if v := env.Getenv(PrometheusURLEnv); v != "" {
		def = v
	}
	fs.StringVar(&g.prometheusURL, "prometheus-url", def, "Prometheus base URL (env "+PrometheusURLEnv+")")
	fs.Float64Var(&g.max5xx, "max-5xx-ratio", DefaultMax5xxRatio, "highest passing API 5xx ratio ("+Query5xxRatio+")")
	fs.DurationVar(&g.maxP99, "max-p99", time.Duration(DefaultMaxP99Seconds*float64(time.Second)), "highest passing API p99 latency ("+QueryLatencyP99+")")
}

func (g gateFlags) gates() ([]MetricGate, error) {
	if g.max5xx < 0 || g.max5xx > 1 {
		return nil, fmt.Errorf("--max-5xx-ratio %v is not valid: must be between 0 and 1", g.max5xx)
	}
	if g.maxP99 <= 0 {
		return nil, fmt.Errorf("--max-p99 %s is not valid: must be a positive duration such as 500ms", g.maxP99)
	}
	gates := DefaultMetricGates()
	gates[0].Max = g.max5xx
	gates[1].Max = g.maxP99.Seconds()
	return gates, nil
}

// parse parses args, rejecting positional arguments and a missing --stack. It returns the exit
// code to use when parsing did not succeed.
func parse(fs *flag.FlagSet, args []string, common *commonFlags) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		return ExitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "cutover %s: unexpected arguments %q\n", fs.Name(), fs.Args())
		fs.Usage()
		return ExitUsage, false
	}
	if common.stack == "" {
		fmt.Fprintf(fs.Output(), "cutover %s: --stack is required\n", fs.Name())
		fs.Usage()
		return ExitUsage, false
	}
	return 0, true
}

// usageExit prints a flag value error.
func usageExit(stderr io.Writer, command string, err error) int {
	fmt.Fprintf(stderr, "cutover %s: %v\n", command, err)
	return ExitUsage
}

// errorExit prints err and maps it to an exit code.
func errorExit(stderr io.Writer, command string, err error) int {
	fmt.Fprintf(stderr, "cutover %s: %v\n", command, err)
	var toolErr *ToolError
	if errors.As(err, &toolErr) {
		return ExitUsage
	}
	return ExitFailed
}

func resultExit(stdout io.Writer, res Result) int {
	switch res.Outcome {
	case OutcomePromoted, OutcomeNothingToDo, OutcomeDryRun:
		fmt.Fprintf(stdout, "result: %s (from %d to %d, now at %d)\n", res.Outcome, res.From, res.To, res.Final)
		return ExitOK
	default:
		fmt.Fprintf(stdout, "result: %s (from %d, aimed at %d, now at %d): %s\n", res.Outcome, res.From, res.To, res.Final, res.Reason)
		for _, f := range res.Findings {
			fmt.Fprintf(stdout, "  - %s\n", f)
		}
		return ExitFailed
	}
}

// RunStatus implements `cutover status`.
func RunStatus(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) int {
	const command = "status"
	fs := newFlagSet(command, "--stack NAME [flags]: show the rung, weights, health checks and gate figures", stderr)
	var common commonFlags
	var gf gateFlags
	common.register(fs)
	gf.register(fs, env)
	if code, ok := parse(fs, args, &common); !ok {
		return code
	}
	gates, err := gf.gates()
	if err != nil {
		return usageExit(stderr, command, err)
	}
	metrics, err := env.NewMetrics(gf.prometheusURL)
	if err != nil {
		return usageExit(stderr, command, err)
	}
	runner, err := env.NewRunner(ctx, common.runnerConfig(command, stdout, env))
	if err != nil {
		return errorExit(stderr, command, err)
	}
	deps := Deps{Stack: runner, Metrics: metrics, Clock: env.Clock, Out: stdout}
	// Status shows what it can: without the aws CLI it still shows the rung and weights.
	var setupErrs []error
	if deps.Health, err = env.NewHealth(HealthConfig{Command: command, LookPath: env.LookPath}); err != nil {
		setupErrs = append(setupErrs, err)
	}
	rep, err := Status(ctx, StatusOptions{StackName: common.stack, Gates: gates}, deps)
	if err != nil {
		return errorExit(stderr, command, err)
	}
	setupErrs = append(setupErrs, rep.ToolErrors...)
	if len(setupErrs) > 0 {
		return errorExit(stderr, command, errors.Join(setupErrs...))
	}
	return ExitOK
}

// RunPromote implements `cutover promote`.
func RunPromote(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) int {
	const command = "promote"
	fs := newFlagSet(command, "--stack NAME [flags]: move one rung up, soak, and roll back on a failing gate", stderr)
	var common commonFlags
	var gf gateFlags
	common.register(fs)
	gf.register(fs, env)
	soak := fs.Duration("soak", DefaultSoak, "how long to watch the gates after the update")
	interval := fs.Duration("interval", DefaultInterval, "time between gate polls during the soak")
	grace := fs.Duration("no-data-grace", DefaultNoDataGrace, "how long a gate may go without a passing reading before it fails")
	dryRun := fs.Bool("dry-run", false, "print what would happen without changing anything")
	if code, ok := parse(fs, args, &common); !ok {
		return code
	}
	var errs []error
	if *soak <= 0 {
		errs = append(errs, fmt.Errorf("--soak %s is not valid: must be > 0", *soak))
	}
	if *interval <= 0 {
		errs = append(errs, fmt.Errorf("--interval %s is not valid: must be > 0", *interval))
	}
	if *grace < 0 {
		errs = append(errs, fmt.Errorf("--no-data-grace %s is not valid: must be >= 0", *grace))
	}
	gates, err := gf.gates()
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return usageExit(stderr, command, err)
	}
	metrics, err := env.NewMetrics(gf.prometheusURL)
	if err != nil {
		return usageExit(stderr, command, err)
	}
	runner, err := env.NewRunner(ctx, common.runnerConfig(command, stdout, env))
	if err != nil {
		return errorExit(stderr, command, err)
	}
	health, err := env.NewHealth(HealthConfig{Command: command, LookPath: env.LookPath})
	if err != nil {
		return errorExit(stderr, command, err)
	}
	res, err := Promote(ctx, PromoteOptions{
		StackName:   common.stack,
		Soak:        *soak,
		Interval:    *interval,
		NoDataGrace: *grace,
		Gates:       gates,
		DryRun:      *dryRun,
	}, Deps{Stack: runner, Health: health, Metrics: metrics, Clock: env.Clock, Out: stdout})
	if err != nil {
		return errorExit(stderr, command, err)
	}
	return resultExit(stdout, res)
}

// intFlag is an int flag that remembers whether it was given, so --to 0 differs from no --to.
type intFlag struct {
	value *int
}

func (f *intFlag) String() string {
	if f.value == nil {
		return ""
	}
	return strconv.Itoa(*f.value)
}

func (f *intFlag) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not an integer percentage", s)
	}
	f.value = &v
	return nil
}

// RunRollback implements `cutover rollback`.
func RunRollback(ctx context.Context, args []string, stdout, stderr io.Writer, env Env) int {
	const command = "rollback"
	fs := newFlagSet(command, "--stack NAME [--to N] [flags]: move one rung down, or to rung N", stderr)
	var common commonFlags
	common.register(fs)
	var to intFlag
	fs.Var(&to, "to", "target rung (default: one rung below the deployed one)")
	dryRun := fs.Bool("dry-run", false, "print what would happen without changing anything")
	if code, ok := parse(fs, args, &common); !ok {
		return code
	}
	runner, err := env.NewRunner(ctx, common.runnerConfig(command, stdout, env))
	if err != nil {
		return errorExit(stderr, command, err)
	}
	res, err := Rollback(ctx, RollbackOptions{StackName: common.stack, To: to.value, DryRun: *dryRun},
		Deps{Stack: runner, Clock: env.Clock, Out: stdout})
	if err != nil {
		return errorExit(stderr, command, err)
	}
	// A rollback that happened is what the operator asked for: exit 0.
	if res.Outcome == OutcomeRolledBack {
		fmt.Fprintf(stdout, "result: %s (from %d to %d)\n", res.Outcome, res.From, res.Final)
		return ExitOK
	}
	return resultExit(stdout, res)
}
