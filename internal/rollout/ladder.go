package rollout

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Stack config keys and outputs this package reads or writes. They mirror the config contract
// and the output names of infra/program; they are repeated here rather than imported because
// the command must not pull the whole program (and every provider SDK) into its build.
const (
	// ConfigPercentKey is the one knob of the cutover: the AWS share of API traffic.
	ConfigPercentKey = "cutover:awsTrafficPercent"
	// ConfigPhasesKey holds the ladder of allowed values of ConfigPercentKey.
	ConfigPhasesKey = "cutover:phases"

	// OutputPercent is the deployed AWS share, the source of truth for the current rung.
	OutputPercent = "awsTrafficPercent"
	// OutputAWSWeight and OutputHerokuWeight are the deployed record weights.
	OutputAWSWeight    = "awsWeight"
	OutputHerokuWeight = "herokuWeight"
	// OutputHealthCheckIDs maps a side ("aws", "heroku") to its Route53 health check ID.
	OutputHealthCheckIDs = "healthCheckIds"
)

// Ladder is the strictly increasing list of allowed AWS traffic percentages, 0 first and 100 last.
type Ladder []int

// DefaultLadder returns the ladder used when the stack sets no cutover:phases, the same default
// Pulumi.yaml declares. A fresh slice each call, so callers cannot change the default.
func DefaultLadder() Ladder { return Ladder{0, 10, 25, 50, 100} }

// ParseLadder decodes the JSON array stored in cutover:phases and validates it.
func ParseLadder(raw string) (Ladder, error) {
	var rungs []int
	if err := json.Unmarshal([]byte(raw), &rungs); err != nil {
		return nil, fmt.Errorf("%s %q is not a valid ladder: must be a JSON array of integers such as [0,10,25,50,100]: %w",
			ConfigPhasesKey, raw, err)
	}
	l := Ladder(rungs)
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// Validate reports every way the ladder breaks the contract (0 first, 100 last, strictly increasing).
func (l Ladder) Validate() error {
	if len(l) < 2 {
		return fmt.Errorf("%s %v is not a valid ladder: needs at least the rungs 0 and 100", ConfigPhasesKey, []int(l))
	}
	var errs []error
	if l[0] != 0 {
		errs = append(errs, fmt.Errorf("%s %v is not a valid ladder: the first rung must be 0, got %d", ConfigPhasesKey, []int(l), l[0]))
	}
	if last := l[len(l)-1]; last != 100 {
		errs = append(errs, fmt.Errorf("%s %v is not a valid ladder: the last rung must be 100, got %d", ConfigPhasesKey, []int(l), last))
	}
	for i := 1; i < len(l); i++ {
		if l[i] <= l[i-1] {
			errs = append(errs, fmt.Errorf("%s %v is not a valid ladder: rungs must strictly increase, got %d after %d",
				ConfigPhasesKey, []int(l), l[i], l[i-1]))
		}
	}
	return errors.Join(errs...)
}

// Index returns the position of percent on the ladder, or -1 when it is not a rung.
func (l Ladder) Index(percent int) int {
	for i, rung := range l {
		if rung == percent {
			return i
		}
	}
	return -1
}

// Next returns the rung above percent; false at the top or when percent is not a rung.
func (l Ladder) Next(percent int) (int, bool) {
	i := l.Index(percent)
	if i < 0 || i == len(l)-1 {
		return 0, false
	}
	return l[i+1], true
}

// Previous returns the rung below percent; false at the bottom or when percent is not a rung.
func (l Ladder) Previous(percent int) (int, bool) {
	i := l.Index(percent)
	if i <= 0 {
		return 0, false
	}
	return l[i-1], true
}

// Render prints the ladder with the given rung in brackets: "0 10 [25] 50 100".
func (l Ladder) Render(current int) string {
	parts := make([]string, len(l))
	for i, rung := range l {
		parts[i] = strconv.Itoa(rung)
		if rung == current {
			parts[i] = "[" + parts[i] + "]"
		}
	}
	return strings.Join(parts, " ")
}

// intFromAny turns a decoded JSON number (or its string form, as config values come) into an
// int, refusing fractions: a percentage of 25.5 is a broken stack, not something to round.
func intFromAny(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n != math.Trunc(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return int(n), true
	case json.Number:
		i, err := strconv.Atoi(string(n))
		return i, err == nil
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(n))
		return i, err == nil
	default:
		return 0, false
	}
}
