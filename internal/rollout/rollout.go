package rollout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Deps are the outside world of promote, rollback and status.
type Deps struct {
	Stack StackRunner
	// Health and Metrics feed the gates; rollback does not use them.
	Health  HealthSource
	Metrics MetricsSource
	// Clock defaults to the wall clock.
	Clock Clock
	// Out receives progress and decisions; nil discards them.
	Out io.Writer
}

// Outcome is how a command ended.
type Outcome string

const (
	OutcomePromoted    Outcome = "promoted"
	OutcomeRolledBack  Outcome = "rolled back"
	OutcomeRefused     Outcome = "refused"
	OutcomeNothingToDo Outcome = "nothing to do"
	OutcomeDryRun      Outcome = "dry run"
	// OutcomeInterrupted means the soak was cut short; the stack stays on the new rung.
	OutcomeInterrupted Outcome = "interrupted"
)

// Result reports what promote or rollback did.
type Result struct {
	Outcome Outcome
	// From is the deployed rung at the start, To the rung the command aimed for, Final the rung
	// the stack is configured and deployed at in the end.
	From, To, Final int
	// Reason says why the command refused, rolled back or stopped; empty on success.
	Reason string
	// Findings are the figures or preview steps behind Reason, one per line.
	Findings []string
	// Polls is the number of soak polls made.
	Polls int
}

// PromoteOptions configure Promote. Zero durations take the defaults.
type PromoteOptions struct {
	// StackName is used in messages (the commands to run next).
	StackName string
	// Soak is how long the gates are watched after the update; default 10 minutes.
	Soak time.Duration
	// Interval is the time between polls; default 30 seconds.
	Interval time.Duration
	// NoDataGrace is how long a gate may go without a passing reading before it fails;
	// default 2 minutes.
	NoDataGrace time.Duration
	// Gates are the metric gates; nil means DefaultMetricGates().
	Gates []MetricGate
	// Expected are the allowed preview changes; nil means DefaultExpectedChanges().
	Expected []ExpectedChange
	// DryRun reads the stack and the gates and prints the plan without changing anything.
	DryRun bool
}

const (
	DefaultSoak        = 10 * time.Minute
	DefaultInterval    = 30 * time.Second
	DefaultNoDataGrace = 2 * time.Minute
)

func (o PromoteOptions) withDefaults() PromoteOptions {
	if o.Soak == 0 {
		o.Soak = DefaultSoak
	}
	if o.Interval == 0 {
		o.Interval = DefaultInterval
	}
	if o.NoDataGrace == 0 {
		o.NoDataGrace = DefaultNoDataGrace
	}
	if o.Gates == nil {
		o.Gates = DefaultMetricGates()
	}
	if o.Expected == nil {
		o.Expected = DefaultExpectedChanges()
	}
	return o
}

func (o PromoteOptions) validate() error {
	var errs []error
	if o.Soak < 0 {
		errs = append(errs, fmt.Errorf("soak %s is not valid: must be > 0", o.Soak))
	}
	if o.Interval < 0 {
		errs = append(errs, fmt.Errorf("interval %s is not valid: must be > 0", o.Interval))
	}
	if o.NoDataGrace < 0 {
		errs = append(errs, fmt.Errorf("no-data grace %s is not valid: must be >= 0", o.NoDataGrace))
	}
	for _, g := range o.Gates {
		errs = append(errs, g.validate())
	}
	return errors.Join(errs...)
}

// RollbackOptions configure Rollback.
type RollbackOptions struct {
	StackName string
	// To is the target rung; nil means one rung below the deployed one.
	To *int
	// Expected are the allowed preview changes; nil means DefaultExpectedChanges().
	Expected []ExpectedChange
	DryRun   bool
}

// StatusOptions configure Status.
type StatusOptions struct {
	StackName string
	// Gates are the metric gates shown; nil means DefaultMetricGates().
	Gates []MetricGate
}

// logger prefixes every line with the time, so a log read after an automatic rollback shows
// when each figure was seen.
type logger struct {
	w     io.Writer
	clock Clock
}

