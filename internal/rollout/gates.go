package rollout

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// The gate queries are the recording rules of the monitoring component (AWS side). They are
// repeated here, not imported, because commands must not depend on components; the lead's
// components/monitoring exports the same names.
const (
	// Query5xxRatio is the share of API responses with a 5xx status over five minutes.
	Query5xxRatio = "cutover:api_5xx_ratio:rate5m"
	// QueryLatencyP99 is the 99th percentile API latency over five minutes, in seconds.
	QueryLatencyP99 = "cutover:api_latency_p99_seconds:5m"

	// DefaultMax5xxRatio and DefaultMaxP99Seconds are the thresholds of the default gates.
	DefaultMax5xxRatio   = 0.01
	DefaultMaxP99Seconds = 0.5
)

// MetricGate is one Prometheus figure that must stay at or below Max during the soak.
type MetricGate struct {
	// Name is how the log calls the gate ("5xx ratio").
	Name string
	// Query is an instant PromQL query returning one number (the largest series counts).
	Query string
	// Max is the highest passing value.
	Max float64
	// Unit is "s" for durations in seconds, empty for plain ratios; it only affects printing.
	Unit string
}

// DefaultMetricGates returns the 5xx ratio and p99 latency gates with the default thresholds.
func DefaultMetricGates() []MetricGate {
	return []MetricGate{
		{Name: "5xx ratio", Query: Query5xxRatio, Max: DefaultMax5xxRatio},
		{Name: "p99 latency", Query: QueryLatencyP99, Max: DefaultMaxP99Seconds, Unit: "s"},
	}
}

func (g MetricGate) format(v float64) string {
	if g.Unit == "s" {
		return fmt.Sprintf("%.3fs", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func (g MetricGate) validate() error {
	var errs []error
	if g.Name == "" {
		errs = append(errs, fmt.Errorf("metric gate for query %q: Name is empty", g.Query))
	}
	if g.Query == "" {
		errs = append(errs, fmt.Errorf("metric gate %q: Query is empty: must be a PromQL expression", g.Name))
	}
	if math.IsNaN(g.Max) || g.Max < 0 {
		errs = append(errs, fmt.Errorf("metric gate %q: Max %v is not valid: must be a number >= 0", g.Name, g.Max))
	}
	return errors.Join(errs...)
}

// reading is one observation of one gate.
type reading struct {
	// gate identifies the gate across polls ("health aws", "5xx ratio").
	gate string
	// good: a passing figure. failed: a failing figure. Neither: no figure (err says why).
	good, failed bool
	err          error
	// line is the log line with the figures.
	line string
}

// observe reads every gate once: the health check of each side (sorted by side) and each
// metric gate, in order. A nil source skips its gates.
func observe(ctx context.Context, health HealthSource, metrics MetricsSource, healthIDs map[string]string, gates []MetricGate) []reading {
	var out []reading
	if health != nil {
		sides := make([]string, 0, len(healthIDs))
		for side := range healthIDs {
			sides = append(sides, side)
		}
		slices.Sort(sides)
		for _, side := range sides {
			id := healthIDs[side]
			r := reading{gate: "health " + side}
			st, err := health.Status(ctx, id)
			switch {
			case err != nil:
				r.err = err
				r.line = fmt.Sprintf("health %s %s: no reading: %v", side, id, err)
			case st.Healthy:
				r.good = true
				r.line = fmt.Sprintf("health %s %s: %s: healthy", side, id, st)
			default:
				r.failed = true
				r.line = fmt.Sprintf("health %s %s: %s: UNHEALTHY", side, id, st)
			}
			out = append(out, r)
		}
	}
	if metrics != nil {
		for _, g := range gates {
			r := reading{gate: g.Name}
			v, err := metrics.Query(ctx, g.Query)
			switch {
			case errors.Is(err, ErrNoData):
				r.err = err
				r.line = fmt.Sprintf("gate %s: no data for %s", g.Name, g.Query)
			case err != nil:
				r.err = err
				r.line = fmt.Sprintf("gate %s: no reading: %v", g.Name, err)
			case v <= g.Max:
				r.good = true
				r.line = fmt.Sprintf("gate %s %s <= %s ok", g.Name, g.format(v), g.format(g.Max))
			default:
				r.failed = true
				r.line = fmt.Sprintf("gate %s %s > %s FAIL", g.Name, g.format(v), g.format(g.Max))
			}
			out = append(out, r)
		}
	}
	return out
}

// soakTracker applies the soak's rule: a gate fails on a failing figure at once, and on having
// no figure at all for longer than the grace period. The grace exists because missing figures
// are normal for a short while (a rate over five minutes needs two scrapes after traffic
// starts; a transient network error is not an outage); but a promotion is only kept when the
// gates were actually seen to pass, so silence beyond the grace counts as failure.
type soakTracker struct {
	grace    time.Duration
	start    time.Time
	lastGood map[string]time.Time
}

func newSoakTracker(start time.Time, grace time.Duration) *soakTracker {
	return &soakTracker{grace: grace, start: start, lastGood: map[string]time.Time{}}
}

// update records one poll and returns the failures it decides, with their figures.
func (t *soakTracker) update(now time.Time, rs []reading) []string {
	var failures []string
	for _, r := range rs {
		switch {
		case r.failed:
			failures = append(failures, r.line)
		case r.good:
			t.lastGood[r.gate] = now
		default:
			since, ok := t.lastGood[r.gate]
			if !ok {
				since = t.start
			}
			if silent := now.Sub(since); silent > t.grace {
				failures = append(failures, fmt.Sprintf("%s: no passing reading for %s (grace %s): %v", r.gate, silent, t.grace, r.err))
			}
		}
	}
	return failures
}

// final returns a failure for every gate that never passed during the soak, which update alone
// misses when the soak is shorter than the grace.
func (t *soakTracker) final(gates []string) []string {
	var failures []string
	for _, g := range gates {
		if _, ok := t.lastGood[g]; !ok {
			failures = append(failures, fmt.Sprintf("%s: no passing reading during the whole soak", g))
		}
	}
	return failures
}