func (l logger) logf(format string, args ...any) {
	fmt.Fprintf(l.w, "[%s] %s\n", l.clock.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (d Deps) withDefaults() Deps {
	if d.Clock == nil {
		d.Clock = RealClock()
	}
	if d.Out == nil {
		d.Out = io.Discard
	}
	return d
}

// stackState is what the commands read from the stack before deciding anything.
type stackState struct {
	ladder Ladder
	// deployed is the current rung; deployedFrom says where it came from.
	deployed     int
	deployedFrom string
	// configRaw is the stored cutover:awsTrafficPercent (configSet false when unset), kept to
	// restore it exactly when a preview is refused.
	configRaw string
	configSet bool
	outputs   map[string]any
	healthIDs map[string]string
}

func readState(ctx context.Context, runner StackRunner) (stackState, error) {
	var st stackState
	outputs, err := runner.Outputs(ctx)
	if err != nil {
		return st, err
	}
	st.outputs = outputs

	st.ladder = DefaultLadder()
	rawPhases, err := runner.GetConfig(ctx, ConfigPhasesKey)
	switch {
	case errors.Is(err, ErrConfigNotSet):
	case err != nil:
		return st, err
	default:
		if st.ladder, err = ParseLadder(rawPhases); err != nil {
			return st, err
		}
	}

	st.configRaw, err = runner.GetConfig(ctx, ConfigPercentKey)
	switch {
	case errors.Is(err, ErrConfigNotSet):
	case err != nil:
		return st, err
	default:
		st.configSet = true
	}

	// The deployed output is the truth: config may have been edited without an update.
	if v, ok := outputs[OutputPercent]; ok {
		p, ok := intFromAny(v)
		if !ok {
			return st, fmt.Errorf("stack output %s is %v: not an integer percentage", OutputPercent, v)
		}
		st.deployed, st.deployedFrom = p, "output "+OutputPercent
	} else if st.configSet {
		p, ok := intFromAny(st.configRaw)
		if !ok {
			return st, fmt.Errorf("config %s is %q: not an integer percentage", ConfigPercentKey, st.configRaw)
		}
		st.deployed, st.deployedFrom = p, "config "+ConfigPercentKey+" (the stack has no "+OutputPercent+" output yet)"
	} else {
		st.deployed, st.deployedFrom = st.ladder[0], "the first rung (neither output nor config is set)"
	}

	if raw, ok := outputs[OutputHealthCheckIDs]; ok {
		m, ok := raw.(map[string]any)
		if !ok {
			return st, fmt.Errorf("stack output %s is %T: want a map of side to health check ID", OutputHealthCheckIDs, raw)
		}
		st.healthIDs = map[string]string{}
		for side, id := range m {
			s, ok := id.(string)
			if !ok || s == "" {
				return st, fmt.Errorf("stack output %s[%q] is %v: want a health check ID", OutputHealthCheckIDs, side, id)
			}
			st.healthIDs[side] = s
		}
	}
	return st, nil
}

func (st stackState) describe(l logger, stackName string) {
	l.logf("stack %s: deployed rung %d (from %s); ladder %s", stackName, st.deployed, st.deployedFrom, st.ladder.Render(st.deployed))
	if st.configSet && st.configRaw != strconv.Itoa(st.deployed) {
		l.logf("note: config %s is %q but the deployed rung is %d; moves start from the deployed rung", ConfigPercentKey, st.configRaw, st.deployed)
	}
}

func weights(p int) string { return fmt.Sprintf("aws weight %d, heroku weight %d", p, 100-p) }

// mover holds what promote and rollback share: setting the knob, checking the preview,
// applying, and undoing.
type mover struct {
	deps      Deps
	log       logger
	st        stackState
	stackName string
	expected  []ExpectedChange
}

// logMoveSteps prints the steps a dry run of a move to target shares between promote and
// rollback: the config change, the preview check and the update.
func (m mover) logMoveSteps(target int) {
	m.log.logf("dry run: nothing will be changed. Plan:")
	m.log.logf("  1. set config %s %d -> %d (%s)", ConfigPercentKey, m.st.deployed, target, weights(target))
	m.log.logf("  2. preview; refuse and restore the config unless it shows only %s", describeExpected(m.expected))
	m.log.logf("  3. up")
}

// setRefused sets the rung and previews it; when the preview shows changes a phase change must
// not make, it marks res refused (setAndVerify has restored the config) and reports true.
func (m mover) setRefused(ctx context.Context, target int, res *Result) (bool, error) {
	findings, err := m.setAndVerify(ctx, target)
	if err != nil {
		return false, err
	}
	if findings != nil {
		res.Outcome, res.Reason, res.Findings = OutcomeRefused, "the preview shows changes a phase change must not make", findings
		return true, nil
	}
	return false, nil
}

// restoreConfig puts cutover:awsTrafficPercent back exactly as it was before the command.
func (m mover) restoreConfig(ctx context.Context) error {
	if m.st.configSet {
		m.log.logf("restoring config %s to %q", ConfigPercentKey, m.st.configRaw)
		return m.deps.Stack.SetConfig(ctx, ConfigPercentKey, m.st.configRaw)
	}
	m.log.logf("restoring config %s to unset", ConfigPercentKey)
	return m.deps.Stack.RemoveConfig(ctx, ConfigPercentKey)
}

// setAndVerify sets the knob to target and previews. It returns the refusal findings (config
// already restored) or an error; both nil means the preview showed only expected changes.
func (m mover) setAndVerify(ctx context.Context, target int) ([]string, error) {
	m.log.logf("set config %s %d -> %d (%s)", ConfigPercentKey, m.st.deployed, target, weights(target))
	if err := m.deps.Stack.SetConfig(ctx, ConfigPercentKey, strconv.Itoa(target)); err != nil {
		return nil, err
	}
	m.log.logf("preview: checking it changes only %s", describeExpected(m.expected))
	sum, err := m.deps.Stack.Preview(ctx)
	if err != nil {
		if rerr := m.restoreConfig(ctx); rerr != nil {
			return nil, errors.Join(err, fmt.Errorf("restoring %s failed too, set it back by hand: %w", ConfigPercentKey, rerr))
		}
		return nil, err
	}
	verdict := CheckPreview(sum, m.expected)
	for _, step := range verdict.Expected {
		m.log.logf("preview: expected %s", step)
	}
	if verdict.OK() {
		m.log.logf("preview ok: %d expected update(s), nothing else", len(verdict.Expected))
		return nil, nil
	}
	problems := verdict.Problems()
	for _, p := range problems {
		m.log.logf("preview REFUSED: %s", p)
	}
	if err := m.restoreConfig(ctx); err != nil {
		return problems, fmt.Errorf("preview refused, and restoring %s failed: set it back by hand: %w", ConfigPercentKey, err)
	}
	return problems, nil
}

// up applies the config and checks the deployed output says target. A mismatch is returned as
// a finding, not an error: it means the update did not do what was asked.
func (m mover) up(ctx context.Context, target int) (string, error) {
	m.log.logf("up: applying %s=%d", ConfigPercentKey, target)
	sum, err := m.deps.Stack.Up(ctx)
	if err != nil {
		return "", err
	}
	m.log.logf("up done: result %s, changes %s", orDash(sum.Result), formatChanges(sum.Changes))
	if v, ok := sum.Outputs[OutputPercent]; ok {
		if p, ok := intFromAny(v); !ok || p != target {
			return fmt.Sprintf("after up the stack output %s is %v, want %d", OutputPercent, v, target), nil
		}
	}
	return "", nil
}

func describeExpected(expected []ExpectedChange) string {
	parts := make([]string, len(expected))
	for i, e := range expected {
		parts[i] = "update " + e.Type
		if len(e.Paths) > 0 {
			parts[i] += " [" + strings.Join(e.Paths, ", ") + "]"
		}
		if e.Required {
			parts[i] += " (required)"
		}
	}
	return strings.Join(parts, ", ")
}

func formatChanges(changes map[string]int) string {
	if len(changes) == 0 {
		return "-"
	}
	ops := make([]string, 0, len(changes))
	for op := range changes {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	for i, op := range ops {
		ops[i] = fmt.Sprintf("%s=%d", op, changes[op])
	}
	return strings.Join(ops, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Promote moves the stack one rung up the ladder: it checks the gates pass on the current
// rung, sets the knob, refuses a preview with anything but the expected updates, applies, and
// soaks; a failing gate during the soak rolls the stack back to the rung it started from.
func Promote(ctx context.Context, opts PromoteOptions, deps Deps) (Result, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return Result{}, err
	}
	if deps.Stack == nil || deps.Health == nil || deps.Metrics == nil {
		return Result{}, errors.New("promote needs a stack runner, a health source and a metrics source")
	}
	deps = deps.withDefaults()
	log := logger{deps.Out, deps.Clock}

	st, err := readState(ctx, deps.Stack)
	if err != nil {
		return Result{}, err
	}
	st.describe(log, opts.StackName)
	res := Result{From: st.deployed, To: st.deployed, Final: st.deployed}
	if st.ladder.Index(st.deployed) < 0 {
		return res, fmt.Errorf("deployed %s %d is not a rung of the ladder %s: move to a rung first with cutover rollback --to N",
			OutputPercent, st.deployed, st.ladder.Render(-1))
	}
	next, ok := st.ladder.Next(st.deployed)
	if !ok {
		log.logf("already at the top rung %d: nothing to promote", st.deployed)
		res.Outcome = OutcomeNothingToDo
		return res, nil
	}
	res.To = next
	if len(st.healthIDs) == 0 {
		res.Outcome, res.Reason = OutcomeRefused, "the stack has no "+OutputHealthCheckIDs+" output, so the health gate has nothing to watch"
		log.logf("REFUSED: %s", res.Reason)
		return res, nil
	}

	// Preflight: do not start a move from a rung that is already failing, and find missing
	// tools or credentials before anything changes rather than in the middle of a soak.
	log.logf("preflight: reading the gates at rung %d", st.deployed)
	for _, r := range observe(ctx, deps.Health, deps.Metrics, st.healthIDs, opts.Gates) {
		log.logf("preflight %s", r.line)
		var toolErr *ToolError
		switch {
		case errors.As(r.err, &toolErr):
			return res, toolErr
		case r.failed:
			res.Findings = append(res.Findings, r.line)
		case r.err != nil && !errors.Is(r.err, ErrNoData):
			// No data is normal before the first promotion (no traffic on AWS yet); a source
			// that cannot be read now will not be readable during the soak either.
			res.Findings = append(res.Findings, r.line)
		}
	}
	if len(res.Findings) > 0 {
		res.Outcome, res.Reason = OutcomeRefused, fmt.Sprintf("the gates do not pass at the current rung %d", st.deployed)
		log.logf("REFUSED: %s", res.Reason)
		return res, nil
	}

	m := mover{deps: deps, log: log, st: st, stackName: opts.StackName, expected: opts.Expected}
	polls := int((opts.Soak + opts.Interval - 1) / opts.Interval)
	if opts.DryRun {
		m.logMoveSteps(next)
		log.logf("  4. soak %s: %d polls every %s of health checks %s and gates %s; a gate without a passing reading for more than %s fails",
			opts.Soak, polls, opts.Interval, formatIDs(st.healthIDs), formatGates(opts.Gates), opts.NoDataGrace)
		log.logf("  5. on a failing gate: set config %s back to %d and up", ConfigPercentKey, st.deployed)
		res.Outcome = OutcomeDryRun
		return res, nil
	}

	if refused, err := m.setRefused(ctx, next, &res); err != nil || refused {
		return res, err
	}

	mismatch, err := m.up(ctx, next)
	if err != nil {
		log.logf("up FAILED: %v", err)
		return m.rollbackAfterPromote(ctx, res, "the update failed", []string{err.Error()})
	}
	if mismatch != "" {
		log.logf("up FAILED: %s", mismatch)
		return m.rollbackAfterPromote(ctx, res, "the update did not deploy the new rung", []string{mismatch})
	}
	res.Final = next

	log.logf("soak: watching rung %d for %s, %d polls every %s (interrupting leaves the stack at %d; undo with cutover rollback --stack %s)",
		next, opts.Soak, polls, opts.Interval, next, opts.StackName)
	start := deps.Clock.Now()
	tracker := newSoakTracker(start, opts.NoDataGrace)
	var gateNames []string
	for elapsed := time.Duration(0); elapsed < opts.Soak; elapsed = deps.Clock.Now().Sub(start) {
		if err := deps.Clock.Sleep(ctx, min(opts.Interval, opts.Soak-elapsed)); err != nil {
			res.Outcome, res.Reason = OutcomeInterrupted, fmt.Sprintf("soak interrupted after %d polls (%v); the stack stays at %d: run cutover rollback --stack %s to undo",
				res.Polls, err, next, opts.StackName)
			log.logf("%s", res.Reason)
			return res, nil
		}
		res.Polls++
		rs := observe(ctx, deps.Health, deps.Metrics, st.healthIDs, opts.Gates)
		gateNames = gateNames[:0]
		for _, r := range rs {
			log.logf("poll %d/%d %s", res.Polls, polls, r.line)
			gateNames = append(gateNames, r.gate)
		}
		if failures := tracker.update(deps.Clock.Now(), rs); len(failures) > 0 {
			return m.rollbackAfterPromote(ctx, res, fmt.Sprintf("a gate failed at poll %d, %s into the soak",
				res.Polls, deps.Clock.Now().Sub(start).Round(time.Second)), failures)
		}
	}
	if failures := tracker.final(gateNames); len(failures) > 0 {
		return m.rollbackAfterPromote(ctx, res, "the soak ended without a passing reading of every gate", failures)
	}
	log.logf("PROMOTED: rung %d held for %s (%d polls, every gate passing); %s", next, opts.Soak, res.Polls, weights(next))
	res.Outcome = OutcomePromoted
	return res, nil
}

// rollbackAfterPromote puts the stack back on the rung the promotion started from. It goes
// straight to up without a preview: it reverts the change previewed minutes ago, and MIGRATION.md
// bounds a rollback by one TTL plus one update.
func (m mover) rollbackAfterPromote(ctx context.Context, res Result, reason string, findings []string) (Result, error) {
	res.Reason, res.Findings = reason, findings
	for _, f := range findings {
		m.log.logf("FAIL %s", f)
	}
	prev := m.st.deployed
	m.log.logf("ROLLING BACK to %d: %s", prev, reason)
	retry := fmt.Sprintf("cutover rollback --stack %s --to %d", m.stackName, prev)
	if err := m.deps.Stack.SetConfig(ctx, ConfigPercentKey, strconv.Itoa(prev)); err != nil {
		return res, fmt.Errorf("automatic rollback to %d failed setting the config (%s); the stack is still at %d: run %s: %w",
			prev, reason, res.To, retry, err)
	}
	mismatch, err := m.up(ctx, prev)
	if err != nil {
		return res, fmt.Errorf("automatic rollback to %d failed (%s); config says %d but the deployment may still be at %d: run %s or pulumi up: %w",
			prev, reason, prev, res.To, retry, err)
	}
	if mismatch != "" {
		return res, fmt.Errorf("automatic rollback to %d did not take (%s): %s: run %s", prev, reason, mismatch, retry)
	}
	res.Outcome, res.Final = OutcomeRolledBack, prev
	m.log.logf("ROLLED BACK to %d (%s): %s", prev, weights(prev), reason)
	return res, nil
}

func formatIDs(ids map[string]string) string {
	sides := make([]string, 0, len(ids))
	for side := range ids {
		sides = append(sides, side)
	}
	slices.Sort(sides)
	for i, side := range sides {
		sides[i] = side + "=" + ids[side]
	}
	return strings.Join(sides, ", ")
}

func formatGates(gates []MetricGate) string {
	parts := make([]string, len(gates))
	for i, g := range gates {
		parts[i] = fmt.Sprintf("%s (%s) <= %s", g.Name, g.Query, g.format(g.Max))
	}
	return strings.Join(parts, ", ")
}

// Rollback moves the stack down the ladder: one rung, or to opts.To. It previews and refuses
// unexpected changes like promote does, but has no soak: going back is the safe direction.
func Rollback(ctx context.Context, opts RollbackOptions, deps Deps) (Result, error) {
	if opts.Expected == nil {
		opts.Expected = DefaultExpectedChanges()
	}
	if deps.Stack == nil {
		return Result{}, errors.New("rollback needs a stack runner")
	}
	deps = deps.withDefaults()
	log := logger{deps.Out, deps.Clock}

	st, err := readState(ctx, deps.Stack)
	if err != nil {
		return Result{}, err
	}
	st.describe(log, opts.StackName)
	res := Result{From: st.deployed, To: st.deployed, Final: st.deployed}
	refuse := func(reason string) (Result, error) {
		res.Outcome, res.Reason = OutcomeRefused, reason
		log.logf("REFUSED: %s", reason)
		return res, nil
	}

	var target int
	if opts.To != nil {
		target = *opts.To
		if st.ladder.Index(target) < 0 {
			return refuse(fmt.Sprintf("--to %d is not a rung of the ladder %s", target, st.ladder.Render(-1)))
		}
		if target > st.deployed {
			return refuse(fmt.Sprintf("--to %d is above the deployed rung %d: rollback only moves down; use cutover promote", target, st.deployed))
		}
	} else {
		if st.ladder.Index(st.deployed) < 0 {
			return refuse(fmt.Sprintf("the deployed rung %d is not on the ladder %s: name the target with --to", st.deployed, st.ladder.Render(-1)))
		}
		prev, ok := st.ladder.Previous(st.deployed)
		if !ok {
			prev = st.deployed
		}
		target = prev
	}
	res.To = target
	if target == st.deployed {
		log.logf("already at rung %d: nothing to roll back", target)
		res.Outcome = OutcomeNothingToDo
		return res, nil
	}

	m := mover{deps: deps, log: log, st: st, stackName: opts.StackName, expected: opts.Expected}
	if opts.DryRun {
		m.logMoveSteps(target)
		res.Outcome = OutcomeDryRun
		return res, nil
	}

	if refused, err := m.setRefused(ctx, target, &res); err != nil || refused {
		return res, err
	}
	mismatch, err := m.up(ctx, target)
	if err != nil {
		return res, fmt.Errorf("rollback to %d: config says %d, the deployment may be partly applied: re-run the rollback or pulumi up: %w",
			target, target, err)
	}
	if mismatch != "" {
		return res, fmt.Errorf("rollback to %d did not take: %s", target, mismatch)
	}
	res.Outcome, res.Final = OutcomeRolledBack, target
	log.logf("ROLLED BACK to %d (%s)", target, weights(target))
	return res, nil
}

// StatusReport is what Status read.
type StatusReport struct {
	Ladder       Ladder
	Deployed     int
	DeployedFrom string
	// Config is the stored cutover:awsTrafficPercent, empty when unset.
	Config string
	// AWSWeight and HerokuWeight are the deployed weights (computed from Deployed when the
	// stack does not export them).
	AWSWeight, HerokuWeight int
	// Lines are the health check and gate readings as printed.
	Lines []string
	// ToolErrors are the readings that failed because a tool or credentials are missing.
	ToolErrors []error
}

// Status prints the stack's rung, weights, health checks and gate figures. A nil Health or
// Metrics skips that part. Reading errors of health or metrics are reported, not returned;
// only a failure to read the stack is an error.
func Status(ctx context.Context, opts StatusOptions, deps Deps) (StatusReport, error) {
	if opts.Gates == nil {
		opts.Gates = DefaultMetricGates()
	}
	if deps.Stack == nil {
		return StatusReport{}, errors.New("status needs a stack runner")
	}
	deps = deps.withDefaults()
	log := logger{deps.Out, deps.Clock}
	st, err := readState(ctx, deps.Stack)
	if err != nil {
		return StatusReport{}, err
	}
	rep := StatusReport{Ladder: st.ladder, Deployed: st.deployed, DeployedFrom: st.deployedFrom, Config: st.configRaw}
	st.describe(log, opts.StackName)

	rep.AWSWeight, rep.HerokuWeight = st.deployed, 100-st.deployed
	source := "computed from the rung"
	aw, okA := intFromAny(st.outputs[OutputAWSWeight])
	hw, okH := intFromAny(st.outputs[OutputHerokuWeight])
	if okA && okH {
		rep.AWSWeight, rep.HerokuWeight, source = aw, hw, "stack outputs"
	}
	log.logf("weights: aws %d, heroku %d (%s)", rep.AWSWeight, rep.HerokuWeight, source)
	if next, ok := st.ladder.Next(st.deployed); ok {
		log.logf("next rung: %d (cutover promote)", next)
	}
	if prev, ok := st.ladder.Previous(st.deployed); ok {
		log.logf("previous rung: %d (cutover rollback)", prev)
	}
	if len(st.healthIDs) == 0 {
		log.logf("health checks: the stack has no %s output", OutputHealthCheckIDs)
	}
	for _, r := range observe(ctx, deps.Health, deps.Metrics, st.healthIDs, opts.Gates) {
		log.logf("%s", r.line)
		rep.Lines = append(rep.Lines, r.line)
		var toolErr *ToolError
		if errors.As(r.err, &toolErr) {
			rep.ToolErrors = append(rep.ToolErrors, toolErr)
		}
	}
	return rep, nil
}
